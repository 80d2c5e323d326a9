// The app with its dependencies built from the environment: what the launcher (main.ts, `npm start`)
// runs, and what `probot run ./dist/app/index.js` would load. Without APP_ID and a private key probot
// never calls this and serves its setup (manifest) flow instead. probot itself reads APP_ID, PRIVATE_KEY(_PATH), WEBHOOK_SECRET, GHE_HOST/GHE_PROTOCOL
// (the API base URL: `${GHE_PROTOCOL}://${GHE_HOST}/api/v3`), HOST, PORT, LOG_LEVEL and REDIS_URL (which
// also clusters its request throttling); nothing here names github.com.

import type { Redis } from 'ioredis';
import type { ApplicationFunction } from 'probot';
import { collectDefaultMetrics } from 'prom-client';
import { createProducerConnection, queueSettingsFromEnv } from '../queue/connection.js';
import { BullEnqueuer, createQueues } from '../queue/queues.js';
import type { Enqueuer } from '../queue/types.js';
import { createApp, DEFAULT_MENTION } from './app.js';
import { createRedisDedupe } from './dedupe.js';
import { createAppMetrics } from './metrics.js';

const READY_TIMEOUT_MS = 2_000;

/** Builds the enqueuer on the app's Redis connection and BullMQ prefix. */
export type EnqueuerFactory = (connection: Redis, prefix: string) => Enqueuer;

/** Production: src/queue's BullMQ queues (their dedup keeps one waiting job per repository). */
export const bullEnqueuer: EnqueuerFactory = (connection, prefix) =>
  new BullEnqueuer(createQueues({ connection, prefix }));

/**
 * Reads REDIS_URL and DOCKHAND_QUEUE_PREFIX (as the workers do) and DOCKHAND_MENTION. The producer
 * connection fails fast while Redis is down, so a delivery is counted as an error at once (and /readyz
 * says 503) rather than hanging.
 */
export function appFromEnv(
  createEnqueuer: EnqueuerFactory = bullEnqueuer,
  env: NodeJS.ProcessEnv = process.env,
): ApplicationFunction {
  return (app, options) => {
    const { url, prefix } = queueSettingsFromEnv(env);
    const redis = createProducerConnection(url, (message) => app.log.warn(message));
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

export default appFromEnv();
