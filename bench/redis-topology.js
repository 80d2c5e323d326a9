// The crawl on each Redis topology Dockhand supports, same machine, same run: one redis-server
// (standalone), a three-master Redis Cluster (seeded with a node that does not serve the prefix's slot)
// and Sentinel (one primary, one replica, three sentinels). Each crawls the same org (built as in
// bench/crawl.js) once, cold, with real `dockhand worker` processes against a fresh fake GitHub (latency on
// every answer) and a real registry as Docker Hub's mirror. Prints repos/min and the Redis commands per
// repository, from `INFO commandstats` deltas on the data nodes (Cluster: all masters; Sentinel: the
// primary), less what the benchmark's own progress polls cost. Asserts nothing but that every job
// succeeded.
//
// Env: BENCH_TOPOLOGY_REPOS (50), BENCH_TOPOLOGY_WORKERS (2), BENCH_TOPOLOGY_LATENCY_MS (30),
// BENCH_TOPOLOGY_CONCURRENCY (jobs per worker, 4); the files come from `node bench/redis-topology.js DIR`,
// BENCH_CORPUS_DIR or DOCKHAND_CORPUS, else the project's fixture tree.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout } from 'node:timers';
import { fileURLToPath } from 'node:url';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { createWorkerConnection, queueSettingsFromEnv } from '../dist/queue/connection.js';
import { QUEUE_NAMES } from '../dist/queue/queues.js';
import { latestResults } from '../dist/results/store.js';
import { buildOrg, IMAGES } from './support/crawl-fixture.js';
import { compileTestSupport, startCountingProxy, startWorkerProcess } from './support/crawl-services.js';
import { benchDir } from './support/data-dir.js';
import { startRedis } from './support/redis.js';
import { callsBetween, commandCalls, compileRedisStarters } from './support/redis-topologies.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const { dir: corpus } = benchDir('redis-topology', import.meta.url, 'BENCH_CORPUS_DIR');
const REPOS = Number(process.env.BENCH_TOPOLOGY_REPOS ?? 50);
const WORKERS = Number(process.env.BENCH_TOPOLOGY_WORKERS ?? 2);
const LATENCY_MS = Number(process.env.BENCH_TOPOLOGY_LATENCY_MS ?? 30);
const CONCURRENCY = Number(process.env.BENCH_TOPOLOGY_CONCURRENCY ?? 4);
const INSTALLATION = 7101;
const OWNER = 'acme';
const POLL_MS = 200;

const PRIVATE_KEY = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
}).privateKey;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const hex = () => randomBytes(4).toString('hex');

/** `{ name, env, prefix, counted, stop }`: the workers' Redis variables and the servers to count on. */
async function standalone() {
  const redis = await startRedis();
  const client = new Redis(redis.url);
  return {
    name: 'standalone',
    env: { REDIS_URL: redis.url },
    prefix: `${redis.prefix}topology`,
    counted: [client],
    stop: async () => {
      client.disconnect();
      await redis.stop();
    },
  };
}

async function cluster(starters) {
  const started = await starters.startRedisCluster();
  const prefix = `{dockhand-bench-${hex()}}`;
  return {
    name: 'cluster',
    env: {
      DOCKHAND_REDIS_MODE: 'cluster',
      DOCKHAND_REDIS_NODES: started.seeds([await started.notOwner(prefix)]),
    },
    prefix,
    counted: started.nodes.map((node) => started.node(node)),
    stop: () => started.stop(),
  };
}

async function sentinel(starters) {
  const started = await starters.startRedisSentinel();
  return {
    name: 'sentinel',
    env: {
      DOCKHAND_REDIS_MODE: 'sentinel',
      DOCKHAND_REDIS_SENTINELS: started.sentinelList,
      DOCKHAND_REDIS_MASTER_NAME: started.masterName,
    },
    prefix: `dockhand-bench-${hex()}`,
    counted: [started.node(await started.primary())],
    stop: () => started.stop(),
  };
}

const counts = (topology) => Promise.all(topology.counted.map(commandCalls));
const total = (calls) => [...calls.values()].reduce((sum, n) => sum + n, 0);

/** Repository and crawl jobs that finished, one command each (what the progress poll costs is measured). */
async function finished(queues) {
  const [crawl, repo] = await Promise.all(queues.map((queue) => queue.getJobCounts('completed', 'failed')));
  return { crawl: crawl.completed + crawl.failed, repo: repo.completed + repo.failed };
}

async function crawlOn(topology, { startFakeGitHub, proxy, org }) {
  const gh = await startFakeGitHub({ latencyMs: LATENCY_MS });
  const operatorDir = await mkdtemp(join(tmpdir(), 'dockhand-bench-operator-'));
  const children = [];
  let connection;
  let queues = [];
  try {
    gh.state.createRepo(OWNER, '.github', { files: { 'dockhand.yml': 'failureThreshold: error\n' } });
    for (const repo of org.repositories) gh.state.createRepo(OWNER, repo.name, { files: repo.files });
    gh.state.addInstallation({ id: INSTALLATION, account: OWNER });
    const operatorConfig = join(operatorDir, 'operator.yml');
    await writeFile(operatorConfig, `registries:\n  - host: docker.io\n    mirror: ${proxy.url}\n`);
    const env = {
      PATH: process.env.PATH,
      ...topology.env,
      DOCKHAND_QUEUE_PREFIX: topology.prefix,
      APP_ID: '1',
      PRIVATE_KEY,
      GHE_HOST: gh.host,
      GHE_PROTOCOL: 'http',
      LOG_LEVEL: 'info',
      DOCKHAND_CONCURRENCY: String(CONCURRENCY),
      DOCKHAND_INSTALLATION_CONCURRENCY: String(WORKERS * CONCURRENCY + 1),
      DOCKHAND_WRITE_SPACING_MS: '0',
      DOCKHAND_OPERATOR_CONFIG: operatorConfig,
    };
    children.push(
      ...(await Promise.all(Array.from({ length: WORKERS }, () => startWorkerProcess(root, env)))),
    );
    connection = createWorkerConnection(queueSettingsFromEnv(env).redis);
    queues = [QUEUE_NAMES.crawl, QUEUE_NAMES.repo].map(
      (name) => new Queue(name, { connection, prefix: topology.prefix }),
    );
    // What one progress poll costs on the servers, so that it can be taken out of the figures.
    await finished(queues);
    const idle = await counts(topology);
    await finished(queues);
    const pollCost = total(callsBetween(idle, await counts(topology)));

    const expected = org.repositories.length + 1; // and the org's .github
    const before = await counts(topology);
    const t0 = performance.now();
    await queues[0].add(QUEUE_NAMES.crawl, { installationId: INSTALLATION, reason: 'schedule' });
    let polls = 0;
    for (;;) {
      polls++;
      const done = await finished(queues);
      if (done.crawl >= 1 && done.repo >= expected) break;
      if (performance.now() - t0 > 10 * 60_000) throw new Error(`${topology.name}: the crawl did not finish`);
      await sleep(POLL_MS);
    }
    const seconds = (performance.now() - t0) / 1000;
    const calls = callsBetween(before, await counts(topology));
    const results = await latestResults(connection, topology.prefix, INSTALLATION);
    return {
      name: topology.name,
      seconds,
      jobs: results.length,
      failed: results.filter((result) => result.outcome === 'failed').length,
      commands: total(calls) - polls * pollCost - 1, // the crawl job's own add
      top: [...calls].sort((a, b) => b[1] - a[1]).slice(0, 4),
      polls,
      pollCost,
    };
  } catch (error) {
    for (const child of children) console.error(child.output().slice(-2000));
    throw error;
  } finally {
    await Promise.all(children.map((child) => child.stop()));
    await Promise.all(queues.map((queue) => queue.close()));
    connection?.disconnect();
    await gh.stop();
    await rm(operatorDir, { recursive: true, force: true });
  }
}

const pad = (value, width) => String(value).padStart(width);

let registry;
let proxy;
try {
  const t0 = performance.now();
  const org = buildOrg(corpus, REPOS);
  const [support, starters] = await Promise.all([compileTestSupport(root), compileRedisStarters(root)]);
  registry = await support.startRegistry();
  for (const [name, tags] of Object.entries(IMAGES)) {
    for (const [i, tag] of tags.entries()) {
      const created = new Date(Date.UTC(2025, i * 3, 10)).toISOString();
      await registry.push(`library/${name}`, tag, { images: [{ created }] });
    }
  }
  proxy = await startCountingProxy(registry.url);
  console.log(
    `org: ${REPOS} repositories + the org's .github, from ${org.counts.usable} usable files of ${corpus}; ` +
      `${WORKERS} \`dockhand worker\` processes, concurrency ${CONCURRENCY} each; fake GitHub with ` +
      `${LATENCY_MS} ms latency per request; docker-registry as Docker Hub's mirror; ` +
      `${availableParallelism()} CPU cores (setup ${((performance.now() - t0) / 1000).toFixed(1)} s)`,
  );
  console.log('');
  console.log('topology      wall   repos/min  jobs  failed  Redis commands/repo  most run (per repository)');
  const rows = [];
  for (const start of [standalone, cluster, sentinel]) {
    const topology = await start(starters);
    let row;
    try {
      row = await crawlOn(topology, { startFakeGitHub: support.startFakeGitHub, proxy, org });
    } finally {
      await topology.stop();
    }
    rows.push(row);
    const perRepo = (n) => (n / row.jobs).toFixed(1);
    console.log(
      `${row.name.padEnd(10)}  ${pad(row.seconds.toFixed(1), 6)} s  ${pad(Math.round(row.jobs / (row.seconds / 60)), 9)}  ` +
        `${pad(row.jobs, 4)}  ${pad(row.failed, 6)}  ${pad(perRepo(row.commands), 19)}  ` +
        row.top.map(([command, calls]) => `${perRepo(calls)} ${command}`).join(', '),
    );
  }
  console.log('');
  console.log(
    'Redis commands: INFO commandstats deltas over the crawl on one server (standalone), every master ' +
      '(cluster: the slot-refresh commands of each client included) or the primary (sentinel: the replica ' +
      "applies the same writes, the sentinels' own traffic is not counted), less the benchmark's progress " +
      `polls (${rows.map((row) => `${row.name} ${row.polls} × ${row.pollCost}`).join(', ')} commands); ` +
      '"per repository" divides by the repository jobs (the crawl job included in the totals). ' +
      'Cluster and Sentinel run on loopback like the standalone server: the figures compare client ' +
      'behaviour, not network hops.',
  );
  const failures = rows.reduce((n, row) => n + row.failed, 0);
  if (failures > 0) throw new Error(`${failures} repository jobs failed`);
} finally {
  const stops = [proxy?.stop(), registry?.stop()];
  for (const result of await Promise.allSettled(stops)) {
    if (result.status === 'rejected')
      console.error(`bench/redis-topology: cleanup: ${result.reason?.message}`);
  }
}
