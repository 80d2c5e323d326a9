import { describe, expect, test } from 'vitest';
import type { FailureThreshold } from '../../src/config/schema.js';
import type { Finding, Severity } from '../../src/core/types.js';
import { buildCheckRun, type CheckRunSource } from '../../src/job/check-run.js';

const HEAD = 'f'.repeat(40);
const finding = (
  severity: Severity,
  path: string,
  line: number,
  rule = 'DH201',
  slug = 'final-stage-root',
): Finding => ({
  rule,
  slug,
  severity,
  path,
  line,
  message: `${slug} at ${path}:${line}`,
});

const FINDINGS: Finding[] = [
  finding('warning', 'api/Dockerfile', 4, 'DH502', 'untrusted-registry'),
  finding('error', 'Dockerfile', 9),
  finding('info', 'Dockerfile', 2, 'DH801', 'label-schema'),
  finding('warning', 'Dockerfile', 1, 'DH502', 'untrusted-registry'),
  { ...finding('warning', 'Dockerfile', 5, 'DH605', 'apt-get-yes'), endLine: 7 },
];

const build = (input: Partial<CheckRunSource>) =>
  buildCheckRun({ findings: FINDINGS, fileErrors: [], threshold: 'error', headSha: HEAD, ...input });

describe('buildCheckRun', () => {
  test('annotations by position, levels by severity, titles name the rule', () => {
    const check = build({});
    expect(check.name).toBe('Dockhand');
    expect(check.headSha).toBe(HEAD);
    expect(check.annotations).toEqual([
      {
        path: 'Dockerfile',
        startLine: 1,
        endLine: 1,
        level: 'warning',
        title: 'DH502 untrusted-registry',
        message: 'untrusted-registry at Dockerfile:1',
      },
      {
        path: 'Dockerfile',
        startLine: 2,
        endLine: 2,
        level: 'notice',
        title: 'DH801 label-schema',
        message: 'label-schema at Dockerfile:2',
      },
      {
        path: 'Dockerfile',
        startLine: 5,
        endLine: 7,
        level: 'warning',
        title: 'DH605 apt-get-yes',
        message: 'apt-get-yes at Dockerfile:5',
      },
      {
        path: 'Dockerfile',
        startLine: 9,
        endLine: 9,
        level: 'failure',
        title: 'DH201 final-stage-root',
        message: 'final-stage-root at Dockerfile:9',
      },
      {
        path: 'api/Dockerfile',
        startLine: 4,
        endLine: 4,
        level: 'warning',
        title: 'DH502 untrusted-registry',
        message: 'untrusted-registry at api/Dockerfile:4',
      },
    ]);
    expect(check.title).toBe('1 error, 3 warnings, 1 info');
  });

  test.each<[FailureThreshold, Severity[], 'success' | 'failure']>([
    ['error', ['warning', 'info'], 'success'],
    ['error', ['error'], 'failure'],
    ['warning', ['info'], 'success'],
    ['warning', ['warning'], 'failure'],
    ['warning', ['error'], 'failure'],
    ['info', ['info'], 'failure'],
    ['info', [], 'success'],
    ['none', ['error', 'warning', 'info'], 'success'],
  ])('threshold %s with %j → %s', (threshold, severities, conclusion) => {
    const findings = severities.map((s, i) => finding(s, 'Dockerfile', i + 1));
    expect(build({ findings, threshold }).conclusion).toBe(conclusion);
  });

  test('only changed paths are annotated and counted', () => {
    const check = build({ changedPaths: new Set(['api/Dockerfile']) });
    expect(check.annotations.map((a) => `${a.path}:${a.startLine}`)).toEqual(['api/Dockerfile:4']);
    expect(check.conclusion).toBe('success');
    expect(check.title).toBe('1 warning');
    expect(check.summary).toContain('Dockhand found 1 warning in the files this pull request changes.');
  });

  test('no findings', () => {
    const check = build({ findings: [] });
    expect(check).toMatchObject({ conclusion: 'success', title: 'No findings', annotations: [] });
    expect(check.summary).toContain('Dockhand found no findings in the repository.');
    expect(check.summary).not.toContain('| Rule |');
  });

  test('an invalid config fails the check with an annotation on the config file', () => {
    const check = build({
      findings: [],
      configError: 'pullRequests.grouping: expected one of major-line|image|all',
    });
    expect(check.conclusion).toBe('failure');
    expect(check.title).toBe('Invalid configuration');
    expect(build({ configError: 'x' }).title).toBe('Invalid configuration; 1 error, 3 warnings, 1 info');
    expect(check.annotations).toEqual([
      {
        path: '.github/dockhand.yml',
        startLine: 1,
        endLine: 1,
        level: 'failure',
        title: 'Invalid Dockhand configuration',
        message: 'pullRequests.grouping: expected one of major-line|image|all',
      },
    ]);
    expect(check.summary).toContain('**The Dockhand configuration is invalid**');
    expect(build({ findings: [], configError: 'x', configPath: '.dockhand.yml' }).annotations[0]!.path).toBe(
      '.dockhand.yml',
    );
  });

  test('file errors are warnings that do not fail the check', () => {
    const check = build({
      findings: [],
      fileErrors: [
        { path: 'compose.yml', message: 'not valid YAML', line: 3 },
        { path: 'k8s/app.yaml', message: 'unreadable' },
      ],
      changedPaths: new Set(['compose.yml', 'k8s/app.yaml']),
    });
    expect(check.conclusion).toBe('success');
    expect(check.annotations).toEqual([
      {
        path: 'compose.yml',
        startLine: 3,
        endLine: 3,
        level: 'warning',
        title: 'File not read',
        message: 'not valid YAML',
      },
      {
        path: 'k8s/app.yaml',
        startLine: 1,
        endLine: 1,
        level: 'warning',
        title: 'File not read',
        message: 'unreadable',
      },
    ]);
    expect(check.summary).toContain('2 file problems (shown as warnings) kept parts of files unread.');
  });

  test('summary: counts by severity and rules by count', () => {
    expect(build({}).summary).toBe(
      [
        'Dockhand found 1 error, 3 warnings, 1 info in the repository.',
        '',
        '| Severity | Findings |',
        '| --- | ---: |',
        '| error | 1 |',
        '| warning | 3 |',
        '| info | 1 |',
        '',
        'Findings of severity `error` or above fail this check (`failureThreshold`).',
        '',
        '| Rule | Severity | Findings |',
        '| --- | --- | ---: |',
        '| DH502 untrusted-registry | warning | 2 |',
        '| DH201 final-stage-root | error | 1 |',
        '| DH605 apt-get-yes | warning | 1 |',
        '| DH801 label-schema | info | 1 |',
      ].join('\n'),
    );
  });

  test('many findings: every annotation kept (the platform pages them), summary within GitHub limits', () => {
    const findings = Array.from({ length: 130 }, (_, i) => finding('warning', 'Dockerfile', i + 1));
    const check = build({ findings });
    expect(check.annotations).toHaveLength(130);
    expect(check.summary.length).toBeLessThanOrEqual(65_535);
  });
});
