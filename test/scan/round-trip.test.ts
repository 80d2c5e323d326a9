// The promise edits rely on: every dep's byte ranges point exactly at its tag and digest (a package's at
// its written value), so writing a dep's own current value back through them returns every file
// byte-for-byte — of the project's fixture tree, and of the real-world corpus (DOCKHAND_CORPUS, skipped
// without it).
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import type { Dependency } from '../../src/core/types.js';
import { applyEdits, type Edit } from '../../src/edit/replace.js';
import { scanDirectory, type ScanResult } from '../../src/scan/scan.js';
import { corpus, FIXTURES } from '../support/corpus.js';

const scan = async (dir: string): Promise<ScanResult> => scanDirectory(dir, (await loadConfig(dir)).config);

function ownValueEdits(dep: Dependency): Edit[] {
  const edits: Edit[] = [];
  if (dep.tagRange) edits.push({ range: dep.tagRange, text: dep.tag ?? '' });
  if (dep.digestRange) edits.push({ range: dep.digestRange, text: dep.digest ?? '' });
  if (dep.valueRange) edits.push({ range: dep.valueRange, text: dep.currentValue ?? '' });
  return edits;
}

/** The managers that found files, and the deps with both a tag and a digest range. */
function coverage(result: ScanResult): { managers: string[]; editable: number } {
  const managers = [...new Set(result.files.map((f) => f.manager))].sort();
  const editable = result.files.flatMap((f) => f.deps).filter((d) => d.tagRange && d.digestRange).length;
  return { managers, editable };
}

/** Checks every dep's ranges against the file's bytes; the number of deps checked. */
function expectExactRanges(dir: string, result: ScanResult): number {
  let checked = 0;
  for (const file of result.files) {
    const bytes = readFileSync(dir + file.path);
    for (const dep of file.deps) {
      const where = `${file.path}:${dep.line} ${dep.value}`;
      if (dep.tagRange && dep.tag !== null) {
        expect(bytes.subarray(dep.tagRange.start, dep.tagRange.end).toString('utf8'), where).toBe(dep.tag);
      }
      if (dep.valueRange && dep.currentValue !== undefined) {
        expect(bytes.subarray(dep.valueRange.start, dep.valueRange.end).toString('utf8'), where).toBe(
          dep.currentValue,
        );
      }
      if (dep.digestRange && dep.digest !== null) {
        expect(bytes.subarray(dep.digestRange.start, dep.digestRange.end).toString('utf8'), where).toBe(
          dep.digest,
        );
      }
      for (const edit of ownValueEdits(dep)) {
        if (edit.range.start === edit.range.end)
          expect(edit.text, `${where}: empty range for a value`).toBe('');
      }
      const rewritten = applyEdits(bytes, ownValueEdits(dep));
      expect(rewritten.equals(bytes), where).toBe(true);
      checked++;
    }
    // All of a file's deps at once: ranges never overlap (an ARG shared by two FROMs is one range, once).
    const unique = new Map(
      file.deps.flatMap(ownValueEdits).map((e) => [`${e.range.start}-${e.range.end}`, e]),
    );
    expect(applyEdits(bytes, [...unique.values()]).equals(bytes), file.path).toBe(true);
  }
  return checked;
}

const CONTAINER_MANAGERS = ['compose', 'dockerfile', 'github-actions', 'helm-values', 'kubernetes'];
const ALL_MANAGERS = [...CONTAINER_MANAGERS, 'npm', 'pip-requirements', 'pipfile', 'pyproject'].sort();

describe('byte ranges over the whole fixture tree', () => {
  test('the tree yields files from every manager and editable deps', async () => {
    const { managers, editable } = coverage(await scan(FIXTURES));
    expect(managers).toEqual(ALL_MANAGERS);
    expect(editable).toBeGreaterThan(90);
  });

  test('each range holds exactly the tag / digest bytes, and rewriting them changes nothing', async () => {
    expect(expectExactRanges(FIXTURES, await scan(FIXTURES))).toBeGreaterThan(120);
  });
});

describe.skipIf(!corpus)('byte ranges over the whole corpus', () => {
  test('the corpus yields files from every manager and hundreds of editable deps', async () => {
    const { managers, editable } = coverage(await scan(corpus!));
    // The container corpus holds no npm or Python manifests.
    expect(managers).toEqual(CONTAINER_MANAGERS);
    expect(editable).toBeGreaterThan(800);
  });

  test('each range holds exactly the tag / digest bytes, and rewriting them changes nothing', async () => {
    expect(expectExactRanges(corpus!, await scan(corpus!))).toBeGreaterThan(1000);
  });
});
