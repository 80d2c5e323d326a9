// `scan --resolve` and `fix` on an npm project against a real npm registry (verdaccio, filled with
// `npm publish`): the project's `.npmrc` names the registry, the Dockerfile beside it says which Node the
// code runs on, and the lockfile says which versions are in use.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { findNpmCli } from '../../src/lockfiles/npm-cli.js';
import { runCli } from '../support/cli.js';
import { startVerdaccio, type TestNpmRegistry } from '../support/verdaccio.js';

const run = promisify(execFile);
let registry: TestNpmRegistry;
let dir: string;
const dirs: string[] = [];

beforeAll(async () => {
  registry = await startVerdaccio();
  await registry.publish(
    { name: 'left-pad', version: '1.1.0' },
    { name: 'left-pad', version: '1.3.0' },
    { name: 'left-pad', version: '2.0.0', fields: { engines: { node: '>=24' } } },
    { name: 'express-lite', version: '4.18.0' },
    { name: 'express-lite', version: '4.19.2' },
    { name: 'express-lite', version: '5.0.0-beta.1', tag: 'next' },
    { name: 'express-lite', version: '4.20.0' },
    { name: '@acme/ui', version: '1.0.0' },
    { name: '@acme/ui', version: '1.2.0' },
  );
  await registry.deprecate('express-lite@4.20.0', 'broken');
}, 180_000);
afterAll(async () => {
  await registry?.stop();
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

const MANIFEST = `{
  "name": "web",
  "dependencies": {
    "left-pad": "1.1.0",
    "express-lite": "^4.18.0",
    "@acme/ui": "~1.0.0",
    "tool": "github:acme/tool"
  }
}
`;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dockhand-npm-'));
  dirs.push(dir);
  await writeFile(join(dir, 'Dockerfile'), 'FROM node:22.3.0-alpine\nUSER node\n');
  await writeFile(join(dir, '.npmrc'), `registry=${registry.url}\n//127.0.0.1/:_authToken=\${NPM_TOKEN}\n`);
  await writeFile(join(dir, 'package.json'), MANIFEST);
  await writeFile(
    join(dir, '.dockhand.yml'),
    'updates:\n  rules:\n    - matchManagers: [dockerfile]\n      enabled: false\n',
  );
});

const cli = (argv: string[]) =>
  runCli(argv, { cwd: dir, env: { HOME: dir, NO_COLOR: '1', NPM_TOKEN: 'never-sent' } });

interface JsonDep {
  depName: string;
  updates?: { type: string; newValue: string | null; newVersion: string; isLockfileUpdate?: boolean }[];
  heldBack?: { version: string; reason: string };
  skipReason?: string;
  registryUrls?: string[];
}

async function resolved(): Promise<Record<string, JsonDep>> {
  const { code, stdout } = await cli(['scan', '.', '--resolve', '--format', 'json']);
  expect(code).toBe(0);
  const file = JSON.parse(stdout).files.find((f: { path: string }) => f.path === 'package.json');
  return Object.fromEntries(file.deps.map((d: JsonDep) => [d.depName, d]));
}

describe('npm dependencies through the CLI', () => {
  it('scan --resolve: versions from the .npmrc registry, deprecated and engine-excluded ones left out', async () => {
    const deps = await resolved();
    expect(deps['left-pad']).toMatchObject({
      registryUrls: [registry.url],
      // 2.0.0 needs Node 24; the image runs Node 22.3.0.
      updates: [{ type: 'minor', newValue: '1.3.0', newVersion: '1.3.0' }],
      heldBack: { version: '2.0.0', reason: 'engines.node >=24 excludes Node 22.3.0 of node:22.3.0-alpine' },
    });
    // ^4.18.0 admits 4.19.2 and there is no lockfile: nothing to write. 4.20.0 is deprecated, 5.0.0 beta.
    expect(deps['express-lite']!.updates).toBeUndefined();
    expect(deps['@acme/ui']!.updates).toEqual([
      expect.objectContaining({ type: 'minor', newValue: '~1.2.0', newVersion: '1.2.0' }),
    ]);
    expect(deps.tool).toMatchObject({ skipReason: 'git' });
  });

  it('with a lockfile: fix writes the manifest, the real npm re-locks it in its sandbox, npm ci installs it', async () => {
    await writeFile(
      join(dir, 'package.json'),
      MANIFEST.replace('    "tool": "github:acme/tool"\n', '').replace('"~1.0.0",', '"~1.0.0"'),
    );
    await writeFile(
      join(dir, 'package-lock.json'),
      JSON.stringify({
        name: 'web',
        lockfileVersion: 3,
        requires: true,
        packages: {
          '': {
            name: 'web',
            dependencies: { 'left-pad': '1.1.0', 'express-lite': '^4.18.0', '@acme/ui': '~1.0.0' },
          },
          'node_modules/left-pad': { version: '1.1.0' },
          'node_modules/express-lite': { version: '4.18.0' },
          'node_modules/@acme/ui': { version: '1.0.0' },
        },
      }),
    );
    const deps = await resolved();
    // ^4.18.0 admits 4.19.2: only the lockfile would move, which fix does not do on its own yet.
    expect(deps['express-lite']!.updates).toEqual([
      expect.objectContaining({
        type: 'minor',
        newValue: null,
        newVersion: '4.19.2',
        isLockfileUpdate: true,
      }),
    ]);
    const { code, stderr } = await cli(['fix', '.']);
    expect(stderr).toContain('express-lite 4.19.2 only moves package-lock.json');
    expect(stderr).toContain('dockhand: package-lock.json: regenerated');
    expect(code).toBe(1);
    const lock = JSON.parse(await readFile(join(dir, 'package-lock.json'), 'utf8'));
    expect(lock.packages['node_modules/left-pad'].version).toBe('1.3.0');
    expect(lock.packages['node_modules/@acme/ui'].version).toBe('1.2.0');
    expect(lock.packages[''].dependencies).toEqual({
      'left-pad': '1.3.0',
      'express-lite': '^4.18.0',
      '@acme/ui': '~1.2.0',
    });
    // What fix wrote installs: the real npm ci against the same registry.
    await run(
      process.execPath,
      [findNpmCli()!, 'ci', '--ignore-scripts', '--no-audit', '--no-fund', '--registry', registry.url],
      {
        cwd: dir,
        env: {
          PATH: process.env.PATH ?? '/usr/bin:/bin',
          HOME: dir,
          npm_config_cache: join(dir, '.npm-cache'),
        },
        timeout: 120_000,
      },
    );
    expect(JSON.parse(await readFile(join(dir, 'node_modules/left-pad/package.json'), 'utf8')).version).toBe(
      '1.3.0',
    );
  }, 180_000);

  it('fix --no-lockfiles writes the manifest only, and names the lockfile it leaves out of date', async () => {
    const lock = JSON.stringify({
      name: 'web',
      lockfileVersion: 3,
      packages: {
        '': { dependencies: { 'left-pad': '1.1.0' } },
        'node_modules/left-pad': { version: '1.1.0' },
      },
    });
    await writeFile(
      join(dir, 'package.json'),
      '{ "name": "web", "dependencies": { "left-pad": "1.1.0" } }\n',
    );
    await writeFile(join(dir, 'package-lock.json'), lock);
    const { code, stdout, stderr } = await cli(['fix', '.', '--no-lockfiles']);
    expect(stdout).toContain('+{ "name": "web", "dependencies": { "left-pad": "1.3.0" } }');
    expect(stderr).toContain('dockhand: package-lock.json: out of date (--no-lockfiles)');
    expect(code).toBe(1);
    expect(await readFile(join(dir, 'package-lock.json'), 'utf8')).toBe(lock);
  });

  it('fix rewrites only the values, in the file’s own style', async () => {
    const { code, stdout } = await cli(['fix', '.']);
    expect(code).toBe(0);
    expect(stdout).toContain('+    "left-pad": "1.3.0",');
    expect(await readFile(join(dir, 'package.json'), 'utf8')).toBe(
      MANIFEST.replace('"left-pad": "1.1.0"', '"left-pad": "1.3.0"').replace('"~1.0.0"', '"~1.2.0"'),
    );
  });
});
