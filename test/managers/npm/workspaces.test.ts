// Workspace members sharing a root lockfile (fixtures/workspace/), pnpm-workspace.yaml globs, and the
// registries a repository's .npmrc names.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  applyLockfile,
  applyNpmrc,
  extractPackageJson,
  lockfileCandidates,
  parseLockfile,
  manager,
  npmLockfiles,
  parseNpmrc,
  pnpmWorkspaceGlobs,
  workspaceMembers,
} from '../../../src/managers/npm/index.js';
import { listFiles } from '../../support/corpus.js';

const DIR = new URL('fixtures/workspace/', import.meta.url);
const read = (path: string): string => readFileSync(new URL(path, DIR), 'utf8');

describe('npm workspaces: fixtures/workspace', () => {
  const paths = listFiles(DIR.pathname);
  const root = extractPackageJson(read('package.json'));
  const members = workspaceMembers('package.json', root.workspaces!, paths);

  it('finds the members the globs name, without negated ones', () => {
    expect(root.workspaces).toEqual(['packages/*', 'tools/**', '!packages/skipped']);
    expect(members).toEqual([
      'packages/app/package.json',
      'packages/lib/package.json',
      'tools/deep/cli/package.json',
    ]);
  });

  it('locks each member from the root lock: its own nested copy first, workspace links as workspace', () => {
    const lock = parseLockfile('package-lock.json', read('package-lock.json'));
    const names = new Set(members.map((member) => extractPackageJson(read(member)).name!));
    const byMember = members.map((member) => {
      const lockPath = lockfileCandidates(member, 'package.json').find((path) => paths.includes(path))!;
      const applied = applyLockfile(extractPackageJson(read(member)).deps, lockPath, lock, member, {
        workspacePackages: names,
      });
      expect(applied.errors, member).toEqual([]);
      return applied.deps.map((dep) => [
        dep.depName,
        dep.lockedVersion ?? dep.skipReason,
        dep.lockFile ?? null,
      ]);
    });
    expect(byMember).toEqual([
      [
        ['@mono/lib', 'workspace', null],
        ['express', '4.21.0', 'package-lock.json'],
        ['lodash', '4.17.20', 'package-lock.json'], // packages/app/node_modules/lodash
      ],
      [['lodash', '4.17.21', 'package-lock.json']],
      [['commander', '12.1.0', 'package-lock.json']],
    ]);
  });

  it('a manifest the lock does not know as a member is an error on the lock', () => {
    const deps = extractPackageJson(read('packages/skipped/package.json')).deps;
    const applied = applyLockfile(
      deps,
      'package-lock.json',
      read('package-lock.json'),
      'packages/skipped/package.json',
    );
    expect(applied.errors).toEqual([{ message: 'no entry for workspace member "packages/skipped"' }]);
  });

  it('yarn v1 leaves workspace members out of the lock: named members are workspace, not missing', () => {
    const lock = '# yarn lockfile v1\n\n\nlodash@^4.17.0:\n  version "4.17.21"\n';
    const deps = extractPackageJson(read('packages/app/package.json')).deps.filter(
      (d) => d.depName !== 'express',
    );
    const applied = applyLockfile(deps, 'yarn.lock', lock, 'packages/app/package.json', {
      workspacePackages: new Set(['@mono/lib']),
    });
    expect(applied.errors).toEqual([]);
    expect(applied.deps.map((d) => [d.depName, d.lockedVersion ?? d.skipReason])).toEqual([
      ['@mono/lib', 'workspace'],
      ['lodash', '4.17.21'],
    ]);
  });

  it('pnpm importers by member path; link: versions are workspace links', () => {
    const lock = [
      "lockfileVersion: '9.0'",
      'importers:',
      '  .: {}',
      '  packages/app:',
      '    dependencies:',
      "      '@mono/lib':",
      '        specifier: ^1.0.0',
      '        version: link:../lib',
      '      express:',
      '        specifier: ^4.18.0',
      '        version: 4.21.0',
      '      lodash:',
      '        specifier: ^4.17.0',
      '        version: 4.17.21',
      '',
    ].join('\n');
    const deps = extractPackageJson(read('packages/app/package.json')).deps;
    const applied = applyLockfile(deps, 'pnpm-lock.yaml', lock, 'packages/app/package.json');
    expect(applied.errors).toEqual([]);
    expect(applied.deps.map((d) => [d.depName, d.lockedVersion ?? d.skipReason])).toEqual([
      ['@mono/lib', 'workspace'],
      ['express', '4.21.0'],
      ['lodash', '4.17.21'],
    ]);
    const missing = applyLockfile(deps, 'pnpm-lock.yaml', lock, 'packages/lib/package.json');
    expect(missing.errors).toEqual([{ message: 'no importer for "packages/lib"' }]);
  });

  it('globs: braces, nested roots, no member under node_modules or outside the root', () => {
    const all = [
      'web/package.json',
      'web/apps/a/package.json',
      'web/libs/b/package.json',
      'web/libs/b/node_modules/c/package.json',
      'web/other/package.json',
      'apps/x/package.json',
      'web/apps/a/deeper/package.json',
    ];
    expect(workspaceMembers('web/package.json', ['{apps,libs}/*'], all)).toEqual([
      'web/apps/a/package.json',
      'web/libs/b/package.json',
    ]);
    expect(workspaceMembers('web/package.json', ['./apps/**/'], all)).toEqual([
      'web/apps/a/package.json',
      'web/apps/a/deeper/package.json',
    ]);
    expect(workspaceMembers('web/package.json', ['../apps/*', '/abs', '{unclosed'], all)).toEqual([]);
  });

  it('globs are compiled to linear-time expressions: a pathological glob on a long path returns at once', () => {
    const glob = `${'*a'.repeat(30)}*b`;
    const path = `${'a'.repeat(5000)}/package.json`;
    expect(workspaceMembers('package.json', [glob], [path])).toEqual([]);
  });

  it('reads pnpm-workspace.yaml packages', () => {
    expect(
      pnpmWorkspaceGlobs("packages:\n  - 'packages/*'\n  - '!**/test/**'\ncatalog:\n  vue: ^3.4.0\n"),
    ).toEqual(['packages/*', '!**/test/**']);
    expect(pnpmWorkspaceGlobs('packages: [\n')).toEqual([]);
    expect(pnpmWorkspaceGlobs('')).toEqual([]);
  });
});

describe('npm lockfiles as the scan sees them (manager.lockfiles)', () => {
  it('belongs to the manager, with the node runtime', () => {
    expect(manager.lockfiles).toBe(npmLockfiles);
    expect(manager.runtime).toBe('node');
    const claims = (path: string) => npmLockfiles.filePatterns.some((re) => re.test(path));
    expect(
      ['yarn.lock', 'a/pnpm-lock.yaml', 'a/npm-shrinkwrap.json', 'node_modules/x/package-lock.json'].map(
        claims,
      ),
    ).toEqual([true, true, true, false]);
  });

  it('looks in the manifest directory, then in each ancestor', () => {
    expect(npmLockfiles.candidates('a/b/package.json')).toEqual([
      'a/b/npm-shrinkwrap.json',
      'a/b/package-lock.json',
      'a/b/yarn.lock',
      'a/b/pnpm-lock.yaml',
      'a/npm-shrinkwrap.json',
      'a/package-lock.json',
      'a/yarn.lock',
      'a/pnpm-lock.yaml',
      'npm-shrinkwrap.json',
      'package-lock.json',
      'yarn.lock',
      'pnpm-lock.yaml',
    ]);
  });

  it('uses an ancestor lock for the members it knows, and says nothing for other projects below it', () => {
    const lock = read('package-lock.json');
    const app = extractPackageJson(read('packages/app/package.json')).deps;
    const applied = npmLockfiles.apply(app, 'packages/app/package.json', 'package-lock.json', lock);
    expect(applied.errors).toEqual([]);
    expect(applied.deps.map((d) => d.lockedVersion ?? d.skipReason)).toEqual([
      'workspace',
      '4.21.0',
      '4.17.20',
    ]);
    const example = npmLockfiles.apply(app, 'examples/demo/package.json', 'package-lock.json', lock);
    expect(example).toEqual({ deps: app, errors: [] });
    for (const odd of ['__proto__/package.json', 'constructor/package.json'])
      expect(npmLockfiles.apply(app, odd, 'package-lock.json', lock), odd).toEqual({ deps: app, errors: [] });
    // Its own lock, even malformed, is its lock.
    expect(npmLockfiles.apply(app, 'package.json', 'package-lock.json', '{').errors).toHaveLength(1);
  });

  it('Berry knows its workspaces by their `@workspace:` entries; a v1 lock knows none', () => {
    const berry =
      '__metadata:\n  version: 8\n\n"@mono/app@workspace:packages/app":\n  version: 0.0.0-use.local\n  resolution: "@mono/app@workspace:packages/app"\n\n"lodash@npm:^4.17.0":\n  version: 4.17.21\n  resolution: "lodash@npm:4.17.21"\n';
    const deps = extractPackageJson('{"dependencies":{"lodash":"^4.17.0"}}').deps;
    expect(
      npmLockfiles.apply(deps, 'packages/app/package.json', 'yarn.lock', berry).deps[0]!.lockedVersion,
    ).toBe('4.17.21');
    expect(
      npmLockfiles.apply(deps, 'packages/other/package.json', 'yarn.lock', berry).deps[0]!.lockedVersion,
    ).toBeUndefined();
    const classic = '# yarn lockfile v1\n\n\nlodash@^4.17.0:\n  version "4.17.21"\n';
    expect(
      npmLockfiles.apply(deps, 'packages/app/package.json', 'yarn.lock', classic).deps[0]!.lockedVersion,
    ).toBeUndefined();
    expect(npmLockfiles.apply(deps, 'package.json', 'yarn.lock', classic).deps[0]!.lockedVersion).toBe(
      '4.17.21',
    );
  });
});

describe('npm .npmrc registries', () => {
  const npmrc = parseNpmrc(
    [
      '# comment',
      'registry=https://npm.example.com',
      '@acme:registry = "https://acme.example.com/npm/"',
      '@env:registry=${PRIVATE_REGISTRY}',
      '//npm.example.com/:_authToken=secret-token',
      '_auth=c2VjcmV0',
      'always-auth=true',
      '@bad:registry=ftp://nope',
      '',
    ].join('\r\n'),
  );

  it('keeps registry and scope registries, never auth lines or environment references', () => {
    expect(npmrc).toEqual({
      registry: 'https://npm.example.com/',
      scopes: { '@acme': 'https://acme.example.com/npm/' },
    });
    expect(JSON.stringify(npmrc)).not.toMatch(/secret|c2Vj/);
  });

  it('sets registryUrls on npm dependencies by the scope of the looked-up name', () => {
    const { deps } = extractPackageJson(
      JSON.stringify({
        dependencies: { '@acme/ui': '^1', plain: '^2', aliased: 'npm:@acme/core@^3', '@other/x': '^4' },
        engines: { node: '>=20' },
      }),
    );
    expect(applyNpmrc(deps, npmrc).map((d) => [d.depName, d.registryUrls ?? null])).toEqual([
      ['@acme/ui', ['https://acme.example.com/npm/']],
      ['plain', ['https://npm.example.com/']],
      ['aliased', ['https://acme.example.com/npm/']],
      ['@other/x', ['https://npm.example.com/']],
      ['node', null], // not an npm package
    ]);
    expect(applyNpmrc(deps, parseNpmrc('')).every((d) => d.registryUrls === undefined)).toBe(true);
  });
});
