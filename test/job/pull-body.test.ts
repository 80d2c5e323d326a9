import { describe, expect, test } from 'vitest';
import type { PullRequestSettings } from '../../src/config/schema.js';
import type { DependencyUpdate, PackageFile } from '../../src/core/types.js';
import { planBranches } from '../../src/job/branches.js';
import { parseMarker } from '../../src/job/marker.js';
import { age, MAX_BODY_CHARS, renderPullBody, shortDigest } from '../../src/job/pull-body.js';
import type { BranchPlan } from '../../src/job/types.js';
import { manager } from '../../src/managers/dockerfile/index.js';

const SETTINGS: PullRequestSettings = {
  grouping: 'major-line',
  labels: [],
  prConcurrentLimit: 0,
  prHourlyLimit: 0,
  rebaseWhen: 'behind-base-branch',
};
const d = (n: number) => `sha256:${String(n).repeat(64).slice(0, 64)}`;
const NOW = Date.parse('2026-11-23T02:00:00Z');

function file(path: string, text: string, updates: Record<string, DependencyUpdate[]>): PackageFile {
  const deps = manager.extract(text, path).deps.map((dep) => ({ ...dep, updates: updates[dep.value] ?? [] }));
  return { path, manager: 'dockerfile', deps };
}

function only(files: PackageFile[]): BranchPlan {
  const plans = planBranches(files, SETTINGS);
  expect(plans).toHaveLength(1);
  return plans[0]!;
}

describe('renderPullBody', () => {
  test('a version update: intro, table, why, how to ignore, notes, marker last', () => {
    const plan = only([
      file('Dockerfile', `FROM node:22.1.0@${d(1)}\n`, {
        [`node:22.1.0@${d(1)}`]: [
          { type: 'minor', newValue: '22.12.0', newDigest: d(2), releaseTimestamp: '2026-11-20T01:00:00Z' },
        ],
      }),
    ]);
    const marker = { branch: plan.branch, fingerprint: plan.fingerprint };
    const body = renderPullBody(plan, {
      mention: '@dockhand',
      now: NOW,
      marker,
      notes: ['api/Dockerfile: skipped'],
    });
    expect(body).toBe(
      [
        'Dockhand updates one image reference to newer releases.',
        '',
        '| Image | File | Change | Type | Age |',
        '| --- | --- | --- | --- | --- |',
        '| node | Dockerfile:1 | 22.1.0 (sha256:11111111…) → 22.12.0 (sha256:22222222…) | minor | 3 days |',
        '',
        '### Why this matters',
        '',
        'Patch and minor releases of base images carry bug fixes and fixes for known vulnerabilities (CVEs) in ' +
          'the operating system packages and runtimes they ship. Staying on a current release of your major line ' +
          'keeps those fixes flowing in.',
        '',
        '### How to ignore',
        '',
        'Close this pull request and Dockhand will not propose this update again. Or comment:',
        '',
        '- `@dockhand ignore this major`: no more updates to this major version of these images',
        '- `@dockhand ignore this minor`: no more updates to this minor version',
        '- `@dockhand ignore this version`: not this exact version',
        '- `@dockhand ignore this image`: no more pull requests for these images',
        '- `@dockhand rebase`: rebuild this branch on the current base branch (drops commits others pushed)',
        '- `@dockhand recreate`: on a closed pull request, propose it again',
        '',
        '### Notes',
        '',
        '- api/Dockerfile: skipped',
        '',
        '<!-- dockhand:pr {"branch":"dockhand/node-22.x","fingerprint":"docker.io/library/node:22.12.0"} -->',
      ].join('\n'),
    );
    expect(parseMarker(body)).toEqual(marker);
  });

  test('pins and replacements: tag to tag with the new digest, the why of pins, the configured mention', () => {
    const plan = only([
      file('Dockerfile', 'FROM redis:7.2\nFROM alpine\n', {
        'redis:7.2': [{ type: 'pin', newValue: null, newDigest: d(3) }],
        alpine: [{ type: 'replace', newValue: null, newDigest: d(4) }],
      }),
    ]);
    const body = renderPullBody(plan, {
      mention: '@acme-dockhand',
      now: NOW,
      marker: { branch: plan.branch, fingerprint: plan.fingerprint },
    });
    expect(body).toContain('Dockhand pins 2 image references to the digest their tags point at today.');
    expect(body).toContain('| redis | Dockerfile:1 | 7.2 → 7.2 (sha256:33333333…) | pin |  |');
    expect(body).toContain('| alpine | Dockerfile:2 | latest → latest (sha256:44444444…) | replace |  |');
    expect(body).toContain('so builds are repeatable');
    expect(body).toContain('- `@acme-dockhand ignore this image`');
    expect(body).not.toContain('### Notes');
    expect(body.endsWith('-->')).toBe(true);
  });

  test('digest refreshes and majors say why in their own words', () => {
    const refresh = only([
      file('Dockerfile', `FROM python:3.12@${d(5)}\n`, {
        [`python:3.12@${d(5)}`]: [{ type: 'digest', newValue: null, newDigest: d(6) }],
      }),
    ]);
    const major = only([
      file('Dockerfile', 'FROM postgres:16.4\n', {
        'postgres:16.4': [{ type: 'major', newValue: '17.2', newDigest: null }],
      }),
    ]);
    const render = (plan: BranchPlan) =>
      renderPullBody(plan, {
        mention: '@dockhand',
        now: NOW,
        marker: { branch: plan.branch, fingerprint: '' },
      });
    expect(render(refresh)).toContain(
      '| python | Dockerfile:1 | 3.12 (sha256:55555555…) → 3.12 (sha256:66666666…) | digest |  |',
    );
    expect(render(refresh)).toContain('rebuilt upstream, usually to pick up security patches');
    expect(render(major)).toContain('| postgres | Dockerfile:1 | 16.4 → 17.2 | major |  |');
    expect(render(major)).toContain('read its release notes before merging');
  });

  test('pipes, backticks and line breaks in cells are escaped', () => {
    const plan = only([
      file('Dockerfile', 'FROM node:22.1.0\n', {
        'node:22.1.0': [{ type: 'minor', newValue: '22.12.0', newDigest: null }],
      }),
    ]);
    const hostile: BranchPlan = {
      ...plan,
      changes: plan.changes.map((c) => ({ ...c, path: 'a|b`c\nd/Dockerfile' })),
    };
    const body = renderPullBody(hostile, {
      mention: '@dockhand',
      now: NOW,
      marker: { branch: 'b', fingerprint: 'f' },
    });
    expect(body).toContain('| node | a\\|b\\`c d/Dockerfile:1 | 22.1.0 → 22.12.0 | minor |  |');
  });

  test('a huge plan is cut below the limit, saying how many rows were left out', () => {
    const lines = Array.from({ length: 3000 }, (_, i) => `FROM node:22.1.0 AS stage-with-a-long-name-${i}`);
    const plan = only([
      file('services/some/deeply/nested/path/Dockerfile', `${lines.join('\n')}\n`, {
        'node:22.1.0': [{ type: 'minor', newValue: '22.12.0', newDigest: d(7) }],
      }),
    ]);
    const body = renderPullBody(plan, {
      mention: '@dockhand',
      now: NOW,
      marker: { branch: plan.branch, fingerprint: 'f' },
    });
    const rows = body.split('\n').filter((l) => l.startsWith('| node |')).length;
    expect(body.length).toBeLessThanOrEqual(MAX_BODY_CHARS);
    expect(rows).toBeGreaterThan(100);
    expect(body).toContain(`\n${3000 - rows} more changes left out to keep this description short.\n`);
    expect(body.endsWith('-->')).toBe(true);
  });
});

describe('helpers', () => {
  test.each([
    [0, 'less than a minute'],
    [59_000, 'less than a minute'],
    [60_000, '1 minute'],
    [3 * 3600_000 + 5, '3 hours'],
    [24 * 3600_000, '1 day'],
    [3 * 24 * 3600_000, '3 days'],
    [15 * 24 * 3600_000, '2 weeks'],
    [65 * 24 * 3600_000, '2 months'],
    [800 * 24 * 3600_000, '2 years'],
    [-5000, 'less than a minute'],
  ])('age %i ms → %s', (elapsed, text) => {
    expect(age(NOW - elapsed, NOW)).toBe(text);
  });

  test('an unknown date has no age', () => {
    expect(age(Date.parse('not a date'), NOW)).toBe('');
  });

  test('short digests', () => {
    expect(shortDigest(`sha256:${'abcdef0123456789'.repeat(4)}`)).toBe('sha256:abcdef01…');
    expect(shortDigest('sha256:abc')).toBe('sha256:abc');
    expect(shortDigest('weird')).toBe('weird');
  });
});

describe('renderPullBody for runtime exclusions', () => {
  test('lists the locked packages the new image’s runtime excludes, before why it matters', () => {
    const plan = {
      ...only([
        file('Dockerfile', 'FROM python:3.11\n', {
          'python:3.11': [{ type: 'minor', newValue: '3.13', newDigest: null }],
        }),
      ]),
      runtimeExclusions: [
        'numpy 1.24.0 (requirements.txt) declares requires-python <3.12, which excludes Python 3.13',
      ],
    };
    const body = renderPullBody(plan, {
      mention: '@dockhand',
      now: NOW,
      marker: { branch: plan.branch, fingerprint: plan.fingerprint },
    });
    const section = body.indexOf('### Dependencies that may not run on the new version');
    expect(section).toBeGreaterThan(body.indexOf('| python |'));
    expect(section).toBeLessThan(body.indexOf('### Why this matters'));
    expect(body).toContain(
      '- numpy 1.24.0 (requirements.txt) declares requires-python <3.12, which excludes Python 3.13',
    );
  });
});
