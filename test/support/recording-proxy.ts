// A pass-through HTTP proxy in front of a real registry that records what clients sent (every request,
// as it arrives) and what the registry answered, so tests can check headers (Accept, If-None-Match,
// Authorization) and fetches (tarballs) the registry itself does not log.
import { createServer, request, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
}

export interface Exchanged {
  method: string;
  url: string;
  sent: IncomingHttpHeaders;
  status: number;
  answered: IncomingHttpHeaders;
}

export interface RecordingProxy {
  /** `http://127.0.0.1:<port>/` */
  url: string;
  host: string;
  /** Every request, as it arrived. */
  requests: RecordedRequest[];
  /** Every request the registry answered, with its answer's status and headers. */
  exchanges: Exchanged[];
  close(): Promise<void>;
}

export interface RecordingProxyOptions {
  /**
   * Pass the client's Host header on (so a registry such as verdaccio writes tarball URLs that point
   * back at the proxy) rather than the target's.
   */
  keepHost?: boolean;
}

export async function startRecordingProxy(
  target: string,
  options: RecordingProxyOptions = {},
): Promise<RecordingProxy> {
  const upstream = new URL(target);
  const requests: RecordedRequest[] = [];
  const exchanges: Exchanged[] = [];
  const server = createServer((req, res) => {
    const method = req.method ?? '';
    const url = req.url ?? '';
    requests.push({ method, url, headers: { ...req.headers } });
    const forward = request(
      {
        hostname: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: options.keepHost ? req.headers : { ...req.headers, host: upstream.host },
      },
      (answer) => {
        exchanges.push({
          method,
          url,
          sent: req.headers,
          status: answer.statusCode ?? 0,
          answered: answer.headers,
        });
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => res.writeHead(502).end());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    host: `127.0.0.1:${port}`,
    requests,
    exchanges,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
