// npm lockfile regeneration against a real registry (verdaccio, filled with `npm publish`), seen through
// a recording proxy: the new lock installs with `npm ci`, no tarball is fetched while locking, no
// script runs, no credential is sent, and failures come back as reasons rather than exceptions.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { regenerateNpmLockfile, type NpmLockInput } from '../../src/lockfiles/npm.js';
import { lockfileSuite } from '../support/lockfile-suite.js';

const suite = lockfileSuite(({ scripts }) => [
  { name: 'pad-helper', version: '1.0.0' },
  { name: 'left-pad', version: '1.1.0' },
  { name: 'left-pad', version: '1.3.0', fields: { dependencies: { 'pad-helper': '^1.0.0' } } },
  {
    name: 'scripted',
    version: '1.0.0',
    fields: { scripts: scripts('dep', ['preinstall', 'install', 'postinstall', 'prepare']) },
  },
  { name: 'peer-b', version: '1.0.0' },
  { name: 'peer-b', version: '2.0.0' },
  { name: 'peer-host', version: '1.0.0', fields: { peerDependencies: { 'peer-b': '^2.0.0' } } },
]);
const { tempDir, scripts, npm } = suite;

const EMPTY_LOCK = JSON.stringify({
  name: 'app',
  version: '1.0.0',
  lockfileVersion: 3,
  requires: true,
  packages: {},
});

const manifest = (dependencies: Record<string, string>, extra: object = {}) =>
  `${JSON.stringify({ name: 'app', version: '1.0.0', dependencies, ...extra }, null, 2)}\n`;

async function regenerate(input: Partial<NpmLockInput> & Pick<NpmLockInput, 'manifest'>) {
  return regenerateNpmLockfile({
    lockfile: EMPTY_LOCK,
    lockName: 'package-lock.json',
    registry: suite.proxy.url,
    ...input,
  });
}

const tarballs = () => suite.proxy.requests.filter((r) => r.url.endsWith('.tgz'));

/** Sandbox directories left in `root`, and processes whose command line mentions it. */
function leftovers(root: string): { dirs: string[]; processes: string[] } {
  const processes: string[] = [];
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (cmdline.includes(root)) processes.push(`${pid}: ${cmdline}`);
    } catch {
      // gone meanwhile
    }
  }
  return { dirs: readdirSync(root), processes };
}

describe('regenerateNpmLockfile', () => {
  it('moves the lock to the bumped version without fetching a tarball, and npm ci installs it', async () => {
    const old = await regenerate({ manifest: manifest({ 'left-pad': '1.1.0' }) });
    expect(old.ok).toBe(true);
    if (!old.ok) return;
    expect(JSON.parse(old.lockfile).packages['node_modules/left-pad'].version).toBe('1.1.0');

    suite.proxy.requests.length = 0;
    const bumped = manifest({ 'left-pad': '1.3.0' });
    const result = await regenerate({ manifest: bumped, lockfile: old.lockfile });
    expect(result).toMatchObject({ ok: true });
    if (!result.ok) return;
    const lock = JSON.parse(result.lockfile);
    expect(lock.packages['node_modules/left-pad'].version).toBe('1.3.0');
    expect(lock.packages['node_modules/left-pad'].integrity).toMatch(/^sha512-/);
    expect(lock.packages['node_modules/pad-helper'].version).toBe('1.0.0');
    expect(lock.packages[''].dependencies).toEqual({ 'left-pad': '1.3.0' });
    // Metadata went through the proxy, tarballs did not.
    expect(suite.proxy.requests.some((r) => r.url.includes('left-pad'))).toBe(true);
    expect(tarballs()).toEqual([]);

    // The new files install: a real `npm ci`, which does fetch the tarballs (so the proxy would see them).
    const project = await tempDir('dockhand-ci-');
    await writeFile(join(project, 'package.json'), bumped);
    await writeFile(join(project, 'package-lock.json'), result.lockfile);
    await npm(project, ['ci', '--ignore-scripts']);
    const installed = JSON.parse(await readFile(join(project, 'node_modules/left-pad/package.json'), 'utf8'));
    expect(installed.version).toBe('1.3.0');
    expect(existsSync(join(project, 'node_modules/pad-helper/package.json'))).toBe(true);
    expect(tarballs().length).toBeGreaterThan(0);
  }, 120_000);

  it('updates npm-shrinkwrap.json when that is the lock', async () => {
    const old = await regenerate({
      manifest: manifest({ 'left-pad': '1.1.0' }),
      lockName: 'npm-shrinkwrap.json',
    });
    expect(old.ok).toBe(true);
    if (!old.ok) return;
    const result = await regenerate({
      manifest: manifest({ 'left-pad': '^1.3.0' }),
      lockfile: old.lockfile,
      lockName: 'npm-shrinkwrap.json',
    });
    expect(result.ok).toBe(true);
    if (result.ok)
      expect(JSON.parse(result.lockfile).packages['node_modules/left-pad'].version).toBe('1.3.0');
  }, 120_000);

  it('keeps a v1 lock at v1 (npm would otherwise rewrite it as v3, which npm 6 cannot read)', async () => {
    const v1 = JSON.stringify({
      name: 'app',
      version: '1.0.0',
      lockfileVersion: 1,
      requires: true,
      dependencies: {},
    });
    const old = await regenerate({ manifest: manifest({ 'left-pad': '1.1.0' }), lockfile: v1 });
    expect(old.ok).toBe(true);
    if (!old.ok) return;
    const result = await regenerate({ manifest: manifest({ 'left-pad': '1.3.0' }), lockfile: old.lockfile });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const lock = JSON.parse(result.lockfile);
    expect(lock.lockfileVersion).toBe(1);
    expect(lock.packages).toBeUndefined();
    expect(lock.dependencies['left-pad'].version).toBe('1.3.0');
  }, 120_000);

  it("runs no script: neither the packages' nor the repository's own", async () => {
    const own = scripts('own', ['preinstall', 'install', 'postinstall', 'prepare', 'prepack', 'preprepare']);
    const result = await regenerate({ manifest: manifest({ scripted: '1.0.0' }, { scripts: own }) });
    expect(result).toMatchObject({ ok: true });
    if (result.ok)
      expect(JSON.parse(result.lockfile).packages['node_modules/scripted'].hasInstallScript).toBe(true);
    expect(await readdir(suite.markers)).toEqual([]);
  }, 120_000);

  it('control: the published scripts do write their markers when npm is allowed to run them', async () => {
    const project = await tempDir('dockhand-control-');
    const own = scripts('own', ['postinstall']);
    await writeFile(join(project, 'package.json'), manifest({ scripted: '1.0.0' }, { scripts: own }));
    expect(await suite.scriptsRan(() => npm(project, ['install', '--foreground-scripts']))).toEqual(
      expect.arrayContaining(['dep-postinstall', 'own-postinstall']),
    );
  }, 120_000);

  it("sends no credential from the repository's .npmrc", async () => {
    const npmrc = [
      `registry=${suite.proxy.url}`,
      `//${suite.proxy.host}/:_authToken=stolen`,
      `//${suite.proxy.host}/:_auth=c3RvbGVuOnN0b2xlbg==`,
      `//${suite.proxy.host}/:always-auth=true`,
      `_authToken=stolen`,
    ].join('\n');
    const result = await regenerate({
      manifest: manifest({ 'left-pad': '1.3.0' }),
      npmrc,
      registry: undefined,
    });
    expect(result).toMatchObject({ ok: true });
    expect(suite.proxy.requests.length).toBeGreaterThan(0);
    expect(suite.proxy.requests.filter((r) => r.headers.authorization !== undefined)).toEqual([]);
    expect(JSON.stringify(suite.proxy.requests)).not.toMatch(/stolen/);
  }, 120_000);

  it('gives npm only the sandbox: its files, its arguments and an environment without secrets', async () => {
    // A stand-in for npm-cli.js that reports what it was given, in place of the lockfile.
    const fake = join(await tempDir('dockhand-fake-npm-'), 'npm-cli.js');
    await writeFile(
      fake,
      `const fs = require('node:fs');
       fs.writeFileSync('package-lock.json', JSON.stringify({
         env: process.env, argv: process.argv.slice(2), cwd: process.cwd(), files: fs.readdirSync('.').sort(),
         npmrc: fs.readFileSync('.npmrc', 'utf8'),
       }));`,
    );
    const secrets = {
      GITHUB_TOKEN: 'ghs_secret',
      PRIVATE_KEY: 'secret-key',
      REDIS_URL: 'redis://:secret@r/',
    };
    const saved = Object.fromEntries(Object.keys(secrets).map((key) => [key, process.env[key]]));
    Object.assign(process.env, secrets);
    try {
      const result = await regenerate({
        manifest: manifest({ 'left-pad': '1.3.0' }),
        npmrc: `//${suite.proxy.host}/:_authToken=stolen\n@acme:registry=https://npm.acme.test/\n`,
        npmCli: fake,
      });
      expect(result.ok).toBe(true);
      if (!result.ok) return;
      const seen = JSON.parse(result.lockfile);
      expect(seen.files).toEqual(['.npmrc', 'package-lock.json', 'package.json']);
      expect(seen.npmrc).toBe(`registry=${suite.proxy.url}\n@acme:registry=https://npm.acme.test/\n`);
      expect(seen.argv).toEqual(
        expect.arrayContaining(['install', '--package-lock-only', '--ignore-scripts', '--workspaces=false']),
      );
      const keys = Object.keys(seen.env).filter((key) => !/^npm_config_/.test(key));
      expect(keys.sort()).toEqual(['CI', 'HOME', 'NO_UPDATE_NOTIFIER', 'PATH']);
      expect(JSON.stringify(seen)).not.toMatch(/secret|stolen/);
    } finally {
      for (const [key, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  }, 60_000);

  it('stops npm at the time limit: the process group is gone and the sandbox removed', async () => {
    // A registry that accepts connections and never answers.
    const hanging: Server = createServer(() => {});
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    const root = await tempDir('dockhand-timeout-');
    try {
      const url = `http://127.0.0.1:${(hanging.address() as AddressInfo).port}/`;
      const result = await regenerate({
        manifest: manifest({ 'left-pad': '1.3.0' }),
        registry: url,
        timeoutMs: 4000,
        tmpRoot: root,
      });
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.reason).toMatch(/time limit \(4000 ms\)/);
      expect(leftovers(root)).toEqual({ dirs: [], processes: [] });
    } finally {
      hanging.closeAllConnections();
      hanging.close();
    }
  }, 60_000);

  it('reports a package that does not exist with the end of npm’s error, without throwing', async () => {
    const root = await tempDir('dockhand-404-');
    const result = await regenerate({ manifest: manifest({ 'no-such-package': '^1.0.0' }), tmpRoot: root });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.reason).toMatch(/^npm install --package-lock-only failed \(exit code \d+\):/);
    expect(result.reason).toMatch(/E404|404 Not Found/);
    expect(result.reason).toMatch(/no-such-package/);
    expect(result.reason).not.toContain(root);
    expect(leftovers(root).dirs).toEqual([]);
  }, 60_000);

  it('reports a dependency tree npm cannot reconcile (a peer conflict)', async () => {
    const result = await regenerate({ manifest: manifest({ 'peer-host': '1.0.0', 'peer-b': '1.0.0' }) });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(/ERESOLVE[^]*peer-b@"\^2\.0\.0" from peer-host@1\.0\.0/);
  }, 60_000);

  it('refuses what it cannot do safely, before running npm', async () => {
    expect(await regenerate({ manifest: '{ not json' })).toEqual({
      ok: false,
      reason: 'package.json is not valid JSON',
    });
    const workspaces = await regenerate({ manifest: manifest({}, { workspaces: ['packages/*'] }) });
    expect(workspaces).toMatchObject({
      ok: false,
      reason: expect.stringMatching(
        /workspaces need their members' package\.json files, which were not given/,
      ),
    });
    const badRegistry = await regenerate({
      manifest: manifest({}),
      registry: 'https://user:pass@npm.example.com/',
    });
    expect(badRegistry).toMatchObject({ ok: false, reason: expect.stringMatching(/not a plain http/) });
    for (const spec of ['file:../lib', 'link:/etc', '/srv/app', './vendor/x', '~/x']) {
      const local = await regenerate({ manifest: manifest({ 'left-pad': '1.3.0', x: spec }) });
      expect(local).toMatchObject({ ok: false, reason: expect.stringMatching(/^local path dependencies/) });
    }
    const nested = await regenerate({ manifest: manifest({}, { overrides: { a: { b: 'file:/etc' } } }) });
    expect(nested).toMatchObject({ ok: false, reason: expect.stringContaining('b@file:/etc') });
    expect(suite.proxy.requests).toEqual([]);
  });
});
