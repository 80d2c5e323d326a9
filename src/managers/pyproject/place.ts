// A value's place in a TOML file: its line, and the offset of its text when the file spells it
// literally (so `valueRange` can be given).
import type { Range } from '../../core/types.js';
import { lineIndex } from '../pip-requirements/package-dep.js';
import { keyOffset, locate, locateToml, type LTable } from './toml-locate.js';

export interface TomlFile {
  content: string;
  root: LTable;
  lineAt(offset: number): number;
}

export function tomlFile(content: string): TomlFile {
  return { content, root: locateToml(content), lineAt: lineIndex(content) };
}

export interface Place {
  line: number;
  /** Offset of the string's text, when it is written literally (no escapes, one line). */
  start?: number;
}

/** Where the value at `path` is: the string itself, else the key that holds it. */
export function place(file: TomlFile, path: (string | number)[], value?: string): Place {
  const node = locate(file.root, path);
  if (node?.kind === 'string') {
    const line = file.lineAt(node.start);
    const literal =
      !node.escaped && (value === undefined || file.content.slice(node.start, node.end) === value);
    return literal ? { line, start: node.start } : { line };
  }
  const key = keyOffset(file.root, path);
  return { line: key === undefined ? 1 : file.lineAt(key) };
}

/** The range of `[from, to)` inside the string at `place`, if it has one. */
export function rangeIn(at: Place, from: number, to: number): Range | undefined {
  return at.start === undefined ? undefined : { start: at.start + from, end: at.start + to };
}
