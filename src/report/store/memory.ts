// The report store in memory: for tests and the CLI. Same behaviour as the Redis one, nothing kept.
import type { RepoReport } from '../evaluate.js';
import { failingSince, rollupOf } from './rollup.js';
import { HISTORY_DAYS, type DailyRollup, type ReportStore, type StoredRepoReport } from './types.js';

export class MemoryReportStore implements ReportStore {
  private readonly reports = new Map<string, StoredRepoReport>();
  private readonly rollups = new Map<string, DailyRollup>();

  save(installationId: number, report: RepoReport, at: Date): Promise<StoredRepoReport> {
    const key = `${installationId}/${report.repository.toLowerCase()}`;
    const iso = at.toISOString();
    const stored: StoredRepoReport = {
      ...report,
      at: iso,
      failingSince: failingSince(report, this.reports.get(key)?.failingSince, iso),
    };
    this.reports.set(key, stored);
    this.keep(`${key}@`, rollupOf([report], iso.slice(0, 10)));
    return Promise.resolve(stored);
  }

  latest(installationId: number): Promise<StoredRepoReport[]> {
    const prefix = `${installationId}/`;
    const found = [...this.reports].filter(([key]) => key.startsWith(prefix));
    return Promise.resolve(found.sort(([a], [b]) => (a < b ? -1 : 1)).map(([, report]) => report));
  }

  latestOf(installationId: number, repository: string): Promise<StoredRepoReport | null> {
    return Promise.resolve(this.reports.get(`${installationId}/${repository.toLowerCase()}`) ?? null);
  }

  async rollup(installationId: number, day: string): Promise<DailyRollup> {
    const rollup = rollupOf(await this.latest(installationId), day);
    this.keep(`${installationId}@`, rollup);
    return rollup;
  }

  history(installationId: number, days: number): Promise<DailyRollup[]> {
    return Promise.resolve(this.series(`${installationId}@`, days));
  }

  repoHistory(installationId: number, repository: string, days: number): Promise<DailyRollup[]> {
    return Promise.resolve(this.series(`${installationId}/${repository.toLowerCase()}@`, days));
  }

  repoHistories(
    installationId: number,
    repositories: readonly string[],
    days: number,
  ): Promise<DailyRollup[][]> {
    return Promise.resolve(
      repositories.map((repository) => this.series(`${installationId}/${repository.toLowerCase()}@`, days)),
    );
  }

  prune(installationId: number, keep: readonly string[]): Promise<string[]> {
    const prefix = `${installationId}/`;
    const kept = new Set(keep.map((repository) => repository.toLowerCase()));
    const removed: string[] = [];
    for (const key of [...this.reports.keys()]) {
      if (!key.startsWith(prefix)) continue;
      const repository = key.slice(prefix.length);
      if (kept.has(repository)) continue;
      this.reports.delete(key);
      removed.push(repository);
      for (const day of [...this.rollups.keys()]) if (day.startsWith(`${key}@`)) this.rollups.delete(day);
    }
    return Promise.resolve(removed.sort());
  }

  /** Keeps a day of a series and drops the series' days older than HISTORY_DAYS before it (as Redis does). */
  private keep(prefix: string, rollup: DailyRollup): void {
    const oldest = Date.parse(`${rollup.day}T00:00:00Z`) - HISTORY_DAYS * 86_400_000;
    for (const key of this.rollups.keys())
      if (key.startsWith(prefix) && Date.parse(`${key.slice(prefix.length)}T00:00:00Z`) <= oldest)
        this.rollups.delete(key);
    this.rollups.set(`${prefix}${rollup.day}`, rollup);
  }

  private series(prefix: string, days: number): DailyRollup[] {
    const kept = Math.min(days, HISTORY_DAYS);
    const rollups = [...this.rollups].filter(([key]) => key.startsWith(prefix)).map(([, rollup]) => rollup);
    return rollups.sort((a, b) => (a.day < b.day ? -1 : 1)).slice(-kept);
  }
}
