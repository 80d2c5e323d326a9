// A Redis server for tests: the one in REDIS_URL when set, else a throwaway `redis-server` on a free
// loopback port. Each call gets a unique key prefix so tests sharing a server never see each other's keys.

import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { NO_PERSISTENCE, startRedisProcess } from './redis-process.js';

export interface TestRedis {
  /** `redis://127.0.0.1:<port>` (or REDIS_URL). */
  url: string;
  /** A prefix no other test uses; `stop` deletes the keys under it on a shared server. */
  prefix: string;
  /** Our own server: killed and its directory removed. A shared one: only this test's keys deleted. */
  stop(): Promise<void>;
}

export interface StartRedisOptions {
  /** Start a server of our own even when REDIS_URL is set (for tests that stop the server). */
  spawn?: boolean;
  /** Port for our own server (to restart one where a client expects it); a free one when absent. */
  port?: number;
}

export async function startRedis(options: StartRedisOptions = {}): Promise<TestRedis> {
  const prefix = `dockhand-test:${randomBytes(6).toString('hex')}:`;
  const shared = process.env.REDIS_URL;
  if (shared && !options.spawn && options.port === undefined) {
    return { url: shared, prefix, stop: () => deleteKeys(shared, prefix) };
  }
  const server = await startRedisProcess({
    ...(options.port !== undefined ? { port: options.port } : {}),
    args: (port, dir) => ['--port', String(port), '--bind', '127.0.0.1', ...NO_PERSISTENCE, '--dir', dir],
  });
  return { url: `redis://127.0.0.1:${server.port}`, prefix, stop: server.stop };
}

async function deleteKeys(url: string, prefix: string): Promise<void> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await client.connect();
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${escapeGlob(prefix)}*`, 'COUNT', 1000);
      if (keys.length > 0) await client.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    client.disconnect();
  }
}

function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}
