// DNS rebinding against the network guard: a name whose first answer passes the policy and whose later
// answers are loopback. The connection goes to the address that was checked (never to a second lookup of
// the name), and a later connection, checked on the new answer, is refused. Two real servers on one port:
// 127.0.0.2 stands for the "public" address (the policy allows it as a range) and 127.0.0.1 for the
// internal service. The name is `localhost`, so that a connection made by name, not by the checked
// address, would reach the internal service through the system's resolver.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guardedAgent, type Resolver } from '../../src/http/guard.js';
import { NetworkPolicy } from '../../src/http/network-policy.js';
import { HttpFailure, httpRequest } from '../../src/http/request.js';

let checked: Server;
let internal: Server;
let port: number;
const received = { checked: 0, internal: 0 };

function listen(host: string, onRequest: () => void, at = 0): Promise<Server> {
  const server = createServer((_req, res) => {
    onRequest();
    // Every answer closes its connection: the next request must connect (and resolve) anew.
    res.writeHead(200, { connection: 'close' }).end('ok');
  });
  return new Promise((resolve) => server.listen(at, host, () => resolve(server)));
}

beforeAll(async () => {
  checked = await listen('127.0.0.2', () => received.checked++);
  port = (checked.address() as AddressInfo).port;
  internal = await listen('127.0.0.1', () => received.internal++, port);
});
afterAll(async () => {
  for (const server of [checked, internal]) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** Answers the allowed address first, loopback from then on; counts its lookups. */
function rebinding(): { resolver: Resolver; lookups: string[] } {
  const lookups: string[] = [];
  return {
    lookups,
    resolver: async (name) => {
      lookups.push(name);
      return lookups.length === 1 ? ['127.0.0.2'] : ['127.0.0.1'];
    },
  };
}

async function get(dispatcher: ReturnType<typeof guardedAgent>): Promise<number | HttpFailure> {
  try {
    const res = await httpRequest({
      method: 'GET',
      url: new URL(`http://localhost:${port}/v2/`),
      headers: {},
      timeoutMs: 5_000,
      maxBodyBytes: 1024,
      dispatcher,
    });
    return res.status;
  } catch (error) {
    return error as HttpFailure;
  }
}

describe('guardedAgent against DNS rebinding', () => {
  it('connects to the checked address, then refuses the rebound answer; loopback receives nothing', async () => {
    const { resolver, lookups } = rebinding();
    const dispatcher = guardedAgent({ policy: NetworkPolicy.publicOnly(['127.0.0.2/32']), resolver });
    const before = { ...received };
    try {
      expect(await get(dispatcher)).toBe(200);
      // One lookup for the connection: the socket went to its answer, the name was not resolved again.
      expect(lookups).toEqual(['localhost']);
      expect(received.checked - before.checked).toBe(1);
      const second = await get(dispatcher);
      expect(second).toBeInstanceOf(HttpFailure);
      expect(second).toMatchObject({ kind: 'not-allowed', message: 'host not allowed' });
      expect(lookups).toEqual(['localhost', 'localhost']);
    } finally {
      await dispatcher.close();
    }
    expect(received.internal - before.internal).toBe(0);
  });

  it('the internal server is there to be reached: by name, loopback allowed, it answers', async () => {
    const dispatcher = guardedAgent({ policy: NetworkPolicy.local(), resolver: async () => ['127.0.0.1'] });
    const before = received.internal;
    try {
      expect(await get(dispatcher)).toBe(200);
    } finally {
      await dispatcher.close();
    }
    expect(received.internal - before).toBe(1);
  });
});
