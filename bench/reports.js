// The compliance report store for an organisation of 2,000 repositories (issue 11 §5), in a real Redis
// (REDIS_URL, else a throwaway redis-server): saving every repository's report, the dashboard's reads
// (`latest()`, the 400-day `history()`, one repository's 400-day `repoHistory()`), the nightly rollup,
// and Redis memory (INFO memory) before, after the latest reports, and with 400 days of history.
// The reports are the test fixtures' (test/report/fixtures: shop and tools), judged once and copied
// under 2,000 names, some policies flipped so that repositories differ. A repository's 400-day series is
// written by 400 saves for one repository and copied (COPY) to the others, and the installation's earlier
// days are one rollup's figures under each day: same bytes, far less time.
// Commands per read come from `INFO commandstats` deltas.
//
// Env: BENCH_REPORTS_REPOS (2000), BENCH_REPORTS_DAYS (400), BENCH_RUNS (5, median of the timed reads).
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import { RedisReportStore } from '../dist/report/store/redis.js';
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

const REPOS = Number(process.env.BENCH_REPORTS_REPOS ?? 2000);
const DAYS = Number(process.env.BENCH_REPORTS_DAYS ?? 400);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const INSTALLATION = 4242;

async function memory(client) {
  const info = await client.info('memory');
  return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? NaN);
}

async function timed(use, runs = RUNS) {
  const times = [];
  let value;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    value = await use();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { value, ms: times[Math.floor(times.length / 2)] };
}

const mib = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;
const ms = (value) => `${value.toFixed(1)} ms`;

const redis = await startRedis();
const client = new Redis(redis.url);
try {
  const prefix = `${redis.prefix}{reports}`;
  const store = new RedisReportStore(client, prefix);
  const templates = await fixtureTemplates();
  const reports = Array.from({ length: REPOS }, (_, i) => syntheticReport(templates, i));
  const jsonBytes = reports.reduce((sum, report) => sum + JSON.stringify(report).length, 0);
  const empty = await memory(client);

  // Every repository's run of today, 50 at a time (as workers would save them concurrently).
  const at = new Date();
  const saveMs = await saveAll(store, INSTALLATION, reports, at);
  const withLatest = await memory(client);

  // A full series for one repository, copied to the others; the installation's days by rollup.
  const sample = reports[0].repository;
  const seriesBytes = await seedRepoSeries(client, store, prefix, INSTALLATION, reports, DAYS, at);
  const withSeries = await memory(client);
  // The installation's earlier days: the first rollup's figures under each earlier day, in one pipeline
  // rather than DAYS - 1 rollups of the same reports.
  await seedInstallationDays(client, store, prefix, INSTALLATION, DAYS);

  // The nightly rollup of today (timed once: it writes).
  const nightly = await counted(client, async () => {
    const start = performance.now();
    const rollup = await store.rollup(INSTALLATION, TODAY);
    return { rollup, ms: performance.now() - start };
  });
  const withHistory = await memory(client);

  const latest = await counted(client, () => timed(() => store.latest(INSTALLATION)));
  const history = await counted(client, () => timed(() => store.history(INSTALLATION, DAYS)));
  const repoHistory = await counted(client, () => timed(() => store.repoHistory(INSTALLATION, sample, DAYS)));
  const latestOf = await timed(() => store.latestOf(INSTALLATION, sample));
  if (latest.value.value.length !== REPOS)
    throw new Error(`latest() gave ${latest.value.value.length} reports`);
  if (history.value.value.length !== DAYS)
    throw new Error(`history() gave ${history.value.value.length} days`);
  if (repoHistory.value.value.length !== DAYS)
    throw new Error(`repoHistory() gave ${repoHistory.value.value.length} days`);
  if (nightly.value.rollup.repositories !== REPOS)
    throw new Error('the rollup did not count every repository');

  const perRun = (commands) =>
    Object.entries(commands)
      .map(([name, count]) => `${name} ${count / RUNS}`)
      .join(', ');
  const installationDayBytes = JSON.stringify(nightly.value.rollup).length;
  console.log(
    `${REPOS} repositories, ${DAYS} days, Redis ${redis.url.startsWith('redis://127.0.0.1') ? 'local' : 'REDIS_URL'}`,
  );
  console.log(`  reports (JSON)             ${mib(jsonBytes)} (${kib(jsonBytes / REPOS)} per repository)`);
  console.log(`  save, ${REPOS} repositories    ${ms(saveMs)} (${ms(saveMs / REPOS)} each, 50 at once)`);
  console.log(
    `  latest()                   ${ms(latest.value.ms)} median of ${RUNS}; commands per call: ${perRun(latest.commands)}`,
  );
  console.log(`  latestOf()                 ${ms(latestOf.ms)}`);
  console.log(
    `  history(${DAYS})              ${ms(history.value.ms)}; commands per call: ${perRun(history.commands)}`,
  );
  console.log(
    `  repoHistory(${DAYS})          ${ms(repoHistory.value.ms)}; commands per call: ${perRun(repoHistory.commands)}`,
  );
  console.log(
    `  nightly rollup             ${ms(nightly.value.ms)}; commands: ${Object.entries(nightly.commands)
      .map(([name, count]) => `${name} ${count}`)
      .join(', ')}`,
  );
  console.log(`  Redis used_memory          empty ${mib(empty)}`);
  console.log(
    `                             + latest reports ${mib(withLatest - empty)} (${kib((withLatest - empty) / REPOS)} per repository)`,
  );
  console.log(
    `                             + ${DAYS}-day series ${mib(withSeries - withLatest)} (${kib((withSeries - withLatest) / REPOS)} per repository; MEMORY USAGE of one: ${kib(seriesBytes)})`,
  );
  console.log(
    `                             + ${DAYS} installation rollups ${mib(withHistory - withSeries)} (a day's JSON ${installationDayBytes} B)`,
  );
  console.log(`                             total ${mib(withHistory)}`);
} finally {
  client.disconnect();
  await redis.stop();
}
