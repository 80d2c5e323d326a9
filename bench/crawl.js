// An org of repositories built from a tree of Dockerfiles, compose files and manifests (the real-world
// corpus, or the project's fixture tree; see Env), crawled through the queues by real `dockhand worker`
// processes (1, 2 and 4 of them) on a redis-server of our own, against the fake GitHub (GHES over plain HTTP,
// with latency added to every answer) and a real registry configured as Docker Hub's mirror in the
// operator's config (DOCKHAND_OPERATOR_CONFIG). Each worker count starts from a fresh fake GitHub and a fresh queue prefix (so cold
// GitHub and registry caches), crawls once, then crawls again with nothing changed. Prints repos/min, GitHub
// API calls per repository and registry requests. Asserts nothing but that every repository job succeeded.
//
// Also each worker's memory per crawl: its peak RSS during the crawl (VmHWM of /proc/<pid>/status, reset
// before each crawl) and its RSS once the queues are drained.
//
// Env: BENCH_CRAWL_REPOS (200), BENCH_CRAWL_LATENCY_MS (30), BENCH_CRAWL_WORKERS (1,2,4),
// BENCH_CRAWL_CONCURRENCY (jobs per worker, 4), BENCH_CRAWL_RECRAWLS (unchanged re-crawls after the third
// crawl, each printed with the workers' memory; 0), BENCH_CRAWL_HEAP_SNAPSHOTS (a directory: each worker
// writes a heap snapshot there after the third crawl and after the last one, to compare),
// BENCH_CRAWL_NODE_OPTIONS (node options for the workers; by default the image's NODE_OPTIONS from
// deploy/Dockerfile, so that the figures are the deployed workers'), REDIS_URL; the
// files come from `node bench/crawl.js DIR`, BENCH_CORPUS_DIR or DOCKHAND_CORPUS (the real-world corpus),
// else the project's fixture tree (support/data-dir.js).
/* global fetch -- Node's own */
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout } from 'node:timers';
import { fileURLToPath } from 'node:url';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { QUEUE_NAMES } from '../dist/queue/queues.js';
import { latestResults } from '../dist/results/store.js';
import { buildOrg, IMAGES } from './support/crawl-fixture.js';
import { compileTestSupport, startCountingProxy, startWorkerProcess } from './support/crawl-services.js';
import { benchDir } from './support/data-dir.js';
import { freePort } from './support/cleanup.js';
import { memoryOf, resetPeak } from './support/process-memory.js';
import { startRedis } from './support/redis.js';

const root = fileURLToPath(new URL('..', import.meta.url));
/** The heap sizing the image gives its processes (`ENV NODE_OPTIONS="…"` in deploy/Dockerfile). */
const IMAGE_NODE_OPTIONS =
  /^ENV NODE_OPTIONS="([^"]*)"$/m.exec(readFileSync(join(root, 'deploy/Dockerfile'), 'utf8'))?.[1] ?? '';
const { dir: corpus } = benchDir('crawl', import.meta.url, 'BENCH_CORPUS_DIR');
const REPOS = Number(process.env.BENCH_CRAWL_REPOS ?? 200);
const LATENCY_MS = Number(process.env.BENCH_CRAWL_LATENCY_MS ?? 30);
const WORKERS = (process.env.BENCH_CRAWL_WORKERS ?? '1,2,4').split(',').map(Number);
const CONCURRENCY = Number(process.env.BENCH_CRAWL_CONCURRENCY ?? 4);
const RECRAWLS = Number(process.env.BENCH_CRAWL_RECRAWLS ?? 0);
const SNAPSHOTS = process.env.BENCH_CRAWL_HEAP_SNAPSHOTS
  ? resolve(process.env.BENCH_CRAWL_HEAP_SNAPSHOTS)
  : undefined;
const INSTALLATION = 7001;
const OWNER = 'acme';

const PRIVATE_KEY = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
}).privateKey;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Until no job of either queue is waiting, active, prioritised or delayed (the scheduler's tick aside). */
async function drained(queues, timeoutMs = 10 * 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let pending = 0;
    for (const queue of queues) {
      const counts = await queue.getJobCounts('wait', 'active', 'prioritized', 'waiting-children');
      const delayed = (await queue.getDelayed()).filter((job) => !job.repeatJobKey).length;
      pending += delayed + Object.values(counts).reduce((a, b) => a + b, 0);
    }
    if (pending === 0) return;
    if (Date.now() > deadline) throw new Error(`queues not drained after ${timeoutMs} ms (${pending} jobs)`);
    await sleep(50);
  }
}

/** The GitHub calls of one crawl, split by whom they served. */
function summariseCalls(calls, repoNames) {
  const ours = new Set(repoNames.map((name) => `${OWNER}/${name}`.toLowerCase()));
  const split = { repos: 0, org: 0, installation: 0, notModified: 0, writes: 0, total: calls.length };
  for (const call of calls) {
    if (call.status === 304) split.notModified++;
    if (call.method !== 'GET') split.writes++;
    const repo = call.repo?.toLowerCase();
    if (repo && ours.has(repo)) split.repos++;
    else if (repo) split.org++;
    else split.installation++;
  }
  split.counted = calls.filter((call) => call.counted).length;
  const routes = new Map();
  for (const call of calls) {
    const status = call.status >= 200 && call.status < 300 ? '' : ` (${call.status})`;
    const key = `${call.method} ${call.route ?? call.path}${status}`;
    routes.set(key, (routes.get(key) ?? 0) + 1);
  }
  split.routes = [...routes].sort((a, b) => b[1] - a[1]);
  return split;
}

/**
 * Has each worker write a heap snapshot into SNAPSHOTS (`--heapsnapshot-signal`); resolves with their
 * paths once written (a snapshot is complete when the process answers again: writing blocks it).
 */
async function heapSnapshots(children, label) {
  const paths = [];
  for (const [index, child] of children.entries()) {
    const before = new Set(await readdir(SNAPSHOTS));
    process.kill(child.pid, 'SIGUSR2');
    let written;
    for (let waited = 0; !written && waited < 120_000; waited += 200) {
      await sleep(200);
      written = (await readdir(SNAPSHOTS)).find(
        (name) => name.endsWith('.heapsnapshot') && !before.has(name),
      );
    }
    if (!written) throw new Error(`worker ${index + 1} wrote no heap snapshot`);
    // V8 writes the file while the process is paused; a stable size twice in a row means it is done.
    let size = -1;
    for (;;) {
      await sleep(500);
      const now = (await stat(join(SNAPSHOTS, written))).size;
      if (now === size) break;
      size = now;
    }
    const path = join(SNAPSHOTS, `${label}-worker${index + 1}.heapsnapshot`);
    await rename(join(SNAPSHOTS, written), path);
    paths.push(path);
  }
  return paths;
}

async function crawlOnce({ gh, proxy, queues, connection, prefix, repoNames, children }) {
  // A peak of each worker's own for this crawl.
  for (const child of children) resetPeak(child.pid);
  const since = gh.calls.length;
  const failedBefore = await queues[1].getFailedCount();
  proxy.reset();
  const startedAt = Date.now();
  const t0 = performance.now();
  await queues[0].add(QUEUE_NAMES.crawl, { installationId: INSTALLATION, reason: 'schedule' });
  await drained(queues);
  const seconds = (performance.now() - t0) / 1000;
  // The latest result of each repository, if this crawl wrote it.
  const results = (await latestResults(connection, prefix, INSTALLATION)).filter(
    (result) => Date.parse(result.startedAt) >= startedAt,
  );
  const failed = (await queues[1].getFailedCount()) - failedBefore;
  const sum = (pick) => results.reduce((total, result) => total + pick(result), 0);
  return {
    seconds,
    jobs: results.length,
    failed: failed + results.filter((result) => result.outcome === 'failed').length,
    calls: summariseCalls(gh.calls.slice(since), repoNames),
    reported: {
      requests: sum((r) => r.apiCalls.requests),
      notModified: sum((r) => r.apiCalls.notModified),
    },
    prsOpened: sum((r) => r.pullRequests.opened.length),
    registryReported: sum((r) => r.registryRequests),
    registry: proxy.counts(),
    memory: await Promise.all(
      children.map(async (child) => ({ ...memoryOf(child.pid), heap: await heapOf(child.metricsPort) })),
    ),
  };
}

/** The V8 heap (used, total) and memory outside it (external), in MiB, from a worker's /metrics. */
async function heapOf(port) {
  const text = await fetch(`http://127.0.0.1:${port}/metrics`).then(
    (response) => response.text(),
    () => '',
  );
  const mib = (name) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN) / 1048576;
  const space = (name) => mib(`nodejs_heap_space_size_total_bytes\\{space="${name}"\\}`);
  return {
    used: mib('nodejs_heap_size_used_bytes'),
    total: mib('nodejs_heap_size_total_bytes'),
    young: space('new'),
    old: space('old'),
    external: mib('nodejs_external_memory_bytes'),
  };
}

async function runWith(run, workers, setup) {
  const { startFakeGitHub, redis, proxy, org } = setup;
  const gh = await startFakeGitHub({ latencyMs: LATENCY_MS });
  // A prefix of its own per run: cold GitHub ETag and registry caches, no jobs of an earlier run.
  const prefix = `${redis.prefix}run${run}-w${workers}`;
  const connection = new Redis(redis.url, { maxRetriesPerRequest: null });
  const queues = [QUEUE_NAMES.crawl, QUEUE_NAMES.repo].map((name) => new Queue(name, { connection, prefix }));
  const children = [];
  const cleanups = [];
  try {
    // The org defaults are read on every run, as in any org that has them.
    gh.state.createRepo(OWNER, '.github', { files: { 'dockhand.yml': 'failureThreshold: error\n' } });
    const operatorDir = await mkdtemp(join(tmpdir(), 'dockhand-bench-operator-'));
    cleanups.push(() => rm(operatorDir, { recursive: true, force: true }));
    const operatorConfig = join(operatorDir, 'operator.yml');
    await writeFile(operatorConfig, `registries:\n  - host: docker.io\n    mirror: ${proxy.url}\n`);
    for (const repo of org.repositories) gh.state.createRepo(OWNER, repo.name, { files: repo.files });
    gh.state.addInstallation({ id: INSTALLATION, account: OWNER });
    const env = {
      PATH: process.env.PATH,
      REDIS_URL: redis.url,
      DOCKHAND_QUEUE_PREFIX: prefix,
      APP_ID: '1',
      PRIVATE_KEY,
      GHE_HOST: gh.host,
      GHE_PROTOCOL: 'http',
      LOG_LEVEL: 'info',
      DOCKHAND_CONCURRENCY: String(CONCURRENCY),
      // Politeness caps one installation's jobs across all workers (default 4, the crawl job included):
      // lifted to what the workers can run, so that they can scale.
      DOCKHAND_INSTALLATION_CONCURRENCY: String(workers * CONCURRENCY + 1),
      DOCKHAND_WRITE_SPACING_MS: '0',
      DOCKHAND_OPERATOR_CONFIG: operatorConfig,
      NODE_OPTIONS: [
        process.env.BENCH_CRAWL_NODE_OPTIONS ?? IMAGE_NODE_OPTIONS,
        SNAPSHOTS ? `--heapsnapshot-signal=SIGUSR2 --diagnostic-dir=${SNAPSHOTS}` : '',
      ].join(' '),
    };
    // Each worker serves /metrics on a port of its own: its heap figures after each crawl.
    const started = await Promise.all(
      Array.from({ length: workers }, async () => {
        const metricsPort = await freePort();
        const child = await startWorkerProcess(root, { ...env, DOCKHAND_METRICS_PORT: String(metricsPort) });
        return { ...child, metricsPort };
      }),
    );
    children.push(...started);
    const repoNames = org.repositories.map((r) => r.name);
    const context = { gh, proxy, queues, connection, prefix, repoNames, children };
    const first = await crawlOnce(context);
    // The first crawl's own pushes (branches, PRs, dashboards) change what the second one reads; from the
    // third on, an unchanged organisation is what is measured.
    const again = await crawlOnce(context);
    const steady = await crawlOnce(context);
    const snapshots = SNAPSHOTS ? await heapSnapshots(children, `w${workers}-third`) : [];
    const recrawls = [];
    for (let i = 0; i < RECRAWLS; i++) recrawls.push(await crawlOnce(context));
    if (SNAPSHOTS && RECRAWLS > 0)
      snapshots.push(...(await heapSnapshots(children, `w${workers}-recrawl${RECRAWLS}`)));
    const pulls = org.repositories.reduce((n, repo) => n + gh.state.pulls(OWNER, repo.name).length, 0);
    return { workers, first, again, steady, recrawls, snapshots, pulls };
  } catch (error) {
    for (const child of children) console.error(child.output().slice(-2000));
    throw error;
  } finally {
    await Promise.all(children.map((child) => child.stop()));
    await Promise.all(queues.map((queue) => queue.close()));
    connection.disconnect();
    await gh.stop();
    for (const cleanup of cleanups) await cleanup();
  }
}

const pad = (value, width) => String(value).padStart(width);
const perRepo = (n) => (n / REPOS).toFixed(1);
const memoryLine = (memory) =>
  memory
    .map(
      (m) =>
        `${m.peak?.toFixed(0) ?? '?'}/${m.rss?.toFixed(0) ?? '?'} ` +
        `(heap ${m.heap.used.toFixed(0)}/${m.heap.total.toFixed(0)}: new ${m.heap.young.toFixed(0)}, ` +
        `old ${m.heap.old.toFixed(0)}; ext ${m.heap.external.toFixed(0)})`,
    )
    .join(', ');
const registryLine = (counts) => {
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  const kinds = Object.entries(counts)
    .sort()
    .map(([kind, n]) => `${n} ${kind}`)
    .join(', ');
  return `${total}${kinds ? ` (${kinds})` : ''}`;
};

let redis;
let registry;
let proxy;
try {
  const t0 = performance.now();
  const org = buildOrg(corpus, REPOS);
  const [support, startedRedis] = await Promise.all([compileTestSupport(root), startRedis()]);
  redis = startedRedis;
  registry = await support.startRegistry();
  for (const [name, tags] of Object.entries(IMAGES)) {
    for (const [i, tag] of tags.entries()) {
      const created = new Date(Date.UTC(2025, i * 3, 10)).toISOString();
      await registry.push(`library/${name}`, tag, { images: [{ created }] });
    }
  }
  proxy = await startCountingProxy(registry.url);
  const images = Object.entries(IMAGES)
    .map(([name, tags]) => `${name} ${tags.join('/')}`)
    .join(', ');
  console.log(
    `org: ${REPOS} repositories + the org's .github, from ${org.counts.usable} usable files of ${corpus}: ` +
      `${org.counts.dockerfile} Dockerfiles, ${org.counts.compose} compose files, ${org.counts.kubernetes} ` +
      `Kubernetes manifests (images rewritten to the registry's ${images})`,
  );
  console.log(
    `setup: fake GitHub (GHES over HTTP) with ${LATENCY_MS} ms latency per request; docker-registry as ` +
      `Docker Hub's mirror behind a counting proxy; redis-server; workers are \`dockhand worker\` child ` +
      `processes, concurrency ${CONCURRENCY} each, per-installation cap workers × ${CONCURRENCY} + 1 (default 4), writes unspaced; ` +
      `NODE_OPTIONS "${process.env.BENCH_CRAWL_NODE_OPTIONS ?? IMAGE_NODE_OPTIONS}"; ${availableParallelism()} CPU cores ` +
      `(setup ${((performance.now() - t0) / 1000).toFixed(1)} s)`,
  );
  const setup = { startFakeGitHub: support.startFakeGitHub, redis, proxy, org };
  console.log('');
  console.log(
    'workers  crawl      wall   repos/min  jobs  failed  PRs   API calls/repo  (repo + org config + app)  304s/repo  writes/repo  worker RSS MiB: peak/after (heap used/total: new, old space; external)  registry requests',
  );
  const rows = [];
  // Rows as each worker count finishes: a long run shows progress.
  for (const [run, workers] of WORKERS.entries()) {
    const row = await runWith(run, workers, setup);
    rows.push(row);
    for (const [label, run] of [
      ['first', row.first],
      ['again', row.again],
      ['third', row.steady],
      ...row.recrawls.map((recrawl, i) => [`re${i + 1}`, recrawl]),
    ]) {
      const c = run.calls;
      const split = `${perRepo(c.repos)} + ${perRepo(c.org)} + ${perRepo(c.installation)}`;
      console.log(
        `${pad(row.workers, 7)}  ${label.padEnd(5)}  ${pad(run.seconds.toFixed(1), 6)} s  ` +
          `${pad(Math.round(run.jobs / (run.seconds / 60)), 9)}  ${pad(run.jobs, 4)}  ${pad(run.failed, 6)}  ` +
          `${pad(run.prsOpened, 3)}  ${pad(perRepo(c.total), 14)}  ${split.padEnd(25)}  ` +
          `${pad(perRepo(c.notModified), 9)}  ${pad(perRepo(c.writes), 11)}  ${memoryLine(run.memory).padEnd(62)}  ` +
          registryLine(run.registry),
      );
    }
    for (const path of row.snapshots) console.log(`heap snapshot: ${path}`);
  }
  console.log('');
  const last = rows.at(-1);
  console.log(
    `API calls/repo: every request the fake GitHub answered during the crawl ÷ ${REPOS}; "org config" are ` +
      `the reads of ${OWNER}/.github (org defaults) and its own job, "app" the installation listing and tokens.`,
  );
  console.log(
    `jobs' own count (RepoResult.apiCalls), ${last.workers} workers: first ${perRepo(last.first.reported.requests)}/repo ` +
      `(${perRepo(last.first.reported.notModified)} not modified), again ${perRepo(last.again.reported.requests)}/repo ` +
      `(${perRepo(last.again.reported.notModified)} not modified), third ${perRepo(last.steady.reported.requests)}/repo ` +
      `(${perRepo(last.steady.reported.notModified)} not modified); RepoResult.registryRequests in total: ` +
      `first ${last.first.registryReported}, again ${last.again.registryReported}, third ${last.steady.registryReported}; ` +
      `open+closed PRs in the fake: ${last.pulls}`,
  );
  console.log(
    `unchanged re-crawl (third), ${last.workers} workers, per repository: ` +
      last.steady.calls.routes
        .filter(([, n]) => n >= REPOS / 10)
        .map(([route, n]) => `${perRepo(n)} ${route}`)
        .join(', '),
  );
  console.log(
    `each worker count starts cold (fresh fake GitHub, fresh queue prefix: empty ETag and registry caches); ` +
      `"again" is the same org right after (it still sees the first crawl's own pushes), "third" the org ` +
      `unchanged since. Registry requests are counted at the proxy.`,
  );
  console.log(
    `worker RSS: each worker's peak resident set during the crawl, then its resident set once the queues ` +
      `were drained, with its V8 heap (used/total) and external memory from its /metrics` +
      `${RECRAWLS > 0 ? `; re1–re${RECRAWLS}: unchanged re-crawls after the third` : ''}.`,
  );
  const failures = rows
    .flatMap((row) => [row.first, row.again, row.steady, ...row.recrawls])
    .reduce((n, run) => n + run.failed, 0);
  if (failures > 0) throw new Error(`${failures} repository jobs failed`);
} finally {
  const stops = [proxy?.stop(), registry?.stop(), redis?.stop()];
  for (const result of await Promise.allSettled(stops)) {
    if (result.status === 'rejected') console.error(`bench/crawl: cleanup: ${result.reason?.message}`);
  }
}
