// End to end on a real three-master Redis Cluster (with a password): the webhook server and two workers
// read DOCKHAND_REDIS_MODE=cluster with one seed node, the one that does *not* serve the prefix's slot
// (a single-node client there gets MOVED: test/queue/cluster.test.ts). An installation is crawled, its
// repositories' jobs open their PRs, a redelivered push opens nothing twice, and every key lands on the
// slot's primary. GitHub is the fake GitHub, Docker Hub a real registry as its mirror (as in
// github-app.e2e.test.ts).
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
import { startRedisCluster, type TestRedisCluster } from '../support/redis-cluster.js';
import { startRegistry, type TestRegistry } from '../support/registry.js';
import { sendWebhook } from '../support/webhooks.js';

const SECRET = 'cluster-e2e-secret';
const PASSWORD = 'cluster-e2e-redis-pass';
const INSTALLATION = 5151;
const prefix = `{dockhand-${randomBytes(4).toString('hex')}}`;

let cluster: TestRedisCluster;
let registry: TestRegistry;
let gh: FakeGitHub;
let operatorConfig: Awaited<ReturnType<typeof writeOperatorConfig>>;
let redisEnv: NodeJS.ProcessEnv;
let app: AppServer;
let workers: InProcessWorker[] = [];
let connection: RedisClient;
let queues: Queue[];
const digests: Record<string, string> = {};

beforeAll(async () => {
  [cluster, registry, gh] = await Promise.all([
    startRedisCluster({ password: PASSWORD }),
    startRegistry(),
    startFakeGitHub(),
  ]);
  for (const [tag, created] of [
    ['20.1.0', '2025-01-10T00:00:00Z'],
    ['20.5.0', '2025-03-10T00:00:00Z'],
    ['22.3.0', '2025-05-10T00:00:00Z'],
  ] as const)
    digests[tag] = (await registry.push('library/node', tag, { images: [{ created }] })).digest;
  operatorConfig = await writeOperatorConfig(registry.url);
  gh.state.createRepo('acme', 'api', { files: { Dockerfile: 'FROM node:20.1.0\nUSER node\n' } });
  gh.state.createRepo('acme', 'web', { files: { Dockerfile: 'FROM node:22.3.0\nUSER node\n' } });
  gh.state.addInstallation({ id: INSTALLATION, account: 'acme' });

  redisEnv = {
    DOCKHAND_REDIS_MODE: 'cluster',
    DOCKHAND_REDIS_NODES: cluster.seeds([await cluster.notOwner(prefix)]),
    REDIS_PASSWORD: PASSWORD,
    DOCKHAND_QUEUE_PREFIX: prefix,
  };
  connection = createWorkerConnection(queueSettingsFromEnv(redisEnv).redis);
  queues = [QUEUE_NAMES.crawl, QUEUE_NAMES.repo].map((name) => new Queue(name, { connection, prefix }));
  app = await startAppServer(redisEnv, { secret: SECRET, githubUrl: gh.url });
  const env = { ...workerBaseEnv({ githubHost: gh.host, operatorConfig: operatorConfig.path }), ...redisEnv };
  workers = [startInProcessWorker(env), startInProcessWorker(env)];
}, 120_000);

afterAll(async () => {
  expect(await Promise.all(workers.map((worker) => worker.stop()))).toEqual(workers.map(() => 0));
  await app?.stop();
  await Promise.all((queues ?? []).map((queue) => queue.close()));
  connection?.disconnect();
  await operatorConfig?.remove();
  await Promise.all([gh?.stop(), registry?.stop()]);
  await cluster?.stop();
});

function deliver(event: string, payload: object, deliveryId?: string) {
  return sendWebhook(
    app.url,
    SECRET,
    event,
    { installation: { id: INSTALLATION }, ...payload },
    deliveryId ? { deliveryId } : {},
  );
}

const user = { login: 'octocat', type: 'User' };
const heads = (name: string) =>
  gh.state
    .pulls('acme', name)
    .filter((pull) => pull.state === 'open')
    .map((pull) => pull.pull!.head)
    .sort();

describe('the GitHub App on a Redis Cluster', () => {
  it('install → crawl → repository jobs → PRs, through a seed that does not serve the prefix’s slot', async () => {
    expect(await deliver('installation', { action: 'created', sender: user })).toBe(200);
    await settled(queues);
    expect(heads('api')).toEqual(['dockhand/node-20.x', 'dockhand/node-22.x']);
    expect(gh.state.file('acme', 'api', 'dockhand/node-20.x', 'Dockerfile')).toBe(
      `FROM node:20.5.0@${digests['20.5.0']}\nUSER node\n`,
    );
    expect(heads('web')).toEqual(['dockhand/pin-digests']);
    const results = await latestResults(connection, prefix, INSTALLATION);
    expect(results.map((result) => [result.repository, result.outcome])).toEqual([
      ['acme/api', 'ok'],
      ['acme/web', 'ok'],
    ]);
  });

  it('a push delivered twice opens nothing twice; every key is on the primary of the prefix’s slot', async () => {
    const deliveryId = randomUUID();
    const push = {
      ref: 'refs/heads/main',
      repository: { full_name: 'acme/api', name: 'api', default_branch: 'main', owner: { login: 'acme' } },
      sender: user,
      commits: [{ added: [], modified: ['Dockerfile'], removed: [] }],
    };
    expect(await deliver('push', push, deliveryId)).toBe(200);
    expect(await deliver('push', push, deliveryId)).toBe(200);
    await settled(queues);
    expect(gh.state.pulls('acme', 'api')).toHaveLength(2);

    const owner = await cluster.owner(prefix);
    const ownerKeys = await cluster.node(owner).keys('*');
    expect(ownerKeys.filter((key) => !key.startsWith(`${prefix}:`))).toEqual([]);
    expect(ownerKeys).toContain(`${prefix}:delivery:${deliveryId}`);
    for (const node of cluster.nodes.filter((node) => node.port !== owner.port))
      expect(await cluster.node(node).keys('*')).toEqual([]);
  });
});
