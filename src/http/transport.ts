// Sending registry requests (images, npm, PyPI) with the limits a job needs against hosts it does not
// trust: bounded retries
// (429 with Retry-After, 5xx, network failures), redirects followed by hand (Authorization stays on its
// origin, never from https down to http), and per-run budgets so that no host holds a worker for long:
// a deadline for the whole run, a circuit breaker per host after repeated timeouts, a time budget per
// host, and a cap on the total Retry-After waited.
import type { Dispatcher } from 'undici';
import { RegistryError } from '../datasources/docker/errors.js';
import { parseRateLimit, parseRetryAfter, type RateLimit } from '../datasources/docker/headers.js';
import { HttpFailure, describeUrl, httpRequest, type HttpResponse } from './request.js';

/** One HTTP request sent (each retry, auth round trip and redirect hop counts). Holds no secrets. */
export interface RequestEvent<Kind extends string = string> {
  /** What was asked, in the datasource's terms (`tags`, `head`, `packument`, `simple`…). */
  kind: Kind;
  /** Registry the request is for (`docker.io`), even when a mirror or token server was asked. */
  registry: string;
  method: 'GET' | 'HEAD';
  /** Origin and path of the URL asked (no query string). */
  url: string;
  /** HTTP status, absent when the request failed before an answer. */
  status?: number;
  /** Why the request failed before an answer. */
  failure?: 'timeout' | 'too-large' | 'network' | 'not-allowed';
  /** Docker Hub's `ratelimit-limit` / `ratelimit-remaining`, when the answer carried them. */
  rateLimit?: RateLimit;
}

export interface TransportLimits {
  /** Per request, covering headers and body. */
  timeoutMs: number;
  /** Retries after 429, 5xx or a network failure (so at most retries + 1 attempts). */
  retries: number;
  /** Longest single Retry-After honoured; a longer one fails at once as rate-limited. */
  maxRetryAfterMs: number;
  /** Retry-After waits honoured in all, per run; beyond it a 429 fails at once. */
  retryAfterBudgetMs: number;
  maxRedirects: number;
  /** Timeouts after which a host is skipped for the rest of the run (circuit breaker). */
  hostTimeouts: number;
  /** Time spent on one host's requests, per run, after which it is skipped for the rest of the run. */
  hostBudgetMs: number;
}

/** What every registry client starts from: a few retries, bounded waits, a host given up after two timeouts. */
export const DEFAULT_TRANSPORT_LIMITS: TransportLimits = {
  timeoutMs: 15_000,
  retries: 3,
  maxRetryAfterMs: 60_000,
  retryAfterBudgetMs: 60_000,
  maxRedirects: 5,
  hostTimeouts: 2,
  hostBudgetMs: 120_000,
};

export interface Exchange<Kind extends string = string> {
  kind: Kind;
  registry: string;
  method: 'GET' | 'HEAD';
  url: URL;
  headers: Record<string, string>;
  maxBodyBytes: number;
}

export interface TransportOptions<Kind extends string = string> {
  limits: TransportLimits;
  dispatcher: Dispatcher;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
  /** When (epoch ms) the run's lookups must end; nothing is sent or waited for after it. */
  deadline?: number;
  onRequest?: (event: RequestEvent<Kind>) => void;
  warn: (message: string) => void;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** What a host did in this run: its failures decide whether it is asked again. */
interface HostRecord {
  timeouts: number;
  spentMs: number;
  /** Set once the host is not asked again in this run: the message each later request fails with. */
  down?: { kind: 'network' | 'skipped'; message: string };
}

export class Transport<Kind extends string = string> {
  private readonly hosts = new Map<string, HostRecord>();
  private retryAfterWaited = 0;

  constructor(private readonly options: TransportOptions<Kind>) {}

  /**
   * Sends with bounded retries on 429 (honouring Retry-After), 5xx and network failures. A host that
   * does not exist (ENOTFOUND) is not retried, and a host that stayed unreachable, timed out too often
   * or used up its time budget is not asked again in this run: one failure, not one per image.
   */
  async exchange(request: Exchange<Kind>): Promise<HttpResponse> {
    const { limits } = this.options;
    const host = this.record(request.url.origin);
    for (let attempt = 0; ; attempt++) {
      if (host.down) throw new RegistryError(host.down.kind, host.down.message);
      let res: HttpResponse;
      try {
        res = await this.follow(request, host);
      } catch (error) {
        if (error instanceof RegistryError) throw error;
        const failure = error instanceof HttpFailure ? error : new HttpFailure('network', 'request failed');
        if (failure.kind === 'not-allowed')
          throw new RegistryError('not-allowed', `${request.registry}: registry host not allowed`);
        if (failure.kind === 'timeout') this.timedOut(request, host);
        const final = failure.kind !== 'network' || failure.code === 'ENOTFOUND' || attempt >= limits.retries;
        if (final) {
          if (failure.kind === 'network')
            host.down = { kind: 'network', message: `${failure.message} (not retried in this run)` };
          throw new RegistryError(failure.kind, failure.message);
        }
        await this.wait(backoff(attempt));
        continue;
      }
      const retryable = res.status === 429 || res.status >= 500;
      if (!retryable || attempt >= limits.retries) return res;
      const asked =
        res.status === 429 ? parseRetryAfter(res.headers.get('retry-after'), this.options.now()) : undefined;
      if (asked !== undefined && !this.mayWaitRetryAfter(asked)) return res;
      const wait = asked ?? backoff(attempt);
      if (!this.hasTimeFor(wait)) return res;
      this.options.warn(`${request.registry}: ${res.status} from ${describeUrl(request.url)}, retrying`);
      if (asked !== undefined) this.retryAfterWaited += asked;
      await this.wait(wait);
    }
  }

  /** One attempt, following redirects by hand: Authorization never leaves the origin it was meant for. */
  private async follow(request: Exchange<Kind>, host: HostRecord): Promise<HttpResponse> {
    let { url, method } = request;
    let headers = request.headers;
    for (let hop = 0; ; hop++) {
      const res = await this.send({ ...request, url, method, headers }, host);
      const location = res.headers.get('location');
      if (!REDIRECTS.has(res.status) || !location || hop >= this.options.limits.maxRedirects) return res;
      let next: URL;
      try {
        next = new URL(location, url);
      } catch {
        return res;
      }
      if (next.protocol !== 'https:' && next.protocol !== 'http:') return res;
      // Never down from TLS: the answer would be readable and changeable on the way.
      if (url.protocol === 'https:' && next.protocol === 'http:') {
        throw new RegistryError(
          'protocol',
          `${request.registry}: redirect from https to http refused (${describeUrl(next)})`,
        );
      }
      if (next.origin !== url.origin) {
        const { authorization: _dropped, ...rest } = headers;
        headers = rest;
      }
      if (res.status === 303 && method !== 'HEAD') method = 'GET';
      url = next;
    }
  }

  private async send(request: Exchange<Kind>, host: HostRecord): Promise<HttpResponse> {
    const report = (fields: Partial<RequestEvent<Kind>>) =>
      this.options.onRequest?.({
        kind: request.kind,
        registry: request.registry,
        method: request.method,
        url: describeUrl(request.url),
        ...fields,
      });
    const timeoutMs = Math.min(this.options.limits.timeoutMs, this.remaining());
    if (timeoutMs <= 0) throw deadlineError(request.registry);
    const started = this.options.now();
    try {
      const res = await httpRequest({
        method: request.method,
        url: request.url,
        headers: request.headers,
        timeoutMs,
        maxBodyBytes: request.maxBodyBytes,
        dispatcher: this.options.dispatcher,
      });
      const rateLimit = parseRateLimit(res.headers);
      report({ status: res.status, ...(rateLimit && { rateLimit }) });
      return res;
    } catch (error) {
      if (error instanceof HttpFailure) {
        report({ failure: error.kind });
        if (error.kind === 'timeout' && this.remaining() <= 0) throw deadlineError(request.registry);
      }
      throw error;
    } finally {
      this.spend(request, host, this.options.now() - started);
    }
  }

  private record(origin: string): HostRecord {
    let host = this.hosts.get(origin);
    if (!host) {
      host = { timeouts: 0, spentMs: 0 };
      this.hosts.set(origin, host);
    }
    return host;
  }

  private timedOut(request: Exchange<Kind>, host: HostRecord): void {
    host.timeouts++;
    if (host.down || host.timeouts < this.options.limits.hostTimeouts) return;
    this.skip(request, host, `skipped for the rest of this run after ${host.timeouts} timeouts`);
  }

  private spend(request: Exchange<Kind>, host: HostRecord, ms: number): void {
    host.spentMs += ms;
    const budget = this.options.limits.hostBudgetMs;
    if (host.down || host.spentMs < budget) return;
    this.skip(request, host, `skipped for the rest of this run: its requests took over ${budget / 1000} s`);
  }

  private skip(request: Exchange<Kind>, host: HostRecord, why: string): void {
    const message = `${request.registry} (${request.url.origin}): ${why}`;
    host.down = { kind: 'skipped', message };
    this.options.warn(message);
  }

  private mayWaitRetryAfter(ms: number): boolean {
    const { maxRetryAfterMs, retryAfterBudgetMs } = this.options.limits;
    return ms <= maxRetryAfterMs && this.retryAfterWaited + ms <= retryAfterBudgetMs;
  }

  /** Whether a wait of `ms` still ends before the deadline (with time left to ask again). */
  private hasTimeFor(ms: number): boolean {
    return ms < this.remaining();
  }

  private remaining(): number {
    const { deadline } = this.options;
    return deadline === undefined ? Infinity : deadline - this.options.now();
  }

  private async wait(ms: number): Promise<void> {
    await this.options.sleep(Math.min(ms, Math.max(0, this.remaining())));
  }
}

function deadlineError(registry: string): RegistryError {
  return new RegistryError('deadline', `${registry}: not looked up, the run's time for lookups is over`);
}

/** 0.5 s, 1 s, 2 s… capped at 8 s. */
function backoff(attempt: number): number {
  return Math.min(500 * 2 ** attempt, 8000);
}
