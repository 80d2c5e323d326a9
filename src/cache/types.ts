// The shared cache the resolver asks before any registry: in-memory for the CLI, Redis for the app (so
// an organisation of 1,000 repositories asks the registry once per image). Values are JSON.

/** Ends a lease `claim` granted; never rejects (a lease it cannot end simply expires). */
export type ReleaseLease = () => Promise<void>;

export interface Cache {
  /** The stored value, or undefined when absent or expired. */
  get<T>(key: string): Promise<T | undefined>;
  /** Stores a value; without `ttlSeconds` it never expires (content-addressed data). */
  set<T>(key: string, value: T, ttlSeconds?: number): Promise<void>;
  /**
   * For caches shared between processes: a lease on loading `key`, held for at most `leaseMs`. Resolves
   * to its release when this caller may load (it won, or the cache could not tell: loading twice beats
   * not loading), null while someone else holds it. Never rejects.
   */
  claim?(key: string, leaseMs: number): Promise<ReleaseLease | null>;
}
