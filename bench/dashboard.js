// The dashboard's organisation overview for 2,000 repositories (issue 11 §5: server time under 300 ms,
// Redis reads pipelined with no per-repository round trips, page weight reported). Synthetic reports
// (bench/support/reports.js: the test fixtures' reports under 2,000 names, 400 days of history per
// repository and for the installation) in a real Redis (REDIS_URL, else a throwaway redis-server); the
// app's dashboard handler (webHandler from src/web/routes.ts, sessions in Redis as in production) on a
// loopback port. Sessions are written straight into the session store (no OAuth round trip), with
// GitHub's access list fresh so no request goes to GitHub:
//   - "all repositories": a user whom GitHub lists every repository for (the page reads the
//     installation's own history; the dashboard page takes no operator token, only the exports do);
//   - "1,000 of 2,000": the trend is summed from the visible repositories' series (repoHistories);
//   - "100 of 2,000": the same read for fewer repositories, to show the command count does not grow.
// Per viewer: server time (request in → response finished, in the server process) over BENCH_DASHBOARD_RUNS
// requests after 3 warm-ups (median, p95), Redis commands per request (INFO commandstats delta around one
// request), the page's HTML bytes (and gzipped, for a proxy that compresses); the chart assets' bytes once.
//
// Env: BENCH_DASHBOARD_REPOS (2000), BENCH_DASHBOARD_DAYS (400), BENCH_DASHBOARD_RUNS (20).
/* global fetch -- Node's own */
import { Buffer } from 'node:buffer';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { performance } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import { Redis } from 'ioredis';
import { RedisReportStore } from '../dist/report/store/redis.js';
import { webSettingsFromEnv } from '../dist/web/config.js';
import { webHandler } from '../dist/web/routes.js';
import { RedisSessionStore } from '../dist/web/session.js';
import { startRedis } from './support/redis.js';
import {
  counted,
  fixtureTemplates,
  saveAll,
  seedInstallationDays,
  seedRepoSeries,
  syntheticReport,
  TODAY,
} from './support/reports.js';

const REPOS = Number(process.env.BENCH_DASHBOARD_REPOS ?? 2000);
const DAYS = Number(process.env.BENCH_DASHBOARD_DAYS ?? 400);
const RUNS = Number(process.env.BENCH_DASHBOARD_RUNS ?? 20);
const WARMUP = 3;
const INSTALLATION = 4242;
const ASSETS = ['uplot.js', 'uplot.css', 'dashboard.js', 'dashboard.css'];

const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;
const ms = (value) => `${value.toFixed(1)} ms`;
const percentile = (sorted, p) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

const redis = await startRedis();
const client = new Redis(redis.url);
const stats = new Redis(redis.url);
let server;
try {
  const prefix = `${redis.prefix}{reports}`;
  const store = new RedisReportStore(client, prefix);
  const templates = await fixtureTemplates();
  const reports = Array.from({ length: REPOS }, (_, i) => syntheticReport(templates, i));
  const at = new Date();
  const seedStart = performance.now();
  await saveAll(store, INSTALLATION, reports, at);
  await seedRepoSeries(client, store, prefix, INSTALLATION, reports, DAYS, at);
  await seedInstallationDays(client, store, prefix, INSTALLATION, DAYS);
  await store.rollup(INSTALLATION, TODAY);
  const seedMs = performance.now() - seedStart;

  // The server first: the base URL names its port.
  let handler = null;
  const serverTimes = [];
  server = createServer((req, res) => {
    const start = performance.now();
    res.once('finish', () => serverTimes.push(performance.now() - start));
    void handler(req, res).then((handled) => handled || res.writeHead(404).end());
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${server.address().port}`;
  const settings = webSettingsFromEnv({ DOCKHAND_BASE_URL: url });
  const sessions = new RedisSessionStore(client, `${redis.prefix}{web}`);
  // A fixed clock: the sessions' access lists stay fresh (no GitHub call) and no touch writes happen.
  const now = Date.now();
  handler = webHandler({
    settings,
    reports: store,
    sessions,
    now: () => now,
    log: (message) => console.error(message),
  });

  async function sessionFor(login, repositories) {
    const id = randomBytes(32).toString('base64url');
    await sessions.set(
      id,
      {
        createdAt: now,
        lastSeenAt: now,
        csrf: randomBytes(32).toString('base64url'),
        user: { login, id: 1, token: 'unused-by-this-bench', tokenExpiresAt: null },
        access: {
          checkedAt: now,
          installations: [{ id: INSTALLATION, account: 'acme', repositories }],
        },
      },
      settings.sessionIdleMs,
    );
    return `dockhand_session=${id}`;
  }

  async function get(path, cookie) {
    const response = await fetch(`${url}${path}`, { headers: cookie ? { cookie } : {} });
    const body = Buffer.from(await response.arrayBuffer());
    if (response.status !== 200) throw new Error(`${path}: HTTP ${response.status}`);
    return body;
  }

  async function measure(label, visible) {
    const cookie = await sessionFor(label.replace(/\W+/g, '-'), visible);
    const path = `/dashboard/${INSTALLATION}`;
    for (let i = 0; i < WARMUP; i++) await get(path, cookie);
    serverTimes.length = 0;
    let html;
    for (let i = 0; i < RUNS; i++) html = await get(path, cookie);
    const times = [...serverTimes].sort((a, b) => a - b);
    const { commands } = await counted(stats, () => get(path, cookie));
    const shown = visible.filter((repository) => html.includes(`${repository}<`)).length;
    return { label, times, commands, html, shown };
  }

  const names = reports.map((report) => report.repository.toLowerCase());
  const results = [
    await measure('all repositories', names),
    await measure(
      `${names.length / 2} of ${names.length}`,
      names.filter((_, i) => i % 2 === 0),
    ),
    await measure(
      `100 of ${names.length}`,
      names.filter((_, i) => i % (names.length / 100) === 0),
    ),
  ];
  const assets = [];
  for (const file of ASSETS) assets.push([file, (await get(`/dashboard/assets/${file}`)).length]);
  const assetBytes = assets.reduce((sum, [, bytes]) => sum + bytes, 0);
  const assetGzip = (
    await Promise.all(ASSETS.map(async (file) => gzipSync(await get(`/dashboard/assets/${file}`)).length))
  ).reduce((a, b) => a + b, 0);

  console.log(
    `${REPOS} repositories, ${DAYS} days of history, trend of 90 days, Redis ${redis.url.startsWith('redis://127.0.0.1') ? 'local' : 'REDIS_URL'} (seeded in ${ms(seedMs)})`,
  );
  for (const { label, times, commands, html } of results) {
    const list = Object.entries(commands)
      .map(([name, count]) => `${name} ${count}`)
      .join(', ');
    const total = Object.values(commands).reduce((a, b) => a + b, 0);
    console.log(`  /dashboard/${INSTALLATION}, ${label}`);
    console.log(
      `    server time      median ${ms(percentile(times, 50))}, p95 ${ms(percentile(times, 95))} (${times.length} requests)`,
    );
    console.log(`    Redis commands   ${total} per request (${list})`);
    console.log(`    HTML             ${kib(html.length)} (gzip ${kib(gzipSync(html).length)})`);
  }
  console.log(
    `  chart assets       ${kib(assetBytes)} (gzip ${kib(assetGzip)}; cached an hour): ${assets
      .map(([file, bytes]) => `${file} ${kib(bytes)}`)
      .join(', ')}`,
  );
} finally {
  server?.closeAllConnections();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve()));
  client.disconnect();
  stats.disconnect();
  await redis.stop();
}
