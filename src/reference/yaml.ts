// Shared YAML plumbing for the YAML-based managers (compose, kubernetes, helm-values, github-actions):
// one parse per file, exact offsets of scalar values, anchors/aliases and `<<` merge keys.

import { isAlias, isMap, isScalar, isSeq, LineCounter, parseAllDocuments, visit } from 'yaml';
import type { Alias, Document, Node, Scalar, YAMLMap } from 'yaml';
import type { DepSource, Dependency, FileError } from '../core/types.js';
import { referenceToDependency } from './to-dependency.js';

export interface YamlFile {
  content: string;
  docs: Document.Parsed[];
  lineCounter: LineCounter;
}

export interface YamlDoc {
  file: YamlFile;
  doc: Document.Parsed;
  /** Anchors in document order, built on the first alias lookup. */
  anchors?: Map<string, Node[]>;
}

export function parseYamlFile(content: string): YamlFile {
  const lineCounter = new LineCounter();
  // Core schema without merge-key handling: `<<` stays an ordinary key and is resolved by `mapGet`.
  const parsed = parseAllDocuments(content, { lineCounter, prettyErrors: false });
  const docs = Array.isArray(parsed) ? parsed : [];
  return { content, docs, lineCounter };
}

/** 1-based line of an offset. */
export function lineOf(file: YamlFile, offset: number): number {
  return file.lineCounter.linePos(offset).line;
}

/** Parse errors of one document as FileErrors (with 1-based line). */
export function documentErrors(file: YamlFile, doc: Document.Parsed): FileError[] {
  return doc.errors.map((error) => ({
    line: lineOf(file, error.pos[0]),
    message: `YAML: ${error.message.split('\n')[0] ?? error.code}`,
  }));
}

/** Follows an alias to the node it refers to; other values are returned unchanged. */
export function resolveNode(ydoc: YamlDoc, node: unknown): unknown {
  if (!isAlias(node)) return node;
  return resolveAlias(ydoc, node, 0);
}

function resolveAlias(ydoc: YamlDoc, alias: Alias, depth: number): unknown {
  if (depth > 16) return undefined;
  if (!ydoc.anchors) {
    const anchors = new Map<string, Node[]>();
    visit(ydoc.doc, {
      Node(_key, node) {
        if (node.anchor) {
          const list = anchors.get(node.anchor);
          if (list) list.push(node);
          else anchors.set(node.anchor, [node]);
        }
      },
    });
    ydoc.anchors = anchors;
  }
  const candidates = ydoc.anchors.get(alias.source) ?? [];
  const aliasStart = alias.range?.[0] ?? Infinity;
  // An alias refers to the closest preceding definition of its anchor.
  let target: Node | undefined;
  for (const node of candidates) {
    if ((node.range?.[0] ?? Infinity) < aliasStart) target = node;
  }
  return isAlias(target) ? resolveAlias(ydoc, target, depth + 1) : target;
}

/** Key text of a map entry when the key is a plain scalar. */
export function keyText(key: unknown): string | null {
  if (!isScalar(key)) return null;
  const value = key.value;
  return typeof value === 'string' ? value : value === null || value === undefined ? null : String(value);
}

/**
 * Value of `key` in `map`, following aliases and `<<` merge keys (own keys win over merged ones; in
 * `<<: [*a, *b]` earlier maps win). Returns undefined when absent.
 */
export function mapGet(ydoc: YamlDoc, map: YAMLMap, key: string, depth = 0): unknown {
  let merges: unknown[] | undefined;
  for (const pair of map.items) {
    const k = keyText(pair.key);
    if (k === key) return resolveNode(ydoc, pair.value);
    if (k === '<<') (merges ??= []).push(pair.value);
  }
  if (!merges || depth > 16) return undefined;
  for (const merge of merges) {
    const sources = isSeq(merge) ? merge.items : [merge];
    for (const source of sources) {
      const target = resolveNode(ydoc, source);
      if (isMap(target)) {
        const found = mapGet(ydoc, target, key, depth + 1);
        if (found !== undefined) return found;
      }
    }
  }
  return undefined;
}

/** Entries of a map as [key text, resolved value] (merge keys skipped). */
export function mapEntries(ydoc: YamlDoc, map: YAMLMap): [string, unknown, unknown][] {
  const entries: [string, unknown, unknown][] = [];
  for (const pair of map.items) {
    const k = keyText(pair.key);
    if (k === null || k === '<<') continue;
    entries.push([k, resolveNode(ydoc, pair.value), pair.key]);
  }
  return entries;
}

export interface ScalarText {
  /** The scalar's string value (empty string for null / empty values). */
  text: string;
  /** Offset of the value text in the file when the file holds it literally, else null. */
  offset: number | null;
  /** Offset where the node starts (for line numbers). */
  start: number;
  /** Whether the scalar is quoted (`'…'` / `"…"`). */
  quoted: boolean;
}

/**
 * String value of a scalar with the offset of its text. Plain, single- and double-quoted scalars get
 * the offset of the value text (inside the quotes) when the source spells the value literally (no
 * escapes, no line folding); block scalars never do.
 */
export function scalarText(file: YamlFile, node: Scalar): ScalarText {
  const range = node.range ?? [0, 0, 0];
  const [start, valueEnd] = range;
  const value = node.value;
  const text =
    value === null || value === undefined
      ? ''
      : typeof value === 'string'
        ? value
        : (node.source ?? String(value));
  const quoted = node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE';
  let offset: number | null = null;
  if (node.type === 'PLAIN' || node.type === undefined) {
    if (file.content.slice(start, valueEnd) === text) offset = start;
  } else if (quoted) {
    if (file.content.slice(start + 1, valueEnd - 1) === text) offset = start + 1;
  }
  if (node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED') {
    return { text: text.trim(), offset: null, start, quoted };
  }
  return { text, offset, start, quoted };
}

/**
 * Dependency for an image reference held by one YAML node (a scalar), or null when the node is
 * absent or not a scalar. Null / empty scalars give an `empty` dependency.
 */
export function scalarDependency(ydoc: YamlDoc, node: unknown, source: DepSource): Dependency | null {
  if (!isScalar(node)) return null;
  const { text, offset, start } = scalarText(ydoc.file, node);
  return referenceToDependency(text, offset, lineOf(ydoc.file, start), source);
}

/** Dependencies in file order (aliases and merge keys can make discovery order differ). */
export function byLine(deps: Dependency[]): Dependency[] {
  return deps.sort((a, b) => a.line - b.line);
}
