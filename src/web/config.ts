// The dashboard's settings, read from the environment by the webhook server (src/app/index.ts). The
// dashboard is served beside the webhooks on the same port; sign-in needs the app's OAuth client
// (GITHUB_CLIENT_ID / GITHUB_CLIENT_SECRET, written to `.env` by the manifest flow), machine access to the
// exports needs DOCKHAND_REPORTS_TOKEN. Nothing here is required: without a client the pages say that
// sign-in is not configured, without a token the exports answer only signed-in users.

export class WebSettingsError extends Error {
  override readonly name = 'WebSettingsError';
}

export interface WebSettings {
  /** The app's OAuth client (GitHub App settings → "Client ID"); null: sign-in is off. */
  clientId: string | null;
  clientSecret: string | null;
  /** Where people reach the app (`https://dockhand.example.com`); OAuth's redirect URI is below it. */
  baseUrl: URL;
  /** GitHub's web root (`https://github.com`, or a GHES host): sign-in and links to files. */
  githubWebUrl: string;
  /** GitHub's API root (`https://api.github.com`, or `<web>/api/v3`). */
  githubApiUrl: string;
  /** The operator's token for machine access to the exports (`Authorization: Bearer …`); null: none. */
  reportsToken: string | null;
  /** A session unused this long is gone (default 8 h). */
  sessionIdleMs: number;
  /** How long a user's installations and repositories, as GitHub listed them, are trusted (default 60 s). */
  accessTtlMs: number;
  /** Cookies carry `Secure` (always, except for a base URL on http://localhost). */
  secureCookies: boolean;
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

export function webSettingsFromEnv(env: NodeJS.ProcessEnv): WebSettings {
  const protocol = env.GHE_PROTOCOL?.trim() || 'https';
  const gheHost = env.GHE_HOST?.trim();
  const githubWebUrl = gheHost ? `${protocol}://${gheHost}` : 'https://github.com';
  const githubApiUrl = gheHost ? `${githubWebUrl}/api/v3` : 'https://api.github.com';
  const port = env.PORT?.trim() || '3000';
  const base = env.DOCKHAND_BASE_URL?.trim() || `http://localhost:${port}`;
  let baseUrl: URL;
  try {
    baseUrl = new URL(base.replace(/\/+$/, ''));
  } catch {
    throw new WebSettingsError(`DOCKHAND_BASE_URL is not a URL: ${JSON.stringify(base)}`);
  }
  const loopback = baseUrl.protocol === 'http:' && LOOPBACK.has(baseUrl.hostname);
  if (baseUrl.protocol !== 'https:' && !loopback)
    throw new WebSettingsError('DOCKHAND_BASE_URL must be https:// (plain http only on localhost)');
  if (baseUrl.pathname !== '/' || baseUrl.search || baseUrl.hash)
    throw new WebSettingsError('DOCKHAND_BASE_URL must be an origin, without a path');
  const clientId = env.GITHUB_CLIENT_ID?.trim() || null;
  const clientSecret = env.GITHUB_CLIENT_SECRET?.trim() || null;
  if ((clientId === null) !== (clientSecret === null))
    throw new WebSettingsError('set both GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET, or neither');
  const reportsToken = env.DOCKHAND_REPORTS_TOKEN?.trim() || null;
  if (reportsToken !== null && reportsToken.length < 32)
    throw new WebSettingsError('DOCKHAND_REPORTS_TOKEN must be at least 32 characters');
  return {
    clientId,
    clientSecret,
    baseUrl,
    githubWebUrl,
    githubApiUrl,
    reportsToken,
    sessionIdleMs: minutes(env, 'DOCKHAND_SESSION_IDLE_MINUTES', 480) * 60_000,
    accessTtlMs: 60_000,
    secureCookies: !loopback,
  };
}

function minutes(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const text = env[name]?.trim();
  if (!text) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1 || value > 60 * 24 * 30)
    throw new WebSettingsError(`${name} must be a whole number of minutes from 1 to 43200: ${text}`);
  return value;
}
