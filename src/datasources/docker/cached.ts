// Read-through caching with in-process singleflight: concurrent lookups of one key share one request.
// Failures are not stored, so the next run asks again.

import type { Cache } from '../../cache/types.js';

export class CachedLookups {
  private readonly pending = new Map<string, Promise<unknown>>();

  constructor(private readonly cache: Cache) {}

  get<T>(key: string, ttlSeconds: number | undefined, compute: () => Promise<T>): Promise<T> {
    const inFlight = this.pending.get(key);
    if (inFlight) return inFlight as Promise<T>;
    const promise = (async () => {
      const hit = await this.cache.get<T>(key);
      if (hit !== undefined) return hit;
      const value = await compute();
      await this.cache.set(key, value, ttlSeconds);
      return value;
    })().finally(() => this.pending.delete(key));
    this.pending.set(key, promise);
    return promise;
  }
}
