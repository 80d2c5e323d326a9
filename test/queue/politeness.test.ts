import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Politeness, waitForWriteSlot } from '../../src/queue/politeness.js';
import { startQueueTestEnv, type QueueTestEnv } from './helpers.js';

let env: QueueTestEnv;
let run = 0;

beforeAll(async () => {
  env = await startQueueTestEnv();
});

afterAll(async () => {
  await env.stop();
});

/** Two "workers" (instances) sharing one Redis and one fake clock. */
function setup(options: { maxConcurrent?: number; writeSpacingMs?: number; leaseMs?: number } = {}) {
  const clock = { now: 1_700_000_000_000 };
  const prefix = `${env.prefix}:${++run}`;
  const make = () => new Politeness({ redis: env.connection, prefix, now: () => clock.now, ...options });
  return { clock, a: make(), b: make() };
}

describe('Politeness', () => {
  it('caps running jobs per installation across workers and frees slots on release', async () => {
    const { a, b } = setup({ maxConcurrent: 2 });
    const first = await a.tryAcquire(1);
    const second = await b.tryAcquire(1);
    expect([first.acquired, second.acquired]).toEqual([true, true]);
    expect(await a.tryAcquire(1)).toEqual({ acquired: false });
    // Another installation is not affected.
    expect((await b.tryAcquire(2)).acquired).toBe(true);
    if (!first.acquired) throw new Error('unreachable');
    await first.lease.release();
    expect((await b.tryAcquire(1)).acquired).toBe(true);
  });

  it('frees the slot of a worker that died once its lease expires', async () => {
    const { clock, a, b } = setup({ maxConcurrent: 1, leaseMs: 60_000 });
    expect((await a.tryAcquire(1)).acquired).toBe(true);
    clock.now += 59_999;
    expect((await b.tryAcquire(1)).acquired).toBe(false);
    clock.now += 2;
    expect((await b.tryAcquire(1)).acquired).toBe(true);
  });

  it('spaces writes of one installation across workers', async () => {
    const { clock, a, b } = setup({ writeSpacingMs: 1_000 });
    expect(await a.reserveWrite(1)).toBe(0);
    expect(await b.reserveWrite(1)).toBe(1_000);
    expect(await a.reserveWrite(1)).toBe(2_000);
    expect(await a.reserveWrite(2)).toBe(0);
    // A notification-triggering write asks for a wider gap after it.
    clock.now += 10_000;
    expect(await b.reserveWrite(1, 3_000)).toBe(0);
    expect(await a.reserveWrite(1)).toBe(3_000);
  });

  it('pauses slots and writes of one installation after retry-after; a shorter pause does not shorten it', async () => {
    const { clock, a, b } = setup({ maxConcurrent: 5 });
    await a.pause(1, 30_000);
    await b.pause(1, 5_000);
    expect(await b.tryAcquire(1)).toEqual({ acquired: false, retryInMs: 30_000 });
    expect(await b.reserveWrite(1)).toBe(30_000);
    expect((await b.tryAcquire(2)).acquired).toBe(true);
    clock.now += 30_000;
    expect((await a.tryAcquire(1)).acquired).toBe(true);
  });

  it('waitForWriteSlot sleeps for the reserved wait only', async () => {
    const { a } = setup({ writeSpacingMs: 700 });
    const slept: number[] = [];
    const sleep = async (ms: number) => void slept.push(ms);
    await waitForWriteSlot(a, 3, sleep);
    await waitForWriteSlot(a, 3, sleep);
    await waitForWriteSlot(a, 3, sleep);
    expect(slept).toEqual([700, 1_400]);
  });
});
