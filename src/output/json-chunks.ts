// `JSON.stringify(value, null, 2)` as a sequence of chunks, so that a report on a large tree is written
// piece by piece instead of existing whole, twice (the mapped report, then its text). Arrays wrapped in
// `lazyArray` are mapped one element at a time while they are written; everything else is written as
// JSON.stringify writes it, byte for byte.

/** An array whose elements are made (by `map`) only when they are written. */
export class LazyArray<T> {
  constructor(
    readonly items: readonly T[],
    readonly map: (item: T) => unknown,
  ) {}
}

/** How a report builder lists mapped items: at once (an array), or as they are written. */
export type ListOf = <T>(items: readonly T[], map: (item: T) => unknown) => unknown;

export const eagerList: ListOf = (items, map) => items.map((item) => map(item));
export const lazyList: ListOf = (items, map) => new LazyArray(items, map);

const INDENT = '  ';

export function* jsonChunks(value: unknown, indent = ''): Generator<string> {
  if (!holdsLazy(value)) {
    // JSON strings never hold a raw line break: every '\n' is layout, to be indented.
    const text = JSON.stringify(value, null, INDENT);
    yield indent && text ? text.replaceAll('\n', `\n${indent}`) : text;
    return;
  }
  const inner = indent + INDENT;
  if (value instanceof LazyArray || Array.isArray(value)) {
    const items: readonly unknown[] = value instanceof LazyArray ? value.items : value;
    if (items.length === 0) {
      yield '[]';
      return;
    }
    for (const [index, item] of items.entries()) {
      yield `${index === 0 ? '[' : ','}\n${inner}`;
      const element = value instanceof LazyArray ? value.map(item) : item;
      // As JSON.stringify: an element with no JSON form is null.
      yield* serializable(element) ? jsonChunks(element, inner) : ['null'];
    }
    yield `\n${indent}]`;
    return;
  }
  const entries = Object.entries(value as object).filter(([, member]) => serializable(member));
  if (entries.length === 0) {
    yield '{}';
    return;
  }
  for (const [index, [key, member]] of entries.entries()) {
    yield `${index === 0 ? '{' : ','}\n${inner}${JSON.stringify(key)}: `;
    yield* jsonChunks(member, inner);
  }
  yield `\n${indent}}`;
}

/** Whether a lazy array sits somewhere inside: only then is the value taken apart here. */
function holdsLazy(value: unknown): boolean {
  if (value instanceof LazyArray) return true;
  if (typeof value !== 'object' || value === null || 'toJSON' in value) return false;
  return Object.values(value).some(holdsLazy);
}

function serializable(value: unknown): boolean {
  return value !== undefined && typeof value !== 'function' && typeof value !== 'symbol';
}
