// Builds the registry lookups a CLI run uses: the Docker client on the configured registries, with the
// in-memory cache or, with `--redis URL`, the shared Redis cache.
import { MemoryCache } from '../cache/memory.js';
import { createRedisCache } from '../cache/redis.js';
import type { Cache } from '../cache/types.js';
import type { Config } from '../config/schema.js';
import { RegistryClient } from '../datasources/docker/index.js';

export interface Lookups {
  client: RegistryClient;
  close(): Promise<void>;
}

export function createLookups(
  config: Config,
  options: { redisUrl?: string; warn: (message: string) => void },
): Lookups {
  let cache: Cache;
  let close = async (): Promise<void> => {};
  if (options.redisUrl) {
    const redis = createRedisCache(options.redisUrl, {
      onError: (error, operation) =>
        options.warn(`cache ${operation}: ${error.message} (continuing without it)`),
    });
    cache = redis;
    close = () => redis.close();
  } else {
    cache = new MemoryCache();
  }
  const client = new RegistryClient({
    cache,
    hosts: config.registries,
    ttlSeconds: config.cacheTtlSeconds,
    logger: { warn: options.warn },
  });
  return { client, close };
}
