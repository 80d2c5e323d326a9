// The ReportStore's behaviour, shared by every implementation (memory, Redis): failing streaks carried
// across runs, the latest report per repository, daily rollups per repository and per installation, and
// rollups older than HISTORY_DAYS dropped on write.
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { repoReport, type RepoReport } from '../../src/report/evaluate.js';
import { repoFacts } from '../../src/report/facts.js';
import { HISTORY_DAYS, type ReportStore } from '../../src/report/store/types.js';
import { scanDirectory } from '../../src/scan/scan.js';

const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));

/** A fixture directory's report, as `acme/<name>`. */
export async function fixtureReport(name: string): Promise<RepoReport> {
  const dir = `${FIXTURES}${name}`;
  const { config } = await loadConfig(dir);
  const scan = await scanDirectory(dir, config);
  return repoReport(
    repoFacts({ repository: `acme/${name}`, scan, now: new Date('2026-12-01T00:00:00Z') }),
    config.reports,
  );
}

/** `2026-12-01` plus `days` (negative: before). */
export function dayAfter(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** `create` gives a store no other test of the suite uses (a fresh one, or a fresh key prefix). */
export function reportStoreBehaviour(name: string, create: () => ReportStore | Promise<ReportStore>): void {
  describe(`${name}: ReportStore behaviour`, () => {
    let shop: RepoReport;
    let tools: RepoReport;
    beforeAll(async () => {
      [shop, tools] = await Promise.all([fixtureReport('shop'), fixtureReport('tools')]);
    });

    it('keeps the latest report per repository, its failing streaks, and rollups per day', async () => {
      const store = await create();
      const first = await store.save(7, shop, new Date('2026-11-30T03:00:00Z'));
      const second = await store.save(7, shop, new Date('2026-12-01T03:00:00Z'));
      await store.save(7, tools, new Date('2026-12-01T03:00:00Z'));
      await store.save(8, tools, new Date('2026-12-01T03:00:00Z'));
      expect(second.failingSince).toEqual(first.failingSince);
      expect(Object.values(second.failingSince)).toContain('2026-11-30T03:00:00.000Z');
      expect((await store.latest(7)).map((r) => r.repository)).toEqual(['acme/shop', 'acme/tools']);
      expect((await store.latestOf(7, 'ACME/Shop'))?.at).toBe('2026-12-01T03:00:00.000Z');
      expect(await store.latestOf(7, 'acme/nothing')).toBeNull();
      expect((await store.repoHistory(7, 'acme/shop', 30)).map((r) => r.day)).toEqual([
        '2026-11-30',
        '2026-12-01',
      ]);
      expect(await store.repoHistory(7, 'acme/nothing', 30)).toEqual([]);
      const today = await store.rollup(7, '2026-12-01');
      expect(today.repositories).toBe(2);
      expect((await store.history(7, 30)).map((r) => r.day)).toEqual(['2026-12-01']);
      expect(await store.history(7, 30)).toEqual([today]);
      expect(await store.history(8, 30)).toEqual([]);
      expect(await store.latest(9)).toEqual([]);
    });

    it('stores a report as it was given (facts and policies round-trip unchanged)', async () => {
      const store = await create();
      const stored = await store.save(7, shop, new Date('2026-12-01T03:00:00Z'));
      expect(stored).toMatchObject({ repository: 'acme/shop', at: '2026-12-01T03:00:00.000Z' });
      expect(await store.latestOf(7, 'acme/shop')).toEqual(stored);
      expect((await store.latest(7))[0]).toEqual(stored);
    });

    it('keeps one rollup per day: a later run or rollup of the same day replaces it', async () => {
      const store = await create();
      const passing = { ...shop, policies: shop.policies.map((p) => ({ ...p, status: 'pass' as const })) };
      await store.save(7, shop, new Date('2026-12-01T03:00:00Z'));
      await store.save(7, passing, new Date('2026-12-01T09:00:00Z'));
      const days = await store.repoHistory(7, 'acme/shop', 30);
      expect(days.map((r) => r.day)).toEqual(['2026-12-01']);
      for (const counts of Object.values(days[0]!.policies)) expect(counts).toMatchObject({ fail: 0 });
      expect((await store.latestOf(7, 'acme/shop'))?.failingSince).toEqual({});
      await store.rollup(7, '2026-12-01');
      await store.save(7, tools, new Date('2026-12-01T10:00:00Z'));
      await store.rollup(7, '2026-12-01');
      const history = await store.history(7, 30);
      expect(history.map((r) => [r.day, r.repositories])).toEqual([['2026-12-01', 2]]);
    });

    it(`keeps ${HISTORY_DAYS} days: older rollups are dropped on write; history returns the last days asked`, async () => {
      const store = await create();
      const today = '2027-06-30';
      const days = [-500, -401, -400, -399, -10, -1, 0].map((offset) => dayAfter(today, offset));
      for (const day of days) {
        await store.save(7, shop, new Date(`${day}T03:00:00Z`));
        await store.rollup(7, day);
      }
      const kept = days.slice(3);
      expect((await store.repoHistory(7, 'acme/shop', 1000)).map((r) => r.day)).toEqual(kept);
      expect((await store.history(7, 1000)).map((r) => r.day)).toEqual(kept);
      expect((await store.history(7, 2)).map((r) => r.day)).toEqual(kept.slice(-2));
      expect((await store.repoHistory(7, 'acme/shop', 3)).map((r) => r.day)).toEqual(kept.slice(-3));
    });

    it('reads several repositories’ histories at once, in the order asked', async () => {
      const store = await create();
      await store.save(7, shop, new Date('2026-11-30T03:00:00Z'));
      await store.save(7, shop, new Date('2026-12-01T03:00:00Z'));
      await store.save(7, tools, new Date('2026-12-01T03:00:00Z'));
      await store.save(8, shop, new Date('2026-12-01T03:00:00Z'));
      const histories = await store.repoHistories(7, ['acme/tools', 'acme/nothing', 'ACME/Shop'], 30);
      expect(histories.map((days) => days.map((r) => r.day))).toEqual([
        ['2026-12-01'],
        [],
        ['2026-11-30', '2026-12-01'],
      ]);
      expect(histories[2]).toEqual(await store.repoHistory(7, 'acme/shop', 30));
      expect((await store.repoHistories(7, ['acme/shop'], 1))[0]!.map((r) => r.day)).toEqual(['2026-12-01']);
      expect(await store.repoHistories(7, [], 30)).toEqual([]);
    });

    it('prunes the repositories no longer listed: latest report and daily rollups, that installation only', async () => {
      const store = await create();
      const gone = { ...tools, repository: 'acme/Gone' };
      for (const day of ['2026-11-30', '2026-12-01']) {
        const at = new Date(`${day}T03:00:00Z`);
        await store.save(7, shop, at);
        await store.save(7, tools, at);
        await store.save(7, gone, at);
        await store.save(8, gone, at);
      }
      await store.rollup(7, '2026-12-01');
      expect(await store.prune(7, ['ACME/shop', 'acme/tools', 'acme/new-and-unreported'])).toEqual([
        'acme/gone',
      ]);
      expect((await store.latest(7)).map((r) => r.repository)).toEqual(['acme/shop', 'acme/tools']);
      expect(await store.latestOf(7, 'acme/gone')).toBeNull();
      expect(await store.repoHistory(7, 'acme/gone', 30)).toEqual([]);
      expect((await store.repoHistory(7, 'acme/shop', 30)).map((r) => r.day)).toEqual([
        '2026-11-30',
        '2026-12-01',
      ]);
      // Another installation's repository of the same name, and the installation's own history, stay.
      expect((await store.latest(8)).map((r) => r.repository)).toEqual(['acme/Gone']);
      expect(await store.repoHistory(8, 'acme/gone', 30)).toHaveLength(2);
      expect((await store.history(7, 30)).map((r) => r.repositories)).toEqual([3]);
      // Nothing left to remove: a no-op; an empty listing empties the installation.
      expect(await store.prune(7, ['acme/shop', 'acme/tools'])).toEqual([]);
      expect(await store.prune(7, [])).toEqual(['acme/shop', 'acme/tools']);
      expect(await store.latest(7)).toEqual([]);
      expect(await store.repoHistories(7, ['acme/shop', 'acme/tools'], 30)).toEqual([[], []]);
    });
  });
}
