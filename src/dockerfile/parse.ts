// Dockerfile parser with BuildKit semantics and exact source positions. It never throws: problems are
// collected in `errors` (reported as DH000) and parsing continues with the next line.
//
// Physical lines become instructions the way BuildKit's parser does (moby/buildkit,
// frontend/dockerfile/parser/parser.go), for every instruction alike:
// - A line ending in the escape character (`\`, or `` ` `` after `# escape=`), then only spaces or
//   tabs, continues on the next line; the escape character and what follows it are dropped. An escaped
//   escape character does not continue: `RUN dir C:\\` ends there.
// - Inside a continuation, a line whose first non-blank character is `#` is a comment, and a blank line
//   is an "empty continuation line": both are dropped, whatever they end with, and the instruction
//   goes on with the next line. So `ARG \` + `# note` + `V=1` is `ARG V=1`.
// - A continuation line keeps its leading whitespace; only an instruction's first line is trimmed.
// - "Blank" is Go's unicode.IsSpace (U+0085 is blank, U+FEFF is not), not JavaScript's trimStart.
// - Heredoc bodies (RUN, COPY, ADD `<<EOF`) start after the joined line and are read verbatim.
// Words, flag values and ARG defaults that span a continuation keep the file offset of each character
// (`offsets`), so edits still land on the right bytes.
import { splitLines, type Lines } from './lines.js';
import type {
  ArgDeclaration,
  Comment,
  Directive,
  Dockerfile,
  Flag,
  Heredoc,
  Instruction,
  ParseError,
  ParserDirectives,
  Stage,
  Word,
} from './types.js';
import { nextWord, splitWords, unquote } from './words.js';

const KEYWORDS = new Set([
  'ADD',
  'ARG',
  'CMD',
  'COPY',
  'ENTRYPOINT',
  'ENV',
  'EXPOSE',
  'FROM',
  'HEALTHCHECK',
  'LABEL',
  'MAINTAINER',
  'ONBUILD',
  'RUN',
  'SHELL',
  'STOPSIGNAL',
  'USER',
  'VOLUME',
  'WORKDIR',
]);
const HEREDOC_KEYWORDS = new Set(['RUN', 'COPY', 'ADD']);
/** Leading whitespace as Go's unicode.IsSpace sees it. */
const LEADING_BLANKS = /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;
const DIRECTIVE = /^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$/;
const HEREDOC = /^\d*<<(-?)([^<]+)$/;

/** A logical line: pieces of physical lines joined, with a map back to file offsets. */
interface Logical {
  text: string;
  /** For each piece: its index in `text` and its offset in the file. */
  pieces: { at: number; file: number }[];
}

function fileOffset(logical: Logical, index: number): number {
  let piece = logical.pieces[0]!;
  for (const p of logical.pieces) {
    if (p.at > index) break;
    piece = p;
  }
  return piece.file + (index - piece.at);
}

/** True when the text from `start` to `end` in the logical line lies on one physical line. */
function contiguous(logical: Logical, start: number, end: number): boolean {
  return logical.pieces.every((p) => p.at <= start || p.at >= end);
}

/** File offsets of the logical text from `start` to `end`, one per character. */
function offsetsOf(logical: Logical, start: number, end: number): number[] {
  return Array.from({ length: end - start }, (_, i) => fileOffset(logical, start + i));
}

function trimBlanks(line: string): string {
  return line.replace(LEADING_BLANKS, '');
}

/** A RUN's words, or how to split them until someone asks (a hidden slot of the instruction). */
const WORDS = Symbol('words');
type WordsToSplit = () => Word[];

/**
 * The one getter of every RUN's lazy `words`. Not a closure per instruction: V8 keeps a per-object
 * accessor where its young-generation GC treats it as a root, so each file's whole parse (the closure
 * holds the parser) outlived its scan and reached the old generation — on 9,000 Dockerfiles 105 MB
 * promoted instead of 5 MB, and a heap several times what is live.
 */
function lazyWordsGetter(this: Instruction & { [WORDS]: Word[] | WordsToSplit }): Word[] {
  const words = this[WORDS];
  if (typeof words !== 'function') return words;
  return (this[WORDS] = words());
}

export function parseDockerfile(text: string): Dockerfile {
  return new Parser(text).parse();
}

class Parser {
  private readonly lines: Lines;
  private readonly errors: ParseError[] = [];
  private readonly comments: Comment[] = [];
  private readonly instructions: Instruction[] = [];
  private readonly stages: Stage[] = [];
  private readonly globalArgs: ArgDeclaration[] = [];
  private directives: ParserDirectives = { escape: '\\' };
  private escape = '\\';
  private continuation!: RegExp;
  private readonly text: string;

  constructor(text: string) {
    this.text = text;
    this.lines = splitLines(text);
  }

  parse(): Dockerfile {
    let i = this.parseDirectives();
    const escape = this.escape === '\\' ? '\\\\' : '`';
    this.continuation = new RegExp(`(?<!${escape})${escape}[ \\t]*$`);
    const count = this.lines.starts.length;
    while (i < count) {
      const trimmed = trimBlanks(this.lineText(i));
      if (trimmed === '') {
        i++;
      } else if (trimmed.startsWith('#')) {
        this.comments.push({ text: trimmed.slice(1).trim(), line: i + 1 });
        i++;
      } else {
        i = this.parseInstruction(i);
      }
    }
    if (this.instructions.length === 0) {
      this.errors.push({ line: 1, message: 'file with no instructions' });
    } else if (this.stages.length === 0) {
      this.errors.push({ line: this.instructions[0]!.line, message: 'no FROM instruction: no build stage' });
    }
    return {
      text: this.text,
      directives: this.directives,
      instructions: this.instructions,
      stages: this.stages,
      globalArgs: this.globalArgs,
      comments: this.comments,
      errors: this.errors,
    };
  }

  private lineText(i: number): string {
    return this.text.slice(this.lines.starts[i], this.lines.ends[i]);
  }

  /** Parser directives are only read at the very top; the first other line ends them. */
  private parseDirectives(): number {
    const seen = new Set<string>();
    let i = 0;
    for (; i < this.lines.starts.length; i++) {
      let start = this.lines.starts[i]!;
      if (i === 0 && this.text.charCodeAt(0) === 0xfeff) start++;
      const content = trimBlanks(this.text.slice(start, this.lines.ends[i]));
      start = this.lines.ends[i]! - content.length;
      const match = DIRECTIVE.exec(content);
      if (!match) break;
      const name = match[1]!.toLowerCase();
      const value = match[2]!;
      if (seen.has(name)) {
        this.errors.push({ line: i + 1, message: `only one ${name} parser directive can be used` });
        continue;
      }
      seen.add(name);
      const valueStart = start + content.lastIndexOf(value);
      const directive: Directive = {
        name,
        value,
        line: i + 1,
        valueStart,
        valueEnd: valueStart + value.length,
      };
      if (name === 'escape') {
        if (value === '\\' || value === '`') this.escape = value;
        else
          this.errors.push({
            line: i + 1,
            message: `invalid escape token '${value}' does not match \` or \\`,
          });
      } else if (name === 'syntax' || name === 'check') {
        this.directives[name] = directive;
      }
      this.comments.push({ text: content.slice(1).trim(), line: i + 1 });
    }
    this.directives.escape = this.escape as '\\' | '`';
    return i;
  }

  /** Reads the logical line starting at physical line `first`; returns it and the next line index. */
  private readLogical(first: number): { logical: Logical; next: number; lastLine: number } {
    const logical: Logical = { text: '', pieces: [] };
    let i = first;
    let lastLine: number;
    for (;;) {
      const start = this.lines.starts[i]!;
      let content = this.lineText(i);
      const cont = this.continuation.exec(content);
      if (cont) content = content.slice(0, cont.index);
      logical.pieces.push({ at: logical.text.length, file: start });
      logical.text += content;
      lastLine = i;
      i++;
      if (!cont) break;
      // Inside a continuation, blank lines and comment lines are dropped (see the rules at the top).
      while (i < this.lines.starts.length) {
        const trimmed = trimBlanks(this.lineText(i));
        if (trimmed !== '' && !trimmed.startsWith('#')) break;
        i++;
      }
      if (i >= this.lines.starts.length) break;
    }
    return { logical, next: i, lastLine };
  }

  private parseInstruction(first: number): number {
    const { logical, next, lastLine } = this.readLogical(first);
    const instruction = this.buildInstruction(logical, 0, first + 1);
    if (!instruction) return next;
    let after = next;
    let endLine = lastLine + 1;
    const heredocTarget = instruction.onbuild ?? instruction;
    if (HEREDOC_KEYWORDS.has(heredocTarget.keyword)) {
      const read = this.readHeredocs(heredocTarget, next);
      after = read.next;
      if (read.heredocs.length) endLine = read.next;
    }
    instruction.endLine = endLine;
    instruction.end = endLine - 1 < this.lines.ends.length ? this.lines.ends[endLine - 1]! : this.text.length;
    this.addInstruction(instruction);
    return after;
  }

  /** Builds an instruction from the logical line starting at `offset` (non-zero for ONBUILD). */
  private buildInstruction(logical: Logical, offset: number, line: number): Instruction | null {
    const text = logical.text;
    let i = offset;
    while (i < text.length && /\s/.test(text[i]!)) i++;
    const kwStart = i;
    while (i < text.length && !/\s/.test(text[i]!)) i++;
    const keyword = text.slice(kwStart, i).toUpperCase();
    if (!KEYWORDS.has(keyword)) {
      this.errors.push({ line, message: `unknown instruction: ${text.slice(kwStart, i)}` });
      return null;
    }
    const instruction: Instruction = {
      keyword,
      line,
      endLine: line,
      start: fileOffset(logical, kwStart),
      end: 0,
      flags: [],
      args: '',
      words: [],
      json: null,
      heredocs: [],
      stage: this.stages.length - 1,
    };
    if (keyword === 'ONBUILD') {
      const inner = this.buildInstruction(logical, i, line);
      if (inner) {
        if (inner.keyword === 'ONBUILD' || inner.keyword === 'FROM' || inner.keyword === 'MAINTAINER') {
          this.errors.push({ line, message: `${inner.keyword} isn't allowed as an ONBUILD trigger` });
        }
        instruction.onbuild = inner;
      }
      instruction.args = text.slice(i).trim();
      instruction.words = this.toWords(logical, i);
      return instruction;
    }
    let argsFrom = text.length;
    for (let word = nextWord(text, i, this.escape); word; word = nextWord(text, word.end, this.escape)) {
      if (word.text === '--') {
        argsFrom = word.end;
        break;
      }
      if (!word.text.startsWith('--')) {
        argsFrom = word.start;
        break;
      }
      const eq = word.text.indexOf('=');
      const name = (eq === -1 ? word.text.slice(2) : word.text.slice(2, eq)).toLowerCase();
      const valueIndex = eq === -1 ? word.end : word.start + eq + 1;
      const written = eq === -1 ? null : word.text.slice(eq + 1);
      const flag: Flag = {
        name,
        value: written === null ? null : unquote(written, this.escape),
        written,
        valueStart: fileOffset(logical, valueIndex),
        valueEnd: fileOffset(logical, valueIndex) + (word.end - valueIndex),
      };
      if (!contiguous(logical, valueIndex, word.end)) {
        flag.offsets = offsetsOf(logical, valueIndex, word.end);
        flag.valueEnd = flag.offsets.at(-1)! + 1;
      }
      instruction.flags.push(flag);
    }
    instruction.args = text.slice(argsFrom).trim();
    // Rules read RUN scripts through the shell tokenizer: split a RUN's words only if someone asks.
    if (keyword === 'RUN') this.lazyWords(instruction, logical, argsFrom);
    else instruction.words = this.toWords(logical, argsFrom);
    if (instruction.args.startsWith('[')) instruction.json = parseJsonArray(instruction.args);
    this.checkArity(instruction);
    return instruction;
  }

  private toWords(logical: Logical, from: number): Word[] {
    return splitWords(logical.text.slice(from), this.escape).map((w) => {
      const start = fileOffset(logical, w.start + from);
      if (contiguous(logical, w.start + from, w.end + from))
        return { text: w.text, start, end: start + w.text.length };
      const offsets = offsetsOf(logical, w.start + from, w.end + from);
      return { text: w.text, start, end: offsets.at(-1)! + 1, offsets };
    });
  }

  private lazyWords(instruction: Instruction, logical: Logical, from: number): void {
    const split: WordsToSplit = () => this.toWords(logical, from);
    Object.defineProperty(instruction, WORDS, { value: split, writable: true });
    Object.defineProperty(instruction, 'words', { get: lazyWordsGetter, enumerable: true });
  }

  private checkArity(instruction: Instruction): void {
    const kw = instruction.keyword;
    if (instruction.args === '') {
      const message =
        kw === 'FROM'
          ? 'FROM requires either one or three arguments'
          : `${kw} requires at least one argument`;
      if (kw !== 'CMD' && kw !== 'ENTRYPOINT') this.errors.push({ line: instruction.line, message });
      return;
    }
    if (kw !== 'FROM' && kw !== 'COPY' && kw !== 'ADD' && kw !== 'ENV' && kw !== 'LABEL') return;
    const n = instruction.words.length;
    if (kw === 'FROM' && n !== 1 && !(n === 3 && instruction.words[1]!.text.toLowerCase() === 'as')) {
      this.errors.push({ line: instruction.line, message: 'FROM requires either one or three arguments' });
    } else if (
      (kw === 'COPY' || kw === 'ADD') &&
      n < 2 &&
      !(n === 1 && instruction.words[0]!.text.startsWith('<<'))
    ) {
      if (!instruction.json || instruction.json.length < 2) {
        this.errors.push({ line: instruction.line, message: `${kw} requires at least two arguments` });
      }
    } else if ((kw === 'ENV' || kw === 'LABEL') && n === 1 && !instruction.words[0]!.text.includes('=')) {
      this.errors.push({ line: instruction.line, message: `${kw} must have two arguments` });
    }
  }

  /** Reads the heredoc bodies announced on an instruction, in order, from line index `from`. */
  private readHeredocs(instruction: Instruction, from: number): { heredocs: Heredoc[]; next: number } {
    let i = from;
    if (!instruction.args.includes('<<')) return { heredocs: instruction.heredocs, next: i };
    for (const word of instruction.words) {
      const match = HEREDOC.exec(word.text);
      if (!match) continue;
      const stripTabs = match[1] === '-';
      const rawName = match[2]!;
      const name = unquote(rawName, this.escape);
      const heredoc: Heredoc = { name, stripTabs, quoted: rawName !== name, body: '', line: i + 1 };
      let terminated = false;
      for (; i < this.lines.starts.length; i++) {
        let content = this.lineText(i);
        if (stripTabs) content = content.replace(/^\t+/, '');
        if (content === name) {
          terminated = true;
          i++;
          break;
        }
        heredoc.body += content + '\n';
      }
      if (!terminated) {
        this.errors.push({ line: instruction.line, message: `unterminated heredoc <<${name}` });
      }
      instruction.heredocs.push(heredoc);
    }
    return { heredocs: instruction.heredocs, next: i };
  }

  private addInstruction(instruction: Instruction): void {
    if (instruction.keyword === 'FROM') {
      const words = instruction.words;
      const name = words.length === 3 && words[1]!.text.toLowerCase() === 'as' ? words[2]!.text : null;
      instruction.stage = this.stages.length;
      this.stages.push({ index: this.stages.length, name, from: instruction, instructions: [] });
    } else if (this.stages.length === 0 && instruction.keyword !== 'ARG') {
      this.errors.push({
        line: instruction.line,
        message: `${instruction.keyword} before the first FROM: only ARG may come before FROM`,
      });
    }
    if (instruction.keyword === 'ARG' && this.stages.length === 0) {
      this.globalArgs.push(...parseArgDeclarations(instruction, this.escape));
    }
    this.instructions.push(instruction);
    this.stages.at(-1)?.instructions.push(instruction);
  }
}

function parseJsonArray(args: string): string[] | null {
  try {
    const value: unknown = JSON.parse(args);
    if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
  } catch {
    // Not JSON: BuildKit falls back to the shell form.
  }
  return null;
}

/** `ARG NAME[=default] [NAME2[=default2]…]`; quotes around defaults are removed. */
export function parseArgDeclarations(instruction: Instruction, escape: string): ArgDeclaration[] {
  return instruction.words.map((word) => {
    const eq = word.text.indexOf('=');
    if (eq === -1) return { name: word.text, line: instruction.line };
    const raw = word.text.slice(eq + 1);
    const quoted = raw.length >= 2 && (raw[0] === '"' || raw[0] === "'") && raw.at(-1) === raw[0];
    // The default's characters within the word: inside the quotes when quoted.
    const from = eq + 1 + (quoted ? 1 : 0);
    const to = word.text.length - (quoted ? 1 : 0);
    const declaration: ArgDeclaration = {
      name: word.text.slice(0, eq),
      value: quoted ? unquote(raw, escape) : raw,
      written: word.text.slice(from, to),
      line: instruction.line,
      valueStart: word.start + from,
      valueEnd: word.start + to,
    };
    const offsets = word.offsets?.slice(from, to);
    if (offsets) {
      declaration.valueStart = offsets[0] ?? word.offsets![from - 1]! + 1;
      declaration.valueEnd = offsets.length ? offsets.at(-1)! + 1 : declaration.valueStart;
      // Only a default that itself spans a continuation needs them.
      if (declaration.valueEnd - declaration.valueStart !== offsets.length) declaration.offsets = offsets;
    }
    return declaration;
  });
}
