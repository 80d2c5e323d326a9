// A small POSIX-shell tokenizer for what rules need to know about RUN scripts (which commands run, with
// which words, joined by which operators), and which shell runs each instruction of a Dockerfile. Nothing
// is executed or expanded. Per-instruction and per-file results are computed once and shared: treat them
// as read-only.
import { AttachedCache } from '../core/attached-cache.js';
import { analyzeImages } from './images.js';
import type { Dockerfile, Instruction } from './types.js';

export type Operator = '&&' | '||' | ';' | '|' | '&' | '';

export interface ShellCommand {
  /** Words with quotes removed; `$VAR` and `$(…)` are kept as written. */
  words: string[];
  /** Operator before this command ('' for the first one). */
  before: Operator;
  /** Operator after this command ('' for the last one). */
  after: Operator;
}

/** Splits a shell script into simple commands. Never throws; unbalanced quotes end at the script's end. */
export function shellCommands(script: string): ShellCommand[] {
  const commands: ShellCommand[] = [];
  let words: string[] = [];
  let word = '';
  let inWord = false;
  let before: Operator = '';
  // Open `case … in … esac` statements, innermost last: in a pattern list (before its `)`), `|` separates
  // alternatives and is not a pipe.
  const cases: CaseState[] = [];
  const endWord = (): void => {
    if (inWord) {
      const top = cases.length - 1;
      if (top >= 0 && cases[top] === 'subject' && word === 'in') cases[top] = 'pattern';
      else if (word === 'esac' && top >= 0 && (cases[top] === 'pattern' || atCommandStart(words)))
        cases.pop();
      else if (word === 'case' && atCommandStart(words)) cases.push('subject');
      words.push(word);
    }
    word = '';
    inWord = false;
  };
  const endCommand = (op: Operator): void => {
    endWord();
    if (words.length) {
      commands.push({ words, before, after: op });
      words = [];
      before = op;
    } else if (op === '|' || op === '&&' || op === '||') {
      before = op;
    }
  };
  const n = script.length;
  for (let i = 0; i < n; i++) {
    const ch = script[i]!;
    if (ch === '\\') {
      if (script[i + 1] === '\n') i++;
      else {
        word += script[i + 1] ?? '';
        inWord = true;
        i++;
      }
    } else if (ch === "'") {
      const close = script.indexOf("'", i + 1);
      const end = close === -1 ? n : close;
      word += script.slice(i + 1, end);
      inWord = true;
      i = end;
    } else if (ch === '"') {
      i++;
      while (i < n && script[i] !== '"') {
        if (script[i] === '\\' && i + 1 < n && '"\\$`'.includes(script[i + 1]!)) i++;
        word += script[i];
        i++;
      }
      inWord = true;
    } else if (ch === '$' && (script[i + 1] === '(' || script[i + 1] === '{')) {
      // Keep substitutions whole: their inner commands are not commands of this level.
      const end = matchingClose(script, i + 1);
      word += script.slice(i, end + 1);
      inWord = true;
      i = end;
    } else if (ch === '`') {
      const close = script.indexOf('`', i + 1);
      const end = close === -1 ? n - 1 : close;
      word += script.slice(i, end + 1);
      inWord = true;
      i = end;
    } else if (ch === '#' && !inWord) {
      while (i < n && script[i] !== '\n') i++;
      endCommand(';');
    } else if (ch === '|' && cases.at(-1) === 'pattern') {
      word += ch;
      inWord = true;
    } else if (ch === '&' && script[i + 1] === '>' && !inWord) {
      // `&>file`: both streams to a file, a redirection like the ones below.
      i = redirectionEnd(script, i + 1) - 1;
    } else if (ch === '&' || ch === '|') {
      const double = script[i + 1] === ch;
      if (double) i++;
      endCommand(double ? (ch === '&' ? '&&' : '||') : (ch as Operator));
    } else if (ch === ';' && script[i + 1] === ';' && cases.at(-1) === 'body') {
      // `;;` (and bash's `;;&`) ends a case item: the next pattern list follows.
      i += script[i + 2] === '&' ? 2 : 1;
      endCommand(';');
      cases[cases.length - 1] = 'pattern';
    } else if (ch === ';' && script[i + 1] === '&' && cases.at(-1) === 'body') {
      i++;
      endCommand(';');
      cases[cases.length - 1] = 'pattern';
    } else if (ch === ';' || ch === '\n') {
      endCommand(';');
    } else if (ch === ')' && cases.at(-1) === 'pattern') {
      // The end of a case pattern list (`a|b)`): kept on the pattern word.
      if (inWord) word += ch;
      else endCommand(';');
      cases[cases.length - 1] = 'body';
    } else if (ch === ')' && inWord) {
      // `(cd x && make)`: the subshell ends after the word.
      endCommand(';');
    } else if (ch === '(' || ch === ')' || ch === '{' || ch === '}') {
      if (inWord || (ch === '{' && script[i + 1] !== ' ' && script[i + 1] !== '\n')) {
        word += ch;
        inWord = true;
      } else endCommand(';');
    } else if (ch === ' ' || ch === '\t' || ch === '\r') {
      endWord();
    } else if ((ch === '>' || ch === '<') && (!inWord || FD_NUMBER.test(word))) {
      // Redirections (`> f`, `2>&1`, `<in`): drop the operator, its file descriptor and its target word.
      word = '';
      inWord = false;
      i = redirectionEnd(script, i) - 1;
    } else {
      // A run of ordinary characters joins the word in one piece.
      let j = i + 1;
      while (j < n && SPECIAL[script.charCodeAt(j)] !== 1) j++;
      word += j === i + 1 ? ch : script.slice(i, j);
      inWord = true;
      i = j - 1;
    }
  }
  endCommand('');
  if (commands.length) commands[commands.length - 1]!.after = '';
  return commands;
}

const FD_NUMBER = /^\d+$/;

/** Characters the tokenizer's loop must look at one by one (1); all others are ordinary word characters. */
const SPECIAL = new Uint8Array(128);
for (const ch of '\\\'"$`#&|;\n(){} \t\r<>') SPECIAL[ch.charCodeAt(0)] = 1;

/** Index just past a redirection starting at `from` (its operator characters, blanks, target word). */
function redirectionEnd(script: string, from: number): number {
  let j = from + 1;
  while (script[j] === '>' || script[j] === '&' || script[j] === '<') j++;
  while (script[j] === ' ' || script[j] === '\t') j++;
  while (j < script.length && !' \t\n;&|'.includes(script[j]!)) j++;
  return j;
}

type CaseState = 'subject' | 'pattern' | 'body';

/** Shell keywords that may come before a command's first word (`then case $x in …`). */
const LEADING_KEYWORDS = new Set(['if', 'then', 'else', 'elif', 'do', 'while', 'until', '!']);

function atCommandStart(words: readonly string[]): boolean {
  return words.every((w) => LEADING_KEYWORDS.has(w));
}

function matchingClose(script: string, open: number): number {
  const opener = script[open]!;
  const closer = opener === '(' ? ')' : '}';
  let depth = 0;
  for (let i = open; i < script.length; i++) {
    if (script[i] === opener) depth++;
    else if (script[i] === closer && --depth === 0) return i;
  }
  return script.length - 1;
}

/** A script a RUN executes, with its simple commands. */
export interface RunScript {
  script: string;
  commands: ShellCommand[];
}

const scriptsOf = new AttachedCache<Instruction, RunScript[]>();
const commandsOf = new AttachedCache<Instruction, ShellCommand[]>();

/**
 * The shell scripts a RUN executes, each with its commands: the shell form's text, an exec form's
 * `sh -c` script, and heredoc bodies (a heredoc fed to a shell or used as the script itself, not one fed
 * to `python3`). Tokenized once per instruction.
 */
export function runScripts(run: Instruction): RunScript[] {
  let scripts = scriptsOf.get(run);
  if (scripts) return scripts;
  scripts = [];
  const add = (script: string): RunScript => {
    const found = { script, commands: shellCommands(script) };
    scripts!.push(found);
    return found;
  };
  let shellForm: RunScript | undefined;
  if (run.json) {
    const [cmd, flag, script] = run.json;
    if (cmd && isPosixShellProgram(cmd) && flag === '-c' && script) add(script);
    else add(run.json.join(' '));
  } else if (run.args) {
    shellForm = add(run.args);
  }
  if (run.heredocs.length > 0) {
    // A heredoc is a shell script when it is the RUN itself or is fed to a shell (not `python3 <<EOF`).
    const program = (shellForm?.commands ?? shellCommands(run.args))[0]?.words[0];
    const shellProgram = program === undefined || isPosixShellProgram(program);
    for (const heredoc of run.heredocs) {
      const shebang = /^#!(.*)/.exec(heredoc.body)?.[1];
      if (
        shellProgram &&
        (shebang === undefined || isPosixShellProgram(shebang.trim().split(/\s+/).at(-1)!))
      ) {
        add(heredoc.body);
      }
    }
  }
  scriptsOf.set(run, scripts);
  return scripts;
}

/** All commands of a RUN instruction, across its scripts (computed once per instruction). */
export function runCommands(run: Instruction): ShellCommand[] {
  let commands = commandsOf.get(run);
  if (!commands) {
    const scripts = runScripts(run);
    commands = scripts.length === 1 ? scripts[0]!.commands : scripts.flatMap((s) => s.commands);
    commandsOf.set(run, commands);
  }
  return commands;
}

/**
 * The commands of a RUN (or of an ONBUILD RUN's trigger) whose scripts are POSIX shell, see
 * `shellsInForce`; empty for other instructions and for RUNs under PowerShell, cmd or a Windows image's
 * default shell.
 */
export function posixRunCommands(dockerfile: Dockerfile, instruction: Instruction): ShellCommand[] {
  const run = instruction.onbuild ?? instruction;
  if (run.keyword !== 'RUN') return NO_COMMANDS;
  let commands = posixCommandsOf.get(instruction);
  if (!commands) {
    commands = shellsInForce(dockerfile).get(instruction)?.posix === false ? NO_COMMANDS : runCommands(run);
    posixCommandsOf.set(instruction, commands);
  }
  return commands;
}

/** Shared empty result (read-only, like every cached result here). */
const NO_COMMANDS: ShellCommand[] = [];
const posixCommandsOf = new AttachedCache<Instruction, ShellCommand[]>();

/**
 * Cheap test before tokenizing: does the text of a RUN (or of an ONBUILD RUN's trigger), its heredoc
 * bodies included, match `pattern`? Every script word comes from that text, so a rule looking for a word
 * can skip RUNs where this is false.
 */
export function runTextMatches(instruction: Instruction, pattern: RegExp): boolean {
  const run = instruction.onbuild ?? instruction;
  return pattern.test(run.args) || run.heredocs.some((h) => pattern.test(h.body));
}

/** What runs RUN scripts (and shell-form CMD / ENTRYPOINT) at an instruction. */
export interface ShellInForce {
  /** The SHELL command line (`/bin/sh -c` by default). */
  shell: readonly string[];
  /** True when scripts are POSIX shell: not PowerShell / cmd, not a Windows image's default shell. */
  posix: boolean;
}

const DEFAULT_SHELL: readonly string[] = ['/bin/sh', '-c'];
const shells = new AttachedCache<Dockerfile, Map<Instruction, ShellInForce>>();

/**
 * The SHELL in force for every instruction of the file, following stage chains: a stage built on another
 * stage starts with the shell its parent ended with; a stage built on an image starts with `/bin/sh -c`
 * (the parent image may set another SHELL, which a Dockerfile cannot see). A Windows stage (an escape=`
 * file, or a chain rooted in a Windows image, see `isWindowsImage`) runs `cmd /S /C` by default, so only
 * an explicit POSIX SHELL makes its scripts POSIX; an explicit SHELL always wins. Computed in one pass,
 * once per parsed file; instructions before the first FROM get the file's default.
 */
export function shellsInForce(dockerfile: Dockerfile): Map<Instruction, ShellInForce> {
  let result = shells.get(dockerfile);
  if (result) return result;
  result = new Map();
  const { bases } = analyzeImages(dockerfile);
  const windowsFile = dockerfile.directives.escape === '`';
  const fileDefault: ShellInForce = { shell: DEFAULT_SHELL, posix: !windowsFile };
  for (const instruction of dockerfile.instructions) {
    if (instruction.stage >= 0) break;
    result.set(instruction, fileDefault);
  }
  const endShell: ShellInForce[] = [];
  for (const stage of dockerfile.stages) {
    const base = bases[stage.index];
    let current: ShellInForce;
    if (base?.kind === 'stage' && base.index < stage.index && endShell[base.index]) {
      current = endShell[base.index]!;
    } else {
      const windows =
        windowsFile ||
        (base?.kind === 'image' &&
          (isWindowsImage(base.use.expansion.value) || isWindowsImage(base.use.written)));
      current = windows ? { shell: DEFAULT_SHELL, posix: false } : fileDefault;
    }
    for (const instruction of stage.instructions) {
      result.set(instruction, current);
      if (instruction.keyword === 'SHELL' && instruction.json && instruction.json.length > 0) {
        current = { shell: instruction.json, posix: isPosixShellProgram(instruction.json[0]!) };
      }
    }
    endShell[stage.index] = current;
  }
  shells.set(dockerfile, result);
  return result;
}

/**
 * Windows base images: a `windows` repository path component (`mcr.microsoft.com/windows/servercore`,
 * `mcr.microsoft.com/windows:ltsc2019`), a `windowsservercore` / `servercore` / `nanoserver` component in
 * the name or tag (`microsoft/nanoserver`, `python:3.12-windowsservercore-ltsc2022`, `…:lts-nanoserver2022`),
 * or `windows` as a component of the tag (`busybox:1.29-windows-amd64`). A repository merely named
 * `windows-…` (`dockcross/windows-static-x64`, a Linux cross-compiler) is not one.
 */
const WINDOWS_IMAGE =
  /(^|\/)windows([/:@]|$)|(^|[/:._-])(windows)?(servercore|nanoserver)\d*([/:@._-]|$)|:([^/]*[._-])?windows([._-]|$)/i;

/** True for a Windows base image reference, see `WINDOWS_IMAGE`. */
export function isWindowsImage(reference: string): boolean {
  return WINDOWS_IMAGE.test(reference);
}

/**
 * True when a program word names a POSIX shell (sh, bash, ash, dash, zsh, ksh, mksh, busybox; a path, any
 * case, `.exe` allowed): a SHELL's program, an exec-form RUN's, a heredoc's. Not PowerShell, cmd, python…
 */
export function isPosixShellProgram(program: string): boolean {
  return POSIX_SHELL.test(programName(program));
}
const POSIX_SHELL = /^((ba|da|a|z|k|mk)?sh|busybox)(\.exe)?$/;

/** The basename of a program path, lower-cased (`/usr/bin/bash` → `bash`, `C:\x\cmd.exe` → `cmd.exe`). */
export function programName(word: string): string {
  return word.slice(Math.max(word.lastIndexOf('/'), word.lastIndexOf('\\')) + 1).toLowerCase();
}
