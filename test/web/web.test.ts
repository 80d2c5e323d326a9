// The dashboard's parts on their own: settings, sessions that expire, access refreshed from GitHub (every
// page of it) and dropped with a revoked token, the trend's figures, and where sign-in may return to.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryReportStore } from '../../src/report/store/memory.js';
import type { DailyRollup } from '../../src/report/store/types.js';
import { fetchAccess, nextLink } from '../../src/web/access.js';
import { combineHistories, jsonForScript, trendOf } from '../../src/web/charts.js';
import { webSettingsFromEnv, WebSettingsError } from '../../src/web/config.js';
import { localPath, webHandler } from '../../src/web/routes.js';
import { MemorySessionStore } from '../../src/web/session.js';
import { startFakeGitHub, type FakeGitHub } from '../support/fake-github/index.js';
import { arrangeGitHub, fillStore, INSTALLATION, SECRET_REPO, TestBrowser } from './harness.js';

describe('webSettingsFromEnv', () => {
  it('derives GitHub from GHE_HOST, defaults to github.com and localhost, refuses what cannot work', () => {
    const plain = webSettingsFromEnv({});
    expect(plain.githubWebUrl).toBe('https://github.com');
    expect(plain.githubApiUrl).toBe('https://api.github.com');
    expect(plain.baseUrl.origin).toBe('http://localhost:3000');
    expect(plain.secureCookies).toBe(false);
    expect(plain.sessionIdleMs).toBe(8 * 60 * 60 * 1000);
    const ghes = webSettingsFromEnv({
      GHE_HOST: 'git.example.com',
      DOCKHAND_BASE_URL: 'https://dockhand.example.com/',
      DOCKHAND_SESSION_IDLE_MINUTES: '30',
    });
    expect(ghes.githubApiUrl).toBe('https://git.example.com/api/v3');
    expect(ghes.secureCookies).toBe(true);
    expect(ghes.sessionIdleMs).toBe(30 * 60_000);
    for (const env of [
      { DOCKHAND_BASE_URL: 'http://dockhand.example.com' },
      { DOCKHAND_BASE_URL: 'https://x.example.com/dash' },
      { GITHUB_CLIENT_ID: 'Iv1.x' },
      { DOCKHAND_REPORTS_TOKEN: 'short' },
      { DOCKHAND_SESSION_IDLE_MINUTES: 'forever' },
    ])
      expect(() => webSettingsFromEnv(env), JSON.stringify(env)).toThrow(WebSettingsError);
  });
});

describe('localPath', () => {
  it('keeps sign-in on this server', () => {
    expect(localPath('/dashboard/42?q=x')).toBe('/dashboard/42?q=x');
    for (const bad of [
      null,
      '',
      'https://evil.example',
      '//evil.example',
      '/\\evil.example',
      '/x\r\nSet-Cookie: a',
    ])
      expect(localPath(bad)).toBe('/dashboard');
  });
});

describe('trend', () => {
  const day = (d: string, pass: number, fail: number): DailyRollup => ({
    day: d,
    repositories: 1,
    policies: { 'no-latest': { pass, fail, 'no-data': 0 } },
    findings: { error: 0, warning: 0, info: 0 },
    images: { count: 1, eol: 0, staleDigests: 0 },
    packages: { outdated: 0, libyears: 0 },
  });

  it('sums repositories as last seen, and gives pass rates per day', () => {
    const combined = combineHistories([
      [day('2026-12-01', 1, 0), day('2026-12-03', 0, 1)],
      [day('2026-12-02', 1, 0)],
    ]);
    expect(combined.map((r) => [r.day, r.repositories, r.policies['no-latest']])).toEqual([
      ['2026-12-01', 1, { pass: 1, fail: 0, 'no-data': 0 }],
      ['2026-12-02', 2, { pass: 2, fail: 0, 'no-data': 0 }],
      ['2026-12-03', 2, { pass: 1, fail: 1, 'no-data': 0 }],
    ]);
    const trend = trendOf(
      combined,
      new Map([
        ['no-latest', 'No latest'],
        ['other', 'Other'],
      ]),
    );
    expect(trend).toEqual({
      days: ['2026-12-01', '2026-12-02', '2026-12-03'],
      series: [{ policy: 'no-latest', title: 'No latest', rates: [100, 100, 50] }],
    });
  });

  it('embeds JSON that cannot close its script element', () => {
    expect(jsonForScript({ a: '</script><script>x' })).toBe('{"a":"\\u003c/script>\\u003cscript>x"}');
  });
});

describe('nextLink', () => {
  it('reads the next page from a Link header', () => {
    expect(nextLink('<https://api/x?page=2>; rel="next", <https://api/x?page=5>; rel="last"')).toBe(
      'https://api/x?page=2',
    );
    expect(nextLink('<https://api/x?page=1>; rel="prev"')).toBeNull();
    expect(nextLink(null)).toBeNull();
  });
});

describe('the handler with a clock', () => {
  let gh: FakeGitHub;
  let server: Server;
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await gh?.stop();
  });

  async function start() {
    gh = await startFakeGitHub();
    const oauth = arrangeGitHub(gh);
    const store = new MemoryReportStore();
    await fillStore(store);
    let clock = Date.parse('2026-12-03T12:00:00Z');
    const sessions = new MemorySessionStore(() => clock);
    let handler: ReturnType<typeof webHandler> | null = null;
    server = createServer((req, res) => {
      void handler!(req, res).then((handled) => handled || res.writeHead(404).end());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const settings = webSettingsFromEnv({
      DOCKHAND_BASE_URL: url,
      GHE_HOST: gh.host,
      GHE_PROTOCOL: 'http',
      GITHUB_CLIENT_ID: oauth.clientId,
      GITHUB_CLIENT_SECRET: oauth.clientSecret,
      DOCKHAND_SESSION_IDLE_MINUTES: '60',
    });
    handler = webHandler({ settings, reports: store, sessions, now: () => clock });
    const dashboard = { url, gh, oauth, store, stop: async () => undefined };
    return { dashboard, sessions, settings, advance: (ms: number) => (clock += ms) };
  }

  it('ends a session unused for the idle timeout, and keeps a used one', async () => {
    const { dashboard, advance } = await start();
    const browser = new TestBrowser();
    await browser.signIn(dashboard, 'alice');
    for (let i = 0; i < 3; i++) {
      advance(50 * 60_000);
      expect(await browser.text(`${dashboard.url}/dashboard`)).toContain('Signed in as');
    }
    advance(61 * 60_000);
    expect(await browser.text(`${dashboard.url}/dashboard`)).toContain('Sign in with GitHub');
  });

  it('asks GitHub again after the access TTL: a repository taken away disappears, a revoked token signs out', async () => {
    const { dashboard, advance } = await start();
    const browser = new TestBrowser();
    gh.state.setPermission('acme', 'secret-vault', 'carol', 'read');
    gh.state.setPermission('acme', 'shop', 'carol', 'read');
    await browser.signIn(dashboard, 'carol');
    expect(await browser.text(`${dashboard.url}/dashboard/${INSTALLATION}`)).toContain(SECRET_REPO);
    gh.state.repo('acme', 'secret-vault').collaborators.delete('carol');
    advance(61_000);
    const page = await browser.text(`${dashboard.url}/dashboard/${INSTALLATION}`);
    expect(page).not.toContain('secret-vault');
    expect(page).toContain('acme/shop');
    for (const [token, record] of dashboard.oauth.tokens)
      if (record.login === 'carol') dashboard.oauth.revoke(token);
    advance(61_000);
    const after = await browser.request(`${dashboard.url}/dashboard/${INSTALLATION}`, {}, false);
    expect(after.status).toBe(302);
    expect(after.headers.get('location')).toBe(
      `/login?return_to=${encodeURIComponent(`/dashboard/${INSTALLATION}`)}`,
    );
  });

  it('follows every page of a long repository list', async () => {
    const { dashboard, settings } = await start();
    for (let i = 0; i < 130; i++) {
      gh.state.createRepo('acme', `many-${i}`);
      gh.state.setPermission('acme', `many-${i}`, 'dave', 'read');
    }
    const token = dashboard.oauth.issueUserToken('dave');
    const access = await fetchAccess(settings, token);
    expect(access.installations.map((i) => [i.id, i.account, i.repositories.length])).toEqual([
      [INSTALLATION, 'acme', 130],
    ]);
    expect(gh.calls.filter((c) => c.route === '/user/installations/:id/repositories').length).toBe(2);
  });

  it('uses a __Host- cookie with Secure behind https', async () => {
    const settings = webSettingsFromEnv({ DOCKHAND_BASE_URL: 'https://dockhand.example.com' });
    gh = await startFakeGitHub();
    const handler = webHandler({
      settings: { ...settings, clientId: 'Iv1.x', clientSecret: 'y' },
      reports: new MemoryReportStore(),
      sessions: new MemorySessionStore(),
    });
    server = createServer((req, res) => void handler(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/login`, {
      redirect: 'manual',
    });
    expect(response.headers.getSetCookie()[0]).toMatch(
      /^__Host-dockhand_session=[^;]+; Path=\/; HttpOnly; SameSite=Lax; Max-Age=28800; Secure$/,
    );
  });
});
