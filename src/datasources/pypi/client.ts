// Fetching one project page from a simple index (PEP 691 JSON preferred, PEP 503 HTML accepted) through
// the shared transport: guarded connections, retries, redirects by hand, per-run budgets and a body cap.
import { createHash } from 'node:crypto';
import type { Agent } from 'undici';
import { cacheKey, cached } from '../../cache/cached.js';
import type { Cache } from '../../cache/types.js';
import { guardedAgent, type Resolver } from '../../http/guard.js';
import { NetworkPolicy } from '../../http/network-policy.js';
import { describeUrl, type HttpResponse } from '../../http/request.js';
import {
  DEFAULT_TRANSPORT_LIMITS,
  Transport,
  type RequestEvent,
  type TransportLimits,
} from '../../http/transport.js';
import { RegistryError, redact } from '../docker/errors.js';
import { isProjectName, normaliseName } from './names.js';
import { SimpleFormatError, parseSimpleJson } from './simple-json.js';
import { parseSimpleHtml } from './simple-html.js';
import type { SimpleProject } from './types.js';

export type PypiRequestKind = 'simple';
export type PypiRequestEvent = RequestEvent<PypiRequestKind>;

export interface PypiLimits extends TransportLimits {
  /** Largest project page read (PyPI's biggest JSON pages are a few MB). */
  maxBodyBytes: number;
}

export const DEFAULT_PYPI_LIMITS: PypiLimits = {
  ...DEFAULT_TRANSPORT_LIMITS,
  maxBodyBytes: 32 * 1024 * 1024,
};

export const SIMPLE_ACCEPT =
  'application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.01';

export interface PypiClientOptions {
  cache: Cache;
  /** Where requests may go (default: the public internet only). Index hosts are not added by themselves. */
  network?: NetworkPolicy;
  resolver?: Resolver;
  /** When (epoch ms) lookups must end. */
  deadline?: number;
  limits?: Partial<PypiLimits>;
  /** Lifetime of project pages in the cache (default 1 h). */
  ttlSeconds?: number;
  onRequest?: (event: PypiRequestEvent) => void;
  logger?: { warn(message: string): void };
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

/** One index: where it is, and the credentials its URL carried (`https://user:token@host/simple`). */
interface IndexTarget {
  base: URL;
  host: string;
  authorization?: string;
  secrets: string[];
  cacheName: string;
}

export class SimpleIndexClient {
  private readonly limits: PypiLimits;
  private readonly agent: Agent;
  private readonly transport: Transport<PypiRequestKind>;

  constructor(private readonly options: PypiClientOptions) {
    this.limits = { ...DEFAULT_PYPI_LIMITS, ...options.limits };
    const policy = options.network ?? NetworkPolicy.publicOnly();
    this.agent = guardedAgent({ policy, ...(options.resolver && { resolver: options.resolver }) });
    this.transport = new Transport({
      limits: this.limits,
      dispatcher: this.agent,
      sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
      now: options.now ?? Date.now,
      ...(options.deadline !== undefined && { deadline: options.deadline }),
      ...(options.onRequest && { onRequest: options.onRequest }),
      warn: (message) => options.logger?.warn(message),
    });
  }

  close(): Promise<void> {
    return this.agent.close();
  }

  /** The project's page, parsed; `name` is normalised first (PEP 503). */
  async project(packageName: string, registryUrl: string): Promise<{ name: string; page: SimpleProject }> {
    if (!isProjectName(packageName))
      throw new RegistryError(
        'protocol',
        `${JSON.stringify(packageName.slice(0, 100))}: not a Python project name`,
      );
    const name = normaliseName(packageName);
    const target = indexTarget(registryUrl);
    const key = cacheKey('pypi-simple', target.cacheName, name);
    const ttl = this.options.ttlSeconds ?? 3600;
    try {
      const page = await cached(this.options.cache, key, ttl, () => this.fetchPage(target, name));
      return { name, page };
    } catch (error) {
      const known =
        error instanceof RegistryError ? error : new RegistryError('protocol', `${name}: unexpected failure`);
      throw new RegistryError(known.kind, redact(known.message, target.secrets), known.status);
    }
  }

  private async fetchPage(target: IndexTarget, name: string): Promise<SimpleProject> {
    const url = new URL(`${name}/`, target.base);
    const what = `PyPI project ${name} (${describeUrl(url)})`;
    const res = await this.transport.exchange({
      kind: 'simple',
      registry: target.host,
      method: 'GET',
      url,
      headers: {
        accept: SIMPLE_ACCEPT,
        ...(target.authorization && { authorization: target.authorization }),
      },
      maxBodyBytes: this.limits.maxBodyBytes,
    });
    checkStatus(res, what);
    try {
      return parsePage(res, url);
    } catch (error) {
      if (error instanceof SimpleFormatError)
        throw new RegistryError('protocol', `${what}: ${error.message}`);
      throw error;
    }
  }
}

function parsePage(res: HttpResponse, url: URL): SimpleProject {
  const text = res.body.toString('utf8');
  const type = (res.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type.endsWith('+json') || type === 'application/json') return parseSimpleJson(text, url);
  if (type.includes('html')) return parseSimpleHtml(text, url);
  // Static file servers send no or odd types: the content decides.
  return /^\s*\{/.test(text.slice(0, 1024)) ? parseSimpleJson(text, url) : parseSimpleHtml(text, url);
}

function indexTarget(registryUrl: string): IndexTarget {
  let base: URL;
  try {
    base = new URL(registryUrl);
  } catch {
    throw new RegistryError('protocol', 'index URL is not a URL');
  }
  if (base.protocol !== 'https:' && base.protocol !== 'http:')
    throw new RegistryError('protocol', `index URL is not HTTP(S): ${base.protocol}`);
  const username = decodeURIComponent(base.username);
  const password = decodeURIComponent(base.password);
  base.username = '';
  base.password = '';
  base.search = '';
  base.hash = '';
  if (!base.pathname.endsWith('/')) base.pathname += '/';
  const authorization =
    username || password ? `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` : undefined;
  // Answers given to credentials stay theirs: another identity (or none) may not see them.
  const identity = authorization
    ? `~as:${createHash('sha256').update(`${base.href}\n${username}`).digest('hex').slice(0, 16)}`
    : '';
  return {
    base,
    host: base.host,
    ...(authorization && { authorization }),
    secrets: [username, password, ...(authorization ? [authorization.slice(6)] : [])],
    cacheName: `${base.host}${base.pathname}${identity}`,
  };
}

function checkStatus(res: HttpResponse, what: string): void {
  const s = res.status;
  if (s >= 200 && s < 300) return;
  if (s === 401 || s === 403) throw new RegistryError('unauthorized', `${what}: unauthorized (${s})`, s);
  if (s === 404 || s === 410) throw new RegistryError('not-found', `${what}: not found`, s);
  if (s === 429) throw new RegistryError('rate-limited', `${what}: rate limited`, s);
  if (s >= 500) throw new RegistryError('server', `${what}: server error ${s}`, s);
  throw new RegistryError('protocol', `${what}: unexpected status ${s}`, s);
}
