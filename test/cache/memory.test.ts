import { describe, expect, it } from 'vitest';
import { MemoryCache } from '../../src/cache/memory.js';

function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('MemoryCache', () => {
  it('returns what was stored and undefined for absent keys', async () => {
    const cache = new MemoryCache();
    await cache.set('a', { tags: ['1.0', '1.1'], n: 2, none: null });
    expect(await cache.get('a')).toEqual({ tags: ['1.0', '1.1'], n: 2, none: null });
    expect(await cache.get('b')).toBeUndefined();
    await cache.set('null', null);
    expect(await cache.get('null')).toBeNull();
  });

  it('stores a frozen JSON copy, as Redis would give it back', async () => {
    const cache = new MemoryCache();
    const value = { when: new Date('2024-01-02T03:04:05Z'), list: [1, 2] };
    await cache.set('k', value);
    value.list.push(3);
    const read = await cache.get<{ when: string; list: number[] }>('k');
    expect(read).toEqual({ when: '2024-01-02T03:04:05.000Z', list: [1, 2] });
    expect(() => read!.list.push(4)).toThrow(TypeError);
    expect(await cache.get('k')).toEqual({ when: '2024-01-02T03:04:05.000Z', list: [1, 2] });
  });

  it('rejects values JSON cannot hold', async () => {
    const cache = new MemoryCache();
    await expect(cache.set('k', undefined)).rejects.toThrow(TypeError);
    await expect(cache.set('k', 10n)).rejects.toThrow(TypeError);
    expect(await cache.get('k')).toBeUndefined();
  });

  it('expires entries on read once their TTL has passed', async () => {
    const time = clock();
    const cache = new MemoryCache({ now: time.now });
    await cache.set('short', 'v', 60);
    await cache.set('forever', 'f');
    time.advance(59_999);
    expect(await cache.get('short')).toBe('v');
    time.advance(1);
    expect(await cache.get('short')).toBeUndefined();
    time.advance(10 * 365 * 24 * 3600 * 1000);
    expect(await cache.get('forever')).toBe('f');
    expect(cache.stats()).toMatchObject({ hits: 2, misses: 1, expired: 1, entries: 1 });
  });

  it('stores nothing for a TTL of 0 or less and drops the old value', async () => {
    const cache = new MemoryCache();
    await cache.set('k', 'old');
    await cache.set('k', 'new', 0);
    expect(await cache.get('k')).toBeUndefined();
    await cache.set('k', 'new', -5);
    expect(cache.stats()).toMatchObject({ sets: 1, entries: 0 });
  });

  it('a later set replaces the value and its TTL', async () => {
    const time = clock();
    const cache = new MemoryCache({ now: time.now });
    await cache.set('k', 1, 10);
    await cache.set('k', 2);
    time.advance(60_000);
    expect(await cache.get('k')).toBe(2);
  });

  it('evicts the least recently used entry beyond maxEntries', async () => {
    const cache = new MemoryCache({ maxEntries: 3 });
    await cache.set('a', 1);
    await cache.set('b', 2);
    await cache.set('c', 3);
    expect(await cache.get('a')).toBe(1); // a is now the most recently used
    await cache.set('d', 4); // evicts b
    expect(await cache.get('b')).toBeUndefined();
    expect(await cache.get('a')).toBe(1);
    expect(await cache.get('c')).toBe(3);
    expect(await cache.get('d')).toBe(4);
    await cache.set('c', 30); // rewriting refreshes too: a goes next
    await cache.set('e', 5);
    expect(await cache.get('a')).toBeUndefined();
    expect(cache.stats()).toEqual({ hits: 4, misses: 2, sets: 6, evictions: 2, expired: 0, entries: 3 });
  });

  it('stays within maxEntries however many keys pass through', async () => {
    const cache = new MemoryCache({ maxEntries: 100 });
    for (let i = 0; i < 5000; i++) await cache.set(`k${i}`, i, 3600);
    expect(cache.stats()).toMatchObject({ entries: 100, evictions: 4900 });
    expect(await cache.get('k4999')).toBe(4999);
    expect(await cache.get('k4899')).toBeUndefined();
  });

  it('refuses a maxEntries that is not a positive integer', () => {
    expect(() => new MemoryCache({ maxEntries: 0 })).toThrow(RangeError);
    expect(() => new MemoryCache({ maxEntries: 1.5 })).toThrow(RangeError);
  });
});
