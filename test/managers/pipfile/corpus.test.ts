// Pipfile and Pipfile.lock files of the deps corpus (skipped when it is absent).
import { describe, expect, it } from 'vitest';
import { extractPipfile } from '../../../src/managers/pipfile/index.js';
import { readPipfileLock } from '../../../src/managers/python-locks/index.js';
import { corpusDeps } from '../../support/corpus.js';
import {
  corpusFiles,
  expectRangesHold,
  lockFigures,
  readCorpusDeps,
} from '../python-locks/corpus-support.js';

describe.skipIf(!corpusDeps)('Pipfile corpus', () => {
  const manifests = corpusFiles('pipfile');

  it('extracts every Pipfile, with ranges that slice back to their values', () => {
    expect(manifests.length).toBeGreaterThan(0);
    for (const path of manifests) {
      const content = readCorpusDeps(path);
      const result = extractPipfile(content);
      expect(result.errors, path).toBeUndefined();
      expectRangesHold(content, result);
    }
  });

  it('parses every Pipfile.lock', () => {
    for (const path of corpusFiles('pipfile-lock')) {
      const read = readPipfileLock(readCorpusDeps(path));
      expect('lock' in read && read.lock.packages.size > 0, path).toBe(true);
    }
  });

  it('gives most direct dependencies a locked version', () => {
    const figures = lockFigures(manifests, extractPipfile);
    console.log(
      `Pipfile + lock: ${figures.manifests} manifests, ${figures.locked}/${figures.checked} direct deps locked\n` +
        figures.contradictions.join('\n'),
    );
    expect(figures.manifests).toBeGreaterThan(0);
    expect(figures.locked / figures.checked).toBeGreaterThan(0.9);
  });
});
