// Response headers the client acts on: Retry-After and Docker Hub's rate-limit headers.

export interface RateLimit {
  /** Pulls allowed per window (`ratelimit-limit: 100;w=21600` → 100). */
  limit: number;
  remaining: number;
  /** Window length in seconds, when given. */
  windowSeconds?: number;
}

/** Milliseconds to wait: `Retry-After` as delay-seconds or an HTTP date (relative to `now`); undefined if absent or unreadable. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (!value) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export function parseRateLimit(headers: Headers): RateLimit | undefined {
  const limit = readQuota(headers.get('ratelimit-limit'));
  const remaining = readQuota(headers.get('ratelimit-remaining'));
  if (!limit || !remaining) return undefined;
  const windowSeconds = limit.window ?? remaining.window;
  return {
    limit: limit.value,
    remaining: remaining.value,
    ...(windowSeconds !== undefined && { windowSeconds }),
  };
}

function readQuota(value: string | null): { value: number; window?: number } | undefined {
  const match = /^\s*(\d+)\s*(?:;\s*w=(\d+))?/.exec(value ?? '');
  if (!match) return undefined;
  return { value: Number(match[1]), ...(match[2] !== undefined && { window: Number(match[2]) }) };
}
