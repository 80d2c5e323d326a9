// The shared cache the resolver asks before any registry: in-memory for the CLI, Redis for the app (so
// an organisation of 1,000 repositories asks the registry once per image). Values are JSON.

export interface Cache {
  /** The stored value, or undefined when absent or expired. */
  get<T>(key: string): Promise<T | undefined>;
  /** Stores a value; without `ttlSeconds` it never expires (content-addressed data). */
  set<T>(key: string, value: T, ttlSeconds?: number): Promise<void>;
}
