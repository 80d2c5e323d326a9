// Builds the registry lookups a CLI run uses: the Docker client on the user's registries and the npm and
// PyPI datasources, with the in-memory cache or, with `--redis URL`, the shared Redis cache (loaded only
// then: a plain scan never loads a Redis client).
import { MemoryCache } from '../cache/memory.js';
import type { Cache } from '../cache/types.js';
import type { CliRegistrySettings } from '../config/cli-registries.js';
import { RegistryClient } from '../datasources/docker/index.js';
import { createPackageLookups, type PackageLookups } from '../datasources/packages.js';
import { DEFAULT_TRANSPORT_LIMITS, type TransportLimits } from '../http/transport.js';

export interface Lookups {
  client: RegistryClient;
  packages: PackageLookups;
  close(): Promise<void>;
}

export interface LookupOptions extends CliRegistrySettings {
  ttlSeconds: number;
  redisUrl?: string | undefined;
  warn: (message: string) => void;
}

export async function createLookups(options: LookupOptions): Promise<Lookups> {
  let cache: Cache;
  let closeCache = async (): Promise<void> => {};
  if (options.redisUrl) {
    const { createRedisCache } = await import('../cache/redis.js');
    const redis = createRedisCache(options.redisUrl, {
      onError: (error, operation) =>
        options.warn(`cache ${operation}: ${error.message} (continuing without it)`),
    });
    cache = redis;
    closeCache = () => redis.close();
  } else {
    cache = new MemoryCache();
  }
  const deadline = Date.now() + options.deadlineMs;
  const client = new RegistryClient({
    cache,
    hosts: options.hosts,
    network: options.network,
    limits: options.limits,
    deadline,
    ttlSeconds: options.ttlSeconds,
    logger: { warn: options.warn },
  });
  // The user's timeouts and budgets hold for every registry; body and tag caps are the image client's.
  const transportLimits: Partial<TransportLimits> = Object.fromEntries(
    Object.entries(options.limits).filter(([name]) => name in DEFAULT_TRANSPORT_LIMITS),
  );
  const packages = createPackageLookups({
    cache,
    network: options.network,
    deadline,
    limits: transportLimits,
    ttlSeconds: options.ttlSeconds,
    warn: options.warn,
  });
  return {
    client,
    packages,
    close: async () => {
      await Promise.all([client.close(), packages.close()]);
      await closeCache();
    },
  };
}
