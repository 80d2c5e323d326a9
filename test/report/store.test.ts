// The report store's behaviour, on the in-memory implementation: failing streaks carried across runs,
// the latest report per repository, daily rollups per repository and per installation.
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { repoReport, type RepoReport } from '../../src/report/evaluate.js';
import { repoFacts } from '../../src/report/facts.js';
import { MemoryReportStore } from '../../src/report/store/memory.js';
import { failingSince, rollupOf } from '../../src/report/store/rollup.js';
import { scanDirectory } from '../../src/scan/scan.js';

const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));
let shop: RepoReport;
let tools: RepoReport;

async function report(name: string): Promise<RepoReport> {
  const dir = `${FIXTURES}${name}`;
  const { config } = await loadConfig(dir);
  const scan = await scanDirectory(dir, config);
  return repoReport(
    repoFacts({ repository: `acme/${name}`, scan, now: new Date('2026-12-01T00:00:00Z') }),
    config.reports,
  );
}

beforeAll(async () => {
  [shop, tools] = await Promise.all([report('shop'), report('tools')]);
});

describe('failingSince', () => {
  it('starts a streak at the first failing run, keeps it while failing, drops it once passing', () => {
    const failing = shop.policies.filter((p) => p.status === 'fail').map((p) => p.policy);
    expect(failing.length).toBeGreaterThan(0);
    const first = failingSince(shop, undefined, '2026-11-01T00:00:00Z');
    expect(Object.keys(first).sort()).toEqual([...failing].sort());
    const next = failingSince(shop, first, '2026-11-08T00:00:00Z');
    expect(next).toEqual(first);
    const passing = { ...shop, policies: shop.policies.map((p) => ({ ...p, status: 'pass' as const })) };
    expect(failingSince(passing, first, '2026-11-15T00:00:00Z')).toEqual({});
  });
});

describe('rollupOf', () => {
  it('counts policies per status and sums figures over repositories', () => {
    const rollup = rollupOf([shop, tools], '2026-12-01');
    expect(rollup.repositories).toBe(2);
    for (const counts of Object.values(rollup.policies))
      expect(counts.pass + counts.fail + counts['no-data']).toBe(2);
    expect(rollup.images.count).toBe(shop.facts.images.length + tools.facts.images.length);
    expect(rollup.findings.error).toBe(shop.facts.lint.counts.error + tools.facts.lint.counts.error);
  });
});

describe('MemoryReportStore', () => {
  it('keeps the latest report per repository, its failing streaks, and rollups per day', async () => {
    const store = new MemoryReportStore();
    const first = await store.save(7, shop, new Date('2026-11-30T03:00:00Z'));
    const second = await store.save(7, shop, new Date('2026-12-01T03:00:00Z'));
    await store.save(7, tools, new Date('2026-12-01T03:00:00Z'));
    await store.save(8, tools, new Date('2026-12-01T03:00:00Z'));
    expect(second.failingSince).toEqual(first.failingSince);
    expect(Object.values(second.failingSince)).toContain('2026-11-30T03:00:00.000Z');
    expect((await store.latest(7)).map((r) => r.repository)).toEqual(['acme/shop', 'acme/tools']);
    expect((await store.latestOf(7, 'ACME/Shop'))?.at).toBe('2026-12-01T03:00:00.000Z');
    expect((await store.repoHistory(7, 'acme/shop', 30)).map((r) => r.day)).toEqual([
      '2026-11-30',
      '2026-12-01',
    ]);
    const today = await store.rollup(7, '2026-12-01');
    expect(today.repositories).toBe(2);
    expect((await store.history(7, 30)).map((r) => r.day)).toEqual(['2026-12-01']);
    expect(await store.history(8, 30)).toEqual([]);
  });
});
