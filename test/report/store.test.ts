// The report store's pure rules (failing streaks, a day's rollup) and the in-memory implementation's
// behaviour (the shared suite, which the Redis store passes too: redis-store.test.ts).
import { beforeAll, describe, expect, it } from 'vitest';
import type { RepoReport } from '../../src/report/evaluate.js';
import { MemoryReportStore } from '../../src/report/store/memory.js';
import { failingSince, rollupOf } from '../../src/report/store/rollup.js';
import { fixtureReport, reportStoreBehaviour } from './store-suite.js';

let shop: RepoReport;
let tools: RepoReport;

beforeAll(async () => {
  [shop, tools] = await Promise.all([fixtureReport('shop'), fixtureReport('tools')]);
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

  it('keeps the median lag of images whose tag moved or whose line has a newer release, in days', () => {
    const [image] = shop.facts.images;
    const lagging = (since: string) => ({ ...image!, staleDigest: { since, newDigest: null }, behind: null });
    const dated = {
      ...shop,
      facts: {
        ...shop.facts,
        images: [
          lagging('2026-11-21T10:00:00Z'),
          lagging('2026-11-01T00:00:00Z'),
          lagging('2026-11-29T00:00:00Z'),
        ],
      },
    };
    expect(rollupOf([dated], '2026-12-01').images.medianLagDays).toBe(10);
    expect(
      rollupOf([{ ...shop, facts: { ...shop.facts, images: [] } }], '2026-12-01').images.medianLagDays,
    ).toBeUndefined();
  });
});

reportStoreBehaviour('MemoryReportStore', () => new MemoryReportStore());
