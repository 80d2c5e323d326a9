// The package datasources a run asks (npm, PyPI), made on first use with the run's shared settings:
// cache, network policy, deadline, request counting. One place names them; a new ecosystem adds its
// datasource here and nowhere else in the pipeline.
import type { Cache } from '../cache/types.js';
import type { NetworkPolicy } from '../http/network-policy.js';
import type { Resolver } from '../http/guard.js';
import type { TransportLimits } from '../http/transport.js';
import { NpmDatasource } from './npm/index.js';
import { PypiDatasource } from './pypi/index.js';
import type { PackageDatasource, ReleaseQuery, ReleaseResult } from './types.js';

export interface PackageLookups {
  /** Releases of `query.packageName` from `datasource` (`npm`, `pypi`), at its default registry unless given. */
  getReleases(
    datasource: string,
    query: Omit<ReleaseQuery, 'registryUrl'> & { registryUrl?: string },
  ): Promise<ReleaseResult>;
  close(): Promise<void>;
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
}

type ClosableDatasource = PackageDatasource & { close(): Promise<void> };

const FACTORIES: Record<string, (options: PackageLookupOptions) => ClosableDatasource> = {
  npm: (options) => new NpmDatasource(settings(options)),
  pypi: (options) => new PypiDatasource(settings(options)),
};

export function createPackageLookups(options: PackageLookupOptions): PackageLookups {
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
      return source.getReleases({ ...query, registryUrl: query.registryUrl ?? source.defaultRegistryUrl });
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
