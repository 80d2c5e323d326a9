// Pipfile.lock regeneration with the real pipenv (Debian's 2022.12) against the tests' own index, given as
// the operator's PyPI mirror and seen through a recording proxy: the lock moves to the bumped version with
// the index's hashes while still naming PyPI, `pipenv verify` agrees, no credential reaches pipenv or the
// index, an sdist's setup.py does not run, and what cannot be done safely comes back as a reason.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { relockFile, type RelockRequest } from '../../src/lockfiles/index.js';
import { regeneratePipenvLock } from '../../src/lockfiles/pipenv.js';
import { startPypiIndex, startSetupPyIndex, type PypiIndex } from '../support/pypi-index.js';
import { startRecordingProxy, type RecordingProxy } from '../support/recording-proxy.js';

const run = promisify(execFile);

let index: PypiIndex;
let proxy: RecordingProxy;
let evil: { server: Server; url: string; marker: string };
const dirs: string[] = [];

const tempDir = async (prefix: string) => {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
};

/** The env of the pipenv the tests run themselves (not the code under test). */
const testPipenvEnv = (home: string) => ({
  PATH: '/usr/bin:/bin',
  HOME: home,
  LANG: 'C.UTF-8',
  WORKON_HOME: join(home, 'venvs'),
  PIPENV_NOSPIN: '1',
  PIPENV_YES: '1',
  PIP_ONLY_BINARY: ':all:',
  PIP_CONFIG_FILE: '/dev/null',
  PIPENV_PYPI_MIRROR: `${proxy.url}simple/`,
  PYTHON_KEYRING_BACKEND: 'keyring.backends.null.Keyring',
});

async function pipenv(dir: string, args: string[]) {
  return run('/usr/bin/pipenv', args, { cwd: dir, env: testPipenvEnv(dir), timeout: 120_000 });
}

beforeAll(async () => {
  const wheels = (versions: string[]) =>
    versions.map((version) => ({ version, requiresPython: '>=3.8', files: [{ kind: 'wheel' as const }] }));
  index = await startPypiIndex({
    projects: [
      { name: 'left-pad', releases: wheels(['1.0.0', '1.2.0']) },
      { name: 'right-pad', releases: wheels(['1.0.0', '1.1.0']) },
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

const pipfile = (packages: Record<string, string>, url = 'https://pypi.org/simple') =>
  [
    '[[source]]',
    `url = ${JSON.stringify(url)}`,
    'verify_ssl = true',
    'name = "pypi"',
    '',
    '[packages]',
    ...Object.entries(packages).map(([name, spec]) => `${name} = ${JSON.stringify(spec)}`),
    '',
    '[dev-packages]',
    '',
    '[requires]',
    'python_version = "3.11"',
    '',
  ].join('\n');

const indexHash = (filename: string) => `sha256:${index.files.find((f) => f.filename === filename)!.sha256}`;

const request = (manifest: string, lockfile: string, extra: Partial<RelockRequest> = {}): RelockRequest => ({
  manifestPath: 'Pipfile',
  lockPath: 'Pipfile.lock',
  manifest,
  lockfile,
  deps: [],
  readFile: () => Promise.resolve(undefined),
  ...extra,
});

describe('Pipfile.lock', () => {
  it('moves to the bumped version with the index’s hashes, still naming PyPI, and pipenv verify agrees', async () => {
    const project = await tempDir('dockhand-pipenv-project-');
    await writeFile(join(project, 'Pipfile'), pipfile({ 'left-pad': '==1.0.0', 'right-pad': '==1.0.0' }));
    await pipenv(project, ['lock']);
    const before = await readFile(join(project, 'Pipfile.lock'), 'utf8');
    expect(JSON.parse(before).default['left-pad'].version).toBe('==1.0.0');

    process.env.GITHUB_TOKEN = 'ghs_fake-token-for-the-test';
    process.env.PRIVATE_KEY = '-----BEGIN FAKE KEY-----';
    const dump = join(await tempDir('dockhand-pipenv-env-'), 'env');
    const shim = join(project, 'pipenv-shim');
    await writeFile(shim, `#!/bin/sh\nenv > ${JSON.stringify(dump)}\nexec /usr/bin/pipenv "$@"\n`);
    await chmod(shim, 0o755);

    proxy.requests.length = 0;
    const bumped = pipfile({ 'left-pad': '==1.2.0', 'right-pad': '==1.0.0' });
    const result = await regeneratePipenvLock({
      manifest: bumped,
      lockfile: before,
      index: `${proxy.url}simple/`,
      pipenv: shim,
    });
    delete process.env.GITHUB_TOKEN;
    delete process.env.PRIVATE_KEY;
    expect(result).toMatchObject({ ok: true });
    if (!result.ok) return;
    const lock = JSON.parse(result.lockfile);
    expect(lock.default['left-pad']).toMatchObject({
      version: '==1.2.0',
      hashes: [indexHash('left_pad-1.2.0-py3-none-any.whl')],
    });
    expect(lock.default['right-pad'].version).toBe('==1.0.0');
    expect(lock._meta.sources).toEqual([{ name: 'pypi', url: 'https://pypi.org/simple', verify_ssl: true }]);
    expect(result.lockfile).not.toContain(proxy.host);

    const check = await tempDir('dockhand-pipenv-check-');
    await writeFile(join(check, 'Pipfile'), bumped);
    await writeFile(join(check, 'Pipfile.lock'), result.lockfile);
    const verified = await pipenv(check, ['verify']);
    expect(verified.stdout + verified.stderr).toMatch(/Pipfile\.lock is up-to-date/);

    expect(proxy.requests.some((r) => r.url.startsWith('/simple/left-pad'))).toBe(true);
    expect(proxy.requests.filter((r) => r.headers.authorization !== undefined)).toEqual([]);
    const env = await readFile(dump, 'utf8');
    expect(env).not.toContain('GITHUB_TOKEN');
    expect(env).not.toContain('PRIVATE_KEY');
    expect(env).not.toContain('ghs_fake');
    expect(env).toMatch(/^HOME=.*dockhand-pipenv-lock-/m);
    expect(env).toContain('PIP_ONLY_BINARY=:all:');
  }, 180_000);

  it('uses wheels only: an sdist’s setup.py does not run, and the reason says why', async () => {
    const result = await relockFile(
      request(pipfile({ evil: '==1.0.0' }), '', {
        registries: { npm: 'http://127.0.0.1:9/', pypi: evil.url },
      }),
    );
    expect(result).toEqual({
      ok: false,
      reason: expect.stringMatching(/no wheel of evil==1\.0\.0 on the index .*setup\.py/),
    });
    expect(existsSync(evil.marker)).toBe(false);
  }, 120_000);

  it('refuses path and VCS entries, its own index under the operator’s, and another lock spec', async () => {
    const local = pipfile({}).replace(
      '[packages]\n',
      '[packages]\nmine = {path = ".", editable = true}\nremote = {git = "https://example.com/r.git"}\n',
    );
    expect(await relockFile(request(local, ''))).toEqual({
      ok: false,
      reason: expect.stringContaining('outside the index (mine (path), remote (git))'),
    });
    const own = pipfile({ 'left-pad': '==1.2.0' }, 'https://private.example/simple');
    expect(
      await relockFile(
        request(own, '', { registries: { npm: 'http://127.0.0.1:9/', pypi: `${proxy.url}simple/` } }),
      ),
    ).toEqual({
      ok: false,
      reason: expect.stringContaining('names its own index (https://private.example/simple)'),
    });
    expect(
      await relockFile(
        request(pipfile({ 'left-pad': '==1.2.0' }), JSON.stringify({ _meta: { 'pipfile-spec': 7 } })),
      ),
    ).toEqual({ ok: false, reason: expect.stringContaining('pipfile-spec 7') });
    expect(proxy.requests).toEqual([]);
  });

  it('uv.lock is not regenerated, and says so plainly', async () => {
    expect(
      await relockFile({
        ...request('[project]\nname = "app"\n', ''),
        manifestPath: 'pyproject.toml',
        lockPath: 'uv.lock',
      }),
    ).toEqual({
      ok: false,
      reason: expect.stringMatching(/^uv is not available .*only pyproject\.toml was updated/),
    });
  });
});
