// package.json extraction: every dependency type, every skip reason, aliases, exact value ranges (UTF-16
// offsets, also after non-ASCII text), malformed JSON and duplicate keys. Fixture: fixtures/all-types/.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Dependency } from '../../../src/core/types.js';
import { extractPackageJson, manager } from '../../../src/managers/npm/index.js';

const FIXTURES = new URL('fixtures/', import.meta.url);
const read = (path: string): string => readFileSync(new URL(path, FIXTURES), 'utf8');

const rows = (deps: Dependency[]) =>
  deps.map((dep) => [
    dep.line,
    dep.depType,
    dep.depName,
    dep.packageName,
    dep.currentValue,
    dep.skipReason ?? null,
  ]);

describe('npm extract: fixtures/all-types/package.json', () => {
  const content = read('all-types/package.json');
  const file = extractPackageJson(content);

  it('lists every dependency type with its line, name, lookup name, value and skip reason', () => {
    expect(file.errors).toEqual([]);
    expect(rows(file.deps)).toEqual([
      [6, 'dependencies', 'express', 'express', '^4.18.2', null],
      [7, 'dependencies', 'lodash', 'lodash', '4.17.21', null],
      [8, 'dependencies', 'my-react', 'react', '^18.2.0', null],
      [9, 'dependencies', '@scope/pkg', '@scope/pkg', '~1.2.0', null],
      [10, 'dependencies', 'from-git', 'from-git', 'git+https://github.com/acme/from-git.git#v1.0.0', 'git'],
      [11, 'dependencies', 'from-github', 'from-github', 'github:acme/from-github', 'git'],
      [12, 'dependencies', 'shorthand', 'shorthand', 'acme/shorthand#main', 'git'],
      [13, 'dependencies', 'tarball', 'tarball', 'https://example.com/tarball-1.0.0.tgz', 'url'],
      [14, 'dependencies', 'local-file', 'local-file', 'file:../local-file', 'local'],
      [15, 'dependencies', 'local-link', 'local-link', 'link:./vendor/link', 'local'],
      [16, 'dependencies', 'local-path', 'local-path', './vendor/path', 'local'],
      [17, 'dependencies', 'member', 'member', 'workspace:*', 'workspace'],
      [18, 'dependencies', 'any', 'any', '*', 'unspecified-version'],
      [19, 'dependencies', 'empty', 'empty', '', 'unspecified-version'],
      [20, 'dependencies', 'newest', 'newest', 'latest', 'unspecified-version'],
      [21, 'dependencies', 'tagged', 'tagged', 'next', 'unspecified-version'],
      [22, 'dependencies', 'broken', 'broken', '^^1..2 !', 'invalid-value'],
      [23, 'dependencies', 'number', 'number', '4', 'invalid-value'],
      [26, 'devDependencies', 'typescript', 'typescript', '>= 5.0.0 < 6', null],
      [27, 'devDependencies', 'vitest', 'vitest', '1.x || 2.x', null],
      [30, 'optionalDependencies', 'fsevents', 'fsevents', '^2.3.3', null],
      [33, 'peerDependencies', 'react', 'react', '>=17', null],
      [36, 'overrides', 'semver', 'semver', '7.5.4', null],
      [37, 'overrides', 'glob', 'glob', '7.2.3', null],
      [40, 'overrides', 'webpack', 'webpack', '5.90.0', null],
      [41, 'overrides', 'terser', 'terser', '5.27.0', null],
      [45, 'engines', 'node', 'node', '>=20.11', null],
      [46, 'engines', 'npm', 'npm', '>=10', null],
      [49, 'packageManager', 'npm', 'npm', '10.8.1', null],
    ]);
  });

  it('gives each value the exact range an edit replaces, in UTF-16 offsets after non-ASCII text', () => {
    expect(content).toMatch(/😀/); // a surrogate pair before every value
    for (const dep of file.deps.filter((d) => d.valueRange)) {
      expect(content.slice(dep.valueRange!.start, dep.valueRange!.end), dep.depName).toBe(dep.currentValue);
      expect(dep.value).toBe(dep.currentValue);
    }
    // An alias's range covers the range only; packageManager's only the version, not the hash.
    const alias = file.deps.find((d) => d.depName === 'my-react')!;
    expect(content.slice(alias.valueRange!.start - 'npm:react@'.length, alias.valueRange!.end)).toBe(
      'npm:react@^18.2.0',
    );
    const pm = file.deps.find((d) => d.depType === 'packageManager')!;
    expect(content.slice(pm.valueRange!.end, pm.valueRange!.end + 8)).toBe('+sha512.');
    // A value that is not a string has nothing to edit.
    expect(file.deps.find((d) => d.depName === 'number')!.valueRange).toBeUndefined();
  });

  it('fills the ecosystem fields and leaves the image fields null', () => {
    const express = file.deps[0]!;
    expect(express).toMatchObject({
      datasource: 'npm',
      versioning: 'npm',
      registry: null,
      repository: null,
      tag: null,
      digest: null,
      source: 'package-file',
    });
    expect(file.deps.find((d) => d.depName === 'node')!.datasource).toBe('node-version');
  });

  it('returns workspaces and the name as data for the caller', () => {
    expect(file.name).toBe('fixture-app');
    expect(file.workspaces).toEqual(['packages/*', '!packages/ignored']);
  });
});

describe('npm extract: values', () => {
  const one = (value: string) => {
    const content = `{"dependencies":{"x":${JSON.stringify(value)}}}`;
    const dep = extractPackageJson(content).deps[0]!;
    return { content, dep };
  };

  it.each([
    ['^1.2.3', undefined],
    ['1.2.3 - 2.3.4', undefined],
    ['>=1.0.0 <2 || ^3', undefined],
    ['v1.2.3', undefined],
    ['~> 1.2', undefined],
    ['1.2.x', undefined],
    ['git://github.com/a/b.git', 'git'],
    ['git@github.com:a/b.git', 'git'],
    ['https://github.com/a/b', 'git'],
    ['https://gitlab.com/a/b.git#v1', 'git'],
    ['gitlab:a/b', 'git'],
    ['bitbucket:a/b', 'git'],
    ['https://registry.example.com/x/-/x-1.0.0.tgz', 'url'],
    ['http://example.com/x.tar.gz', 'url'],
    ['../sibling', 'local'],
    ['/abs/path', 'local'],
    ['portal:../x', 'local'],
    ['workspace:^', 'workspace'],
    ['catalog:', 'workspace'],
    ['x', 'unspecified-version'],
    ['beta', 'unspecified-version'],
    ['1.2.3.4', 'invalid-value'],
    ['>=', 'invalid-value'],
    ['npm:', 'invalid-value'],
  ])('%s → %s', (value, skipReason) => {
    expect(one(value).dep.skipReason).toBe(skipReason);
  });

  it('reads aliases: scoped target, no range, a non-registry range', () => {
    const scoped = one('npm:@types/node@^20.1.0').dep;
    expect([scoped.packageName, scoped.currentValue, scoped.skipReason]).toEqual([
      '@types/node',
      '^20.1.0',
      undefined,
    ]);
    const bare = one('npm:other').dep;
    expect([bare.packageName, bare.currentValue, bare.skipReason]).toEqual([
      'other',
      '',
      'unspecified-version',
    ]);
    const { content, dep } = one('npm:other@github:a/b');
    expect([dep.packageName, dep.skipReason]).toEqual(['other', 'invalid-value']);
    expect(content.slice(dep.valueRange!.start, dep.valueRange!.end)).toBe('github:a/b');
  });

  it('gives a value with escapes no range (the text differs from the value)', () => {
    const content = '{"dependencies":{"x":"\\u005e1.0.0"}}';
    const [dep] = extractPackageJson(content).deps;
    expect(dep!.currentValue).toBe('^1.0.0');
    expect(dep!.skipReason).toBeUndefined();
    expect(dep!.valueRange).toBeUndefined();
  });

  it('reads escaped keys and values after escapes on the same line at the right offsets', () => {
    const content = '{"a\\"b":"\\n\\u00e9", "dependencies": {"\\u0078": "^1", "y": "~2"}}';
    const deps = extractPackageJson(content).deps;
    expect(deps.map((d) => d.depName)).toEqual(['x', 'y']);
    expect(content.slice(deps[1]!.valueRange!.start, deps[1]!.valueRange!.end)).toBe('~2');
  });

  it('keys named like Object.prototype members are plain keys', () => {
    const file = extractPackageJson(
      '{"engines":{"constructor":"1","toString":"2"},"dependencies":{"__proto__":"^1.0.0","constructor":"^2.0.0"}}',
    );
    expect(rows(file.deps)).toEqual([
      [1, 'dependencies', '__proto__', '__proto__', '^1.0.0', null],
      [1, 'dependencies', 'constructor', 'constructor', '^2.0.0', null],
    ]);
  });

  it('packageManager: yarn and pnpm, other tools and ranges are invalid', () => {
    const pm = (value: string) =>
      extractPackageJson(JSON.stringify({ packageManager: value })).deps.map((d) => [
        d.depName,
        d.currentValue,
        d.skipReason ?? null,
      ]);
    expect(pm('yarn@4.1.1')).toEqual([['yarn', '4.1.1', null]]);
    expect(pm('pnpm@9.1.0+sha256.abc')).toEqual([['pnpm', '9.1.0', null]]);
    expect(pm('bun@1.1.0')).toEqual([['bun', '1.1.0', 'invalid-value']]);
    expect(pm('npm@^10')).toEqual([['npm', '^10', 'invalid-value']]);
    expect(pm('npm')).toEqual([['npm', '', 'invalid-value']]);
  });

  it('workspaces as an array or an object with packages; yarn resolutions that reach direct dependencies', () => {
    expect(extractPackageJson('{"workspaces":["a/*"]}').workspaces).toEqual(['a/*']);
    expect(extractPackageJson('{"workspaces":{"packages":["b/*"],"nohoist":["x"]}}').workspaces).toEqual([
      'b/*',
    ]);
    const file = extractPackageJson('{"resolutions":{"react":"18.3.1","**/debug":"4.3.4","a/b":"1.0.0"}}');
    expect([...file.resolutions!]).toEqual([
      ['react', '18.3.1'],
      ['debug', '4.3.4'],
    ]);
  });
});

describe('npm extract: malformed and odd files', () => {
  it.each([
    ['{\n  "dependencies": {\n    "a": "^1",\n  }\n}', 4, 3, "expected a key, found '}'"],
    ['{\n  "dependencies": {\n    "a": "^1"\n', 4, 1, "expected ',' or '}', found end of input"],
    ['{"a": "unterminated', 1, 7, 'unterminated string'],
    ['{"a": tru}', 1, 7, "unexpected 't'"],
    ['{"a": 1} x', 1, 10, "unexpected 'x' after the end of the document"],
    ['{"a": "\\q"}', 1, 8, 'invalid escape'],
    ['', 1, 1, 'unexpected end of input'],
  ])(
    'reports %j as one error with its line and column, and no dependencies',
    (content, line, column, what) => {
      const file = extractPackageJson(content);
      expect(file.deps).toEqual([]);
      expect(file.errors).toEqual([
        { line, message: `Invalid JSON: ${what} (line ${line}, column ${column})` },
      ]);
    },
  );

  it('never throws on deep nesting', () => {
    const file = extractPackageJson('['.repeat(100_000));
    expect(file.errors[0]!.message).toMatch(/nesting too deep/);
  });

  it('reads a BOM, and reports a file that is not an object', () => {
    expect(extractPackageJson('\ufeff{"dependencies":{"a":"1.0.0"}}').deps).toHaveLength(1);
    expect(extractPackageJson('[]').errors).toEqual([
      { line: 1, message: 'package.json is not a JSON object' },
    ]);
    expect(extractPackageJson('{"dependencies":[]}').errors).toEqual([
      { line: 1, message: '"dependencies" is not an object' },
    ]);
  });

  it('keeps the last of duplicate keys, as JSON.parse does, and says so', () => {
    const content = '{\n"dependencies": {\n"a": "^1.0.0",\n"b": "^2.0.0",\n"a": "^3.0.0"\n}\n}';
    const file = extractPackageJson(content);
    expect(rows(file.deps)).toEqual([
      [4, 'dependencies', 'b', 'b', '^2.0.0', null],
      [5, 'dependencies', 'a', 'a', '^3.0.0', null],
    ]);
    expect(file.errors).toEqual([
      { message: 'Duplicate key "a" in dependencies: the last one counts, as for npm' },
    ]);
    expect(manager.extract(content, 'package.json').errors).toHaveLength(1);
  });

  it('claims package.json anywhere but under node_modules', () => {
    const claims = (path: string) => manager.filePatterns.some((re) => re.test(path));
    expect(['package.json', 'a/b/package.json', 'node_modules_x/package.json'].map(claims)).toEqual([
      true,
      true,
      true,
    ]);
    expect(
      ['node_modules/x/package.json', 'a/node_modules/b/package.json', 'package.json5', 'xpackage.json'].map(
        claims,
      ),
    ).toEqual([false, false, false, false]);
  });
});
