// A JSON parser that keeps where each value sits. JSON.parse loses positions, and an edit must replace
// the exact characters of one value. Strict JSON (RFC 8259), one pass, no backtracking; nesting is
// bounded so that hostile input cannot exhaust the stack. Offsets are UTF-16 code units.

export interface JsonString {
  type: 'string';
  /** Offsets of the text between the quotes. */
  start: number;
  end: number;
  value: string;
  /** True when the text holds escapes, so that it differs from `value` and cannot be edited in place. */
  escaped: boolean;
}

export interface JsonEntry {
  key: string;
  /** Offset of the key's opening quote. */
  keyStart: number;
  value: JsonValue;
}

export interface JsonObject {
  type: 'object';
  start: number;
  end: number;
  entries: JsonEntry[];
}

export interface JsonArray {
  type: 'array';
  start: number;
  end: number;
  items: JsonValue[];
}

export interface JsonScalar {
  type: 'number' | 'boolean' | 'null';
  start: number;
  end: number;
}

export type JsonValue = JsonString | JsonObject | JsonArray | JsonScalar;

export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

const MAX_DEPTH = 512;

/** Parses `text`; throws JsonSyntaxError with the offset of the first problem. */
export function parseJson(text: string): JsonValue {
  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0; // a BOM is not content

  const fail = (message: string, at = pos): never => {
    throw new JsonSyntaxError(message, at);
  };
  const skipSpace = (): void => {
    for (;;) {
      const c = text.charCodeAt(pos);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) pos++;
      else return;
    }
  };
  const describe = (at: number): string => (at >= text.length ? 'end of input' : `'${text[at]}'`);

  const parseString = (): JsonString => {
    const open = pos++;
    let value = '';
    let chunk = pos;
    let escaped = false;
    for (;;) {
      if (pos >= text.length) fail('unterminated string', open);
      const c = text.charCodeAt(pos);
      if (c === 0x22) break;
      if (c < 0x20) fail('control character in string');
      if (c !== 0x5c) {
        pos++;
        continue;
      }
      escaped = true;
      value += text.slice(chunk, pos);
      const e = text[pos + 1];
      const simple = e === undefined ? undefined : ESCAPES[e];
      if (simple !== undefined) {
        value += simple;
        pos += 2;
      } else if (e === 'u') {
        const hex = text.slice(pos + 2, pos + 6);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('invalid \\u escape');
        value += String.fromCharCode(parseInt(hex, 16));
        pos += 6;
      } else fail('invalid escape');
      chunk = pos;
    }
    value += text.slice(chunk, pos);
    pos++; // closing quote
    return { type: 'string', start: open + 1, end: pos - 1, value, escaped };
  };

  const parseValue = (depth: number): JsonValue => {
    if (depth > MAX_DEPTH) fail('nesting too deep');
    skipSpace();
    const start = pos;
    const c = text[pos];
    if (c === '"') return parseString();
    if (c === '{') {
      pos++;
      const entries: JsonEntry[] = [];
      skipSpace();
      if (text[pos] === '}') return { type: 'object', start, end: ++pos, entries };
      for (;;) {
        skipSpace();
        if (text[pos] !== '"') fail(`expected a key, found ${describe(pos)}`);
        const keyStart = pos;
        const key = parseString().value;
        skipSpace();
        if (text[pos] !== ':') fail(`expected ':', found ${describe(pos)}`);
        pos++;
        entries.push({ key, keyStart, value: parseValue(depth + 1) });
        skipSpace();
        if (text[pos] === ',') pos++;
        else if (text[pos] === '}') return { type: 'object', start, end: ++pos, entries };
        else fail(`expected ',' or '}', found ${describe(pos)}`);
      }
    }
    if (c === '[') {
      pos++;
      const items: JsonValue[] = [];
      skipSpace();
      if (text[pos] === ']') return { type: 'array', start, end: ++pos, items };
      for (;;) {
        items.push(parseValue(depth + 1));
        skipSpace();
        if (text[pos] === ',') pos++;
        else if (text[pos] === ']') return { type: 'array', start, end: ++pos, items };
        else fail(`expected ',' or ']', found ${describe(pos)}`);
      }
    }
    for (const [word, type] of WORDS) {
      if (text.startsWith(word, pos)) {
        pos += word.length;
        return { type, start, end: pos };
      }
    }
    NUMBER.lastIndex = pos;
    if (NUMBER.test(text)) {
      pos = NUMBER.lastIndex;
      return { type: 'number', start, end: pos };
    }
    return fail(`unexpected ${describe(pos)}`);
  };

  const root = parseValue(0);
  skipSpace();
  if (pos < text.length) fail(`unexpected ${describe(pos)} after the end of the document`);
  return root;
}

const ESCAPES: Record<string, string> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

const WORDS: [string, JsonScalar['type']][] = [
  ['true', 'boolean'],
  ['false', 'boolean'],
  ['null', 'null'],
];

// Sticky, and each part can match in one way only: linear.
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;

/** The value of the last entry named `key` (JSON.parse keeps the last duplicate too). */
export function member(object: JsonObject, key: string): JsonValue | undefined {
  for (let i = object.entries.length - 1; i >= 0; i--) {
    const entry = object.entries[i]!;
    if (entry.key === key) return entry.value;
  }
  return undefined;
}

/** Keys written more than once in `object`. */
export function duplicateKeys(object: JsonObject): string[] {
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  for (const { key } of object.entries) (seen.has(key) ? duplicates : seen).add(key);
  return [...duplicates];
}
