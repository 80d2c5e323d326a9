// The `pypi` datasource: releases of a Python project from a simple index, and the files (with hashes)
// of one release, for lockfiles and `--hash` lines.
import type { PackageDatasource, ReleaseQuery, ReleaseResult } from '../types.js';
import { SimpleIndexClient, type PypiClientOptions } from './client.js';
import { groupFiles, toRelease, versionKey } from './releases.js';
import type { DistributionFile } from './types.js';

export {
  SIMPLE_ACCEPT,
  DEFAULT_PYPI_LIMITS,
  type PypiClientOptions,
  type PypiLimits,
  type PypiRequestEvent,
} from './client.js';
export { normaliseName, fileVersion, isProjectName } from './names.js';
export type { DistributionFile, SimpleProject } from './types.js';

export class PypiDatasource implements PackageDatasource {
  readonly id = 'pypi';
  readonly defaultRegistryUrl = 'https://pypi.org/simple';
  private readonly client: SimpleIndexClient;

  constructor(options: PypiClientOptions) {
    this.client = new SimpleIndexClient(options);
  }

  close(): Promise<void> {
    return this.client.close();
  }

  /** Every version with at least one wheel or sdist, ascending (404: kind not-found). */
  async getReleases(query: ReleaseQuery): Promise<ReleaseResult> {
    const { name, page } = await this.client.project(query.packageName, query.registryUrl);
    return { releases: groupFiles(page, name).map(toRelease) };
  }

  /** The wheels and sdists of `version` (any PEP 440 spelling), yanked ones included and marked. */
  async getFiles(query: ReleaseQuery & { version: string }): Promise<DistributionFile[]> {
    const { name, page } = await this.client.project(query.packageName, query.registryUrl);
    const key = versionKey(query.version);
    const group = groupFiles(page, name).find((g) => versionKey(g.version) === key);
    return (group?.files ?? []).map(({ sdist: _sdist, ...file }) => file);
  }
}
