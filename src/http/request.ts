// One HTTP exchange with the limits a client talking to untrusted servers needs: a timeout that covers
// headers and body, a cap on body bytes (read as a stream, so a server sending forever costs at most the
// cap), no automatic redirects (callers decide what a redirect may carry), and connections only where the
// dispatcher's network policy allows (src/http/guard.ts).
import { fetch, type Dispatcher } from 'undici';
import { HostNotAllowedError } from './guard.js';

export type HttpFailureKind = 'timeout' | 'too-large' | 'network' | 'not-allowed';

/** A failed exchange. Messages name only the URL's origin and path, never headers or query strings. */
export class HttpFailure extends Error {
  constructor(
    readonly kind: HttpFailureKind,
    message: string,
    /** The socket error code (ECONNREFUSED, ENOTFOUND…), when there was one. */
    readonly code?: string,
  ) {
    super(message);
    this.name = 'HttpFailure';
  }
}

export interface HttpRequest {
  method: 'GET' | 'HEAD';
  url: URL;
  headers: Record<string, string>;
  timeoutMs: number;
  /** Largest body accepted; more is a `too-large` failure. */
  maxBodyBytes: number;
  /** Connections go through it: a guarded agent (src/http/guard.ts) in every program. */
  dispatcher: Dispatcher;
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  body: Buffer;
}

/** Origin and path of a URL: what may appear in messages (queries can carry anything). */
export function describeUrl(url: URL): string {
  return `${url.origin}${url.pathname}`;
}

export async function httpRequest(req: HttpRequest): Promise<HttpResponse> {
  const signal = AbortSignal.timeout(req.timeoutMs);
  const where = `${req.method} ${describeUrl(req.url)}`;
  try {
    const res = await fetch(req.url, {
      method: req.method,
      headers: req.headers,
      redirect: 'manual',
      signal,
      dispatcher: req.dispatcher,
    });
    const declared = Number(res.headers.get('content-length'));
    if (req.method !== 'HEAD' && Number.isFinite(declared) && declared > req.maxBodyBytes) {
      await res.body?.cancel().catch(() => undefined);
      throw new HttpFailure('too-large', `${where}: body of ${declared} bytes exceeds ${req.maxBodyBytes}`);
    }
    const body = req.method === 'HEAD' ? Buffer.alloc(0) : await readBounded(res, req.maxBodyBytes, where);
    return { status: res.status, headers: res.headers, body };
  } catch (error) {
    throw toFailure(error, signal, where, req.timeoutMs);
  }
}

async function readBounded(res: Response, max: number, where: string): Promise<Buffer> {
  if (!res.body) return Buffer.alloc(0);
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > max) {
      await reader.cancel().catch(() => undefined);
      throw new HttpFailure('too-large', `${where}: body exceeds ${max} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, total);
}

function toFailure(error: unknown, signal: AbortSignal, where: string, timeoutMs: number): HttpFailure {
  if (error instanceof HttpFailure) return error;
  const cause = (error as { cause?: { code?: unknown } } | undefined)?.cause;
  // Nothing about a refused host's network is told: not even that it was tried. Fetch itself refuses
  // ports of other protocols (SMTP, IRC…), which the network policy would otherwise be asked about.
  if (cause instanceof HostNotAllowedError || (cause as Error | undefined)?.message === 'bad port')
    return new HttpFailure('not-allowed', 'host not allowed');
  if (signal.aborted)
    return new HttpFailure('timeout', `${where}: no complete answer within ${timeoutMs} ms`);
  // undici wraps the socket error in `cause`; its code (ECONNREFUSED, UND_ERR_SOCKET…) is safe to show.
  const code = typeof cause?.code === 'string' ? cause.code : undefined;
  return new HttpFailure('network', `${where}: ${code ?? 'connection failed'}`, code);
}
