// `reports` in the app's config layers (issue 11 §1): the org file and the repository file are merged
// policy by policy, not the repository's mapping replacing the org's.
import { describe, expect, it } from 'vitest';
import { configFromTexts, loadConfig } from '../../src/config/load.js';
import { policyOptions } from '../../src/report/evaluate.js';
import { POLICIES } from '../../src/report/policies/index.js';
import type { Policy } from '../../src/report/policies/types.js';

const ORG = { file: 'acme/.github/dockhand.yml' };
const REPO = { file: 'acme/api/.github/dockhand.yml' };
const policy = (id: string) => (POLICIES as readonly Policy[]).find((p) => p.id === id)!;

describe('reports: org file, then repository file', () => {
  it('merges policies one by one and thresholds within a policy', async () => {
    const config = await configFromTexts([
      {
        ...ORG,
        text: [
          'reports:',
          '  policies:',
          '    up-to-date-bases: { digestAgeDays: 7 }',
          '    prs-acted-on: { maxOpenDays: 10 }',
          '    no-latest: false',
          '  approvedBases: [node, "python:3.12-*"]',
        ].join('\n'),
      },
      {
        ...REPO,
        text: [
          'reports:',
          '  policies:',
          '    up-to-date-bases: { tagBehindDays: 30 }',
          '    no-lint-errors: false',
        ].join('\n'),
      },
    ]);
    const { reports } = config;
    // The org's threshold stays beside the repository's.
    expect(reports.policies['up-to-date-bases']).toEqual({ digestAgeDays: 7, tagBehindDays: 30 });
    // What the repository does not name keeps the org's setting.
    expect(reports.policies['prs-acted-on']).toEqual({ maxOpenDays: 10 });
    expect(reports.policies['no-latest']).toBe(false);
    expect(reports.policies['no-lint-errors']).toBe(false);
    // Untouched by both: the defaults file's.
    expect(reports.policies['maintenance-rebuilt']).toEqual({ maxDays: 8 });
    expect(reports.approvedBases).toEqual(['node', 'python:3.12-*']);
    expect(policyOptions(policy('up-to-date-bases'), reports)).toMatchObject({
      digestAgeDays: 7,
      tagBehindDays: 30,
    });
    expect(policyOptions(policy('no-latest'), reports)).toBeNull();
  });

  it('lets the repository switch a policy back on and replace the approved bases', async () => {
    const { reports } = await configFromTexts([
      { ...ORG, text: 'reports:\n  policies:\n    prs-acted-on: false\n  approvedBases: [node]\n' },
      {
        ...REPO,
        text: 'reports:\n  policies:\n    prs-acted-on: { maxOpenDays: 5 }\n  approvedBases: [golang]\n',
      },
    ]);
    expect(reports.policies['prs-acted-on']).toEqual({ maxOpenDays: 5 });
    expect(policyOptions(policy('prs-acted-on'), reports)).toEqual({
      ...policy('prs-acted-on').defaults,
      maxOpenDays: 5,
    });
    expect(reports.approvedBases).toEqual(['golang']);
  });

  it('keeps the org mapping when the repository file sets none, and the defaults without files', async () => {
    const org = { ...ORG, text: 'reports:\n  approvedBases: [node]\n' };
    const { reports } = await configFromTexts([org, { ...REPO, text: 'dashboard: false\n' }]);
    expect(reports.approvedBases).toEqual(['node']);
    expect(reports.policies['up-to-date-bases']).toEqual({ digestAgeDays: 14, tagBehindDays: 14 });
    const defaults = await configFromTexts([]);
    expect(defaults.reports.policies['prs-acted-on']).toEqual({ maxOpenDays: 30 });
    // The CLI's one file merges over the defaults the same way.
    const cli = await loadConfig('/nonexistent-dockhand-dir');
    expect(cli.config.reports).toEqual(defaults.reports);
  });
});
