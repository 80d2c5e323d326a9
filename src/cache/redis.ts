// The app's cache: JSON values in Redis, shared by every worker, so an organisation asks a registry once
// per image. Redis is an accelerator, never a dependency: a failed or slow read is a miss, a failed write
// is skipped, and both are reported through `onError` instead of failing the scan. Leases on loading a key
// (`claim`) keep workers that miss the same key at once from each asking the registry.

import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { toJson } from './json.js';
import type { CacheStats } from './stats.js';
import type { Cache, ReleaseLease } from './types.js';

/** What the cache needs of a connection; an ioredis `Redis` or `Cluster` fits. */
export interface RedisCommands {
  get(key: string): Promise<string | null>;
  set(key: string, value: string): Promise<unknown>;
  set(key: string, value: string, mode: 'EX', seconds: number): Promise<unknown>;
  /** Resolves to null when the key exists (NX). */
  set(key: string, value: string, mode: 'PX', milliseconds: number, condition: 'NX'): Promise<unknown>;
  del(key: string): Promise<unknown>;
  eval(script: string, numKeys: number, ...keysAndArgs: string[]): Promise<unknown>;
}

export type RedisCacheOperation = 'get' | 'set' | 'claim' | 'release' | 'connection';

// Deletes the lease only while it is still ours: once it has expired, another process may hold it.
// One key only, so it runs on Redis Cluster whatever the prefix.
const RELEASE_SCRIPT = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0`;

export interface RedisCacheOptions {
  /**
   * Prepended to every key (default `dockhand:cache:`). Use a hash tag such as `{dockhand}:cache:` on Redis
   * Cluster. The prefix is ours rather than ioredis' `keyPrefix` because BullMQ shares connections.
   */
  prefix?: string;
  /** Told about every failure; the cache carries on either way. */
  onError?: (error: Error, operation: RedisCacheOperation) => void;
  /**
   * Longest wait for one read or write, in milliseconds (default 2,000). A connection made for BullMQ
   * workers queues commands for ever while Redis is down; the scan must not wait with it.
   */
  timeoutMs?: number;
}

export interface RedisCacheStats extends CacheStats {
  /** Reads and writes that failed or timed out (each also counted as a miss or a skipped write). */
  errors: number;
}

export const DEFAULT_PREFIX = 'dockhand:cache:';
export const DEFAULT_TIMEOUT_MS = 2_000;

export class RedisCache implements Cache {
  readonly #client: RedisCommands;
  readonly #prefix: string;
  readonly #timeoutMs: number;
  readonly #onError: ((error: Error, operation: RedisCacheOperation) => void) | undefined;
  #hits = 0;
  #misses = 0;
  #sets = 0;
  #errors = 0;

  /** `client` stays the caller's: the cache never connects, closes or reconfigures it. */
  constructor(client: RedisCommands, options: RedisCacheOptions = {}) {
    this.#client = client;
    this.#prefix = options.prefix ?? DEFAULT_PREFIX;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#onError = options.onError;
  }

  async get<T>(key: string): Promise<T | undefined> {
    let text: string | null;
    try {
      text = await this.#bounded(this.#client.get(this.#prefix + key));
    } catch (error) {
      this.#fail(error, 'get');
      this.#misses++;
      return undefined;
    }
    if (text === null) {
      this.#misses++;
      return undefined;
    }
    try {
      const value = JSON.parse(text) as T;
      this.#hits++;
      return value;
    } catch {
      // Not ours (or truncated): treat as absent; the next set overwrites it.
      this.#fail(new Error(`cache entry ${key} is not JSON`), 'get');
      this.#misses++;
      return undefined;
    }
  }

  /**
   * A TTL of 0 or less deletes the key: the value is already expired. Fractions round up to whole seconds.
   * A value JSON cannot hold is a TypeError (a programming error, unlike an outage).
   */
  async set<T>(key: string, value: T, ttlSeconds?: number): Promise<void> {
    const text = toJson(value);
    const fullKey = this.#prefix + key;
    try {
      if (ttlSeconds === undefined) {
        await this.#bounded(this.#client.set(fullKey, text));
      } else if (ttlSeconds > 0) {
        await this.#bounded(this.#client.set(fullKey, text, 'EX', Math.ceil(ttlSeconds)));
      } else {
        await this.#bounded(this.#client.del(fullKey));
        return;
      }
      this.#sets++;
    } catch (error) {
      this.#fail(error, 'set');
    }
  }

  /**
   * The lease on loading `key`: `SET <prefix>lock:<key> <random token> NX PX leaseMs`. Null while another
   * holds it. When Redis fails the lease is reported and granted (a no-op release): loading twice beats
   * not loading. The release deletes the lease only if it still carries our token.
   */
  async claim(key: string, leaseMs: number): Promise<ReleaseLease | null> {
    const lockKey = `${this.#prefix}lock:${key}`;
    const token = randomBytes(16).toString('hex');
    try {
      const reply = await this.#bounded(
        this.#client.set(lockKey, token, 'PX', Math.max(1, Math.ceil(leaseMs)), 'NX'),
      );
      if (reply === null) return null;
    } catch (error) {
      this.#fail(error, 'claim');
      return async () => undefined;
    }
    return async () => {
      try {
        await this.#bounded(this.#client.eval(RELEASE_SCRIPT, 1, lockKey, token));
      } catch (error) {
        // The lease expires on its own; until then other processes wait for a value, then load.
        this.#fail(error, 'release');
      }
    };
  }

  stats(): RedisCacheStats {
    return { hits: this.#hits, misses: this.#misses, sets: this.#sets, errors: this.#errors };
  }

  #fail(error: unknown, operation: RedisCacheOperation): void {
    this.#errors++;
    this.#onError?.(error instanceof Error ? error : new Error(String(error)), operation);
  }

  /** The command's result, or a rejection once `timeoutMs` has passed (the command itself may still run). */
  #bounded<T>(command: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`Redis did not answer within ${this.#timeoutMs} ms`)),
        this.#timeoutMs,
      );
    });
    // A late rejection after the timeout won must not surface as an unhandled rejection.
    command.catch(() => undefined);
    return Promise.race([command, timeout]).finally(() => clearTimeout(timer));
  }
}

export interface OwnedRedisCache extends RedisCache {
  /** Closes the connection `createRedisCache` opened. */
  close(): Promise<void>;
}

/**
 * A cache on a connection of its own, for the CLI's `--redis URL`. Once the connection has failed, reads
 * and writes fail at once (instead of each waiting for a reconnection) until it is back; the outage is
 * reported once as a `connection` error. The URL's password is removed from every message.
 */
export function createRedisCache(url: string, options: RedisCacheOptions = {}): OwnedRedisCache {
  const redact = redactor(url);
  const onError = options.onError;
  const client = new Redis(url, {
    maxRetriesPerRequest: 1,
    connectTimeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    retryStrategy: (times) => Math.min(times * 200, 2_000),
  });
  let down = false;
  client.on('ready', () => (down = false));
  // Without a listener ioredis prints every failed reconnection; one report per outage is enough.
  client.on('error', (error: Error) => {
    if (down) return;
    down = true;
    onError?.(redact(error), 'connection');
  });
  const unavailable = () => Promise.reject(new Error('Redis is unavailable'));
  const commands: RedisCommands = {
    get: (key) => (down ? unavailable() : client.get(key)),
    set: (key: string, value: string, ...options: (string | number)[]) =>
      down ? unavailable() : client.call('SET', key, value, ...options),
    del: (key) => (down ? unavailable() : client.del(key)),
    eval: (script, numKeys, ...keysAndArgs) =>
      down ? unavailable() : client.eval(script, numKeys, ...keysAndArgs),
  };
  const cache = new RedisCache(commands, {
    ...options,
    onError: onError && ((error, operation) => onError(redact(error), operation)),
  });
  return Object.assign(cache, {
    async close() {
      // quit() waits for pending replies; when Redis is gone it would wait for a reconnection instead.
      if (client.status === 'ready') await client.quit();
      else client.disconnect();
    },
  });
}

/** Removes the URL's password (as written and decoded) from error messages. */
function redactor(url: string): (error: Error) => Error {
  let secrets: string[] = [];
  try {
    const password = new URL(url).password;
    if (password) secrets = [...new Set([password, decodeURIComponent(password)])];
  } catch {
    // Not a URL ioredis could use either; it reports that itself.
  }
  return (error) => {
    const message = secrets.reduce((text, secret) => text.split(secret).join('***'), error.message);
    return message === error.message ? error : new Error(message);
  };
}
