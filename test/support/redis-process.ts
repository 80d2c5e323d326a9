// One `redis-server` process for tests (a plain server, a Cluster node or a Sentinel): spawned on free
// loopback ports in a directory of its own, ready once it answers PING, killed and its directory removed
// on stop. test/support/redis.ts, redis-cluster.ts and redis-sentinel.ts build on it.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createConnection, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { freePort } from './free-port.js';

export interface RedisProcess {
  port: number;
  /** Its own directory (data, nodes.conf, sentinel.conf); removed by stop(). */
  dir: string;
  child: ChildProcess;
  /** SIGKILL, as a crashed server or a lost machine (the directory stays until stop()). */
  kill(): Promise<void>;
  stop(): Promise<void>;
}

export interface RedisProcessOptions {
  /** A fixed port (no retry on another one); a free one when absent. */
  port?: number;
  /** Ports besides the main one (a Cluster node's bus port): free ones, handed to `args`. */
  extraPorts?: number;
  /** The command line after `redis-server`, given the ports and the directory; may write files first. */
  args(port: number, dir: string, extraPorts: number[]): string[] | Promise<string[]>;
  /** The main port speaks only TLS (`--port 0 --tls-port <port>`): PING it over TLS, trusting this CA (PEM). */
  tlsCa?: string;
}

export class RedisMissingError extends Error {}

const START_ATTEMPTS = 3;
const READY_TIMEOUT_MS = 10_000;

export async function startRedisProcess(options: RedisProcessOptions): Promise<RedisProcess> {
  let lastError: unknown;
  // A free port can be taken between finding it and redis-server binding it: try other ones.
  for (let attempt = 0; attempt < START_ATTEMPTS; attempt++) {
    try {
      return await spawnOnce(options);
    } catch (error) {
      if (error instanceof RedisMissingError || options.port !== undefined) throw error;
      lastError = error;
    }
  }
  throw lastError;
}

async function spawnOnce(options: RedisProcessOptions): Promise<RedisProcess> {
  const port = options.port ?? (await freePort());
  const extraPorts: number[] = [];
  for (let n = 0; n < (options.extraPorts ?? 0); n++) extraPorts.push(await freePort());
  const dir = await mkdtemp(join(tmpdir(), 'dockhand-redis-'));
  const child = spawn('redis-server', await options.args(port, dir, extraPorts), {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-8000)));
  child.stderr!.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-8000)));
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
  const kill = () => killChild(child);
  const stop = async () => {
    await kill();
    await rm(dir, { recursive: true, force: true });
  };
  const ready = await Promise.race([
    waitForPing(port, exited, options.tlsCa).then(
      () => undefined,
      (error: Error) => error,
    ),
    exited,
  ]);
  if (ready instanceof Error) {
    await stop();
    throw ready;
  }
  return { port, dir, child, kill, stop };
}

/** Polls with a raw PING until the server answers (PONG, or NOAUTH when it wants a password). */
async function waitForPing(port: number, exited: Promise<Error>, tlsCa?: string): Promise<void> {
  let gone = false;
  void exited.then(() => (gone = true));
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (!gone) {
    if (await ping(port, tlsCa)) return;
    if (Date.now() > deadline) throw new Error(`redis-server on port ${port} did not answer PING`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function ping(port: number, tlsCa?: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket: Socket =
      tlsCa === undefined
        ? createConnection({ host: '127.0.0.1', port })
        : tlsConnect({ host: '127.0.0.1', port, ca: tlsCa });
    let reply = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('error', () => done(false));
    socket.once(tlsCa === undefined ? 'connect' : 'secureConnect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG') || reply.startsWith('-NOAUTH'));
    });
  });
}

function killChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined)
    return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

/** `--save '' --appendonly no`: test servers keep nothing on disk. */
export const NO_PERSISTENCE = ['--save', '', '--appendonly', 'no'];
