// "Sign in with GitHub": GitHub's web application flow with the GitHub App's own OAuth client. The user is
// sent to <github>/login/oauth/authorize with a random `state` kept in their session; GitHub sends them
// back to <base>/login/callback with a code, which is exchanged (with the client secret, server to server)
// at <github>/login/oauth/access_token for a user-to-server token. The token stays in the session store.
import type { WebSettings } from './config.js';

export type Fetch = typeof fetch;

export class OAuthError extends Error {
  override readonly name: string = 'OAuthError';
}

export const CALLBACK_PATH = '/login/callback';

const TIMEOUT_MS = 10_000;

export function redirectUri(settings: WebSettings): string {
  return new URL(CALLBACK_PATH, settings.baseUrl).toString();
}

/** Where the browser goes to sign in. GitHub Apps take no scopes: the app's permissions apply. */
export function authorizeUrl(settings: WebSettings, state: string): string {
  const url = new URL('/login/oauth/authorize', settings.githubWebUrl);
  url.searchParams.set('client_id', settings.clientId ?? '');
  url.searchParams.set('redirect_uri', redirectUri(settings));
  url.searchParams.set('state', state);
  url.searchParams.set('allow_signup', 'false');
  return url.toString();
}

export interface UserToken {
  token: string;
  /** ms since the epoch; null when GitHub gives no expiry (token expiration turned off for the app). */
  expiresAt: number | null;
}

/** Exchanges the callback's code for a user-to-server token. */
export async function exchangeCode(
  settings: WebSettings,
  code: string,
  fetchImpl: Fetch = fetch,
  now: number = Date.now(),
): Promise<UserToken> {
  const response = await fetchImpl(new URL('/login/oauth/access_token', settings.githubWebUrl), {
    method: 'POST',
    headers: { accept: 'application/json', 'content-type': 'application/json' },
    body: JSON.stringify({
      client_id: settings.clientId,
      client_secret: settings.clientSecret,
      code,
      redirect_uri: redirectUri(settings),
    }),
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  if (!response.ok) throw new OAuthError(`GitHub answered ${response.status} to the code exchange`);
  const body = (await response.json()) as {
    access_token?: unknown;
    expires_in?: unknown;
    error?: unknown;
  };
  // GitHub answers 200 with `error` (bad_verification_code, incorrect_client_credentials…).
  if (typeof body.error === 'string') throw new OAuthError(`GitHub refused the code: ${body.error}`);
  if (typeof body.access_token !== 'string' || !body.access_token)
    throw new OAuthError('GitHub gave no access token');
  const expiresIn = typeof body.expires_in === 'number' ? body.expires_in : null;
  return { token: body.access_token, expiresAt: expiresIn === null ? null : now + expiresIn * 1000 };
}

/** A GET on GitHub's API with the user's token; a 401 means the token is no longer good. */
export async function githubGet(
  settings: WebSettings,
  token: string,
  path: string,
  fetchImpl: Fetch = fetch,
): Promise<Response> {
  const url = path.startsWith('http') ? path : `${settings.githubApiUrl}${path}`;
  const response = await fetchImpl(url, {
    headers: {
      accept: 'application/vnd.github+json',
      authorization: `Bearer ${token}`,
      'x-github-api-version': '2022-11-28',
      'user-agent': 'dockhand-dashboard',
    },
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  if (response.status === 401) throw new TokenRevokedError('GitHub no longer accepts the user token');
  if (!response.ok)
    throw new OAuthError(`GitHub answered ${response.status} to GET ${new URL(url).pathname}`);
  return response;
}

export class TokenRevokedError extends OAuthError {
  override readonly name = 'TokenRevokedError';
}

export async function fetchUser(
  settings: WebSettings,
  token: string,
  fetchImpl: Fetch = fetch,
): Promise<{ login: string; id: number }> {
  const body = (await (await githubGet(settings, token, '/user', fetchImpl)).json()) as {
    login?: unknown;
    id?: unknown;
  };
  if (typeof body.login !== 'string' || typeof body.id !== 'number')
    throw new OAuthError('GitHub answered /user without a login');
  return { login: body.login, id: body.id };
}
