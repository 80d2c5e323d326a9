// The promise edits rely on: every dep's byte ranges point exactly at its tag and digest, so writing a
// dep's own current value back through them returns every corpus file byte-for-byte.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, test } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import type { Dependency } from '../../src/core/types.js';
import { applyEdits, type Edit } from '../../src/edit/replace.js';
import { scanDirectory, type ScanResult } from '../../src/scan/scan.js';

const corpus = fileURLToPath(new URL('../../../shared/corpus/', import.meta.url));
let result: ScanResult;

beforeAll(async () => {
  result = await scanDirectory(corpus, (await loadConfig(corpus)).config);
});

function ownValueEdits(dep: Dependency): Edit[] {
  const edits: Edit[] = [];
  if (dep.tagRange) edits.push({ range: dep.tagRange, text: dep.tag ?? '' });
  if (dep.digestRange) edits.push({ range: dep.digestRange, text: dep.digest ?? '' });
  return edits;
}

describe('byte ranges over the whole corpus', () => {
  test('the corpus yields files from every manager and hundreds of editable deps', () => {
    const managers = new Set(result.files.map((f) => f.manager));
    expect([...managers].sort()).toEqual([
      'compose',
      'dockerfile',
      'github-actions',
      'helm-values',
      'kubernetes',
    ]);
    const editable = result.files.flatMap((f) => f.deps).filter((d) => d.tagRange && d.digestRange);
    expect(editable.length).toBeGreaterThan(800);
  });

  test('each range holds exactly the tag / digest bytes, and rewriting them changes nothing', () => {
    let checked = 0;
    for (const file of result.files) {
      const bytes = readFileSync(corpus + file.path);
      for (const dep of file.deps) {
        const where = `${file.path}:${dep.line} ${dep.value}`;
        if (dep.tagRange && dep.tag !== null) {
          expect(bytes.subarray(dep.tagRange.start, dep.tagRange.end).toString('utf8'), where).toBe(dep.tag);
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
    expect(checked).toBeGreaterThan(1000);
  });
});
