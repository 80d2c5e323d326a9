// Cache-aside with singleflight: however many lookups of one key run at once in this process, the cache
// is read once and the registry asked at most once.

import type { Cache } from './types.js';

// Per cache, since two caches may hold the same key with different contents.
const inFlight = new WeakMap<Cache, Map<string, Promise<unknown>>>();

/**
 * The cached value of `key`, else `load()`'s result, stored for `ttlSeconds` (undefined: for ever; 0 or
 * less: not stored). Concurrent calls for one key share one read and one `load()`, and so its result or
 * its error; a failure is neither cached nor given to later calls, which try again. A `load()` result of
 * `undefined` is not stored (use `null` for a cached "nothing there"). Callers sharing a flight share the
 * value: treat it as read-only.
 */
export function cached<T>(
  cache: Cache,
  key: string,
  ttlSeconds: number | undefined,
  load: () => Promise<T>,
): Promise<T> {
  let flights = inFlight.get(cache);
  if (flights === undefined) {
    flights = new Map();
    inFlight.set(cache, flights);
  }
  const current = flights.get(key);
  if (current !== undefined) return current as Promise<T>;
  const flight = lookup(cache, key, ttlSeconds, load).finally(() => flights.delete(key));
  flights.set(key, flight);
  return flight;
}

async function lookup<T>(
  cache: Cache,
  key: string,
  ttlSeconds: number | undefined,
  load: () => Promise<T>,
): Promise<T> {
  const hit = await cache.get<T>(key);
  if (hit !== undefined) return hit;
  const value = await load();
  if (value !== undefined) await cache.set(key, value, ttlSeconds);
  return value;
}

/**
 * A cache key `kind:host:part:…` for data from `registryHost`. The host is always part of the key, so a
 * mirror's answers or one credential's view never serve another host. `%`, `:`, `{` and `}` in any
 * component are percent-escaped: components cannot run together, and no key carries a Redis Cluster
 * hash tag of its own. Hosts are case-insensitive and lower-cased.
 */
export function cacheKey(kind: string, registryHost: string, ...parts: string[]): string {
  if (kind === '' || registryHost === '') throw new TypeError('cacheKey needs a kind and a registry host');
  return [kind, registryHost.toLowerCase(), ...parts].map(escapeComponent).join(':');
}

function escapeComponent(text: string): string {
  return text.replace(/[%:{}]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}
