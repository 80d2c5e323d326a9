// Shared by the queue tests: a Redis of their own (or the shared one under a fresh prefix) and polling.

import { Redis } from 'ioredis';
import { startRedis, type TestRedis } from '../support/redis.js';

export interface QueueTestEnv {
  redis: TestRedis;
  /** BullMQ prefix: the test prefix without its trailing ':' (BullMQ adds its own). */
  prefix: string;
  /** A worker-style connection (`maxRetriesPerRequest: null`) the test closes in `stop`. */
  connection: Redis;
  stop(): Promise<void>;
}

export async function startQueueTestEnv(): Promise<QueueTestEnv> {
  const redis = await startRedis();
  const connection = new Redis(redis.url, { maxRetriesPerRequest: null });
  return {
    redis,
    prefix: redis.prefix.replace(/:$/, ''),
    connection,
    stop: async () => {
      connection.disconnect();
      await redis.stop();
    },
  };
}

/** Polls `check` every 20 ms until it returns a value other than undefined/false. */
export async function until<T>(
  check: () => Promise<T | undefined | false> | T | undefined | false,
  what: string,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A promise with its resolve exposed: lets a processor block until the test releases it. */
export function gate(): { promise: Promise<void>; open(): void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}
