// Lock file maintenance for poetry.lock and Pipfile.lock with the real Poetry and pipenv against the tests'
// own indexes: a lock made from an index whose newest in-range releases were left-pad 1.0.0 and
// right-pad 1.0.0, then refreshed from one that also has left-pad 1.2.0, right-pad 1.1.0 and an
// out-of-range left-pad 2.0.0 (the same wheel bytes on both). Poetry's plain relock (--no-update) keeps
// the old versions; a refresh moves them, with the index's hashes, and the tool's own check agrees with
// the manifest as it was. The moved-packages table reads the moves.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse as parseToml } from 'smol-toml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { relockFile, type RelockRequest } from '../../src/lockfiles/index.js';
import { lockedPackagesFor, movedPackages } from '../../src/lockfiles/locked-packages.js';
import { pipDownload, startPypiIndex, type PypiIndex } from '../support/pypi-index.js';

const run = promisify(execFile);

let oldIndex: PypiIndex;
let newIndex: PypiIndex;
const dirs: string[] = [];

const tempDir = async (prefix: string) => {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
};

const wheels = (versions: string[]) =>
  versions.map((version) => ({ version, requiresPython: '>=3.8', files: [{ kind: 'wheel' as const }] }));

beforeAll(async () => {
  oldIndex = await startPypiIndex({
    projects: [
      { name: 'left-pad', releases: wheels(['1.0.0']) },
      { name: 'right-pad', releases: wheels(['1.0.0']) },
    ],
  });
  newIndex = await startPypiIndex({
    projects: [
      { name: 'left-pad', releases: wheels(['1.0.0', '1.2.0', '2.0.0']) },
      { name: 'right-pad', releases: wheels(['1.0.0', '1.1.0']) },
    ],
  });
});

afterAll(async () => {
  await Promise.all([oldIndex?.stop(), newIndex?.stop()]);
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

const request = (
  lockPath: string,
  manifestPath: string,
  manifest: string,
  lockfile: string,
  index: PypiIndex,
  refresh = false,
): RelockRequest => ({
  manifestPath,
  lockPath,
  manifest,
  lockfile,
  deps: [],
  readFile: () => Promise.resolve(undefined),
  registries: { npm: 'https://registry.npmjs.org/', pypi: index.simpleUrl },
  ...(refresh && { refresh: true }),
});

async function relocked(req: RelockRequest): Promise<string> {
  const result = await relockFile(req);
  if (!result.ok) throw new Error(result.reason);
  return result.lockfile;
}

const newHash = (filename: string) => newIndex.files.find((f) => f.filename === filename)!.sha256;

const MOVED = [
  { name: 'left-pad', from: '1.0.0', to: '1.2.0', path: 'left-pad' },
  { name: 'right-pad', from: '1.0.0', to: '1.1.0', path: 'right-pad' },
];

describe('poetry.lock lock file maintenance', () => {
  const PYPROJECT = [
    '[tool.poetry]',
    'name = "app"',
    'version = "0.1.0"',
    'description = ""',
    'authors = ["A <a@example.com>"]',
    '',
    '[tool.poetry.dependencies]',
    'python = "^3.9"',
    'left-pad = "^1.0"',
    'right-pad = "^1.0"',
    '',
    '[build-system]',
    'requires = ["poetry-core"]',
    'build-backend = "poetry.core.masonry.api"',
    '',
  ].join('\n');
  interface Locked {
    name: string;
    version: string;
    files: { file: string; hash: string }[];
  }
  const locked = (lock: string, name: string) =>
    (parseToml(lock) as unknown as { package: Locked[] }).package.find((p) => p.name === name);

  it('a plain relock keeps the locked versions; a refresh moves them within range and poetry lock --check agrees', async () => {
    const old = await relocked(request('poetry.lock', 'pyproject.toml', PYPROJECT, '', oldIndex));
    expect(locked(old, 'left-pad')?.version).toBe('1.0.0');
    const kept = await relocked(request('poetry.lock', 'pyproject.toml', PYPROJECT, old, newIndex));
    expect(locked(kept, 'left-pad')?.version).toBe('1.0.0');
    expect(locked(kept, 'right-pad')?.version).toBe('1.0.0');

    const lock = await relocked(request('poetry.lock', 'pyproject.toml', PYPROJECT, old, newIndex, true));
    expect(locked(lock, 'left-pad')).toMatchObject({
      version: '1.2.0',
      files: [
        {
          file: 'left_pad-1.2.0-py3-none-any.whl',
          hash: `sha256:${newHash('left_pad-1.2.0-py3-none-any.whl')}`,
        },
      ],
    });
    expect(locked(lock, 'right-pad')?.version).toBe('1.1.0');
    expect(lock).toContain('lock-version = "2.0"');
    expect(
      movedPackages(lockedPackagesFor('poetry.lock', old)!, lockedPackagesFor('poetry.lock', lock)!),
    ).toEqual(MOVED);

    const dir = await tempDir('dockhand-poetry-refresh-');
    await writeFile(join(dir, 'pyproject.toml'), PYPROJECT);
    await writeFile(join(dir, 'poetry.lock'), lock);
    const checked = await run('/usr/bin/poetry', ['lock', '--check', '--no-interaction', '--no-ansi'], {
      cwd: dir,
      env: {
        PATH: '/usr/bin:/bin',
        HOME: dir,
        LANG: 'C.UTF-8',
        POETRY_VIRTUALENVS_CREATE: 'false',
        POETRY_CACHE_DIR: join(dir, 'cache'),
        PYTHON_KEYRING_BACKEND: 'keyring.backends.null.Keyring',
      },
      timeout: 120_000,
    });
    expect(checked.stdout).toMatch(/consistent/);
  }, 300_000);
});

describe('Pipfile.lock lock file maintenance', () => {
  const PIPFILE = [
    '[[source]]',
    'url = "https://pypi.org/simple"',
    'verify_ssl = true',
    'name = "pypi"',
    '',
    '[packages]',
    'left-pad = "~=1.0"',
    'right-pad = "*"',
    '',
    '[dev-packages]',
    '',
    '[requires]',
    'python_version = "3.11"',
    '',
  ].join('\n');
  type Lock = { default: Record<string, { version: string; hashes: string[] }> };

  it('moves every package within range, with the index’s hashes, which pip installs and pipenv verify agrees with', async () => {
    const old = await relocked(request('Pipfile.lock', 'Pipfile', PIPFILE, '', oldIndex));
    expect((JSON.parse(old) as Lock).default['left-pad']?.version).toBe('==1.0.0');

    const lock = await relocked(request('Pipfile.lock', 'Pipfile', PIPFILE, old, newIndex, true));
    const parsed = JSON.parse(lock) as Lock;
    expect(parsed.default['left-pad']).toEqual({
      version: '==1.2.0',
      hashes: [`sha256:${newHash('left_pad-1.2.0-py3-none-any.whl')}`],
      index: 'pypi',
    });
    expect(parsed.default['right-pad']?.version).toBe('==1.1.0');
    expect(
      movedPackages(lockedPackagesFor('Pipfile.lock', old)!, lockedPackagesFor('Pipfile.lock', lock)!),
    ).toEqual(MOVED);

    const dir = await tempDir('dockhand-pipenv-refresh-');
    await writeFile(join(dir, 'Pipfile'), PIPFILE);
    await writeFile(join(dir, 'Pipfile.lock'), lock);
    const verified = await run('/usr/bin/pipenv', ['verify'], {
      cwd: dir,
      env: { PATH: '/usr/bin:/bin', HOME: dir, LANG: 'C.UTF-8', PIPENV_NOSPIN: '1' },
      timeout: 120_000,
    });
    expect(verified.stdout + verified.stderr).toMatch(/up-to-date/);
    // The locked versions and hashes are what the index serves: pip downloads them with --require-hashes.
    const requirements = join(dir, 'requirements.txt');
    await writeFile(
      requirements,
      Object.entries(parsed.default)
        .map(([name, entry]) => `${name}${entry.version} ${entry.hashes.map((h) => `--hash=${h}`).join(' ')}`)
        .join('\n'),
    );
    await pipDownload(newIndex.simpleUrl, ['--require-hashes', '-r', requirements], join(dir, 'wheels'));
  }, 300_000);
});
