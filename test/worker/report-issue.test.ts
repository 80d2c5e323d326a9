// The Markdown report issue (issue 11 §4): the worker's report job, against the fake GitHub with probot
// minting the tokens, keeps one issue in the org's `.github` repository when the org file asks for it:
// created once, rewritten when the text changes only, grouped by team, capped under GitHub's limit.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemoryCache } from '../../src/cache/memory.js';
import type { WorkerLogger } from '../../src/queue/worker.js';
import { createGitHubPlatform } from '../../src/platform/github/platform.js';
import type { RepoReport } from '../../src/report/evaluate.js';
import {
  escapeMarkdown,
  GITHUB_BODY_LIMIT,
  REPORT_ISSUE_LABEL,
  REPORT_ISSUE_TITLE,
  renderReportIssue,
} from '../../src/report/issue.js';
import { MemoryReportStore } from '../../src/report/store/memory.js';
import { githubAppFromEnv } from '../../src/worker/auth.js';
import { createProcessors, type ProcessorDeps } from '../../src/worker/processors.js';
import { TEST_PRIVATE_KEY } from '../support/app-key.js';
import { startFakeGitHub, type FakeGitHub } from '../support/fake-github/index.js';
import { fixtureReport } from '../report/store-suite.js';

let gh: FakeGitHub;
let logs: string[];
const logger: WorkerLogger = {
  info: (_fields, message) => logs.push(message),
  warn: (_fields, message) => logs.push(`warn: ${message}`),
  error: (_fields, message) => logs.push(`error: ${message}`),
};

beforeEach(async () => {
  logs = [];
  gh = await startFakeGitHub();
});
afterEach(async () => {
  await gh.stop();
});

const INSTALLATION = 42;

function withTeams(report: RepoReport, repository: string, teams?: string[]): RepoReport {
  return { ...report, repository, facts: { ...report.facts, repository, ...(teams && { teams }) } };
}

function processors(store: MemoryReportStore, now: number) {
  const app = githubAppFromEnv(
    {
      APP_ID: '1',
      PRIVATE_KEY: TEST_PRIVATE_KEY,
      GHE_HOST: gh.host,
      GHE_PROTOCOL: 'http',
      LOG_LEVEL: 'fatal',
    },
    { throttle: false },
  );
  return createProcessors({
    octokitForInstallation: (id) => app.octokitForInstallation(id),
    githubCache: new MemoryCache(),
    registryCache: new MemoryCache(),
    createPlatform: createGitHubPlatform,
    reports: store,
    mention: '@dockhand',
    log: logger,
    now: () => now,
    dashboardUrl: 'https://dockhand.acme.example/',
  } as Partial<ProcessorDeps> as ProcessorDeps);
}

const reportIssues = () =>
  [...gh.state.repo('acme', '.github').issues.values()].filter((i) => i.labels.includes(REPORT_ISSUE_LABEL));

describe('the report issue', () => {
  it('is created once, left alone when unchanged, rewritten when the figures change', async () => {
    gh.state.createRepo('acme', '.github', { files: { 'dockhand.yml': 'reports:\n  issue: true\n' } });
    gh.state.createRepo('acme', 'shop', {});
    gh.state.addInstallation({ id: INSTALLATION, account: 'acme' });
    const store = new MemoryReportStore();
    const [shop, tools] = await Promise.all([fixtureReport('shop'), fixtureReport('tools')]);
    await store.save(
      INSTALLATION,
      withTeams(shop, 'acme/shop', ['@acme/platform', '@acme/web']),
      new Date('2026-12-01T03:00:00Z'),
    );
    await store.save(INSTALLATION, withTeams(tools, 'acme/tools'), new Date('2026-12-01T04:00:00Z'));
    const job = { id: '1', attempt: 1, attempts: 3 };

    await processors(store, Date.parse('2026-12-01T23:50:00Z')).report(
      { installationId: INSTALLATION, reason: 'rollup' },
      job,
    );
    expect(reportIssues()).toHaveLength(1);
    const [issue] = reportIssues();
    expect(issue!.title).toBe(REPORT_ISSUE_TITLE);
    const body = issue!.body!;
    // Grouped by team, "No team" last; shop under both of its teams.
    const headings = [...body.matchAll(/^## (.*)$/gm)].map((m) => m[1]);
    expect(headings).toEqual(['`@acme/platform`', '`@acme/web`', 'No team']);
    expect(body).toContain('| Policy | Pass rate | Pass | Fail | No data |');
    expect(body).toMatch(/- \*\*acme\/shop\*\*: .*\(since 2026-\d\d-\d\d\)/);
    expect(body.split('## No team')[1]).toContain('acme/tools');
    expect(body).toContain('https://dockhand.acme.example/dashboard/42?team=%40acme%2Fplatform');
    expect(logs).toContain(`report issue acme/.github#${issue!.number} created`);

    // The next night, nothing changed: not a single write (the reports are re-saved a day later).
    await store.save(
      INSTALLATION,
      withTeams(shop, 'acme/shop', ['@acme/platform', '@acme/web']),
      new Date('2026-12-02T03:00:00Z'),
    );
    const writes = () =>
      gh.calls
        .filter((c) => c.method === 'PATCH' || c.method === 'POST')
        .filter((c) => (c.route ?? '').includes('issues')).length;
    const before = writes();
    expect(before).toBe(1);
    await processors(store, Date.parse('2026-12-02T23:50:00Z')).report(
      { installationId: INSTALLATION, reason: 'rollup' },
      job,
    );
    expect(writes()).toBe(before);
    expect(logs).toContain(`report issue acme/.github#${issue!.number} unchanged`);

    // tools gets a team: rewritten in place.
    await store.save(
      INSTALLATION,
      withTeams(tools, 'acme/tools', ['@acme/tools']),
      new Date('2026-12-03T03:00:00Z'),
    );
    await processors(store, Date.parse('2026-12-03T23:50:00Z')).report(
      { installationId: INSTALLATION, reason: 'rollup' },
      job,
    );
    expect(reportIssues()).toHaveLength(1);
    expect(reportIssues()[0]!.body).toContain('## `@acme/tools`');
    expect(reportIssues()[0]!.body).not.toContain('## No team');
    expect(logs).toContain(`report issue acme/.github#${issue!.number} updated`);
    // The rollups were made all the same.
    expect((await store.history(INSTALLATION, 30)).map((r) => r.day)).toEqual([
      '2026-12-01',
      '2026-12-02',
      '2026-12-03',
    ]);
  });

  it('is not written unless the org file asks for it', async () => {
    gh.state.createRepo('acme', '.github', {
      files: { 'dockhand.yml': 'reports:\n  approvedBases: [node]\n' },
    });
    gh.state.addInstallation({ id: INSTALLATION, account: 'acme' });
    const store = new MemoryReportStore();
    await store.save(
      INSTALLATION,
      withTeams(await fixtureReport('shop'), 'acme/shop'),
      new Date('2026-12-01T03:00:00Z'),
    );
    await processors(store, Date.parse('2026-12-01T23:50:00Z')).report(
      { installationId: INSTALLATION, reason: 'rollup' },
      { id: '1', attempt: 1, attempts: 3 },
    );
    expect(reportIssues()).toEqual([]);
    expect(logs.filter((l) => l.startsWith('warn'))).toEqual([]);
  });
});

describe('renderReportIssue', () => {
  it('caps the body under GitHub’s limit with a line saying how much was left out', async () => {
    const shop = await fixtureReport('shop');
    const stored = [];
    for (let i = 0; i < 2000; i++) {
      const repository = `acme/service-with-a-rather-long-name-${String(i).padStart(4, '0')}`;
      stored.push({
        ...withTeams(shop, repository, [`@acme/team-${i % 7}`]),
        at: '2026-12-01T03:00:00.000Z',
        failingSince: {},
      });
    }
    const body = renderReportIssue({ account: 'acme', installationId: 42, reports: stored });
    expect(body.length).toBeLessThan(GITHUB_BODY_LIMIT);
    expect(body).toMatch(
      /_\d+ of 2000 failing-repository entries left out: GitHub limits an issue to 65,536 characters\._\n$/,
    );
    // Without a base URL, no links.
    expect(body).not.toContain('](');
    // Deterministic: the same reports give the same text.
    expect(renderReportIssue({ account: 'acme', installationId: 42, reports: stored })).toBe(body);
    const small = renderReportIssue({ account: 'acme', installationId: 42, reports: stored.slice(0, 3) });
    expect(small).not.toContain('left out');
  });

  it('escapes Markdown and HTML in repository names', () => {
    expect(escapeMarkdown('acme/<img src=x>_[x](javascript:y)*')).toBe(
      'acme/&lt;img src=x\\>\\_\\[x\\]\\(javascript:y\\)\\*',
    );
  });
});
