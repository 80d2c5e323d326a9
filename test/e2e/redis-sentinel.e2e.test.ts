// End to end through Redis Sentinel (one primary, one replica, three sentinels; passwords on the data
// nodes and on the sentinels): the webhook server and two workers read DOCKHAND_REDIS_MODE=sentinel. The
// primary is SIGKILLed while an installation's crawl is running; the sentinels promote the replica, and
// without anyone restarting anything the workers finish the crawl and the webhook server takes deliveries
// again. Deliveries sent during the failover window are answered 200 (enqueued) or 500 (redelivered
// afterwards, as GitHub's "Redeliver" would): no 200 loses its job, no job lost, no PR opened twice.
import { randomBytes, randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createWorkerConnection,
  queueSettingsFromEnv,
  type RedisClient,
} from '../../src/queue/connection.js';
import { QUEUE_NAMES } from '../../src/queue/queues.js';
import { latestResults } from '../../src/results/store.js';
import { until } from '../queue/helpers.js';
import { startFakeGitHub, type FakeGitHub } from '../support/fake-github/index.js';
import {
  settled,
  startAppServer,
  startInProcessWorker,
  workerBaseEnv,
  writeOperatorConfig,
  type AppServer,
  type InProcessWorker,
} from '../support/github-app.js';
import { startRedisSentinel, type TestRedisSentinel } from '../support/redis-sentinel.js';
import { startRegistry, type TestRegistry } from '../support/registry.js';
import { sendWebhook } from '../support/webhooks.js';

const SECRET = 'sentinel-e2e-secret';
/** The crawled installation and its repositories. */
const CRAWLED = { id: 6161, account: 'acme', repos: 20 };
/** Another installation whose repositories get one push delivery each during the failover. */
const PUSHED = { id: 6262, account: 'beta', repos: 40 };
const prefix = `dockhand-${randomBytes(4).toString('hex')}`;

let sentinel: TestRedisSentinel;
let registry: TestRegistry;
let gh: FakeGitHub;
let operatorConfig: Awaited<ReturnType<typeof writeOperatorConfig>>;
let app: AppServer;
let workers: InProcessWorker[] = [];
let connection: RedisClient;
let queues: Queue[];

const name = (n: number) => `svc-${String(n).padStart(2, '0')}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  [sentinel, registry, gh] = await Promise.all([
    startRedisSentinel({ password: 'data-nodes-pass', sentinelPassword: 'sentinels-pass' }),
    startRegistry(),
    startFakeGitHub(),
  ]);
  for (const [tag, created] of [
    ['20.1.0', '2025-01-10T00:00:00Z'],
    ['20.5.0', '2025-03-10T00:00:00Z'],
    ['22.3.0', '2025-05-10T00:00:00Z'],
  ] as const)
    await registry.push('library/node', tag, { images: [{ created }] });
  operatorConfig = await writeOperatorConfig(registry.url);
  for (let n = 0; n < CRAWLED.repos; n++)
    gh.state.createRepo(CRAWLED.account, name(n), { files: { Dockerfile: 'FROM node:20.1.0\nUSER node\n' } });
  for (let n = 0; n < PUSHED.repos; n++)
    gh.state.createRepo(PUSHED.account, name(n), { files: { Dockerfile: 'FROM node:22.3.0\nUSER node\n' } });
  gh.state.addInstallation({ id: CRAWLED.id, account: CRAWLED.account });
  gh.state.addInstallation({ id: PUSHED.id, account: PUSHED.account });

  const redisEnv = {
    DOCKHAND_REDIS_MODE: 'sentinel',
    DOCKHAND_REDIS_SENTINELS: sentinel.sentinelList,
    DOCKHAND_REDIS_MASTER_NAME: sentinel.masterName,
    REDIS_PASSWORD: sentinel.password,
    DOCKHAND_REDIS_SENTINEL_PASSWORD: sentinel.sentinelPassword,
    DOCKHAND_QUEUE_PREFIX: prefix,
  };
  connection = createWorkerConnection(queueSettingsFromEnv(redisEnv).redis);
  queues = [QUEUE_NAMES.crawl, QUEUE_NAMES.repo].map((queue) => new Queue(queue, { connection, prefix }));
  // The failover's connection errors are expected (BullMQ prints them without a listener).
  for (const queue of queues) queue.on('error', () => undefined);
  app = await startAppServer(redisEnv, { secret: SECRET, githubUrl: gh.url });
  const env: NodeJS.ProcessEnv = {
    ...workerBaseEnv({ githubHost: gh.host, operatorConfig: operatorConfig.path }),
    ...redisEnv,
    // The failover's connection errors are expected: kept out of the test's output.
    LOG_LEVEL: 'fatal',
    // Every job may run at once: no installation slot makes jobs wait (and return seconds later).
    DOCKHAND_INSTALLATION_CONCURRENCY: '10',
    // A job whose worker lost its lock during the failover is taken over within seconds, not 30 s; still
    // longer than a failover takes here, so that no job looks stalled because of it.
    DOCKHAND_LOCK_DURATION_MS: '10000',
    DOCKHAND_STALLED_INTERVAL_MS: '5000',
  };
  workers = [startInProcessWorker(env), startInProcessWorker(env)];
}, 120_000);

afterAll(async () => {
  expect(await Promise.all(workers.map((worker) => worker.stop()))).toEqual(workers.map(() => 0));
  await app?.stop();
  await Promise.all((queues ?? []).map((queue) => queue.close()));
  connection?.disconnect();
  await operatorConfig?.remove();
  await Promise.all([gh?.stop(), registry?.stop()]);
  await sentinel?.stop();
});

function push(n: number, deliveryId: string): Promise<number> {
  const repository = {
    full_name: `${PUSHED.account}/${name(n)}`,
    name: name(n),
    default_branch: 'main',
    owner: { login: PUSHED.account },
  };
  return sendWebhook(
    app.url,
    SECRET,
    'push',
    {
      ref: 'refs/heads/main',
      installation: { id: PUSHED.id },
      repository,
      sender: { login: 'octocat', type: 'User' },
      commits: [{ added: [], modified: ['Dockerfile'], removed: [] }],
    },
    { deliveryId },
  );
}

describe('the GitHub App through Redis Sentinel', () => {
  it('the primary killed mid-crawl: everyone reconnects to the promoted replica; no job lost, no PR twice, no 200 without its job', async () => {
    gh.setLatency(40);
    const installed = await sendWebhook(app.url, SECRET, 'installation', {
      action: 'created',
      installation: { id: CRAWLED.id },
      sender: { login: 'octocat', type: 'User' },
    });
    expect(installed).toBe(200);
    const crawledDone = async () => (await latestResults(connection, prefix, CRAWLED.id)).length;
    await until(async () => (await crawledDone()) >= 3, 'the crawl’s first repositories', 60_000);
    const doneAtKill = await crawledDone();
    const old = await sentinel.killPrimary();

    // The failover window, as GitHub and a load balancer see it: deliveries and readiness probes.
    const deliveries: { n: number; id: string; status: number }[] = [];
    const readiness: number[] = [];
    let promotedAt: number | undefined;
    const promotion = sentinel.promoted(old).then((node) => {
      promotedAt = deliveries.length;
      return node;
    });
    let next = 0;
    while (next < PUSHED.repos) {
      const id = randomUUID();
      const [status, ready] = await Promise.all([
        push(next, id),
        fetch(`${app.url}/readyz`).then((response) => response.status),
      ]);
      deliveries.push({ n: next++, id, status });
      readiness.push(ready);
      // Past the promotion, and the server has taken a few deliveries since: the window is over.
      if (
        promotedAt !== undefined &&
        deliveries.slice(promotedAt).filter((d) => d.status === 200).length >= 3
      )
        break;
      await sleep(100);
    }
    const promoted = await promotion;
    expect(promoted.port).not.toBe(old.port);
    // 200 (enqueued) or 500 (to be redelivered), nothing else; and some did meet the outage.
    expect(deliveries.filter((delivery) => delivery.status !== 200 && delivery.status !== 500)).toEqual([]);
    expect(deliveries.some((delivery) => delivery.status === 500)).toBe(true);
    // The window was real: readiness went away, and came back without a restart.
    expect(readiness).toContain(503);
    await until(async () => (await fetch(`${app.url}/readyz`)).status === 200, 'readiness to come back');

    // GitHub's "Redeliver" for every delivery answered 500, with its delivery id.
    for (const delivery of deliveries.filter((d) => d.status !== 200)) {
      // A claim that could not be given back while Redis was away turns it away (500) until it runs out.
      await until(
        async () => (await push(delivery.n, delivery.id)) === 200,
        `delivery ${delivery.n}`,
        90_000,
      );
    }
    await settled(queues, 90_000);

    // The crawl went on after the failover, and finished: every repository once, each PR once.
    expect(doneAtKill).toBeLessThan(CRAWLED.repos);
    const crawled = await latestResults(connection, prefix, CRAWLED.id);
    expect(crawled.map((result) => [result.repository, result.outcome])).toEqual(
      Array.from({ length: CRAWLED.repos }, (_, n) => [`${CRAWLED.account}/${name(n)}`, 'ok']),
    );
    for (let n = 0; n < CRAWLED.repos; n++) {
      const pulls = gh.state.pulls(CRAWLED.account, name(n));
      expect(pulls.map((pull) => pull.pull!.head).sort()).toEqual([
        'dockhand/node-20.x',
        'dockhand/node-22.x',
      ]);
    }
    // Every delivery, whether answered 200 in the window or redelivered after it, ran its job.
    const pushed = await latestResults(connection, prefix, PUSHED.id);
    expect(pushed.map((result) => [result.repository, result.reason, result.outcome])).toEqual(
      deliveries.map((delivery) => [`${PUSHED.account}/${name(delivery.n)}`, 'push', 'ok']),
    );
    for (const delivery of deliveries)
      expect(gh.state.pulls(PUSHED.account, name(delivery.n)).map((pull) => pull.pull!.head)).toEqual([
        'dockhand/pin-digests',
      ]);
    expect(await queues[1]!.getFailedCount()).toBe(0);
  }, 240_000);
});
