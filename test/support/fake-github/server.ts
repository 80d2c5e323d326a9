// A local stand-in of GitHub's REST API on a free loopback port, for end-to-end tests and benchmarks. It
// authenticates like GitHub (app JWT for /app routes, installation tokens elsewhere, repositories outside
// an installation are 404), answers conditional GETs with 304 (not counted against the rate limit), keeps
// per-installation rate-limit headers, and can inject failures and latency. Paths work both at the root
// and under `/api/v3` (GitHub Enterprise Server's layout, what probot uses with GHE_HOST).
import { createHash, randomUUID } from 'node:crypto';
import { createServer, STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { ApiError } from './errors.js';
import { matchPath, type ApiRequest, type Reply, type Route, type Urls } from './http.js';
import type { FakeRepo } from './repo.js';
import { actionRoutes } from './routes/actions.js';
import { appRoutes } from './routes/app.js';
import { checkRoutes } from './routes/checks.js';
import { collaboratorRoutes } from './routes/collaborators.js';
import { gitRoutes } from './routes/git.js';
import { graphqlRoutes } from './routes/graphql.js';
import { issueRoutes } from './routes/issues.js';
import { oauthRoutes } from './routes/oauth.js';
import { pullRoutes } from './routes/pulls.js';
import { statusRoutes } from './routes/statuses.js';
import { FakeGitHubState, type StateOptions } from './state.js';

// Tried in order: check runs' `commits/*ref/check-runs` and the statuses' `commits/*ref/status(es)`
// before git's `commits/*ref`.
const ROUTES: Route[] = [
  ...appRoutes,
  ...checkRoutes,
  ...statusRoutes,
  ...gitRoutes,
  ...graphqlRoutes,
  ...pullRoutes,
  ...issueRoutes,
  ...actionRoutes,
  ...collaboratorRoutes,
  ...oauthRoutes,
];

const GHES_PREFIX = '/api/v3';
/** GitHub Enterprise Server's GraphQL endpoint (Octokit's `graphql` uses it when the REST root is /api/v3). */
const GHES_GRAPHQL = '/api/graphql';
const RATE_WINDOW_MS = 60 * 60 * 1000;
const SECONDARY_MESSAGE =
  'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID.';

export interface FakeGitHubOptions extends StateOptions {
  /** Delay before each answer, for benchmarks. Default 0. */
  latencyMs?: number;
  /** Requests per hour per installation (and for the app's JWT). Default 5,000. */
  rateLimit?: number;
  /** How latency is waited out (tests inject one). Default: a timer. */
  sleep?: (ms: number) => Promise<void>;
}

export interface CallRecord {
  method: string;
  /** The route's pattern (`/repos/:owner/:repo/pulls`), or null when no route matched. */
  route: string | null;
  path: string;
  status: number;
  /** `owner/name` for repository routes. */
  repo?: string;
  installationId?: number;
  /** Whether an app JWT (Bearer, three parts) was sent. */
  jwt: boolean;
  /** Whether the call used rate-limit quota: 304s, injected failures and rejected calls do not. */
  counted: boolean;
  /** Answered by a `failNext` rule. */
  injected: boolean;
}

export interface FailOptions {
  headers?: Record<string, string>;
  /** How many matching requests fail. Default 1. */
  times?: number;
  message?: string;
}

export interface FakeGitHub {
  /** `http://127.0.0.1:<port>`; the API also answers under `<url>/api/v3`. */
  url: string;
  /** `127.0.0.1:<port>`, for GHE_HOST (with GHE_PROTOCOL=http). */
  host: string;
  state: FakeGitHubState;
  calls: CallRecord[];
  setLatency(ms: number): void;
  /**
   * The next `times` requests matching `pattern` answer `status`. A string is `[METHOD ]/path` where `:x`
   * matches one segment and `*` the rest; a RegExp is tested against `METHOD /path`.
   */
  failNext(pattern: string | RegExp, status: number, options?: FailOptions): void;
  /** GitHub's secondary rate limit: 403 with `retry-after` and its message. */
  secondaryRateLimitNext(pattern: string | RegExp, options?: { retryAfter?: number; times?: number }): void;
  /** Sets what is left of an installation's (or the app's) hourly quota; at 0 requests get 403. */
  setRateLimitRemaining(key: number | 'app', remaining: number): void;
  stop(): Promise<void>;
}

interface FailRule {
  matches(method: string, path: string): boolean;
  status: number;
  headers: Record<string, string>;
  message: string;
  left: number;
}

interface Quota {
  remaining: number;
  resetAt: number;
}

interface Caller {
  jwt: boolean;
  installationId?: number;
}

function patternMatcher(pattern: string | RegExp): (method: string, path: string) => boolean {
  if (pattern instanceof RegExp) return (method, path) => pattern.test(`${method} ${path}`);
  const [first, ...rest] = pattern.trim().split(/\s+/);
  const [method, path] = rest.length > 0 ? [first!.toUpperCase(), rest.join(' ')] : [undefined, first!];
  return (actualMethod, actualPath) =>
    (!method || method === actualMethod) && matchPath(path, actualPath) !== undefined;
}

/** A three-part token whose first part decodes to a JSON header is a JWT; its signature is not checked. */
function isJwt(token: string): boolean {
  const parts = token.split('.');
  if (parts.length !== 3) return false;
  try {
    return typeof JSON.parse(Buffer.from(parts[0]!, 'base64url').toString()) === 'object';
  } catch {
    return false;
  }
}

function caller(request: IncomingMessage, state: FakeGitHubState): Caller {
  const match = /^(bearer|token)\s+(\S+)$/i.exec(request.headers.authorization ?? '');
  if (!match) return { jwt: false };
  const token = match[2]!;
  if (match[1]!.toLowerCase() === 'bearer' && isJwt(token)) return { jwt: true };
  return { jwt: false, installationId: state.tokenInstallation(token) };
}

function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  const bare = (value: string) => value.trim().replace(/^W\//, '');
  return header.split(',').some((candidate) => candidate.trim() === '*' || bare(candidate) === bare(etag));
}

async function readBody(request: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString();
  if (!text.trim()) return {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null) throw new Error('not an object');
    return parsed as Record<string, unknown>;
  } catch {
    throw new ApiError(400, 'Problems parsing JSON');
  }
}

export async function startFakeGitHub(options: FakeGitHubOptions = {}): Promise<FakeGitHub> {
  const state = new FakeGitHubState(options);
  const limit = options.rateLimit ?? 5000;
  const calls: CallRecord[] = [];
  const rules: FailRule[] = [];
  const quotas = new Map<number | 'app' | 'user', Quota>();
  let latency = options.latencyMs ?? 0;
  const wait = options.sleep ?? ((ms: number) => sleep(ms));
  let origin = '';

  const quota = (key: number | 'app' | 'user'): Quota => {
    let current = quotas.get(key);
    if (!current || current.resetAt <= state.now()) {
      current = { remaining: limit, resetAt: state.now() + RATE_WINDOW_MS };
      quotas.set(key, current);
    }
    return current;
  };

  const rateHeaders = (current: Quota): Record<string, string> => ({
    'x-ratelimit-limit': String(limit),
    'x-ratelimit-remaining': String(current.remaining),
    'x-ratelimit-reset': String(Math.ceil(current.resetAt / 1000)),
    'x-ratelimit-used': String(limit - current.remaining),
    'x-ratelimit-resource': 'core',
  });

  function resolveRepo(route: Route, params: Record<string, string>, who: Caller): FakeRepo | undefined {
    if (params.owner === undefined || params.repo === undefined) return undefined;
    const repo = state.findRepo(params.owner, params.repo);
    // A repository the installation cannot see does not exist, for GitHub.
    if (!repo) throw new ApiError(404, 'Not Found');
    if (route.auth !== 'app' && !state.canAccess(who.installationId!, repo))
      throw new ApiError(404, 'Not Found');
    return repo;
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', origin);
    const ghesGraphql = url.pathname === GHES_GRAPHQL;
    const ghes = ghesGraphql || url.pathname === GHES_PREFIX || url.pathname.startsWith(`${GHES_PREFIX}/`);
    const path = ghesGraphql
      ? '/graphql'
      : ghes
        ? url.pathname.slice(GHES_PREFIX.length) || '/'
        : url.pathname;
    const urls: Urls = { api: ghes ? `${origin}${GHES_PREFIX}` : origin, web: origin };
    const method = (request.method ?? 'GET').toUpperCase();
    const who = caller(request, state);
    const record: CallRecord = {
      method,
      route: null,
      path,
      status: 0,
      jwt: who.jwt,
      counted: false,
      injected: false,
    };
    if (who.installationId !== undefined) record.installationId = who.installationId;
    const headers: Record<string, string> = {
      'x-github-request-id': randomUUID(),
      'x-github-media-type': 'github.v3',
    };
    let reply: Reply;
    try {
      if (latency > 0) await wait(latency);
      const body = await readBody(request);
      let params: Record<string, string> | undefined;
      const route = ROUTES.find(
        (candidate) => candidate.method === method && (params = matchPath(candidate.path, path)),
      );
      if (!route || !params) throw new ApiError(404, 'Not Found');
      record.route = route.path;
      if (params.owner !== undefined && params.repo !== undefined)
        record.repo = `${params.owner}/${params.repo}`;
      const rule = rules.find((candidate) => candidate.left > 0 && candidate.matches(method, path));
      if (rule) {
        rule.left--;
        record.injected = true;
        throw new ApiError(rule.status, rule.message, undefined, rule.headers);
      }
      if (route.auth === 'app' && !who.jwt) throw new ApiError(401, 'A JSON web token could not be decoded');
      if (route.auth !== 'app' && route.auth !== 'user' && who.installationId === undefined)
        throw new ApiError(401, 'Bad credentials');
      const current = quota(who.jwt ? 'app' : (who.installationId ?? 'user'));
      if (current.remaining <= 0) {
        Object.assign(headers, rateHeaders(current));
        const subject = who.jwt ? 'the app' : `installation ID ${who.installationId}`;
        throw new ApiError(403, `API rate limit exceeded for ${subject}.`);
      }
      const repo = resolveRepo(route, params, who);
      if (repo?.archived && method !== 'GET')
        throw new ApiError(403, 'Repository was archived so is read-only.');
      const apiRequest: ApiRequest = {
        method,
        path,
        params,
        query: url.searchParams,
        body,
        headers: request.headers,
        state,
        // Routes without `:owner/:repo` never read it.
        repo: repo as FakeRepo,
        installationId: who.installationId,
        urls,
      };
      reply = await route.handle(apiRequest);
      // Anything that changes a repository may let a pull request with auto-merge on be merged.
      if (method !== 'GET') repo?.settleAutoMerge();
      const payload = replyBody(reply);
      if (method === 'GET' && (reply.status ?? 200) === 200) {
        const etag = `W/"${createHash('sha1').update(payload).digest('hex')}"`;
        headers.etag = etag;
        if (etagMatches(request.headers['if-none-match'], etag)) reply = { status: 304 };
      }
      if (reply.status !== 304) {
        current.remaining--;
        record.counted = true;
      }
      Object.assign(headers, rateHeaders(current));
    } catch (error) {
      reply = errorReply(error);
    }
    record.status = reply.status ?? 200;
    calls.push(record);
    send(response, reply, headers);
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      // Only a failure to write the answer gets here.
      if (!response.headersSent) send(response, errorReply(error), {});
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;

  return {
    url: origin,
    host: `127.0.0.1:${port}`,
    state,
    calls,
    setLatency: (ms) => {
      latency = ms;
    },
    failNext: (pattern, status, failOptions = {}) => {
      rules.push({
        matches: patternMatcher(pattern),
        status,
        headers: failOptions.headers ?? {},
        message: failOptions.message ?? STATUS_CODES[status] ?? 'Error',
        left: failOptions.times ?? 1,
      });
    },
    secondaryRateLimitNext: (pattern, limitOptions = {}) => {
      rules.push({
        matches: patternMatcher(pattern),
        status: 403,
        headers: { 'retry-after': String(limitOptions.retryAfter ?? 1) },
        message: SECONDARY_MESSAGE,
        left: limitOptions.times ?? 1,
      });
    },
    setRateLimitRemaining: (key, remaining) => {
      quota(key).remaining = remaining;
    },
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function replyBody(reply: Reply): Buffer {
  if (reply.raw) return reply.raw.body;
  return reply.json === undefined ? Buffer.alloc(0) : Buffer.from(JSON.stringify(reply.json));
}

function errorReply(error: unknown): Reply {
  const apiError = error instanceof ApiError ? error : new ApiError(500, 'Server Error');
  return {
    status: apiError.status,
    headers: apiError.headers,
    json: {
      message: apiError.message,
      ...(apiError.errors ? { errors: apiError.errors } : {}),
      documentation_url: 'https://docs.github.com/rest',
      status: String(apiError.status),
    },
  };
}

function send(response: ServerResponse, reply: Reply, headers: Record<string, string>): void {
  const status = reply.status ?? 200;
  const body = status === 204 || status === 304 ? Buffer.alloc(0) : replyBody(reply);
  const contentType = reply.raw?.contentType ?? 'application/json; charset=utf-8';
  response.writeHead(status, {
    ...headers,
    ...reply.headers,
    ...(body.length > 0 ? { 'content-type': contentType, 'content-length': String(body.length) } : {}),
  });
  response.end(body);
}
