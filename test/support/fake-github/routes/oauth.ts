// "Sign in with GitHub" for a GitHub App: the web application flow and what a user-to-server token reads.
//   GET  /login/oauth/authorize     the browser's GitHub user (set with `fakeOAuth(state).signIn(login)`)
//                                   approves at once: 302 to redirect_uri?code=…&state=…
//   POST /login/oauth/access_token  code (one use, 10 minutes, same client and redirect_uri) → ghu_ token
//                                   (8 hours); errors as GitHub gives them: 200 with `error`
//   GET  /user                      the token's user
//   GET  /user/installations        installations of the app with a repository the user may access
//   GET  /user/installations/:id/repositories   those repositories (paginated)
// A user may access a repository they own or are a collaborator of (`state.setPermission(…)`), as GitHub's
// "explicit permission" for these lists. The OAuth routes answer at the root (GitHub's web host), the
// user routes also under /api/v3.
import { randomBytes } from 'node:crypto';
import { ApiError, notFound } from '../errors.js';
import { numberParam, paginate, type ApiRequest, type Route } from '../http.js';
import { installationJson, repoJson, userJson } from '../json.js';
import type { FakeRepo } from '../repo.js';
import type { FakeGitHubState } from '../state.js';

export const USER_TOKEN_LIFETIME_S = 8 * 60 * 60;
const CODE_LIFETIME_MS = 10 * 60 * 1000;

interface CodeRecord {
  login: string;
  clientId: string;
  redirectUri: string;
  expiresAt: number;
}

/** The fake's OAuth side: the app's client, the browser's signed-in user, codes and user tokens. */
export class FakeOAuth {
  readonly clientId = `Iv23.${randomBytes(8).toString('hex')}`;
  readonly clientSecret = randomBytes(20).toString('hex');
  /** Who is signed in to GitHub in "the browser"; null: authorize answers 401. */
  signedIn: string | null = null;
  /** Authorizations refused by the user (`error=access_denied`). */
  deny = false;
  readonly codes = new Map<string, CodeRecord>();
  readonly tokens = new Map<string, { login: string; expiresAt: number }>();

  constructor(private readonly state: FakeGitHubState) {}

  signIn(login: string | null): void {
    this.signedIn = login;
  }

  /** A user token without the web flow (API-level tests). */
  issueUserToken(login: string): string {
    const token = `ghu_${randomBytes(18).toString('base64url')}`;
    this.tokens.set(token, { login, expiresAt: this.state.now() + USER_TOKEN_LIFETIME_S * 1000 });
    return token;
  }

  revoke(token: string): void {
    this.tokens.delete(token);
  }

  userOf(request: ApiRequest): string {
    const match = /^(?:bearer|token)\s+(\S+)$/i.exec(request.headers.authorization ?? '');
    const record = match ? this.tokens.get(match[1]!) : undefined;
    if (!record || record.expiresAt <= this.state.now()) throw new ApiError(401, 'Bad credentials');
    return record.login;
  }

  /** Repositories of the installation the user has explicit access to. */
  repositories(installationId: number, login: string): FakeRepo[] {
    const lower = login.toLowerCase();
    return this.state
      .installationRepos(installationId)
      .filter((repo) => repo.owner.toLowerCase() === lower || repo.collaborators.has(lower));
  }
}

const registry = new WeakMap<FakeGitHubState, FakeOAuth>();

export function fakeOAuth(state: FakeGitHubState): FakeOAuth {
  let found = registry.get(state);
  if (!found) registry.set(state, (found = new FakeOAuth(state)));
  return found;
}

function field(request: ApiRequest, name: string): string | undefined {
  const value = request.body[name] ?? request.query.get(name);
  return typeof value === 'string' ? value : undefined;
}

export const oauthRoutes: Route[] = [
  {
    method: 'GET',
    path: '/login/oauth/authorize',
    auth: 'user',
    handle: (request) => {
      const oauth = fakeOAuth(request.state);
      const clientId = request.query.get('client_id');
      const redirectUri = request.query.get('redirect_uri');
      if (clientId !== oauth.clientId || !redirectUri) throw notFound();
      if (!oauth.signedIn) throw new ApiError(401, 'Sign in to GitHub first');
      const target = new URL(redirectUri);
      const state = request.query.get('state');
      if (state !== null) target.searchParams.set('state', state);
      if (oauth.deny) {
        target.searchParams.set('error', 'access_denied');
      } else {
        const code = randomBytes(10).toString('hex');
        oauth.codes.set(code, {
          login: oauth.signedIn,
          clientId,
          redirectUri,
          expiresAt: request.state.now() + CODE_LIFETIME_MS,
        });
        target.searchParams.set('code', code);
      }
      return { status: 302, headers: { location: target.toString() } };
    },
  },
  {
    method: 'POST',
    path: '/login/oauth/access_token',
    auth: 'user',
    handle: (request) => {
      const oauth = fakeOAuth(request.state);
      if (
        field(request, 'client_id') !== oauth.clientId ||
        field(request, 'client_secret') !== oauth.clientSecret
      )
        return { json: { error: 'incorrect_client_credentials' } };
      const code = field(request, 'code') ?? '';
      const record = oauth.codes.get(code);
      oauth.codes.delete(code);
      const redirectUri = field(request, 'redirect_uri');
      if (
        !record ||
        record.expiresAt <= request.state.now() ||
        (redirectUri !== undefined && redirectUri !== record.redirectUri)
      )
        return { json: { error: 'bad_verification_code' } };
      return {
        json: {
          access_token: oauth.issueUserToken(record.login),
          expires_in: USER_TOKEN_LIFETIME_S,
          refresh_token: `ghr_${randomBytes(30).toString('base64url')}`,
          refresh_token_expires_in: 15_897_600,
          token_type: 'bearer',
          scope: '',
        },
      };
    },
  },
  {
    method: 'GET',
    path: '/user',
    auth: 'user',
    handle: (request) => ({
      json: userJson(request.state.user(fakeOAuth(request.state).userOf(request)), request.urls),
    }),
  },
  {
    method: 'GET',
    path: '/user/installations',
    auth: 'user',
    handle: (request) => {
      const oauth = fakeOAuth(request.state);
      const login = oauth.userOf(request);
      const visible = request.state
        .installations()
        .filter((i) => !i.suspended && oauth.repositories(i.id, login).length > 0);
      const page = paginate(request, visible);
      return {
        json: {
          total_count: visible.length,
          installations: page.items.map((i) => installationJson(request.state, i, request.urls)),
        },
        headers: page.headers,
      };
    },
  },
  {
    method: 'GET',
    path: '/user/installations/:id/repositories',
    auth: 'user',
    handle: (request) => {
      const oauth = fakeOAuth(request.state);
      const login = oauth.userOf(request);
      const repos = oauth.repositories(numberParam(request, 'id'), login);
      if (repos.length === 0) throw notFound();
      const page = paginate(request, repos);
      return {
        json: {
          total_count: repos.length,
          repository_selection: 'selected',
          repositories: page.items.map((repo) => repoJson(request.state, repo, request.urls)),
        },
        headers: page.headers,
      };
    },
  },
];
