// Berry (yarn 4) lockfile regeneration against a real registry (verdaccio, filled with `npm publish`),
// seen through a recording proxy: the new lock keeps its __metadata and installs with
// `yarn install --immutable`, no script runs, no credential reaches the registry, a repository's
// yarnPath/plugins, workspaces and git dependencies are refused with reasons.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { Dependency } from '../../src/core/types.js';
import { relockFile, type RelockRequest } from '../../src/lockfiles/index.js';
import { regenerateYarnBerryLockfile } from '../../src/lockfiles/yarn-berry.js';
import { toolEntry } from '../../src/lockfiles/yarn-common.js';
import { lockfileSuite, LIFECYCLE } from '../support/lockfile-suite.js';

const run = promisify(execFile);
const BERRY = toolEntry('@yarnpkg/cli-dist', 'bin/yarn.js')!;

const suite = lockfileSuite(({ scripts }) => [
  { name: 'pad-helper', version: '1.0.0' },
  { name: 'left-pad', version: '1.1.0' },
  { name: 'left-pad', version: '1.3.0', fields: { dependencies: { 'pad-helper': '^1.0.0' } } },
  { name: 'scripted', version: '1.0.0', fields: { scripts: scripts('dep', LIFECYCLE) } },
]);
const { tempDir, scripts } = suite;

const manifest = (dependencies: Record<string, string>, extra: object = {}) =>
  `${JSON.stringify({ name: 'app', version: '1.0.0', packageManager: 'yarn@4.18.1', dependencies, ...extra }, null, 2)}\n`;

const request = (
  text: string,
  lockfile: string,
  overrides: Partial<RelockRequest> = {},
  files: Record<string, string> = {},
): RelockRequest => ({
  manifestPath: 'package.json',
  lockPath: 'yarn.lock',
  manifest: text,
  lockfile,
  deps: [],
  readFile: async (path) => files[path],
  registries: { npm: suite.proxy.url, pypi: 'https://pypi.org/simple' },
  ...overrides,
});

/** The real yarn 4, run by the test itself (not the code under test), with a clean environment. */
async function berry(dir: string, args: string[], extra: Record<string, string> = {}) {
  return run(process.execPath, [BERRY, ...args], {
    cwd: dir,
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: dir,
      YARN_NPM_REGISTRY_SERVER: suite.proxy.url,
      YARN_UNSAFE_HTTP_WHITELIST: '127.0.0.1',
      YARN_ENABLE_GLOBAL_CACHE: '0',
      YARN_CACHE_FOLDER: join(dir, '.cache'),
      YARN_GLOBAL_FOLDER: join(dir, '.global'),
      YARN_NPM_MINIMAL_AGE_GATE: '0',
      YARN_NODE_LINKER: 'node-modules',
      YARN_ENABLE_TELEMETRY: '0',
      ...extra,
    },
    timeout: 120_000,
  });
}

/**
 * Installs `text` + `lock` with --immutable and scripts off: the lock is complete and consistent.
 * YARN_ENABLE_SCRIPTS=0 covers the packages' scripts only: the project's own postinstall would still run
 * after the link step, which --mode=skip-build leaves out (the relocker's update-lockfile mode links
 * nothing at all).
 */
async function immutableInstall(text: string, lock: string): Promise<string> {
  const project = await tempDir('dockhand-berry-immutable-');
  await writeFile(join(project, 'package.json'), text);
  await writeFile(join(project, 'yarn.lock'), lock);
  await berry(project, ['install', '--immutable', '--mode=skip-build'], { YARN_ENABLE_SCRIPTS: '0' });
  return project;
}

describe('yarn Berry relocker', () => {
  it('moves the lock to the bumped version, keeps __metadata, and yarn install --immutable installs it', async () => {
    const old = await relockFile(request(manifest({ 'left-pad': '1.1.0' }), ''));
    expect(old).toMatchObject({ ok: true });
    if (!old.ok) return;
    expect(old.lockfile).toContain('__metadata:\n  version: 10\n  cacheKey: 10c0\n');
    expect(old.lockfile).toContain('"left-pad@npm:1.1.0":\n  version: 1.1.0');

    const bumped = manifest({ 'left-pad': '1.3.0' });
    const result = await relockFile(request(bumped, old.lockfile));
    expect(result).toMatchObject({ ok: true });
    if (!result.ok) return;
    expect(result.lockfile).toContain('__metadata:\n  version: 10\n  cacheKey: 10c0\n');
    expect(result.lockfile).toContain('"left-pad@npm:1.3.0":\n  version: 1.3.0');
    expect(result.lockfile).toMatch(/"pad-helper@npm:\^1\.0\.0":\n {2}version: 1\.0\.0/);
    expect(result.lockfile).toMatch(/checksum: 10c0\/[0-9a-f]{128}/);
    expect(result.lockfile).not.toContain('1.1.0');

    const project = await immutableInstall(bumped, result.lockfile);
    const installed = JSON.parse(await readFile(join(project, 'node_modules/left-pad/package.json'), 'utf8'));
    expect(installed.version).toBe('1.3.0');
    expect(existsSync(join(project, 'node_modules/pad-helper/package.json'))).toBe(true);
  }, 180_000);

  it('keeps cacheKey 10 (compressionLevel mixed) when the lock has it', async () => {
    const project = await tempDir('dockhand-berry-mixed-');
    await writeFile(join(project, 'package.json'), manifest({ 'left-pad': '1.1.0' }));
    await writeFile(join(project, 'yarn.lock'), '');
    await berry(project, ['install', '--mode=update-lockfile'], { YARN_COMPRESSION_LEVEL: 'mixed' });
    const lockfile = await readFile(join(project, 'yarn.lock'), 'utf8');
    expect(lockfile).toContain('cacheKey: 10\n');
    const bumped = manifest({ 'left-pad': '1.3.0' });
    const result = await relockFile(request(bumped, lockfile));
    expect(result).toMatchObject({ ok: true });
    if (!result.ok) return;
    expect(result.lockfile).toContain('__metadata:\n  version: 10\n  cacheKey: 10\n');
    expect(result.lockfile).toMatch(/checksum: 10\/[0-9a-f]{128}/);
    expect(result.lockfile).toContain('"left-pad@npm:1.3.0"');
  }, 180_000);

  it("runs no script: neither the packages' nor the repository's own", async () => {
    const own = scripts('own', [...LIFECYCLE, 'prepack', 'postpack']);
    const text = manifest({ scripted: '1.0.0' }, { scripts: own });
    const result = await relockFile(request(text, ''));
    expect(result).toMatchObject({ ok: true });
    if (!result.ok) return;
    expect(result.lockfile).toContain('"scripted@npm:1.0.0"');
    expect(await readdir(suite.markers)).toEqual([]);
    const project = await immutableInstall(text, result.lockfile);
    expect(existsSync(join(project, 'node_modules/scripted/package.json'))).toBe(true);
    expect(await readdir(suite.markers)).toEqual([]);
  }, 180_000);

  it('control: the scripts do write their markers when yarn is allowed to run them', async () => {
    const project = await tempDir('dockhand-berry-control-');
    await writeFile(
      join(project, 'package.json'),
      manifest({ scripted: '1.0.0' }, { scripts: scripts('own', ['postinstall']) }),
    );
    await writeFile(join(project, 'yarn.lock'), '');
    // Yarn 4.18 turns the packages' scripts off by default (enableScripts: false): turned on here.
    expect(await suite.scriptsRan(() => berry(project, ['install'], { YARN_ENABLE_SCRIPTS: '1' }))).toEqual(
      expect.arrayContaining(['dep-postinstall', 'own-postinstall']),
    );
  }, 180_000);

  it("sends no credential: not the repository's .yarnrc.yml, not the process environment", async () => {
    const secrets = {
      YARN_NPM_AUTH_TOKEN: 'stolen-env',
      YARN_NPM_AUTH_IDENT: 'stolen-env',
      YARN_NPM_ALWAYS_AUTH: 'true',
      NPM_TOKEN: 'stolen-env',
      GITHUB_TOKEN: 'ghs_stolen',
    };
    const saved = Object.fromEntries(Object.keys(secrets).map((key) => [key, process.env[key]]));
    Object.assign(process.env, secrets);
    try {
      const yarnrcYml = [
        `npmRegistryServer: "${suite.proxy.url}"`,
        'npmAuthToken: stolen',
        'npmAlwaysAuth: true',
        'npmScopes:',
        '  acme:',
        `    npmRegistryServer: "${suite.proxy.url}"`,
        '    npmAuthToken: stolen',
      ].join('\n');
      const result = await relockFile(
        request(
          manifest({ 'left-pad': '1.3.0' }),
          '',
          { registries: undefined },
          { '.yarnrc.yml': yarnrcYml },
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
    expect(JSON.stringify(suite.proxy.requests)).not.toMatch(/stolen/);
  }, 120_000);

  it("uses the operator's registry and none of the repository's settings when registries are given", async () => {
    const result = await relockFile(
      request(
        manifest({ 'left-pad': '1.3.0' }),
        '',
        {},
        { '.yarnrc.yml': 'npmRegistryServer: "http://127.0.0.1:1/"\n' },
      ),
    );
    expect(result).toMatchObject({ ok: true });
    expect(suite.proxy.requests.some((r) => r.url.includes('left-pad'))).toBe(true);
  }, 120_000);

  it('gives yarn only the sandbox: its files and an environment without secrets', async () => {
    const fake = join(await tempDir('dockhand-fake-berry-'), 'yarn.js');
    await writeFile(
      fake,
      `const fs = require('node:fs');
       const seen = { env: process.env, argv: process.argv.slice(2), files: fs.readdirSync('.').sort(),
         rc: fs.readFileSync(process.env.YARN_RC_FILENAME, 'utf8') };
       fs.writeFileSync('yarn.lock', '__metadata:\\n  version: 10\\n  cacheKey: 10c0\\n# ' + JSON.stringify(seen) + '\\n');`,
    );
    process.env.GITHUB_TOKEN = 'ghs_secret';
    try {
      const result = await regenerateYarnBerryLockfile({
        manifest: manifest({ 'left-pad': '1.3.0' }),
        lockfile: '',
        yarnrcYml: `npmRegistryServer: "https://npm.example.test/"\nnpmAuthToken: stolen\nnpmScopes:\n  acme:\n    npmRegistryServer: "http://npm.acme.test/"\n    npmAuthToken: stolen\nenableScripts: true\n`,
        cli: fake,
      });
      expect(result.ok).toBe(true);
      if (!result.ok) return;
      const seen = JSON.parse(result.lockfile.split('\n# ')[1]!);
      expect(seen.files).toEqual(['.dockhand-yarnrc.yml', 'package.json', 'yarn.lock']);
      expect(JSON.parse(seen.rc)).toEqual({
        npmScopes: { acme: { npmRegistryServer: 'http://npm.acme.test/' } },
        unsafeHttpWhitelist: ['npm.acme.test'],
      });
      expect(seen.argv).toEqual(['install', '--mode=update-lockfile']);
      expect(seen.env).toMatchObject({
        YARN_ENABLE_SCRIPTS: '0',
        YARN_ENABLE_GLOBAL_CACHE: '0',
        YARN_ENABLE_TELEMETRY: '0',
        YARN_IGNORE_PATH: '1',
        YARN_NPM_REGISTRY_SERVER: 'https://npm.example.test/',
      });
      expect(seen.env.YARN_CACHE_FOLDER).toMatch(/dockhand-berry-lock-[^/]+\/cache$/);
      const keys = Object.keys(seen.env).filter((key) => !/^YARN_/.test(key));
      expect(keys.sort()).toEqual(['CI', 'HOME', 'NO_UPDATE_NOTIFIER', 'PATH']);
      expect(JSON.stringify(seen)).not.toMatch(/secret|stolen/);
    } finally {
      delete process.env.GITHUB_TOKEN;
    }
  }, 60_000);

  it('refuses what it cannot do safely, with a reason, before running yarn', async () => {
    const lock = '__metadata:\n  version: 10\n  cacheKey: 10c0\n';
    const text = manifest({ 'left-pad': '1.3.0' });
    const withRc = (yarnrcYml: string) => relockFile(request(text, lock, {}, { '.yarnrc.yml': yarnrcYml }));
    expect(await withRc('yarnPath: .yarn/releases/yarn-4.0.0.cjs\n')).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/sets yarnPath/),
    });
    expect(
      await withRc('plugins:\n  - path: .yarn/plugins/@yarnpkg/plugin-evil.cjs\n    spec: "evil"\n'),
    ).toMatchObject({ ok: false, reason: expect.stringMatching(/loads plugins/) });
    expect(await withRc('packageExtensions:\n  "a@*":\n    dependencies:\n      b: "*"\n')).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/packageExtensions/),
    });
    const workspaces = await relockFile(request(manifest({}, { workspaces: ['packages/*'] }), lock));
    expect(workspaces).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/workspaces are not supported/),
    });
    const git = await relockFile({
      ...request(manifest({ tool: 'github:acme/tool' }), lock),
      deps: [{ depName: 'tool', skipReason: 'git' } as Dependency],
    });
    expect(git).toMatchObject({ ok: false, reason: 'not regenerated because tool is a git dependency' });
    for (const spec of ['portal:../x', 'exec:./gen.js', 'patch:left-pad@1.3.0#./p.patch', 'file:../x']) {
      const local = await relockFile(request(manifest({ x: spec }), lock));
      expect(local).toMatchObject({ ok: false, reason: expect.stringMatching(/^local path dependencies/) });
    }
    const v8 = await relockFile(request(text, lock.replace('version: 10', 'version: 8')));
    expect(v8).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/__metadata\.version 8.*not updated rather than have its format changed/),
    });
    const cacheKey = await relockFile(request(text, lock.replace('10c0', '8c0')));
    expect(cacheKey).toMatchObject({ ok: false, reason: expect.stringMatching(/cacheKey 8c0/) });
    expect(suite.proxy.requests).toEqual([]);
  });

  it('reports a package that does not exist with the end of yarn’s error, without throwing', async () => {
    const result = await relockFile(request(manifest({ 'no-such-package': '^1.0.0' }), ''));
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.reason).toMatch(/^yarn install --mode=update-lockfile failed \(exit code 1\):/);
      expect(result.reason).toMatch(/no-such-package/);
      expect(result.reason).not.toMatch(/dockhand-berry-lock-/);
    }
  }, 60_000);
});
