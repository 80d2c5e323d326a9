// A small, position-carrying YAML tree: what the YAML managers need (maps, sequences, scalars with the
// exact offsets of their text), nothing more. Built by the fast block-YAML reader (fast.ts) or, for
// files that use more of YAML, converted from the `yaml` library's documents (full.ts).

export interface YScalar {
  kind: 'scalar';
  /** The scalar's text: plain scalars as written (`1.20` stays `1.20`), quoted ones unescaped. */
  value: string;
  style: 'plain' | 'single' | 'double' | 'block';
  /** Offsets of the value text in the file (inside the quotes); `literal` tells whether value === text. */
  start: number;
  end: number;
  literal: boolean;
  line: number;
}

export interface YMap {
  kind: 'map';
  entries: YEntry[];
  line: number;
  /** Written in flow style (`{…}`). */
  flow?: boolean;
}

export interface YEntry {
  key: string;
  value: YNode | null;
  line: number;
}

export interface YSeq {
  kind: 'seq';
  items: (YNode | null)[];
  line: number;
  /** Written in flow style (`[…]`). */
  flow?: boolean;
}

export type YNode = YScalar | YMap | YSeq;

export interface YDocument {
  root: YNode | null;
}

export interface YamlResult {
  documents: YDocument[];
  errors: { line: number; message: string }[];
}

export function isMap(node: YNode | null | undefined): node is YMap {
  return node?.kind === 'map';
}

export function isSeq(node: YNode | null | undefined): node is YSeq {
  return node?.kind === 'seq';
}

export function isScalar(node: YNode | null | undefined): node is YScalar {
  return node?.kind === 'scalar';
}

/** The last entry with this key (YAML forbids duplicates; the last one wins in practice). */
export function entry(node: YNode | null | undefined, key: string): YEntry | undefined {
  if (!isMap(node)) return undefined;
  for (let i = node.entries.length - 1; i >= 0; i--) if (node.entries[i]!.key === key) return node.entries[i];
  return undefined;
}

/** Value of the last entry with this key: null for `key:` with no value, undefined when absent. */
export function get(node: YNode | null | undefined, key: string): YNode | null | undefined {
  return entry(node, key)?.value;
}

/** Follows a path of map keys. */
export function at(node: YNode | null | undefined, ...path: string[]): YNode | null | undefined {
  let current = node;
  for (const key of path) current = get(current, key);
  return current;
}

/** The string value of a scalar node, or undefined. */
export function text(node: YNode | null | undefined): string | undefined {
  return isScalar(node) ? node.value : undefined;
}
