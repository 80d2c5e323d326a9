// Where the app keeps compliance reports (issue 11 §2): the latest report of each repository, and daily
// rollups per repository and per installation for at least 400 days. The web dashboard and the exports
// read through this port only; the Redis implementation lives beside it, an in-memory one for tests.
import type { PolicyStatus } from '../policies/types.js';
import type { RepoReport } from '../evaluate.js';

/** One day of a repository or an installation, in figures (small: 400+ of them are kept). */
export interface DailyRollup {
  /** `2026-12-02` (UTC). */
  day: string;
  /** Repositories counted (1 for a repository's own rollup). */
  repositories: number;
  /** Per policy id: how many repositories passed, failed, had no data. */
  policies: Record<string, Record<PolicyStatus, number>>;
  /** Lint findings by severity, summed. */
  findings: { error: number; warning: number; info: number };
  /**
   * Image references, how many are on an end-of-life base or a stale digest, and the median of how long
   * the lagging ones have lagged (days since their tag moved or their line's newest release), when known.
   */
  images: { count: number; eol: number; staleDigests: number; medianLagDays?: number };
  /** npm and Python figures, summed: outdated dependencies and libyears. */
  packages: { outdated: number; libyears: number };
}

/** When a repository's policy started failing (kept across runs until it passes again). */
export type FailingSince = Record<string, string>;

export interface StoredRepoReport extends RepoReport {
  /** When this report was made (ISO 8601). */
  at: string;
  /** Per failing policy id: the first run (ISO 8601) of the current failing streak. */
  failingSince: FailingSince;
}

export interface ReportStore {
  /**
   * Saves a repository's report of one run, carrying forward the start of each failing streak, and
   * counts it into today's rollup of the repository.
   */
  save(installationId: number, report: RepoReport, at: Date): Promise<StoredRepoReport>;
  /** The latest report of every repository of an installation, sorted by repository (one round trip). */
  latest(installationId: number): Promise<StoredRepoReport[]>;
  /** The latest report of one repository, or null. */
  latestOf(installationId: number, repository: string): Promise<StoredRepoReport | null>;
  /** Builds and keeps the installation's rollup of `day` from the latest reports (the nightly job). */
  rollup(installationId: number, day: string): Promise<DailyRollup>;
  /** The installation's rollups of the last `days` days that exist, oldest first. */
  history(installationId: number, days: number): Promise<DailyRollup[]>;
  /** One repository's rollups of the last `days` days that exist, oldest first. */
  repoHistory(installationId: number, repository: string, days: number): Promise<DailyRollup[]>;
  /**
   * Several repositories' rollups of the last `days` days, in the order asked (each oldest first, empty
   * when none): one round trip however many repositories (the dashboard's partial-access trend).
   */
  repoHistories(
    installationId: number,
    repositories: readonly string[],
    days: number,
  ): Promise<DailyRollup[][]>;
  /**
   * Forgets every repository of the installation not in `keep` (full names, any case): its latest report
   * and its daily rollups. The crawl calls it with a complete listing of the installation's repositories,
   * so repositories removed from the installation, archived or deleted leave the reports. Returns the
   * repositories removed (lower case, sorted).
   */
  prune(installationId: number, keep: readonly string[]): Promise<string[]>;
}

/** Rollups older than this are dropped. */
export const HISTORY_DAYS = 400;
