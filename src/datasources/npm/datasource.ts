// The npm registry datasource: one packument per package and registry, abbreviated unless publish times
// are needed. Answers are kept in the shared cache; once stale they are revalidated with their ETag, so
// an unchanged package costs a 304 instead of its whole document. Every call resolves with releases or
// rejects with a RegistryError; nothing it reports carries a credential.
import { createHash } from 'node:crypto';
import type { Agent } from 'undici';
import { cacheKey } from '../../cache/cached.js';
import type { Cache } from '../../cache/types.js';
import { guardedAgent, type Resolver } from '../../http/guard.js';
import { NetworkPolicy } from '../../http/network-policy.js';
import type { HttpResponse } from '../../http/request.js';
import {
  DEFAULT_TRANSPORT_LIMITS,
  Transport,
  type RequestEvent,
  type TransportLimits,
} from '../../http/transport.js';
import { RegistryError, redact } from '../docker/errors.js';
import type { PackageDatasource, ReleaseQuery, ReleaseResult } from '../types.js';
import { findRegistry, type NpmRegistryConfig } from './auth.js';
import { isValidPackageName, packumentUrl, registryBase } from './names.js';
import { readPackument } from './packument.js';
import { checkStatus } from './status.js';

export type NpmRequestKind = 'packument';
export type NpmRequestEvent = RequestEvent<NpmRequestKind>;

/** npm's own client asks for the abbreviated document this way (it falls back to the full one). */
export const ABBREVIATED_ACCEPT = 'application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8, */*';
export const FULL_ACCEPT = 'application/json';

export interface NpmLimits extends TransportLimits {
  /** Largest packument read (full packuments of busy packages run to tens of MB). */
  maxBodyBytes: number;
}

export const DEFAULT_NPM_LIMITS: NpmLimits = {
  ...DEFAULT_TRANSPORT_LIMITS,
  timeoutMs: 30_000,
  maxBodyBytes: 64 * 1024 * 1024,
};

export interface NpmDatasourceOptions {
  cache: Cache;
  /** Registries configured by the operator: the only source of credentials. */
  registries?: readonly NpmRegistryConfig[];
  /** Where requests may go (default: the public internet only); configured registries are added. */
  network?: NetworkPolicy;
  resolver?: Resolver;
  /** When (epoch ms) lookups must end: later ones fail with kind `deadline`. */
  deadline?: number;
  limits?: Partial<NpmLimits>;
  /** How long an answer is used without asking again (default 1 h). */
  ttlSeconds?: number;
  /** How long an answer with an ETag is kept to revalidate once stale (default 7 days). */
  revalidateSeconds?: number;
  onRequest?: (event: NpmRequestEvent) => void;
  logger?: { warn(message: string): void };
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

/** What the cache holds per package, registry, document kind and identity. */
interface Stored {
  etag?: string;
  /** Epoch ms of the last 200 or 304. */
  fetchedAt: number;
  result: ReleaseResult;
}

export class NpmDatasource implements PackageDatasource {
  readonly id = 'npm';
  readonly defaultRegistryUrl = 'https://registry.npmjs.org';
  private readonly limits: NpmLimits;
  private readonly agent: Agent;
  private readonly transport: Transport<NpmRequestKind>;
  private readonly now: () => number;
  /** Lookups in progress, so concurrent ones for one key share a request. */
  private readonly flights = new Map<string, Promise<ReleaseResult>>();

  constructor(private readonly options: NpmDatasourceOptions) {
    this.limits = { ...DEFAULT_NPM_LIMITS, ...options.limits };
    this.now = options.now ?? Date.now;
    const configured = (options.registries ?? []).flatMap((entry) => {
      const base = registryBase(entry.url);
      return base ? [base.host] : [];
    });
    const policy = (options.network ?? NetworkPolicy.publicOnly()).with(configured);
    this.agent = guardedAgent({ policy, ...(options.resolver && { resolver: options.resolver }) });
    this.transport = new Transport({
      limits: this.limits,
      dispatcher: this.agent,
      sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
      now: this.now,
      ...(options.deadline !== undefined && { deadline: options.deadline }),
      ...(options.onRequest && { onRequest: options.onRequest }),
      warn: (message) => options.logger?.warn(redact(message, this.secrets())),
    });
  }

  /** Closes the connections this datasource keeps open. */
  close(): Promise<void> {
    return this.agent.close();
  }

  getReleases(query: ReleaseQuery): Promise<ReleaseResult> {
    const { packageName: name } = query;
    if (!isValidPackageName(name))
      return Promise.reject(new RegistryError('protocol', `not an npm package name: ${name.slice(0, 100)}`));
    const base = registryBase(query.registryUrl);
    if (!base)
      return Promise.reject(
        new RegistryError(
          'protocol',
          `npm package ${name}: registry URL is not plain http(s) without credentials`,
        ),
      );
    const authorization = findRegistry(this.options.registries ?? [], base)?.authorization;
    const full = query.withTimestamps === true;
    // Answers given to credentials stay theirs: another identity (or none) may not see the same.
    const identity = authorization ? `as:${hashed(`${base.href}\n${authorization}`)}` : 'anonymous';
    const key = cacheKey('npm', base.host, base.pathname, name, full ? 'full' : 'abbreviated', identity);
    let flight = this.flights.get(key);
    if (!flight) {
      flight = this.guard(this.lookup(key, packumentUrl(base, name), name, full, authorization)).finally(() =>
        this.flights.delete(key),
      );
      this.flights.set(key, flight);
    }
    return flight;
  }

  private async lookup(
    key: string,
    url: URL,
    name: string,
    full: boolean,
    authorization: string | undefined,
  ): Promise<ReleaseResult> {
    const stored = await this.options.cache.get<Stored>(key);
    const ttlMs = (this.options.ttlSeconds ?? 3600) * 1000;
    if (stored && this.now() - stored.fetchedAt < ttlMs) return stored.result;
    const what = `npm package ${name} (${url.host})`;
    const headers: Record<string, string> = { accept: full ? FULL_ACCEPT : ABBREVIATED_ACCEPT };
    if (authorization) headers.authorization = authorization;
    if (stored?.etag) {
      headers['if-none-match'] = stored.etag;
      // Else fetch adds `Cache-Control: no-cache` to a conditional request (Fetch spec), and express-based
      // registries (verdaccio) then never answer 304. `max-age=0` asks for revalidation, as browsers do.
      headers['cache-control'] = 'max-age=0';
    }
    const res = checkStatus(await this.fetch(url, headers, what), what);
    if (res.status === 304) {
      if (!stored?.etag)
        throw new RegistryError('protocol', `${what}: 304 to a request without an ETag`, 304);
      await this.store(key, { ...stored, fetchedAt: this.now() });
      return stored.result;
    }
    const result = parse(res, name, what);
    const etag = res.headers.get('etag') ?? undefined;
    await this.store(key, { ...(etag && { etag }), fetchedAt: this.now(), result });
    return result;
  }

  private async fetch(url: URL, headers: Record<string, string>, what: string): Promise<HttpResponse> {
    const { maxBodyBytes } = this.limits;
    try {
      return await this.transport.exchange({
        kind: 'packument',
        registry: url.host,
        method: 'GET',
        url,
        headers,
        maxBodyBytes,
      });
    } catch (error) {
      if (error instanceof RegistryError && error.kind === 'too-large')
        throw new RegistryError('too-large', `${what}: packument over ${maxBodyBytes} bytes; not looked up`);
      throw error;
    }
  }

  /** Kept for the TTL; an answer with an ETag longer, to be revalidated rather than fetched again. */
  private store(key: string, entry: Stored): Promise<void> {
    const ttl = this.options.ttlSeconds ?? 3600;
    const keep = entry.etag ? Math.max(ttl, this.options.revalidateSeconds ?? 7 * 24 * 3600) : ttl;
    return keep > 0 ? this.options.cache.set(key, entry, keep) : Promise.resolve();
  }

  /** Every rejection becomes a RegistryError whose message holds no credential. */
  private guard<T>(promise: Promise<T>): Promise<T> {
    return promise.catch((error: unknown) => {
      const known =
        error instanceof RegistryError ? error : new RegistryError('protocol', 'unexpected failure');
      throw new RegistryError(known.kind, redact(known.message, this.secrets()), known.status);
    });
  }

  private secrets(): string[] {
    return (this.options.registries ?? []).flatMap(({ authorization }) =>
      authorization ? [authorization, authorization.replace(/^\S+\s+/, '')] : [],
    );
  }
}

function parse(res: HttpResponse, name: string, what: string): ReleaseResult {
  let doc: unknown;
  try {
    doc = JSON.parse(res.body.toString('utf8'));
  } catch {
    throw new RegistryError('protocol', `${what}: packument is not valid JSON`, res.status);
  }
  // A registry answering with another package's document (a proxy's mix-up) would mislead every update.
  const named = (doc as { name?: unknown } | null)?.name;
  if (typeof named === 'string' && named !== name)
    throw new RegistryError('protocol', `${what}: answered with the packument of ${named.slice(0, 100)}`);
  const read = readPackument(doc);
  if ('error' in read) throw new RegistryError('protocol', `${what}: ${read.error}`, res.status);
  return read;
}

/** A short, stable name for a value that should not appear itself. */
function hashed(value: string): string {
  return createHash('sha256').update(value).digest('hex').slice(0, 16);
}
