// Rebuild triggers: workflow_dispatch (the workflow file must exist at the ref and accept the event; each
// dispatch records a completed run, listed by the workflow-runs route) and repository_dispatch, both
// answering 204; and code scanning's SARIF upload (gzip + base64, 202). All are
// recorded on the repository.
import { gunzipSync } from 'node:zlib';
import { ApiError, notFound, unprocessable } from '../errors.js';
import { objectField, requiredString, type Route } from '../http.js';

export const actionRoutes: Route[] = [
  {
    method: 'POST',
    path: '/repos/:owner/:repo/actions/workflows/:id/dispatches',
    handle: ({ repo, params, body, state }) => {
      const ref = requiredString(body, 'ref', 'Workflow');
      const workflowId = params.id!;
      const sha = repo.resolveCommit(ref);
      if (!sha) throw unprocessable(`No ref found for: ${ref}`);
      // Workflows are named by file name here; numeric ids are not modelled.
      const file = repo.filesAt(sha).get(`.github/workflows/${workflowId}`);
      if (!file) throw notFound();
      if (!repo.git.blobs.get(file.sha)!.toString().includes('workflow_dispatch')) {
        throw new ApiError(422, "Workflow does not have 'workflow_dispatch' trigger");
      }
      const inputs = objectField(body, 'inputs') ?? {};
      repo.dispatches.push({ kind: 'workflow', workflowId, ref, inputs, at: state.isoNow() });
      repo.workflowRuns.push({
        id: state.nextId(),
        workflowId,
        event: 'workflow_dispatch',
        headBranch: ref,
        status: 'completed',
        conclusion: repo.dispatchConclusion,
        createdAt: state.isoNow(),
      });
      return { status: 204 };
    },
  },
  {
    // Newest first; `status=success` keeps successful runs only (GitHub's filter), `per_page` caps.
    method: 'GET',
    path: '/repos/:owner/:repo/actions/workflows/:id/runs',
    handle: ({ repo, params, query }) => {
      const status = query.get('status');
      const perPage = Math.min(Number(query.get('per_page')) || 30, 100);
      const runs = repo.workflowRuns
        .filter((run) => run.workflowId === params.id && (!status || run.conclusion === status))
        .reverse();
      return {
        status: 200,
        json: {
          total_count: runs.length,
          workflow_runs: runs.slice(0, perPage).map((run) => ({
            id: run.id,
            event: run.event,
            head_branch: run.headBranch,
            status: run.status,
            conclusion: run.conclusion,
            created_at: run.createdAt,
          })),
        },
      };
    },
  },
  {
    method: 'POST',
    path: '/repos/:owner/:repo/dispatches',
    handle: ({ repo, body, state }) => {
      const eventType = requiredString(body, 'event_type', 'Dispatch');
      repo.dispatches.push({
        kind: 'repository',
        eventType,
        clientPayload: body.client_payload ?? null,
        at: state.isoNow(),
      });
      return { status: 204 };
    },
  },
  {
    method: 'POST',
    path: '/repos/:owner/:repo/code-scanning/sarifs',
    handle: ({ repo, body, state }) => {
      const commitSha = requiredString(body, 'commit_sha', 'Sarif');
      const ref = requiredString(body, 'ref', 'Sarif');
      if (!/^[0-9a-f]{40}$/.test(commitSha) || !repo.git.commits.has(commitSha))
        throw unprocessable(`commit_sha ${commitSha} is not a commit of this repository`);
      if (!/^refs\/(heads|tags|pull)\//.test(ref)) throw unprocessable(`ref ${ref} is not a full ref`);
      let sarif: unknown;
      try {
        sarif = JSON.parse(
          gunzipSync(Buffer.from(requiredString(body, 'sarif', 'Sarif'), 'base64')).toString(),
        );
      } catch {
        throw new ApiError(400, 'sarif: expected a gzip-compressed, base64-encoded SARIF file');
      }
      const id = `${repo.sarifUploads.length + 1}`;
      repo.sarifUploads.push({ id, commitSha, ref, sarif, at: state.isoNow() });
      return { status: 202, json: { id, url: `sarifs/${id}` } };
    },
  },
];
