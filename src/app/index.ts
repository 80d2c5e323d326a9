// The app as `probot run ./dist/app/index.js` (npm start) loads it: dependencies built from the
// environment. Without APP_ID and a private key probot never calls this and serves its setup (manifest)
// flow instead. probot itself reads APP_ID, PRIVATE_KEY(_PATH), WEBHOOK_SECRET, GHE_HOST/GHE_PROTOCOL
// (the API base URL: `${GHE_PROTOCOL}://${GHE_HOST}/api/v3`), HOST, PORT, LOG_LEVEL and REDIS_URL (which
// also clusters its request throttling); nothing here names github.com.

import { Redis } from 'ioredis';
import type { ApplicationFunction } from 'probot';
import { collectDefaultMetrics } from 'prom-client';
import type { Enqueuer } from '../queue/types.js';
import { createApp, DEFAULT_MENTION } from './app.js';
import { createRedisDedupe } from './dedupe.js';
import { createAppMetrics } from './metrics.js';

const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
const DEFAULT_PREFIX = 'dockhand';
const READY_TIMEOUT_MS = 2_000;

/** Builds the enqueuer on the app's Redis connection. */
export type EnqueuerFactory = (redis: Redis, prefix: string) => Enqueuer;

/**
 * Reads REDIS_URL, DOCKHAND_QUEUE_PREFIX and DOCKHAND_MENTION. The Redis connection fails fast while Redis
 * is down, so a webhook gets an error response (GitHub shows it, an operator can redeliver) rather than
 * hanging.
 */
export function appFromEnv(
  createEnqueuer: EnqueuerFactory,
  env: NodeJS.ProcessEnv = process.env,
): ApplicationFunction {
  return (app, options) => {
    const redis = new Redis(env.REDIS_URL?.trim() || DEFAULT_REDIS_URL, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 5_000,
    });
    // ioredis would print connection errors itself; ours go through the logger, without the URL.
    redis.on('error', (error: Error) => app.log.warn(`redis: ${error.message}`));
    const prefix = env.DOCKHAND_QUEUE_PREFIX?.trim() || DEFAULT_PREFIX;
    const metrics = createAppMetrics();
    collectDefaultMetrics({ register: metrics.registry });
    return createApp({
      enqueuer: createEnqueuer(redis, prefix),
      dedupe: createRedisDedupe(redis, { prefix: `${prefix}:delivery:` }),
      metrics,
      ready: () => redisAnswers(redis),
      mention: env.DOCKHAND_MENTION?.trim() || DEFAULT_MENTION,
    })(app, options);
  };
}

export async function redisAnswers(redis: Redis, timeoutMs = READY_TIMEOUT_MS): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
  try {
    return await Promise.race([redis.ping().then((reply) => reply === 'PONG'), timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/** Placeholder until src/queue's BullMQ enqueuer is wired here: every enqueue fails (the webhook gets a 500). */
export const queueNotWired: EnqueuerFactory = () => {
  const fail = () =>
    Promise.reject(new Error('no queue: the BullMQ enqueuer from src/queue is not wired yet'));
  return { enqueueRepo: fail, enqueueCrawl: fail };
};

export default appFromEnv(queueNotWired);
