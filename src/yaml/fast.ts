// A fast reader for the block-style YAML that compose files, Kubernetes manifests, Helm values and
// workflows are written in. It understands block maps and sequences, plain and quoted one-line scalars,
// literal and folded block scalars (their value is computed on first read), flow collections (also over
// several lines, more indented than their key),
// anchors, aliases and `<<` merge keys (resolved like the full parser: shared nodes, own keys first), and
// comments. On anything else — tags, multi-line plain or quoted scalars, complex keys, tabs in indentation,
// explicit block indentation indicators, anchored keys — it returns null and the caller uses the full
// YAML parser: correctness never depends on this reader, only speed does.
import type { YDocument, YEntry, YMap, YNode, YScalar, YSeq } from './tree.js';

class Unsupported extends Error {}

interface Frame {
  node: YMap | YSeq;
  indent: number;
}

/** A map entry or sequence item whose value has not been seen yet. */
interface Pending {
  owner: number; // column of the key or dash: the value must be indented further
  set: (node: YNode | null) => void;
}

/** `<<: *a` / `<<: [*a, *b]`: applied when the document ends, once every map is complete. */
interface Merge {
  map: YMap;
  sources: (YNode | null)[];
}

/** A block scalar whose body lines are being read. */
interface OpenBlock {
  /** Column of the key or dash owning the scalar: more-indented and blank lines belong to it. */
  owner: number;
  /** Column of the body text (from the first non-blank line), -1 until known. */
  indent: number;
  /** Most spaces on a blank line before the first text line (may not exceed `indent`). */
  leadingBlank: number;
  /** Offsets of the body: from the line after the header to the first line that is not part of it. */
  bodyStart: number;
  bodyEnd: number;
}

const BLOCK_HEADER = /^[|>](?:[1-9][+-]?|[+-][1-9]?)?\s*(?:#.*)?$/;
const RESERVED_START = /^[&*!@`%]/;
/** An anchor or alias name ends at white space or a flow indicator. */
const NAME_END = /[\s,[\]{}]/;

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
  private block: OpenBlock | null = null;
  private anchors = new Map<string, YNode | null>();
  private merges: Merge[] = [];
  /** Cursor of the flow-collection parser, the end of the line it is on, and the column of the
   * collection's key or dash (its continuation lines must be indented further). */
  private pos = 0;
  private lineEnd = 0;
  private flowOwner = -1;
  /** Set when a flow collection ended on a later line: reading resumes after that line. */
  private resumeAt = -1;
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
      const next = this.resumeAt >= 0 ? text.indexOf('\n', this.resumeAt) : nl;
      this.resumeAt = -1;
      if (next === -1) break;
      start = next + 1;
    }
    if (this.block) this.closeBlock(text.length);
    if (this.open) this.endDocument(); // like the yaml library: no content, no document
    return this.documents;
  }

  private readLine(start: number, end: number): void {
    const text = this.source;
    let i = start;
    while (i < end && text.charCodeAt(i) === 32) i++;
    const indent = i - start;
    const block = this.block;
    if (block) {
      if (block.bodyStart < 0) block.bodyStart = start;
      if (i === end) {
        if (block.indent < 0 && indent > block.leadingBlank) block.leadingBlank = indent;
        return;
      }
      if (text.charCodeAt(i) === 9) throw new Unsupported(); // a tab in a block scalar's indentation
      if (indent > block.owner) {
        if (block.indent < 0) {
          if (block.leadingBlank > indent) throw new Unsupported();
          block.indent = indent;
        } else if (indent < block.indent) {
          throw new Unsupported(); // less indented than the body, more than its owner
        }
        return;
      }
      this.closeBlock(start);
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
    this.applyMerges();
    this.documents.push(this.doc);
    this.doc = { root: null };
    this.stack = [];
    this.pending = null;
    this.open = false;
    this.anchors = new Map();
    this.merges = [];
  }

  /** Merged keys come after the map's own keys; earlier sources win over later ones. */
  private applyMerges(): void {
    for (const { map, sources } of this.merges) {
      const seen = new Set(map.entries.map((e) => e.key));
      for (const source of sources) {
        if (source?.kind !== 'map') continue;
        for (const entry of source.entries) {
          if (seen.has(entry.key)) continue;
          seen.add(entry.key);
          map.entries.push(entry);
        }
      }
    }
  }

  /** `&name` at offset i: the name and the offset of what follows it (spaces skipped). */
  private anchorAt(i: number, end: number): { name: string; next: number } {
    let j = i + 1;
    while (j < end && !NAME_END.test(this.source[j]!)) j++;
    if (j === i + 1) throw new Unsupported();
    const name = this.source.slice(i + 1, j);
    while (j < end && this.source.charCodeAt(j) === 32) j++;
    return { name, next: j };
  }

  /** `*name` at offset i, which must end the line: the node its anchor named. */
  private aliasAt(i: number, end: number): YNode | null {
    const { name, next } = this.anchorAt(i, end);
    if (next < end && this.source[next] !== '#') throw new Unsupported();
    if (!this.anchors.has(name)) throw new Unsupported(); // the full parser reports it
    return this.anchors.get(name)!;
  }

  /**
   * A value after `key:` or `- ` at offset j (spaces skipped): an optional anchor, then an alias, a
   * one-line value, or nothing (the value follows on more-indented lines).
   */
  private inlineValue(j: number, end: number, owner: number, set: (node: YNode | null) => void): void {
    let anchor: string | undefined;
    if (this.source[j] === '&') ({ name: anchor, next: j } = this.anchorAt(j, end));
    const named = (node: YNode | null): void => {
      set(node);
      if (anchor !== undefined) this.anchors.set(anchor, node);
    };
    if (j >= end || this.source[j] === '#') {
      named(null);
      this.pending = { owner, set: named };
      return;
    }
    if (anchor !== undefined && this.keyAt(j, end)) throw new Unsupported(); // an anchored key
    named(this.source[j] === '*' ? this.aliasAt(j, end) : this.scalarValue(j, end, 0, owner));
  }

  private closeBlock(at: number): void {
    const block = this.block!;
    block.bodyEnd = at;
    if (block.bodyStart < 0) block.bodyStart = at;
    this.block = null;
  }

  /** Content starting at offset `i` (column `col`) up to `end`. */
  private content(i: number, end: number, col: number): void {
    const text = this.source;
    const isDash = text[i] === '-' && (i + 1 === end || text[i + 1] === ' ');
    if (isDash) return this.item(i, end, col);
    if (text[i] === '&' || text[i] === '*') {
      // `key:` then `  &anchor` / `  *alias` on a line of its own: properties of the pending value.
      const pending = this.takePending(col);
      if (!pending) throw new Unsupported();
      return this.inlineValue(i, end, pending.owner, pending.set);
    }
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
    const set = (node: YNode | null): void => {
      seq.items[index] = node;
    };
    let j = i + 1;
    while (j < end && this.source.charCodeAt(j) === 32) j++;
    const c = this.source[j];
    if (c === '&' || c === '*') return this.inlineValue(j, end, col, set);
    this.pending = { owner: col, set };
    if (j < end && c !== '#') this.content(j, end, col + (j - i));
  }

  private entry(
    key: { name: string; quoted: boolean; line: number; col: number; valueAt: number },
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
    let j = key.valueAt;
    while (j < end && this.source.charCodeAt(j) === 32) j++;
    if (key.name === '<<' && !key.quoted) return this.merge(map, j, end, col);
    const entry: YEntry = { key: key.name, value: null, line: this.line };
    map.entries.push(entry);
    this.inlineValue(j, end, col, (node) => {
      entry.value = node;
    });
  }

  /** `<<: *a` or `<<: [*a, *b]` (other merge sources are left to the full parser). */
  private merge(map: YMap, j: number, end: number, col: number): void {
    const text = this.source;
    let sources: (YNode | null)[];
    if (text[j] === '*') {
      sources = [this.aliasAt(j, end)];
    } else if (text[j] === '[') {
      sources = (this.flowAt(j, end, col) as YSeq).items;
    } else {
      throw new Unsupported();
    }
    this.merges.push({ map, sources });
  }

  /** Parses `key:` at offset i; null when the content is not a mapping key. */
  private keyAt(
    i: number,
    end: number,
  ): { name: string; quoted: boolean; line: number; col: number; valueAt: number } | null {
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
    }
    return { name, quoted: ch === '"' || ch === "'", line: this.line, col: 0, valueAt: colon + 1 };
  }

  /** Index of the quote closing the one at `i` on this line (or of `quote`, searching after `i`), or -1. */
  private closingQuote(i: number, end: number, quote = this.source[i]): number {
    const text = this.source;
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
    if (ch === '|' || ch === '>') return this.blockScalar(i, end, owner);
    if (ch === '[' || ch === '{') return this.flowAt(i, end, owner);
    if (ch === '"' || ch === "'") {
      const close = this.closingQuote(i, end);
      if (close < 0) return this.multilineQuoted(i, end, owner);
      if (!/^\s*(#.*)?$/.test(text.slice(close + 1, end))) throw new Unsupported();
      return this.quoted(i, close);
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

  /** A block scalar header at offset i; its body is the lines that follow (see readLine). */
  private blockScalar(i: number, end: number, owner: number): YScalar {
    const text = this.source;
    if (!BLOCK_HEADER.test(text.slice(i, end))) throw new Unsupported();
    const folded = text[i] === '>';
    const indicator = text[i + 1];
    // An explicit indentation indicator depends on the parent's indentation: left to the full parser.
    if (indicator !== undefined && indicator >= '0' && indicator <= '9') throw new Unsupported();
    const chomp = indicator === '-' || indicator === '+' ? indicator : '';
    const block: OpenBlock = {
      owner: Math.max(owner, 0),
      indent: -1,
      leadingBlank: 0,
      bodyStart: -1,
      bodyEnd: -1,
    };
    this.block = block;
    let value: string | undefined;
    return {
      kind: 'scalar',
      style: 'block',
      start: i,
      end: i,
      literal: false,
      line: this.line,
      get value(): string {
        return (value ??= blockValue(text, block, folded, chomp));
      },
    };
  }

  /** The flow collection at offset i of a line ending at `end`; it may go on over the next lines. */
  private flowAt(i: number, end: number, owner: number): YMap | YSeq {
    this.pos = i;
    this.lineEnd = end;
    this.flowOwner = owner;
    const node = this.flowCollection();
    if (!/^\s*(#.*)?$/.test(this.source.slice(this.pos, this.lineEnd))) throw new Unsupported();
    if (this.lineEnd !== end) this.resumeAt = this.lineEnd;
    return node;
  }

  /** A flow collection starting at this.pos (`[` or `{`); leaves this.pos after it. */
  private flowCollection(): YMap | YSeq {
    const text = this.source;
    const open = text[this.pos];
    this.pos++;
    if (open === '[') {
      const seq: YSeq = { kind: 'seq', items: [], line: this.line, flow: true };
      if (this.flowNext() === ']') {
        this.pos++;
        return seq;
      }
      for (;;) {
        seq.items.push(this.flowValue());
        const c = this.flowNext();
        this.pos++;
        if (c === ']') return seq;
        if (c !== ',') throw new Unsupported(); // `[a: b]` pairs, missing commas, unclosed
        if (this.flowNext() === ']') {
          this.pos++;
          return seq;
        }
      }
    }
    const map: YMap = { kind: 'map', entries: [], line: this.line, flow: true };
    if (this.flowNext() === '}') {
      this.pos++;
      return map;
    }
    for (;;) {
      const c = text[this.pos];
      if (c === '[' || c === '{') throw new Unsupported(); // complex keys
      const key = this.flowValue() as YScalar;
      if (this.flowNext() !== ':') throw new Unsupported(); // `{a, b}`: keys without values
      this.pos++;
      const next = this.flowNext();
      const value = next === ',' || next === '}' ? null : this.flowValue();
      map.entries.push({ key: key.value, value, line: key.line });
      const after = this.flowNext();
      this.pos++;
      if (after === '}') return map;
      if (after !== ',') throw new Unsupported();
      if (this.flowNext() === '}') {
        this.pos++;
        return map;
      }
    }
  }

  /**
   * Skips spaces, line breaks and comments in a flow collection; the next character. A continuation
   * line must be indented further than the collection's key or dash (a closing bracket may sit at it).
   */
  private flowNext(): string {
    const text = this.source;
    for (;;) {
      while (this.pos < this.lineEnd && text.charCodeAt(this.pos) === 32) this.pos++;
      const c = text[this.pos];
      const comment = c === '#' && /\s/.test(text[this.pos - 1] ?? ' ');
      if (this.pos < this.lineEnd && !comment) {
        if (c === '\t') throw new Unsupported();
        return c!;
      }
      const nl = text.indexOf('\n', this.pos);
      if (nl === -1) throw new Unsupported(); // unclosed
      this.line++;
      const start = nl + 1;
      const stop = text.indexOf('\n', start);
      const end = stop === -1 ? text.length : stop;
      this.lineEnd = end > start && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
      let j = start;
      while (j < this.lineEnd && text.charCodeAt(j) === 32) j++;
      const first = text[j];
      const col = j - start;
      if (j < this.lineEnd && first !== '#') {
        if (col < this.flowOwner || (col === this.flowOwner && first !== ']' && first !== '}')) {
          throw new Unsupported(); // the full parser reports the bad indentation
        }
      }
      this.pos = j;
    }
  }

  /** A scalar or nested collection inside a flow collection, at this.pos. */
  private flowValue(): YNode {
    const text = this.source;
    const i = this.pos;
    const ch = text[i]!;
    const end = this.lineEnd;
    if (i >= end) throw new Unsupported(); // a property at the end of a line
    if (ch === '*') {
      const { name, next } = this.anchorAt(i, end);
      if (!this.anchors.has(name)) throw new Unsupported();
      this.pos = next;
      const node = this.anchors.get(name)!;
      if (!node) throw new Unsupported(); // an alias of nothing inside a flow: rare, left to the full parser
      return node;
    }
    if (ch === '&') {
      const { name, next } = this.anchorAt(i, end);
      this.pos = next;
      const node = this.flowValue();
      this.anchors.set(name, node);
      return node;
    }
    if (ch === '[' || ch === '{') return this.flowCollection();
    if (ch === '"' || ch === "'") {
      const close = this.closingQuote(i, end);
      if (close < 0) throw new Unsupported();
      this.pos = close + 1;
      return this.quoted(i, close);
    }
    if (RESERVED_START.test(ch) || '#,]}|>'.includes(ch)) throw new Unsupported();
    if ((ch === '-' || ch === '?' || ch === ':') && (i + 1 === end || ' ,]}'.includes(text[i + 1]!)))
      throw new Unsupported();
    let j = i + 1;
    for (; j < end; j++) {
      const c = text.charCodeAt(j);
      // , [ ] { }
      if (c === 44 || c === 91 || c === 93 || c === 123 || c === 125) break;
      if (c === 58 && (j + 1 === end || ' ,[]{}'.includes(text[j + 1]!))) break;
      if (c === 35 && text.charCodeAt(j - 1) === 32) break; // a comment: flowNext skips it
      if (c === 9) throw new Unsupported();
    }
    this.pos = j;
    while (j > i && text.charCodeAt(j - 1) === 32) j--;
    return {
      kind: 'scalar',
      value: text.slice(i, j),
      style: 'plain',
      start: i,
      end: j,
      literal: true,
      line: this.line,
    };
  }

  /** The quoted scalar from the quote at i to the one at close. */
  private quoted(i: number, close: number): YScalar {
    const text = this.source;
    const double = text[i] === '"';
    const raw = text.slice(i + 1, close);
    const escaped = double ? raw.includes('\\') : raw.includes("''");
    let value = raw;
    if (escaped) value = double ? decodeDouble(raw) : raw.replace(/''/g, "'");
    const style = double ? 'double' : 'single';
    return { kind: 'scalar', value, style, start: i + 1, end: close, literal: !escaped, line: this.line };
  }

  /**
   * A quoted scalar that goes on over the next lines (more indented than its key or dash), folded as
   * YAML folds flow scalars: each line trimmed, one line break → a space, n empty lines → n breaks.
   * Double-quoted ones with escapes are left to the full parser.
   */
  private multilineQuoted(i: number, end: number, owner: number): YScalar {
    const text = this.source;
    const quote = text[i]!;
    const line = this.line;
    let value = text.slice(i + 1, end).replace(/[ \t]+$/, '');
    let breaks = 0;
    for (let start = text.indexOf('\n', end) + 1; start > 0; start = text.indexOf('\n', start) + 1) {
      this.line++;
      const stop = text.indexOf('\n', start);
      const lineEnd = stop === -1 ? text.length : stop > start && text[stop - 1] === '\r' ? stop - 1 : stop;
      let j = start;
      while (j < lineEnd && text.charCodeAt(j) === 32) j++;
      if (j === lineEnd) {
        breaks++;
        continue;
      }
      if (j - start <= owner || text[j] === '\t') throw new Unsupported();
      const close = this.closingQuote(j - 1, lineEnd, quote);
      const piece = text.slice(j, close < 0 ? lineEnd : close);
      value += (breaks > 0 ? '\n'.repeat(breaks) : ' ') + (close < 0 ? piece.replace(/[ \t]+$/, '') : piece);
      breaks = 0;
      if (close < 0) continue;
      if (!/^\s*(#.*)?$/.test(text.slice(close + 1, lineEnd))) throw new Unsupported();
      if (quote === '"' && value.includes('\\')) throw new Unsupported();
      this.resumeAt = lineEnd;
      const folded = quote === "'" ? value.replace(/''/g, "'") : value;
      const style = quote === '"' ? 'double' : 'single';
      return { kind: 'scalar', value: folded, style, start: i + 1, end: close, literal: false, line };
    }
    throw new Unsupported(); // never closed
  }

  private top(): Frame | undefined {
    return this.stack[this.stack.length - 1];
  }
}

/** The value of a block scalar from its body lines (YAML 1.2 literal and folded styles, chomping). */
function blockValue(source: string, block: OpenBlock, folded: boolean, chomp: '' | '-' | '+'): string {
  const { indent, bodyStart, bodyEnd } = block;
  const lines: string[] = [];
  for (let pos = bodyStart; pos < bodyEnd;) {
    const nl = source.indexOf('\n', pos);
    const stop = nl < 0 || nl >= bodyEnd ? bodyEnd : nl;
    const end = stop > pos && source.charCodeAt(stop - 1) === 13 ? stop - 1 : stop;
    // Lines of spaces no longer than the indentation are empty; the rest lose the indentation.
    lines.push(
      indent < 0 || (end - pos <= indent && isSpaces(source, pos, end))
        ? ''
        : source.slice(pos + indent, end),
    );
    pos = stop + 1;
  }
  let last = lines.length - 1;
  while (last >= 0 && lines[last] === '') last--;
  const trailing = lines.length - 1 - last;
  if (last < 0) return chomp === '+' ? '\n'.repeat(trailing) : '';
  let value = '';
  if (!folded) {
    value = lines.slice(0, last + 1).join('\n');
  } else {
    let empties = 0;
    let previous: string | null = null;
    for (let k = 0; k <= last; k++) {
      const line = lines[k]!;
      if (line === '') {
        empties++;
        continue;
      }
      if (previous === null) value += '\n'.repeat(empties);
      else if (isSpaced(previous) || isSpaced(line)) value += '\n'.repeat(empties + 1);
      else value += empties === 0 ? ' ' : '\n'.repeat(empties);
      value += line;
      previous = line;
      empties = 0;
    }
  }
  if (chomp === '-') return value;
  return chomp === '+' ? value + '\n'.repeat(trailing + 1) : value + '\n';
}

function isSpaces(source: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (source.charCodeAt(i) !== 32) return false;
  return true;
}

/** A folded-style line that starts with white space keeps its line breaks. */
function isSpaced(line: string): boolean {
  return line[0] === ' ' || line[0] === '\t';
}

function decodeDouble(raw: string): string {
  try {
    return JSON.parse(`"${raw}"`) as string;
  } catch {
    throw new Unsupported();
  }
}
