// requirements.txt / constraints.txt extraction over fixtures written for the project: every syntax pip
// reads, exact specifier ranges (also across CRLF and non-ASCII text), includes, indexes and hashes.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Dependency } from '../../../src/core/types.js';
import { extractRequirementsFile, manager } from '../../../src/managers/pip-requirements/index.js';

const fixture = (name: string): string => readFileSync(new URL(`fixtures/${name}`, import.meta.url), 'utf8');
const rows = (deps: Dependency[]) =>
  deps.map((dep) => [
    dep.line,
    dep.depName,
    dep.packageName ?? null,
    dep.currentValue,
    dep.skipReason ?? null,
  ]);

/** Every range holds its value, and only deps with a registry value lack none. */
function expectRanges(content: string, deps: Dependency[]): void {
  for (const dep of deps) {
    if (!dep.valueRange) continue;
    expect(content.slice(dep.valueRange.start, dep.valueRange.end), dep.depName).toBe(dep.currentValue);
  }
}

describe('pip requirements: every construct', () => {
  const content = fixture('requirements.txt');
  const file = extractRequirementsFile(content, 'app/requirements.txt');

  it('reads requirements, references and invalid lines with the line each starts on', () => {
    expect(rows(file.deps)).toEqual([
      [8, 'requests', 'requests', '>=2.31,<3', null],
      [9, 'flask', 'flask', '==3.0.*', null],
      [10, 'Django', 'django', '~=4.2.1', null],
      [11, 'urllib3', 'urllib3', '!=2.0.0,>=1.26', null],
      [12, 'legacy-pkg', 'legacy-pkg', '===1.0-custom', null],
      [13, 'numpy', 'numpy', '>=1.26', null],
      [14, 'Typing_Extensions', 'typing-extensions', '', 'unspecified-version'],
      [15, 'attrs', 'attrs', '>= 23.1', null],
      [18, 'cryptography', 'cryptography', '==42.0.5', null],
      [21, 'six', 'six', '==1.16.0', null],
      [
        23,
        'editable_pkg',
        'editable-pkg',
        'git+https://github.com/example/editable.git@v1.0#egg=editable_pkg',
        'git',
      ],
      [24, './libs/localpkg', null, './libs/localpkg', 'local'],
      [25, '.', null, '.', 'local'],
      [26, 'plain-vcs', 'plain-vcs', 'git+https://github.com/example/plain.git@main#egg=plain-vcs', 'git'],
      [27, 'mylib', 'mylib', 'git+https://github.com/example/mylib.git@v2.0', 'git'],
      [28, 'wheelpkg', 'wheelpkg', 'https://files.example/wheelpkg-1.0-py3-none-any.whl', 'url'],
      [29, './vendor/thing-1.0.tar.gz', null, './vendor/thing-1.0.tar.gz', 'local'],
      [30, 'https://files.example/archive.zip', null, 'https://files.example/archive.zip', 'url'],
      [31, 'pkg-from-file', 'pkg-from-file', 'file:///opt/wheels/pkg-1.0.whl', 'local'],
      [32, 'not', 'not', 'not a requirement!!', 'invalid-value'],
      [33, '==1.0', null, '==1.0', 'invalid-value'],
      [34, 'pytest', 'pytest', '>=7', null],
      // A password in a reference is not repeated in reports.
      [35, 'private', 'private', 'git+https://git.example/private.git', 'git'],
    ]);
  });

  it('gives every registry requirement the exact range of its specifier', () => {
    expectRanges(content, file.deps);
    const ranged = file.deps.filter((dep) => dep.valueRange).map((dep) => dep.depName);
    // six too: its specifier is on the line after a continuation, yet still one run of text.
    expect(ranged).toEqual([
      'requests',
      'flask',
      'Django',
      'urllib3',
      'legacy-pkg',
      'numpy',
      'Typing_Extensions',
      'attrs',
      'cryptography',
      'six',
      'pytest',
    ]);
    // A bare name: an empty range right after the name, where a specifier would be inserted.
    const bare = file.deps.find((dep) => dep.depName === 'Typing_Extensions')!;
    expect(content.slice(bare.valueRange!.start - 'Typing_Extensions'.length, bare.valueRange!.end)).toBe(
      'Typing_Extensions',
    );
  });

  it('keeps markers and extras beside the value, and every dep is a pypi/pep440 requirements dep', () => {
    const requests = file.deps[0]!;
    expect(requests.marker).toBe('python_version >= "3.8"');
    expect(requests.extras).toEqual(['socks', 'security']);
    expect(file.deps.find((dep) => dep.depName === 'mylib')!.marker).toBe('sys_platform == "linux"');
    for (const dep of file.deps) {
      expect([dep.datasource, dep.versioning, dep.depType]).toEqual(['pypi', 'pep440', 'requirements']);
      expect([dep.registry, dep.repository, dep.tag, dep.digest]).toEqual([null, null, null, null]);
      expect(dep.value).toBe(dep.currentValue);
    }
  });

  it('returns -r and -c includes resolved against the file’s folder', () => {
    expect(file.includes).toEqual([
      {
        kind: 'requirements',
        target: 'base/requirements-base.txt',
        path: 'app/base/requirements-base.txt',
        remote: false,
        line: 4,
      },
      {
        kind: 'requirements',
        target: '../common/base.txt',
        path: 'common/base.txt',
        remote: false,
        line: 5,
      },
      { kind: 'constraints', target: 'constraints.txt', path: 'app/constraints.txt', remote: false, line: 6 },
    ]);
  });

  it('gives registry deps the index URLs without credentials, and says the credentials were dropped', () => {
    const urls = ['https://pypi.internal.example/simple/', 'https://mirror.example/simple'];
    for (const dep of file.deps) {
      if (!dep.skipReason || dep.skipReason === 'unspecified-version')
        expect(dep.registryUrls, dep.depName).toEqual(urls);
      else expect(dep.registryUrls, dep.depName).toBeUndefined();
    }
    expect(JSON.stringify(file)).not.toContain('s3cret');
    expect(JSON.stringify(file)).not.toContain('tok3n');
    expect(file.notes).toEqual([expect.stringContaining('line 2: the index URL')]);
  });

  it('records --hash values per requirement and flags the file as hash-checking', () => {
    expect(file.hashed).toBe(true);
    const crypto = file.deps.find((dep) => dep.depName === 'cryptography')!;
    expect(crypto.hashes).toEqual([`sha256:${'1'.repeat(64)}`, `sha256:${'2'.repeat(64)}`]);
    expect(file.deps.filter((dep) => dep.hashes).length).toBe(1);
  });

  it('short and `=` option forms read the same', () => {
    const file = extractRequirementsFile(
      '-i https://idx.example/simple\n-rdev.txt\n--constraint=../c.txt\nflask>=3\n',
      'svc/requirements.txt',
    );
    expect(file.includes.map((found) => [found.kind, found.path])).toEqual([
      ['requirements', 'svc/dev.txt'],
      ['constraints', 'c.txt'],
    ]);
    expect(file.deps[0]!.registryUrls).toEqual(['https://idx.example/simple']);
    expect(file.notes).toEqual([]);
  });

  it('an extra index alone keeps PyPI first, as pip does', () => {
    const { deps } = extractRequirementsFile(
      '--extra-index-url https://x.example/simple\nrequests\n',
      'requirements.txt',
    );
    expect(deps[0]!.registryUrls).toEqual(['https://pypi.org/simple/', 'https://x.example/simple']);
  });
});

describe('pip requirements: line endings, text before values, kinds', () => {
  it('CRLF files give the same deps and ranges as LF ones', () => {
    const lf = fixture('requirements.txt');
    const crlf = lf.replaceAll('\n', '\r\n');
    const a = extractRequirementsFile(lf, 'requirements.txt');
    const b = extractRequirementsFile(crlf, 'requirements.txt');
    expect(rows(b.deps)).toEqual(rows(a.deps));
    expectRanges(crlf, b.deps);
    expect(b.deps.filter((dep) => dep.valueRange).length).toBe(a.deps.filter((dep) => dep.valueRange).length);
    expect(b.deps.find((dep) => dep.depName === 'cryptography')!.hashes).toHaveLength(2);
  });

  it('non-ASCII text (an astral emoji included) before a value leaves its range exact', () => {
    const content = fixture('requirements-unicode.txt');
    const { deps } = extractRequirementsFile(content, 'requirements-unicode.txt');
    expect(rows(deps)).toEqual([
      [2, 'requests', 'requests', '==2.31.0', null],
      [3, 'émoji-free  ; python_version<"3"', null, 'émoji-free  ; python_version<"3"', 'invalid-value'],
    ]);
    expectRanges(content, deps);
    expect(deps[0]!.valueRange!.start).toBe(content.indexOf('==2.31.0'));
  });

  it('constraints files and -c targets are constraints', () => {
    const content = fixture('constraints.txt');
    const byName = extractRequirementsFile(content, 'constraints.txt');
    expect(rows(byName.deps)).toEqual([
      [2, 'urllib3', 'urllib3', '<2', null],
      [3, 'certifi', 'certifi', '>=2024.2.2', null],
    ]);
    expect(byName.deps.map((dep) => dep.depType)).toEqual(['constraints', 'constraints']);
    const forced = extractRequirementsFile('urllib3<2\n', 'deps/pins.txt', 'constraints');
    expect(forced.deps[0]!.depType).toBe('constraints');
  });

  it('empty, comment-only and odd files give nothing and never throw', () => {
    for (const content of ['', '\n\n', '# only a comment\n', '\\', '-r', '--hash', '  \\\n\\\n', '[extras]'])
      expect(() => manager.extract(content, 'requirements.txt')).not.toThrow();
    expect(manager.extract('# nothing\n', 'requirements.txt')).toEqual({ deps: [] });
  });

  it('claims requirements*.txt, requirements/*.txt and constraints*.txt', () => {
    const claims = (path: string) => manager.filePatterns.some((pattern) => pattern.test(path));
    for (const path of [
      'requirements.txt',
      'a/requirements-dev.txt',
      'requirements/base.txt',
      'constraints.txt',
      'x/constraints-py3.txt',
    ])
      expect(claims(path), path).toBe(true);
    for (const path of ['requirements.in', 'docs/requirements.md', 'notes.txt', 'requirements/sub/x.py'])
      expect(claims(path), path).toBe(false);
  });
});
