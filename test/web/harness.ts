// The dashboard as the tests run it: the real app (appFromEnv behind probot's middleware, so the mounting
// in src/app/index.ts, Redis sessions and all) on a loopback port, GitHub stood in by the fake GitHub (its
// OAuth routes too), reports in the app's Redis report store, filled from fixture directories with a few days of
// history. Repositories: acme/shop, acme/tools, acme/evil (an XSS payload in a file name and an image
// name), and acme/secret-vault (private) that only alice may see; bob sees the others.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createNodeMiddleware, Probot } from 'probot';
import { appFromEnv } from '../../src/app/index.js';
import { loadConfig } from '../../src/config/index.js';
import { repoReport, type RepoReport } from '../../src/report/evaluate.js';
import { repoFacts } from '../../src/report/facts.js';
import { Redis } from 'ioredis';
import { RedisReportStore } from '../../src/report/store/redis.js';
import type { ReportStore } from '../../src/report/store/types.js';
import { scanDirectory } from '../../src/scan/scan.js';
import { TEST_PRIVATE_KEY } from '../support/app-key.js';
import { startFakeGitHub, type FakeGitHub } from '../support/fake-github/index.js';
import { fakeOAuth, type FakeOAuth } from '../support/fake-github/routes/oauth.js';
import { startRedis, type TestRedis } from '../support/redis.js';

const FIXTURES = fileURLToPath(new URL('../report/fixtures/', import.meta.url));
export const INSTALLATION = 42;
/** An installation of another account that neither user may see. */
export const OTHER_INSTALLATION = 77;
export const SECRET_REPO = 'acme/secret-vault';
export const XSS = '"><img src=x onerror="window.__xss=1">';
export const REPORTS_TOKEN = 'operator-token-0123456789abcdef0123456789';

async function reportOf(dir: string, repository: string, now: Date): Promise<RepoReport> {
  const { config } = await loadConfig(dir);
  const scan = await scanDirectory(dir, config);
  return repoReport(repoFacts({ repository, scan, now }), config.reports);
}

/** A report with every policy passing (how a repository looked before it regressed). */
function allPassing(report: RepoReport): RepoReport {
  return { ...report, status: 'pass', policies: report.policies.map((p) => ({ ...p, status: 'pass' })) };
}

export async function fillStore(store: ReportStore): Promise<void> {
  const scratch = await mkdtemp(join(tmpdir(), 'dockhand-web-'));
  try {
    const evil = join(scratch, 'evil');
    await mkdir(join(evil, XSS), { recursive: true });
    await writeFile(join(evil, XSS, 'Dockerfile'), 'FROM python:3.9\nUSER root\n');
    const secret = join(scratch, 'secret');
    await mkdir(secret);
    await writeFile(join(secret, 'Dockerfile'), 'FROM secretbase/internal-only:1.0\n');
    const now = new Date('2026-12-03T03:00:00Z');
    const shop = await reportOf(`${FIXTURES}shop`, 'acme/shop', now);
    const tools = await reportOf(`${FIXTURES}tools`, 'acme/tools', now);
    const evilReport = await reportOf(evil, 'acme/evil', now);
    const secretReport = await reportOf(secret, SECRET_REPO, now);
    // Three days: everything passed on the first, shop regressed on the second, all as scanned on the third.
    const days = ['2026-12-01', '2026-12-02', '2026-12-03'];
    for (const [index, day] of days.entries()) {
      const at = new Date(`${day}T03:00:00Z`);
      await store.save(INSTALLATION, index === 0 ? allPassing(shop) : shop, at);
      await store.save(INSTALLATION, index < 2 ? allPassing(tools) : tools, at);
      await store.save(INSTALLATION, index === 0 ? allPassing(evilReport) : evilReport, at);
      await store.save(INSTALLATION, secretReport, at);
      await store.rollup(INSTALLATION, day);
    }
    await store.save(OTHER_INSTALLATION, { ...tools, repository: 'other/thing' }, now);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

export function arrangeGitHub(gh: FakeGitHub): FakeOAuth {
  for (const name of ['shop', 'tools', 'evil'])
    gh.state.createRepo('acme', name, { files: { README: 'x\n' } });
  gh.state.createRepo('acme', 'secret-vault', { private: true, files: { README: 'x\n' } });
  gh.state.createRepo('other', 'thing', { files: { README: 'x\n' } });
  gh.state.addInstallation({ id: INSTALLATION, account: 'acme' });
  gh.state.addInstallation({ id: OTHER_INSTALLATION, account: 'other' });
  for (const name of ['shop', 'tools', 'evil', 'secret-vault'])
    gh.state.setPermission('acme', name, 'alice', 'admin');
  for (const name of ['shop', 'tools', 'evil']) gh.state.setPermission('acme', name, 'bob', 'read');
  return fakeOAuth(gh.state);
}

export interface Dashboard {
  url: string;
  gh: FakeGitHub;
  oauth: FakeOAuth;
  /** The app's own store: reports in the test Redis, under the app's prefix. */
  store: ReportStore;
  stop(): Promise<void>;
}

/** The app with the dashboard on 127.0.0.1, signed in through the fake GitHub. */
export async function startDashboard(): Promise<Dashboard> {
  const redis: TestRedis = await startRedis();
  const gh = await startFakeGitHub();
  const oauth = arrangeGitHub(gh);
  const prefix = `${redis.prefix}q`;
  const connection = new Redis(redis.url);
  const store = new RedisReportStore(connection, prefix);
  await fillStore(store);
  // The port first: the base URL (OAuth's redirect URI) names it.
  let middleware: Awaited<ReturnType<typeof createNodeMiddleware>> | null = null;
  const server: Server = createServer((req, res) => {
    if (middleware) void middleware(req, res, () => res.writeHead(404).end());
    else res.writeHead(503).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const env: NodeJS.ProcessEnv = {
    REDIS_URL: redis.url,
    DOCKHAND_QUEUE_PREFIX: prefix,
    GHE_HOST: gh.host,
    GHE_PROTOCOL: 'http',
    DOCKHAND_BASE_URL: url,
    GITHUB_CLIENT_ID: oauth.clientId,
    GITHUB_CLIENT_SECRET: oauth.clientSecret,
    DOCKHAND_REPORTS_TOKEN: REPORTS_TOKEN,
  };
  const probot = new Probot({
    appId: 1,
    privateKey: TEST_PRIVATE_KEY,
    secret: 'web-test-secret',
    baseUrl: `${gh.url}/api/v3`,
    logLevel: 'fatal',
  });
  middleware = await createNodeMiddleware(
    // The app makes its own RedisReportStore on its own connection: the same keys as `store`.
    appFromEnv(undefined, env),
    { probot },
  );
  return {
    url,
    gh,
    oauth,
    store,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await gh.stop();
      connection.disconnect();
      await redis.stop();
    },
  };
}

/** A cookie-keeping client that follows redirects between the app and the fake GitHub, as a browser. */
export class TestBrowser {
  private readonly cookies = new Map<string, Map<string, string>>();

  async request(
    url: string,
    init: RequestInit = {},
    follow = true,
  ): Promise<Response & { finalUrl: string }> {
    let current = new URL(url);
    let options = init;
    for (let hop = 0; hop < 10; hop++) {
      const jar = this.cookies.get(current.host) ?? new Map<string, string>();
      const headers = new Headers(options.headers);
      if (jar.size) headers.set('cookie', [...jar].map(([k, v]) => `${k}=${v}`).join('; '));
      const response = await fetch(current, { ...options, headers, redirect: 'manual' });
      for (const cookie of response.headers.getSetCookie()) {
        const [pair] = cookie.split(';');
        const at = pair!.indexOf('=');
        const name = pair!.slice(0, at);
        const value = pair!.slice(at + 1);
        if (/max-age=0/i.test(cookie) || value === '') jar.delete(name);
        else jar.set(name, value);
      }
      this.cookies.set(current.host, jar);
      const location = response.headers.get('location');
      if (!follow || response.status < 300 || response.status >= 400 || !location)
        return Object.assign(response, { finalUrl: current.toString() });
      current = new URL(location, current);
      options = {};
    }
    throw new Error('too many redirects');
  }

  cookie(host: string, name: string): string | undefined {
    return this.cookies.get(host)?.get(name);
  }

  async text(url: string): Promise<string> {
    return (await this.request(url)).text();
  }

  /** Signs in as `login` through the OAuth flow; resolves to the page GitHub sends the browser back to. */
  async signIn(
    dashboard: Dashboard,
    login: string,
    returnTo = '/dashboard',
  ): Promise<Response & { finalUrl: string }> {
    dashboard.oauth.signIn(login);
    return this.request(`${dashboard.url}/login?return_to=${encodeURIComponent(returnTo)}`);
  }
}
