// The pypi datasource against servers that misbehave: rate limits, failures, cut and oversized bodies,
// broken pages, pathological HTML and redirects to hosts the network policy does not allow.
import { afterEach, describe, expect, it } from 'vitest';
import { PypiDatasource, type PypiClientOptions } from '../../../src/datasources/pypi/index.js';
import { NetworkPolicy } from '../../../src/http/network-policy.js';
import {
  fakeSleep,
  memoryCache,
  startServer,
  type FakeServer,
  type Handler,
} from '../docker/fake-registry.js';

const servers: FakeServer[] = [];
const datasources: PypiDatasource[] = [];
afterEach(async () => {
  await Promise.all(datasources.splice(0).map((d) => d.close()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function server(handler: Handler): Promise<FakeServer> {
  const s = await startServer(handler);
  servers.push(s);
  return s;
}

/** A datasource that may reach only `allowed` (loopback host:port entries), with a sleep that does not wait. */
function datasource(allowed: FakeServer[], extra: Partial<PypiClientOptions> = {}) {
  const { sleep, waits } = fakeSleep();
  const pypi = new PypiDatasource({
    cache: memoryCache(),
    network: NetworkPolicy.publicOnly(allowed.map((s) => s.host)),
    sleep,
    ...extra,
  });
  datasources.push(pypi);
  return { pypi, waits };
}

const query = (s: FakeServer, packageName = 'demo') => ({ packageName, registryUrl: `${s.origin}/simple/` });

const GOOD_JSON = JSON.stringify({
  meta: { 'api-version': '1.1' },
  name: 'demo',
  files: [{ filename: 'demo-1.0.tar.gz', url: '/f/demo-1.0.tar.gz', hashes: { sha256: 'aa' } }],
});

function send(body: string, type: string, status = 200, headers: Record<string, string> = {}): Handler {
  return (_req, res) => {
    res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body), ...headers });
    res.end(body);
  };
}

describe('status handling', () => {
  it('honours Retry-After on 429 and then reads the page', async () => {
    let calls = 0;
    const ok = send(GOOD_JSON, 'application/vnd.pypi.simple.v1+json');
    const s = await server((req, res, url) => {
      if (calls++ === 0) return send('slow down', 'text/plain', 429, { 'retry-after': '2' })(req, res, url);
      return ok(req, res, url);
    });
    const { pypi, waits } = datasource([s]);
    expect((await pypi.getReleases(query(s))).releases).toEqual([{ version: '1.0' }]);
    expect(waits).toEqual([2000]);
    expect(s.received).toHaveLength(2);
  });

  it('fails as rate-limited when the wait asked is too long', async () => {
    const s = await server(send('', 'text/plain', 429, { 'retry-after': '86400' }));
    const { pypi, waits } = datasource([s]);
    await expect(pypi.getReleases(query(s))).rejects.toMatchObject({ kind: 'rate-limited', status: 429 });
    expect(waits).toEqual([]);
  });

  it('retries 5xx a bounded number of times, then fails as a server error naming the project', async () => {
    const s = await server(send('oops', 'text/plain', 503));
    const { pypi } = datasource([s], { limits: { retries: 2 } });
    await expect(pypi.getReleases(query(s))).rejects.toMatchObject({
      kind: 'server',
      status: 503,
      message: expect.stringContaining('PyPI project demo'),
    });
    expect(s.received).toHaveLength(3);
  });

  it('maps 401 to unauthorized', async () => {
    const s = await server(send('', 'text/plain', 401));
    const { pypi } = datasource([s]);
    await expect(pypi.getReleases(query(s))).rejects.toMatchObject({ kind: 'unauthorized', status: 401 });
  });
});

describe('bodies', () => {
  it('fails on a body cut short', async () => {
    const s = await server((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/vnd.pypi.simple.v1+json', 'content-length': 5000 });
      res.write(GOOD_JSON.slice(0, 40));
      setTimeout(() => res.destroy(), 10);
    });
    const { pypi } = datasource([s], { limits: { retries: 1 } });
    await expect(pypi.getReleases(query(s))).rejects.toMatchObject({ kind: 'network' });
  });

  it.each([
    ['declared', true],
    ['streamed', false],
  ])('refuses a body over the cap (%s length)', async (_, declared) => {
    const big = `{"meta":{"api-version":"1.0"},"files":[],"pad":"${'x'.repeat(10_000)}"}`;
    const s = await server((_req, res) => {
      res.writeHead(200, {
        'content-type': 'application/vnd.pypi.simple.v1+json',
        ...(declared && { 'content-length': Buffer.byteLength(big) }),
      });
      res.end(big);
    });
    const { pypi } = datasource([s], { limits: { maxBodyBytes: 4096 } });
    await expect(pypi.getReleases(query(s))).rejects.toMatchObject({ kind: 'too-large' });
  });

  it.each([
    ['invalid JSON', '{"meta": {"api-version": "1.0"}, "files": [', 'not valid JSON'],
    [
      'an unknown major API version',
      '{"meta": {"api-version": "2.0"}, "files": []}',
      'unsupported simple API version',
    ],
  ])('names the project on %s', async (_, body, message) => {
    const s = await server(send(body, 'application/vnd.pypi.simple.v1+json'));
    const { pypi } = datasource([s]);
    const error = await pypi.getReleases(query(s, 'Demo_Pkg')).catch((e: Error) => e);
    expect(error).toMatchObject({ name: 'RegistryError', kind: 'protocol' });
    expect((error as Error).message).toContain('PyPI project demo-pkg');
    expect((error as Error).message).toContain(message);
  });

  it('reads an HTML page drowned in 100k unclosed `<a ` tags', async () => {
    const html = `<a href="/f/demo-1.0.tar.gz#sha256=ab" data-requires-python="&gt;=3.8">demo-1.0.tar.gz</a>${'<a '.repeat(100_000)}`;
    const s = await server(send(html, 'text/html'));
    const { pypi } = datasource([s]);
    expect((await pypi.getReleases(query(s))).releases).toEqual([
      { version: '1.0', constraints: { python: '>=3.8' } },
    ]);
  });

  it('reads pages sent without a usable content type by their content', async () => {
    const json = await server(send(GOOD_JSON, 'application/octet-stream'));
    const html = await server(send('<a href="/f/demo-2.0.tar.gz">demo-2.0.tar.gz</a>', ''));
    const { pypi } = datasource([json, html]);
    expect((await pypi.getReleases(query(json))).releases).toEqual([{ version: '1.0' }]);
    expect((await pypi.getReleases(query(html))).releases).toEqual([{ version: '2.0' }]);
  });
});

describe('credentials', () => {
  it("sends the index URL's credentials as Basic auth, keeps them out of messages, drops them on redirect", async () => {
    const other = await server(send('', 'text/plain', 404));
    const s = await server((_req, res) => {
      res.writeHead(302, { location: `${other.origin}/simple/demo/` });
      res.end();
    });
    const { pypi } = datasource([s, other]);
    const url = new URL(`${s.origin}/simple/`);
    url.username = 'user';
    url.password = 's3cret-token';
    const error = await pypi
      .getReleases({ packageName: 'demo', registryUrl: url.href })
      .catch((e: Error) => e);
    expect(error).toMatchObject({ kind: 'not-found' });
    expect((error as Error).message).not.toContain('s3cret-token');
    expect(s.received[0]?.headers.authorization).toBe(
      `Basic ${Buffer.from('user:s3cret-token').toString('base64')}`,
    );
    expect(other.received).toHaveLength(1);
    expect(other.received[0]?.headers.authorization).toBeUndefined();
  });
});

describe('redirects', () => {
  it('follows a redirect on the allowed host', async () => {
    const s = await server((req, res, url) => {
      if (url.pathname === '/simple/demo/') {
        res.writeHead(301, { location: '/mirror/demo/' });
        res.end();
        return;
      }
      return send(GOOD_JSON, 'application/vnd.pypi.simple.v1+json')(req, res, url);
    });
    const { pypi } = datasource([s]);
    expect((await pypi.getReleases(query(s))).releases).toEqual([{ version: '1.0' }]);
    expect(s.received.map((r) => r.url)).toEqual(['/simple/demo/', '/mirror/demo/']);
  });

  it('refuses a redirect to a host the policy does not allow, and never contacts it', async () => {
    const other = await server(send(GOOD_JSON, 'application/vnd.pypi.simple.v1+json'));
    const s = await server((_req, res) => {
      res.writeHead(302, { location: `${other.origin}/simple/demo/` });
      res.end();
    });
    const { pypi } = datasource([s]);
    await expect(pypi.getReleases(query(s))).rejects.toMatchObject({ kind: 'not-allowed' });
    expect(other.received).toEqual([]);
  });
});
