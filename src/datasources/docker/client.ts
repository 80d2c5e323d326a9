// The OCI distribution client: tags, digests, manifests and build dates for one image at a time. Every
// call resolves with data or rejects with a RegistryError; nothing it reports carries a credential.

import { createHash } from 'node:crypto';
import { cacheKey, cached } from '../../cache/cached.js';
import { DEFAULT_TTLS } from '../../cache/ttl.js';
import type { Cache } from '../../cache/types.js';
import type { Agent } from 'undici';
import { guardedAgent, type Resolver } from '../../http/guard.js';
import { NetworkPolicy } from '../../http/network-policy.js';
import { describeUrl, type HttpResponse } from '../../http/request.js';
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
import { nextLink } from './link.js';
import {
  DEFAULT_TRANSPORT_LIMITS,
  Transport,
  type Exchange,
  type RequestEvent as AnyRequestEvent,
  type TransportLimits,
} from '../../http/transport.js';
import type { ImageName, Platform, RegistryHostConfig, ResolvedDigest } from './types.js';

export type RequestKind = 'token' | 'tags' | 'head' | 'get-manifest' | 'get-blob';
export type RequestEvent = AnyRequestEvent<RequestKind>;

export interface RegistryLogger {
  warn(message: string): void;
}

export interface RegistryLimits extends TransportLimits {
  /** Largest body read of a manifest, config blob or token answer. */
  maxBodyBytes: number;
  /** Tag list pages followed at most. */
  maxTagPages: number;
  /** `n` asked per tag page (registries may clamp or ignore it). */
  tagPageSize: number;
  /** Tags of one repository at most; a longer list is an error on that image. */
  maxTags: number;
  /** Bytes of one repository's tag list at most, all pages together. */
  maxTagBytes: number;
}

export const DEFAULT_LIMITS: RegistryLimits = {
  ...DEFAULT_TRANSPORT_LIMITS,
  maxBodyBytes: 8 * 1024 * 1024,
  maxTagPages: 20,
  tagPageSize: 10_000,
  maxTags: 100_000,
  maxTagBytes: 16 * 1024 * 1024,
};

export interface RegistryClientOptions {
  cache: Cache;
  /** Registries configured by the operator (or the CLI's user): credentials, mirrors, plain HTTP. */
  hosts?: readonly RegistryHostConfig[];
  /**
   * Where requests may go (default: the public internet only). The configured hosts and mirrors, and
   * `hostUrls`, are allowed in addition.
   */
  network?: NetworkPolicy;
  /** Resolves host names before the policy checks them (default: the system's resolver). */
  resolver?: Resolver;
  /** When (epoch ms) this client's lookups must end: later ones fail with kind `deadline`. */
  deadline?: number;
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

export class RegistryClient {
  private readonly limits: RegistryLimits;
  private readonly tokens: TokenStore;
  private readonly hostAuth = new Map<string, HostAuth>();
  /** The request learning how a host authenticates, which concurrent first requests wait for. */
  private readonly probes = new Map<string, Promise<void>>();
  private readonly agent: Agent;
  private readonly transport: Transport<RequestKind>;

  constructor(private readonly options: RegistryClientOptions) {
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    const now = options.now ?? Date.now;
    this.tokens = new TokenStore(now);
    const configured = (options.hosts ?? []).flatMap((entry) => [
      entry.host,
      ...(entry.mirror ? [new URL(entry.mirror).host] : []),
    ]);
    const mapped = Object.values(options.hostUrls ?? {}).map((url) => new URL(url).host);
    const policy = (options.network ?? NetworkPolicy.publicOnly()).with([...configured, ...mapped]);
    this.agent = guardedAgent({ policy, ...(options.resolver && { resolver: options.resolver }) });
    this.transport = new Transport({
      limits: this.limits,
      dispatcher: this.agent,
      sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
      now,
      ...(options.deadline !== undefined && { deadline: options.deadline }),
      ...(options.onRequest && { onRequest: options.onRequest }),
      warn: (message) => this.warn(message),
    });
  }

  /** Closes the connections this client keeps open. */
  close(): Promise<void> {
    return this.agent.close();
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
    const { maxTags, maxTagBytes, maxTagPages } = this.limits;
    const tags = new Set<string>();
    const seen = new Set<string>();
    const what = `${target.registry}/${path}`;
    let bytes = 0;
    let url: URL | null = new URL(`v2/${path}/tags/list?n=${pageSize}`, target.base);
    for (let page = 0; url && page < maxTagPages; page++) {
      seen.add(url.href);
      let res: HttpResponse;
      try {
        res = await this.registryRequest(target, path, 'tags', 'GET', url, undefined, maxTagBytes - bytes);
      } catch (error) {
        if (error instanceof RegistryError && error.kind === 'too-large')
          throw new RegistryError('too-large', `${what}: tag list over ${maxTagBytes} bytes; not looked up`);
        throw error;
      }
      bytes += res.body.byteLength;
      const before = tags.size;
      for (const tag of readTagPage(res.body, url)) if (TAG.test(tag)) tags.add(tag);
      if (tags.size > maxTags)
        throw new RegistryError('too-large', `${what}: over ${maxTags} tags; not looked up`);
      const next = nextLink(res.headers.get('link'), url);
      if (!next || seen.has(next.href) || tags.size === before) break;
      if (next.origin !== target.base.origin) {
        this.warn(`${what}: tag list next link points to another host; stopped there`);
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
    // The bytes must be what was asked for, and what the registry says they are.
    const claimed = res.headers.get('docker-content-digest')?.trim();
    for (const expected of [isDigest(reference) ? reference : undefined, claimed]) {
      if (expected) verifyDigest(res.body, expected, `${target.registry}/${path}`);
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
    maxBodyBytes = this.limits.maxBodyBytes,
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
      return await this.authenticatedRequest(target, path, { kind, method, url, maxBodyBytes }, accept);
    } finally {
      release?.();
    }
  }

  private async authenticatedRequest(
    target: Target,
    path: string,
    request: Pick<Exchange<RequestKind>, 'kind' | 'method' | 'url' | 'maxBodyBytes'>,
    accept?: string,
  ): Promise<HttpResponse> {
    const scope = `repository:${path}:pull`;
    const headers: Record<string, string> = accept ? { accept } : {};
    const known = this.hostAuth.get(target.base.href);
    const authorization = known ? await this.authorization(target, known, scope, false) : undefined;
    if (authorization) headers.authorization = authorization;
    const exchange = { ...request, registry: target.registry };
    let res = await this.transport.exchange({ ...exchange, headers });
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
        res = await this.transport.exchange({ ...exchange, headers: { ...headers, authorization: answer } });
      }
    }
    return checkStatus(res, `${request.method} ${target.registry}/${path}`);
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
    const res = await this.transport.exchange({
      kind: 'token',
      registry: target.registry,
      method: 'GET',
      url,
      headers,
      maxBodyBytes: this.limits.maxBodyBytes,
    });
    checkStatus(res, `token for ${target.registry}`);
    const answer = parseTokenAnswer(res.body.toString('utf8'));
    if (!answer)
      throw new RegistryError('protocol', `${target.registry}: token endpoint answered without a token`);
    return answer;
  }

  // ---- configuration and safety ----

  private target(image: ImageName): Target {
    const registry = normalHost(image.registry);
    const config = findHostConfig(this.options.hosts ?? [], registry);
    const base = registryBaseUrl(registry, config, this.options.hostUrls);
    const credentials = config?.credentials;
    const mirror = config?.mirror ? `~${base.host}${base.pathname.replace(/\/$/, '')}` : '';
    // Answers given to credentials stay theirs: another identity (or none) may not see the same.
    const identity = credentials ? `~as:${hashed(`${registry}\n${credentials.username}`)}` : '';
    return {
      registry,
      base,
      cacheName: `${registry}${mirror}${identity}`,
      insecure: config?.insecure ?? false,
      ...(credentials && { credentials }),
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
    const out = this.tokens.values();
    for (const { credentials } of this.options.hosts ?? []) {
      if (!credentials) continue;
      out.push(credentials.username, credentials.password, basicHeader(credentials).slice('Basic '.length));
    }
    return out;
  }
}

/** A short, stable name for a value that should not appear itself. */
function hashed(value: string): string {
  return createHash('sha256').update(value).digest('hex').slice(0, 16);
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
