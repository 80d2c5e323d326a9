// Cache-aside with singleflight: however many lookups of one key run at once in this process, the cache
// is read once and the registry asked at most once. A cache shared between processes (Redis) can also lend
// a lease per key, so lookups in other processes wait for the one loading instead of asking as well.

import { setTimeout as sleep } from 'node:timers/promises';
import type { Cache, ReleaseLease } from './types.js';

/** How long a lookup in one process waits for another process to load the same key. */
export interface CrossProcessTiming {
  /** Longest a loader may hold its lease (ms); a crashed process blocks others no longer than this. */
  leaseMs: number;
  /** Longest a lookup waits for another process's value before loading itself (ms). */
  waitMs: number;
  /** First pause between polls of the cache (ms); later pauses grow to four times this. */
  pollMs: number;
}

export const DEFAULT_CROSS_PROCESS_TIMING: CrossProcessTiming = Object.freeze({
  leaseMs: 15_000,
  waitMs: 5_000,
  pollMs: 25,
});

// Per cache, since two caches may hold the same key with different contents.
const inFlight = new WeakMap<Cache, Map<string, Promise<unknown>>>();

/**
 * The cached value of `key`, else `load()`'s result, stored for `ttlSeconds` (undefined: for ever; 0 or
 * less: not stored). Concurrent calls for one key share one read and one `load()`, and so its result or
 * its error; a failure is neither cached nor given to later calls, which try again. A `load()` result of
 * `undefined` is not stored (use `null` for a cached "nothing there"). Callers sharing a flight share the
 * value: treat it as read-only.
 *
 * When the cache can `claim` and the value will be stored, a miss takes the key's lease before loading;
 * while another process holds it, the lookup polls the cache and returns that process's value once it is
 * there. It loads itself when the holder lets go without storing one (it failed) or after `waitMs`.
 */
export function cached<T>(
  cache: Cache,
  key: string,
  ttlSeconds: number | undefined,
  load: () => Promise<T>,
  timing: CrossProcessTiming = DEFAULT_CROSS_PROCESS_TIMING,
): Promise<T> {
  let flights = inFlight.get(cache);
  if (flights === undefined) {
    flights = new Map();
    inFlight.set(cache, flights);
  }
  const current = flights.get(key);
  if (current !== undefined) return current as Promise<T>;
  const flight = lookup(cache, key, ttlSeconds, load, timing).finally(() => flights.delete(key));
  flights.set(key, flight);
  return flight;
}

async function lookup<T>(
  cache: Cache,
  key: string,
  ttlSeconds: number | undefined,
  load: () => Promise<T>,
  timing: CrossProcessTiming,
): Promise<T> {
  const hit = await cache.get<T>(key);
  if (hit !== undefined) return hit;
  // A value that is not stored cannot be shared: waiting for it would only delay the other process.
  const stored = ttlSeconds === undefined || ttlSeconds > 0;
  const turn = stored ? await takeTurn<T>(cache, key, timing) : { release: undefined };
  if ('value' in turn) return turn.value;
  try {
    const value = await load();
    if (value !== undefined) await cache.set(key, value, ttlSeconds);
    return value;
  } finally {
    // After the set, so a waiter polling the cache finds the value before it could claim the lease.
    await turn.release?.().catch(() => undefined);
  }
}

/** Another process's value, or leave to load (with the lease to release, if this lookup holds it). */
type Turn<T> = { value: T } | { release: ReleaseLease | undefined };

async function takeTurn<T>(cache: Cache, key: string, timing: CrossProcessTiming): Promise<Turn<T>> {
  const claimLease = cache.claim?.bind(cache);
  if (claimLease === undefined) return { release: undefined };
  const claim = (): Promise<ReleaseLease | null> =>
    // The cache is an accelerator: a claim that fails for any reason lets this lookup load.
    claimLease(key, timing.leaseMs).catch(() => async () => undefined);
  let release = await claim();
  if (release !== null) return { release };
  const deadline = Date.now() + timing.waitMs;
  let pause = timing.pollMs;
  while (Date.now() < deadline) {
    await sleep(pause);
    pause = Math.min(pause * 2, timing.pollMs * 4);
    const value = await cache.get<T>(key);
    if (value !== undefined) return { value };
    release = await claim();
    if (release === null) continue;
    // The holder let go: it failed, or it stored the value just after our read. Look once more.
    const late = await cache.get<T>(key);
    if (late === undefined) return { release };
    await release().catch(() => undefined);
    return { value: late };
  }
  // The holder is slow or gone without letting go: load without the lease rather than wait any longer.
  return { release: undefined };
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
