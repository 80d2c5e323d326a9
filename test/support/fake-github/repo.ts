// One repository's state: git objects and refs, issues and pull requests (one numbering, as on GitHub),
// comments, labels, check runs and dispatches. Writes keep the links GitHub keeps: moving a branch moves
// its open pull requests' heads, deleting it closes them.
import { ApiError, notFound, unprocessable, validationFailed } from './errors.js';
import { GitStore, type CommitObject, type PathEntry, type Signature } from './git.js';

/** A file for `createRepo`/`commit`: text or bytes, a symlink, an executable, or null to delete it. */
export type FileSpec =
  string | Buffer | { symlink: string } | { content: string | Buffer; executable: true } | null;

export interface User {
  login: string;
  id: number;
  type: 'User' | 'Bot';
}

export interface CommentRecord {
  id: number;
  issueNumber: number;
  body: string;
  user: User;
  createdAt: string;
  updatedAt: string;
}

export type MergeMethod = 'merge' | 'squash' | 'rebase';

export interface ReviewRecord {
  id: number;
  user: User;
  state: 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED';
  /** The head commit the review was made on. */
  commitId: string;
  submittedAt: string;
}

export interface PullRecord {
  head: string;
  headSha: string;
  base: string;
  draft: boolean;
  merged: boolean;
  mergedAt: string | null;
  mergeCommitSha: string | null;
  /** Native auto-merge, enabled through GraphQL; the fake merges the PR once it may. */
  autoMerge: { method: MergeMethod; enabledBy: User; enabledAt: string } | null;
  reviews: ReviewRecord[];
}

/** The merge settings of the repository's settings page (GitHub's defaults). */
export interface RepoSettings {
  allowAutoMerge: boolean;
  allowSquashMerge: boolean;
  allowMergeCommit: boolean;
  allowRebaseMerge: boolean;
  deleteBranchOnMerge: boolean;
}

/** Classic branch protection, as far as merging is concerned. */
export interface BranchProtection {
  /** Status check contexts (check run names or commit status contexts) that must succeed. */
  requiredChecks: string[];
  /** "Require branches to be up to date before merging". */
  strict: boolean;
  requiredApprovingReviews: number;
}

export type CommitState = 'error' | 'failure' | 'pending' | 'success';

export interface StatusRecord {
  id: number;
  sha: string;
  context: string;
  state: CommitState;
  description: string | null;
  targetUrl: string | null;
  creator: User;
  createdAt: string;
}

/** `mergeable_state` as GitHub computes it (never `dirty`: the fake detects no conflicts). */
export type MergeableState = 'clean' | 'blocked' | 'behind' | 'unstable' | 'draft' | 'unknown';

export interface IssueRecord {
  id: number;
  number: number;
  title: string;
  body: string | null;
  state: 'open' | 'closed';
  stateReason: string | null;
  user: User;
  labels: string[];
  comments: CommentRecord[];
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  /** Set when the issue is a pull request. */
  pull?: PullRecord;
}

export interface Annotation {
  path: string;
  start_line: number;
  end_line: number;
  annotation_level: 'notice' | 'warning' | 'failure';
  message: string;
  title?: string;
  start_column?: number;
  end_column?: number;
  raw_details?: string;
}

export interface CheckRunRecord {
  id: number;
  name: string;
  headSha: string;
  status: string;
  conclusion: string | null;
  startedAt: string;
  completedAt: string | null;
  detailsUrl: string | null;
  externalId: string | null;
  output: { title: string | null; summary: string | null; text: string | null };
  annotations: Annotation[];
  /** The app that made the run; absent: this app. */
  app?: { id: number; slug: string };
}

export interface SarifUpload {
  id: string;
  commitSha: string;
  ref: string;
  /** The decoded SARIF document. */
  sarif: unknown;
  at: string;
}

export interface WorkflowRunRecord {
  id: number;
  workflowId: string;
  event: string;
  headBranch: string;
  status: 'completed';
  conclusion: 'success' | 'failure';
  createdAt: string;
}

export type DispatchRecord =
  | { kind: 'workflow'; workflowId: string; ref: string; inputs: Record<string, unknown>; at: string }
  | { kind: 'repository'; eventType: string; clientPayload: unknown; at: string };

/** What a repository needs from the server-wide state. */
export interface RepoContext {
  now(): string;
  nextId(): number;
}

export interface RepoInit {
  id: number;
  owner: string;
  name: string;
  defaultBranch: string;
  archived: boolean;
  private: boolean;
  createdAt: string;
}

const TEST_AUTHOR = { name: 'Test User', email: 'test@example.com' };

export class FakeRepo {
  readonly git = new GitStore();
  /** Full ref name (`refs/heads/main`) → commit sha. */
  readonly refs = new Map<string, string>();
  readonly issues = new Map<number, IssueRecord>();
  readonly checkRuns: CheckRunRecord[] = [];
  /** Commit statuses, oldest first. */
  readonly statuses: StatusRecord[] = [];
  /** Branch name → protection. */
  readonly protections = new Map<string, BranchProtection>();
  settings: RepoSettings = {
    allowAutoMerge: false,
    allowSquashMerge: true,
    allowMergeCommit: true,
    allowRebaseMerge: true,
    deleteBranchOnMerge: false,
  };
  readonly dispatches: DispatchRecord[] = [];
  /** Runs of workflows: one per workflow_dispatch, completed with `dispatchConclusion`. */
  readonly workflowRuns: WorkflowRunRecord[] = [];
  /** How the next dispatched runs end (tests set `failure` to model a broken rebuild). */
  dispatchConclusion: 'success' | 'failure' = 'success';
  readonly sarifUploads: SarifUpload[] = [];
  /** Lower-cased login → permission (`admin`, `write`, `read`…). */
  readonly collaborators = new Map<string, string>();
  readonly labels = new Map<
    string,
    { id: number; name: string; color: string; description: string | null }
  >();
  readonly id: number;
  readonly owner: string;
  readonly name: string;
  readonly createdAt: string;
  defaultBranch: string;
  archived: boolean;
  private: boolean;
  pushedAt: string;
  private lastNumber = 0;
  private settling = false;

  constructor(
    init: RepoInit,
    private readonly context: RepoContext,
  ) {
    this.id = init.id;
    this.owner = init.owner;
    this.name = init.name;
    this.defaultBranch = init.defaultBranch;
    this.archived = init.archived;
    this.private = init.private;
    this.createdAt = init.createdAt;
    this.pushedAt = init.createdAt;
  }

  get fullName(): string {
    return `${this.owner}/${this.name}`;
  }

  // --- refs and commits ---

  branchSha(branch: string): string | undefined {
    return this.refs.get(`refs/heads/${branch}`);
  }

  /** A commit sha for a sha, a branch name, `heads/<branch>` or `refs/heads/<branch>`. */
  resolveCommit(ref: string): string | undefined {
    if (this.git.commits.has(ref)) return ref;
    const full = ref.startsWith('refs/')
      ? ref
      : ref.startsWith('heads/')
        ? `refs/${ref}`
        : `refs/heads/${ref}`;
    return this.refs.get(full) ?? this.refs.get(`refs/tags/${ref}`);
  }

  commitObject(sha: string): CommitObject {
    const commit = this.git.commits.get(sha);
    if (!commit) throw notFound();
    return commit;
  }

  setRef(ref: string, sha: string): void {
    if (!this.git.commits.has(sha)) throw unprocessable('Object does not exist');
    this.refs.set(ref, sha);
    this.pushedAt = this.context.now();
    const branch = branchOf(ref);
    for (const issue of this.issues.values()) {
      if (issue.pull && issue.state === 'open' && issue.pull.head === branch) issue.pull.headSha = sha;
    }
  }

  deleteRef(ref: string): void {
    if (!this.refs.delete(ref)) throw unprocessable('Reference does not exist');
    const branch = branchOf(ref);
    // GitHub closes the open pull requests whose head branch goes away.
    for (const issue of this.issues.values()) {
      if (issue.pull && issue.state === 'open' && issue.pull.head === branch) this.close(issue);
    }
  }

  /** Files at a commit, by path. */
  filesAt(commitSha: string): Map<string, PathEntry> {
    return this.git.flatten(this.commitObject(commitSha).tree);
  }

  makeCommit(
    tree: string,
    parents: string[],
    message: string,
    author?: Signature,
    committer?: Signature,
  ): CommitObject {
    const date = this.context.now();
    const signature = { ...TEST_AUTHOR, date };
    return this.git.putCommit({
      tree,
      parents,
      message,
      author: author ?? committer ?? signature,
      committer: committer ?? author ?? signature,
      verified: !author && !committer,
    });
  }

  /**
   * Commits `files` over the branch's head (a new branch starts from the default branch's head) and moves
   * the branch: what a push by someone else looks like. Returns the new commit's sha.
   */
  commitFiles(branch: string, files: Record<string, FileSpec>, message = 'Update files'): string {
    const parent = this.branchSha(branch) ?? this.branchSha(this.defaultBranch);
    const flat = parent ? this.filesAt(parent) : new Map<string, PathEntry>();
    for (const [path, spec] of Object.entries(files)) {
      if (spec === null) flat.delete(path);
      else flat.set(path, this.fileEntry(spec));
    }
    const commit = this.makeCommit(this.git.buildTree(flat), parent ? [parent] : [], message);
    this.setRef(`refs/heads/${branch}`, commit.sha);
    return commit.sha;
  }

  private fileEntry(spec: Exclude<FileSpec, null>): PathEntry {
    if (typeof spec === 'string' || Buffer.isBuffer(spec)) {
      return { mode: '100644', type: 'blob', sha: this.git.putBlob(spec) };
    }
    if ('symlink' in spec) return { mode: '120000', type: 'blob', sha: this.git.putBlob(spec.symlink) };
    return { mode: '100755', type: 'blob', sha: this.git.putBlob(spec.content) };
  }

  /** The bytes of a file at a branch head (undefined when the branch or the file is missing). */
  file(branch: string, path: string): Buffer | undefined {
    const sha = this.branchSha(branch);
    const entry = sha ? this.filesAt(sha).get(path) : undefined;
    return entry?.type === 'blob' ? this.git.blobs.get(entry.sha) : undefined;
  }

  // --- issues and pull requests ---

  issue(number: number): IssueRecord {
    const issue = this.issues.get(number);
    if (!issue) throw notFound();
    return issue;
  }

  pull(number: number): IssueRecord & { pull: PullRecord } {
    const issue = this.issue(number);
    if (!issue.pull) throw notFound();
    return issue as IssueRecord & { pull: PullRecord };
  }

  createIssue(input: { title: string; body?: string | null; labels?: string[]; user: User }): IssueRecord {
    if (!input.title) throw validationFailed([{ resource: 'Issue', field: 'title', code: 'missing_field' }]);
    const now = this.context.now();
    const issue: IssueRecord = {
      id: this.context.nextId(),
      number: ++this.lastNumber,
      title: input.title,
      body: input.body ?? null,
      state: 'open',
      stateReason: null,
      user: input.user,
      labels: [],
      comments: [],
      createdAt: now,
      updatedAt: now,
      closedAt: null,
    };
    this.addLabels(issue, input.labels ?? []);
    this.issues.set(issue.number, issue);
    return issue;
  }

  updateIssue(
    issue: IssueRecord,
    changes: {
      title?: string;
      body?: string | null;
      state?: string;
      state_reason?: string | null;
      labels?: string[];
    },
  ): void {
    if (changes.title !== undefined) issue.title = changes.title;
    if (changes.body !== undefined) issue.body = changes.body;
    if (changes.labels !== undefined) {
      issue.labels = [];
      this.addLabels(issue, changes.labels);
    }
    if (changes.state === 'closed' && issue.state === 'open') {
      this.close(issue, changes.state_reason ?? 'completed');
    } else if (changes.state === 'open' && issue.state === 'closed') {
      if (issue.pull?.merged)
        throw validationFailed([
          {
            resource: 'PullRequest',
            code: 'custom',
            message: 'state cannot be changed. The pull request has been merged.',
          },
        ]);
      if (issue.pull) {
        const head = this.branchSha(issue.pull.head);
        if (!head)
          throw validationFailed([
            {
              resource: 'PullRequest',
              code: 'custom',
              message: 'state cannot be changed. The head branch was deleted.',
            },
          ]);
        issue.pull.headSha = head;
      }
      issue.state = 'open';
      issue.closedAt = null;
      issue.stateReason = 'reopened';
    }
    issue.updatedAt = this.context.now();
  }

  private close(issue: IssueRecord, reason: string | null = null): void {
    // Closing a pull request turns its auto-merge off, as on GitHub.
    if (issue.pull) issue.pull.autoMerge = null;
    issue.state = 'closed';
    issue.stateReason = issue.pull ? null : reason;
    issue.closedAt = this.context.now();
    issue.updatedAt = issue.closedAt;
  }

  addLabels(issue: IssueRecord, names: string[]): void {
    for (const name of names) {
      // Adding a label the repository does not have creates it, as GitHub does.
      if (!this.labels.has(name)) this.createLabel(name);
      if (!issue.labels.includes(name)) issue.labels.push(name);
    }
  }

  createLabel(name: string, color = 'ededed', description: string | null = null): void {
    if (this.labels.has(name)) {
      throw validationFailed([{ resource: 'Label', field: 'name', code: 'already_exists' }]);
    }
    this.labels.set(name, { id: this.context.nextId(), name, color, description });
  }

  addComment(issue: IssueRecord, body: string, user: User): CommentRecord {
    if (!body) throw validationFailed([{ resource: 'IssueComment', field: 'body', code: 'missing_field' }]);
    const now = this.context.now();
    const comment = {
      id: this.context.nextId(),
      issueNumber: issue.number,
      body,
      user,
      createdAt: now,
      updatedAt: now,
    };
    issue.comments.push(comment);
    return comment;
  }

  comment(id: number): CommentRecord {
    for (const issue of this.issues.values()) {
      const found = issue.comments.find((comment) => comment.id === id);
      if (found) return found;
    }
    throw notFound();
  }

  createPull(input: {
    title: string;
    body?: string | null;
    head: string;
    base: string;
    draft?: boolean;
    user: User;
  }): IssueRecord {
    const pullError = (message: string) =>
      validationFailed([{ resource: 'PullRequest', code: 'custom', message }]);
    // `owner:branch` names a branch in a fork; this server has none, so only the repository's owner works.
    const [headOwner, headBranch] = input.head.includes(':')
      ? input.head.split(':', 2)
      : [this.owner, input.head];
    const headSha = headOwner === this.owner ? this.branchSha(headBranch!) : undefined;
    if (!headSha) throw validationFailed([{ resource: 'PullRequest', field: 'head', code: 'invalid' }]);
    const baseSha = this.branchSha(input.base);
    if (!baseSha) throw validationFailed([{ resource: 'PullRequest', field: 'base', code: 'invalid' }]);
    const existing = [...this.issues.values()].find(
      (issue) =>
        issue.pull &&
        issue.state === 'open' &&
        issue.pull.head === headBranch &&
        issue.pull.base === input.base,
    );
    if (existing) throw pullError(`A pull request already exists for ${this.owner}:${headBranch}.`);
    if (this.git.isAncestor(headSha, baseSha))
      throw pullError(`No commits between ${input.base} and ${headBranch}`);
    const issue = this.createIssue({ title: input.title, body: input.body ?? null, user: input.user });
    issue.pull = {
      head: headBranch!,
      headSha,
      base: input.base,
      draft: input.draft ?? false,
      merged: false,
      mergedAt: null,
      mergeCommitSha: null,
      autoMerge: null,
      reviews: [],
    };
    return issue;
  }

  updatePull(
    issue: IssueRecord & { pull: PullRecord },
    changes: { title?: string; body?: string | null; state?: string; base?: string },
  ): void {
    if (changes.base !== undefined) {
      if (!this.branchSha(changes.base))
        throw validationFailed([{ resource: 'PullRequest', field: 'base', code: 'invalid' }]);
      issue.pull.base = changes.base;
    }
    this.updateIssue(issue, changes);
  }

  /**
   * Merges like a user with admin rights pressing the button (protection and settings not checked): a merge
   * commit on the base. See `merge` for the methods.
   */
  mergePull(number: number): string {
    const issue = this.pull(number);
    if (issue.state !== 'open') throw new ApiError(405, 'Pull Request is not mergeable');
    return this.merge(issue, 'merge');
  }

  /**
   * Merges an open pull request the way `PUT /pulls/{n}/merge` does once it is allowed. `merge`: a merge
   * commit on the base whose tree takes, file by file, the head's side of every path the head changed since
   * the merge base (no conflict detection); `squash`: that tree in one commit on the base; `rebase`: the
   * head's own commits (first-parent chain) replayed on the base. The pull request is closed as merged, and
   * its head branch deleted when the repository says so. Returns the commit the base now points at.
   */
  merge(
    issue: IssueRecord & { pull: PullRecord },
    method: MergeMethod,
    options: { title?: string; message?: string } = {},
  ): string {
    const { pull } = issue;
    const baseSha = this.branchSha(pull.base)!;
    const headSha = pull.headSha;
    const mergeBase = this.git.mergeBase(baseSha, headSha);
    let result: string;
    if (method === 'rebase') {
      const own: CommitObject[] = [];
      for (let sha: string | undefined = headSha; sha && sha !== mergeBase;) {
        const commit = this.commitObject(sha);
        own.unshift(commit);
        sha = commit.parents[0];
      }
      result = baseSha;
      for (const commit of own) {
        const parent = commit.parents[0];
        const before = parent ? this.filesAt(parent) : new Map<string, PathEntry>();
        const tree = this.applyChanges(this.filesAt(result), before, this.filesAt(commit.sha));
        result = this.makeCommit(tree, [result], commit.message).sha;
      }
    } else {
      const before = mergeBase ? this.filesAt(mergeBase) : new Map<string, PathEntry>();
      const tree = this.applyChanges(this.filesAt(baseSha), before, this.filesAt(headSha));
      const title =
        options.title ??
        (method === 'squash'
          ? `${issue.title} (#${issue.number})`
          : `Merge pull request #${issue.number} from ${this.owner}/${pull.head}`);
      const body = options.message ?? (method === 'squash' ? '' : issue.title);
      const message = body ? `${title}\n\n${body}` : title;
      result = this.makeCommit(tree, method === 'squash' ? [baseSha] : [baseSha, headSha], message).sha;
    }
    this.setRef(`refs/heads/${pull.base}`, result);
    pull.merged = true;
    pull.mergedAt = this.context.now();
    pull.mergeCommitSha = result;
    this.close(issue);
    if (this.settings.deleteBranchOnMerge && this.branchSha(pull.head) !== undefined)
      this.deleteRef(`refs/heads/${pull.head}`);
    return result;
  }

  /** `target` with every path that changed from `before` to `after` taken from `after`; a tree sha. */
  private applyChanges(
    target: Map<string, PathEntry>,
    before: Map<string, PathEntry>,
    after: Map<string, PathEntry>,
  ): string {
    for (const path of new Set([...before.keys(), ...after.keys()])) {
      const was = before.get(path);
      const now = after.get(path);
      if (was?.sha === now?.sha && was?.mode === now?.mode) continue;
      if (now) target.set(path, now);
      else target.delete(path);
    }
    return this.git.buildTree(target);
  }

  /** Files a pull request changes, against the merge base (what GitHub's files list shows). */
  pullFiles(
    issue: IssueRecord & { pull: PullRecord },
  ): { path: string; status: 'added' | 'modified' | 'removed'; sha: string }[] {
    const baseSha = this.branchSha(issue.pull.base) ?? issue.pull.headSha;
    const mergeBase = this.git.mergeBase(baseSha, issue.pull.headSha);
    const before = mergeBase ? this.filesAt(mergeBase) : new Map<string, PathEntry>();
    const after = this.filesAt(issue.pull.headSha);
    const changes: { path: string; status: 'added' | 'modified' | 'removed'; sha: string }[] = [];
    for (const path of [...new Set([...before.keys(), ...after.keys()])].sort()) {
      const was = before.get(path);
      const now = after.get(path);
      if (!was) changes.push({ path, status: 'added', sha: now!.sha });
      else if (!now) changes.push({ path, status: 'removed', sha: was.sha });
      else if (was.sha !== now.sha || was.mode !== now.mode)
        changes.push({ path, status: 'modified', sha: now.sha });
    }
    return changes;
  }

  // --- merging: protection, checks, reviews, auto-merge ---

  /** The latest check run of each name and the latest status of each context on a commit. */
  latestChecks(sha: string): { runs: CheckRunRecord[]; statuses: StatusRecord[] } {
    const runs = new Map<string, CheckRunRecord>();
    for (const run of this.checkRuns) if (run.headSha === sha) runs.set(run.name, run);
    const statuses = new Map<string, StatusRecord>();
    for (const status of this.statuses) if (status.sha === sha) statuses.set(status.context, status);
    return { runs: [...runs.values()], statuses: [...statuses.values()] };
  }

  /**
   * Why protection forbids merging the pull request now (GitHub's 405 messages), and the state GitHub
   * would show: `behind` when the base requires up-to-date branches and moved past the head; `blocked`
   * when a required check is missing, pending or failed, or approving reviews are missing; `unstable` when
   * another check is pending or failed; `clean` otherwise. Closed pull requests are `unknown`.
   */
  mergeability(issue: IssueRecord & { pull: PullRecord }): { state: MergeableState; problem?: string } {
    if (issue.state !== 'open') return { state: 'unknown', problem: 'Pull Request is not mergeable' };
    const { pull } = issue;
    if (pull.draft) return { state: 'draft', problem: 'Pull Request is still a draft' };
    const baseSha = this.branchSha(pull.base);
    const protection = this.protections.get(pull.base);
    if (protection?.strict && baseSha && !this.git.isAncestor(baseSha, pull.headSha))
      return { state: 'behind', problem: 'Head branch is out of date. Review and try the merge again.' };
    const { runs, statuses } = this.latestChecks(pull.headSha);
    const required = protection?.requiredChecks ?? [];
    const problems: string[] = [];
    const approvals = this.approvals(pull);
    const wanted = protection?.requiredApprovingReviews ?? 0;
    if (approvals < wanted)
      problems.push(
        `At least ${wanted} approving review${wanted === 1 ? ' is' : 's are'} required by reviewers with write access.`,
      );
    const unmet = required.filter((context) => !passes(context, runs, statuses));
    const failing = unmet.filter((context) => fails(context, runs, statuses));
    if (unmet.length === 1)
      problems.push(`Required status check "${unmet[0]}" is ${failing.length > 0 ? 'failing' : 'expected'}.`);
    else if (unmet.length > 1)
      problems.push(
        failing.length > 0
          ? `${failing.length} of ${required.length} required status checks have failed.`
          : `${unmet.length} of ${required.length} required status checks are expected.`,
      );
    if (problems.length > 0) return { state: 'blocked', problem: problems.join('\n') };
    const others = [
      ...runs.filter((run) => !required.includes(run.name)).map((run) => runPassed(run)),
      ...statuses.filter((status) => !required.includes(status.context)).map((s) => s.state === 'success'),
    ];
    return { state: others.every(Boolean) ? 'clean' : 'unstable' };
  }

  /** Records a commit status (what `POST /statuses/{sha}` does). */
  addStatus(input: Omit<StatusRecord, 'id' | 'createdAt'>): StatusRecord {
    const status = { ...input, id: this.context.nextId(), createdAt: this.context.now() };
    this.statuses.push(status);
    return status;
  }

  /** A review on the pull request's current head. */
  addReview(
    issue: IssueRecord & { pull: PullRecord },
    user: User,
    state: ReviewRecord['state'],
  ): ReviewRecord {
    const review = {
      id: this.context.nextId(),
      user,
      state,
      commitId: issue.pull.headSha,
      submittedAt: this.context.now(),
    };
    issue.pull.reviews.push(review);
    return review;
  }

  /** Reviewers whose latest approving-or-not review approves. */
  approvals(pull: PullRecord): number {
    const latest = new Map<string, ReviewRecord['state']>();
    for (const review of pull.reviews)
      if (review.state !== 'COMMENTED') latest.set(review.user.login.toLowerCase(), review.state);
    return [...latest.values()].filter((state) => state === 'APPROVED').length;
  }

  /** Whether the repository allows a merge method. */
  allows(method: MergeMethod): boolean {
    const { allowMergeCommit, allowSquashMerge, allowRebaseMerge } = this.settings;
    return method === 'merge' ? allowMergeCommit : method === 'squash' ? allowSquashMerge : allowRebaseMerge;
  }

  /**
   * `PUT /pulls/{n}/merge`: 409 when `sha` is not the head, 405 when the method is not allowed or
   * protection forbids the merge (GitHub's messages), else the merge.
   */
  mergeChecked(
    issue: IssueRecord & { pull: PullRecord },
    input: { sha?: string; method: MergeMethod; title?: string; message?: string },
  ): string {
    if (issue.state !== 'open') throw new ApiError(405, 'Pull Request is not mergeable');
    if (input.sha !== undefined && input.sha !== issue.pull.headSha)
      throw new ApiError(409, 'Head branch was modified. Review and try the merge again.');
    if (!this.allows(input.method)) throw new ApiError(405, METHOD_REFUSED[input.method]);
    const { state, problem } = this.mergeability(issue);
    if (state !== 'clean' && state !== 'unstable')
      throw new ApiError(405, problem ?? 'Pull Request is not mergeable');
    return this.merge(issue, input.method, input);
  }

  /**
   * Merges every open pull request with auto-merge on that may now be merged (required checks and
   * reviews met, up to date when required), until none is left: what GitHub does after any change.
   */
  settleAutoMerge(): void {
    if (this.settling) return;
    this.settling = true;
    try {
      for (let merged = true; merged;) {
        merged = false;
        for (const issue of this.issues.values()) {
          const auto = issue.pull?.autoMerge;
          if (!auto || issue.state !== 'open') continue;
          const pull = issue as IssueRecord & { pull: PullRecord };
          const { state } = this.mergeability(pull);
          if ((state !== 'clean' && state !== 'unstable') || !this.allows(auto.method)) continue;
          this.merge(pull, auto.method);
          merged = true;
        }
      }
    } finally {
      this.settling = false;
    }
  }

  // --- checks and dispatches ---

  checkRun(id: number): CheckRunRecord {
    const run = this.checkRuns.find((candidate) => candidate.id === id);
    if (!run) throw notFound();
    return run;
  }
}

const METHOD_REFUSED: Record<MergeMethod, string> = {
  merge: 'Merge commits are not allowed on this repository.',
  squash: 'Squash merges are not allowed on this repository.',
  rebase: 'Rebase merges are not allowed on this repository.',
};

const PASSING = ['success', 'neutral', 'skipped'];

function runPassed(run: CheckRunRecord): boolean {
  return run.status === 'completed' && PASSING.includes(run.conclusion ?? '');
}

function passes(context: string, runs: CheckRunRecord[], statuses: StatusRecord[]): boolean {
  return (
    runs.some((run) => run.name === context && runPassed(run)) ||
    statuses.some((status) => status.context === context && status.state === 'success')
  );
}

function fails(context: string, runs: CheckRunRecord[], statuses: StatusRecord[]): boolean {
  return (
    runs.some((run) => run.name === context && run.status === 'completed' && !runPassed(run)) ||
    statuses.some((status) => status.context === context && ['failure', 'error'].includes(status.state))
  );
}

export function branchOf(ref: string): string {
  return ref.replace(/^refs\/heads\//, '');
}
