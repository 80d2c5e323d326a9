// The app with its dependencies built from the environment: what the launcher (main.ts, `dockhand serve`,
// `npm start`) runs. Without APP_ID and a private key probot never calls this and serves its setup
// (manifest) flow instead. probot itself reads APP_ID, PRIVATE_KEY(_PATH), WEBHOOK_SECRET,
// GHE_HOST/GHE_PROTOCOL (the API base URL: `${GHE_PROTOCOL}://${GHE_HOST}/api/v3`), HOST, PORT and
// LOG_LEVEL, but not REDIS_URL when started by main.ts (see probotEnvironment; `probot run` would hand it
// over); nothing here names github.com.

import type { ApplicationFunction } from 'probot';
import { collectDefaultMetrics } from 'prom-client';
import {
  createProducerConnection,
  createRequestConnection,
  primaryAnswers,
  queueSettingsFromEnv,
  type RedisClient,
} from '../queue/connection.js';
import { BullEnqueuer, createQueues, type DockhandQueues } from '../queue/queues.js';
import type { Enqueuer } from '../queue/types.js';
import { RedisReportStore } from '../report/store/redis.js';
import type { ReportStore } from '../report/store/types.js';
import { webSettingsFromEnv } from '../web/config.js';
import { webHandler } from '../web/routes.js';
import { RedisSessionStore } from '../web/session.js';
import { createApp } from './app.js';
import { DEFAULT_MENTION } from './commands.js';
import { createRedisDedupe } from './dedupe.js';
import { createAppMetrics } from './metrics.js';
import { depthQueues } from '../queue/metrics.js';

/** Builds the enqueuer on the app's queues (whose depth /metrics reports) and Redis connection. */
export type EnqueuerFactory = (queues: DockhandQueues, connection: RedisClient) => Enqueuer;

/** Production: src/queue's BullMQ enqueuer (its dedup keeps one waiting job per repository). */
export const bullEnqueuer: EnqueuerFactory = (queues) => new BullEnqueuer(queues);

/**
 * Builds the report store the dashboard (src/web) reads, on the app's Redis connection and prefix. Without
 * one the dashboard, its sign-in and the exports are not served.
 */
export type ReportStoreFactory = (connection: RedisClient, prefix: string) => ReportStore;

/** Production: the reports the workers keep in Redis (src/report/store/redis.ts). */
export const redisReportStore: ReportStoreFactory = (connection, prefix) =>
  new RedisReportStore(connection, prefix);

/**
 * Reads the Redis topology (DOCKHAND_REDIS_MODE, REDIS_URL or its nodes or sentinels; see
 * src/queue/redis-settings.ts) and DOCKHAND_QUEUE_PREFIX as the workers do, and DOCKHAND_MENTION. The
 * producer connection fails fast while Redis (on a Cluster: the prefix's slot's primary; with Sentinel:
 * the primary) is unreachable, so a delivery fails at once (and /readyz says 503) rather than hanging;
 * /metrics then still answers, without queue depth.
 */
export function appFromEnv(
  createEnqueuer: EnqueuerFactory = bullEnqueuer,
  env: NodeJS.ProcessEnv = process.env,
  createReportStore: ReportStoreFactory | null = redisReportStore,
): ApplicationFunction {
  return (app, options) => {
    const { redis: settings, prefix } = queueSettingsFromEnv(env);
    const warn = (message: string) => app.log.warn(message);
    const redis = createProducerConnection(settings, warn);
    // With a listener, the queues' connection errors go to the log rather than to the console.
    const queues = createQueues({ connection: redis, prefix, onError: warn });
    const metrics = createAppMetrics(undefined, depthQueues(queues));
    collectDefaultMetrics({ register: metrics.registry });
    const loaded = createApp({
      enqueuer: createEnqueuer(queues, redis),
      dedupe: createRedisDedupe(redis, { prefix: `${prefix}:delivery:` }),
      metrics,
      ready: () => primaryAnswers(redis, `${prefix}:ready`),
      mention: env.DOCKHAND_MENTION?.trim() || DEFAULT_MENTION,
    })(app, options);
    // The dashboard and the exports (src/web, docs/app.md#dashboard): same server, same Redis and prefix.
    if (createReportStore) {
      // A connection of its own: a dashboard request waits for it to connect, where a webhook's enqueue
      // must fail at once.
      const pages = createRequestConnection(settings, warn);
      options.addHandler(
        webHandler({
          settings: webSettingsFromEnv(env),
          reports: createReportStore(pages, prefix),
          sessions: new RedisSessionStore(pages, prefix),
          log: warn,
        }),
      );
    }
    return loaded;
  };
}

/**
 * The environment for probot's `run`: `env` as it is when read, without REDIS_URL. Given REDIS_URL,
 * probot 14 clusters its Octokit throttling through Bottleneck on that server: one more connection,
 * `b_*` keys outside DOCKHAND_QUEUE_PREFIX (so outside a `{dockhand}` Redis Cluster slot), and an ioredis
 * loaded through npx-import-light, which asks for 5.9.3, takes whatever ioredis resolves and, under npx
 * with none installed, downloads one. REDIS_URL stays our queues'. Read through rather than copied:
 * `run` first loads a `.env` file (the setup flow writes one) into process.env.
 */
export function probotEnvironment(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const hidden = (name: string | symbol) => name === 'REDIS_URL';
  return new Proxy(env, {
    get: (target, name) => (hidden(name) ? undefined : Reflect.get(target, name)),
    has: (target, name) => !hidden(name) && Reflect.has(target, name),
    ownKeys: (target) => Reflect.ownKeys(target).filter((name) => !hidden(name)),
    getOwnPropertyDescriptor: (target, name) =>
      hidden(name) ? undefined : Reflect.getOwnPropertyDescriptor(target, name),
  });
}

export default appFromEnv();
