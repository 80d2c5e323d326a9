// Redelivery protection: GitHub (or an operator) may deliver the same webhook again with the same delivery
// id; only the first delivery enqueues. Claims live in Redis so every app replica shares them.

import type { Redis } from 'ioredis';

export interface Dedupe {
  /** True the first time a delivery id is claimed (within the retention window), false afterwards. */
  claim(deliveryId: string): Promise<boolean>;
  /** Gives a claim back, so that a delivery whose jobs could not be enqueued can be redelivered. */
  release(deliveryId: string): Promise<void>;
}

/** GitHub lets deliveries be redelivered for days; a day covers automatic and most manual retries. */
export const DEFAULT_DEDUPE_SECONDS = 86_400;

export interface RedisDedupeOptions {
  /** Key prefix, e.g. `dockhand:delivery:`. */
  prefix: string;
  ttlSeconds?: number;
}

export function createRedisDedupe(redis: Redis, options: RedisDedupeOptions): Dedupe {
  const ttl = options.ttlSeconds ?? DEFAULT_DEDUPE_SECONDS;
  const key = (id: string) => `${options.prefix}${id}`;
  return {
    async claim(deliveryId) {
      return (await redis.set(key(deliveryId), '1', 'EX', ttl, 'NX')) === 'OK';
    },
    async release(deliveryId) {
      await redis.del(key(deliveryId));
    },
  };
}
