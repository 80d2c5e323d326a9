// Everything the fake GitHub holds: repositories, installations of the app and the tokens issued to them,
// plus the methods tests use to arrange a scenario ("the user pushed", "the user closed the PR") and to
// read the outcome.
import { randomBytes } from 'node:crypto';
import { notFound } from './errors.js';
import {
  FakeRepo,
  type BranchProtection,
  type CheckRunRecord,
  type CommitState,
  type DispatchRecord,
  type FileSpec,
  type IssueRecord,
  type MergeableState,
  type RepoSettings,
  type ReviewRecord,
  type SarifUpload,
  type StatusRecord,
  type User,
} from './repo.js';

export interface StateOptions {
  /** The clock (ms since the epoch) for timestamps, token expiry and rate-limit windows. */
  now?: () => number;
  /** The app's slug: its pull requests, issues and comments are by `<slug>[bot]`. Default `dockhand`. */
  appSlug?: string;
  appId?: number;
}

export interface CreateRepoOptions {
  files?: Record<string, FileSpec>;
  defaultBranch?: string;
  archived?: boolean;
  private?: boolean;
  message?: string;
}

export interface InstallationRecord {
  id: number;
  account: string;
  /** `all`: every repository of the account, now and later; else these full names. */
  repositories: 'all' | string[];
  suspended: boolean;
  createdAt: string;
}

export interface TokenRecord {
  installationId: number;
  expiresAt: number;
}

export const TOKEN_LIFETIME_MS = 60 * 60 * 1000;

export class FakeGitHubState {
  readonly now: () => number;
  readonly appSlug: string;
  readonly appId: number;
  readonly bot: User;
  /** Recursive tree listings with more entries than this come back `truncated` (GitHub: 100,000). */
  treeEntryLimit = 100_000;
  private readonly repos = new Map<string, FakeRepo>();
  private readonly installationsById = new Map<number, InstallationRecord>();
  private readonly tokens = new Map<string, TokenRecord>();
  private lastId = 1000;

  constructor(options: StateOptions = {}) {
    this.now = options.now ?? Date.now;
    this.appSlug = options.appSlug ?? 'dockhand';
    this.appId = options.appId ?? 1;
    this.bot = { login: `${this.appSlug}[bot]`, id: 900_000 + this.appId, type: 'Bot' };
  }

  nextId(): number {
    return ++this.lastId;
  }

  isoNow(): string {
    return new Date(this.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }

  // --- repositories ---

  /** Creates a repository whose default branch holds `files` in one commit. */
  createRepo(owner: string, name: string, options: CreateRepoOptions = {}): FakeRepo {
    const key = `${owner}/${name}`.toLowerCase();
    if (this.repos.has(key)) throw new Error(`repository ${owner}/${name} exists`);
    const repo = new FakeRepo(
      {
        id: this.nextId(),
        owner,
        name,
        defaultBranch: options.defaultBranch ?? 'main',
        archived: options.archived ?? false,
        private: options.private ?? false,
        createdAt: this.isoNow(),
      },
      { now: () => this.isoNow(), nextId: () => this.nextId() },
    );
    repo.commitFiles(repo.defaultBranch, options.files ?? {}, options.message ?? 'Initial commit');
    this.repos.set(key, repo);
    return repo;
  }

  deleteRepo(owner: string, name: string): void {
    this.repos.delete(`${owner}/${name}`.toLowerCase());
  }

  /** The repository (names are case-insensitive, as on GitHub); throws a 404 when it does not exist. */
  repo(owner: string, name: string): FakeRepo {
    const repo = this.repos.get(`${owner}/${name}`.toLowerCase());
    if (!repo) throw notFound();
    return repo;
  }

  findRepo(owner: string, name: string): FakeRepo | undefined {
    return this.repos.get(`${owner}/${name}`.toLowerCase());
  }

  allRepos(): FakeRepo[] {
    return [...this.repos.values()];
  }

  /** A new commit of `files` on `branch` (created from the default branch if missing); returns its sha. */
  commit(
    owner: string,
    name: string,
    branch: string,
    files: Record<string, FileSpec>,
    message?: string,
  ): string {
    const repo = this.repo(owner, name);
    const sha = repo.commitFiles(branch, files, message);
    repo.settleAutoMerge();
    return sha;
  }

  /** A file's text at a branch head, or undefined. */
  file(owner: string, name: string, branch: string, path: string): string | undefined {
    return this.repo(owner, name).file(branch, path)?.toString();
  }

  branches(owner: string, name: string): Map<string, string> {
    const branches = new Map<string, string>();
    for (const [ref, sha] of this.repo(owner, name).refs) {
      if (ref.startsWith('refs/heads/')) branches.set(ref.slice('refs/heads/'.length), sha);
    }
    return branches;
  }

  /** Pull requests, oldest first. */
  pulls(owner: string, name: string): IssueRecord[] {
    return [...this.repo(owner, name).issues.values()].filter((issue) => issue.pull);
  }

  /** Issues that are not pull requests, oldest first. */
  issues(owner: string, name: string): IssueRecord[] {
    return [...this.repo(owner, name).issues.values()].filter((issue) => !issue.pull);
  }

  createIssue(
    owner: string,
    name: string,
    input: { title: string; body?: string; labels?: string[]; user?: string },
  ): IssueRecord {
    const user = input.user ? this.user(input.user) : this.bot;
    return this.repo(owner, name).createIssue({ ...input, user });
  }

  /** A user's comment on an issue or pull request (e.g. `@dockhand rebase`). */
  comment(owner: string, name: string, number: number, body: string, user = 'octocat'): void {
    const repo = this.repo(owner, name);
    repo.addComment(repo.issue(number), body, this.user(user));
  }

  /** The user closes a pull request (or issue) without merging. */
  close(owner: string, name: string, number: number): void {
    const repo = this.repo(owner, name);
    repo.updateIssue(repo.issue(number), { state: 'closed' });
  }

  /** A user with admin rights merges the pull request (a merge commit; protection is not checked). */
  mergePull(owner: string, name: string, number: number): string {
    const repo = this.repo(owner, name);
    const sha = repo.mergePull(number);
    repo.settleAutoMerge();
    return sha;
  }

  // --- merging: settings, protection, reviews, other apps' checks, statuses ---

  /** The repository's merge settings (defaults as GitHub's: every method allowed, auto-merge off). */
  setMergeSettings(owner: string, name: string, settings: Partial<RepoSettings>): void {
    const repo = this.repo(owner, name);
    repo.settings = { ...repo.settings, ...settings };
    repo.settleAutoMerge();
  }

  /**
   * Protects `branch`: `requiredChecks` (check run names or status contexts) must succeed, `strict` the
   * pull request must be up to date with it, `requiredApprovingReviews` approvals needed.
   */
  protectBranch(
    owner: string,
    name: string,
    branch: string,
    protection: Partial<BranchProtection> = {},
  ): void {
    const repo = this.repo(owner, name);
    repo.protections.set(branch, {
      requiredChecks: protection.requiredChecks ?? [],
      strict: protection.strict ?? false,
      requiredApprovingReviews: protection.requiredApprovingReviews ?? 0,
    });
    repo.settleAutoMerge();
  }

  unprotectBranch(owner: string, name: string, branch: string): void {
    const repo = this.repo(owner, name);
    repo.protections.delete(branch);
    repo.settleAutoMerge();
  }

  /** A user's review of the pull request's current head (default: an approval by `reviewer`). */
  review(
    owner: string,
    name: string,
    number: number,
    state: ReviewRecord['state'] = 'APPROVED',
    user = 'reviewer',
  ): ReviewRecord {
    const repo = this.repo(owner, name);
    const review = repo.addReview(repo.pull(number), this.user(user), state);
    repo.settleAutoMerge();
    return review;
  }

  approve(owner: string, name: string, number: number, user = 'reviewer'): ReviewRecord {
    return this.review(owner, name, number, 'APPROVED', user);
  }

  /**
   * A check run of another app (`ci` by default) on a commit: `status` defaults to `completed` when a
   * conclusion is given, else `queued`.
   */
  addCheckRun(
    owner: string,
    name: string,
    input: { name: string; headSha: string; status?: string; conclusion?: string | null; app?: string },
  ): CheckRunRecord {
    const repo = this.repo(owner, name);
    const conclusion = input.conclusion ?? null;
    const status = input.status ?? (conclusion === null ? 'queued' : 'completed');
    const now = this.isoNow();
    const slug = input.app ?? 'ci';
    const run: CheckRunRecord = {
      id: this.nextId(),
      name: input.name,
      headSha: input.headSha,
      status,
      conclusion,
      startedAt: now,
      completedAt: status === 'completed' ? now : null,
      detailsUrl: null,
      externalId: null,
      output: { title: null, summary: null, text: null },
      annotations: [],
      app: { id: 800_000 + (this.user(slug).id % 100_000), slug },
    };
    repo.checkRuns.push(run);
    repo.settleAutoMerge();
    return run;
  }

  /** Moves a check run on (`in_progress`, or `completed` with a conclusion). */
  updateCheckRun(
    owner: string,
    name: string,
    id: number,
    changes: { status?: string; conclusion?: string | null },
  ): void {
    const repo = this.repo(owner, name);
    const run = repo.checkRun(id);
    if (changes.conclusion !== undefined) run.conclusion = changes.conclusion;
    run.status = changes.status ?? (changes.conclusion ? 'completed' : run.status);
    if (run.status === 'completed') run.completedAt = this.isoNow();
    repo.settleAutoMerge();
  }

  /** A commit status another system reports (`context`, e.g. `ci/jenkins`). */
  setStatus(
    owner: string,
    name: string,
    sha: string,
    input: { context: string; state: CommitState; description?: string; user?: string },
  ): StatusRecord {
    const repo = this.repo(owner, name);
    const status = repo.addStatus({
      sha,
      context: input.context,
      state: input.state,
      description: input.description ?? null,
      targetUrl: null,
      creator: this.user(input.user ?? 'ci-bot'),
    });
    repo.settleAutoMerge();
    return status;
  }

  statuses(owner: string, name: string): StatusRecord[] {
    return this.repo(owner, name).statuses;
  }

  /** The `mergeable_state` GitHub would show for the pull request now. */
  mergeableState(owner: string, name: string, number: number): MergeableState {
    const repo = this.repo(owner, name);
    return repo.mergeability(repo.pull(number)).state;
  }

  checkRuns(owner: string, name: string): CheckRunRecord[] {
    return this.repo(owner, name).checkRuns;
  }

  dispatches(owner: string, name: string): DispatchRecord[] {
    return this.repo(owner, name).dispatches;
  }

  /** Makes `login` a collaborator of the repository with `permission` (`admin`, `write`, `read`…). */
  setPermission(owner: string, name: string, login: string, permission: string): void {
    this.repo(owner, name).collaborators.set(login.toLowerCase(), permission);
  }

  sarifUploads(owner: string, name: string): SarifUpload[] {
    return this.repo(owner, name).sarifUploads;
  }

  user(login: string): User {
    return {
      login,
      id: 100_000 + ([...login].reduce((sum, char) => sum * 31 + char.charCodeAt(0), 0) % 100_000),
      type: 'User',
    };
  }

  // --- installations and tokens ---

  addInstallation(input: {
    id?: number;
    account: string;
    repositories?: 'all' | string[];
    suspended?: boolean;
  }): InstallationRecord {
    const installation: InstallationRecord = {
      id: input.id ?? this.nextId(),
      account: input.account,
      repositories: input.repositories ?? 'all',
      suspended: input.suspended ?? false,
      createdAt: this.isoNow(),
    };
    this.installationsById.set(installation.id, installation);
    return installation;
  }

  installation(id: number): InstallationRecord | undefined {
    return this.installationsById.get(id);
  }

  installations(): InstallationRecord[] {
    return [...this.installationsById.values()];
  }

  /** The repositories an installation can see, in creation order. */
  installationRepos(id: number): FakeRepo[] {
    const installation = this.installationsById.get(id);
    if (!installation) return [];
    const selected = installation.repositories;
    return this.allRepos().filter((repo) =>
      selected === 'all'
        ? repo.owner.toLowerCase() === installation.account.toLowerCase()
        : selected.some((fullName) => fullName.toLowerCase() === repo.fullName.toLowerCase()),
    );
  }

  canAccess(installationId: number, repo: FakeRepo): boolean {
    return this.installationRepos(installationId).includes(repo);
  }

  /** Issues an installation token (what `POST /app/installations/:id/access_tokens` does). */
  issueToken(installationId: number): { token: string; expiresAt: number } {
    const token = `ghs_${randomBytes(18).toString('base64url')}`;
    const expiresAt = this.now() + TOKEN_LIFETIME_MS;
    this.tokens.set(token, { installationId, expiresAt });
    return { token, expiresAt };
  }

  /** The installation a live token belongs to; undefined for unknown or expired tokens. */
  tokenInstallation(token: string): number | undefined {
    const record = this.tokens.get(token);
    return record && record.expiresAt > this.now() ? record.installationId : undefined;
  }

  /** Expires every token issued so far (to test that clients fetch a new one). */
  expireTokens(): void {
    for (const record of this.tokens.values()) record.expiresAt = 0;
  }
}
