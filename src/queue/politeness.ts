// Per-installation politeness shared by every worker process through Redis. GitHub's secondary rate
// limits apply per installation token, across all our workers; BullMQ's own limiter is per queue and
// its per-group limits are a Pro feature, so these few atomic scripts fill the gap:
// - a lease-based semaphore caps the jobs running at once for one installation;
// - write reservations space content-creating requests (each caller is told how long to wait);
// - a pause blocks both after GitHub answered with `retry-after`.
// The clock is passed into the scripts (not Redis TIME) so that tests can drive it.

import { randomUUID } from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';

export interface PolitenessOptions {
  redis: Redis | Cluster;
  /** Same prefix as the queues (`{dockhand}` keeps the keys in the queues' Cluster slot). */
  prefix: string;
  /** Jobs running at once per installation, across all workers. */
  maxConcurrent?: number;
  /** Minimum gap between two writes of one installation (GitHub asks for about one per second). */
  writeSpacingMs?: number;
  /** A slot not released within this time (its worker died) is freed. */
  leaseMs?: number;
  now?: () => number;
}

export interface Lease {
  release(): Promise<void>;
}

export type AcquireResult =
  | { acquired: true; lease: Lease }
  /** `retryInMs` is known while the installation is paused; when all slots are busy it is absent. */
  | { acquired: false; retryInMs?: number };

export const POLITENESS_DEFAULTS = { maxConcurrent: 4, writeSpacingMs: 1_000, leaseMs: 15 * 60_000 };

// KEYS: slots (zset token → lease expiry), paused-until. ARGV: now, max, leaseMs, token.
// Returns {1, 0} when acquired, {0, ms} while paused, {0, -1} when full.
const ACQUIRE = `
local now = tonumber(ARGV[1])
local paused = tonumber(redis.call('GET', KEYS[2]) or '0')
if paused > now then return {0, paused - now} end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return {0, -1} end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[4])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[3]))
return {1, 0}
`;

// KEYS: next-write time, paused-until. ARGV: now, spacing. Returns how long the caller waits.
const RESERVE_WRITE = `
local now = tonumber(ARGV[1])
local at = math.max(now, tonumber(redis.call('GET', KEYS[1]) or '0'), tonumber(redis.call('GET', KEYS[2]) or '0'))
local nextAt = at + tonumber(ARGV[2])
redis.call('SET', KEYS[1], nextAt, 'PX', nextAt - now)
return at - now
`;

// KEYS: paused-until. ARGV: now, ms. A shorter pause never shortens a longer one.
const PAUSE = `
local untilAt = tonumber(ARGV[1]) + tonumber(ARGV[2])
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if current >= untilAt then return current end
redis.call('SET', KEYS[1], untilAt, 'PX', tonumber(ARGV[2]))
return untilAt
`;

export class Politeness {
  private readonly redis: Redis | Cluster;
  private readonly prefix: string;
  private readonly maxConcurrent: number;
  private readonly writeSpacingMs: number;
  private readonly leaseMs: number;
  private readonly now: () => number;

  constructor(options: PolitenessOptions) {
    this.redis = options.redis;
    this.prefix = options.prefix;
    this.maxConcurrent = options.maxConcurrent ?? POLITENESS_DEFAULTS.maxConcurrent;
    this.writeSpacingMs = options.writeSpacingMs ?? POLITENESS_DEFAULTS.writeSpacingMs;
    this.leaseMs = options.leaseMs ?? POLITENESS_DEFAULTS.leaseMs;
    this.now = options.now ?? Date.now;
  }

  /** Takes one of the installation's slots if one is free and the installation is not paused. */
  async tryAcquire(installationId: number): Promise<AcquireResult> {
    const token = randomUUID();
    const slots = this.key(installationId, 'slots');
    const [acquired, ms] = (await this.redis.eval(
      ACQUIRE,
      2,
      slots,
      this.key(installationId, 'paused'),
      this.now(),
      this.maxConcurrent,
      this.leaseMs,
      token,
    )) as [number, number];
    if (acquired === 1) {
      return {
        acquired: true,
        lease: {
          release: async () => {
            await this.redis.zrem(slots, token);
          },
        },
      };
    }
    return ms >= 0 ? { acquired: false, retryInMs: ms } : { acquired: false };
  }

  /**
   * Reserves the installation's next write slot and returns the milliseconds to wait before sending it.
   * Reservations queue up: three callers at once wait 0, spacing and twice the spacing.
   */
  async reserveWrite(installationId: number, spacingMs = this.writeSpacingMs): Promise<number> {
    const wait = await this.redis.eval(
      RESERVE_WRITE,
      2,
      this.key(installationId, 'write'),
      this.key(installationId, 'paused'),
      this.now(),
      spacingMs,
    );
    return Number(wait);
  }

  /** After GitHub's `retry-after`: no slot and no write for this installation for `ms`. */
  async pause(installationId: number, ms: number): Promise<void> {
    if (ms <= 0) return;
    await this.redis.eval(PAUSE, 1, this.key(installationId, 'paused'), this.now(), Math.ceil(ms));
  }

  private key(installationId: number, kind: string): string {
    return `${this.prefix}:politeness:${installationId}:${kind}`;
  }
}

/** Waits for the installation's next write slot; `sleep` is injectable for tests. */
export async function waitForWriteSlot(
  politeness: Politeness,
  installationId: number,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
): Promise<void> {
  const ms = await politeness.reserveWrite(installationId);
  if (ms > 0) await sleep(ms);
}
