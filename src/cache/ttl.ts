// How long each kind of registry answer may be reused. Tags move, so tag lists and tag→digest answers
// are kept briefly; what a digest names never changes, so those are kept for ever.

/** The kinds of cached registry data, also used as the `kind` of `cacheKey`. */
export const CACHE_KINDS = ['tags', 'tagDigest', 'manifest', 'config', 'created'] as const;
export type CacheKind = (typeof CACHE_KINDS)[number];

/** Seconds per kind; undefined is for ever. */
export type TtlPolicy = Readonly<Record<CacheKind, number | undefined>>;

const HOUR = 3600;

export const DEFAULT_TTLS: TtlPolicy = Object.freeze({
  tags: HOUR,
  tagDigest: HOUR,
  manifest: undefined,
  config: undefined,
  created: undefined,
});

/** Overrides from configuration: seconds, `0` to not cache that kind, `null` for ever. */
export type TtlOverrides = Partial<Record<CacheKind, number | null>>;

/** The defaults with `overrides` applied; a RangeError names a negative or non-finite override. */
export function ttlPolicy(overrides: TtlOverrides = {}): TtlPolicy {
  const policy: Record<CacheKind, number | undefined> = { ...DEFAULT_TTLS };
  for (const kind of CACHE_KINDS) {
    const value = overrides[kind];
    if (value === undefined) continue;
    if (value !== null && !(Number.isFinite(value) && value >= 0)) {
      throw new RangeError(
        `cache TTL for ${kind} must be a number of seconds (0 or more) or null, got ${value}`,
      );
    }
    policy[kind] = value ?? undefined;
  }
  return Object.freeze(policy);
}
