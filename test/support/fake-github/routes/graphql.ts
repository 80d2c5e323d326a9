// POST /graphql (and GitHub Enterprise Server's /api/graphql): only the mutations automerge sends,
// `enablePullRequestAutoMerge` and `disablePullRequestAutoMerge`, answered as GitHub does: HTTP 200 with
// `data` and, when refused, `errors` (type and message). Enabling is refused when the repository does not
// allow auto-merge or the pull request could be merged right now ("Pull request is in clean status").
import type { ApiRequest, Reply, Route } from '../http.js';
import type { FakeRepo, IssueRecord, MergeMethod, PullRecord } from '../repo.js';

type Pull = IssueRecord & { pull: PullRecord };

const METHODS: Record<string, MergeMethod> = { MERGE: 'merge', SQUASH: 'squash', REBASE: 'rebase' };

/** An input field given inline (`pullRequestId: "…"`, `mergeMethod: SQUASH`) or as a `$variable`. */
function inputField(query: string, variables: Record<string, unknown>, name: string): string | undefined {
  const match = new RegExp(`\\b${name}\\s*:\\s*(?:"([^"]*)"|\\$(\\w+)|(\\w+))`).exec(query);
  if (!match) return undefined;
  if (match[1] !== undefined) return match[1];
  if (match[2] !== undefined) {
    const value = variables[match[2]];
    return typeof value === 'string' ? value : undefined;
  }
  return match[3];
}

function findPull(request: ApiRequest, id: string): { repo: FakeRepo; issue: Pull } | undefined {
  const decoded = /^PR_(\d+)$/.exec(Buffer.from(id, 'base64url').toString());
  if (!decoded) return undefined;
  const number = Number(decoded[1]);
  for (const repo of request.state.installationRepos(request.installationId!)) {
    for (const issue of repo.issues.values())
      if (issue.id === number && issue.pull) return { repo, issue: issue as Pull };
  }
  return undefined;
}

function refused(field: string, type: string, message: string): Reply {
  return { json: { data: { [field]: null }, errors: [{ type, path: [field], locations: [], message }] } };
}

function autoMergeJson(issue: Pull) {
  const auto = issue.pull.autoMerge;
  return {
    pullRequest: {
      number: issue.number,
      autoMergeRequest: auto ? { enabledAt: auto.enabledAt, mergeMethod: auto.method.toUpperCase() } : null,
    },
  };
}

function handle(request: ApiRequest): Reply {
  const query = typeof request.body.query === 'string' ? request.body.query : '';
  const rawVariables = request.body.variables;
  const variables =
    typeof rawVariables === 'object' && rawVariables !== null
      ? (rawVariables as Record<string, unknown>)
      : {};
  const field = ['enablePullRequestAutoMerge', 'disablePullRequestAutoMerge'].find((name) =>
    query.includes(name),
  );
  if (!field)
    return { json: { errors: [{ message: 'The fake GitHub answers only the auto-merge mutations' }] } };
  // The input follows the field (the operation's `$variable: Type` declarations come before it).
  const input = query.slice(query.indexOf(field));
  const id = inputField(input, variables, 'pullRequestId') ?? '';
  const found = findPull(request, id);
  if (!found) return refused(field, 'NOT_FOUND', `Could not resolve to a node with the global id of '${id}'`);
  const { repo, issue } = found;
  if (field === 'disablePullRequestAutoMerge') {
    issue.pull.autoMerge = null;
    return { json: { data: { [field]: autoMergeJson(issue) } } };
  }
  if (!repo.settings.allowAutoMerge)
    return refused(field, 'UNPROCESSABLE', 'Pull request Auto merge is not allowed for this repository');
  if (issue.state !== 'open') return refused(field, 'UNPROCESSABLE', 'Pull request is closed');
  const method = METHODS[inputField(input, variables, 'mergeMethod') ?? 'MERGE'];
  if (!method) return refused(field, 'UNPROCESSABLE', 'Invalid merge method');
  if (!repo.allows(method))
    return refused(
      field,
      'UNPROCESSABLE',
      `Merge method ${method} merging is not allowed on this repository`,
    );
  const { state } = repo.mergeability(issue);
  if (state === 'clean' || state === 'unstable' || state === 'draft')
    return refused(field, 'UNPROCESSABLE', `Pull request is in ${state} status`);
  issue.pull.autoMerge = { method, enabledBy: request.state.bot, enabledAt: request.state.isoNow() };
  const answer = { json: { data: { [field]: autoMergeJson(issue) } } };
  repo.settleAutoMerge();
  return answer;
}

export const graphqlRoutes: Route[] = [{ method: 'POST', path: '/graphql', handle }];
