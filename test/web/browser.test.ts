// The dashboard in a real browser: headless Chromium (Debian's `chromium`, driven by playwright-core)
// against the app with the fake GitHub and a MemoryReportStore. Signs in through the OAuth flow, checks
// content, a filter and the uPlot chart (a canvas with pixels drawn), that nothing trips the CSP, that an
// XSS payload in a file name stays text, that the page fits a phone, and that bob — who may not see
// acme/secret-vault — meets it in no page, search or export. Screenshots go to test-results/ (gitignored);
// DOCKHAND_UPDATE_SCREENSHOTS=1 also writes docs/dashboard.png (the README's).
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INSTALLATION, startDashboard, type Dashboard } from './harness.js';

const CHROMIUM = process.env.DOCKHAND_CHROMIUM ?? '/usr/bin/chromium';
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const RESULTS = `${ROOT}test-results/`;
const available = existsSync(CHROMIUM);
if (!available) console.warn(`browser tests skipped: no Chromium at ${CHROMIUM} (apt-get install chromium)`);

describe.skipIf(!available)('the dashboard in Chromium', () => {
  let dash: Dashboard;
  let browser: Browser;
  const cspViolations: string[] = [];

  beforeAll(async () => {
    dash = await startDashboard();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: process.getuid?.() === 0 ? ['--no-sandbox'] : [],
    });
    await mkdir(RESULTS, { recursive: true });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await dash?.stop();
  });

  async function signedIn(
    login: string,
    viewport = { width: 1280, height: 900 },
  ): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    page.on('console', (message) => {
      if (/Content.Security.Policy/i.test(message.text())) cspViolations.push(message.text());
    });
    page.on('pageerror', (error) => cspViolations.push(`page error: ${error.message}`));
    await page.goto(`${dash.url}/dashboard`);
    expect(await page.textContent('h1')).toBe('Compliance dashboard');
    dash.oauth.signIn(login);
    await Promise.all([page.waitForURL(`${dash.url}/dashboard`), page.click('text=Sign in with GitHub')]);
    expect(await page.textContent('header.top')).toContain(`Signed in as ${login}`);
    return { context, page };
  }

  /** Pixels of the chart's canvas that are not transparent. */
  function drawnPixels(page: Page): Promise<number> {
    // Runs in the page (the tests compile without the DOM's types: an expression string).
    return page.evaluate(`(() => {
      const canvas = document.querySelector('#trend-chart canvas');
      const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
      let drawn = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i] > 0) drawn++;
      return drawn;
    })()`);
  }

  it('signs in, shows the overview with a drawn chart, filters, and keeps an XSS payload as text', async () => {
    const { context, page } = await signedIn('alice');
    await page.click('text=acme');
    await page.waitForURL(`${dash.url}/dashboard/${INSTALLATION}`);
    await page.waitForSelector('#trend-chart[data-rendered="true"] canvas');
    expect(await drawnPixels(page)).toBeGreaterThan(1000);
    // uPlot's legend names the policies.
    expect(await page.textContent('#trend-chart')).toContain('Base digests pinned');
    const repos = await page.$$eval(
      'h2 + p + div table tbody tr th a, h2 + p + p + div table tbody tr th a',
      (links) => links.map((a) => a.textContent),
    );
    expect(repos).toEqual(
      expect.arrayContaining(['acme/shop', 'acme/secret-vault', 'acme/evil', 'acme/tools']),
    );
    expect(await page.textContent('body')).toContain('python:3.9');
    // The payload is shown, as text, and never ran.
    expect(await page.textContent('body')).toContain('"><img src=x onerror="window.__xss=1">/Dockerfile');
    expect(await page.evaluate('typeof window.__xss')).toBe('undefined');
    expect(await page.$$('main img')).toHaveLength(0);
    await page.screenshot({ path: `${RESULTS}dashboard-alice.png`, fullPage: true });
    if (process.env.DOCKHAND_UPDATE_SCREENSHOTS === '1') {
      await page.setViewportSize({ width: 1280, height: 1000 });
      await page.screenshot({ path: `${ROOT}docs/dashboard.png` });
    }

    // A filter through the form (GET parameters).
    await page.fill('input[name=q]', 'postgres');
    await Promise.all([page.waitForURL(/\?q=postgres/), page.click('form.filters button')]);
    expect(await page.textContent('main')).toContain('1 of 4 match');
    await page.selectOption('select[name=policy]', 'no-lint-errors');
    await page.selectOption('select[name=status]', 'fail');
    await page.fill('input[name=q]', '');
    await Promise.all([page.waitForURL(/policy=no-lint-errors/), page.click('form.filters button')]);
    expect(await page.textContent('main')).toContain('4 of 4 match');
    await page.screenshot({ path: `${RESULTS}dashboard-filtered.png`, fullPage: true });
    expect(cspViolations).toEqual([]);
    await context.close();
  });

  it('fits a phone screen', async () => {
    const { context, page } = await signedIn('alice', { width: 390, height: 844 });
    await page.goto(`${dash.url}/dashboard/${INSTALLATION}`);
    await page.waitForSelector('#trend-chart[data-rendered="true"] canvas');
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    expect(overflow).toBeLessThanOrEqual(1);
    await page.screenshot({ path: `${RESULTS}dashboard-phone.png`, fullPage: true });
    await context.close();
  });

  it('never shows bob the repository he cannot see: pages, search, exports', async () => {
    const { context, page } = await signedIn('bob');
    const pages = [
      `/dashboard`,
      `/dashboard/${INSTALLATION}`,
      `/dashboard/${INSTALLATION}?q=secret`,
      `/dashboard/${INSTALLATION}?q=internal`,
      `/dashboard/${INSTALLATION}?status=no-data`,
    ];
    for (const path of pages) {
      await page.goto(`${dash.url}${path}`);
      const html = await page.content();
      expect(html, path).not.toMatch(/secret-vault|secretbase|internal-only/);
    }
    await page.goto(`${dash.url}/dashboard/${INSTALLATION}`);
    expect(await page.textContent('main')).toContain('acme/shop');
    await page.screenshot({ path: `${RESULTS}dashboard-bob.png`, fullPage: true });
    for (const format of ['json', 'csv']) {
      const response = await page.request.get(`${dash.url}/reports/${INSTALLATION}.${format}`);
      expect(response.status()).toBe(200);
      const body = await response.text();
      expect(body).toContain('acme/shop');
      expect(body, format).not.toMatch(/secret-vault|secretbase|internal-only/);
    }
    // Signing out (a POST with the CSRF token) ends the session.
    await page.click('button:text("Sign out")');
    await page.waitForURL(`${dash.url}/dashboard`);
    expect(await page.textContent('main')).toContain('Sign in with GitHub');
    expect(cspViolations).toEqual([]);
    await context.close();
  });
});
