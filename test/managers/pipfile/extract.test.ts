// Pipfile extraction over fixtures written for the project: specifiers and tables with exact ranges,
// [[source]] indexes without credentials, [requires] python_version; Pipfile.lock applied to it.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Dependency } from '../../../src/core/types.js';
import { extractPipfile, manager } from '../../../src/managers/pipfile/index.js';
import type { PythonDependency } from '../../../src/managers/pip-requirements/package-dep.js';
import { applyLockfile, lockfileCandidates } from '../../../src/managers/python-locks/index.js';

const fixture = (name: string): string => readFileSync(new URL(`fixtures/${name}`, import.meta.url), 'utf8');
const rows = (deps: Dependency[]) =>
  deps.map((dep) => [dep.line, dep.depName, dep.depType, dep.currentValue, dep.skipReason ?? null]);

describe('Pipfile', () => {
  const content = fixture('Pipfile');
  const { deps, errors } = extractPipfile(content);

  it('reads packages, dev-packages and the python version', () => {
    expect(errors).toBeUndefined();
    expect(rows(deps)).toEqual([
      [13, 'requests', 'packages', '==2.31.0', null],
      [14, 'flask', 'packages', '>=3.0,<4', null],
      [15, 'anything', 'packages', '*', 'unspecified-version'],
      [16, 'Django', 'packages', '~=4.2', null],
      [17, 'internal', 'packages', '>=1.0', null],
      [18, 'fromgit', 'packages', 'https://github.com/example/fromgit.git', 'git'],
      [19, 'localpkg', 'packages', './libs/localpkg', 'local'],
      [20, 'fromfile', 'packages', 'https://files.example/fromfile-1.0.tar.gz', 'url'],
      [21, 'bad', 'packages', 'not a version', 'invalid-value'],
      [24, 'pytest', 'dev-packages', '>=8', null],
      [27, 'python', 'requires-python', '3.12', null],
    ]);
  });

  it('gives every specifier string its exact range (CRLF too)', () => {
    for (const text of [content, content.replaceAll('\n', '\r\n')]) {
      const found = extractPipfile(text).deps;
      const ranged = found.filter((dep) => dep.valueRange);
      for (const dep of ranged)
        expect(text.slice(dep.valueRange!.start, dep.valueRange!.end)).toBe(dep.currentValue);
      expect(found.filter((dep) => !dep.valueRange).map((dep) => dep.depName)).toEqual([
        'fromgit',
        'localpkg',
        'fromfile',
      ]);
    }
  });

  it('[[source]] URLs become registryUrls without credentials; `index` picks one', () => {
    const all = ['https://pypi.org/simple', 'https://private.example/simple'];
    expect(deps.find((dep) => dep.depName === 'requests')!.registryUrls).toEqual(all);
    expect(deps.find((dep) => dep.depName === 'internal')!.registryUrls).toEqual([
      'https://private.example/simple',
    ]);
    expect(deps.find((dep) => dep.depName === 'fromgit')!.registryUrls).toBeUndefined();
    expect(JSON.stringify(deps)).not.toContain('hunter2');
  });

  it('tables keep their markers and extras beside the value', () => {
    const internal = deps.find((dep) => dep.depName === 'internal') as PythonDependency;
    expect(internal.marker).toBe("sys_platform == 'linux'");
    expect((deps.find((dep) => dep.depName === 'Django') as PythonDependency).extras).toEqual(['argon2']);
  });

  it('Pipfile.lock, beside it, gives locked versions', () => {
    expect(lockfileCandidates('app/Pipfile')).toEqual(['app/Pipfile.lock']);
    const applied = applyLockfile(deps, 'app/Pipfile.lock', fixture('Pipfile.lock'));
    expect(applied.errors).toEqual([]);
    const locked = applied.deps
      .filter((dep) => dep.lockedVersion)
      .map((dep) => [dep.depName, dep.lockedVersion, dep.lockFile]);
    expect(locked).toEqual([
      ['requests', '2.31.0', 'app/Pipfile.lock'],
      ['flask', '3.0.3', 'app/Pipfile.lock'],
      ['anything', '0.1', 'app/Pipfile.lock'],
      ['Django', '4.2.11', 'app/Pipfile.lock'],
      ['internal', '1.4', 'app/Pipfile.lock'],
      ['pytest', '8.1.1', 'app/Pipfile.lock'],
    ]);
    expect(applied.lock?.hashes?.get('requests')).toEqual(['sha256:aaaa', 'sha256:bbbb']);
    expect(applied.lock?.contentHash).toMatch(/^0123/);
  });

  it('malformed TOML is a file error; odd files never throw', () => {
    const result = manager.extract('[packages]\nrequests = "==2\n', 'Pipfile');
    expect(result).toEqual({
      deps: [],
      errors: [{ line: 2, message: expect.stringContaining('(line 2, column') }],
    });
    for (const text of ['', '[packages]\nx = 1\n', 'packages = []', '[requires]\npython_version = 3'])
      expect(() => manager.extract(text, 'Pipfile')).not.toThrow();
    expect(manager.filePatterns.some((pattern) => pattern.test('svc/Pipfile'))).toBe(true);
    expect(manager.filePatterns.some((pattern) => pattern.test('svc/Pipfile.lock'))).toBe(false);
  });
});
