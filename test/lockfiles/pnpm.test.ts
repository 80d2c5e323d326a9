// pnpm lockfile regeneration against a real registry (verdaccio, filled with `npm publish`), seen
// through a recording proxy: the new lock stays v9 and installs with `pnpm install --frozen-lockfile`, no
// tarball is fetched while locking, no script runs, no credential reaches the registry, refusals come
// back as reasons.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import type { Dependency } from '../../src/core/types.js';
import { relockFile, type RelockRequest } from '../../src/lockfiles/index.js';
import { regeneratePnpmLockfile } from '../../src/lockfiles/pnpm.js';
import { toolEntry } from '../../src/lockfiles/yarn-common.js';
import { lockfileSuite, LIFECYCLE } from '../support/lockfile-suite.js';

const run = promisify(execFile);
const PNPM = toolEntry('pnpm', 'bin/pnpm.cjs')!;
const FIXTURES = new URL('../fixtures/lockfiles/', import.meta.url);

const suite = lockfileSuite(({ scripts }) => [
  { name: 'pad-helper', version: '1.0.0' },
  { name: 'left-pad', version: '1.1.0' },
  { name: 'left-pad', version: '1.3.0', fields: { dependencies: { 'pad-helper': '^1.0.0' } } },
  { name: 'scripted', version: '1.0.0', fields: { scripts: scripts('dep', LIFECYCLE) } },
]);
const { tempDir, scripts } = suite;

// The manifest allows `scripted` to build, as a pnpm 10 project must: only the relocker's flags stop it.
const manifest = (dependencies: Record<string, string>, extra: object = {}) =>
  `${JSON.stringify(
    { name: 'app', version: '1.0.0', dependencies, pnpm: { onlyBuiltDependencies: ['scripted'] }, ...extra },
    null,
    2,
  )}\n`;

const request = (
  text: string,
  lockfile: string,
  overrides: Partial<RelockRequest> = {},
  files: Record<string, string> = {},
): RelockRequest => ({
  manifestPath: 'package.json',
  lockPath: 'pnpm-lock.yaml',
  manifest: text,
  lockfile,
  deps: [],
  readFile: async (path) => files[path],
  registries: { npm: suite.proxy.url, pypi: 'https://pypi.org/simple' },
  ...overrides,
});

const tarballs = () => suite.proxy.requests.filter((r) => r.url.endsWith('.tgz'));

/** The real pnpm, run by the test itself (not the code under test), with a clean environment. */
async function pnpm(dir: string, args: string[]) {
  await writeFile(join(dir, '.npmrc'), `registry=${suite.proxy.url}\n`);
  return run(
    process.execPath,
    [PNPM, ...args, '--store-dir', join(dir, '.store'), '--cache-dir', join(dir, '.cache')],
    {
      cwd: dir,
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: dir,
        XDG_CONFIG_HOME: join(dir, '.config'),
        npm_config_manage_package_manager_versions: 'false',
      },
      timeout: 120_000,
    },
  );
}

/** Installs `text` + `lock` frozen with scripts off: the lock is complete and consistent. */
async function frozenInstall(text: string, lock: string): Promise<string> {
  const project = await tempDir('dockhand-pnpm-frozen-');
  await writeFile(join(project, 'package.json'), text);
  await writeFile(join(project, 'pnpm-lock.yaml'), lock);
  await pnpm(project, ['install', '--frozen-lockfile', '--ignore-scripts']);
  return project;
}

describe('pnpm relocker', () => {
  it('moves the lock to the bumped version without fetching a tarball, and pnpm install --frozen-lockfile installs it', async () => {
    const old = await relockFile(request(manifest({ 'left-pad': '1.1.0' }), ''));
    expect(old).toMatchObject({ ok: true });
    if (!old.ok) return;
    expect(parseYaml(old.lockfile).importers['.'].dependencies['left-pad'].version).toBe('1.1.0');

    suite.proxy.requests.length = 0;
    const bumped = manifest({ 'left-pad': '1.3.0' });
    const result = await relockFile(request(bumped, old.lockfile));
    expect(result).toMatchObject({ ok: true });
    if (!result.ok) return;
    const lock = parseYaml(result.lockfile);
    expect(lock.lockfileVersion).toBe('9.0');
    expect(lock.importers['.'].dependencies['left-pad']).toEqual({ specifier: '1.3.0', version: '1.3.0' });
    expect(lock.packages['left-pad@1.3.0'].resolution.integrity).toMatch(/^sha512-/);
    expect(lock.snapshots['left-pad@1.3.0'].dependencies).toEqual({ 'pad-helper': '1.0.0' });
    expect(result.lockfile).not.toContain('1.1.0');
    expect(suite.proxy.requests.some((r) => r.url.includes('left-pad'))).toBe(true);
    expect(tarballs()).toEqual([]);

    const project = await frozenInstall(bumped, result.lockfile);
    const installed = JSON.parse(await readFile(join(project, 'node_modules/left-pad/package.json'), 'utf8'));
    expect(installed.version).toBe('1.3.0');
    expect(await readFile(join(project, 'pnpm-lock.yaml'), 'utf8')).toBe(result.lockfile);
  }, 180_000);

  it("keeps the lock's settings (autoInstallPeers: false stays false)", async () => {
    const old = await relockFile(request(manifest({ 'left-pad': '1.1.0' }), ''));
    if (!old.ok) throw new Error(old.reason);
    const lockfile = old.lockfile.replace('autoInstallPeers: true', 'autoInstallPeers: false');
    const result = await relockFile(request(manifest({ 'left-pad': '1.3.0' }), lockfile));
    expect(result).toMatchObject({ ok: true });
    if (result.ok) expect(parseYaml(result.lockfile).settings.autoInstallPeers).toBe(false);
  }, 120_000);

  it("runs no script: neither the packages' nor the repository's own", async () => {
    const own = scripts('own', [...LIFECYCLE, 'prepublish', 'preprepare', 'pnpm:devPreinstall']);
    const text = manifest({ scripted: '1.0.0' }, { scripts: own });
    const result = await relockFile(request(text, ''));
    expect(result).toMatchObject({ ok: true });
    if (!result.ok) return;
    expect(parseYaml(result.lockfile).packages['scripted@1.0.0']).toBeDefined();
    expect(await readdir(suite.markers)).toEqual([]);
    const project = await frozenInstall(text, result.lockfile);
    expect(existsSync(join(project, 'node_modules/scripted/package.json'))).toBe(true);
    expect(await readdir(suite.markers)).toEqual([]);
  }, 180_000);

  it('control: the scripts do write their markers when pnpm is allowed to run them', async () => {
    const project = await tempDir('dockhand-pnpm-control-');
    await writeFile(
      join(project, 'package.json'),
      manifest({ scripted: '1.0.0' }, { scripts: scripts('own', ['postinstall']) }),
    );
    expect(await suite.scriptsRan(() => pnpm(project, ['install']))).toEqual(
      expect.arrayContaining(['dep-postinstall', 'own-postinstall']),
    );
  }, 180_000);

  it("sends no credential: not the repository's .npmrc, not the process environment", async () => {
    const secrets = {
      NPM_TOKEN: 'stolen-env',
      npm_config__authToken: 'stolen-env',
      [`npm_config_//${suite.proxy.host}/:_authToken`]: 'stolen-env',
      PNPM_HOME: '/stolen-env',
      GITHUB_TOKEN: 'ghs_stolen',
    };
    const saved = Object.fromEntries(Object.keys(secrets).map((key) => [key, process.env[key]]));
    Object.assign(process.env, secrets);
    try {
      const result = await relockFile(
        request(
          manifest({ 'left-pad': '1.3.0' }),
          '',
          { registries: undefined },
          {
            '.npmrc': `registry=${suite.proxy.url}\n//${suite.proxy.host}/:_authToken=stolen\n_auth=c3RvbGVuOnN0b2xlbg==\n`,
          },
        ),
      );
      expect(result).toMatchObject({ ok: true });
    } finally {
      for (const [key, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
    expect(suite.proxy.requests.length).toBeGreaterThan(0);
    expect(suite.proxy.requests.filter((r) => r.headers.authorization !== undefined)).toEqual([]);
    expect(JSON.stringify(suite.proxy.requests)).not.toMatch(/stolen|c3RvbGVu/);
  }, 120_000);

  it('gives pnpm only the sandbox: its files, its arguments and an environment without secrets', async () => {
    const fake = join(await tempDir('dockhand-fake-pnpm-'), 'pnpm.cjs');
    await writeFile(
      fake,
      `const fs = require('node:fs');
       fs.writeFileSync('pnpm-lock.yaml', JSON.stringify({ lockfileVersion: '9.0',
         env: process.env, argv: process.argv.slice(2), files: fs.readdirSync('.').sort(),
         npmrc: fs.readFileSync('.npmrc', 'utf8'),
       }));`,
    );
    process.env.GITHUB_TOKEN = 'ghs_secret';
    try {
      const result = await regeneratePnpmLockfile({
        manifest: manifest({ 'left-pad': '1.3.0' }),
        lockfile: '',
        npmrc: `registry=${suite.proxy.url}\n//${suite.proxy.host}/:_authToken=stolen\n@acme:registry=https://npm.acme.test/\nauto-install-peers=false\n`,
        cli: fake,
      });
      expect(result.ok).toBe(true);
      if (!result.ok) return;
      const seen = JSON.parse(result.lockfile);
      expect(seen.files).toEqual(['.npmrc', 'package.json', 'pnpm-lock.yaml']);
      expect(seen.npmrc).toBe(`registry=${suite.proxy.url}\n@acme:registry=https://npm.acme.test/\n`);
      expect(seen.argv).toEqual(
        expect.arrayContaining(['install', '--lockfile-only', '--ignore-scripts', '--ignore-pnpmfile']),
      );
      const keys = Object.keys(seen.env).filter((key) => !/^(npm_config_|XDG_)/.test(key));
      expect(keys.sort()).toEqual(['CI', 'HOME', 'NO_UPDATE_NOTIFIER', 'PATH']);
      expect(JSON.stringify(seen)).not.toMatch(/secret|stolen/);
    } finally {
      delete process.env.GITHUB_TOKEN;
    }
  }, 60_000);

  it('refuses what it cannot do safely, with a reason, before running pnpm', async () => {
    const v6 = await readFile(new URL('pnpm-v6/pnpm-lock.yaml', FIXTURES), 'utf8');
    const oldFormat = await relockFile(request(manifest({ 'left-pad': '1.3.0' }), v6));
    expect(oldFormat).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/lockfileVersion 6\.0.*not updated rather than have its format changed/),
    });
    const workspaces = await relockFile(request(manifest({}, { workspaces: ['packages/*'] }), ''));
    expect(workspaces).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/workspaces are not supported/),
    });
    const workspaceYaml = await relockFile(
      request(manifest({}), '', {}, { 'pnpm-workspace.yaml': "packages:\n  - 'packages/*'\n" }),
    );
    expect(workspaceYaml).toMatchObject({ ok: false, reason: expect.stringMatching(/pnpm-workspace\.yaml/) });
    const importers = await relockFile(
      request(manifest({}), "lockfileVersion: '9.0'\nimporters:\n  .: {}\n  packages/a: {}\n"),
    );
    expect(importers).toMatchObject({ ok: false, reason: expect.stringMatching(/importers packages\/a/) });
    const git = await relockFile({
      ...request(manifest({ tool: 'github:acme/tool' }), ''),
      deps: [{ depName: 'tool', skipReason: 'git' } as Dependency],
    });
    expect(git).toMatchObject({ ok: false, reason: 'not regenerated because tool is a git dependency' });
    const local = await relockFile(request(manifest({ x: 'link:../x' }), ''));
    expect(local).toMatchObject({ ok: false, reason: expect.stringMatching(/^local path dependencies/) });
    expect(suite.proxy.requests).toEqual([]);
  });

  it('reports a package that does not exist with the end of pnpm’s error, without throwing', async () => {
    const result = await relockFile(request(manifest({ 'no-such-package': '^1.0.0' }), ''));
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.reason).toMatch(/^pnpm install --lockfile-only failed \(exit code 1\):/);
      expect(result.reason).toMatch(/no-such-package/);
      expect(result.reason).not.toMatch(/dockhand-pnpm-lock-/);
    }
  }, 60_000);
});
