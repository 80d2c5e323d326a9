// The dashboard over HTTP, through the real app (src/app/index.ts mounts it; sessions in a real Redis):
// GitHub's OAuth web flow against the fake GitHub, what each user may see in pages, search and exports,
// the operator token, CSRF on logout, cookies, escaping and the Content-Security-Policy.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CSV_COLUMNS } from '../../src/report/render/csv.js';
import {
  INSTALLATION,
  OTHER_INSTALLATION,
  REPORTS_TOKEN,
  SECRET_REPO,
  startDashboard,
  TestBrowser,
  XSS,
  type Dashboard,
} from './harness.js';

let dash: Dashboard;
const host = () => new URL(dash.url).host;

beforeAll(async () => {
  dash = await startDashboard();
});
afterAll(async () => {
  await dash?.stop();
});

const operator = { authorization: `Bearer ${REPORTS_TOKEN}` };

describe('exports with the operator token', () => {
  it('serves every repository of any installation as JSON and CSV', async () => {
    const json = await fetch(`${dash.url}/reports/${INSTALLATION}.json`, { headers: operator });
    expect(json.status).toBe(200);
    expect(json.headers.get('content-type')).toMatch(/^application\/json/);
    expect(json.headers.get('content-disposition')).toMatch(/attachment; filename="dockhand-42-/);
    const report = (await json.json()) as {
      version: number;
      summary: unknown[];
      repositories: { repository: string; at: string }[];
    };
    expect(report.version).toBe(1);
    expect(report.summary.length).toBeGreaterThan(0);
    expect(report.repositories.map((r) => r.repository).sort()).toEqual([
      'acme/evil',
      'acme/secret-vault',
      'acme/shop',
      'acme/tools',
    ]);
    expect(report.repositories[0]!.at).toMatch(/^2026-12-03/);

    const csv = await (await fetch(`${dash.url}/reports/${INSTALLATION}.csv`, { headers: operator })).text();
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe(CSV_COLUMNS.join(','));
    expect(lines.some((l) => l.startsWith('image,acme/shop,'))).toBe(true);
    expect(lines.some((l) => l.startsWith('policy,acme/shop,'))).toBe(true);

    const other = (await (
      await fetch(`${dash.url}/reports/${OTHER_INSTALLATION}.json`, { headers: operator })
    ).json()) as {
      repositories: { repository: string }[];
    };
    expect(other.repositories.map((r) => r.repository)).toEqual(['other/thing']);
  });

  it('refuses a wrong token and anonymous callers', async () => {
    const wrong = await fetch(`${dash.url}/reports/${INSTALLATION}.json`, {
      headers: { authorization: `Bearer ${REPORTS_TOKEN}x` },
    });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toContain('invalid_token');
    const anonymous = await fetch(`${dash.url}/reports/${INSTALLATION}.csv`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.text()).not.toContain('acme');
  });
});

describe('signing in with GitHub', () => {
  it('shows a sign-in page to anonymous visitors, with a CSP forbidding inline scripts', async () => {
    const response = await fetch(`${dash.url}/dashboard/${INSTALLATION}`);
    expect(response.status).toBe(200);
    const csp = response.headers.get('content-security-policy')!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    const html = await response.text();
    expect(html).toContain('Sign in with GitHub');
    expect(html).not.toContain('acme/');
  });

  it('runs the web flow with a state bound to the session, and a new session id afterwards', async () => {
    const browser = new TestBrowser();
    dash.oauth.signIn('alice');
    const start = await browser.request(`${dash.url}/login?return_to=/dashboard/${INSTALLATION}`, {}, false);
    expect(start.status).toBe(302);
    const authorize = new URL(start.headers.get('location')!);
    expect(authorize.pathname).toBe('/login/oauth/authorize');
    expect(authorize.searchParams.get('client_id')).toBe(dash.oauth.clientId);
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${dash.url}/login/callback`);
    const state = authorize.searchParams.get('state')!;
    expect(state.length).toBeGreaterThan(30);
    const cookie = start.headers.getSetCookie()[0]!;
    expect(cookie).toMatch(
      /^dockhand_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax; Max-Age=28800$/,
    );
    const preLogin = browser.cookie(host(), 'dockhand_session');

    // Someone else's callback (another browser, no session): refused.
    const stranger = await fetch(`${dash.url}/login/callback?code=x&state=${state}`);
    expect(stranger.status).toBe(400);
    // A forged state in this browser's session: refused.
    const forged = await browser.request(`${dash.url}/login/callback?code=x&state=forged`);
    expect(forged.status).toBe(400);

    const page = await browser.request(authorize.toString());
    expect(page.status).toBe(200);
    expect(page.finalUrl).toBe(`${dash.url}/dashboard/${INSTALLATION}`);
    expect(browser.cookie(host(), 'dockhand_session')).not.toBe(preLogin);
    const html = await page.text();
    expect(html).toContain('Signed in as <strong>alice</strong>');
    expect(html).toContain(SECRET_REPO);
  });

  it('lists only the installations GitHub lists for the user', async () => {
    const browser = new TestBrowser();
    await browser.signIn(dash, 'alice');
    const html = await browser.text(`${dash.url}/dashboard`);
    expect(html).toContain(`href="/dashboard/${INSTALLATION}"`);
    expect(html).not.toContain(`/dashboard/${OTHER_INSTALLATION}`);
    expect((await browser.request(`${dash.url}/dashboard/${OTHER_INSTALLATION}`)).status).toBe(404);
    expect((await browser.request(`${dash.url}/reports/${OTHER_INSTALLATION}.json`)).status).toBe(404);
  });

  it('says so when the user cancels on GitHub', async () => {
    const browser = new TestBrowser();
    dash.oauth.deny = true;
    try {
      const page = await browser.signIn(dash, 'alice');
      expect(page.status).toBe(400);
      expect(await page.text()).toContain('cancelled');
    } finally {
      dash.oauth.deny = false;
    }
  });
});

describe('what a user without access to a repository sees', () => {
  let bob: TestBrowser;
  beforeAll(async () => {
    bob = new TestBrowser();
    await bob.signIn(dash, 'bob');
  });

  it('never names the private repository in pages, searches or exports', async () => {
    const urls = [
      `/dashboard`,
      `/dashboard/${INSTALLATION}`,
      `/dashboard/${INSTALLATION}?q=secret`,
      `/dashboard/${INSTALLATION}?q=internal-only`,
      `/dashboard/${INSTALLATION}?status=fail`,
      `/dashboard/${INSTALLATION}?status=no-data`,
      `/dashboard/${INSTALLATION}?policy=no-latest&status=pass`,
      `/reports/${INSTALLATION}.json`,
      `/reports/${INSTALLATION}.csv`,
    ];
    for (const path of urls) {
      const response = await bob.request(`${dash.url}${path}`);
      expect(response.status, path).toBe(200);
      const body = await response.text();
      expect(body, path).not.toMatch(/secret-vault|secretbase|internal-only:1\.0/);
    }
    const overview = await bob.text(`${dash.url}/dashboard/${INSTALLATION}`);
    expect(overview).toContain('acme/shop');
    expect(overview).toContain('3 repositories you can see');
    expect(await bob.text(`${dash.url}/dashboard/${INSTALLATION}?q=secret`)).toContain(
      'No repository matches.',
    );
    const exported = (await (await bob.request(`${dash.url}/reports/${INSTALLATION}.json`)).json()) as {
      repositories: { repository: string }[];
    };
    expect(exported.repositories.map((r) => r.repository).sort()).toEqual([
      'acme/evil',
      'acme/shop',
      'acme/tools',
    ]);
  });
});

describe('pages', () => {
  let alice: TestBrowser;
  beforeAll(async () => {
    alice = new TestBrowser();
    await alice.signIn(dash, 'alice');
  });

  it('renders a file name carrying an XSS payload as text, and loads scripts only from files', async () => {
    const html = await alice.text(`${dash.url}/dashboard/${INSTALLATION}?q=evil`);
    expect(html).toContain('acme/evil');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&#34;&#62;&#60;img src=x onerror=&#34;window.__xss=1&#34;&#62;/Dockerfile');
    for (const tag of html.match(/<script[^>]*>/g) ?? [])
      expect(tag).toMatch(
        /<script (src="\/dashboard\/assets\/[a-z]+\.js" defer|type="application\/json" id="trend-data")>/,
      );
    // Links to GitHub: the file at the default branch, at its line.
    expect(html).toContain(
      `href="http://${dash.gh.host}/acme/evil/blob/HEAD/${encodeURIComponent(XSS)}/Dockerfile#L1"`,
    );
  });

  it('shows pass rates, the trend figures, worst repositories first and the images table', async () => {
    const html = await alice.text(`${dash.url}/dashboard/${INSTALLATION}`);
    expect(html).toContain('<h2>Policies</h2>');
    expect(html).toMatch(
      /<script type="application\/json" id="trend-data">\{"days":\["2026-12-01","2026-12-02","2026-12-03"\]/,
    );
    const repos = [...html.matchAll(/<tr><th><a href="[^"]+">(acme\/[a-z-]+)<\/a>/g)].map((m) => m[1]);
    expect(repos.length).toBe(4);
    expect(html).toContain('<code>python:3.9</code>');
    expect(html).toMatch(/python 3\.9 \(EOL 2025-10-/);
  });

  it('filters by policy status and text with GET parameters', async () => {
    const failing = await alice.text(`${dash.url}/dashboard/${INSTALLATION}?policy=no-latest&status=fail`);
    expect(failing).toMatch(/<tr><th><a href="[^"]+">acme\/shop<\/a>/);
    expect(failing).not.toMatch(/<tr><th><a href="[^"]+">acme\/(tools|evil)<\/a>/);
    expect(failing).toContain('<option value="no-latest" selected>');
    const text = await alice.text(`${dash.url}/dashboard/${INSTALLATION}?q=postgres`);
    expect(text).toMatch(/<tr><th><a href="[^"]+">acme\/shop<\/a>/);
    expect(text).toContain('1 of 4 match');
  });

  it('serves uPlot and the dashboard script from the app', async () => {
    const uplot = await fetch(`${dash.url}/dashboard/assets/uplot.js`);
    expect(uplot.status).toBe(200);
    expect(uplot.headers.get('content-type')).toMatch(/javascript/);
    expect((await uplot.text()).length).toBeGreaterThan(20_000);
    expect((await fetch(`${dash.url}/dashboard/assets/nope.js`)).status).toBe(404);
  });
});

describe('logout', () => {
  it('needs the session CSRF token and the same origin', async () => {
    const browser = new TestBrowser();
    await browser.signIn(dash, 'alice');
    const page = await browser.text(`${dash.url}/dashboard`);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page)![1]!;
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const post = (body: string, headers: Record<string, string> = {}) =>
      browser.request(
        `${dash.url}/logout`,
        { method: 'POST', body, headers: { ...form, ...headers } },
        false,
      );
    expect((await post('_csrf=wrong')).status).toBe(403);
    expect((await post('')).status).toBe(403);
    expect((await post(`_csrf=${csrf}`, { origin: 'https://evil.example' })).status).toBe(403);
    expect((await browser.request(`${dash.url}/logout`)).status).toBe(405);
    expect(await browser.text(`${dash.url}/dashboard`)).toContain('Signed in as');
    const out = await post(`_csrf=${encodeURIComponent(csrf)}`, { origin: dash.url });
    expect(out.status).toBe(302);
    expect(await browser.text(`${dash.url}/dashboard`)).toContain('Sign in with GitHub');
  });
});
