// A Redis server for tests: the one in REDIS_URL when set, else a throwaway `redis-server` on a free
// loopback port. Each call gets a unique key prefix so tests sharing a server never see each other's keys.

import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';

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

const START_ATTEMPTS = 3;
const READY_TIMEOUT_MS = 10_000;

export async function startRedis(options: StartRedisOptions = {}): Promise<TestRedis> {
  const prefix = `dockhand-test:${randomBytes(6).toString('hex')}:`;
  const shared = process.env.REDIS_URL;
  if (shared && !options.spawn && options.port === undefined) {
    return { url: shared, prefix, stop: () => deleteKeys(shared, prefix) };
  }
  let lastError: unknown;
  // A free port can be taken between finding it and redis-server binding it: try another one.
  for (let attempt = 0; attempt < START_ATTEMPTS; attempt++) {
    try {
      return { ...(await spawnRedis(options.port)), prefix };
    } catch (error) {
      if (error instanceof RedisMissingError || options.port !== undefined) throw error;
      lastError = error;
    }
  }
  throw lastError;
}

class RedisMissingError extends Error {}

async function spawnRedis(port?: number): Promise<Omit<TestRedis, 'prefix'>> {
  port ??= await freePort();
  const dir = await mkdtemp(join(tmpdir(), 'dockhand-redis-'));
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
    '--dir',
    dir,
  ];
  const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<Error>((resolve) => {
    child.once('error', (error: NodeJS.ErrnoException) =>
      resolve(
        error.code === 'ENOENT'
          ? new RedisMissingError(
              'redis-server is not installed or not on PATH: install it (apt-get install redis-server) or set REDIS_URL',
            )
          : error,
      ),
    );
    child.once('exit', (code, signal) =>
      resolve(new Error(`redis-server exited (${signal ?? code}) before answering PING:\n${output}`)),
    );
  });
  const cleanup = async () => {
    await kill(child);
    await rm(dir, { recursive: true, force: true });
  };
  const ready = await Promise.race([
    waitForPing(port, exited).then(
      () => undefined,
      (error: Error) => error,
    ),
    exited,
  ]);
  if (ready instanceof Error) {
    await cleanup();
    throw ready;
  }
  return { url: `redis://127.0.0.1:${port}`, stop: cleanup };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Polls with a raw PING until the server answers, it exits, or READY_TIMEOUT_MS passes. */
async function waitForPing(port: number, exited: Promise<Error>): Promise<void> {
  let gone = false;
  void exited.then(() => (gone = true));
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (!gone) {
    if (await ping(port)) return;
    if (Date.now() > deadline) throw new Error(`redis-server on port ${port} did not answer PING`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let reply = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
  });
}

function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined)
    return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
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
