// Every YAML file of the project's fixtures and of the real-world corpus (DOCKHAND_CORPUS, skipped
// without it) through the YAML managers: ranges must be exact edit offsets.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Dependency, Manager, Range } from '../../src/core/types.js';
import { isCompanionFile } from '../../src/managers/index.js';
import { yamlManagers } from '../../src/managers/yaml-order.js';
import { corpus, FIXTURES, listFiles, readCorpus } from '../support/corpus.js';

interface YamlFile {
  path: string;
  content: string;
}

// Lockfiles in YAML (pnpm-lock.yaml) are read with their manifest by the npm manager, never on their own.
const isYaml = (path: string) => /\.ya?ml$/i.test(path) && !isCompanionFile(path);
const yamlUnder = (root: string): YamlFile[] =>
  listFiles(root)
    .filter(isYaml)
    .map((path) => ({ path, content: readFileSync(root + path, 'utf8') }));
const owner = (path: string): Manager | undefined =>
  yamlManagers.find((m) => m.filePatterns.some((pattern) => pattern.test(path)));

interface Edit {
  range: Range;
  text: string;
}

/**
 * Replacement of each range by the dependency's own current value, checking on the way that the
 * range's text is exactly that value: the tag / digest text without `:` / `@`. Empty ranges are
 * insertion points and only exist when the value is absent.
 */
function edits(content: string, dep: Dependency): Edit[] {
  const out: Edit[] = [];
  for (const [range, field, name] of [
    [dep.tagRange, dep.tag, 'tag'],
    [dep.digestRange, dep.digest, 'digest'],
  ] as const) {
    if (!range) continue;
    const where = `${dep.depName} line ${dep.line}`;
    if (range.start === range.end) {
      expect(field, `${where}: empty ${name} range but value set`).toBeNull();
      out.push({ range, text: '' });
      continue;
    }
    expect(content.slice(range.start, range.end), where).toBe(field);
    out.push({ range, text: field ?? '' });
  }
  return out;
}

function applyEdits(content: string, all: Edit[]): string {
  const sorted = [...all].sort((a, b) => a.range.start - b.range.start || a.range.end - b.range.end);
  let result = '';
  let at = 0;
  for (const { range, text } of sorted) {
    expect(range.start).toBeGreaterThanOrEqual(at); // no overlapping ranges
    result += content.slice(at, range.start) + text;
    at = range.end;
  }
  return result + content.slice(at);
}

function tally(files: YamlFile[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { path } of files) {
    const name = owner(path)?.name ?? 'none';
    counts[name] = (counts[name] ?? 0) + 1;
  }
  return counts;
}

/** Every owning manager's ranges rewritten with their own values; the number of deps and non-empty ranges. */
function ownersRoundTrip(files: YamlFile[]): { deps: number; checkedRanges: number } {
  let checkedRanges = 0;
  let deps = 0;
  for (const { path, content } of files) {
    const manager = owner(path)!;
    const result = manager.extract(content, path);
    expect(result.errors, path).toBeUndefined();
    const all = result.deps.flatMap((dep) => edits(content, dep));
    checkedRanges += all.filter((e) => e.range.start !== e.range.end).length;
    deps += result.deps.length;
    expect(applyEdits(content, all), path).toBe(content);
    for (const dep of result.deps) {
      expect(dep.line, path).toBeGreaterThan(0);
      if (dep.skipReason) expect(dep.tagRange ?? dep.digestRange, path).toBeUndefined();
    }
  }
  return { deps, checkedRanges };
}

/** Every YAML manager on every file, owner or not: no throw, offsets stay exact. */
function everyManagerRoundTrip(files: YamlFile[]): void {
  for (const { path, content } of files) {
    for (const manager of yamlManagers) {
      const { deps } = manager.extract(content, path);
      expect(
        applyEdits(
          content,
          deps.flatMap((dep) => edits(content, dep)),
        ),
        `${manager.name} ${path}`,
      ).toBe(content);
    }
  }
}

describe('YAML fixture round trip', () => {
  const files = yamlUnder(FIXTURES);
  // The fast reader's fixtures: every YAML construct it accepts, under names several managers claim.
  const constructs = yamlUnder(fileURLToPath(new URL('../yaml/fixtures/', import.meta.url)));

  it('scanner assignment: every file has an owner, and the tally per manager', () => {
    expect(tally(files)).toEqual({ compose: 10, 'github-actions': 7, 'helm-values': 8, kubernetes: 9 });
  });

  it('replacing every range with its own value gives back the file, for the owning manager', () => {
    const { deps, checkedRanges } = ownersRoundTrip(files);
    expect(deps).toBeGreaterThan(80);
    expect(checkedRanges).toBeGreaterThan(50);
  });

  it('every YAML manager on every YAML file: no throw, offsets stay exact', () => {
    expect(constructs.length).toBeGreaterThan(5);
    everyManagerRoundTrip([...files, ...constructs]);
  });
});

describe.skipIf(!corpus)('YAML corpus round trip', () => {
  // The corpus's own list of files, in SOURCES.tsv.
  const files: YamlFile[] = corpus
    ? readCorpus('SOURCES.tsv')
        .split('\n')
        .slice(1)
        .map((line) => line.split('\t')[0] ?? '')
        .filter(isYaml)
        .map((path) => ({ path, content: readCorpus(path) }))
    : [];

  it('has the YAML files of the corpus', () => {
    expect(files.length).toBe(135);
  });

  it('scanner assignment: every file has an owner, and the tally per manager', () => {
    expect(tally(files)).toEqual({ compose: 71, 'github-actions': 30, 'helm-values': 14, kubernetes: 20 });
  });

  it('replacing every range with its own value gives back the file, for the owning manager', () => {
    const { deps, checkedRanges } = ownersRoundTrip(files);
    expect(deps).toBeGreaterThan(400);
    expect(checkedRanges).toBeGreaterThan(300);
  });

  it('every YAML manager on every YAML file: no throw, offsets stay exact', () => {
    everyManagerRoundTrip(files);
  });

  // The budget for the whole corpus (all managers) is 250 ms on a developer machine; most of this
  // part is the `yaml` parser on the few files the fast block reader leaves to it. The bound here only catches accidental quadratic work,
  // with room for slow, shared CI machines.
  it('is fast: one parse per file, linear work', () => {
    const run = () => {
      for (const { path, content } of files) owner(path)!.extract(content, path);
    };
    run(); // warm up the JIT
    const start = performance.now();
    run();
    const elapsed = performance.now() - start;
    console.log(`YAML corpus (${files.length} files) extracted in ${elapsed.toFixed(0)} ms`);
    expect(elapsed).toBeLessThan(1500);
  });
});
