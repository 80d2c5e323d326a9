// What the YAML managers share: the string held by a map entry's value with the offset of its text,
// image references in scalars as Dependencies, and YAML errors as FileErrors.
import type { DepSource, Dependency, FileError } from '../core/types.js';
import { referenceToDependency } from '../reference/to-dependency.js';
import type { YEntry, YamlResult } from './tree.js';

/** A plain scalar spelling YAML's null: no value, like `key:` with nothing after it. */
const YAML_NULL = /^(?:null|Null|NULL|~)$/;

export interface EntryText {
  /** The string value: block scalars trimmed, `''` for `key:` with no value and for YAML nulls. */
  text: string;
  /** Offset of `text` in the file when the file spells it literally (one line, unescaped), else null. */
  offset: number | null;
  /** 1-based line of the value (of the key when there is no value). */
  line: number;
}

/** The string held by an entry's value; undefined when the entry is absent or holds a map / sequence. */
export function entryText(entry: YEntry | undefined): EntryText | undefined {
  if (!entry) return undefined;
  const node = entry.value;
  if (node === null) return { text: '', offset: null, line: entry.line };
  if (node.kind !== 'scalar') return undefined;
  if (node.style === 'block') return { text: node.value.trim(), offset: null, line: node.line };
  if (node.style === 'plain' && YAML_NULL.test(node.value))
    return { text: '', offset: null, line: node.line };
  return { text: node.value, offset: node.literal ? node.start : null, line: node.line };
}

/**
 * Dependency for the image reference held by an entry's value (a scalar, or no value: `empty`). With
 * a `prefix` (e.g. `docker://`), only values starting with it count; it is cut off and offsets point
 * past it. Null when the entry is absent, holds a map / sequence, or lacks the prefix.
 */
export function entryDependency(
  entry: YEntry | undefined,
  source: DepSource,
  prefix = '',
): Dependency | null {
  const value = entryText(entry);
  if (!value || !value.text.startsWith(prefix)) return null;
  const offset = value.offset === null ? null : value.offset + prefix.length;
  return referenceToDependency(value.text.slice(prefix.length), offset, value.line, source);
}

/**
 * What makes two entries hold the same image: their shared value node (an alias, or an entry that
 * `<<` merged into several maps), or the entry itself when it has no value.
 */
export function entryIdentity(entry: YEntry): object {
  return entry.value ?? entry;
}

/** YAML errors as FileErrors (`YAML: …` with the 1-based line). */
export function yamlErrors(result: YamlResult): FileError[] {
  return result.errors.map((error) => ({ line: error.line, message: `YAML: ${error.message}` }));
}

/** Dependencies in file order (aliases and merge keys can make discovery order differ). */
export function byLine(deps: Dependency[]): Dependency[] {
  return deps.sort((a, b) => a.line - b.line);
}

/** An extraction result, with `errors` only when there are some. */
export function extractResult(
  deps: Dependency[],
  errors: FileError[],
): { deps: Dependency[]; errors?: FileError[] } {
  return errors.length > 0 ? { deps: byLine(deps), errors } : { deps: byLine(deps) };
}
