// Where each string of a TOML file sits. smol-toml gives values but no positions, so this small linear
// scanner rebuilds the table/array structure with the offsets of every single-line string's content.
// It is lenient (the file was already validated by smol-toml) and never throws.

export interface LString {
  kind: 'string';
  /** Offsets of the text between the quotes. */
  start: number;
  end: number;
  /** The raw text differs from the value (escapes, multi-line): no range to edit. */
  escaped: boolean;
}
export interface LArray {
  kind: 'array';
  items: Located[];
}
export interface LTable {
  kind: 'table';
  entries: Map<string, Located>;
  /** Offset of each key (or of the header that opened a sub-table). */
  keys: Map<string, number>;
}
export type Located = LString | LArray | LTable | { kind: 'other' };

const BARE_KEY = /[A-Za-z0-9_-]/;

export function locateToml(content: string): LTable {
  const root = table();
  let current = root;
  let pos = 0;
  const n = content.length;

  const skipSpace = (newlines: boolean): void => {
    while (pos < n) {
      const c = content[pos]!;
      if (c === ' ' || c === '\t' || (newlines && (c === '\n' || c === '\r'))) pos += 1;
      else if (c === '#') while (pos < n && content[pos] !== '\n') pos += 1;
      else break;
    }
  };
  const skipLine = (): void => {
    while (pos < n && content[pos] !== '\n') pos += 1;
  };

  const readKey = (): string | undefined => {
    const c = content[pos];
    if (c === '"' || c === "'") {
      const close = content.indexOf(c, pos + 1);
      if (close === -1) return undefined;
      const key = content.slice(pos + 1, close);
      pos = close + 1;
      return key;
    }
    const begin = pos;
    while (pos < n && BARE_KEY.test(content[pos]!)) pos += 1;
    return pos > begin ? content.slice(begin, pos) : undefined;
  };
  /** A dotted key; each part with its offset. */
  const readDottedKey = (): [string, number][] | undefined => {
    const parts: [string, number][] = [];
    for (;;) {
      skipSpace(false);
      const at = pos;
      const key = readKey();
      if (key === undefined) return undefined;
      parts.push([key, at]);
      skipSpace(false);
      if (content[pos] !== '.') return parts;
      pos += 1;
    }
  };

  const readString = (): LString => {
    const quote = content[pos]!;
    if (content.startsWith(quote.repeat(3), pos)) {
      const close = content.indexOf(quote.repeat(3), pos + 3);
      const start = pos + 3;
      pos = close === -1 ? n : close + 3;
      while (content[pos] === quote) pos += 1; // up to two quotes may end the content
      return { kind: 'string', start, end: Math.max(start, pos - 3), escaped: true };
    }
    const start = pos + 1;
    let escaped = false;
    pos = start;
    while (pos < n && content[pos] !== quote && content[pos] !== '\n') {
      if (quote === '"' && content[pos] === '\\') {
        escaped = true;
        pos += 1;
      }
      pos += 1;
    }
    const end = pos;
    if (content[pos] === quote) pos += 1;
    return { kind: 'string', start, end, escaped };
  };

  const readValue = (): Located => {
    skipSpace(false);
    const c = content[pos];
    if (c === '"' || c === "'") return readString();
    if (c === '[') {
      pos += 1;
      const items: Located[] = [];
      for (;;) {
        skipSpace(true);
        if (pos >= n) break;
        if (content[pos] === ']') {
          pos += 1;
          break;
        }
        if (content[pos] === ',') {
          pos += 1;
          continue;
        }
        const before = pos;
        items.push(readValue());
        if (pos === before) pos += 1;
      }
      return { kind: 'array', items };
    }
    if (c === '{') {
      pos += 1;
      const inline = table();
      for (;;) {
        skipSpace(true);
        if (pos >= n) break;
        if (content[pos] === '}') {
          pos += 1;
          break;
        }
        if (content[pos] === ',') {
          pos += 1;
          continue;
        }
        const before = pos;
        readKeyValue(inline);
        if (pos === before) pos += 1;
      }
      return inline;
    }
    while (pos < n && !',]}\n#'.includes(content[pos]!)) pos += 1;
    return { kind: 'other' };
  };

  const readKeyValue = (into: LTable): void => {
    const key = readDottedKey();
    if (!key) return;
    skipSpace(false);
    if (content[pos] !== '=') return;
    pos += 1;
    const value = readValue();
    const [last, at] = key[key.length - 1]!;
    const parent = descend(into, key.slice(0, -1));
    parent.entries.set(last, value);
    parent.keys.set(last, at);
  };

  while (pos < n) {
    skipSpace(true);
    if (pos >= n) break;
    if (content[pos] === '[') {
      const arrayOfTables = content[pos + 1] === '[';
      pos += arrayOfTables ? 2 : 1;
      const key = readDottedKey();
      if (key) current = arrayOfTables ? appendTable(root, key) : descend(root, key);
      skipLine();
      continue;
    }
    const before = pos;
    readKeyValue(current);
    if (pos === before) skipLine();
    skipSpace(false);
    if (content[pos] !== '\n') skipLine();
  }
  return root;
}

function table(): LTable {
  return { kind: 'table', entries: new Map(), keys: new Map() };
}

/** The table at a key path, made where missing; an array of tables stands for its last table. */
function descend(from: LTable, path: [string, number][]): LTable {
  let at = from;
  for (const [key, offset] of path) {
    let next = at.entries.get(key);
    if (next?.kind === 'array') next = next.items[next.items.length - 1];
    if (next?.kind !== 'table') {
      next = table();
      at.entries.set(key, next);
      at.keys.set(key, offset);
    }
    at = next;
  }
  return at;
}

function appendTable(root: LTable, path: [string, number][]): LTable {
  const parent = descend(root, path.slice(0, -1));
  const [key, offset] = path[path.length - 1]!;
  let array = parent.entries.get(key);
  if (array?.kind !== 'array') {
    array = { kind: 'array', items: [] };
    parent.entries.set(key, array);
    parent.keys.set(key, offset);
  }
  const added = table();
  array.items.push(added);
  return added;
}

/** The node at a path of keys and array indexes. */
export function locate(root: Located, path: (string | number)[]): Located | undefined {
  let at: Located | undefined = root;
  for (const step of path) {
    if (typeof step === 'number') at = at?.kind === 'array' ? at.items[step] : undefined;
    else at = at?.kind === 'table' ? at.entries.get(step) : undefined;
  }
  return at;
}

/** Offset of the last key of a path (for values that are tables, to give them a line). */
export function keyOffset(root: Located, path: (string | number)[]): number | undefined {
  const parent = locate(root, path.slice(0, -1));
  const last = path[path.length - 1];
  if (parent?.kind === 'table' && typeof last === 'string') return parent.keys.get(last);
  return undefined;
}
