// The OCI distribution client: tags, digests, manifests and build dates for one image at a time. Every
// call resolves with data or rejects with a RegistryError; nothing it reports carries a credential.

import { createHash } from 'node:crypto';
import { cacheKey, cached } from '../../cache/cached.js';
import { DEFAULT_TTLS } from '../../cache/ttl.js';
import type { Cache } from '../../cache/types.js';
import { HttpFailure, describeUrl, httpRequest, type HttpResponse } from '../../http/request.js';
import { TokenStore, parseTokenAnswer, tokenKey } from './auth.js';
import { parseChallenge, type Challenge } from './challenge.js';
import { RegistryError, redact } from './errors.js';
import { findHostConfig, isLoopbackHost, normalHost, registryBaseUrl, repositoryPath } from './hosts.js';
import {
  CREATED_ANNOTATION,
  MANIFEST_ACCEPT,
  baseMediaType,
  createdFromConfig,
  findPlatform,
  isDigest,
  parseManifest,
  platformFromConfig,
  usableDate,
  type Manifest,
} from './manifest.js';
import { parseRateLimit, parseRetryAfter, type RateLimit } from './headers.js';
import { nextLink } from './link.js';
import type { ImageName, Platform, RegistryHostConfig, ResolvedDigest } from './types.js';

export type RequestKind = 'token' | 'tags' | 'head' | 'get-manifest' | 'get-blob';

/** One HTTP request sent (each retry, auth round trip and redirect hop counts). Holds no secrets. */
export interface RequestEvent {
  kind: RequestKind;
  /** Registry the request is for (`docker.io`), even when a mirror or token server was asked. */
  registry: string;
  method: 'GET' | 'HEAD';
  /** Origin and path of the URL asked (no query string). */
  url: string;
  /** HTTP status, absent when the request failed before an answer. */
  status?: number;
  /** Why the request failed before an answer. */
  failure?: 'timeout' | 'too-large' | 'network';
  /** Docker Hub's `ratelimit-limit` / `ratelimit-remaining`, when the answer carried them. */
  rateLimit?: RateLimit;
}

export interface RegistryLogger {
  warn(message: string): void;
}

export interface RegistryLimits {
  /** Per request, covering headers and body. */
  timeoutMs: number;
  /** Largest body read (tag lists, manifests, blobs, token answers). */
  maxBodyBytes: number;
  /** Tag list pages followed at most. */
  maxTagPages: number;
  /** `n` asked per tag page (registries may clamp or ignore it). */
  tagPageSize: number;
  /** Retries after 429, 5xx or a network failure (so at most retries + 1 attempts). */
  retries: number;
  /** Longest Retry-After honoured; a longer one fails at once as rate-limited. */
  maxRetryAfterMs: number;
  maxRedirects: number;
}

export const DEFAULT_LIMITS: RegistryLimits = {
  timeoutMs: 15_000,
  maxBodyBytes: 32 * 1024 * 1024,
  maxTagPages: 20,
  tagPageSize: 10_000,
  retries: 3,
  maxRetryAfterMs: 60_000,
  maxRedirects: 5,
};

export interface RegistryClientOptions {
  cache: Cache;
  hosts?: readonly RegistryHostConfig[];
  /** Where `usernameEnv` / `passwordEnv` are looked up (default `process.env`). */
  env?: Readonly<Record<string, string | undefined>>;
  limits?: Partial<RegistryLimits>;
  /** Lifetime of tag lists and tag → digest answers in the cache (default 1 h). */
  ttlSeconds?: number;
  onRequest?: (event: RequestEvent) => void;
  logger?: RegistryLogger;
  /** Waits between retries (injectable so tests do not wait). */
  sleep?: (ms: number) => Promise<void>;
  /** Clock for token expiry and Retry-After dates. */
  now?: () => number;
  /** API host → base URL overrides, e.g. `{ 'registry-1.docker.io': 'http://127.0.0.1:5000' }`. */
  hostUrls?: Readonly<Record<string, string>>;
}

export const DEFAULT_PLATFORM: Platform = { os: 'linux', architecture: 'amd64' };

const TAG = /^[\w][\w.-]{0,127}$/;
const ECR_MAX_PAGE = 1000;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** How to reach one registry, and how it wants to be authenticated (learnt from its first challenge). */
interface Target {
  registry: string;
  base: URL;
  /** Cache key prefix: the registry, plus the mirror when one answers for it. */
  cacheName: string;
  credentials?: { username: string; password: string };
  insecure: boolean;
}

type HostAuth =
  { scheme: 'none' } | { scheme: 'basic' } | { scheme: 'bearer'; realm: string; service: string };

interface Exchange {
  kind: RequestKind;
  registry: string;
  method: 'GET' | 'HEAD';
  url: URL;
  headers: Record<string, string>;
}

export class RegistryClient {
  private readonly limits: RegistryLimits;
  private readonly tokens: TokenStore;
  private readonly hostAuth = new Map<string, HostAuth>();
  /** Origins that failed at the network level, with the failure: not asked again by this client. */
  private readonly unreachable = new Map<string, string>();
  /** The request learning how a host authenticates, which concurrent first requests wait for. */
  private readonly probes = new Map<string, Promise<void>>();
  private readonly unsetWarned = new Set<string>();
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;

  constructor(private readonly options: RegistryClientOptions) {
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.tokens = new TokenStore(this.now);
  }

  /** Every tag of the repository, in the registry's order (deduplicated, invalid names dropped). */
  getTags(image: ImageName): Promise<string[]> {
    const target = this.target(image);
    const path = repositoryPath(image.registry, image.repository);
    const key = cacheKey('tags', target.cacheName, path);
    return this.guard(cached(this.options.cache, key, this.ttl, () => this.fetchTags(target, path)));
  }

  /** What a tag (or digest) points at now: HEAD with the full Accept list; GET + sha256 only without a digest header. */
  getDigest(image: ImageName, reference: string): Promise<ResolvedDigest> {
    const target = this.target(image);
    const path = repositoryPath(image.registry, image.repository);
    const key = cacheKey('tagDigest', target.cacheName, path, reference);
    const ttl = isDigest(reference) ? undefined : this.ttl;
    return this.guard(
      cached(this.options.cache, key, ttl, () => this.resolveDigest(target, path, reference)),
    );
  }

  /** The manifest or index stored under `digest` (content-addressed: cached forever, verified against the digest). */
  getManifest(image: ImageName, digest: string): Promise<Manifest> {
    const target = this.target(image);
    const path = repositoryPath(image.registry, image.repository);
    return this.guard(this.manifest(target, path, digest));
  }

  /** The digest of the manifest for `platform` (same os/architecture/variant) in an index; null if none or not an index. */
  getPlatformDigest(image: ImageName, indexDigest: string, platform: Platform): Promise<string | null> {
    const target = this.target(image);
    const path = repositoryPath(image.registry, image.repository);
    return this.guard(
      this.manifest(target, path, indexDigest).then((index) =>
        index.kind === 'index' ? (findPlatform(index, platform)?.digest ?? null) : null,
      ),
    );
  }

  /**
   * When the image was built (ISO 8601), from the platform manifest's config blob (`created`, else the
   * `org.opencontainers.image.created` label or annotation); null when unknown or 1970.
   */
  getCreated(
    image: ImageName,
    digest: string,
    platform: Platform = DEFAULT_PLATFORM,
  ): Promise<string | null> {
    const target = this.target(image);
    const path = repositoryPath(image.registry, image.repository);
    const p = [platform.os, platform.architecture, platform.variant ?? ''].join('/');
    const key = cacheKey('created', target.cacheName, path, digest, p);
    return this.guard(
      cached(this.options.cache, key, undefined, () => this.created(target, path, digest, platform)),
    );
  }

  /**
   * The platform a single-platform manifest was built for, from its config blob (os, architecture,
   * variant); null for an index or a config without them. Content-addressed: cached forever.
   */
  getPlatform(image: ImageName, manifestDigest: string): Promise<Platform | null> {
    const target = this.target(image);
    const path = repositoryPath(image.registry, image.repository);
    const key = cacheKey('config', target.cacheName, path, manifestDigest);
    return this.guard(
      cached(this.options.cache, key, undefined, async () => {
        const manifest = await this.manifest(target, path, manifestDigest);
        if (manifest.kind === 'index') return null;
        return platformFromConfig(await this.configBlob(target, path, manifest.config.digest));
      }),
    );
  }

  private get ttl(): number | undefined {
    return this.options.ttlSeconds ?? DEFAULT_TTLS.tags;
  }

  // ---- lookups ----

  private async fetchTags(target: Target, path: string): Promise<string[]> {
    try {
      return await this.tagPages(target, path, this.limits.tagPageSize);
    } catch (error) {
      // ECR refuses n over 1000 (405/400) rather than clamping it.
      const refused = error instanceof RegistryError && (error.status === 400 || error.status === 405);
      if (!refused || this.limits.tagPageSize <= ECR_MAX_PAGE) throw error;
      return this.tagPages(target, path, ECR_MAX_PAGE);
    }
  }

  private async tagPages(target: Target, path: string, pageSize: number): Promise<string[]> {
    const tags = new Set<string>();
    const seen = new Set<string>();
    let url: URL | null = new URL(`v2/${path}/tags/list?n=${pageSize}`, target.base);
    for (let page = 0; url && page < this.limits.maxTagPages; page++) {
      seen.add(url.href);
      const res = await this.registryRequest(target, path, 'tags', 'GET', url);
      const before = tags.size;
      for (const tag of readTagPage(res.body, url)) if (TAG.test(tag)) tags.add(tag);
      const next = nextLink(res.headers.get('link'), url);
      if (!next || seen.has(next.href) || tags.size === before) break;
      if (next.origin !== target.base.origin) {
        this.warn(`${target.registry}/${path}: tag list next link points to another host; stopped there`);
        break;
      }
      url = next;
    }
    return [...tags];
  }

  private async resolveDigest(target: Target, path: string, reference: string): Promise<ResolvedDigest> {
    const url = new URL(`v2/${path}/manifests/${encodeURIComponent(reference)}`, target.base);
    const head = await this.registryRequest(target, path, 'head', 'HEAD', url, MANIFEST_ACCEPT);
    const digest = head.headers.get('docker-content-digest')?.trim();
    if (digest && isDigest(digest))
      return { digest, mediaType: baseMediaType(head.headers.get('content-type')) };
    // No usable digest header: the digest is the hash of the exact bytes served.
    const res = await this.registryRequest(target, path, 'get-manifest', 'GET', url, MANIFEST_ACCEPT);
    const computed = `sha256:${createHash('sha256').update(res.body).digest('hex')}`;
    if (isDigest(reference) && reference !== computed) {
      throw new RegistryError(
        'protocol',
        `${target.registry}/${path}: manifest content does not match ${reference}`,
      );
    }
    return { digest: computed, mediaType: baseMediaType(res.headers.get('content-type')) };
  }

  private manifest(target: Target, path: string, digest: string): Promise<Manifest> {
    if (!isDigest(digest))
      return Promise.reject(new RegistryError('protocol', `not a digest: ${digest.slice(0, 80)}`));
    const key = cacheKey('manifest', target.cacheName, path, digest);
    return cached(this.options.cache, key, undefined, async () => {
      const url = new URL(`v2/${path}/manifests/${digest}`, target.base);
      const res = await this.registryRequest(target, path, 'get-manifest', 'GET', url, MANIFEST_ACCEPT);
      verifyDigest(res.body, digest, `${target.registry}/${path}`);
      const parsed = parseManifest(res.body.toString('utf8'), baseMediaType(res.headers.get('content-type')));
      if ('error' in parsed)
        throw new RegistryError('protocol', `${target.registry}/${path}@${digest}: ${parsed.error}`);
      return parsed;
    });
  }

  private async created(
    target: Target,
    path: string,
    digest: string,
    platform: Platform,
  ): Promise<string | null> {
    const top = await this.manifest(target, path, digest);
    const fallbacks = [top.annotations?.[CREATED_ANNOTATION]];
    let manifest = top;
    if (top.kind === 'index') {
      const entry = findPlatform(top, platform);
      if (!entry) return usableDate(fallbacks[0]);
      fallbacks.unshift(entry.annotations?.[CREATED_ANNOTATION]);
      manifest = await this.manifest(target, path, entry.digest);
    }
    if (manifest.kind === 'index') return firstDate(fallbacks);
    fallbacks.unshift(manifest.annotations?.[CREATED_ANNOTATION]);
    return (
      createdFromConfig(await this.configBlob(target, path, manifest.config.digest)) ?? firstDate(fallbacks)
    );
  }

  /** An image config blob (content-addressed: checked against its digest). */
  private async configBlob(target: Target, path: string, digest: string): Promise<string> {
    const url = new URL(`v2/${path}/blobs/${digest}`, target.base);
    const res = await this.registryRequest(target, path, 'get-blob', 'GET', url);
    verifyDigest(res.body, digest, `${target.registry}/${path}`);
    return res.body.toString('utf8');
  }

  // ---- requests with auth ----

  /** A request to the registry, authenticated as its challenge asks; non-2xx answers become RegistryErrors. */
  private async registryRequest(
    target: Target,
    path: string,
    kind: RequestKind,
    method: 'GET' | 'HEAD',
    url: URL,
    accept?: string,
  ): Promise<HttpResponse> {
    const hostKey = target.base.href;
    // One request finds out how a new host authenticates; the others wait rather than each collect a 401.
    let release: (() => void) | undefined;
    while (!this.hostAuth.has(hostKey) && !release) {
      const pending = this.probes.get(hostKey);
      if (pending) await pending;
      else {
        let done = () => {};
        this.probes.set(hostKey, new Promise<void>((resolve) => (done = resolve)));
        release = () => {
          this.probes.delete(hostKey);
          done();
        };
      }
    }
    try {
      return await this.authenticatedRequest(target, path, kind, method, url, accept);
    } finally {
      release?.();
    }
  }

  private async authenticatedRequest(
    target: Target,
    path: string,
    kind: RequestKind,
    method: 'GET' | 'HEAD',
    url: URL,
    accept?: string,
  ): Promise<HttpResponse> {
    const scope = `repository:${path}:pull`;
    const headers: Record<string, string> = accept ? { accept } : {};
    const known = this.hostAuth.get(target.base.href);
    const authorization = known ? await this.authorization(target, known, scope, false) : undefined;
    if (authorization) headers.authorization = authorization;
    let res = await this.exchange({ kind, registry: target.registry, method, url, headers });
    if (!known && res.status !== 401 && res.status !== 429 && res.status < 500) {
      this.hostAuth.set(target.base.href, { scheme: 'none' });
    }
    if (res.status === 401) {
      const challenge = parseChallenge(res.headers.get('www-authenticate'));
      const retry = challenge && this.learn(target, challenge);
      // A token we sent and had refused is fetched anew; a fresh challenge's token comes from the store.
      const answer =
        retry && (await this.authorization(target, retry, challenge.params.scope || scope, !!authorization));
      if (answer && answer !== authorization) {
        res = await this.exchange({
          kind,
          registry: target.registry,
          method,
          url,
          headers: { ...headers, authorization: answer },
        });
      }
    }
    return checkStatus(res, `${method} ${target.registry}/${path}`);
  }

  private learn(target: Target, challenge: Challenge): HostAuth | null {
    let auth: HostAuth | null = null;
    if (challenge.scheme === 'basic') auth = { scheme: 'basic' };
    else if (challenge.params.realm)
      auth = { scheme: 'bearer', realm: challenge.params.realm, service: challenge.params.service ?? '' };
    if (auth) this.hostAuth.set(target.base.href, auth);
    return auth;
  }

  private async authorization(
    target: Target,
    auth: HostAuth,
    scope: string,
    fresh: boolean,
  ): Promise<string | undefined> {
    if (auth.scheme === 'none') return undefined;
    if (auth.scheme === 'basic') return target.credentials && basicHeader(target.credentials);
    const key = tokenKey(auth.realm, auth.service, scope);
    const token = await this.tokens.get(key, () => this.fetchToken(target, auth, scope), fresh);
    return `Bearer ${token}`;
  }

  private async fetchToken(target: Target, auth: HostAuth & { scheme: 'bearer' }, scope: string) {
    let url: URL;
    try {
      url = new URL(auth.realm);
    } catch {
      throw new RegistryError('protocol', `${target.registry}: token realm is not a URL`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw new RegistryError('protocol', `${target.registry}: token realm is not HTTP(S)`);
    }
    if (auth.service) url.searchParams.set('service', auth.service);
    url.searchParams.set('scope', scope);
    const headers: Record<string, string> = {};
    // Credentials go to a realm only over TLS, on loopback, or on the registry's own (configured-insecure) host.
    const trusted =
      url.protocol === 'https:' ||
      isLoopbackHost(url.host) ||
      (target.insecure && url.host === target.base.host);
    if (target.credentials && trusted) headers.authorization = basicHeader(target.credentials);
    const res = await this.exchange({
      kind: 'token',
      registry: target.registry,
      method: 'GET',
      url,
      headers,
    });
    checkStatus(res, `token for ${target.registry}`);
    const answer = parseTokenAnswer(res.body.toString('utf8'));
    if (!answer)
      throw new RegistryError('protocol', `${target.registry}: token endpoint answered without a token`);
    return answer;
  }

  // ---- transport: retries and redirects ----

  /**
   * Sends with bounded retries on 429 (honouring Retry-After), 5xx and network failures. A host that
   * does not exist (ENOTFOUND) is not retried, and a host that stayed unreachable is not asked again in
   * this run: an offline machine or a dead registry costs one failure, not one per image.
   */
  private async exchange(request: Exchange): Promise<HttpResponse> {
    const origin = request.url.origin;
    const down = this.unreachable.get(origin);
    if (down) throw new RegistryError('network', `${down} (not retried in this run)`);
    for (let attempt = 0; ; attempt++) {
      let res: HttpResponse;
      try {
        res = await this.follow(request);
      } catch (error) {
        const failure = error instanceof HttpFailure ? error : new HttpFailure('network', 'request failed');
        const final =
          failure.kind !== 'network' || failure.code === 'ENOTFOUND' || attempt >= this.limits.retries;
        if (final) {
          if (failure.kind === 'network') this.unreachable.set(origin, failure.message);
          throw new RegistryError(failure.kind, failure.message);
        }
        await this.sleep(backoff(attempt));
        continue;
      }
      const retryable = res.status === 429 || res.status >= 500;
      if (!retryable || attempt >= this.limits.retries) return res;
      const wait =
        res.status === 429 ? parseRetryAfter(res.headers.get('retry-after'), this.now()) : undefined;
      if (wait !== undefined && wait > this.limits.maxRetryAfterMs) return res;
      this.warn(`${request.registry}: ${res.status} from ${describeUrl(request.url)}, retrying`);
      await this.sleep(wait ?? backoff(attempt));
    }
  }

  /** One attempt, following redirects by hand: Authorization never leaves the origin it was meant for. */
  private async follow(request: Exchange): Promise<HttpResponse> {
    let { url, method } = request;
    let headers = request.headers;
    for (let hop = 0; ; hop++) {
      const res = await this.send({ ...request, url, method, headers });
      const location = res.headers.get('location');
      if (!REDIRECTS.has(res.status) || !location || hop >= this.limits.maxRedirects) return res;
      let next: URL;
      try {
        next = new URL(location, url);
      } catch {
        return res;
      }
      if (next.protocol !== 'https:' && next.protocol !== 'http:') return res;
      if (next.origin !== url.origin) {
        const { authorization: _dropped, ...rest } = headers;
        headers = rest;
      }
      if (res.status === 303 && method !== 'HEAD') method = 'GET';
      url = next;
    }
  }

  private async send(request: Exchange): Promise<HttpResponse> {
    const report = (fields: Partial<RequestEvent>) =>
      this.options.onRequest?.({
        kind: request.kind,
        registry: request.registry,
        method: request.method,
        url: describeUrl(request.url),
        ...fields,
      });
    try {
      const res = await httpRequest({
        method: request.method,
        url: request.url,
        headers: request.headers,
        timeoutMs: this.limits.timeoutMs,
        maxBodyBytes: this.limits.maxBodyBytes,
      });
      const rateLimit = parseRateLimit(res.headers);
      report({ status: res.status, ...(rateLimit && { rateLimit }) });
      return res;
    } catch (error) {
      if (error instanceof HttpFailure) report({ failure: error.kind });
      throw error;
    }
  }

  // ---- configuration and safety ----

  private target(image: ImageName): Target {
    const registry = normalHost(image.registry);
    const config = findHostConfig(this.options.hosts ?? [], registry);
    const base = registryBaseUrl(registry, config, this.options.hostUrls);
    const env = this.options.env ?? process.env;
    const username = config?.usernameEnv ? env[config.usernameEnv] : undefined;
    const password = config?.passwordEnv ? env[config.passwordEnv] : undefined;
    if (config?.passwordEnv && password === undefined && !this.unsetWarned.has(config.passwordEnv)) {
      this.unsetWarned.add(config.passwordEnv);
      this.warn(`${registry}: environment variable ${config.passwordEnv} is not set; asking anonymously`);
    }
    return {
      registry,
      base,
      cacheName: config?.mirror ? `${registry}~${base.host}${base.pathname.replace(/\/$/, '')}` : registry,
      insecure: config?.insecure ?? false,
      ...(password !== undefined && { credentials: { username: username ?? '', password } }),
    };
  }

  /** Every rejection becomes a RegistryError whose message holds no secret we know of. */
  private guard<T>(promise: Promise<T>): Promise<T> {
    return promise.catch((error: unknown) => {
      const known =
        error instanceof RegistryError ? error : new RegistryError('protocol', 'unexpected failure');
      throw new RegistryError(known.kind, redact(known.message, this.secrets()), known.status);
    });
  }

  private warn(message: string): void {
    this.options.logger?.warn(redact(message, this.secrets()));
  }

  private secrets(): string[] {
    const env = this.options.env ?? process.env;
    const out = this.tokens.values();
    for (const config of this.options.hosts ?? []) {
      for (const name of [config.usernameEnv, config.passwordEnv]) {
        const value = name ? env[name] : undefined;
        if (value) out.push(value);
      }
      const password = config.passwordEnv ? env[config.passwordEnv] : undefined;
      if (password !== undefined) {
        out.push(
          basicHeader({ username: (config.usernameEnv && env[config.usernameEnv]) || '', password }).slice(6),
        );
      }
    }
    return out;
  }
}

function basicHeader(credentials: { username: string; password: string }): string {
  return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
}

function checkStatus(res: HttpResponse, what: string): HttpResponse {
  const s = res.status;
  if (s >= 200 && s < 300) return res;
  if (s === 401 || s === 403) throw new RegistryError('unauthorized', `${what}: unauthorized (${s})`, s);
  if (s === 404) throw new RegistryError('not-found', `${what}: not found`, s);
  if (s === 429) throw new RegistryError('rate-limited', `${what}: rate limited`, s);
  if (s >= 500) throw new RegistryError('server', `${what}: server error ${s}`, s);
  throw new RegistryError('protocol', `${what}: unexpected status ${s}`, s);
}

function verifyDigest(body: Buffer, digest: string, what: string): void {
  const [algorithm, hex] = digest.split(':') as [string, string];
  if (algorithm !== 'sha256' && algorithm !== 'sha512') return; // nothing we can check
  if (createHash(algorithm).update(body).digest('hex') !== hex) {
    throw new RegistryError('protocol', `${what}: content does not match ${digest}`);
  }
}

function readTagPage(body: Buffer, url: URL): string[] {
  let doc: unknown;
  try {
    doc = JSON.parse(body.toString('utf8'));
  } catch {
    throw new RegistryError('protocol', `${describeUrl(url)}: tag list is not JSON`);
  }
  const tags = (doc as { tags?: unknown } | null)?.tags;
  if (tags === null || tags === undefined) return []; // distribution answers `"tags": null` for no tags
  if (!Array.isArray(tags))
    throw new RegistryError('protocol', `${describeUrl(url)}: tag list has no tags array`);
  return tags.filter((tag): tag is string => typeof tag === 'string');
}

function firstDate(values: (string | undefined)[]): string | null {
  for (const value of values) {
    const date = usableDate(value);
    if (date) return date;
  }
  return null;
}

/** 0.5 s, 1 s, 2 s… capped at 8 s. */
function backoff(attempt: number): number {
  return Math.min(500 * 2 ** attempt, 8000);
}
