// Check runs: create and update (annotations are appended, at most 50 per request as on GitHub), get,
// list for a ref, and the stored annotations.
import { notFound, unprocessable, validationFailed } from '../errors.js';
import {
  nullableString,
  numberParam,
  objectField,
  optionalString,
  paginate,
  requiredString,
  type ApiRequest,
  type Route,
} from '../http.js';
import { checkRunJson } from '../json.js';
import type { Annotation, CheckRunRecord } from '../repo.js';

const MAX_ANNOTATIONS = 50;
const STATUSES = ['queued', 'in_progress', 'completed', 'waiting', 'requested', 'pending'];
const CONCLUSIONS = [
  'action_required',
  'cancelled',
  'failure',
  'neutral',
  'success',
  'skipped',
  'stale',
  'timed_out',
];
const LEVELS = ['notice', 'warning', 'failure'];

function annotations(output: Record<string, unknown> | undefined): Annotation[] {
  const raw = output?.annotations;
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) throw unprocessable('output.annotations must be an array');
  if (raw.length > MAX_ANNOTATIONS) {
    throw validationFailed([
      {
        resource: 'CheckRun',
        field: 'output.annotations',
        code: 'custom',
        message: `Only ${MAX_ANNOTATIONS} annotations are allowed per request`,
      },
    ]);
  }
  return raw.map((item: unknown) => {
    const annotation = (item ?? {}) as Record<string, unknown>;
    const level = requiredString(annotation, 'annotation_level', 'CheckRun');
    if (!LEVELS.includes(level)) throw unprocessable(`annotation_level ${level} is not valid`);
    if (!Number.isInteger(annotation.start_line) || !Number.isInteger(annotation.end_line)) {
      throw validationFailed([
        { resource: 'CheckRun', field: 'output.annotations.start_line', code: 'missing_field' },
      ]);
    }
    requiredString(annotation, 'path', 'CheckRun');
    requiredString(annotation, 'message', 'CheckRun');
    return annotation as unknown as Annotation;
  });
}

/** Applies the fields of a create or update body (status, conclusion, output) to a run. */
function apply(request: ApiRequest, run: CheckRunRecord): void {
  const { body } = request;
  const status = optionalString(body, 'status');
  const conclusion = optionalString(body, 'conclusion');
  if (status !== undefined && !STATUSES.includes(status))
    throw unprocessable(`status ${status} is not valid`);
  if (conclusion !== undefined && !CONCLUSIONS.includes(conclusion))
    throw unprocessable(`conclusion ${conclusion} is not valid`);
  if (status === 'completed' && conclusion === undefined && run.conclusion === null) {
    throw validationFailed([{ resource: 'CheckRun', field: 'conclusion', code: 'missing_field' }]);
  }
  const output = objectField(body, 'output');
  const added = annotations(output);
  if (output) {
    run.output = {
      title: nullableString(output, 'title') ?? run.output.title,
      summary: requiredString(output, 'summary', 'CheckRun'),
      text: nullableString(output, 'text') ?? run.output.text,
    };
  }
  run.annotations.push(...added);
  // A conclusion completes the run, as on GitHub.
  if (conclusion !== undefined) {
    run.conclusion = conclusion;
    run.status = 'completed';
    run.completedAt = optionalString(body, 'completed_at') ?? request.state.isoNow();
  } else if (status !== undefined) {
    run.status = status;
  }
  run.detailsUrl = nullableString(body, 'details_url') ?? run.detailsUrl;
  run.externalId = nullableString(body, 'external_id') ?? run.externalId;
  const name = optionalString(body, 'name');
  if (name) run.name = name;
}

export const checkRoutes: Route[] = [
  {
    method: 'POST',
    path: '/repos/:owner/:repo/check-runs',
    handle: (request) => {
      const { repo, body, state } = request;
      const headSha = requiredString(body, 'head_sha', 'CheckRun');
      if (!repo.git.commits.has(headSha))
        throw validationFailed([{ resource: 'CheckRun', field: 'head_sha', code: 'invalid' }]);
      const run: CheckRunRecord = {
        id: state.nextId(),
        name: requiredString(body, 'name', 'CheckRun'),
        headSha,
        status: 'queued',
        conclusion: null,
        startedAt: optionalString(body, 'started_at') ?? state.isoNow(),
        completedAt: null,
        detailsUrl: null,
        externalId: null,
        output: { title: null, summary: null, text: null },
        annotations: [],
      };
      apply(request, run);
      repo.checkRuns.push(run);
      return { status: 201, json: checkRunJson(state, repo, run, request.urls) };
    },
  },
  {
    method: 'PATCH',
    path: '/repos/:owner/:repo/check-runs/:id',
    handle: (request) => {
      const run = request.repo.checkRun(numberParam(request, 'id'));
      apply(request, run);
      return { json: checkRunJson(request.state, request.repo, run, request.urls) };
    },
  },
  {
    method: 'GET',
    path: '/repos/:owner/:repo/check-runs/:id',
    handle: (request) => ({
      json: checkRunJson(
        request.state,
        request.repo,
        request.repo.checkRun(numberParam(request, 'id')),
        request.urls,
      ),
    }),
  },
  {
    method: 'GET',
    path: '/repos/:owner/:repo/check-runs/:id/annotations',
    handle: (request) => {
      const run = request.repo.checkRun(numberParam(request, 'id'));
      const page = paginate(request, run.annotations);
      return {
        json: page.items.map((annotation) => ({ ...annotation, blob_href: '' })),
        headers: page.headers,
      };
    },
  },
  {
    // Listed before `commits/*ref` (routes are tried in order) since a branch name may hold slashes.
    method: 'GET',
    path: '/repos/:owner/:repo/commits/*ref/check-runs',
    handle: (request) => {
      const { repo, query } = request;
      const sha = repo.resolveCommit(request.params.ref!);
      if (!sha) throw notFound();
      const name = query.get('check_name');
      const status = query.get('status');
      const runs = repo.checkRuns
        .filter(
          (run) => run.headSha === sha && (!name || run.name === name) && (!status || run.status === status),
        )
        .reverse();
      const page = paginate(request, runs);
      return {
        json: {
          total_count: runs.length,
          check_runs: page.items.map((run) => checkRunJson(request.state, repo, run, request.urls)),
        },
        headers: page.headers,
      };
    },
  },
];
