// A fast reader for the block-style YAML that compose files, Kubernetes manifests, Helm values and
// workflows are written in. It understands block maps and sequences, plain and quoted one-line scalars,
// block scalars (skipped), one-line flow collections (kept opaque) and comments. On anything else —
// anchors, aliases, tags, multi-line flow or plain scalars, complex keys, tabs — it returns null and the
// caller uses the full YAML parser: correctness never depends on this reader, only speed does.
import type { YDocument, YEntry, YMap, YNode, YScalar, YSeq } from './tree.js';

class Unsupported extends Error {}

interface Frame {
  node: YMap | YSeq;
  indent: number;
}

/** A map entry or sequence item whose value has not been seen yet. */
interface Pending {
  owner: number; // column of the key or dash: the value must be indented further
  set: (node: YNode) => void;
}

const BLOCK_HEADER = /^[|>](?:[1-9][+-]?|[+-][1-9]?)?\s*(?:#.*)?$/;
const RESERVED_START = /^[&*!@`%]/;

export function readBlockYaml(source: string): YDocument[] | null {
  try {
    return new Reader(source).read();
  } catch (error) {
    if (error instanceof Unsupported) return null;
    throw error;
  }
}

class Reader {
  private readonly documents: YDocument[] = [];
  private doc: YDocument = { root: null };
  private stack: Frame[] = [];
  private pending: Pending | null = null;
  /** Column of the owner of an open block scalar: more-indented and blank lines belong to it. */
  private blockOwner = -1;
  private line = 0;
  /** The current document has begun (content or an explicit `---`). */
  private open = false;
  private readonly source: string;

  constructor(source: string) {
    this.source = source;
  }

  read(): YDocument[] {
    const text = this.source;
    let start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
    while (start <= text.length) {
      const nl = text.indexOf('\n', start);
      const stop = nl === -1 ? text.length : nl;
      const end = stop > start && text.charCodeAt(stop - 1) === 13 ? stop - 1 : stop;
      this.line++;
      this.readLine(start, end);
      if (nl === -1) break;
      start = nl + 1;
    }
    if (this.open || this.documents.length === 0) this.endDocument();
    return this.documents;
  }

  private readLine(start: number, end: number): void {
    const text = this.source;
    let i = start;
    while (i < end && text.charCodeAt(i) === 32) i++;
    const indent = i - start;
    if (this.blockOwner >= 0) {
      if (i === end || indent > this.blockOwner) return;
      this.blockOwner = -1;
    }
    if (i === end) return;
    const ch = text[i]!;
    if (ch === '#') return;
    if (ch === '\t') {
      if (/^[\t ]*(#.*)?$/.test(text.slice(i, end))) return;
      throw new Unsupported();
    }
    if (indent === 0 && (text.startsWith('---', i) || text.startsWith('...', i))) {
      const after = text.slice(i + 3, end);
      if (after === '' || /^\s+(#.*)?$/.test(after)) {
        if (this.open) this.endDocument();
        this.open = text[i] === '-';
        return;
      }
    }
    if (indent === 0 && ch === '%') throw new Unsupported();
    this.open = true;
    this.content(i, end, indent);
  }

  private endDocument(): void {
    this.documents.push(this.doc);
    this.doc = { root: null };
    this.stack = [];
    this.pending = null;
    this.blockOwner = -1;
    this.open = false;
  }

  /** Content starting at offset `i` (column `col`) up to `end`. */
  private content(i: number, end: number, col: number): void {
    const text = this.source;
    const isDash = text[i] === '-' && (i + 1 === end || text[i + 1] === ' ');
    if (isDash) return this.item(i, end, col);
    const key = this.keyAt(i, end);
    if (key) return this.entry(key, end, col);
    // A lone scalar: only valid as the pending value or as a document's root.
    const pending = this.takePending(col);
    if (pending) return pending.set(this.scalarValue(i, end, col, pending.owner));
    if (this.doc.root === null && this.stack.length === 0) {
      this.doc.root = this.scalarValue(i, end, col, -1);
      return;
    }
    throw new Unsupported();
  }

  /** The pending value slot if a node at `col` fills it; otherwise it stays empty (null). */
  private takePending(col: number): Pending | null {
    const pending = this.pending;
    this.pending = null;
    return pending && col > pending.owner ? pending : null;
  }

  private item(i: number, end: number, col: number): void {
    while (this.top() && this.top()!.indent > col) this.stack.pop();
    const pending = this.pending;
    let seq: YSeq;
    const top = this.top();
    if (pending && (col > pending.owner || (col === pending.owner && top?.node.kind === 'map'))) {
      this.pending = null;
      seq = { kind: 'seq', items: [], line: this.line };
      pending.set(seq);
      this.stack.push({ node: seq, indent: col });
    } else if (top?.node.kind === 'seq' && top.indent === col) {
      this.pending = null;
      seq = top.node;
    } else if (!top && this.doc.root === null) {
      this.pending = null;
      seq = { kind: 'seq', items: [], line: this.line };
      this.doc.root = seq;
      this.stack.push({ node: seq, indent: col });
    } else {
      throw new Unsupported();
    }
    const index = seq.items.push(null) - 1;
    const slot: Pending = { owner: col, set: (node) => (seq.items[index] = node) };
    let j = i + 1;
    while (j < end && this.source.charCodeAt(j) === 32) j++;
    this.pending = slot;
    if (j < end && this.source[j] !== '#') this.content(j, end, col + (j - i));
  }

  private entry(
    key: { name: string; line: number; col: number; valueAt: number },
    end: number,
    col: number,
  ): void {
    while (
      this.top() &&
      (this.top()!.indent > col || (this.top()!.node.kind === 'seq' && this.top()!.indent === col))
    ) {
      // A sequence may sit at its parent key's column; a key at that column ends it.
      if (this.pending && this.top()!.indent <= col) break;
      this.stack.pop();
    }
    const pending = this.takePending(col);
    let map: YMap;
    const top = this.top();
    if (pending) {
      map = { kind: 'map', entries: [], line: this.line };
      pending.set(map);
      this.stack.push({ node: map, indent: col });
    } else if (top?.node.kind === 'map' && top.indent === col) {
      map = top.node;
    } else if (!top && this.doc.root === null) {
      map = { kind: 'map', entries: [], line: this.line };
      this.doc.root = map;
      this.stack.push({ node: map, indent: col });
    } else {
      throw new Unsupported();
    }
    const entry: YEntry = { key: key.name, value: null, line: this.line };
    map.entries.push(entry);
    let j = key.valueAt;
    while (j < end && this.source.charCodeAt(j) === 32) j++;
    if (j >= end || this.source[j] === '#') {
      this.pending = { owner: col, set: (node) => (entry.value = node) };
      return;
    }
    entry.value = this.scalarValue(j, end, j - (key.valueAt - key.col), col);
  }

  /** Parses `key:` at offset i; null when the content is not a mapping key. */
  private keyAt(i: number, end: number): { name: string; line: number; col: number; valueAt: number } | null {
    const text = this.source;
    const ch = text[i]!;
    let name: string;
    let colon: number;
    if (ch === '"' || ch === "'") {
      const close = this.closingQuote(i, end);
      if (close < 0 || text[close + 1] !== ':' || !(close + 2 === end || text[close + 2] === ' '))
        return null;
      const raw = text.slice(i + 1, close);
      if (raw.includes('\\')) throw new Unsupported();
      name = ch === "'" ? raw.replace(/''/g, "'") : raw;
      colon = close + 1;
    } else {
      if (ch === '?' || ch === '[' || ch === '{' || RESERVED_START.test(ch) || ch === '|' || ch === '>') {
        if (ch === '?' || ch === '&' || ch === '*' || ch === '!') throw new Unsupported();
        return null;
      }
      colon = -1;
      for (let j = i; j < end; j++) {
        const c = text[j];
        if (c === '#' && text[j - 1] === ' ') break;
        if (c === ':' && (j + 1 === end || text[j + 1] === ' ')) {
          colon = j;
          break;
        }
      }
      if (colon < 0) return null;
      name = text.slice(i, colon).trimEnd();
      if (name === '<<') throw new Unsupported();
    }
    return { name, line: this.line, col: 0, valueAt: colon + 1 };
  }

  /** Index of the quote closing the one at `i` on this line, or -1. */
  private closingQuote(i: number, end: number): number {
    const text = this.source;
    const quote = text[i];
    for (let j = i + 1; j < end; j++) {
      if (quote === '"' && text[j] === '\\') j++;
      else if (text[j] === quote) {
        if (quote === "'" && text[j + 1] === "'") j++;
        else return j;
      }
    }
    return -1;
  }

  /** A value on one line starting at offset i; `owner` is the column of its key or dash. */
  private scalarValue(i: number, end: number, _col: number, owner: number): YNode {
    const text = this.source;
    const ch = text[i]!;
    const line = this.line;
    if (ch === '|' || ch === '>') {
      if (!BLOCK_HEADER.test(text.slice(i, end))) throw new Unsupported();
      this.blockOwner = Math.max(owner, 0);
      return { kind: 'scalar', value: '', style: 'block', start: i, end: i, literal: false, line };
    }
    if (ch === '[' || ch === '{') {
      const close = this.closingBracket(i, end);
      if (close < 0 || !/^\s*(#.*)?$/.test(text.slice(close + 1, end))) throw new Unsupported();
      // Images inside flow collections are rare: let the full parser find them.
      if (/image|docker:\/\//.test(text.slice(i, close))) throw new Unsupported();
      return { kind: 'flow', line };
    }
    if (ch === '"' || ch === "'") {
      const close = this.closingQuote(i, end);
      if (close < 0 || !/^\s*(#.*)?$/.test(text.slice(close + 1, end))) throw new Unsupported();
      const raw = text.slice(i + 1, close);
      const escaped = ch === '"' ? raw.includes('\\') : raw.includes("''");
      let value = raw;
      if (escaped) value = ch === '"' ? decodeDouble(raw) : raw.replace(/''/g, "'");
      const style = ch === '"' ? 'double' : 'single';
      return { kind: 'scalar', value, style, start: i + 1, end: close, literal: !escaped, line };
    }
    if (RESERVED_START.test(ch) || ch === '?' || ch === ']' || ch === '}' || ch === ',')
      throw new Unsupported();
    let stop = end;
    for (let j = i + 1; j < end; j++) {
      if (text[j] === '#' && (text[j - 1] === ' ' || text[j - 1] === '\t')) {
        stop = j;
        break;
      }
    }
    while (stop > i && (text[stop - 1] === ' ' || text[stop - 1] === '\t')) stop--;
    const value = text.slice(i, stop);
    if (value.includes(': ') || value.endsWith(':') || value.startsWith('- ')) throw new Unsupported();
    return {
      kind: 'scalar',
      value,
      style: 'plain',
      start: i,
      end: stop,
      literal: true,
      line,
    } satisfies YScalar;
  }

  private closingBracket(i: number, end: number): number {
    const text = this.source;
    let depth = 0;
    for (let j = i; j < end; j++) {
      const c = text[j];
      if (c === '"' || c === "'") {
        const close = this.closingQuote(j, end);
        if (close < 0) return -1;
        j = close;
      } else if (c === '[' || c === '{') depth++;
      else if ((c === ']' || c === '}') && --depth === 0) return j;
    }
    return -1;
  }

  private top(): Frame | undefined {
    return this.stack[this.stack.length - 1];
  }
}

function decodeDouble(raw: string): string {
  try {
    return JSON.parse(`"${raw}"`) as string;
  } catch {
    throw new Unsupported();
  }
}
