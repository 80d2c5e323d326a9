// What travels through the queues. Webhook handlers and schedulers produce these; workers consume them.

/** Why a repository is (re)scanned: shown in logs and on the dashboard issue. */
export type RepoJobReason =
  | 'installed'
  | 'repositories-added'
  | 'push'
  | 'pr-closed'
  | 'dashboard'
  | 'command'
  | 'check-rerun'
  /** Checks finished on a Dockhand branch: decide whether its PR can be merged (issue 13). */
  | 'checks-completed'
  | 'schedule'
  | 'crawl'
  /** Any pull request opened or pushed to: only its check run is made. */
  | 'pull-request';

export interface RepoJobData {
  installationId: number;
  /** `owner/name`. */
  repository: string;
  reason: RepoJobReason;
  /** For `command`: what the comment asked (`rebase`, `recreate`, `ignore major`…). */
  command?: string;
  /**
   * Set by the worker: every command waiting in the repository's inbox (src/queue/commands.ts), this
   * job's own included. A command posted while another job of the repository waited is only here.
   */
  commands?: { command: string; number: number }[];
  /** Pull request or issue number the trigger came from, if any. */
  number?: number;
  /** For `pull-request`: the head commit the check run belongs to. */
  headSha?: string;
}

export interface CrawlJobData {
  installationId: number;
  reason: 'installed' | 'schedule' | 'manual';
}

/** The `report` queue: an installation's nightly compliance rollup (issue 11 §2). */
export interface ReportJobData {
  installationId: number;
  reason: 'rollup';
  /** The day to roll up (`2026-12-02`, UTC); absent: the day the job runs. */
  day?: string;
}

/** How webhook handlers hand work over; the BullMQ implementation lives in src/queue. */
export interface Enqueuer {
  enqueueRepo(data: RepoJobData): Promise<void>;
  enqueueCrawl(data: CrawlJobData): Promise<void>;
}
