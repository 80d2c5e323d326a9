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

export interface PullRecord {
  head: string;
  headSha: string;
  base: string;
  draft: boolean;
  merged: boolean;
  mergedAt: string | null;
  mergeCommitSha: string | null;
}

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
}

export interface SarifUpload {
  id: string;
  commitSha: string;
  ref: string;
  /** The decoded SARIF document. */
  sarif: unknown;
  at: string;
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
  readonly dispatches: DispatchRecord[] = [];
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
   * Merges like a user pressing the button: a merge commit on the base whose tree takes, file by file, the
   * head's side of every path the head changed since the merge base (no conflict detection).
   */
  mergePull(number: number): string {
    const issue = this.pull(number);
    if (issue.state !== 'open') throw new ApiError(405, 'Pull Request is not mergeable');
    const baseSha = this.branchSha(issue.pull.base)!;
    const headSha = issue.pull.headSha;
    const mergeBase = this.git.mergeBase(baseSha, headSha);
    const before = mergeBase ? this.filesAt(mergeBase) : new Map<string, PathEntry>();
    const after = this.filesAt(headSha);
    const merged = this.filesAt(baseSha);
    for (const path of new Set([...before.keys(), ...after.keys()])) {
      const was = before.get(path);
      const now = after.get(path);
      if (was?.sha === now?.sha && was?.mode === now?.mode) continue;
      if (now) merged.set(path, now);
      else merged.delete(path);
    }
    const message = `Merge pull request #${number} from ${this.owner}/${issue.pull.head}`;
    const commit = this.makeCommit(this.git.buildTree(merged), [baseSha, headSha], message);
    this.setRef(`refs/heads/${issue.pull.base}`, commit.sha);
    issue.pull.merged = true;
    issue.pull.mergedAt = this.context.now();
    issue.pull.mergeCommitSha = commit.sha;
    this.close(issue);
    return commit.sha;
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

  // --- checks and dispatches ---

  checkRun(id: number): CheckRunRecord {
    const run = this.checkRuns.find((candidate) => candidate.id === id);
    if (!run) throw notFound();
    return run;
  }
}

export function branchOf(ref: string): string {
  return ref.replace(/^refs\/heads\//, '');
}
