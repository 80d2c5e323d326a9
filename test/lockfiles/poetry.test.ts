// poetry.lock regeneration with the real Poetry (Debian's python3-poetry) against the tests' own index
// (wheels built here), seen through a recording proxy: the lock moves to the bumped version with the
// index's hashes and `poetry lock --check` agrees, --no-update keeps the rest, no credential reaches
// Poetry or the index, no package code runs, and what cannot be done safely comes back as a reason.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse as parseToml } from 'smol-toml';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { relockFile, type RelockRequest } from '../../src/lockfiles/index.js';
import { regeneratePoetryLock } from '../../src/lockfiles/poetry.js';
import { startPypiIndex, startSetupPyIndex, type PypiIndex } from '../support/pypi-index.js';
import { startRecordingProxy, type RecordingProxy } from '../support/recording-proxy.js';

const run = promisify(execFile);
const POETRY = '/usr/bin/poetry';

let index: PypiIndex;
let proxy: RecordingProxy;
let evil: { server: Server; url: string; marker: string };
const dirs: string[] = [];

const tempDir = async (prefix: string) => {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
};

/** The env of the Poetry the tests run themselves (not the code under test). */
const testPoetryEnv = (home: string) => ({
  PATH: '/usr/bin:/bin',
  HOME: home,
  LANG: 'C.UTF-8',
  POETRY_VIRTUALENVS_CREATE: 'false',
  POETRY_CACHE_DIR: join(home, 'cache'),
  PYTHON_KEYRING_BACKEND: 'keyring.backends.null.Keyring',
});

async function poetry(dir: string, args: string[]) {
  return run(POETRY, [...args, '--no-interaction', '--no-ansi'], {
    cwd: dir,
    env: testPoetryEnv(dir),
    timeout: 120_000,
  });
}

beforeAll(async () => {
  index = await startPypiIndex({
    projects: [
      {
        name: 'left-pad',
        releases: ['1.0.0', '1.2.0'].map((version) => ({
          version,
          requiresPython: '>=3.8',
          files: [{ kind: 'wheel' as const }],
        })),
      },
      {
        name: 'right-pad',
        releases: ['1.0.0', '1.1.0'].map((version) => ({
          version,
          requiresPython: '>=3.8',
          files: [{ kind: 'wheel' as const }],
        })),
      },
    ],
  });
  proxy = await startRecordingProxy(index.origin);
  evil = await startSetupPyIndex(join(await tempDir('dockhand-markers-'), 'evil-ran'));
});

afterAll(async () => {
  await proxy?.close();
  await index?.stop();
  await new Promise((resolve) => evil?.server.close(resolve));
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

beforeEach(() => {
  proxy.requests.length = 0;
});

const simple = () => `${proxy.url}simple/`;

function pyproject(deps: Record<string, string>, sources: { name: string; url: string }[] = []) {
  return [
    '[tool.poetry]',
    'name = "app"',
    'version = "0.1.0"',
    'description = ""',
    'authors = ["A <a@example.com>"]',
    '',
    '[tool.poetry.dependencies]',
    'python = "^3.9"',
    ...Object.entries(deps).map(([name, spec]) => `${name} = ${JSON.stringify(spec)}`),
    '',
    ...sources.flatMap((s) => [
      '[[tool.poetry.source]]',
      `name = ${JSON.stringify(s.name)}`,
      `url = ${JSON.stringify(s.url)}`,
      'default = true',
      '',
    ]),
    '[build-system]',
    'requires = ["poetry-core"]',
    'build-backend = "poetry.core.masonry.api"',
    '',
  ].join('\n');
}

interface LockedPackage {
  name: string;
  version: string;
  files: { file: string; hash: string }[];
  source?: { url: string; reference: string };
}
const packages = (lock: string) => (parseToml(lock) as unknown as { package: LockedPackage[] }).package;
const locked = (lock: string, name: string) => packages(lock).find((p) => p.name === name);
const indexHash = (filename: string) => `sha256:${index.files.find((f) => f.filename === filename)!.sha256}`;

/** Writes the manifest and lock to a new directory and asks the real Poetry whether they agree. */
async function lockCheck(manifest: string, lock: string) {
  const dir = await tempDir('dockhand-poetry-check-');
  await writeFile(join(dir, 'pyproject.toml'), manifest);
  await writeFile(join(dir, 'poetry.lock'), lock);
  return poetry(dir, ['lock', '--check']);
}

const request = (manifest: string, lockfile: string, extra: Partial<RelockRequest> = {}): RelockRequest => ({
  manifestPath: 'pyproject.toml',
  lockPath: 'poetry.lock',
  manifest,
  lockfile,
  deps: [],
  readFile: () => Promise.resolve(undefined),
  ...extra,
});

describe('poetry.lock', () => {
  it('moves to the bumped version with the index’s hashes, keeps the rest, and Poetry agrees', async () => {
    // The lock as a repository has it: written by the real Poetry from the repository's own source.
    const sources = [{ name: 'internal', url: simple() }];
    const project = await tempDir('dockhand-poetry-project-');
    await writeFile(
      join(project, 'pyproject.toml'),
      pyproject({ 'left-pad': '1.0.0', 'right-pad': '1.0.0' }, sources),
    );
    await poetry(project, ['lock']);
    const before = await readFile(join(project, 'poetry.lock'), 'utf8');
    expect(locked(before, 'left-pad')?.version).toBe('1.0.0');

    // Dockhand's secrets in its own environment must not reach Poetry (nor the index).
    process.env.GITHUB_TOKEN = 'ghs_fake-token-for-the-test';
    process.env.PRIVATE_KEY = '-----BEGIN FAKE KEY-----';
    const dump = join(await tempDir('dockhand-poetry-env-'), 'env');
    const python = join(project, 'python-shim');
    await writeFile(python, `#!/bin/sh\nenv > ${JSON.stringify(dump)}\nexec /usr/bin/python3 "$@"\n`);
    await chmod(python, 0o755);

    proxy.requests.length = 0;
    // right-pad's range now allows 1.1.0, but --no-update keeps the locked 1.0.0.
    const bumped = pyproject({ 'left-pad': '1.2.0', 'right-pad': '^1.0' }, sources);
    const result = await regeneratePoetryLock({ manifest: bumped, lockfile: before, python });
    delete process.env.GITHUB_TOKEN;
    delete process.env.PRIVATE_KEY;
    expect(result).toMatchObject({ ok: true });
    if (!result.ok) return;

    expect(locked(result.lockfile, 'left-pad')).toMatchObject({
      version: '1.2.0',
      files: [
        { file: 'left_pad-1.2.0-py3-none-any.whl', hash: indexHash('left_pad-1.2.0-py3-none-any.whl') },
      ],
      source: { reference: 'internal', url: simple().replace(/\/$/, '') },
    });
    expect(locked(result.lockfile, 'right-pad')?.version).toBe('1.0.0');
    expect(result.lockfile).toContain('lock-version = "2.0"');
    const { stdout } = await lockCheck(bumped, result.lockfile);
    expect(stdout).toContain('poetry.lock is consistent with pyproject.toml');

    // The index was asked, without credentials; the child's environment had none of the parent's secrets.
    expect(proxy.requests.some((r) => r.url.startsWith('/simple/left-pad'))).toBe(true);
    expect(proxy.requests.filter((r) => r.headers.authorization !== undefined)).toEqual([]);
    const env = await readFile(dump, 'utf8');
    expect(env).not.toContain('GITHUB_TOKEN');
    expect(env).not.toContain('PRIVATE_KEY');
    expect(env).not.toContain('ghs_fake');
    expect(env).toMatch(/^HOME=.*dockhand-poetry-lock-/m);
    expect(env).toContain('PYTHON_KEYRING_BACKEND=keyring.backends.null.Keyring');
    expect(env).toContain('POETRY_VIRTUALENVS_CREATE=false');
  }, 120_000);

  it('with the operator’s index: PyPI packages are resolved there, and the lock still says PyPI', async () => {
    const old = pyproject({ 'left-pad': '1.0.0' });
    const registries = { npm: 'http://127.0.0.1:9/', pypi: simple() };
    const first = await relockFile(request(old, '', { registries }));
    expect(first).toMatchObject({ ok: true });
    if (!first.ok) return;
    const bumped = pyproject({ 'left-pad': '1.2.0' });
    const result = await relockFile(request(bumped, first.lockfile, { registries }));
    expect(result).toMatchObject({ ok: true });
    if (!result.ok) return;
    expect(locked(result.lockfile, 'left-pad')).toEqual(
      expect.objectContaining({
        version: '1.2.0',
        files: [
          { file: 'left_pad-1.2.0-py3-none-any.whl', hash: indexHash('left_pad-1.2.0-py3-none-any.whl') },
        ],
      }),
    );
    // No source table, no trace of the operator's index: the lock is the one PyPI would give.
    expect(locked(result.lockfile, 'left-pad')?.source).toBeUndefined();
    expect(result.lockfile).not.toContain(proxy.host);
    expect((await lockCheck(bumped, result.lockfile)).stdout).toContain('is consistent');
    expect(proxy.requests.some((r) => r.url.startsWith('/simple/left-pad'))).toBe(true);
  }, 120_000);

  it('with the operator’s index: the repository’s own source is not contacted, and the lock keeps naming it', async () => {
    const sources = [{ name: 'private', url: 'http://127.0.0.1:9/private/simple/' }];
    const registries = { npm: 'http://127.0.0.1:9/', pypi: simple() };
    const result = await relockFile(request(pyproject({ 'left-pad': '1.2.0' }, sources), '', { registries }));
    expect(result).toMatchObject({ ok: true });
    if (!result.ok) return;
    expect(locked(result.lockfile, 'left-pad')?.source).toEqual({
      type: 'legacy',
      url: 'http://127.0.0.1:9/private/simple',
      reference: 'private',
    });
    expect(result.lockfile).not.toContain(proxy.host);
    expect((await lockCheck(pyproject({ 'left-pad': '1.2.0' }, sources), result.lockfile)).stdout).toContain(
      'is consistent',
    );
  }, 120_000);

  it('refuses a lock newer than this Poetry writes, and one it would rewrite in a newer format', async () => {
    const manifest = pyproject({ 'left-pad': '1.2.0' }, [{ name: 'internal', url: simple() }]);
    const lock = (version: string) =>
      `# This file is automatically @generated by Poetry 2.1.0 and should not be changed by hand.\n\n[metadata]\nlock-version = "${version}"\npython-versions = "^3.9"\ncontent-hash = "0"\n`;
    const newer = await regeneratePoetryLock({ manifest, lockfile: lock('2.1') });
    expect(newer).toEqual({
      ok: false,
      reason: expect.stringMatching(
        /lock-version 2\.1, newer than the 2\.0 Poetry 1\.3\.2 writes.*not updated/,
      ),
    });
    const older = await regeneratePoetryLock({ manifest, lockfile: lock('1.1') });
    expect(older).toEqual({
      ok: false,
      reason: expect.stringMatching(/lock-version 1\.1; Poetry 1\.3\.2 would rewrite it as 2\.0/),
    });
    expect(proxy.requests).toEqual([]);
  }, 60_000);

  it('refuses to build an sdist for its metadata: its setup.py does not run', async () => {
    const manifest = pyproject({ evil: '1.0.0' }, [{ name: 'evil', url: evil.url }]);
    const result = await regeneratePoetryLock({ manifest, lockfile: '' });
    expect(result).toEqual({
      ok: false,
      reason: expect.stringMatching(
        /^reading the metadata of evil-1\.0\.0 needs building its source distribution/,
      ),
    });
    expect(existsSync(evil.marker)).toBe(false);
  }, 60_000);

  it('refuses path, git and URL dependencies, and a Poetry 2 [project] table', async () => {
    const withPath = pyproject({}).replace(
      'python = "^3.9"',
      'python = "^3.9"\nlocal-lib = { path = "/usr/lib/python3/dist-packages/poetry" }\nremote = { git = "https://example.com/r.git" }',
    );
    expect(await relockFile(request(withPath, ''))).toEqual({
      ok: false,
      reason: expect.stringContaining('outside the index (local-lib (path), remote (git))'),
    });
    const scanned = await relockFile(
      request(pyproject({ 'left-pad': '1.2.0' }), '', {
        deps: [{ depName: 'vendored', skipReason: 'local' } as RelockRequest['deps'][number]],
      }),
    );
    expect(scanned).toEqual({ ok: false, reason: expect.stringContaining('vendored is a local dependency') });
    const pep621 = `[project]\nname = "app"\ndependencies = ["left-pad==1.2.0"]\n\n${pyproject({})}`;
    expect(await relockFile(request(pep621, ''))).toEqual({
      ok: false,
      reason: expect.stringContaining('[project] (Poetry 2)'),
    });
  });
});
