// Splits instruction arguments into whitespace-separated words the way BuildKit's lexer sees them:
// quotes group, the escape character protects the next character. Quotes stay in the word text.

export interface RawWord {
  text: string;
  /** Index of the first character in the input string. */
  start: number;
  end: number;
}

const SQUOTE = 39;
const DQUOTE = 34;

function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13;
}

/** The word starting at or after `from`, or null at the end of the input. */
export function nextWord(input: string, from: number, escape: string): RawWord | null {
  const n = input.length;
  const esc = escape.charCodeAt(0);
  let i = from;
  while (i < n && isSpace(input.charCodeAt(i))) i++;
  if (i >= n) return null;
  const start = i;
  let quote = 0;
  for (; i < n; i++) {
    const code = input.charCodeAt(i);
    if (quote) {
      if (code === quote) quote = 0;
      else if (code === esc && quote === DQUOTE) i++;
    } else if (code === SQUOTE || code === DQUOTE) {
      // An unterminated quote is an ordinary character, as in BuildKit's word splitting.
      if (input.indexOf(code === SQUOTE ? "'" : '"', i + 1) !== -1) quote = code;
    } else if (code === esc) {
      i++;
    } else if (isSpace(code)) {
      break;
    }
  }
  if (i > n) i = n;
  return { text: input.slice(start, i), start, end: i };
}

export function splitWords(input: string, escape: string): RawWord[] {
  const words: RawWord[] = [];
  for (let word = nextWord(input, 0, escape); word; word = nextWord(input, word.end, escape)) {
    words.push(word);
  }
  return words;
}

/** Removes one level of shell quoting from a word (`"a b"` → `a b`, `'x'` → `x`). */
export function unquote(word: string, escape: string): string {
  if (!/["'\\`]/.test(word)) return word;
  let out = '';
  let quote = '';
  for (let i = 0; i < word.length; i++) {
    const ch = word[i]!;
    if (quote) {
      if (ch === quote) quote = '';
      else if (ch === escape && quote === '"' && i + 1 < word.length) out += word[++i];
      else out += ch;
    } else if (ch === "'" || ch === '"') quote = ch;
    else if (ch === escape && i + 1 < word.length) out += word[++i];
    else out += ch;
  }
  return out;
}
