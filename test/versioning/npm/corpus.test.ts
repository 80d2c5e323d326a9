// The npm versioning over the ranges real package.json files declare (../shared/corpus-deps, skipped
// without it): every range semver reads is read back exactly as written, and every rewrite admits the
// version it was made for, and a stable version is always reachable.
import { readFileSync } from 'node:fs';
import semver from 'semver';
import { describe, expect, it } from 'vitest';
import { npm, parseRange, renderRange } from '../../../src/versioning/npm/index.js';
import type { RangeStrategy } from '../../../src/versioning/types.js';
import { corpusDeps } from '../../support/corpus.js';

const SECTIONS = ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies', 'engines'];

function corpusValues(root: string): string[] {
  const manifests = readFileSync(`${root}INDEX.tsv`, 'utf8')
    .split('\n')
    .map((line) => line.split('\t'))
    .filter(([, kind]) => kind === 'npm-package-json')
    .map(([path]) => path ?? '');
  const values = new Set<string>();
  for (const path of manifests) {
    const manifest = JSON.parse(readFileSync(root + path, 'utf8')) as Record<string, unknown>;
    for (const section of SECTIONS) {
      const entries = manifest[section];
      if (typeof entries !== 'object' || entries === null) continue;
      for (const value of Object.values(entries)) if (typeof value === 'string') values.add(value);
    }
  }
  return [...values];
}

/** Versions past a range's floor: the next minor and major, and a pre-release of the next major. */
function around(range: string): string[] {
  const floor = semver.minVersion(range);
  if (!floor) return [];
  return [
    semver.inc(floor, 'minor'),
    semver.inc(floor, 'major'),
    `${semver.inc(floor, 'major')}-rc.1`,
  ].filter((v): v is string => v !== null);
}

describe.skipIf(!corpusDeps)('npm versioning over the corpus', () => {
  const values = corpusDeps ? corpusValues(corpusDeps) : [];
  const ranges = values.filter((value) => npm.isValid(value));

  it('reads every range semver reads, and renders it back as written', () => {
    expect(ranges.length).toBeGreaterThan(1000);
    expect(ranges.filter((value) => parseRange(value) === null)).toEqual([]);
    expect(ranges.filter((value) => renderRange(parseRange(value)!) !== value)).toEqual([]);
  });

  it('proposes only values that admit the new version', () => {
    const strategies: Exclude<RangeStrategy, 'auto' | 'in-range-only'>[] = [
      'pin',
      'bump',
      'replace',
      'widen',
      'update-lockfile',
    ];
    const results = ranges.flatMap((currentValue) =>
      around(currentValue).flatMap((newVersion) =>
        strategies.map((rangeStrategy) => ({
          currentValue,
          newVersion,
          rangeStrategy,
          value: npm.getNewValue({ currentValue, rangeStrategy, newVersion }),
        })),
      ),
    );
    const proposed = results.filter((r) => r.value !== null);
    expect(proposed.filter((r) => !npm.matches(r.newVersion, r.value!))).toEqual([]);
    // every range in the corpus can be moved to a stable version by every strategy
    const stable = results.filter((r) => npm.isStable(r.newVersion));
    expect(stable.length).toBeGreaterThan(5_000);
    expect(stable.filter((r) => r.value === null)).toEqual([]);
  });
});
