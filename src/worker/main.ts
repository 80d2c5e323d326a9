// `dockhand worker`: a queue worker process. Reads the Redis topology (DOCKHAND_REDIS_MODE, REDIS_URL or its
// nodes or sentinels: src/queue/redis-settings.ts), DOCKHAND_QUEUE_PREFIX, DOCKHAND_CONCURRENCY,
// DOCKHAND_MENTION and the app's credentials (APP_ID, PRIVATE_KEY or PRIVATE_KEY_PATH, GHE_HOST,
// GHE_PROTOCOL) as the webhook server does; runs until SIGTERM/SIGINT, then finishes its active jobs.
import { createServer, type Server } from 'node:http';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { RedisCache } from '../cache/redis.js';
import { ConfigError } from '../config/errors.js';
import { loadOperatorConfig, operatorSettings, type OperatorConfig } from '../config/operator.js';
import { runRepositoryJob } from '../job/run.js';
import { createGitHubPlatform } from '../platform/github/platform.js';
import { DEFAULT_MENTION } from '../app/commands.js';
import { readCommands } from '../queue/commands.js';
import {
  createWorkerConnection,
  describeRedis,
  queueSettingsFromEnv,
  RedisSettingsError,
} from '../queue/connection.js';
import { Politeness, POLITENESS_DEFAULTS } from '../queue/politeness.js';
import { BullEnqueuer, createQueues } from '../queue/queues.js';
import {
  removeInstallationSchedule,
  removeRollupSchedule,
  upsertInstallationSchedule,
  upsertRollupSchedule,
} from '../queue/schedules.js';
import { RedisReportStore } from '../report/store/redis.js';
import { installSignalHandlers, startWorker, type WorkerLogger } from '../queue/worker.js';
import { saveResult } from '../results/store.js';
import { githubAppFromEnv, MissingCredentialsError } from './auth.js';
import { createWorkerMetrics } from './metrics.js';
import { depthQueues } from '../queue/metrics.js';
import { politeOctokit } from './polite-octokit.js';
import { createProcessors, type CreatePlatform, type RunRepositoryJob } from './processors.js';

export interface WorkerSettings {
  concurrency: number;
  mention: string;
  stalledInterval?: number;
  lockDuration?: number;
  /** Gap between two writes of one installation across all workers (0: no spacing). */
  writeSpacingMs: number;
  /** Jobs running at once per installation across all workers. */
  installationConcurrency: number;
  /** Serve /metrics and /healthz on this port (off when absent). */
  metricsPort?: number;
}

/** A setting that cannot be used; the message names the variable. */
export class SettingsError extends Error {
  override readonly name = 'SettingsError';
}

export function workerSettingsFromEnv(env: NodeJS.ProcessEnv): WorkerSettings {
  const stalledInterval = integer(env, 'DOCKHAND_STALLED_INTERVAL_MS', 1);
  const lockDuration = integer(env, 'DOCKHAND_LOCK_DURATION_MS', 1);
  const metricsPort = integer(env, 'DOCKHAND_METRICS_PORT', 1);
  return {
    concurrency: integer(env, 'DOCKHAND_CONCURRENCY', 1) ?? 4,
    mention: env.DOCKHAND_MENTION?.trim() || DEFAULT_MENTION,
    writeSpacingMs: integer(env, 'DOCKHAND_WRITE_SPACING_MS', 0) ?? POLITENESS_DEFAULTS.writeSpacingMs,
    installationConcurrency:
      integer(env, 'DOCKHAND_INSTALLATION_CONCURRENCY', 1) ?? POLITENESS_DEFAULTS.maxConcurrent,
    ...(stalledInterval !== undefined ? { stalledInterval } : {}),
    ...(lockDuration !== undefined ? { lockDuration } : {}),
    ...(metricsPort !== undefined ? { metricsPort } : {}),
  };
}

function integer(env: NodeJS.ProcessEnv, name: string, min: number): number | undefined {
  const text = env[name]?.trim();
  if (!text) return undefined;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < min)
    throw new SettingsError(`${name} must be an integer of at least ${min} (got ${JSON.stringify(text)})`);
  return value;
}

export interface WorkerIo {
  stderr: { write(text: string): unknown };
  env: NodeJS.ProcessEnv;
  /** Stands in for `process` for the signal handlers. */
  signals?: Pick<NodeJS.Process, 'on' | 'removeListener'>;
  /** A second signal while closing exits at once; default process.exit. */
  exit?: (code: number) => void;
}

/** Stand-ins for tests; production uses src/job/run.ts and src/platform/github/platform.ts. */
export interface WorkerOverrides {
  runRepositoryJob?: RunRepositoryJob;
  createPlatform?: CreatePlatform;
}

/** Starts the worker; resolves with the exit code once it has shut down (or could not start). */
export async function runWorker(io: WorkerIo, overrides: WorkerOverrides = {}): Promise<number> {
  let settings: WorkerSettings;
  let queue: ReturnType<typeof queueSettingsFromEnv>;
  let app: ReturnType<typeof githubAppFromEnv>;
  let operatorConfig: OperatorConfig;
  try {
    settings = workerSettingsFromEnv(io.env);
    queue = queueSettingsFromEnv(io.env);
    // Spacing is done across workers below; Octokit's own per-process throttle would only add to it.
    app = githubAppFromEnv(io.env, { throttle: false });
    operatorConfig = await loadOperatorConfig(io.env.DOCKHAND_OPERATOR_CONFIG);
  } catch (error) {
    if (error instanceof ConfigError) {
      io.stderr.write(`dockhand worker: DOCKHAND_OPERATOR_CONFIG: invalid configuration\n${error.message}\n`);
      return 2;
    }
    if (
      error instanceof MissingCredentialsError ||
      error instanceof SettingsError ||
      error instanceof RedisSettingsError
    ) {
      io.stderr.write(`dockhand worker: ${(error as Error).message}\n`);
      return 2;
    }
    throw error;
  }
  const log: WorkerLogger = await app.log();
  const operator = operatorSettings(operatorConfig, io.env, (message) => log.warn({}, message));
  const { redis: redisSettings, prefix } = queue;
  const onRedisError = (message: string) => log.warn({}, message);
  // One connection for the workers' blocking commands, one for everything else.
  const workerConnection = createWorkerConnection(redisSettings, onRedisError);
  const redis = createWorkerConnection(redisSettings, onRedisError);
  const queues = createQueues({ connection: redis, prefix, onError: onRedisError });
  const politeness = new Politeness({
    redis,
    prefix,
    maxConcurrent: settings.installationConcurrency,
    writeSpacingMs: settings.writeSpacingMs,
  });
  const cache = new RedisCache(redis, {
    prefix: `${prefix}:cache:`,
    onError: (error, operation) => log.warn({ operation }, `cache ${operation}: ${error.message}`),
  });
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const metrics = createWorkerMetrics(registry, depthQueues(queues));

  const processors = createProcessors({
    octokitForInstallation: async (installationId) => {
      const octokit = await app.octokitForInstallation(installationId);
      return settings.writeSpacingMs > 0 ? politeOctokit(octokit, politeness, installationId) : octokit;
    },
    enqueuer: new BullEnqueuer(queues),
    // The nightly compliance rollup is kept beside each installation's crawl schedule.
    schedules: {
      upsert: async (installationId, schedule) => {
        await upsertInstallationSchedule(queues.crawl, installationId, schedule);
        await upsertRollupSchedule(queues.report, installationId);
      },
      remove: async (installationId) => {
        await removeRollupSchedule(queues.report, installationId);
        return removeInstallationSchedule(queues.crawl, installationId);
      },
    },
    githubCache: cache,
    registryCache: cache,
    operator,
    runRepositoryJob: overrides.runRepositoryJob ?? runRepositoryJob,
    commandInbox: (installationId, repository) => readCommands(redis, prefix, installationId, repository),
    createPlatform: overrides.createPlatform ?? createGitHubPlatform,
    saveResult: (result) => saveResult(redis, prefix, result),
    reports: new RedisReportStore(redis, prefix),
    mention: settings.mention,
    log,
    metrics,
    ...(io.env.DOCKHAND_BASE_URL?.trim() && { dashboardUrl: io.env.DOCKHAND_BASE_URL.trim() }),
  });
  const worker = startWorker({
    connection: workerConnection,
    prefix,
    concurrency: settings.concurrency,
    processors,
    politeness,
    logger: log,
    ...(settings.stalledInterval !== undefined ? { stalledInterval: settings.stalledInterval } : {}),
    ...(settings.lockDuration !== undefined ? { lockDuration: settings.lockDuration } : {}),
  });
  const server =
    settings.metricsPort === undefined ? undefined : serveMetrics(registry, settings.metricsPort);

  return new Promise<number>((resolve) => {
    installSignalHandlers(worker, {
      ...(io.signals ? { target: io.signals } : {}),
      onClosed: async (error) => {
        if (error) log.error({}, `worker did not close cleanly: ${(error as Error).message}`);
        await new Promise((done) => (server ? server.close(done) : done(undefined)));
        await queues.close().catch(() => undefined);
        workerConnection.disconnect();
        redis.disconnect();
        log.info({}, 'worker stopped');
        resolve(error ? 1 : 0);
      },
      onForce: () => {
        log.warn({}, 'second signal: exiting without waiting for active jobs');
        (io.exit ?? process.exit)(1);
      },
    });
    worker.waitUntilReady().then(
      () =>
        log.info(
          { concurrency: settings.concurrency, prefix },
          `worker ready on ${describeRedis(redisSettings)} (concurrency ${settings.concurrency})`,
        ),
      (error: Error) => log.error({}, `worker could not start: ${error.message}`),
    );
  });
}

/** /metrics (Prometheus) and /healthz on a port of their own: workers serve nothing else. */
function serveMetrics(registry: Registry, port: number): Server {
  const server = createServer((request, response) => {
    if (request.url === '/healthz') {
      response.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
      return;
    }
    if (request.url !== '/metrics') {
      response.writeHead(404).end();
      return;
    }
    registry.metrics().then(
      (text) => response.writeHead(200, { 'content-type': registry.contentType }).end(text),
      () => response.writeHead(500).end(),
    );
  });
  server.listen(port);
  return server;
}
