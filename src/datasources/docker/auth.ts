// Bearer tokens: reading the token endpoint's answer and keeping tokens per (realm, service, scope) until
// they expire. Tokens live only in this process's memory — never in the shared cache, logs or errors.

export interface TokenAnswer {
  token: string;
  expiresInSeconds: number;
}

/** The spec's default lifetime when `expires_in` is absent. */
const DEFAULT_EXPIRES_IN = 60;

/** `token` (Docker) or `access_token` (OAuth2), `expires_in` in seconds; null when neither token is there. */
export function parseTokenAnswer(body: string): TokenAnswer | null {
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch {
    return null;
  }
  if (typeof doc !== 'object' || doc === null) return null;
  const { token, access_token: accessToken, expires_in: expiresIn } = doc as Record<string, unknown>;
  const value =
    typeof token === 'string' && token ? token : typeof accessToken === 'string' ? accessToken : '';
  if (!value) return null;
  const seconds = typeof expiresIn === 'number' && expiresIn > 0 ? expiresIn : DEFAULT_EXPIRES_IN;
  return { token: value, expiresInSeconds: seconds };
}

export function tokenKey(realm: string, service: string, scope: string): string {
  return `${realm}\n${service}\n${scope}`;
}

/** Tokens by key with expiry, plus the fetches in flight so concurrent requests share one. */
export class TokenStore {
  private readonly tokens = new Map<string, { token: string; expiresAt: number }>();
  private readonly pending = new Map<string, Promise<string>>();

  constructor(private readonly now: () => number) {}

  /** A cached token (renewed a little before expiry), or a shared fetch of a new one. */
  get(key: string, fetchToken: () => Promise<TokenAnswer>, fresh = false): Promise<string> {
    const stored = this.tokens.get(key);
    if (!fresh && stored && stored.expiresAt > this.now()) return Promise.resolve(stored.token);
    const inFlight = this.pending.get(key);
    if (inFlight) return inFlight;
    const promise = fetchToken()
      .then(({ token, expiresInSeconds }) => {
        // Renew 10% early (at most 30 s) so a token does not expire between check and use.
        const margin = Math.min(30, expiresInSeconds / 10);
        this.tokens.set(key, { token, expiresAt: this.now() + (expiresInSeconds - margin) * 1000 });
        return token;
      })
      .finally(() => this.pending.delete(key));
    this.pending.set(key, promise);
    return promise;
  }

  /** Every token held, for redacting messages. */
  values(): string[] {
    return [...this.tokens.values()].map((entry) => entry.token);
  }
}
