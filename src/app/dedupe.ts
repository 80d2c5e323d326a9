// Redelivery protection: GitHub (or an operator) may deliver the same webhook again with the same delivery
// id; only the first delivery enqueues. Claims live in Redis so every app replica shares them.
//
// A claim is first `pending`, for a short while, and `done` (for a day) only once the delivery's jobs are
// enqueued. When enqueueing fails the claim is given back; when Redis fails so that it cannot be given back
// (the primary died mid-delivery), the pending claim still runs out on its own, so that a redelivery is
// never turned away for a delivery whose jobs never reached a queue.

import type { Cluster, Redis } from 'ioredis';

/**
 * `claimed`: the first delivery of this id, to enqueue. `seen`: its jobs were enqueued. `in-flight`: another
 * delivery of this id is being enqueued, or failed and could not give its claim back.
 */
export type ClaimResult = 'claimed' | 'seen' | 'in-flight';

export interface Dedupe {
  claim(deliveryId: string): Promise<ClaimResult>;
  /** The delivery's jobs are enqueued: later deliveries of the id are `seen` for the retention window. */
  confirm(deliveryId: string): Promise<void>;
  /** Gives a claim back, so that a delivery whose jobs could not be enqueued can be redelivered. */
  release(deliveryId: string): Promise<void>;
}

/** GitHub lets deliveries be redelivered for days; a day covers automatic and most manual retries. */
export const DEFAULT_DEDUPE_SECONDS = 86_400;
/** Longer than enqueueing a delivery's jobs takes (each add is bounded by a few seconds). */
export const DEFAULT_PENDING_SECONDS = 60;

export interface RedisDedupeOptions {
  /** Key prefix, e.g. `dockhand:delivery:` (under the queues' prefix, so in their Cluster slot). */
  prefix: string;
  ttlSeconds?: number;
  pendingSeconds?: number;
}

const PENDING = 'pending';

export function createRedisDedupe(redis: Redis | Cluster, options: RedisDedupeOptions): Dedupe {
  const ttl = options.ttlSeconds ?? DEFAULT_DEDUPE_SECONDS;
  const pending = options.pendingSeconds ?? DEFAULT_PENDING_SECONDS;
  const key = (id: string) => `${options.prefix}${id}`;
  return {
    async claim(deliveryId) {
      if ((await redis.set(key(deliveryId), PENDING, 'EX', pending, 'NX')) === 'OK') return 'claimed';
      // Gone in between (a pending claim ran out): still not known to be enqueued.
      const state = await redis.get(key(deliveryId));
      return state === null || state === PENDING ? 'in-flight' : 'seen';
    },
    async confirm(deliveryId) {
      await redis.set(key(deliveryId), 'done', 'EX', ttl);
    },
    async release(deliveryId) {
      await redis.del(key(deliveryId));
    },
  };
}
