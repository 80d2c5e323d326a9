// npm workspaces through the relocker, against a real registry (verdaccio filled with `npm publish`):
// the members' package.json files are found through the lock, read with readFile and written into the
// sandbox, the regenerated lock keeps every member, and `npm ci` installs it with the members in place.
// An edited member's manifest relocks the root's lock. What cannot be done safely is refused with reasons.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { relockFile } from '../../src/lockfiles/index.js';
import type { RelockRequest } from '../../src/lockfiles/request.js';
import { regenerateNpmLockfile } from '../../src/lockfiles/npm.js';
import { lockedWorkspaceMembers, matchesPattern } from '../../src/lockfiles/npm-workspaces.js';
import { lockfileSuite } from '../support/lockfile-suite.js';

const suite = lockfileSuite(() => [
  { name: 'pad-helper', version: '1.0.0' },
  { name: 'pad-helper', version: '1.1.0' },
  { name: 'left-pad', version: '1.1.0' },
  { name: 'left-pad', version: '1.3.0', fields: { dependencies: { 'pad-helper': '^1.0.0' } } },
  { name: '@acme/thing', version: '2.0.0' },
]);
const { tempDir, npm } = suite;

const json = (value: object) => `${JSON.stringify(value, null, 2)}\n`;

/** A monorepo: root `mono` (packages/*, tools/cli), members @mono/a, b (file: dep on a), cli. */
function monorepo(over: { root?: object; a?: object; b?: object } = {}): Map<string, string> {
  return new Map([
    [
      'package.json',
      json({
        name: 'mono',
        version: '1.0.0',
        private: true,
        workspaces: ['packages/*', 'tools/cli'],
        dependencies: { 'left-pad': '1.1.0' },
        ...over.root,
      }),
    ],
    [
      'packages/a/package.json',
      json({ name: '@mono/a', version: '1.0.0', dependencies: { 'pad-helper': '1.0.0' }, ...over.a }),
    ],
    [
      'packages/b/package.json',
      json({ name: 'b', version: '1.0.0', dependencies: { '@mono/a': 'file:../a' }, ...over.b }),
    ],
    ['tools/cli/package.json', json({ name: 'cli', version: '0.1.0', dependencies: { b: '*' } })],
  ]);
}

async function writeTree(files: ReadonlyMap<string, string>): Promise<string> {
  const dir = await tempDir('dockhand-ws-');
  for (const [path, text] of files) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  return dir;
}

/** The lock real npm writes for the tree (the repository's lock before Dockhand's edit). */
async function initialLock(files: ReadonlyMap<string, string>): Promise<string> {
  const dir = await writeTree(files);
  await npm(dir, ['install', '--package-lock-only', '--ignore-scripts']);
  return readFile(join(dir, 'package-lock.json'), 'utf8');
}

function request(
  files: ReadonlyMap<string, string>,
  manifestPath: string,
  manifest: string,
  lockfile: string,
  lockPath = 'package-lock.json',
): RelockRequest {
  return {
    manifestPath,
    lockPath,
    manifest,
    lockfile,
    deps: [],
    readFile: (path) => Promise.resolve(files.get(path)),
    registries: { npm: suite.proxy.url, pypi: 'http://127.0.0.1:9/simple' },
  };
}

const MEMBERS = ['packages/a', 'packages/b', 'tools/cli'];

function expectMembers(lockfile: string) {
  const lock = JSON.parse(lockfile);
  for (const member of MEMBERS) expect(lock.packages[member], member).toBeDefined();
  expect(lock.packages['node_modules/@mono/a']).toMatchObject({ link: true, resolved: 'packages/a' });
  expect(lock.packages['node_modules/b']).toMatchObject({ link: true, resolved: 'packages/b' });
  expect(lock.packages['node_modules/cli']).toMatchObject({ link: true, resolved: 'tools/cli' });
  expect(JSON.stringify(lock.packages[''].workspaces)).toContain('"packages/*","tools/cli"');
  return lock;
}

/** `npm ci` of the files with the new lock succeeds; returns the installed tree's directory. */
async function ci(files: ReadonlyMap<string, string>, lockfile: string): Promise<string> {
  const dir = await writeTree(new Map([...files, ['package-lock.json', lockfile]]));
  await npm(dir, ['ci', '--ignore-scripts']);
  return dir;
}

const installedVersion = async (dir: string, name: string) =>
  (JSON.parse(await readFile(join(dir, 'node_modules', name, 'package.json'), 'utf8')) as { version: string })
    .version;

describe('npm workspaces', () => {
  it('relocks a root edit keeping every member, and npm ci installs the result', async () => {
    const files = monorepo();
    const before = await initialLock(files);
    expectMembers(before);

    const edited = monorepo({ root: { dependencies: { 'left-pad': '1.3.0' } } });
    const result = await relockFile(request(files, 'package.json', edited.get('package.json')!, before));
    expect(result).toMatchObject({ ok: true });
    if (!result.ok) return;
    const lock = expectMembers(result.lockfile);
    expect(lock.packages['node_modules/left-pad'].version).toBe('1.3.0');
    expect(lock.packages['packages/a'].dependencies).toEqual({ 'pad-helper': '1.0.0' });
    expect(suite.proxy.requests.filter((r) => r.url.endsWith('.tgz'))).toEqual([]);

    const dir = await ci(edited, result.lockfile);
    expect(await installedVersion(dir, 'left-pad')).toBe('1.3.0');
    expect(await installedVersion(dir, '@mono/a')).toBe('1.0.0');
    expect(await installedVersion(dir, 'cli')).toBe('0.1.0');
  }, 180_000);

  it("relocks the root's lock when the edited manifest is a member's ({ packages } form)", async () => {
    const root = { workspaces: { packages: ['packages/*', 'tools/cli'] } };
    const files = monorepo({ root });
    const before = await initialLock(files);
    const edited = monorepo({ root, a: { dependencies: { 'pad-helper': '1.1.0' } } });
    const result = await relockFile(
      request(files, 'packages/a/package.json', edited.get('packages/a/package.json')!, before),
    );
    expect(result).toMatchObject({ ok: true });
    if (!result.ok) return;
    const lock = expectMembers(result.lockfile);
    expect(lock.packages['packages/a'].dependencies).toEqual({ 'pad-helper': '1.1.0' });
    expect(lock.packages['node_modules/pad-helper'].version).toBe('1.1.0');
    expect(lock.packages['node_modules/left-pad'].version).toBe('1.1.0');

    const dir = await ci(edited, result.lockfile);
    expect(await installedVersion(dir, 'pad-helper')).toBe('1.1.0');
  }, 180_000);

  it('relocks a lock in a subdirectory for a member below it', async () => {
    const files = new Map([...monorepo()].map(([path, text]) => [`web/${path}`, text]));
    const before = await initialLock(monorepo());
    const a = json({ name: '@mono/a', version: '1.0.0', dependencies: { 'pad-helper': '^1.1.0' } });
    const result = await relockFile(
      request(files, 'web/packages/a/package.json', a, before, 'web/package-lock.json'),
    );
    expect(result).toMatchObject({ ok: true });
    if (result.ok)
      expect(JSON.parse(result.lockfile).packages['node_modules/pad-helper'].version).toBe('1.1.0');
  }, 120_000);

  it('refuses with reasons, before running npm', async () => {
    const files = monorepo();
    const before = await initialLock(files);
    suite.proxy.requests.length = 0;
    const rootText = files.get('package.json')!;
    const reason = async (req: RelockRequest) => {
      const result = await relockFile(req);
      return result.ok ? 'ok' : result.reason;
    };

    const missing = new Map(files);
    missing.delete('tools/cli/package.json');
    expect(await reason(request(missing, 'package.json', rootText, before))).toMatch(
      /workspace member tools\/cli\/package\.json is missing/,
    );

    const big = new Map(files).set(
      'packages/b/package.json',
      json({ name: 'b', pad: 'x'.repeat(1024 * 1024) }),
    );
    expect(await reason(request(big, 'package.json', rootText, before))).toMatch(/larger than 1048576 bytes/);

    // A manifest below the root that the root does not list, and one outside the root.
    const stray = json({ name: 'stray', version: '1.0.0' });
    expect(await reason(request(files, 'other/x/package.json', stray, before))).toMatch(
      /other\/x\/package\.json is not a workspace of package\.json/,
    );
    expect(
      await reason(request(files, 'elsewhere/package.json', stray, before, 'web/package-lock.json')),
    ).toMatch(/only beside their manifest or their workspace root/);

    // Member paths the lock names that escape the root.
    const crafted = (resolved: string) =>
      JSON.stringify({
        lockfileVersion: 3,
        packages: { '': {}, [resolved]: {}, 'node_modules/evil': { link: true, resolved } },
      });
    const anywhere = json({ name: 'mono', workspaces: ['**'] });
    expect(await reason(request(files, 'package.json', anywhere, crafted('../evil')))).toMatch(
      /workspace member "\.\.\/evil" leaves the root/,
    );
    expect(await reason(request(files, 'package.json', anywhere, crafted('/etc')))).toMatch(
      /workspace member "\/etc" is absolute/,
    );
    expect(await reason(request(files, 'package.json', json({ workspaces: ['../*'] }), before))).toMatch(
      /workspace pattern "\.\.\/\*" leaves the root/,
    );

    // A v1 lock cannot tell the members.
    const v1 = JSON.stringify({ lockfileVersion: 1, dependencies: {} });
    expect(await reason(request(files, 'package.json', rootText, v1))).toMatch(/lockfileVersion 2 or 3/);

    // Local paths that are not members, and git specs in members.
    const outside = new Map(files).set(
      'packages/b/package.json',
      json({ name: 'b', dependencies: { x: 'file:../../../etc', y: 'file:../a' } }),
    );
    expect(await reason(request(outside, 'package.json', rootText, before))).toMatch(
      /^local path dependencies cannot be resolved in the sandbox \(x@file:\.\.\/\.\.\/\.\.\/etc\)/,
    );
    const git = new Map(files).set(
      'packages/b/package.json',
      json({ name: 'b', dependencies: { x: 'github:evil/x', y: 'evil/y#main', z: 'npm:left-pad@1.3.0' } }),
    );
    expect(await reason(request(git, 'package.json', rootText, before))).toMatch(
      /git or URL sources npm would fetch \(x@github:evil\/x, y@evil\/y#main\)/,
    );
    expect(suite.proxy.requests).toEqual([]);
  }, 120_000);

  it('gives npm the members at their paths and the workspace flags', async () => {
    const fake = join(await tempDir('dockhand-fake-npm-'), 'npm-cli.js');
    await writeFile(
      fake,
      `const fs = require('node:fs');
       const walk = (dir) => fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
         e.isDirectory() ? walk(dir + '/' + e.name) : [(dir + '/' + e.name).slice(2)]);
       fs.writeFileSync('package-lock.json', JSON.stringify({ argv: process.argv.slice(2), files: walk('.').sort() }));`,
    );
    const files = monorepo();
    const result = await regenerateNpmLockfile({
      manifest: files.get('package.json')!,
      lockfile: '{}',
      lockName: 'package-lock.json',
      registry: suite.proxy.url,
      npmCli: fake,
      workspaceMembers: MEMBERS.map((path) => ({ path, manifest: files.get(`${path}/package.json`)! })),
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const seen = JSON.parse(result.lockfile);
    expect(seen.files).toEqual([
      '.npmrc',
      'package-lock.json',
      'package.json',
      'packages/a/package.json',
      'packages/b/package.json',
      'tools/cli/package.json',
    ]);
    expect(seen.argv).toEqual(expect.arrayContaining(['--workspaces', '--include-workspace-root']));
    expect(seen.argv).not.toContain('--workspaces=false');
  });

  it("resolves the operator's npm scopes from their registries", async () => {
    const text = json({ name: 'app', version: '1.0.0', dependencies: { '@acme/thing': '^2.0.0' } });
    const lock = JSON.stringify({ name: 'app', version: '1.0.0', lockfileVersion: 3, packages: {} });
    const req = request(new Map(), 'package.json', text, lock);
    // The default registry is one nothing answers: only the scope's line can find @acme/thing.
    req.registries = {
      npm: 'http://127.0.0.1:9/',
      npmScopes: { '@acme': suite.proxy.url },
      pypi: 'http://127.0.0.1:9/',
    };
    const result = await relockFile(req);
    expect(result).toMatchObject({ ok: true });
    if (result.ok)
      expect(JSON.parse(result.lockfile).packages['node_modules/@acme/thing'].version).toBe('2.0.0');
  }, 120_000);

  it('caps members at 200', () => {
    const packages: Record<string, object> = { '': {} };
    for (let i = 0; i < 201; i++) {
      packages[`packages/p${i}`] = {};
      packages[`node_modules/p${i}`] = { link: true, resolved: `packages/p${i}` };
    }
    expect(lockedWorkspaceMembers(JSON.stringify({ lockfileVersion: 3, packages }), ['packages/*'])).toEqual({
      reason: 'more than 200 workspace members (201)',
    });
  });

  it('matches workspace globs as npm does', () => {
    expect(matchesPattern('packages/a', 'packages/*')).toBe(true);
    expect(matchesPattern('packages/a/b', 'packages/*')).toBe(false);
    expect(matchesPattern('packages/a/b', 'packages/**')).toBe(true);
    expect(matchesPattern('packages/.hidden', 'packages/*')).toBe(false);
    expect(matchesPattern('apps/web', 'apps/w?b')).toBe(true);
    expect(matchesPattern('tools/cli', 'tools/cli')).toBe(true);
    expect(matchesPattern('tools/cli2', 'tools/cli')).toBe(false);
  });
});
