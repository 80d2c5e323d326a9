// A small POSIX-shell tokenizer for what rules need to know about RUN scripts: which commands run,
// with which words, joined by which operators. It does not execute or expand anything.
import type { Dockerfile, Instruction } from './types.js';

const SHELLS = /(^|\/)(ba|da|a|z)?sh$/;

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
  const endWord = (): void => {
    if (inWord) words.push(word);
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
    } else if (ch === '&' || ch === '|') {
      const double = script[i + 1] === ch;
      if (double) i++;
      endCommand(double ? (ch === '&' ? '&&' : '||') : (ch as Operator));
    } else if (ch === ';' || ch === '\n') {
      endCommand(';');
    } else if (ch === '(' || ch === ')' || ch === '{' || ch === '}') {
      if (inWord || (ch === '{' && script[i + 1] !== ' ' && script[i + 1] !== '\n')) {
        word += ch;
        inWord = true;
      } else endCommand(';');
    } else if (ch === ' ' || ch === '\t' || ch === '\r') {
      endWord();
    } else if ((ch === '>' || ch === '<') && !inWord) {
      // Redirections: drop the operator and its target word from the command's words.
      let j = i + 1;
      while (script[j] === '>' || script[j] === '&' || script[j] === '<') j++;
      while (script[j] === ' ' || script[j] === '\t') j++;
      while (j < n && !' \t\n;&|'.includes(script[j]!)) j++;
      i = j - 1;
    } else {
      word += ch;
      inWord = true;
    }
  }
  endCommand('');
  if (commands.length) commands[commands.length - 1]!.after = '';
  return commands;
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

/**
 * The shell scripts a RUN executes: the shell form's text, an exec form's `sh -c` script, and heredoc
 * bodies (a heredoc fed to a command or used as the script itself).
 */
export function runScripts(run: Instruction): string[] {
  const scripts: string[] = [];
  if (run.json) {
    const [cmd, flag, script] = run.json;
    if (cmd && SHELLS.test(cmd) && flag === '-c' && script) scripts.push(script);
    else scripts.push(run.json.join(' '));
  } else if (run.args) {
    scripts.push(run.args);
  }
  // A heredoc is a shell script when it is the RUN itself or is fed to a shell (not `python3 <<EOF`).
  const program = shellCommands(run.args)[0]?.words[0];
  const shellProgram = program === undefined || SHELLS.test(program);
  for (const heredoc of run.heredocs) {
    const shebang = /^#!(.*)/.exec(heredoc.body)?.[1];
    if (shellProgram && (shebang === undefined || SHELLS.test(shebang.trim().split(/\s+/).at(-1)!))) {
      scripts.push(heredoc.body);
    }
  }
  return scripts;
}

// Many rules look at the same RUN: tokenize each one once.
const commandsOf = new WeakMap<Instruction, ShellCommand[]>();

/** All commands of a RUN instruction, across its scripts (computed once per instruction). */
export function runCommands(run: Instruction): ShellCommand[] {
  let commands = commandsOf.get(run);
  if (!commands) {
    commands = runScripts(run).flatMap(shellCommands);
    commandsOf.set(run, commands);
  }
  return commands;
}

/** The SHELL in force for an instruction: the stage's last SHELL before it, else `/bin/sh -c`. */
export function shellFor(dockerfile: Dockerfile, instruction: Instruction): string[] {
  const stage = dockerfile.stages[instruction.stage];
  let shell = ['/bin/sh', '-c'];
  for (const i of stage?.instructions ?? []) {
    if (i.start >= instruction.start) break;
    if (i.keyword === 'SHELL' && i.json) shell = i.json;
  }
  return shell;
}

/** True when RUN scripts of this instruction are POSIX shell (not PowerShell or cmd). */
export function isPosixShell(dockerfile: Dockerfile, instruction: Instruction): boolean {
  const program = (shellFor(dockerfile, instruction)[0] ?? '').toLowerCase();
  if (/powershell|pwsh|cmd(\.exe)?$/.test(program)) return false;
  return dockerfile.directives.escape !== '`' || program.includes('sh');
}
