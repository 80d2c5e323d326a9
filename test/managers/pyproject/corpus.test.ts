// pyproject.toml, poetry.lock and uv.lock files of the deps corpus (skipped when it is absent).
import { describe, expect, it } from 'vitest';
import { extractPyproject } from '../../../src/managers/pyproject/index.js';
import { poetryLockIsFresh, readPoetryLock, readUvLock } from '../../../src/managers/python-locks/index.js';
import { corpusDeps } from '../../support/corpus.js';
import {
  corpusFiles,
  expectRangesHold,
  lockFigures,
  readCorpusDeps,
} from '../python-locks/corpus-support.js';

describe.skipIf(!corpusDeps)('pyproject corpus', () => {
  const manifests = corpusFiles('pyproject-pep621', 'pyproject-poetry', 'pyproject-other');

  it('extracts every pyproject.toml, with ranges that slice back to their values', () => {
    expect(manifests.length).toBeGreaterThan(0);
    let deps = 0;
    for (const path of manifests) {
      const content = readCorpusDeps(path);
      const result = extractPyproject(content);
      expect(result.errors, path).toBeUndefined();
      expectRangesHold(content, result);
      deps += result.deps.length;
    }
    console.log(`pyproject corpus: ${manifests.length} files, ${deps} dependencies`);
  });

  it('parses every poetry.lock and uv.lock', () => {
    let packages = 0;
    const locks = [
      ...corpusFiles('poetry-lock').map((path) => readPoetryLock(readCorpusDeps(path))),
      ...corpusFiles('uv-lock').map((path) => readUvLock(readCorpusDeps(path))),
    ];
    for (const read of locks) {
      expect(read).not.toHaveProperty('error');
      if ('lock' in read) packages += read.lock.packages.size;
    }
    console.log(`poetry.lock + uv.lock corpus: ${locks.length} files, ${packages} locked packages`);
    expect(packages).toBeGreaterThan(0);
  });

  it("compares each poetry.lock's content-hash with its pyproject.toml", () => {
    const verdicts: string[] = [];
    for (const lockPath of corpusFiles('poetry-lock')) {
      const read = readPoetryLock(readCorpusDeps(lockPath));
      const manifest = lockPath.replace(/poetry\.lock$/, 'pyproject.toml');
      if ('lock' in read)
        verdicts.push(`${poetryLockIsFresh(readCorpusDeps(manifest), read.lock)} ${lockPath}`);
    }
    console.log(`poetry.lock content-hash (fresh?):\n${verdicts.join('\n')}`);
    expect(verdicts.filter((verdict) => verdict.startsWith('true')).length).toBeGreaterThan(
      verdicts.length / 2,
    );
  });

  it('gives most direct dependencies of a manifest with a lock a locked version', () => {
    const figures = lockFigures(manifests, extractPyproject);
    console.log(
      `pyproject + lock: ${figures.manifests} manifests, ${figures.locked}/${figures.checked} direct deps locked\n` +
        figures.contradictions.join('\n'),
    );
    expect(figures.manifests).toBeGreaterThan(0);
    expect(figures.locked / figures.checked).toBeGreaterThan(0.9);
  });
});
