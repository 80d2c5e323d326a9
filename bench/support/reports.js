// Synthetic compliance reports for the report benchmarks (bench/reports.js, bench/dashboard.js): the test
// fixtures' reports (test/report/fixtures: shop and tools), judged once and copied under many names with
// some policies flipped so that repositories differ; a 400-day series written once and copied to every
// repository; the installation's earlier days as one rollup's figures under each day. INFO commandstats
// helpers count the commands a piece of code sends.
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../dist/config/index.js';
import { collectDockerfiles } from '../../dist/report/dockerfile.js';
import { repoReport } from '../../dist/report/evaluate.js';
import { repoFacts } from '../../dist/report/facts.js';
import { dayNumber, installationDaysKey, repositoryDaysKey } from '../../dist/report/store/redis.js';
import { scanDirectory } from '../../dist/scan/scan.js';

const FIXTURES = fileURLToPath(new URL('../../test/report/fixtures/', import.meta.url));
const DAY_MS = 86_400_000;
export const TODAY = new Date().toISOString().slice(0, 10);

/** The day `days` before today (UTC). */
export const dayBefore = (days) =>
  new Date(Date.parse(`${TODAY}T00:00:00Z`) - days * DAY_MS).toISOString().slice(0, 10);

export async function fixtureReport(name) {
  const dir = `${FIXTURES}${name}`;
  const { config } = await loadConfig(dir);
  const dockerfiles = collectDockerfiles();
  const scan = await scanDirectory(dir, config, { onRead: dockerfiles.onRead });
  const facts = repoFacts({
    repository: `acme/${name}`,
    scan,
    now: new Date(),
    dockerfiles: dockerfiles.facts,
  });
  return repoReport(facts, config.reports);
}

/** The report templates: the shop and tools fixtures. */
export function fixtureTemplates() {
  return Promise.all([fixtureReport('shop'), fixtureReport('tools')]);
}

/** `acme/service-0042`. */
export const syntheticName = (i) => `acme/service-${String(i).padStart(4, '0')}`;

/** Repository `i`: a fixture's report under its own name, every seventh policy result flipped. */
export function syntheticReport(templates, i) {
  const template = templates[i % templates.length];
  const repository = syntheticName(i);
  const policies = template.policies.map((result, p) =>
    (i + p) % 7 === 0 ? { ...result, status: result.status === 'pass' ? 'fail' : 'pass' } : result,
  );
  return { ...template, repository, policies, facts: { ...template.facts, repository } };
}

/** `report` with its policy `week` (mod the number of policies) flipped. */
function weekVariant(report, week) {
  const flipped = week % report.policies.length;
  const policies = report.policies.map((result, p) =>
    p === flipped ? { ...result, status: result.status === 'pass' ? 'fail' : 'pass' } : result,
  );
  return { ...report, policies };
}

/** Saves every report as of `at`, `concurrency` at once (as workers would); resolves to the time taken. */
export async function saveAll(store, installationId, reports, at, concurrency = 50) {
  const start = performance.now();
  for (let i = 0; i < reports.length; i += concurrency)
    await Promise.all(
      reports.slice(i, i + concurrency).map((report) => store.save(installationId, report, at)),
    );
  return performance.now() - start;
}

/**
 * `days` days of every repository's history: the first report's series (changing weekly) written by
 * `days` saves and copied (COPY) to the other repositories. Resolves to the MEMORY USAGE of one repository's series.
 */
export async function seedRepoSeries(client, store, prefix, installationId, reports, days, at = new Date()) {
  // The figures change every week (one policy result flipped in turn), as a repository's would now and
  // then: the series is not a run of identical days.
  for (let back = days - 1; back >= 1; back--)
    await store.save(
      installationId,
      weekVariant(reports[0], Math.floor(back / 7)),
      new Date(`${dayBefore(back)}T03:00:00Z`),
    );
  await store.save(installationId, reports[0], at);
  const sampleKey = repositoryDaysKey(prefix, installationId, reports[0].repository);
  const seriesBytes = Number(await client.memory('USAGE', sampleKey));
  const copies = client.pipeline();
  for (const { repository } of reports.slice(1))
    copies.copy(sampleKey, repositoryDaysKey(prefix, installationId, repository), 'REPLACE');
  await copies.exec();
  return seriesBytes;
}

/** The installation's `days` days before today: one rollup's figures under each (score = day number). */
export async function seedInstallationDays(client, store, prefix, installationId, days) {
  const first = await store.rollup(installationId, dayBefore(days - 1));
  const fill = client.pipeline();
  for (let back = days - 2; back >= 1; back--) {
    const day = dayBefore(back);
    fill.zadd(installationDaysKey(prefix, installationId), dayNumber(day), JSON.stringify({ ...first, day }));
  }
  await fill.exec();
}

export async function commandCalls(client) {
  const info = await client.info('commandstats');
  const calls = {};
  for (const [, name, count] of info.matchAll(/cmdstat_([a-z|]+):calls=(\d+)/g)) calls[name] = Number(count);
  return calls;
}

/** Commands `use` sent (INFO commandstats delta, less the INFO itself): `{ value, commands }`. */
export async function counted(client, use) {
  const before = await commandCalls(client);
  const value = await use();
  const after = await commandCalls(client);
  const delta = Object.entries(after)
    .map(([name, count]) => [name, count - (before[name] ?? 0) - (name === 'info' ? 1 : 0)])
    .filter(([, count]) => count > 0);
  return { value, commands: Object.fromEntries(delta) };
}
