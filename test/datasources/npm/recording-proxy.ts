// A pass-through HTTP proxy in front of a real registry that records what the client sent and what the
// registry answered, so tests can check headers (Accept, If-None-Match) the registry itself does not log.
import { createServer, request, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

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
  exchanges: Exchanged[];
  close(): Promise<void>;
}

export async function startRecordingProxy(target: string): Promise<RecordingProxy> {
  const upstream = new URL(target);
  const exchanges: Exchanged[] = [];
  const server = createServer((req, res) => {
    const forward = request(
      {
        hostname: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: upstream.host },
      },
      (answer) => {
        exchanges.push({
          method: req.method ?? '',
          url: req.url ?? '',
          sent: req.headers,
          status: answer.statusCode ?? 0,
          answered: answer.headers,
        });
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    host: `127.0.0.1:${port}`,
    exchanges,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
