// The CLI's cache: a bounded LRU map in this process. Expiry is checked on read (no timers), and the
// least recently used entry goes when the map is full, so a long-running worker cannot grow without bound.

import { toJson } from './json.js';
import type { CacheStats } from './stats.js';
import type { Cache } from './types.js';

export interface MemoryCacheOptions {
  /** Most entries kept (default 10,000); the least recently used is evicted beyond it. */
  maxEntries?: number;
  /** Clock in milliseconds (tests move time without sleeping). */
  now?: () => number;
}

export interface MemoryCacheStats extends CacheStats {
  /** Entries dropped to stay within `maxEntries`. */
  evictions: number;
  /** Entries found expired on read. */
  expired: number;
  /** Entries held now (expired ones not yet read or evicted included). */
  entries: number;
}

interface Entry {
  value: unknown;
  /** Epoch milliseconds, or Infinity for no expiry. */
  expiresAt: number;
}

export const DEFAULT_MAX_ENTRIES = 10_000;

export class MemoryCache implements Cache {
  readonly #entries = new Map<string, Entry>();
  readonly #maxEntries: number;
  readonly #now: () => number;
  #hits = 0;
  #misses = 0;
  #sets = 0;
  #evictions = 0;
  #expired = 0;

  constructor(options: MemoryCacheOptions = {}) {
    const maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
    if (!Number.isInteger(maxEntries) || maxEntries < 1) {
      throw new RangeError(`maxEntries must be a positive integer, got ${maxEntries}`);
    }
    this.#maxEntries = maxEntries;
    this.#now = options.now ?? Date.now;
  }

  async get<T>(key: string): Promise<T | undefined> {
    const entry = this.#entries.get(key);
    if (entry === undefined) {
      this.#misses++;
      return undefined;
    }
    this.#entries.delete(key);
    if (entry.expiresAt <= this.#now()) {
      this.#expired++;
      this.#misses++;
      return undefined;
    }
    // Re-inserting moves the key to the end of the Map's order: the most recently used.
    this.#entries.set(key, entry);
    this.#hits++;
    return entry.value as T;
  }

  /**
   * A TTL of 0 or less stores nothing (and drops what was there): the value is already expired. A value
   * JSON cannot hold is a TypeError.
   */
  async set<T>(key: string, value: T, ttlSeconds?: number): Promise<void> {
    // A JSON copy, frozen: readers get what Redis would give them and cannot change the cached value.
    const stored = deepFreeze(JSON.parse(toJson(value)));
    this.#entries.delete(key);
    if (ttlSeconds !== undefined && !(ttlSeconds > 0)) return;
    const expiresAt = ttlSeconds === undefined ? Infinity : this.#now() + ttlSeconds * 1000;
    this.#entries.set(key, { value: stored, expiresAt });
    this.#sets++;
    while (this.#entries.size > this.#maxEntries) {
      const oldest = this.#entries.keys().next().value as string;
      this.#entries.delete(oldest);
      this.#evictions++;
    }
  }

  stats(): MemoryCacheStats {
    return {
      hits: this.#hits,
      misses: this.#misses,
      sets: this.#sets,
      evictions: this.#evictions,
      expired: this.#expired,
      entries: this.#entries.size,
    };
  }
}

function deepFreeze(value: unknown): unknown {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
