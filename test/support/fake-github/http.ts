// The plumbing shared by routes: path patterns, the request a handler sees, its reply, body field readers
// that answer 422 like GitHub, and Link-header pagination.
import type { IncomingHttpHeaders } from 'node:http';
import { ApiError, validationFailed } from './errors.js';
import type { FakeRepo } from './repo.js';
import type { FakeGitHubState } from './state.js';

/**
 * `app`: a JWT (Bearer) is required; `installation` (the default): an installation token; `user`: the
 * route checks a user-to-server token itself, or needs none (the OAuth web flow, routes/oauth.ts).
 */
export type AuthKind = 'app' | 'installation' | 'user';

export interface Route {
  method: string;
  /** `/repos/:owner/:repo/git/ref/*ref`: `:name` is one segment, `*name` the rest (one or more segments). */
  path: string;
  auth?: AuthKind;
  handle(request: ApiRequest): Reply | Promise<Reply>;
}

export interface Urls {
  /** API root as the client used it (with `/api/v3` when it came in the GHES way). */
  api: string;
  /** Web root (`html_url`s, `clone_url`s). */
  web: string;
}

export interface ApiRequest {
  method: string;
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  body: Record<string, unknown>;
  headers: IncomingHttpHeaders;
  state: FakeGitHubState;
  /** The repository named by `:owner/:repo`, checked to exist and be visible to the caller. */
  repo: FakeRepo;
  installationId?: number;
  urls: Urls;
}

export interface Reply {
  status?: number;
  json?: unknown;
  raw?: { contentType: string; body: Buffer };
  headers?: Record<string, string>;
}

function segments(path: string): string[] {
  return path.split('/').filter((segment, index) => index > 0 || segment !== '');
}

/**
 * Matches a path (raw, percent-encoded segments) against a pattern; returns the decoded params or undefined.
 * In a rest parameter an encoded slash and a real one are the same, as octokit encodes `ref` and `path`.
 */
export function matchPath(pattern: string, path: string): Record<string, string> | undefined {
  const want = segments(pattern);
  const have = segments(path.length > 1 ? path.replace(/\/+$/, '') : path);
  const restAt = want.findIndex((segment) => segment.startsWith('*'));
  const prefix = restAt < 0 ? want : want.slice(0, restAt);
  const suffix = restAt < 0 ? [] : want.slice(restAt + 1);
  if (restAt < 0 ? have.length !== want.length : have.length < prefix.length + suffix.length + 1)
    return undefined;
  const params: Record<string, string> = {};
  const matchSegment = (pat: string, seg: string): boolean => {
    if (pat.startsWith(':')) {
      params[pat.slice(1)] = decodeURIComponent(seg);
      return true;
    }
    return pat === seg;
  };
  for (let i = 0; i < prefix.length; i++) if (!matchSegment(prefix[i]!, have[i]!)) return undefined;
  const suffixStart = have.length - suffix.length;
  for (let i = 0; i < suffix.length; i++)
    if (!matchSegment(suffix[i]!, have[suffixStart + i]!)) return undefined;
  if (restAt >= 0) {
    const name = want[restAt]!.slice(1);
    const rest = have.slice(prefix.length, suffixStart).map(decodeURIComponent).join('/');
    if (name) params[name] = rest;
  }
  return params;
}

// --- body fields ---

function typeError(field: string, expected: string): ApiError {
  return new ApiError(422, `Invalid request.\n\nFor '${field}', expected ${expected}.`, [
    { field, code: 'invalid' },
  ]);
}

export function optionalString(body: Record<string, unknown>, field: string): string | undefined {
  const value = body[field];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw typeError(field, 'string');
  return value;
}

export function requiredString(body: Record<string, unknown>, field: string, resource: string): string {
  const value = optionalString(body, field);
  if (value === undefined) throw validationFailed([{ resource, field, code: 'missing_field' }]);
  return value;
}

/** A string that may be null (GitHub's way to clear a field such as `body`). */
export function nullableString(body: Record<string, unknown>, field: string): string | null | undefined {
  return body[field] === null ? null : optionalString(body, field);
}

export function optionalBoolean(body: Record<string, unknown>, field: string): boolean | undefined {
  const value = body[field];
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') throw typeError(field, 'boolean');
  return value;
}

export function stringArray(value: unknown, field: string): string[] {
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string'))
    throw typeError(field, 'array of strings');
  return value as string[];
}

export function objectField(
  body: Record<string, unknown>,
  field: string,
): Record<string, unknown> | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw typeError(field, 'object');
  return value as Record<string, unknown>;
}

export function numberParam(request: ApiRequest, name: string): number {
  const value = Number(request.params[name]);
  if (!Number.isInteger(value)) throw new ApiError(404, 'Not Found');
  return value;
}

// --- pagination ---

const DEFAULT_PER_PAGE = 30;
const MAX_PER_PAGE = 100;

/** One page of `items` by `page`/`per_page`, with GitHub's `Link` header (next, last, first, prev). */
export function paginate<T>(
  request: ApiRequest,
  items: T[],
): { items: T[]; headers: Record<string, string> } {
  const perPage = Math.min(
    Math.max(Number(request.query.get('per_page')) || DEFAULT_PER_PAGE, 1),
    MAX_PER_PAGE,
  );
  const page = Math.max(Number(request.query.get('page')) || 1, 1);
  const last = Math.max(Math.ceil(items.length / perPage), 1);
  const link = (n: number, rel: string): string => {
    const query = new URLSearchParams(request.query);
    query.set('per_page', String(perPage));
    query.set('page', String(n));
    return `<${request.urls.api}${request.path}?${query}>; rel="${rel}"`;
  };
  const links: string[] = [];
  if (page > 1) links.push(link(page - 1, 'prev'));
  if (page < last) links.push(link(page + 1, 'next'), link(last, 'last'));
  if (page > 1) links.push(link(1, 'first'));
  return {
    items: items.slice((page - 1) * perPage, page * perPage),
    headers: links.length > 0 ? { link: links.join(', ') } : {},
  };
}

/** `sort`/`direction` for lists of records with `createdAt`/`updatedAt` (GitHub: created, newest first). */
export function sortRecords<T extends { createdAt: string; updatedAt: string; number?: number }>(
  request: ApiRequest,
  items: T[],
  defaultDirection: 'asc' | 'desc' = 'desc',
): T[] {
  const key = request.query.get('sort') === 'updated' ? 'updatedAt' : 'createdAt';
  const direction = request.query.get('direction') ?? defaultDirection;
  // Records made in the same second keep their creation order.
  const sorted = items
    .map((item, index) => ({ item, index }))
    .sort((a, b) => a.item[key].localeCompare(b.item[key]) || a.index - b.index)
    .map(({ item }) => item);
  return direction === 'asc' ? sorted : sorted.reverse();
}
