// The app's cache: JSON values in Redis, shared by every worker, so an organisation asks a registry once
// per image. Redis is an accelerator, never a dependency: a failed or slow read is a miss, a failed write
// is skipped, and both are reported through `onError` instead of failing the scan.

import { Redis } from 'ioredis';
import { toJson } from './json.js';
import type { CacheStats } from './stats.js';
import type { Cache } from './types.js';

/** What the cache needs of a connection; an ioredis `Redis` or `Cluster` fits. */
export interface RedisCommands {
  get(key: string): Promise<string | null>;
  set(key: string, value: string): Promise<unknown>;
  set(key: string, value: string, mode: 'EX', seconds: number): Promise<unknown>;
  del(key: string): Promise<unknown>;
}

export type RedisCacheOperation = 'get' | 'set' | 'connection';

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
    set: (key: string, value: string, mode?: 'EX', seconds?: number) =>
      down
        ? unavailable()
        : mode === undefined || seconds === undefined
          ? client.set(key, value)
          : client.set(key, value, mode, seconds),
    del: (key) => (down ? unavailable() : client.del(key)),
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
