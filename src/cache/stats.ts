// Counters every cache keeps, so a benchmark or a run summary can report how often the registry was spared.

export interface CacheStats {
  /** Reads that found a live value. */
  hits: number;
  /** Reads that found nothing (absent, expired or, for Redis, failed). */
  misses: number;
  /** Values stored. */
  sets: number;
}
