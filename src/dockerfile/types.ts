// The parsed form of a Dockerfile. Offsets are UTF-16 indices into the text given to the parser;
// lines are 1-based. Nothing is normalised away: rules and extractors can always go back to the text.

export interface ParserDirectives {
  syntax?: Directive;
  escape: '\\' | '`';
  check?: Directive;
}

export interface Directive {
  name: string; // lower-case: syntax | escape | check
  value: string;
  line: number;
  /** Range of the value inside the file. */
  valueStart: number;
  valueEnd: number;
}

export interface Flag {
  name: string; // without dashes, lower-case: from, platform, mount, chmod, link, checksum...
  value: string | null; // null for a bare flag (--link)
  /** The value as written (quotes and escapes kept, continuation lines joined); null for a bare flag. */
  written: string | null;
  /** Offsets of the value text in the file (from its first character to just past its last). */
  valueStart: number;
  valueEnd: number;
  /** The file offset of each character of `written`, when the value spans a line continuation. */
  offsets?: number[];
}

/** A whitespace-separated word of the instruction's arguments, with its source position. */
export interface Word {
  text: string;
  start: number; // offset of the first character in the file
  end: number; // just past the last character
  /**
   * The file offset of each character of `text` when the word spans a line continuation (the file
   * between `start` and `end` then also holds the escape, the line break and any dropped lines).
   */
  offsets?: number[];
}

export interface Heredoc {
  name: string; // delimiter word, without quotes
  /** `<<-`: leading tabs are stripped from body lines. */
  stripTabs: boolean;
  /** Quoted delimiter (`<<'EOF'`/`<<"EOF"`): no variable expansion in the body. */
  quoted: boolean;
  body: string; // lines between the opener and the terminator, newline-terminated
  line: number; // line of the first body line
}

export interface Instruction {
  /** Upper-case keyword (FROM, RUN...); unknown keywords are kept as written, upper-cased. */
  keyword: string;
  /** Line of the keyword and last line including continuations and heredoc terminators. */
  line: number;
  endLine: number;
  start: number;
  end: number;
  flags: Flag[];
  /**
   * Arguments after the flags, continuation lines joined (escape+newline removed, comment lines inside
   * the continuation dropped); heredoc bodies not included.
   */
  args: string;
  /** `args` split on whitespace, with file positions. Quotes are kept in `text`. */
  words: Word[];
  /** Exec form (a JSON array of strings), or null when the arguments are in shell form. */
  json: string[] | null;
  heredocs: Heredoc[];
  /** For ONBUILD: the wrapped instruction. */
  onbuild?: Instruction;
  /** Index into Dockerfile.stages; -1 for instructions before the first FROM. */
  stage: number;
}

export interface ArgDeclaration {
  name: string;
  /** Default value with quotes removed; undefined when declared without a default. */
  value?: string;
  /** The default as written (inside quotes when quoted, escapes kept, continuation lines joined). */
  written?: string;
  line: number;
  /** Offsets of the default value text (inside quotes when quoted). */
  valueStart?: number;
  valueEnd?: number;
  /** The file offset of each character of `written`, when the default spans a line continuation. */
  offsets?: number[];
}

export interface Stage {
  index: number;
  /** `AS name` as written; null when unnamed. */
  name: string | null;
  from: Instruction;
  instructions: Instruction[]; // FROM included, first
}

export interface Comment {
  text: string; // after '#', trimmed
  line: number;
}

export interface ParseError {
  line: number;
  message: string;
}

export interface Dockerfile {
  text: string;
  directives: ParserDirectives;
  instructions: Instruction[];
  stages: Stage[];
  /** ARGs declared before the first FROM: the only ones visible in FROM lines. */
  globalArgs: ArgDeclaration[];
  comments: Comment[];
  errors: ParseError[];
}
