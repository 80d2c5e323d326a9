// Redis connections for BullMQ. Workers and producers need different ioredis settings: a worker's
// blocking commands must wait through reconnects, while a webhook handler should fail fast so that GitHub
// sees an error (and redelivers) instead of a request hanging on a Redis outage.

import { Redis, type RedisOptions } from 'ioredis';

export interface QueueSettings {
  /** `redis://[user:password@]host:port[/db]` or `rediss://…`. */
  url: string;
  /** BullMQ key prefix; `{dockhand}` keeps every key in one Redis Cluster hash slot. */
  prefix: string;
}

export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
export const DEFAULT_PREFIX = 'dockhand';

/** Reads `REDIS_URL` and `DOCKHAND_QUEUE_PREFIX`. */
export function queueSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): QueueSettings {
  const url = env.REDIS_URL?.trim() || DEFAULT_REDIS_URL;
  const prefix = env.DOCKHAND_QUEUE_PREFIX?.trim() || DEFAULT_PREFIX;
  // BullMQ joins prefix, queue name and key with ':'; a trailing one would give empty key segments.
  if (prefix.endsWith(':')) throw new Error(`DOCKHAND_QUEUE_PREFIX must not end with ':' (got ${prefix})`);
  return { url, prefix };
}

export type ErrorListener = (message: string) => void;

/** For `Worker`s: commands wait through reconnects (BullMQ refuses a worker connection without this). */
export function createWorkerConnection(url: string, onError?: ErrorListener): Redis {
  return connect(url, { maxRetriesPerRequest: null }, onError);
}

/** For `Queue`s that add jobs: commands fail at once while Redis is unreachable. */
export function createProducerConnection(url: string, onError?: ErrorListener): Redis {
  return connect(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 5_000 }, onError);
}

function connect(url: string, options: RedisOptions, onError: ErrorListener | undefined): Redis {
  // Never ioredis `keyPrefix`: BullMQ's Lua scripts build key names themselves and would miss it.
  const client = new Redis(url, options);
  // Without a listener ioredis prints every connection error itself; ours names the server without
  // its credentials.
  client.on('error', (error: Error) =>
    onError?.(`redis ${redactRedisUrl(url)}: ${redactSecret(error.message, url)}`),
  );
  return client;
}

/** The URL with its user and password replaced, for logs and error messages. */
export function redactRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    if (parsed.username) parsed.username = '***';
    return parsed.toString();
  } catch {
    return '<invalid redis url>';
  }
}

function redactSecret(message: string, url: string): string {
  let password: string;
  try {
    password = decodeURIComponent(new URL(url).password);
  } catch {
    return message;
  }
  return password ? message.split(password).join('***') : message;
}
