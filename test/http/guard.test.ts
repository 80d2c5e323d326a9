// The network guard against real servers on loopback: every spelling of a refused address is refused
// before anything reaches the server, a host name is checked on the address it resolves to (through a
// resolver of the test's own), and a refused host cannot be told from a closed port.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guardedAgent, type Resolver } from '../../src/http/guard.js';
import { NetworkPolicy } from '../../src/http/network-policy.js';
import { HttpFailure, httpRequest } from '../../src/http/request.js';

let server: Server;
let port: number;
let received = 0;
let closedPort: number;

beforeAll(async () => {
  server = createServer((_, res) => {
    received++;
    res.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  // A port nothing listens on: the one a just-closed server had.
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  closedPort = (probe.address() as AddressInfo).port;
  await new Promise((resolve) => probe.close(resolve));
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

const names: Record<string, string[]> = {
  'rebound.test': ['127.0.0.1'],
  'metadata.test': ['169.254.169.254'],
  'mixed.test': ['10.0.0.1', '127.0.0.1'],
};
const resolver: Resolver = async (name) => {
  const found = names[name];
  if (!found) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
  return found;
};

async function get(url: string, policy: NetworkPolicy): Promise<number | HttpFailure> {
  const dispatcher = guardedAgent({ policy, resolver });
  try {
    const res = await httpRequest({
      method: 'GET',
      url: new URL(url),
      headers: {},
      timeoutMs: 5_000,
      maxBodyBytes: 1024,
      dispatcher,
    });
    return res.status;
  } catch (error) {
    return error as HttpFailure;
  } finally {
    await dispatcher.close();
  }
}

describe('guardedAgent', () => {
  const refused = () => [
    `http://127.0.0.1:${port}/v2/`,
    `http://2130706433:${port}/v2/`,
    `http://0x7f000001:${port}/v2/`,
    `http://0177.0.0.1:${port}/v2/`,
    `http://127.1:${port}/v2/`,
    `http://[::ffff:7f00:1]:${port}/v2/`,
    `http://[::ffff:127.0.0.1]:${port}/v2/`,
    `http://rebound.test:${port}/v2/`,
    `http://mixed.test:${port}/v2/`,
  ];

  it('refuses loopback in every spelling, and names resolving to it, before connecting', async () => {
    const before = received;
    for (const url of refused()) {
      const failure = await get(url, NetworkPolicy.publicOnly());
      expect(failure, url).toBeInstanceOf(HttpFailure);
      expect((failure as HttpFailure).kind, url).toBe('not-allowed');
      expect((failure as HttpFailure).message).toBe('host not allowed');
    }
    expect(received - before).toBe(0);
  });

  it('connects to the same URLs where the policy allows them (the server is reachable)', async () => {
    const before = received;
    const local = NetworkPolicy.local();
    // mixed.test's first address (10.0.0.1) is allowed to the CLI too, and answers nothing here.
    const reachable = refused().filter((url) => !url.includes('mixed.test'));
    for (const url of reachable) expect(await get(url, local), url).toBe(200);
    expect(received - before).toBe(reachable.length);
  });

  it('lets the operator allow a host name, a host:port or a range', async () => {
    expect(await get(`http://rebound.test:${port}/`, NetworkPolicy.publicOnly(['rebound.test']))).toBe(200);
    expect(
      await get(`http://rebound.test:${port}/`, NetworkPolicy.publicOnly([`rebound.test:${port}`])),
    ).toBe(200);
    const otherPort = NetworkPolicy.publicOnly([`rebound.test:${port + 1}`]);
    expect(await get(`http://rebound.test:${port}/`, otherPort)).toMatchObject({ kind: 'not-allowed' });
    expect(await get(`http://127.0.0.1:${port}/`, NetworkPolicy.publicOnly(['127.0.0.0/8']))).toBe(200);
  });

  it('refuses metadata addresses even to the CLI, which reaches the user’s own networks', async () => {
    expect(await get('http://metadata.test/latest/meta-data/', NetworkPolicy.local())).toMatchObject({
      kind: 'not-allowed',
    });
    expect(await get('http://169.254.169.254/', NetworkPolicy.local())).toMatchObject({
      kind: 'not-allowed',
    });
  });

  it('tells nothing of a refused host: an open and a closed port fail alike', async () => {
    const open = await get(`http://127.0.0.1:${port}/`, NetworkPolicy.publicOnly());
    const closed = await get(`http://127.0.0.1:${closedPort}/`, NetworkPolicy.publicOnly());
    expect(closed).toEqual(open);
    // Allowed, the closed port is a plain network failure with its code.
    const allowed = await get(`http://127.0.0.1:${closedPort}/`, NetworkPolicy.local());
    expect(allowed).toMatchObject({ kind: 'network', code: 'ECONNREFUSED' });
  });
});
