// Redis for the benchmark's shared-cache runs: REDIS_URL when set (keys under a prefix of our own,
// deleted afterwards), else a throwaway `redis-server` on a free loopback port.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort, ownChild, ownDir, waitFor } from './cleanup.js';

function ping(port) {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (chunk) => done(chunk.toString().startsWith('+PONG')));
  });
}

async function deletePrefix(url, prefix) {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
  client.on('error', () => {}); // the failed command reports it
  try {
    await client.connect();
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      if (keys.length) await client.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    client.disconnect();
  }
}

/** `{ url, prefix, stop }`: the prefix keeps this run's keys apart from anything else on the server. */
export async function startRedis() {
  const prefix = `dockhand-bench:${randomBytes(6).toString('hex')}:`;
  if (process.env.REDIS_URL) {
    const url = process.env.REDIS_URL;
    await deletePrefix(url, prefix).catch((error) => {
      // Not the URL itself: it may hold a password.
      throw new Error(`REDIS_URL does not answer: ${error.message}`);
    });
    return { url, prefix, stop: () => deletePrefix(url, prefix) };
  }
  const dir = await mkdtemp(join(tmpdir(), 'dockhand-bench-redis-'));
  const removeDir = ownDir(dir);
  let lastError;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const args = [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      dir,
      '--save',
      '',
      '--appendonly',
      'no',
    ];
    const child = spawn('redis-server', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    const stopChild = ownChild(child);
    let gone = false;
    child.once('exit', () => (gone = true));
    child.once('error', (error) => {
      gone = true;
      lastError =
        error.code === 'ENOENT' ? new Error('redis-server is not installed (or set REDIS_URL)') : error;
    });
    try {
      await waitFor(
        () => ping(port),
        () => gone,
        10_000,
        'redis-server',
      );
      const stop = async () => {
        await stopChild();
        removeDir();
      };
      return { url: `redis://127.0.0.1:${port}`, prefix, stop };
    } catch (error) {
      await stopChild();
      lastError ??= error;
      if (lastError.message.includes('not installed')) break;
    }
  }
  removeDir();
  throw lastError;
}
