// A thin wrapper over an installation's Octokit for one repository job: counts the requests it sends
// (304s apart, since they cost no quota), answers conditional GETs from an ETag cache, and turns HTTP
// failures into error values whose messages never carry a token or a response body.
import type { Cache } from '../../cache/types.js';

/** What is used from Octokit (probot's installation client in production). */
export interface OctokitLike {
  request(
    route: string,
    parameters?: Record<string, unknown>,
  ): Promise<{ status: number; headers: Record<string, unknown>; data: unknown }>;
  /**
   * Octokit's GraphQL client (it knows GitHub Enterprise Server's `/api/graphql`). Without it, GraphQL
   * goes through `request('POST /graphql')`, which is right for github.com only.
   */
  graphql?: <T>(query: string, parameters?: Record<string, unknown>) => Promise<T>;
}

/** One entry of a GraphQL answer's `errors`. */
export interface GraphQLErrorItem {
  /** `UNPROCESSABLE`, `NOT_FOUND`, `FORBIDDEN`, `RATE_LIMITED`… */
  type?: string;
  message: string;
}

export type GitHubErrorKind =
  /** Repository, ref or object gone, or outside the installation: retrying will not help. */
  | 'not-found'
  /** Quota or secondary limit: retry after `retryAfterMs` (per installation). */
  | 'rate-limited'
  /** 5xx, network failures, an expired token (a new one is minted on retry). */
  | 'transient'
  /** Anything else (4xx the bot did not expect): fail the job once. */
  | 'rejected';

export interface GitHubError {
  kind: GitHubErrorKind;
  /** HTTP status, absent for network failures. */
  status?: number;
  /** Method, route template and repository only: never a token, URL query or response body. */
  message: string;
  retryAfterMs?: number;
  /**
   * GitHub's own words for the refusal (a 4xx body's `message`, or GraphQL's error messages joined), for
   * callers that report why GitHub said no (a merge refused). Never part of `message`.
   */
  apiMessage?: string;
  /** The GraphQL errors of an answer that carried some (HTTP 200). */
  graphql?: GraphQLErrorItem[];
}

export type GitHubResult<T> = { ok: true; value: T } | { ok: false; error: GitHubError };

export interface ApiUsage {
  /** Requests sent, 304s included. */
  requests: number;
  /** Requests answered 304 Not Modified (no quota used). */
  notModified: number;
}

interface EtagEntry {
  etag: string;
  data: unknown;
}

/** Unused conditional entries fall out eventually; an active repository refreshes them on every 200. */
const ETAG_TTL_SECONDS = 30 * 24 * 3600;
/** GitHub's advice for a secondary limit without `retry-after`. */
const DEFAULT_RATE_LIMIT_WAIT_MS = 60_000;

export class GitHubClient {
  readonly usage: ApiUsage = { requests: 0, notModified: 0 };

  constructor(
    private readonly octokit: OctokitLike,
    /** Holds ETags with their bodies, and content-addressed objects by sha. */
    readonly cache: Cache,
    private readonly now: () => number = Date.now,
  ) {}

  /** A GET; `route` is Octokit's (`GET /repos/{owner}/{repo}/git/blobs/{file_sha}`). */
  async get<T>(route: string, parameters: Record<string, unknown>): Promise<GitHubResult<T>> {
    return this.request<T>(route, parameters);
  }

  /** Any request, counted and with errors classified like a GET (`POST /repos/{owner}/{repo}/pulls`). */
  async request<T>(route: string, parameters: Record<string, unknown>): Promise<GitHubResult<T>> {
    this.usage.requests++;
    try {
      const response = await this.octokit.request(route, parameters);
      return { ok: true, value: response.data as T };
    } catch (error) {
      return { ok: false, error: this.toError(route, parameters, error) };
    }
  }

  /**
   * A GET sent with the ETag of the last answer; a 304 returns that answer's body from the cache. Keyed
   * by repository and URL, so installations never share entries.
   */
  async getConditional<T>(route: string, parameters: Record<string, unknown>): Promise<GitHubResult<T>> {
    const key = `github:etag:${expandRoute(route, parameters)}`;
    const cached = await this.cache.get<EtagEntry>(key);
    const headers = cached ? { 'if-none-match': cached.etag } : {};
    this.usage.requests++;
    try {
      const response = await this.octokit.request(route, { ...parameters, headers });
      const etag = response.headers.etag;
      if (typeof etag === 'string')
        await this.cache.set<EtagEntry>(key, { etag, data: response.data }, ETAG_TTL_SECONDS);
      return { ok: true, value: response.data as T };
    } catch (error) {
      // Octokit treats 304 as an error.
      if (cached && statusOf(error) === 304) {
        this.usage.notModified++;
        return { ok: true, value: cached.data as T };
      }
      return { ok: false, error: this.toError(route, parameters, error) };
    }
  }

  /**
   * A GraphQL query or mutation, counted like any request. An answer with `errors` is a failure of kind
   * `rejected` (`rate-limited` for RATE_LIMITED) carrying them; HTTP failures are classified as for REST.
   * `where` (owner and repo) only names the repository in error messages.
   */
  async graphql<T>(
    query: string,
    variables: Record<string, unknown>,
    where: { owner: string; repo: string },
  ): Promise<GitHubResult<T>> {
    const route = 'POST /graphql';
    this.usage.requests++;
    try {
      if (this.octokit.graphql) return { ok: true, value: await this.octokit.graphql<T>(query, variables) };
      const response = await this.octokit.request(route, { query, variables });
      const body = (response.data ?? {}) as { data?: T; errors?: unknown };
      const errors = graphqlErrors(body.errors);
      if (errors.length > 0) return { ok: false, error: graphqlFailure(route, where, errors) };
      return { ok: true, value: body.data as T };
    } catch (error) {
      // Octokit's GraphqlResponseError: HTTP 200 with `errors`, no status.
      const errors = graphqlErrors((error as { errors?: unknown } | null)?.errors);
      if (statusOf(error) === undefined && errors.length > 0)
        return { ok: false, error: graphqlFailure(route, where, errors) };
      return { ok: false, error: this.toError(route, where, error) };
    }
  }

  private toError(route: string, parameters: Record<string, unknown>, error: unknown): GitHubError {
    const status = statusOf(error);
    const where = `${route.split(' ')[0]} ${routeTemplate(route)} (${String(parameters.owner)}/${String(parameters.repo)})`;
    if (status === undefined) return { kind: 'transient', message: `${where}: network failure` };
    const message = `${where}: HTTP ${status}`;
    if (status === 404 || status === 410) return { kind: 'not-found', status, message };
    const headers = headersOf(error);
    const retryAfterMs = retryAfter(headers, this.now());
    if (
      status === 429 ||
      (status === 403 && (retryAfterMs !== undefined || headers['x-ratelimit-remaining'] === '0'))
    ) {
      return {
        kind: 'rate-limited',
        status,
        message,
        retryAfterMs: retryAfterMs ?? DEFAULT_RATE_LIMIT_WAIT_MS,
      };
    }
    if (status >= 500 || status === 401) return { kind: 'transient', status, message };
    const apiMessage = bodyMessage(error);
    return { kind: 'rejected', status, message, ...(apiMessage === undefined ? {} : { apiMessage }) };
  }
}

/** The path of a route with its parameters filled in (the cache key; the query is irrelevant here). */
function expandRoute(route: string, parameters: Record<string, unknown>): string {
  const path = routeTemplate(route).replace(/\{(\w+)\}/g, (_, name: string) =>
    encodeURIComponent(String(parameters[name])),
  );
  const query = Object.keys(parameters)
    .filter((name) => !route.includes(`{${name}}`) && name !== 'headers')
    .sort()
    .map((name) => `${name}=${String(parameters[name])}`)
    .join('&');
  return query ? `${path}?${query}` : path;
}

function routeTemplate(route: string): string {
  return route.split(' ').at(-1)!;
}

function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' && status > 0 ? status : undefined;
}

/** The `message` of a JSON error body (GitHub's words for a refusal). */
function bodyMessage(error: unknown): string | undefined {
  const data = (error as { response?: { data?: unknown } } | null)?.response?.data;
  const message = (data as { message?: unknown } | null | undefined)?.message;
  return typeof message === 'string' && message.length > 0 ? message : undefined;
}

function graphqlErrors(value: unknown): GraphQLErrorItem[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item: unknown) => {
    const { type, message } = (item ?? {}) as { type?: unknown; message?: unknown };
    if (typeof message !== 'string') return [];
    return [typeof type === 'string' ? { type, message } : { message }];
  });
}

function graphqlFailure(
  route: string,
  where: { owner: string; repo: string },
  errors: GraphQLErrorItem[],
): GitHubError {
  const types = [...new Set(errors.map((error) => error.type ?? 'ERROR'))].join(', ');
  const message = `${route} (${where.owner}/${where.repo}): GraphQL ${types}`;
  const apiMessage = errors.map((error) => error.message).join('; ');
  if (errors.some((error) => error.type === 'RATE_LIMITED'))
    return {
      kind: 'rate-limited',
      message,
      retryAfterMs: DEFAULT_RATE_LIMIT_WAIT_MS,
      apiMessage,
      graphql: errors,
    };
  return { kind: 'rejected', message, apiMessage, graphql: errors };
}

function headersOf(error: unknown): Record<string, string> {
  const headers =
    (error as { response?: { headers?: Record<string, unknown> } } | null)?.response?.headers ?? {};
  return Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [name.toLowerCase(), String(value)]),
  );
}

/** `retry-after` seconds, or the primary limit's `x-ratelimit-reset` epoch. */
function retryAfter(headers: Record<string, string>, now: number): number | undefined {
  const seconds = Number(headers['retry-after']);
  if (headers['retry-after'] !== undefined && Number.isFinite(seconds)) return Math.max(0, seconds) * 1000;
  const reset = Number(headers['x-ratelimit-reset']);
  if (headers['x-ratelimit-remaining'] === '0' && Number.isFinite(reset))
    return Math.max(0, reset * 1000 - now);
  return undefined;
}
