// requirements and constraints files of the deps corpus (skipped when it is absent).
import { describe, expect, it } from 'vitest';
import { extractRequirementsFile } from '../../../src/managers/pip-requirements/index.js';
import { corpusDeps } from '../../support/corpus.js';
import { corpusFiles, expectRangesHold, readCorpusDeps } from '../python-locks/corpus-support.js';

describe.skipIf(!corpusDeps)('pip requirements corpus', () => {
  it('extracts every file, with ranges that slice back to their values', () => {
    const paths = corpusFiles('requirements', 'requirements-hashes', 'constraints');
    expect(paths.length).toBeGreaterThan(0);
    const counts = { deps: 0, ranged: 0, invalid: 0, hashedFiles: 0, includes: 0 };
    const invalid: string[] = [];
    for (const path of paths) {
      const content = readCorpusDeps(path);
      const result = extractRequirementsFile(content, path);
      expectRangesHold(content, result);
      counts.deps += result.deps.length;
      counts.ranged += result.deps.filter((dep) => dep.valueRange).length;
      counts.includes += result.includes.length;
      if (result.hashed) counts.hashedFiles += 1;
      for (const dep of result.deps)
        if (dep.skipReason === 'invalid-value') invalid.push(`${path}:${dep.line} ${dep.currentValue}`);
    }
    counts.invalid = invalid.length;
    console.log(
      `requirements corpus: ${paths.length} files, ${JSON.stringify(counts)}\n${invalid.join('\n')}`,
    );
    // Files pip-compile wrote with --generate-hashes are the hash-checking ones.
    expect(counts.hashedFiles).toBeGreaterThanOrEqual(corpusFiles('requirements-hashes').length);
  });

  it('in hash-checking files every pinned requirement carries its hashes', () => {
    for (const path of corpusFiles('requirements-hashes')) {
      const { deps, hashed } = extractRequirementsFile(readCorpusDeps(path), path);
      expect(hashed, path).toBe(true);
      for (const dep of deps.filter((found) => !found.skipReason))
        expect(dep.hashes?.length, `${path}:${dep.line}`).toBeGreaterThan(0);
    }
  });
});
