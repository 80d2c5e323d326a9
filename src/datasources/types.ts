// What a package datasource (a registry protocol: npm, PyPI) answers, whatever the ecosystem. Image
// registries have their own richer client (src/datasources/docker): digests and platforms are theirs.

export interface Release {
  /** The version as the registry names it (`4.18.2`, `2.31.0`, `1.0.0rc1`). */
  version: string;
  /** When it was published (ISO 8601), where the registry says (npm's full packument, PyPI's upload-time). */
  releaseTimestamp?: string;
  /** npm: the version is deprecated. Never proposed. */
  isDeprecated?: boolean;
  /** PyPI: every file of the version is yanked. Never proposed. */
  isYanked?: boolean;
  /** What the release says it runs on: npm `engines.node`, Python `requires-python`, as written. */
  constraints?: { node?: string; python?: string };
}

export interface ReleaseResult {
  releases: Release[];
  /** npm's `latest` dist-tag: stable ranges are not moved beyond it. */
  latest?: string;
  homepage?: string;
  sourceUrl?: string;
}

export interface ReleaseQuery {
  /** The name the registry knows (`@scope/name`, `requests`). */
  packageName: string;
  /** Base URL of the registry or index to ask (operator-configured, or the public default). */
  registryUrl: string;
  /** Publish dates are needed (minimumReleaseAgeDays): npm then fetches the full packument. */
  withTimestamps?: boolean;
}

/** One registry protocol. Errors are thrown as the docker client's RegistryError kinds (shared transport). */
export interface PackageDatasource {
  /** `npm`, `pypi`: the value of `Dependency.datasource`. */
  readonly id: string;
  /** The public registry asked when nothing else is configured (`https://registry.npmjs.org`, `https://pypi.org/simple`). */
  readonly defaultRegistryUrl: string;
  getReleases(query: ReleaseQuery): Promise<ReleaseResult>;
}
