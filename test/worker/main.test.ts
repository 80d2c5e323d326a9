// The worker process's wiring (src/worker/main.ts) in-process: credentials from the environment (a
// base64 key, a plain-HTTP GHES stand-in), a crawl job in, repository jobs run and their results
// recorded, the installation's schedule upserted, and a clean stop on SIGTERM.
import { EventEmitter } from 'node:events';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createQueues, BullEnqueuer } from '../../src/queue/queues.js';
import { listInstallationSchedules } from '../../src/queue/schedules.js';
import { latestResults } from '../../src/results/store.js';
import { runWorker, workerSettingsFromEnv } from '../../src/worker/main.js';
import { TEST_PRIVATE_KEY } from '../support/app-key.js';
import { startFakeGitHub, type FakeGitHub } from '../support/fake-github/index.js';
import { startQueueTestEnv, until, type QueueTestEnv } from '../queue/helpers.js';
import type { RepoPlatform } from '../../src/job/types.js';
import type { CreatePlatform } from '../../src/worker/processors.js';
import { readingJob, readingPlatform } from './doubles.js';

const privateKey = TEST_PRIVATE_KEY;

let env: QueueTestEnv;
let gh: FakeGitHub;

beforeAll(async () => {
  env = await startQueueTestEnv();
  gh = await startFakeGitHub();
});

afterAll(async () => {
  await gh.stop();
  await env.stop();
});

describe('dockhand worker', () => {
  it('runs a crawl and its repository jobs, records results, and stops cleanly on SIGTERM', async () => {
    gh.state.createRepo('acme', 'api', { files: { Dockerfile: 'FROM node:20\n' } });
    gh.state.createRepo('acme', 'web', { files: { Dockerfile: 'FROM nginx:1.27\n' } });
    gh.state.addInstallation({ id: 42, account: 'acme' });
    const signals = new EventEmitter();
    let stderr = '';
    const exited = runWorker(
      {
        stderr: { write: (text: string) => (stderr += text) },
        env: {
          APP_ID: '1',
          PRIVATE_KEY: Buffer.from(privateKey).toString('base64'),
          GHE_HOST: gh.host,
          GHE_PROTOCOL: 'http',
          REDIS_URL: env.redis.url,
          DOCKHAND_QUEUE_PREFIX: env.prefix,
          DOCKHAND_CONCURRENCY: '2',
          DOCKHAND_WRITE_SPACING_MS: '0',
          LOG_LEVEL: 'fatal',
        },
        signals: signals as unknown as NodeJS.Process,
      },
      { runRepositoryJob: readingJob, createPlatform: readingPlatform },
    );

    const producer = new Redis(env.redis.url, { maxRetriesPerRequest: null });
    const queues = createQueues({ connection: producer, prefix: env.prefix });
    try {
      await new BullEnqueuer(queues).enqueueCrawl({ installationId: 42, reason: 'installed' });
      const results = await until(async () => {
        const latest = await latestResults(producer, env.prefix, 42);
        return latest.length === 2 && latest;
      }, 'both repositories recorded');
      expect(results.map((result) => [result.repository, result.outcome, result.reason])).toEqual([
        ['acme/api', 'ok', 'crawl'],
        ['acme/web', 'ok', 'crawl'],
      ]);
      // The crawl schedules the installation after enqueuing its repositories: their jobs may finish first.
      const schedules = await until(async () => {
        const listed = await listInstallationSchedules(queues.crawl);
        return listed.length > 0 && listed;
      }, 'the installation scheduled');
      expect(schedules).toMatchObject([{ installationId: 42 }]);
      // Every GitHub request of the jobs was made with the installation's token, none with the JWT.
      expect(gh.calls.filter((call) => call.route === '/repos/:owner/:repo')).toHaveLength(2);
      expect(
        gh.calls
          .filter((call) => call.route === '/repos/:owner/:repo')
          .every((call) => call.installationId === 42),
      ).toBe(true);

      signals.emit('SIGTERM');
      expect(await exited).toBe(0);
      expect(stderr).toBe('');
    } finally {
      await queues.close();
      producer.disconnect();
    }
  });
});

describe('dockhand worker with the real repository job', () => {
  it('runs the job of a repository without images through the GitHub platform and records it', async () => {
    gh.state.createRepo('solo', 'docs', { files: { 'README.md': '# docs\n' } });
    gh.state.addInstallation({ id: 77, account: 'solo' });
    const signals = new EventEmitter();
    const prefix = `${env.prefix}:real`;
    const exited = runWorker({
      stderr: { write: () => true },
      env: {
        APP_ID: '1',
        PRIVATE_KEY: privateKey,
        GHE_HOST: gh.host,
        GHE_PROTOCOL: 'http',
        REDIS_URL: env.redis.url,
        DOCKHAND_QUEUE_PREFIX: prefix,
        DOCKHAND_WRITE_SPACING_MS: '0',
        LOG_LEVEL: 'fatal',
      },
      signals: signals as unknown as NodeJS.Process,
    });
    const producer = new Redis(env.redis.url, { maxRetriesPerRequest: null });
    const queues = createQueues({ connection: producer, prefix });
    try {
      await new BullEnqueuer(queues).enqueueRepo({
        installationId: 77,
        repository: 'solo/docs',
        reason: 'push',
      });
      const [result] = await until(async () => {
        const latest = await latestResults(producer, prefix, 77);
        return latest.length === 1 && latest;
      }, 'the repository recorded');
      expect(result).toMatchObject({ repository: 'solo/docs', reason: 'push', outcome: 'ok', deps: 0 });
      expect(result!.apiCalls.requests).toBeGreaterThan(0);
      signals.emit('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      await queues.close();
      producer.disconnect();
    }
  });
});

describe('workerSettingsFromEnv', () => {
  it('has defaults and reads the optional settings', () => {
    expect(workerSettingsFromEnv({})).toEqual({
      concurrency: 4,
      mention: '@dockhand',
      writeSpacingMs: 1_000,
      installationConcurrency: 4,
    });
    expect(
      workerSettingsFromEnv({
        DOCKHAND_CONCURRENCY: '8',
        DOCKHAND_MENTION: '@bot',
        DOCKHAND_STALLED_INTERVAL_MS: '500',
        DOCKHAND_LOCK_DURATION_MS: '1000',
        DOCKHAND_WRITE_SPACING_MS: '0',
        DOCKHAND_INSTALLATION_CONCURRENCY: '2',
        DOCKHAND_METRICS_PORT: '9464',
      }),
    ).toEqual({
      concurrency: 8,
      mention: '@bot',
      stalledInterval: 500,
      lockDuration: 1000,
      writeSpacingMs: 0,
      installationConcurrency: 2,
      metricsPort: 9464,
    });
  });

  it.each([
    ['DOCKHAND_CONCURRENCY', '0'],
    ['DOCKHAND_CONCURRENCY', '2.5'],
    ['DOCKHAND_STALLED_INTERVAL_MS', 'soon'],
    ['DOCKHAND_WRITE_SPACING_MS', '-1'],
  ])('rejects %s=%s', (name, value) => {
    expect(() => workerSettingsFromEnv({ [name]: value })).toThrow(name);
  });
});

describe('dockhand worker write spacing', () => {
  it('spaces an installation’s writes by DOCKHAND_WRITE_SPACING_MS, not by the 1 s default', async () => {
    gh.state.createRepo('spaced', 'app', { files: { Dockerfile: 'FROM node:20\n' } });
    gh.state.addInstallation({ id: 88, account: 'spaced' });
    const prefix = `${env.prefix}:spaced`;
    const spacing = 60;
    const writes: number[] = [];
    let ttlAfterLastWrite = Number.NaN;
    const producer = new Redis(env.redis.url, { maxRetriesPerRequest: null });
    // A job that only writes: four issue comments through the worker's (spaced) client.
    const writingPlatform: CreatePlatform = (options) => {
      const platform = readingPlatform(options);
      return {
        ...platform,
        getRepository: async () => {
          const repository = await platform.getRepository(); // the token is minted before the writes
          for (let i = 0; i < 4; i++) {
            await options.octokit.request('POST /repos/{owner}/{repo}/issues', {
              owner: 'spaced',
              repo: 'app',
              title: `write ${i}`,
            });
            writes.push(performance.now());
          }
          ttlAfterLastWrite = await producer.pttl(`${prefix}:politeness:88:write`);
          return repository;
        },
      } as RepoPlatform;
    };
    const signals = new EventEmitter();
    const exited = runWorker(
      {
        stderr: { write: () => true },
        env: {
          APP_ID: '1',
          PRIVATE_KEY: privateKey,
          GHE_HOST: gh.host,
          GHE_PROTOCOL: 'http',
          REDIS_URL: env.redis.url,
          DOCKHAND_QUEUE_PREFIX: prefix,
          DOCKHAND_WRITE_SPACING_MS: String(spacing),
          LOG_LEVEL: 'fatal',
        },
        signals: signals as unknown as NodeJS.Process,
      },
      { runRepositoryJob: readingJob, createPlatform: writingPlatform },
    );
    const queues = createQueues({ connection: producer, prefix });
    try {
      await new BullEnqueuer(queues).enqueueRepo({
        installationId: 88,
        repository: 'spaced/app',
        reason: 'push',
      });
      await until(async () => (await latestResults(producer, prefix, 88)).length === 1, 'the job recorded');
      // Each write waited for its slot: three gaps of at least the configured spacing (less the jitter of
      // the first and last round trip, measured after each answer).
      expect(writes.at(-1)! - writes[0]!).toBeGreaterThanOrEqual(3 * spacing - 20);
      // The slot the last write reserved is the configured gap long (the default would be 1000 ms).
      expect(ttlAfterLastWrite).toBeLessThanOrEqual(spacing);
      signals.emit('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      await queues.close();
      producer.disconnect();
    }
  });
});
