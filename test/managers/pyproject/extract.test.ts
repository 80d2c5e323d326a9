// pyproject.toml extraction over fixtures written for the project: PEP 621, PEP 735, uv and Poetry
// tables, with exact specifier ranges (literal and basic strings, multi-line arrays, comments, CRLF,
// non-ASCII text before values) and malformed TOML as a file error.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Dependency } from '../../../src/core/types.js';
import { extractPyproject, manager } from '../../../src/managers/pyproject/index.js';
import type { PythonDependency } from '../../../src/managers/pip-requirements/package-dep.js';

const fixture = (name: string): string => readFileSync(new URL(`fixtures/${name}`, import.meta.url), 'utf8');
const rows = (deps: Dependency[]) =>
  deps.map((dep) => [dep.line, dep.depName, dep.depType, dep.currentValue, dep.skipReason ?? null]);

function expectRanges(content: string, deps: Dependency[]): void {
  for (const dep of deps)
    if (dep.valueRange)
      expect(content.slice(dep.valueRange.start, dep.valueRange.end), dep.depName).toBe(dep.currentValue);
}
const unranged = (deps: Dependency[]) => deps.filter((dep) => !dep.valueRange).map((dep) => dep.depName);

describe('pyproject: PEP 621, dependency groups, uv', () => {
  const content = fixture('pep621/pyproject.toml');
  const { deps, errors } = extractPyproject(content);

  it('lists every dependency string of every table, in file order', () => {
    expect(errors).toBeUndefined();
    expect(rows(deps)).toEqual([
      [3, 'hatchling', 'build-system', '>=1.18', null],
      [3, 'setuptools-scm', 'build-system', '', 'unspecified-version'],
      [9, 'python', 'requires-python', '>=3.10', null],
      [11, 'requests', 'project', '>=2.31,<3', null],
      [12, 'Flask', 'project', '==3.0.*', null],
      [14, 'click', 'project', '', 'unspecified-version'],
      [15, 'internal-lib', 'project', '', 'unspecified-version'],
      [16, 'mylib', 'project', 'git+https://github.com/example/mylib.git@v1', 'git'],
      [17, 'escaped', 'project', '>=1.0', null],
      [18, 'not', 'project', 'not valid!!', 'invalid-value'],
      [19, 'workspace-member', 'project', '', 'workspace'],
      [23, 'PySocks', 'optional:socks', '>=1.7.1', null],
      [25, 'pytest', 'optional:dev.tools', '>= 8', null],
      [29, 'coverage', 'group:test', '~=7.4', null],
      [30, 'ruff', 'group:lint', '==0.4.4', null],
      [33, 'ipython', 'dev-dependencies', '>=8', null],
    ]);
  });

  it('gives each specifier its exact range; an escaped string and references get none', () => {
    expectRanges(content, deps);
    expect(unranged(deps)).toEqual(['mylib', 'escaped', 'not', 'workspace-member']);
    // A bare name: an empty range right after the name inside the string.
    const click = deps.find((dep) => dep.depName === 'click')!;
    expect(click.valueRange!.start).toBe(content.indexOf('"click"') + 1 + 'click'.length);
  });

  it('keeps markers and extras, and the runtime is python-version, not a PyPI package', () => {
    const requests = deps.find((dep) => dep.depName === 'requests') as PythonDependency;
    expect([requests.marker, requests.extras]).toEqual(["python_version >= '3.8'", ['socks']]);
    const python = deps.find((dep) => dep.depName === 'python')!;
    expect([python.datasource, python.versioning, python.packageName]).toEqual([
      'python-version',
      'pep440',
      undefined,
    ]);
    expect(deps.find((dep) => dep.depName === 'Flask')).toMatchObject({
      datasource: 'pypi',
      versioning: 'pep440',
      packageName: 'flask',
      value: '==3.0.*',
      registry: null,
      tag: null,
    });
  });

  it('a [tool.uv.sources] index gives its URL without credentials', () => {
    expect(deps.find((dep) => dep.depName === 'internal-lib')!.registryUrls).toEqual([
      'https://pypi.internal.example/simple',
    ]);
    expect(JSON.stringify(deps)).not.toContain('token');
  });
});

describe('pyproject: Poetry', () => {
  const content = fixture('poetry/pyproject.toml');
  const { deps, errors } = extractPyproject(content);

  it('reads constraints, tables, references and groups, with poetry versioning', () => {
    expect(errors).toBeUndefined();
    expect(rows(deps)).toEqual([
      [6, 'python', 'requires-python', '^3.10', null],
      [7, 'requests', 'dependencies', '^2.31', null],
      [8, 'Django', 'dependencies', '~4.2', null],
      [9, 'anything', 'dependencies', '*', 'unspecified-version'],
      [10, 'ranged', 'dependencies', '>=1.0,<2.0', null],
      [11, 'spaced', 'dependencies', '>= 1.0 < 2.0', null],
      [12, 'exact', 'dependencies', '1.2.3', null],
      [13, 'either', 'dependencies', '^1.0 || ^2.0', null],
      [14, 'wild', 'dependencies', '1.2.*', null],
      [15, 'tabled', 'dependencies', '^5.0', null],
      [16, 'nover', 'dependencies', '', 'unspecified-version'],
      [17, 'from-git', 'dependencies', 'https://github.com/example/from-git.git', 'git'],
      [18, 'from-path', 'dependencies', '../libs/from-path', 'local'],
      [19, 'from-url', 'dependencies', 'https://files.example/from-url-1.0.tar.gz', 'url'],
      [21, 'multi', 'dependencies', '<1.0', null],
      [22, 'multi', 'dependencies', '^1.0', null],
      [24, 'broken', 'dependencies', 'not a constraint', 'invalid-value'],
      [27, 'black', 'dev-dependencies', '^24.1', null],
      [30, 'pytest', 'group:test', '^8.0', null],
      [36, 'mkdocs', 'group:docs', '>=1.5', null],
    ]);
    for (const dep of deps) expect(dep.versioning, dep.depName).toBe('poetry');
  });

  it('gives constraints their exact ranges, inside inline tables and arrays of tables too', () => {
    expectRanges(content, deps);
    expect(unranged(deps)).toEqual(['nover', 'from-git', 'from-path', 'from-url']);
    expect(deps.find((dep) => dep.depName === 'broken')!.valueRange).toBeDefined();
  });

  it('a table’s source gives the [[tool.poetry.source]] URL without credentials; extras are kept', () => {
    const tabled = deps.find((dep) => dep.depName === 'tabled') as PythonDependency;
    expect(tabled.registryUrls).toEqual(['https://private.example/simple/']);
    expect(tabled.extras).toEqual(['hiredis']);
    expect(JSON.stringify(deps)).not.toContain(':pw@');
  });
});

describe('pyproject: line endings, malformed files, patterns', () => {
  it('CRLF files give the same deps and exact ranges', () => {
    for (const name of ['pep621/pyproject.toml', 'poetry/pyproject.toml']) {
      const lf = fixture(name);
      const crlf = lf.replaceAll('\n', '\r\n');
      const a = extractPyproject(lf).deps;
      const b = extractPyproject(crlf).deps;
      expect(rows(b)).toEqual(rows(a));
      expectRanges(crlf, b);
      expect(unranged(b)).toEqual(unranged(a));
    }
  });

  it('malformed TOML is one file error with line and column, and no deps', () => {
    const result = manager.extract(fixture('malformed.toml'), 'pyproject.toml');
    expect(result.deps).toEqual([]);
    expect(result.errors).toEqual([
      { line: 5, message: expect.stringMatching(/^TOML: .*\(line 5, column \d+\)$/) },
    ]);
  });

  it('odd but valid files give nothing and never throw', () => {
    for (const content of [
      '',
      'project = 1',
      '[project]\ndependencies = "x"',
      '[tool.poetry]\ndependencies = []',
      '[project]\ndependencies = [1, true, {a = 1}]',
    ])
      expect(manager.extract(content, 'pyproject.toml')).toEqual({ deps: [] });
  });

  it('claims pyproject.toml only', () => {
    expect(manager.filePatterns.some((pattern) => pattern.test('svc/pyproject.toml'))).toBe(true);
    expect(manager.filePatterns.some((pattern) => pattern.test('svc/pyproject.toml.bak'))).toBe(false);
  });
});

describe('pyproject: the position scanner over tricky TOML', () => {
  const content = fixture('tricky.toml');
  const { deps, errors } = extractPyproject(content);

  it('finds each string behind multi-line strings, escapes, comments, dotted keys and quoted headers', () => {
    expect(errors).toBeUndefined();
    expect(rows(deps)).toEqual([
      [13, 'alpha', 'project', '>=1', null],
      [13, 'beta', 'project', '<2', null],
      [14, 'gamma', 'project', '==3.*', null],
      [15, 'multi', 'project', '>=1', null],
      [17, 'uvloop', 'optional:fast', '>=0.19', null],
      [28, 'quoted-name', 'dependencies', '^1.0', null],
      [29, 'inline', 'dependencies', '>=2', null],
      [33, 'delta', 'group:spaced group', '~= 4.0', null],
    ]);
    expectRanges(content, deps);
    // A multi-line string is never edited in place.
    expect(unranged(deps)).toEqual(['multi']);
  });
});
