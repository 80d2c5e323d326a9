// The repository job's shared vocabulary: what it plans (branches of updates), what it remembers (a
// hidden marker in each pull request body) and what it needs from a code host (RepoPlatform, implemented
// for GitHub in src/platform/github/platform.ts). The planning half is pure; only the platform is effectful.
import type { Dependency, DependencyUpdate, SkippedFile } from '../core/types.js';

/** One dependency's update as a branch carries it. */
export interface PlannedChange {
  /** Repository-relative posix path of the file that names the dependency. */
  path: string;
  manager: string;
  dep: Dependency;
  update: DependencyUpdate;
}

/**
 * `version`: minor/patch (and major) moves of one image line, branch `dockhand/<image>-<major>.x`;
 * `pin-digests`: digests added to tag-only references (and `latest` pinned); `digests`: refreshed digests.
 */
export type BranchGroup = 'version' | 'pin-digests' | 'digests';

export interface BranchPlan {
  /** Full branch name, `dockhand/node-22.x`. */
  branch: string;
  group: BranchGroup;
  /** PR title and commit subject: `Update node to 22.12.0`, `Pin image digests`, `Refresh image digests`. */
  title: string;
  changes: PlannedChange[];
  /** Normalised names (`docker.io/library/node`) of the images the branch touches, sorted. */
  images: string[];
  /**
   * What the branch proposes, independent of file positions: equal fingerprints are the same proposal.
   * A closed-unmerged PR with this fingerprint means "never again for this proposal".
   */
  fingerprint: string;
  /** Locked packages whose declared runtime excludes the Node or Python this branch moves an image to. */
  runtimeExclusions?: string[];
}

/** What Dockhand remembers in a pull request body (an HTML comment the reader never sees). */
export interface PullMarker {
  branch: string;
  fingerprint: string;
  /** The commit Dockhand last pushed to the branch; a different head means someone else pushed. */
  commit?: string;
  /** The base-branch commit that commit was made on; a different base head means the PR is behind. */
  base?: string;
  /** Set on a PR the user closed with `@dockhand ignore this …`: updates matching it are never proposed. */
  ignore?: IgnoreMarker;
  /** Dockhand has commented on this closed PR (once) to say how to get the update back. */
  notified?: boolean;
  /** `@dockhand recreate` was used on this closed PR: its fingerprint no longer blocks a new PR. */
  recreated?: boolean;
  /**
   * Who closed the PR when Dockhand knows: `dockhand` (superseded or obsolete: it blocks nothing and needs
   * no comment) or `user` (through an `ignore` command).
   */
  closedBy?: 'dockhand' | 'user';
  /** Automerge said why it did not merge (failed checks, blocked) for this head commit: not again. */
  automerge?: { head: string };
}

export interface IgnoreMarker {
  scope: 'major' | 'minor' | 'version' | 'image';
  image: string;
  /** The version the scope applies to (`22` for major, `22.12` for minor, `22.12.0` for version). */
  version?: string;
}

/** A PR and what Dockhand remembers in it. */
export interface KnownPull {
  pull: PullRequest;
  marker: PullMarker | null;
}

// ---- the platform port ----

export interface RepoInfo {
  owner: string;
  name: string;
  /** `owner/name`. */
  fullName: string;
  defaultBranch: string;
  archived: boolean;
  /** Last push to any branch (ISO 8601), for maintenance-mode inactivity. */
  pushedAt: string | null;
}

export interface PullRequest {
  number: number;
  state: 'open' | 'closed';
  merged: boolean;
  title: string;
  body: string;
  /** Head branch name (without `refs/heads/`). */
  head: string;
  headSha: string;
  base: string;
  createdAt: string;
  closedAt: string | null;
  labels: string[];
  /** GraphQL node id (`enablePullRequestAutoMerge` takes it). */
  nodeId: string;
  /**
   * GitHub's `mergeable_state` (`clean`, `blocked`, `behind`, `unstable`, `dirty`, `draft`, `unknown`…).
   * Only `getPullRequest` fills it (GitHub computes it for a single pull request; lists do not carry it):
   * null elsewhere. `unknown` (or null) from `getPullRequest` means GitHub is still computing: ask later.
   */
  mergeableState: string | null;
  /** GitHub's native auto-merge is enabled on the pull request (`auto_merge` is set). */
  autoMerge: boolean;
}

export type MergeMethod = 'squash' | 'merge' | 'rebase';

/** How a repository lets pull requests be merged (from `GET /repos/{owner}/{repo}`). */
export interface MergeSettings {
  /** Native auto-merge is allowed (`allow_auto_merge`). */
  allowAutoMerge: boolean;
  /** The merge methods the repository allows, in Dockhand's order of preference: squash, merge, rebase. */
  methods: MergeMethod[];
  /** GitHub deletes the head branch after a merge (`delete_branch_on_merge`). */
  deleteBranchOnMerge: boolean;
}

/** What ran on a commit: check runs (every app's) and commit statuses (the latest per context). */
export interface HeadChecks {
  /** `status`: queued, in_progress, completed…; `conclusion` is null until completed. */
  checkRuns: { name: string; status: string; conclusion: string | null }[];
  statuses: { context: string; state: 'success' | 'pending' | 'failure' | 'error' }[];
}

export type AutoMergeResult = { ok: true } | { ok: false; reason: string };

export type MergeResult = { merged: true; sha: string } | { merged: false; reason: string };

export interface Issue {
  number: number;
  title: string;
  body: string;
  state: 'open' | 'closed';
  labels: string[];
}

export interface Annotation {
  path: string;
  startLine: number;
  endLine: number;
  level: 'notice' | 'warning' | 'failure';
  title: string;
  message: string;
}

export interface CheckRunInput {
  name: string;
  headSha: string;
  conclusion: 'success' | 'failure' | 'neutral';
  title: string;
  /** Markdown, at most 65,535 characters (GitHub's limit). */
  summary: string;
  /** Any number: the platform sends them 50 per request, appending. */
  annotations: Annotation[];
}

export interface CommitInput {
  branch: string;
  /** The commit the new one is made on (the base branch head). */
  parent: string;
  message: string;
  /** Path → new content; null deletes the file. */
  files: Record<string, Uint8Array | string | null>;
}

export interface ReadFiles {
  commit: string;
  files: { path: string; bytes: Buffer }[];
  skipped: SkippedFile[];
}

/**
 * A code host as seen by one repository job (one installation, one repository). Methods throw
 * PermanentJobError / TransientJobError (src/queue/worker.ts) so the worker can classify failures.
 */
export interface RepoPlatform {
  /** Requests sent so far (304s included) and how many were 304s. */
  readonly usage: { requests: number; notModified: number };
  getRepository(): Promise<RepoInfo>;
  /** The files managers claim (and config files), at a branch, tag or commit. */
  readFiles(ref: string): Promise<ReadFiles>;
  /** A file of another repository of the same owner (the org's `.github` repo), null when absent. */
  readOwnerFile(repository: string, path: string): Promise<string | null>;
  /** A commit's full message. */
  commitMessage(sha: string): Promise<string>;
  /** Branches whose names start with `prefix`, with their head commits. */
  listBranches(prefix: string): Promise<{ name: string; sha: string }[]>;
  /**
   * Makes `branch` point at a new commit with `files` changed on top of `parent` (Git Data API: the
   * commit is the App's own, verified). Creates the branch or force-moves it. Returns the commit sha.
   */
  commitFiles(input: CommitInput): Promise<string>;
  deleteBranch(branch: string): Promise<void>;
  /** Every pull request, open or closed, whose head branch starts with `prefix` (conditional GETs). */
  listPullRequests(prefix: string): Promise<PullRequest[]>;
  getPullRequest(number: number): Promise<PullRequest>;
  createPullRequest(input: {
    head: string;
    base: string;
    title: string;
    body: string;
    labels: string[];
  }): Promise<PullRequest>;
  updatePullRequest(
    number: number,
    changes: { title?: string; body?: string; state?: 'open' | 'closed' },
  ): Promise<void>;
  comment(number: number, body: string): Promise<void>;
  /** Open issues with `label`, oldest first. */
  findIssues(label: string): Promise<Issue[]>;
  createIssue(input: { title: string; body: string; labels: string[] }): Promise<Issue>;
  updateIssue(
    number: number,
    changes: { title?: string; body?: string; state?: 'open' | 'closed' },
  ): Promise<void>;
  /** Creates a completed check run; annotations beyond 50 are appended by further requests. */
  createCheckRun(input: CheckRunInput): Promise<number>;
  /** Paths a pull request changes (for check runs on pull requests). */
  listPullRequestFiles(number: number): Promise<string[]>;
  /** Uploads a SARIF document to code scanning for a commit (`ref`: `refs/heads/main`, `refs/pull/7/head`). */
  uploadSarif(commitSha: string, ref: string, sarif: string): Promise<void>;
  /** `workflow_dispatch` of `workflow` (file name or id) on `ref` with string inputs. */
  dispatchWorkflow(workflow: string, ref: string, inputs: Record<string, string>): Promise<void>;
  /** When the newest successful run of `workflow` started (ISO 8601); null when none, or no such workflow. */
  lastSuccessfulRun(workflow: string): Promise<string | null>;

  // ---- automerge ----

  /** The repository's merge settings (reuses this job's `getRepository` answer when there is one). */
  getMergeSettings(): Promise<MergeSettings>;
  /**
   * The status check contexts (check run names or commit status contexts) branch protection requires on
   * `branch`; empty when it is unprotected or requires none. Read from the branch, not from the
   * protection endpoint, which needs the `administration` permission; so whether the branch must be up
   * to date or needs reviews is not known here: `mergeableState` (`behind`, `blocked`) tells.
   */
  requiredChecks(branch: string): Promise<string[]>;
  /** Every check run on the commit (all pages) and its commit statuses, latest per context. */
  headChecks(sha: string): Promise<HeadChecks>;
  /**
   * Turns on GitHub's native auto-merge for the pull request. GitHub's refusals ("Pull request is in clean
   * status", "Auto merge is not allowed for this repository"…) come back as `reason`, not thrown.
   */
  enableAutoMerge(pull: { nodeId: string }, method: MergeMethod): Promise<AutoMergeResult>;
  /**
   * Merges the pull request if its head is still `sha`. GitHub's refusals (405: not mergeable, blocked by
   * protection, method not allowed; 409: the head moved) come back as `reason`; other failures throw.
   */
  mergePullRequest(number: number, options: { sha: string; method: MergeMethod }): Promise<MergeResult>;
  /** Adds labels to a pull request or issue (GitHub creates labels the repository does not have). */
  addLabels(number: number, labels: string[]): Promise<void>;
}

// ---- what a run leaves behind ----

/** One repository job's record (kept in Redis for reports and the dashboard). */
export interface RepoResult {
  installationId: number;
  /** `owner/name`. */
  repository: string;
  reason: string;
  startedAt: string;
  durationMs: number;
  outcome: 'ok' | 'failed' | 'skipped';
  /** Why `failed` or `skipped` (archived, config error…). */
  detail?: string;
  /** The default branch commit scanned. */
  commit: string | null;
  deps: number;
  /** Updates found (before grouping and limits). */
  updates: number;
  findings: { error: number; warning: number; info: number };
  pullRequests: { opened: number[]; updated: number[]; closed: number[]; pending: string[] };
  /** Lookup errors, files that could not be edited, config errors: shown on the dashboard. */
  errors: string[];
  /** GitHub API requests the job sent (304s included) and how many were 304s. */
  apiCalls: { requests: number; notModified: number };
  /** Registry requests the job's lookups sent (cache misses). */
  registryRequests: number;
  /** Automerge this run: merged, native auto-merge enabled, failed checks, blocked. */
  automerge?: {
    merged: { number: number; title: string }[];
    enabled: number[];
    failed: { number: number; title: string; checks: string[] }[];
    blocked: { number: number; title: string; reason: string }[];
  };
  /** Maintenance mode: what was triggered this run. */
  rebuild?: { kind: 'dispatch' | 'pull-request'; workflow?: string };
}
