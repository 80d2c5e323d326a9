// The dashboard's HTTP routes, a probot handler served beside the webhooks (src/app/index.ts mounts it):
//   GET  /dashboard                      installations the signed-in user can see (or "Sign in with GitHub")
//   GET  /dashboard/<installation>       the organisation overview (filters: ?q=&policy=&status=&team=)
//   GET  /dashboard/assets/<file>        uPlot, the dashboard's script and stylesheet
//   GET  /login, /login/callback         GitHub's OAuth web flow
//   POST /logout                         CSRF token required
//   GET  /reports/<installation>.json    exports: a signed-in user, or `Authorization: Bearer <operator token>`
//   GET  /reports/<installation>.csv
// Every answer carries a Content-Security-Policy without inline scripts or styles.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { POLICIES } from '../report/policies/index.js';
import type { ReportStore } from '../report/store/types.js';
import { fetchAccess, visibleReports, type Viewer } from './access.js';
import { combineHistories, loadAssets, trendOf, type Asset } from './charts.js';
import type { WebSettings } from './config.js';
import { csrfValid, FormError, fromOrigin, readForm, safeEqual } from './csrf.js';
import { exportReport, type ExportFormat } from './exports.js';
import {
  authorizeUrl,
  CALLBACK_PATH,
  exchangeCode,
  fetchUser,
  OAuthError,
  TokenRevokedError,
  type Fetch,
} from './oauth.js';
import {
  errorPage,
  installationsPage,
  overviewPage,
  ownedBy,
  parseFilters,
  teamsOf,
  signInPage,
  type PageContext,
} from './pages.js';
import { Sessions, type Session, type SessionStore } from './session.js';

export interface WebDependencies {
  settings: WebSettings;
  reports: ReportStore;
  sessions: SessionStore;
  /** GitHub's API and OAuth endpoints are reached through this (tests: the fake GitHub). */
  fetch?: Fetch;
  now?: () => number;
  /** Days of history in the trend chart (default 90). */
  trendDays?: number;
  /** Failures worth an operator's attention (GitHub unreachable, the store failing); never secrets. */
  log?: (message: string) => void;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

const TITLES = new Map<string, string>(POLICIES.map((p) => [p.id, p.title]));

export function webHandler(deps: WebDependencies): Handler {
  const { settings } = deps;
  const now = deps.now ?? Date.now;
  const fetchImpl = deps.fetch ?? fetch;
  const sessions = new Sessions(deps.sessions, {
    idleMs: settings.sessionIdleMs,
    secure: settings.secureCookies,
    now,
  });
  const assets = loadAssets();
  const origin = settings.baseUrl.origin;
  const csp = [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
  const log = deps.log ?? (() => undefined);

  function headers(res: ServerResponse, contentType: string): void {
    res.setHeader('content-type', contentType);
    res.setHeader('content-security-policy', csp);
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('x-frame-options', 'DENY');
    res.setHeader('referrer-policy', 'same-origin');
    res.setHeader('cache-control', 'no-store');
  }

  function html(res: ServerResponse, status: number, body: string): true {
    headers(res, 'text/html; charset=utf-8');
    res.writeHead(status).end(body);
    return true;
  }

  function redirect(res: ServerResponse, location: string): true {
    headers(res, 'text/plain; charset=utf-8');
    res.writeHead(302, { location }).end();
    return true;
  }

  function plain(
    res: ServerResponse,
    status: number,
    text: string,
    extra: Record<string, string> = {},
  ): true {
    headers(res, 'text/plain; charset=utf-8');
    res.writeHead(status, extra).end(`${text}\n`);
    return true;
  }

  function context(session: Session | null): PageContext {
    return {
      githubWebUrl: settings.githubWebUrl,
      login: session?.data.user?.login ?? null,
      csrf: session?.data.csrf ?? null,
    };
  }

  /** The signed-in viewer, with GitHub's list of what they can see refreshed when older than the TTL. */
  async function viewerOf(session: Session | null): Promise<Viewer | null> {
    const user = session?.data.user;
    if (!session || !user) return null;
    let access = session.data.access;
    if (!access || now() - access.checkedAt >= settings.accessTtlMs) {
      access = await fetchAccess(settings, user.token, fetchImpl, now());
      session.data.access = access;
      await sessions.save(session);
    }
    return { kind: 'user', login: user.login, access };
  }

  async function login(req: IncomingMessage, res: ServerResponse, url: URL): Promise<true> {
    if (!settings.clientId) return html(res, 503, signInPage(false, '/dashboard'));
    const returnTo = localPath(url.searchParams.get('return_to'));
    const state = randomBytes(32).toString('base64url');
    // A fresh session for the flow: `state` is bound to it.
    await sessions.start(res, { oauth: { state, returnTo } }, await sessions.load(req));
    return redirect(res, authorizeUrl(settings, state));
  }

  async function callback(req: IncomingMessage, res: ServerResponse, url: URL): Promise<true> {
    const session = await sessions.load(req);
    const expected = session?.data.oauth;
    const state = url.searchParams.get('state');
    const code = url.searchParams.get('code');
    if (!session || !expected || !state || !safeEqual(state, expected.state))
      return html(
        res,
        400,
        signInPage(
          Boolean(settings.clientId),
          '/dashboard',
          'The sign-in expired or did not start here; try again.',
        ),
      );
    if (!code) {
      const denied = url.searchParams.get('error') === 'access_denied';
      return html(
        res,
        400,
        signInPage(
          true,
          expected.returnTo,
          denied ? 'Sign-in was cancelled on GitHub.' : 'GitHub sent no code.',
        ),
      );
    }
    try {
      const token = await exchangeCode(settings, code, fetchImpl, now());
      const user = await fetchUser(settings, token.token, fetchImpl);
      const access = await fetchAccess(settings, token.token, fetchImpl, now());
      // Signed in: a new session id, the pre-login one gone.
      await sessions.start(
        res,
        {
          user: { login: user.login, id: user.id, token: token.token, tokenExpiresAt: token.expiresAt },
          access,
        },
        session,
      );
      return redirect(res, expected.returnTo);
    } catch (error) {
      if (!(error instanceof OAuthError)) throw error;
      log(`sign-in failed: ${error.message}`);
      return html(
        res,
        502,
        signInPage(true, expected.returnTo, 'GitHub did not confirm the sign-in; try again.'),
      );
    }
  }

  async function logout(req: IncomingMessage, res: ServerResponse): Promise<true> {
    if (!fromOrigin(req, origin)) return plain(res, 403, 'cross-origin request refused');
    const session = await sessions.load(req);
    let form: URLSearchParams;
    try {
      form = await readForm(req);
    } catch (error) {
      if (error instanceof FormError) return plain(res, error.status, error.message);
      throw error;
    }
    if (!session || !csrfValid(form, session.data.csrf)) return plain(res, 403, 'invalid CSRF token');
    await sessions.end(res, session);
    return redirect(res, '/dashboard');
  }

  async function dashboard(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    id: number | null,
  ): Promise<true> {
    const session = await sessions.load(req);
    const viewer = await viewerOf(session);
    const here = `${url.pathname}${url.search}`;
    if (!viewer || viewer.kind !== 'user')
      return html(res, 200, signInPage(Boolean(settings.clientId), here));
    const ctx = context(session);
    if (id === null) return html(res, 200, installationsPage(ctx, viewer.access.installations));
    const seen = await visibleReports(deps.reports, viewer, id);
    if (!seen) return html(res, 404, errorPage(ctx, 404, 'No such installation, or not one you can see.'));
    const days = deps.trendDays ?? 90;
    const filters = parseFilters(url.searchParams);
    const teams = teamsOf(seen.reports);
    // The per-team view: the overview over the team's repositories, its trend summed from theirs.
    const team = filters.team;
    const visible =
      team === null ? seen : { ...seen, all: false, reports: seen.reports.filter((r) => ownedBy(r, team)) };
    // Whole-installation history when the viewer sees every repository; else only theirs, summed (read
    // in one round trip however many repositories).
    const rollups = visible.all
      ? await deps.reports.history(id, days)
      : combineHistories(
          await deps.reports.repoHistories(
            id,
            visible.reports.map((r) => r.repository),
            days,
          ),
        );
    return html(
      res,
      200,
      overviewPage(ctx, {
        installationId: id,
        account: visible.account ?? String(id),
        visible: visible.reports,
        filters,
        teams,
        trend: trendOf(rollups, TITLES),
        trendPartial: !visible.all,
        now: new Date(now()),
      }),
    );
  }

  async function exportRoute(
    req: IncomingMessage,
    res: ServerResponse,
    id: number,
    format: ExportFormat,
  ): Promise<true> {
    let viewer: Viewer | null;
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
    if (bearer) {
      if (!settings.reportsToken || !safeEqual(bearer[1]!, settings.reportsToken))
        return plain(res, 401, 'bad token', { 'www-authenticate': 'Bearer error="invalid_token"' });
      viewer = { kind: 'operator' };
    } else {
      viewer = await viewerOf(await sessions.load(req));
      if (!viewer)
        return plain(res, 401, 'sign in, or send the operator token', { 'www-authenticate': 'Bearer' });
    }
    const visible = await visibleReports(deps.reports, viewer, id);
    if (!visible) return plain(res, 404, 'no such installation');
    const body = exportReport(id, visible.reports, format, new Date(now()));
    headers(res, body.contentType);
    res.setHeader('content-disposition', `attachment; filename="${body.filename}"`);
    res.writeHead(200);
    for (const chunk of body.chunks) {
      if (!res.write(chunk)) await new Promise((resolve) => res.once('drain', resolve));
    }
    res.end();
    return true;
  }

  function asset(res: ServerResponse, file: Asset | undefined): true {
    if (!file) return plain(res, 404, 'not found');
    headers(res, file.contentType);
    res.setHeader('cache-control', 'public, max-age=3600');
    res.writeHead(200).end(file.body);
    return true;
  }

  return async (req, res) => {
    const method = req.method ?? 'GET';
    let url: URL;
    try {
      url = new URL(req.url ?? '/', origin);
    } catch {
      return false;
    }
    const path = url.pathname;
    const get = method === 'GET' || method === 'HEAD';
    const ours =
      path === '/dashboard' ||
      path.startsWith('/dashboard/') ||
      path === '/login' ||
      path === CALLBACK_PATH ||
      path === '/logout' ||
      path.startsWith('/reports/');
    if (!ours) return false;
    try {
      if (path === '/logout')
        return method === 'POST' ? await logout(req, res) : plain(res, 405, 'use POST', { allow: 'POST' });
      if (!get) return plain(res, 405, 'method not allowed', { allow: 'GET' });
      if (path.startsWith('/dashboard/assets/'))
        return asset(res, assets.get(path.slice('/dashboard/assets/'.length)));
      if (path === '/login') return await login(req, res, url);
      if (path === CALLBACK_PATH) return await callback(req, res, url);
      if (path === '/dashboard' || path === '/dashboard/') return await dashboard(req, res, url, null);
      const page = /^\/dashboard\/(\d{1,15})\/?$/.exec(path);
      if (page) return await dashboard(req, res, url, Number(page[1]));
      const exported = /^\/reports\/(\d{1,15})\.(json|csv)$/.exec(path);
      if (exported) return await exportRoute(req, res, Number(exported[1]), exported[2] as ExportFormat);
      return plain(res, 404, 'not found');
    } catch (error) {
      if (error instanceof TokenRevokedError) {
        // The user revoked the app or the token died: sign in again.
        await sessions.end(res, await sessions.load(req).catch(() => null)).catch(() => undefined);
        return redirect(res, `/login?return_to=${encodeURIComponent(localPath(path))}`);
      }
      log(
        `dashboard request failed: ${error instanceof Error ? `${error.name}: ${error.message}` : 'error'}`,
      );
      if (res.headersSent) {
        res.destroy();
        return true;
      }
      return plain(res, error instanceof OAuthError ? 502 : 500, 'the dashboard could not answer');
    }
  };
}

/** A path on this server to go back to after signing in (never another host: `//x`, `/\x`). */
export function localPath(value: string | null): string {
  if (
    !value ||
    !value.startsWith('/') ||
    value.startsWith('//') ||
    value.includes('\\') ||
    /[\r\n]/.test(value)
  )
    return '/dashboard';
  return value;
}
