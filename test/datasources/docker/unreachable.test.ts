// An offline machine or a dead registry costs one failure per host, not one per image.
import { NetworkPolicy } from '../../../src/http/network-policy.js';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { MemoryCache } from '../../../src/cache/memory.js';
import { RegistryClient, isRegistryError, type RequestEvent } from '../../../src/datasources/docker/index.js';

/** A loopback port nobody listens on: connections are refused. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('unreachable registries', () => {
  it('retries a refused connection a bounded number of times, then fails fast for the rest of the run', async () => {
    const port = await closedPort();
    const events: RequestEvent[] = [];
    const sleeps: number[] = [];
    const client = new RegistryClient({
      network: NetworkPolicy.local(),
      cache: new MemoryCache(),
      limits: { retries: 2 },
      onRequest: (e) => events.push(e),
      sleep: async (ms) => void sleeps.push(ms),
    });
    const host = `127.0.0.1:${port}`;
    const first = await client.getTags({ registry: host, repository: 'a/b' }).catch((e: unknown) => e);
    expect(isRegistryError(first) && first.kind).toBe('network');
    expect(events.filter((e) => e.failure === 'network')).toHaveLength(3);
    expect(sleeps).toHaveLength(2);

    const second = await client
      .getDigest({ registry: host, repository: 'c/d' }, '1.0')
      .catch((e: unknown) => e);
    expect(isRegistryError(second) && second.message).toMatch(/ECONNREFUSED.*not retried in this run/);
    expect(events.filter((e) => e.failure === 'network')).toHaveLength(3);
  });
});
