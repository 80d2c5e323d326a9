// The dashboard's per-team views (issue 11 §3): `?team=@org/team` restricts the overview to the
// repositories whose container files the team owns (CODEOWNERS, recorded in the facts), the team filter
// offers only teams of repositories the viewer can see, and a team's private repository stays hidden.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyFilters, parseFilters } from '../../src/web/pages.js';
import { INSTALLATION, SECRET_REPO, startDashboard, TestBrowser, type Dashboard } from './harness.js';

let dash: Dashboard;

beforeAll(async () => {
  dash = await startDashboard();
  // The very first request, before the app's Redis connection is up, waits for it rather than failing.
  const first = await fetch(`${dash.url}/login?return_to=/dashboard`, { redirect: 'manual' });
  expect(first.status).toBe(302);
  // The latest reports again, now with teams from CODEOWNERS.
  const teams: Record<string, string[]> = {
    'acme/shop': ['@acme/platform', '@acme/web'],
    'acme/tools': ['@acme/platform'],
    [SECRET_REPO]: ['@acme/vault'],
  };
  for (const report of await dash.store.latest(INSTALLATION)) {
    const owned = teams[report.repository];
    if (!owned) continue;
    const { at, failingSince: _, ...rest } = report;
    await dash.store.save(INSTALLATION, { ...rest, facts: { ...rest.facts, teams: owned } }, new Date(at));
  }
});
afterAll(async () => {
  await dash?.stop();
});

const repositoryRows = (html: string) =>
  [...html.matchAll(/<tr><th><a href="[^"]*">([^<]*)<\/a>/g)].map((m) => m[1]).sort();

describe('the team filter', () => {
  it('parses only team-shaped values, lower case', () => {
    expect(parseFilters(new URLSearchParams('team=@Acme/Platform')).team).toBe('@acme/platform');
    expect(parseFilters(new URLSearchParams('team=@bob')).team).toBeNull();
    expect(parseFilters(new URLSearchParams('team=<script>')).team).toBeNull();
  });

  it('shows a team’s repositories only, with the policy links keeping the team', async () => {
    const alice = new TestBrowser();
    await alice.signIn(dash, 'alice');
    const all = await alice.text(`${dash.url}/dashboard/${INSTALLATION}`);
    expect(all).toContain('<option value="@acme/platform">@acme/platform</option>');
    expect(all).toContain('@acme/vault');

    const page = await alice.text(
      `${dash.url}/dashboard/${INSTALLATION}?team=${encodeURIComponent('@acme/platform')}`,
    );
    expect(page).toContain('team <code>@acme/platform</code>');
    expect(page).toContain('<option value="@acme/platform" selected>');
    expect(repositoryRows(page)).toEqual(['acme/shop', 'acme/tools']);
    expect(page).toMatch(/status=fail&amp;team=%40acme%2Fplatform"/);
    const web = await alice.text(`${dash.url}/dashboard/${INSTALLATION}?team=@acme/web`);
    expect(repositoryRows(web)).toEqual(['acme/shop']);
    // Combined with the other filters.
    const none = await alice.text(`${dash.url}/dashboard/${INSTALLATION}?team=@acme/web&q=tools`);
    expect(repositoryRows(none)).toEqual([]);
  });

  it('never shows a team or repository the viewer cannot see', async () => {
    const bob = new TestBrowser();
    await bob.signIn(dash, 'bob');
    const all = await bob.text(`${dash.url}/dashboard/${INSTALLATION}`);
    expect(all).toContain('@acme/platform');
    expect(all).not.toContain('@acme/vault');
    const vault = await bob.text(`${dash.url}/dashboard/${INSTALLATION}?team=@acme/vault`);
    expect(repositoryRows(vault)).toEqual([]);
    expect(vault).not.toContain('secret');
    expect(vault).toContain('0 repositories you can see owned by this team');
  });

  it('filters reports by team in applyFilters', async () => {
    const reports = await dash.store.latest(INSTALLATION);
    const filters = { ...parseFilters(new URLSearchParams()), team: '@acme/vault' };
    expect(applyFilters(reports, filters).map((r) => r.repository)).toEqual([SECRET_REPO]);
  });
});
