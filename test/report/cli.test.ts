import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/evaluate.js';
import { CSV_COLUMNS } from '../../src/report/render/csv.js';
import { runCli } from '../support/cli.js';

const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));

let out: string;
beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), 'dockhand-report-cli-'));
});
afterAll(async () => {
  await rm(out, { recursive: true, force: true });
});

describe('dockhand report', () => {
  it('judges two directories as two repositories (JSON), and exits 1 when a policy fails', async () => {
    const run = await runCli(['report', 'shop', 'tools/', '--format', 'json'], { cwd: FIXTURES });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as Report;
    expect(report.version).toBe(1);
    expect(report.repositories.map((r) => r.repository).sort()).toEqual(['shop', 'tools']);
    const status = (repo: string, policy: string) =>
      report.repositories.find((r) => r.repository === repo)!.policies.find((p) => p.policy === policy)!;

    const root = status('shop', 'non-root-final-stage');
    expect(root.status).toBe('fail');
    expect(root.evidence.map((e) => [e.file, e.line, e.status, e.message])).toEqual([
      ['api/Dockerfile', 6, 'fail', 'explicit root: USER root'],
      ['web/Dockerfile', 7, 'pass', 'USER node'],
    ]);
    expect(status('tools', 'non-root-final-stage').evidence[0]!.message).toMatch(/^implicit root/);
    expect(status('shop', 'no-latest').evidence.filter((e) => e.status === 'fail')).toEqual([
      {
        status: 'fail',
        file: 'docker-compose.yml',
        line: 3,
        image: 'redis',
        message: 'no tag and no digest (means latest)',
        since: null,
      },
    ]);
    expect(status('shop', 'no-eol-base').status).toBe('fail');
    expect(status('tools', 'digests-pinned').status).toBe('fail');
    expect(
      status('shop', 'digests-pinned')
        .evidence.filter((e) => e.status === 'fail')
        .map((e) => e.line),
    ).toEqual([1, 4]);
    // What the CLI cannot know.
    for (const policy of ['prs-acted-on', 'maintenance-rebuilt', 'approved-bases', 'up-to-date-bases'])
      expect(status('tools', policy).status).toBe('no-data');
    expect(status('shop', 'outdated-dependencies')).toMatchObject({
      status: 'no-data',
      figures: { total: 2 },
    });
    expect(report.summary.find((s) => s.policy === 'non-root-final-stage')).toMatchObject({
      pass: 0,
      fail: 2,
      noData: 0,
    });
  });

  it('follows --config: switched-off policies, thresholds, approved bases; exit 0 when nothing fails', async () => {
    const config = join(out, 'reports.yml');
    await writeFile(
      config,
      [
        'reports:',
        '  policies:',
        '    non-root-final-stage: false',
        '    digests-pinned: false',
        '    no-eol-base: false',
        '    no-lint-errors: false',
        '  approvedBases: [alpine]',
        '',
      ].join('\n'),
    );
    const run = await runCli(['report', 'tools', '--format', 'json', '--config', config], { cwd: FIXTURES });
    expect(run.stderr).toBe('');
    const report = JSON.parse(run.stdout) as Report;
    const policies = report.repositories[0]!.policies;
    expect(policies.map((p) => p.policy)).not.toContain('non-root-final-stage');
    expect(policies.find((p) => p.policy === 'approved-bases')!.status).toBe('pass');
    expect(run.code).toBe(0);
  });

  it('writes CSV with both row kinds, and HTML, to --output', async () => {
    const csvFile = join(out, 'report.csv');
    const csv = await runCli(['report', 'shop', 'tools', '--format', 'csv', '--output', csvFile], {
      cwd: FIXTURES,
    });
    expect(csv.code).toBe(1);
    expect(csv.stdout).toBe('');
    const lines = (await readFile(csvFile, 'utf8')).split('\r\n');
    expect(lines[0]).toBe(CSV_COLUMNS.join(','));
    expect(lines.filter((l) => l.startsWith('image,shop,')).length).toBe(5);
    expect(lines).toContain('policy,shop,non-root-final-stage,fail,1 failure of 2,,,,,,,,,,,,,,,,');
    // An image row names the image policies it fails in the policy column.
    expect(lines.find((l) => l.startsWith('image,shop,') && l.includes('redis'))).toMatch(
      /^image,shop,no-latest,fail,,/,
    );

    const htmlFile = join(out, 'report.html');
    const html = await runCli(['report', 'shop', 'tools', '--output', htmlFile], { cwd: FIXTURES });
    expect(html.code).toBe(1);
    const text = await readFile(htmlFile, 'utf8');
    expect(text).toMatch(/^<!doctype html>/);
    expect(text).toContain('explicit root: USER root');
  });

  it('refuses bad usage with exit 2', async () => {
    expect((await runCli(['report'], { cwd: FIXTURES })).code).toBe(2);
    expect((await runCli(['report', 'shop', '--format', 'sarif'], { cwd: FIXTURES })).stderr).toContain(
      '--format: expected one of html, json, csv, got "sarif"',
    );
    const missing = await runCli(['report', 'shop', 'nowhere'], { cwd: FIXTURES });
    expect([missing.code, missing.stderr]).toEqual([2, 'dockhand: nowhere: no such directory\n']);
  });
});
