// Variable substitution as BuildKit does it for FROM, COPY --from and mount sources, keeping track of
// where every character of the result came from so an edit can go back to the right bytes.

/** A string whose characters each carry a source offset (-1 when not from a literal in the file). */
export interface Traced {
  value: string;
  offsets: number[];
}

export interface Expansion extends Traced {
  /** A variable was used that has no value here (undeclared, or declared without a default). */
  unresolved: boolean;
  /** Names of the variables whose values appear in the result. */
  used: string[];
}

export type Lookup = (name: string) => Traced | undefined;

/**
 * Where an input's characters are in the file: the offset of the first one when the input is a
 * contiguous piece of the file (-1: not in the file), or one offset per character when it is not (a
 * word spanning a line continuation).
 */
export type Origin = number | readonly number[];

/** The origin of the input from its character `index` on. */
export function originFrom(origin: Origin, index: number): Origin {
  if (typeof origin !== 'number') return origin.slice(index);
  return origin < 0 ? -1 : origin + index;
}

/** The file offset just past an input of `length` characters (-1 when not in the file). */
export function originEnd(origin: Origin, length: number): number {
  if (typeof origin !== 'number') return length === 0 ? -1 : origin[length - 1]! + 1;
  return origin < 0 ? -1 : origin + length;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;

export function literal(value: string, start: number): Traced {
  return { value, offsets: Array.from({ length: value.length }, (_, i) => start + i) };
}

/**
 * Expands `$NAME`, `${NAME}`, `${NAME:-word}`, `${NAME-word}`, `${NAME:+word}`, `${NAME+word}` and
 * `${NAME:?msg}` in `input` (whose characters are in the file where `origin` says) and removes shell
 * quotes.
 */
export function expand(input: string, origin: Origin, lookup: Lookup, escape = '\\'): Expansion {
  const out: Expansion = { value: '', offsets: [], unresolved: false, used: [] };
  const at = (i: number): number =>
    typeof origin === 'number' ? (origin < 0 ? -1 : origin + i) : (origin[i] ?? -1);
  const push = (ch: string, offset: number): void => {
    out.value += ch;
    out.offsets.push(offset);
  };
  const append = (t: Traced): void => {
    out.value += t.value;
    out.offsets.push(...t.offsets);
  };
  let quote = '';
  for (let i = 0; i < input.length; i++) {
    const ch = input[i]!;
    if (ch === escape && quote !== "'" && i + 1 < input.length) {
      i++;
      push(input[i]!, at(i));
    } else if ((ch === '"' || ch === "'") && (quote === '' || quote === ch)) {
      quote = quote ? '' : ch;
    } else if (ch === '$' && quote !== "'" && i + 1 < input.length) {
      const parsed = parseVariable(input, i + 1);
      if (!parsed) {
        push(ch, at(i));
        continue;
      }
      const value = lookup(parsed.name);
      const set = value !== undefined;
      const nonEmpty = set && value.value !== '';
      const op = parsed.op;
      const word = () =>
        expand(parsed.word, parsed.wordStart < 0 ? -1 : originFrom(origin, parsed.wordStart), lookup, escape);
      if (op === '' || op === ':?' || op === '?') {
        if (set) {
          append(value);
          out.used.push(parsed.name);
        } else out.unresolved = true;
      } else if (op === ':-' || op === '-') {
        if (op === ':-' ? nonEmpty : set) {
          append(value!);
          out.used.push(parsed.name);
        } else mergeInto(out, word());
      } else if (op === ':+' || op === '+') {
        if (op === ':+' ? nonEmpty : set) mergeInto(out, word());
      } else {
        // Pattern operators (#, %, /) depend on values we may not know exactly: give up on this one.
        out.unresolved = true;
      }
      i = parsed.end - 1;
    } else {
      push(ch, at(i));
    }
  }
  return out;
}

function mergeInto(out: Expansion, inner: Expansion): void {
  out.value += inner.value;
  out.offsets.push(...inner.offsets);
  out.unresolved ||= inner.unresolved;
  out.used.push(...inner.used);
}

interface ParsedVariable {
  name: string;
  op: string;
  word: string;
  wordStart: number;
  /** Index just past the variable expression. */
  end: number;
}

function parseVariable(input: string, from: number): ParsedVariable | null {
  if (input[from] !== '{') {
    const name = NAME.exec(input.slice(from))?.[0];
    return name ? { name, op: '', word: '', wordStart: -1, end: from + name.length } : null;
  }
  const name = NAME.exec(input.slice(from + 1))?.[0];
  if (!name) return null;
  let i = from + 1 + name.length;
  let depth = 1;
  const opMatch = /^(:[-+?]|[-+?]|##?|%%?|\/\/?)/.exec(input.slice(i));
  const op = opMatch ? opMatch[0] : '';
  i += op.length;
  const wordStart = i;
  for (; i < input.length; i++) {
    if (input[i] === '{') depth++;
    else if (input[i] === '}' && --depth === 0) break;
  }
  if (i >= input.length) return null;
  if (!op && i !== wordStart) return null;
  return { name, op, word: input.slice(wordStart, i), wordStart, end: i + 1 };
}
