// The package datasources a run asks (npm, PyPI), made on first use with the run's shared settings:
// cache, network policy, deadline, request counting. One place names them; a new ecosystem adds its
// datasource here and nowhere else in the pipeline.
import type { Cache } from '../cache/types.js';
import type { NetworkPolicy } from '../http/network-policy.js';
import type { Resolver } from '../http/guard.js';
import type { TransportLimits } from '../http/transport.js';
import type { NpmRegistryConfig } from './npm/auth.js';
import { NpmDatasource } from './npm/index.js';
import { PypiDatasource } from './pypi/index.js';
import type { PackageDatasource, ReleaseQuery, ReleaseResult } from './types.js';

export interface PackageLookups {
  /** Releases of `query.packageName` from `datasource` (`npm`, `pypi`), at its default registry unless given. */
  getReleases(
    datasource: string,
    query: Omit<ReleaseQuery, 'registryUrl'> & { registryUrl?: string },
  ): Promise<ReleaseResult>;
  /**
   * The files of one release with their hashes (PyPI: wheels and sdists, yanked ones marked), for
   * `--hash` pins. Rejects for a datasource that has no files to tell.
   */
  getFiles?(
    datasource: string,
    query: Omit<ReleaseQuery, 'registryUrl'> & { registryUrl?: string; version: string },
  ): Promise<ReleaseFile[]>;
  close(): Promise<void>;
}

/** One distribution file of a release. */
export interface ReleaseFile {
  filename: string;
  /** Hash name → lower-case hex digest (`sha256`, and others the registry gives). */
  hashes: Record<string, string>;
  yanked: boolean;
}

export interface PackageLookupOptions {
  cache: Cache;
  network?: NetworkPolicy;
  resolver?: Resolver;
  /** When (epoch ms) the run's lookups must end. */
  deadline?: number;
  /** The run's timeouts, retries and per-host budgets (each datasource keeps its own body cap). */
  limits?: Partial<TransportLimits>;
  ttlSeconds?: number;
  onRequest?: () => void;
  warn: (message: string) => void;
  /** Registries asked when a dependency names none, by datasource (default: each one's public registry). */
  defaultRegistryUrls?: Partial<Record<string, string>>;
  /** npm registries the operator configured, with their credentials (never from a repository). */
  npmRegistries?: readonly NpmRegistryConfig[];
  /** npm scope → the registry its packages are asked at when the dependency names none (`@acme`). */
  npmScopes?: Readonly<Record<string, string>>;
}

type ClosableDatasource = PackageDatasource & {
  close(): Promise<void>;
  getFiles?(query: ReleaseQuery & { version: string }): Promise<ReleaseFile[]>;
};

const FACTORIES: Record<string, (options: PackageLookupOptions) => ClosableDatasource> = {
  npm: (options) =>
    new NpmDatasource({
      ...settings(options),
      ...(options.npmRegistries && { registries: options.npmRegistries }),
    }),
  pypi: (options) => new PypiDatasource(settings(options)),
};

export function createPackageLookups(options: PackageLookupOptions): PackageLookups {
  const defaultUrl = (id: string, source: ClosableDatasource, packageName: string): string => {
    const scope = id === 'npm' && packageName.startsWith('@') ? packageName.split('/')[0]! : undefined;
    const scoped = scope === undefined ? undefined : options.npmScopes?.[scope];
    return scoped ?? options.defaultRegistryUrls?.[id] ?? source.defaultRegistryUrl;
  };
  const made = new Map<string, ClosableDatasource>();
  const datasource = (id: string): ClosableDatasource => {
    let found = made.get(id);
    if (!found) {
      const factory = FACTORIES[id];
      if (!factory) throw new Error(`no datasource ${JSON.stringify(id)}`);
      made.set(id, (found = factory(options)));
    }
    return found;
  };
  return {
    getReleases: (id, query) => {
      const source = datasource(id);
      return source.getReleases({
        ...query,
        registryUrl: query.registryUrl ?? defaultUrl(id, source, query.packageName),
      });
    },
    getFiles: async (id, query) => {
      const source = datasource(id);
      if (!source.getFiles) throw new Error(`the ${id} datasource lists no release files`);
      return source.getFiles({
        ...query,
        registryUrl: query.registryUrl ?? defaultUrl(id, source, query.packageName),
      });
    },
    close: async () => {
      await Promise.all([...made.values()].map((source) => source.close()));
    },
  };
}

function settings(options: PackageLookupOptions) {
  return {
    cache: options.cache,
    ...(options.network && { network: options.network }),
    ...(options.resolver && { resolver: options.resolver }),
    ...(options.deadline !== undefined && { deadline: options.deadline }),
    ...(options.limits && { limits: options.limits }),
    ...(options.ttlSeconds !== undefined && { ttlSeconds: options.ttlSeconds }),
    ...(options.onRequest && { onRequest: options.onRequest }),
    logger: { warn: options.warn },
  };
}
