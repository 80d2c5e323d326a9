// The complete YAML path: the `yaml` library parses, and its documents are converted to the small tree,
// with aliases resolved (the same YNode object is shared) and `<<` merge keys expanded (own keys win).
// A map entry whose value is an alias to no anchor is left out, as if the key were absent.
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseAllDocuments } from 'yaml';
import type { Alias, Document, Node, Scalar, YAMLMap } from 'yaml';
import type { YEntry, YMap, YNode, YSeq, YamlResult } from './tree.js';

export function readFullYaml(source: string): YamlResult {
  const lines = new LineCounter();
  const parsed = parseAllDocuments(source, { lineCounter: lines, prettyErrors: false });
  const docs = Array.isArray(parsed) ? parsed : [];
  const lineOf = (offset: number) => lines.linePos(offset).line;
  const result: YamlResult = { documents: [], errors: [] };
  for (const doc of docs) {
    for (const error of doc.errors) {
      result.errors.push({ line: lineOf(error.pos[0]), message: error.message.split('\n')[0] ?? error.code });
    }
    result.documents.push({ root: new Converter(source, doc, lineOf).node(doc.contents) });
  }
  return result;
}

class Converter {
  private readonly converted = new Map<Node, YNode | null>();
  private readonly anchors = new Map<string, Node>();

  constructor(
    private readonly source: string,
    private readonly doc: Document.Parsed,
    private readonly lineOf: (offset: number) => number,
  ) {}

  node(value: unknown, depth = 0): YNode | null {
    if (depth > 64 || value === null || value === undefined) return null;
    if (isAlias(value)) {
      const target = this.target(value);
      return target ? this.node(target, depth + 1) : null;
    }
    const node = value as Node;
    if (this.converted.has(node)) return this.converted.get(node)!;
    if (node.anchor) this.anchors.set(node.anchor, node);
    const line = this.lineOf(node.range?.[0] ?? 0);
    if (isScalar(node)) {
      // `key:` with nothing after it: no value, as the fast reader sees it.
      if (node.value === null && !node.source && node.type === 'PLAIN') return null;
      const converted = this.scalar(node, line);
      this.converted.set(node, converted);
      return converted;
    }
    if (isSeq(node)) {
      const seq: YSeq = { kind: 'seq', items: [], line, ...(node.flow ? { flow: true } : {}) };
      this.converted.set(node, seq);
      for (const item of node.items) seq.items.push(this.node(item, depth + 1));
      return seq;
    }
    if (isMap(node)) {
      const map: YMap = { kind: 'map', entries: [], line, ...(node.flow ? { flow: true } : {}) };
      this.converted.set(node, map);
      this.fillMap(map, node, depth);
      return map;
    }
    return null;
  }

  /** The node an alias refers to: the closest anchor before it; undefined when there is none. */
  private target(alias: Alias): Node | undefined {
    return this.anchors.get(alias.source) ?? (alias.resolve(this.doc) as Node | undefined);
  }

  private fillMap(map: YMap, node: YAMLMap, depth: number): void {
    const own = new Set<string>();
    const merged: YEntry[] = [];
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value ?? '') : null;
      if (key === null) continue;
      if (key === '<<') {
        const sources = isSeq(pair.value) ? pair.value.items : [pair.value];
        for (const source of sources) {
          const target = this.node(source, depth + 1);
          if (target?.kind === 'map') merged.push(...target.entries);
        }
        continue;
      }
      // An alias to no anchor (e.g. one defined only further down) gives no value: leave the key out.
      if (isAlias(pair.value) && !this.target(pair.value)) continue;
      own.add(key);
      const line = this.lineOf((pair.key as Node).range?.[0] ?? 0);
      map.entries.push({ key, value: this.node(pair.value, depth + 1), line });
    }
    // Earlier merge sources win over later ones, own keys over all of them.
    const seen = new Set(own);
    for (const entry of merged) {
      if (seen.has(entry.key)) continue;
      seen.add(entry.key);
      map.entries.push(entry);
    }
  }

  private scalar(node: Scalar, line: number): YNode {
    const [start, end] = node.range ?? [0, 0];
    const raw = this.source.slice(start, end);
    if (node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED') {
      return {
        kind: 'scalar',
        value: String(node.value ?? ''),
        style: 'block',
        start,
        end: start,
        literal: false,
        line,
      };
    }
    if (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE') {
      const value = String(node.value ?? '');
      const inner = raw.slice(1, -1);
      const style = node.type === 'QUOTE_DOUBLE' ? 'double' : 'single';
      return { kind: 'scalar', value, style, start: start + 1, end: end - 1, literal: inner === value, line };
    }
    // Plain scalars keep their text: `tag: 1.20` is "1.20", not the number 1.2.
    const value = node.source ?? (node.value === null ? '' : String(node.value));
    return { kind: 'scalar', value, style: 'plain', start, end, literal: raw === value, line };
  }
}
