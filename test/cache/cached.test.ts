import { describe, expect, it } from 'vitest';
import { cacheKey, cached } from '../../src/cache/cached.js';
import { MemoryCache } from '../../src/cache/memory.js';
import type { Cache, ReleaseLease } from '../../src/cache/types.js';
import { gatedLoader } from './gated-loader.js';

/** Counts reads, to show one flight reads the cache once. */
function countingCache(inner: Cache = new MemoryCache()) {
  let gets = 0;
  const cache: Cache = {
    get: (key) => {
      gets++;
      return inner.get(key);
    },
    set: (key, value, ttl) => inner.set(key, value, ttl),
  };
  return { cache, gets: () => gets };
}

describe('cached', () => {
  it('50 concurrent lookups of one key read the cache once and load once', async () => {
    const { cache, gets } = countingCache();
    const loader = gatedLoader<string[]>();
    const calls = Array.from({ length: 50 }, () => cached(cache, 'tags', 3600, loader.load));
    await Promise.resolve();
    loader.open(['1.0', '1.1']);
    const results = await Promise.all(calls);
    expect(loader.calls()).toBe(1);
    expect(gets()).toBe(1);
    expect(results.every((r) => r.join() === '1.0,1.1')).toBe(true);
    // Stored: the next lookup is a hit and loads nothing.
    expect(await cached(cache, 'tags', 3600, loader.load)).toEqual(['1.0', '1.1']);
    expect(loader.calls()).toBe(1);
  });

  it('shares a failure with concurrent callers only, and does not cache it', async () => {
    const cache = new MemoryCache();
    const failing = gatedLoader<string>();
    const calls = Array.from({ length: 50 }, () => cached(cache, 'k', 3600, failing.load));
    const settled = Promise.allSettled(calls);
    await Promise.resolve();
    failing.fail(new Error('registry said 503'));
    const outcomes = await settled;
    expect(failing.calls()).toBe(1);
    expect(outcomes.every((o) => o.status === 'rejected' && o.reason.message === 'registry said 503')).toBe(
      true,
    );
    expect(await cache.get('k')).toBeUndefined();

    let retries = 0;
    const value = await cached(cache, 'k', 3600, async () => {
      retries++;
      return 'ok';
    });
    expect(value).toBe('ok');
    expect(retries).toBe(1);
  });

  it('loads different keys separately', async () => {
    const cache = new MemoryCache();
    const loads: string[] = [];
    const load = (key: string) => async () => {
      loads.push(key);
      return key.toUpperCase();
    };
    const results = await Promise.all([
      cached(cache, 'a', undefined, load('a')),
      cached(cache, 'b', undefined, load('b')),
      cached(cache, 'a', undefined, load('a')),
      cached(cache, 'c', undefined, load('c')),
    ]);
    expect(results).toEqual(['A', 'B', 'A', 'C']);
    expect(loads.sort()).toEqual(['a', 'b', 'c']);
  });

  it('forgets a flight once it settles', async () => {
    const cache = new MemoryCache();
    let loads = 0;
    const load = async () => ++loads;
    // A TTL of 0 stores nothing, so each sequential call must start a flight of its own.
    expect(await cached(cache, 'k', 0, load)).toBe(1);
    expect(await cached(cache, 'k', 0, load)).toBe(2);
    expect(cache.stats().entries).toBe(0);
  });

  it('keeps flights of different caches apart', async () => {
    const first = gatedLoader<string>();
    const second = gatedLoader<string>();
    const a = cached(new MemoryCache(), 'k', undefined, first.load);
    const b = cached(new MemoryCache(), 'k', undefined, second.load);
    await Promise.resolve();
    first.open('from a');
    second.open('from b');
    expect(await Promise.all([a, b])).toEqual(['from a', 'from b']);
    expect([first.calls(), second.calls()]).toEqual([1, 1]);
  });

  it('stores with the given TTL, and does not store undefined', async () => {
    let now = 0;
    const cache = new MemoryCache({ now: () => now });
    await cached(cache, 'short', 60, async () => 'v');
    await cached(cache, 'forever', undefined, async () => 'f');
    await cached(cache, 'nothing', undefined, async () => undefined);
    now += 61_000;
    expect(await cache.get('short')).toBeUndefined();
    expect(await cache.get('forever')).toBe('f');
    expect(cache.stats().entries).toBe(1);
  });
});

/** A cache shared with "another process" (the test), whose leases the test holds or refuses. */
function leasingCache(claim: (key: string) => Promise<ReleaseLease | null>) {
  const shared = new MemoryCache();
  const events: string[] = [];
  const cache: Cache = {
    get: (key) => shared.get(key),
    set: async (key, value, ttl) => {
      events.push(`set ${key}`);
      await shared.set(key, value, ttl);
    },
    claim: async (key) => {
      events.push(`claim ${key}`);
      const release = await claim(key);
      return (
        release &&
        (async () => {
          events.push(`release ${key}`);
          await release();
        })
      );
    },
  };
  return { cache, shared, events };
}

const fast = { leaseMs: 60_000, waitMs: 60_000, pollMs: 1 };

describe('cached with a cache that lends leases', () => {
  it('loads under the lease and releases it after storing, on success and on failure', async () => {
    const { cache, events } = leasingCache(async () => async () => undefined);
    expect(await cached(cache, 'k', undefined, async () => 'v', fast)).toBe('v');
    await expect(cached(cache, 'bad', 60, () => Promise.reject(new Error('503')), fast)).rejects.toThrow(
      '503',
    );
    expect(events).toEqual(['claim k', 'set k', 'release k', 'claim bad', 'release bad']);
  });

  it("returns another process's value once it appears, without loading", async () => {
    const { cache, shared } = leasingCache(async () => null);
    let loads = 0;
    const lookup = cached(cache, 'k', 3600, async () => ++loads, fast);
    await new Promise((resolve) => setTimeout(resolve, 5));
    await shared.set('k', 42);
    expect(await lookup).toBe(42);
    expect(loads).toBe(0);
  });

  it('reads once more after winning a lease it waited for: the holder may have just stored', async () => {
    let held = true;
    const { cache, shared } = leasingCache(async () => (held ? null : async () => undefined));
    let loads = 0;
    // The holder stores and lets go between a poll's read and its claim.
    const get = cache.get.bind(cache);
    cache.get = async <T>(key: string) => {
      const value = await get<T>(key);
      if (value === undefined && !held && (await shared.get(key)) === undefined) await shared.set(key, 7);
      return value;
    };
    const lookup = cached(cache, 'k', 3600, async () => ++loads, fast);
    await new Promise((resolve) => setTimeout(resolve, 5));
    held = false;
    expect(await lookup).toBe(7);
    expect(loads).toBe(0);
  });

  it('loads when claiming fails, and takes no lease for what it will not store', async () => {
    const { cache, events } = leasingCache(() => Promise.reject(new Error('Redis is unavailable')));
    expect(await cached(cache, 'k', 60, async () => 'v', fast)).toBe('v');
    expect(await cached(cache, 'once', 0, async () => 'w', fast)).toBe('w');
    expect(events).toEqual(['claim k', 'set k', 'set once']);
  });
});

describe('cacheKey', () => {
  it('always names the registry host', () => {
    expect(cacheKey('tags', 'ghcr.io', 'owner/app')).toBe('tags:ghcr.io:owner/app');
    expect(cacheKey('tags', 'docker.io', 'library/node')).not.toBe(
      cacheKey('tags', 'mirror.example.com', 'library/node'),
    );
    expect(cacheKey('tags', 'Registry.Example.com', 'a')).toBe(cacheKey('tags', 'registry.example.com', 'a'));
  });

  it('escapes separators so components cannot run together', () => {
    expect(cacheKey('tagDigest', 'localhost:5000', 'app', '1.0')).toBe('tagDigest:localhost%3A5000:app:1.0');
    expect(cacheKey('manifest', 'h', 'sha256:abc')).toBe('manifest:h:sha256%3Aabc');
    expect(cacheKey('k', 'h', 'a:b')).not.toBe(cacheKey('k', 'h', 'a', 'b'));
    expect(cacheKey('k', 'h', 'a%3Ab')).not.toBe(cacheKey('k', 'h', 'a:b'));
    expect(cacheKey('k', 'h:1', 'a')).not.toBe(cacheKey('k', 'h', '1', 'a'));
  });

  it('keeps hash-tag braces out of keys', () => {
    expect(cacheKey('k', 'h', '{tag}')).toBe('k:h:%7Btag%7D');
  });

  it('refuses an empty kind or host', () => {
    expect(() => cacheKey('tags', '', 'a')).toThrow(TypeError);
    expect(() => cacheKey('', 'h')).toThrow(TypeError);
  });
});
