// GitHub's JSON shapes for the records the state holds: the fields octokit users read, with the same names
// and types (ids as numbers, times as ISO 8601 without milliseconds, urls on this server).
import type { CommitObject } from './git.js';
import type { Urls } from './http.js';
import type {
  CheckRunRecord,
  CommentRecord,
  FakeRepo,
  IssueRecord,
  PullRecord,
  ReviewRecord,
  StatusRecord,
  User,
} from './repo.js';
import type { FakeGitHubState, InstallationRecord } from './state.js';

export const PERMISSIONS = {
  actions: 'write',
  checks: 'write',
  contents: 'write',
  issues: 'write',
  metadata: 'read',
  pull_requests: 'write',
  statuses: 'read',
};

export function userJson(user: User, urls: Urls) {
  return {
    login: user.login,
    id: user.id,
    node_id: nodeId('U', user.id),
    type: user.type,
    site_admin: false,
    url: `${urls.api}/users/${encodeURIComponent(user.login)}`,
    html_url: `${urls.web}/${encodeURIComponent(user.login)}`,
  };
}

function ownerJson(state: FakeGitHubState, login: string, urls: Urls) {
  return { ...userJson(state.user(login), urls), type: 'Organization' };
}

export function nodeId(kind: string, id: number): string {
  return Buffer.from(`${kind}_${id}`).toString('base64url');
}

export function repoJson(state: FakeGitHubState, repo: FakeRepo, urls: Urls) {
  const api = `${urls.api}/repos/${repo.fullName}`;
  return {
    id: repo.id,
    node_id: nodeId('R', repo.id),
    name: repo.name,
    full_name: repo.fullName,
    owner: ownerJson(state, repo.owner, urls),
    private: repo.private,
    visibility: repo.private ? 'private' : 'public',
    fork: false,
    archived: repo.archived,
    disabled: false,
    default_branch: repo.defaultBranch,
    url: api,
    html_url: `${urls.web}/${repo.fullName}`,
    clone_url: `${urls.web}/${repo.fullName}.git`,
    git_url: `${urls.web.replace(/^https?:/, 'git:')}/${repo.fullName}.git`,
    created_at: repo.createdAt,
    updated_at: repo.pushedAt,
    pushed_at: repo.pushedAt,
    permissions: { admin: false, maintain: false, push: true, triage: true, pull: true },
    allow_auto_merge: repo.settings.allowAutoMerge,
    allow_squash_merge: repo.settings.allowSquashMerge,
    allow_merge_commit: repo.settings.allowMergeCommit,
    allow_rebase_merge: repo.settings.allowRebaseMerge,
    delete_branch_on_merge: repo.settings.deleteBranchOnMerge,
  };
}

export function installationJson(state: FakeGitHubState, installation: InstallationRecord, urls: Urls) {
  return {
    id: installation.id,
    account: ownerJson(state, installation.account, urls),
    app_id: state.appId,
    app_slug: state.appSlug,
    target_type: 'Organization',
    target_id: state.user(installation.account).id,
    repository_selection: installation.repositories === 'all' ? 'all' : 'selected',
    permissions: PERMISSIONS,
    events: ['check_run', 'installation', 'issue_comment', 'issues', 'pull_request', 'push'],
    access_tokens_url: `${urls.api}/app/installations/${installation.id}/access_tokens`,
    repositories_url: `${urls.api}/installation/repositories`,
    html_url: `${urls.web}/organizations/${installation.account}/settings/installations/${installation.id}`,
    created_at: installation.createdAt,
    updated_at: installation.createdAt,
    suspended_at: installation.suspended ? installation.createdAt : null,
  };
}

export function gitCommitJson(repo: FakeRepo, commit: CommitObject, urls: Urls) {
  const api = `${urls.api}/repos/${repo.fullName}`;
  return {
    sha: commit.sha,
    node_id: nodeId('C', parseInt(commit.sha.slice(0, 8), 16)),
    url: `${api}/git/commits/${commit.sha}`,
    html_url: `${urls.web}/${repo.fullName}/commit/${commit.sha}`,
    author: commit.author,
    committer: commit.committer,
    message: commit.message,
    tree: { sha: commit.tree, url: `${api}/git/trees/${commit.tree}` },
    parents: commit.parents.map((sha) => ({
      sha,
      url: `${api}/git/commits/${sha}`,
      html_url: `${urls.web}/${repo.fullName}/commit/${sha}`,
    })),
    verification: {
      verified: commit.verified,
      reason: commit.verified ? 'valid' : 'unsigned',
      signature: null,
      payload: null,
    },
  };
}

/** `GET /repos/:o/:r/commits/:ref`: the commit with its git data nested under `commit`. */
export function commitJson(repo: FakeRepo, commit: CommitObject, urls: Urls) {
  const git = gitCommitJson(repo, commit, urls);
  return {
    sha: commit.sha,
    node_id: git.node_id,
    url: `${urls.api}/repos/${repo.fullName}/commits/${commit.sha}`,
    html_url: git.html_url,
    commit: {
      url: git.url,
      author: git.author,
      committer: git.committer,
      message: git.message,
      tree: git.tree,
      verification: git.verification,
    },
    author: null,
    committer: null,
    parents: git.parents,
  };
}

export function refJson(repo: FakeRepo, ref: string, sha: string, urls: Urls) {
  const api = `${urls.api}/repos/${repo.fullName}`;
  return {
    ref,
    node_id: Buffer.from(`REF_${repo.id}_${ref}`).toString('base64url'),
    url: `${api}/git/${ref}`,
    object: { sha, type: 'commit', url: `${api}/git/commits/${sha}` },
  };
}

export function labelJson(repo: FakeRepo, name: string, urls: Urls) {
  const label = repo.labels.get(name);
  return {
    id: label?.id ?? 0,
    node_id: nodeId('LA', label?.id ?? 0),
    url: `${urls.api}/repos/${repo.fullName}/labels/${encodeURIComponent(name)}`,
    name,
    color: label?.color ?? 'ededed',
    default: false,
    description: label?.description ?? null,
  };
}

export function issueJson(repo: FakeRepo, issue: IssueRecord, urls: Urls) {
  const api = `${urls.api}/repos/${repo.fullName}`;
  const kind = issue.pull ? 'pull' : 'issues';
  return {
    id: issue.id,
    node_id: nodeId('I', issue.id),
    number: issue.number,
    title: issue.title,
    body: issue.body,
    state: issue.state,
    state_reason: issue.stateReason,
    locked: false,
    user: userJson(issue.user, urls),
    labels: issue.labels.map((name) => labelJson(repo, name, urls)),
    assignee: null,
    assignees: [],
    comments: issue.comments.length,
    created_at: issue.createdAt,
    updated_at: issue.updatedAt,
    closed_at: issue.closedAt,
    author_association: issue.user.type === 'Bot' ? 'NONE' : 'MEMBER',
    url: `${api}/issues/${issue.number}`,
    repository_url: api,
    labels_url: `${api}/issues/${issue.number}/labels{/name}`,
    comments_url: `${api}/issues/${issue.number}/comments`,
    html_url: `${urls.web}/${repo.fullName}/${kind}/${issue.number}`,
    ...(issue.pull
      ? {
          pull_request: {
            url: `${api}/pulls/${issue.number}`,
            html_url: `${urls.web}/${repo.fullName}/pull/${issue.number}`,
            merged_at: issue.pull.mergedAt,
          },
        }
      : {}),
  };
}

function branchJson(state: FakeGitHubState, repo: FakeRepo, branch: string, sha: string, urls: Urls) {
  return {
    label: `${repo.owner}:${branch}`,
    ref: branch,
    sha,
    user: ownerJson(state, repo.owner, urls),
    repo: repoJson(state, repo, urls),
  };
}

/**
 * A pull request; `list: true` is a list item, which lacks what GitHub computes per pull request
 * (`mergeable`, `rebaseable`, `mergeable_state`).
 */
export function pullJson(
  state: FakeGitHubState,
  repo: FakeRepo,
  issue: IssueRecord & { pull: PullRecord },
  urls: Urls,
  { list = false } = {},
) {
  const api = `${urls.api}/repos/${repo.fullName}`;
  const { pull } = issue;
  const baseSha = repo.branchSha(pull.base) ?? '';
  const open = issue.state === 'open';
  const computed = list
    ? {}
    : {
        mergeable: open ? true : null,
        rebaseable: open ? true : null,
        mergeable_state: repo.mergeability(issue).state,
      };
  return {
    id: issue.id,
    node_id: nodeId('PR', issue.id),
    number: issue.number,
    state: issue.state,
    locked: false,
    title: issue.title,
    body: issue.body,
    user: userJson(issue.user, urls),
    labels: issue.labels.map((name) => labelJson(repo, name, urls)),
    draft: pull.draft,
    head: branchJson(state, repo, pull.head, pull.headSha, urls),
    base: branchJson(state, repo, pull.base, baseSha, urls),
    merged: pull.merged,
    merged_at: pull.mergedAt,
    merge_commit_sha: pull.mergeCommitSha,
    ...computed,
    auto_merge: pull.autoMerge
      ? {
          enabled_by: userJson(pull.autoMerge.enabledBy, urls),
          merge_method: pull.autoMerge.method,
          commit_title: null,
          commit_message: null,
        }
      : null,
    comments: issue.comments.length,
    created_at: issue.createdAt,
    updated_at: issue.updatedAt,
    closed_at: issue.closedAt,
    author_association: issue.user.type === 'Bot' ? 'NONE' : 'MEMBER',
    url: `${api}/pulls/${issue.number}`,
    html_url: `${urls.web}/${repo.fullName}/pull/${issue.number}`,
    diff_url: `${urls.web}/${repo.fullName}/pull/${issue.number}.diff`,
    issue_url: `${api}/issues/${issue.number}`,
    commits_url: `${api}/pulls/${issue.number}/commits`,
    statuses_url: `${api}/statuses/${pull.headSha}`,
  };
}

export function commentJson(repo: FakeRepo, comment: CommentRecord, urls: Urls) {
  const api = `${urls.api}/repos/${repo.fullName}`;
  return {
    id: comment.id,
    node_id: nodeId('IC', comment.id),
    body: comment.body,
    user: userJson(comment.user, urls),
    created_at: comment.createdAt,
    updated_at: comment.updatedAt,
    author_association: comment.user.type === 'Bot' ? 'NONE' : 'MEMBER',
    url: `${api}/issues/comments/${comment.id}`,
    issue_url: `${api}/issues/${comment.issueNumber}`,
    html_url: `${urls.web}/${repo.fullName}/issues/${comment.issueNumber}#issuecomment-${comment.id}`,
  };
}

export function checkRunJson(state: FakeGitHubState, repo: FakeRepo, run: CheckRunRecord, urls: Urls) {
  const api = `${urls.api}/repos/${repo.fullName}`;
  const pulls = [...repo.issues.values()].filter(
    (issue) => issue.pull?.headSha === run.headSha && issue.state === 'open',
  );
  return {
    id: run.id,
    node_id: nodeId('CR', run.id),
    name: run.name,
    head_sha: run.headSha,
    external_id: run.externalId,
    status: run.status,
    conclusion: run.conclusion,
    started_at: run.startedAt,
    completed_at: run.completedAt,
    details_url: run.detailsUrl,
    url: `${api}/check-runs/${run.id}`,
    html_url: `${urls.web}/${repo.fullName}/runs/${run.id}`,
    output: {
      ...run.output,
      annotations_count: run.annotations.length,
      annotations_url: `${api}/check-runs/${run.id}/annotations`,
    },
    check_suite: { id: run.id },
    app: run.app
      ? { id: run.app.id, slug: run.app.slug, name: run.app.slug }
      : { id: state.appId, slug: state.appSlug, name: state.appSlug },
    pull_requests: pulls.map((issue) => ({
      id: issue.id,
      number: issue.number,
      url: `${api}/pulls/${issue.number}`,
      head: { ref: issue.pull!.head, sha: issue.pull!.headSha },
      base: { ref: issue.pull!.base, sha: repo.branchSha(issue.pull!.base) ?? '' },
    })),
  };
}

export function statusJson(repo: FakeRepo, status: StatusRecord, urls: Urls) {
  return {
    id: status.id,
    node_id: nodeId('SC', status.id),
    url: `${urls.api}/repos/${repo.fullName}/statuses/${status.sha}`,
    state: status.state,
    description: status.description,
    target_url: status.targetUrl,
    context: status.context,
    creator: userJson(status.creator, urls),
    created_at: status.createdAt,
    updated_at: status.createdAt,
  };
}

export function reviewJson(repo: FakeRepo, issue: IssueRecord, review: ReviewRecord, urls: Urls) {
  return {
    id: review.id,
    node_id: nodeId('PRR', review.id),
    user: userJson(review.user, urls),
    body: '',
    state: review.state,
    commit_id: review.commitId,
    submitted_at: review.submittedAt,
    author_association: 'MEMBER',
    html_url: `${urls.web}/${repo.fullName}/pull/${issue.number}#pullrequestreview-${review.id}`,
    pull_request_url: `${urls.api}/repos/${repo.fullName}/pulls/${issue.number}`,
  };
}
