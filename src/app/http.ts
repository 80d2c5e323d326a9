// The app's own HTTP endpoints, served beside probot's webhook route through `addHandler`.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';

export interface HttpEndpointsOptions {
  registry: Registry;
  /** Resolves when the app can do its job (Redis answers); rejects or resolves false otherwise. */
  ready: () => Promise<boolean>;
}

/** A probot handler: answers GET /healthz, /readyz and /metrics, returns false for anything else. */
export function httpEndpoints(options: HttpEndpointsOptions) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const path = (req.url ?? '').split('?')[0];
    switch (path) {
      case '/healthz':
        send(res, 200, 'text/plain', 'ok\n');
        return true;
      case '/readyz': {
        const ready = await options.ready().catch(() => false);
        send(res, ready ? 200 : 503, 'text/plain', ready ? 'ready\n' : 'not ready\n');
        return true;
      }
      case '/metrics':
        send(res, 200, options.registry.contentType, await options.registry.metrics());
        return true;
      default:
        return false;
    }
  };
}

function send(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store' }).end(body);
}
