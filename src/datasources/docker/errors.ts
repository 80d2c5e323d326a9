// Registry failures as values: every public client call rejects only with a RegistryError, whose kind
// lets the caller record a per-dependency result instead of failing the run.

export type RegistryErrorKind =
  | 'unauthorized' // 401/403, or no usable credentials for the challenge
  | 'not-found' // 404: repository, tag or digest unknown
  | 'rate-limited' // 429 after the allowed retries, or a Retry-After longer than we wait
  | 'timeout' // no complete answer in time
  | 'too-large' // body over the configured limit
  | 'server' // 5xx after the allowed retries
  | 'network' // connection refused/reset, body cut short
  | 'not-allowed' // the host (or a redirect's, or a token realm's) is not one the network policy allows
  | 'skipped' // the host timed out too often or used up its time in this run
  | 'deadline' // the run's time for lookups is over
  | 'protocol'; // an answer that breaks the distribution spec (bad JSON, digest mismatch, odd status)

export class RegistryError extends Error {
  constructor(
    readonly kind: RegistryErrorKind,
    message: string,
    /** HTTP status of the answer that failed, when there was one. */
    readonly status?: number,
  ) {
    super(message);
    this.name = 'RegistryError';
  }
}

export function isRegistryError(value: unknown): value is RegistryError {
  return value instanceof RegistryError;
}

/** Replaces every occurrence of a secret with `***` (defence in depth: messages are built without them). */
export function redact(text: string, secrets: Iterable<string>): string {
  let out = text;
  for (const secret of secrets) if (secret.length >= 4) out = out.split(secret).join('***');
  return out;
}
