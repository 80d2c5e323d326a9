import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';

const BIN = fileURLToPath(new URL('../../bin/dockhand.js', import.meta.url));
const CORPUS = fileURLToPath(new URL('../../../shared/corpus/', import.meta.url));

let dir: string;

async function put(files: Record<string, string>): Promise<void> {
  for (const [path, content] of Object.entries(files)) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), content);
  }
}

/** Runs main() in-process with captured output. */
async function cli(argv: string[], options: { isTTY?: boolean; env?: Record<string, string> } = {}) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    cwd: dir,
    isTTY: options.isTTY ?? false,
    env: options.env ?? {},
  });
  return { code, stdout, stderr };
}

/** Runs the real executable, as a user would. */
function spawnCli(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { cwd, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
      },
    );
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dockhand-cli-'));
  await put({
    'app/Dockerfile': 'FROM node:20\nRUN npm ci\n',
    'docker-compose.yml': 'services:\n  db:\n    image: postgres:16\n',
    'clean/Dockerfile': 'FROM scratch\nCOPY app /app\n',
  });
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('dockhand (in-process)', () => {
  it('prints help and version', async () => {
    expect(await cli(['--help'])).toMatchObject({
      code: 0,
      stdout: expect.stringContaining('Usage: dockhand scan'),
    });
    expect((await cli(['--version'])).stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  it.each([
    [[], 'missing command'],
    [['lint'], 'unknown command "lint"'],
    [['scan', '--fromat', 'json'], "Unknown option '--fromat'"],
    [['scan', '--format', 'xml'], '--format: expected one of text, json, sarif, got "xml"'],
    [['scan', 'a', 'b'], 'unexpected argument "b"'],
  ])('%j is a usage error (exit 2)', async (argv, message) => {
    const { code, stderr, stdout } = await cli(argv);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(message);
    expect(stderr).toContain('Usage: dockhand scan');
  });

  it('exits 2 naming a missing directory', async () => {
    expect(await cli(['scan', 'nowhere'])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'dockhand: nowhere: no such directory\n',
    });
  });

  it('exits 2 on an invalid config, naming file, field and expectation', async () => {
    await put({ 'bad/.github/dockhand.yml': 'failureThreshold: fatal\n' });
    const { code, stderr } = await cli(['scan', 'bad']);
    expect(code).toBe(2);
    expect(stderr).toContain(
      '.github/dockhand.yml: failureThreshold: expected one of error, warning, info, none, got "fatal"',
    );
    const missing = await cli(['scan', '--config', 'missing.yml']);
    expect(missing).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('missing.yml: config file not found'),
    });
  });

  it('exits 1 when a finding reaches failureThreshold and 0 when none does', async () => {
    await put({ 'info.yml': 'failureThreshold: info\n', 'never.yml': 'failureThreshold: none\n' });
    const strict = await cli(['scan', 'app', '--config', 'info.yml', '--format', 'json']);
    expect(JSON.parse(strict.stdout).findings.length).toBeGreaterThan(0);
    expect(strict.code).toBe(1);
    expect((await cli(['scan', 'app', '--config', 'never.yml'])).code).toBe(0);
  });

  it('writes --output without colours and still sets the exit code', async () => {
    await put({ 'info.yml': 'failureThreshold: info\n' });
    const { code, stdout } = await cli(['scan', 'app', '--config', 'info.yml', '--output', 'report.txt'], {
      isTTY: true,
      env: { FORCE_COLOR: '1' },
    });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    const report = await readFile(join(dir, 'report.txt'), 'utf8');
    expect(report).toContain('Dockerfile\n');
    expect(report).not.toContain('\u001b[');
  });

  it('colours text on a TTY unless NO_COLOR, and when FORCE_COLOR', async () => {
    const has = async (isTTY: boolean, env: Record<string, string>) =>
      (await cli(['scan', 'app'], { isTTY, env })).stdout.includes('\u001b[');
    expect(await has(true, {})).toBe(true);
    expect(await has(true, { NO_COLOR: '1' })).toBe(false);
    expect(await has(false, {})).toBe(false);
    expect(await has(false, { FORCE_COLOR: '1' })).toBe(true);
    expect(await has(true, { FORCE_COLOR: '0' })).toBe(false);
  });

  it('reports paths relative to DIR in every format', async () => {
    const json = JSON.parse((await cli(['scan', '.', '--format', 'json'])).stdout);
    expect(json.files.map((file: { path: string }) => file.path)).toEqual([
      'app/Dockerfile',
      'clean/Dockerfile',
      'docker-compose.yml',
    ]);
    const sarif = JSON.parse((await cli(['scan', '--format', 'sarif'])).stdout);
    for (const result of sarif.runs[0].results) {
      expect(result.locations[0].physicalLocation.artifactLocation.uri).toMatch(/^(app|clean)\/Dockerfile$/);
    }
  });
});

describe('dockhand (real process)', () => {
  it('scans a directory and prints text with a summary', async () => {
    const { code, stdout, stderr } = await spawnCli(['scan', '.'], dir);
    expect(stderr).toBe('');
    expect([0, 1]).toContain(code);
    expect(stdout).toMatch(
      /(^|\n)3 files, 2 images, \d+ findings? \(\d+ errors?, \d+ warnings?, \d+ info\)\n$/,
    );
  });

  it('exits 2 on a bad flag', async () => {
    const { code, stderr } = await spawnCli(['scan', '--nope'], dir);
    expect(code).toBe(2);
    expect(stderr).toContain("Unknown option '--nope'");
  });

  it('scans the whole corpus to JSON, SARIF and text without crashing', async () => {
    const json = await spawnCli(['scan', CORPUS, '--format', 'json'], dir);
    expect(json.stderr).toBe('');
    expect([0, 1]).toContain(json.code);
    const report = JSON.parse(json.stdout);
    expect(new Set(report.files.map((file: { manager: string }) => file.manager))).toEqual(
      new Set(['dockerfile', 'compose', 'kubernetes', 'helm-values', 'github-actions']),
    );
    expect(report.findings.some((finding: { rule: string }) => finding.rule === 'DH000')).toBe(true);
    const sarif = await spawnCli(
      ['scan', CORPUS, '--format', 'sarif', '--output', join(dir, 'corpus.sarif')],
      dir,
    );
    expect(sarif.code).toBe(json.code);
    expect(JSON.parse(await readFile(join(dir, 'corpus.sarif'), 'utf8')).runs[0].results).toHaveLength(
      report.findings.length,
    );
    const text = await spawnCli(['scan', CORPUS], dir);
    expect(text.code).toBe(json.code);
    expect(text.stdout).toContain(`${report.files.length} files`);
  });
});
