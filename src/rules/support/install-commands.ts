// Command recognition for the "images" rules: which program a simple shell command runs (behind
// `sudo`, `env`, `VAR=value`…), and, on top of the shared package-command parser, what the
// install-related rules (DH602–DH606) need to know about a RUN.
import { runScripts, shellCommands, type ShellCommand } from '../../dockerfile/shell.js';
import type { Instruction } from '../../dockerfile/types.js';
import {
  hasOption,
  hasShellVariable,
  isFileOrUrl,
  parsePackageCommand,
  type PackageCommand,
} from './packages.js';

const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;
/** Commands that run the next word as the program. */
const WRAPPERS = new Set([
  'sudo',
  'doas',
  'env',
  'exec',
  'command',
  'nice',
  'nohup',
  'time',
  'eatmydata',
  'xargs',
]);
/** Shell keywords that may precede a command (`if apt-get …; then`). */
const KEYWORDS = new Set(['if', 'then', 'else', 'elif', 'do', 'while', 'until', '!']);
/** Wrapper options that take the next word as a value (`sudo -u app`, `nice -n 10`, `env -u NAME`). */
const WRAPPER_VALUE_OPTIONS = new Set([
  '-u',
  '-g',
  '-n',
  '-C',
  '-D',
  '-h',
  '-p',
  '-U',
  '-r',
  '-t',
  '-I',
  '-L',
  '-P',
]);

function basename(word: string): string {
  return word.slice(word.lastIndexOf('/') + 1);
}

/** Index of the word that names the program of a simple command; words.length when there is none. */
export function programIndex(words: readonly string[]): number {
  let i = 0;
  while (i < words.length) {
    const word = words[i]!;
    const name = basename(word);
    if (ASSIGNMENT.test(word) || KEYWORDS.has(word)) {
      i++;
    } else if (WRAPPERS.has(name)) {
      i++;
      while (i < words.length && words[i]!.startsWith('-') && words[i] !== '--') {
        i += WRAPPER_VALUE_OPTIONS.has(words[i]!) ? 2 : 1;
      }
      if (words[i] === '--') i++;
    } else {
      return i;
    }
  }
  return i;
}

/** The program a command runs (basename) and its arguments; null for a command of assignments only. */
export function programOf(command: ShellCommand): { program: string; args: string[] } | null {
  const i = programIndex(command.words);
  const word = command.words[i];
  return word === undefined ? null : { program: basename(word), args: command.words.slice(i + 1) };
}

/** A RUN's simple commands with the package-manager invocations among them. */
export interface RunInstalls {
  commands: ShellCommand[];
  /** Package commands (dry runs left out) with the index of the shell command they were found in. */
  packages: { pc: PackageCommand; at: number }[];
}

/** A script a RUN executes, with its simple commands. */
export interface RunScript {
  script: string;
  commands: ShellCommand[];
}

const SCRIPTS = new WeakMap<Instruction, RunScript[]>();
const COMMANDS = new WeakMap<Instruction, ShellCommand[]>();
const INSTALLS = new WeakMap<Instruction, RunInstalls>();

/** `runScripts(run)` with each script tokenized, computed once per instruction (treat as read-only). */
export function scriptsOf(run: Instruction): RunScript[] {
  let scripts = SCRIPTS.get(run);
  if (!scripts) {
    scripts = runScripts(run).map((script) => ({ script, commands: shellCommands(script) }));
    SCRIPTS.set(run, scripts);
  }
  return scripts;
}

/** `runCommands(run)`, computed once per instruction and shared by the rules (treat as read-only). */
export function commandsOf(run: Instruction): ShellCommand[] {
  let commands = COMMANDS.get(run);
  if (!commands) {
    commands = scriptsOf(run).flatMap((s) => s.commands);
    COMMANDS.set(run, commands);
  }
  return commands;
}

/** The package-manager invocations of a RUN, computed once per instruction (treat as read-only). */
export function runInstalls(run: Instruction): RunInstalls {
  const cached = INSTALLS.get(run);
  if (cached) return cached;
  const commands = commandsOf(run);
  const packages: RunInstalls['packages'] = [];
  commands.forEach((command, at) => {
    const pc = parsePackageCommand(command);
    if (pc && !isDryRun(pc)) packages.push({ pc, at });
  });
  const result = { commands, packages };
  INSTALLS.set(run, result);
  return result;
}

const MOUNT_KEY = /^\s*([a-z]+)\s*=\s*(.*?)\s*$/i;
const TRAILING_SLASHES = /\/+$/;
const TRAILING_GLOB = /\/\*$/;
const VERSION = /[=<>~].*$/;
const ARCH = /:[a-z0-9]+$/;

/** Targets of the RUN's `--mount=type=cache` and `--mount=type=tmpfs` mounts. */
export function cacheMountTargets(run: Instruction): string[] {
  const targets: string[] = [];
  for (const flag of run.flags) {
    if (flag.name !== 'mount' || !flag.value) continue;
    let type = 'bind';
    let target: string | undefined;
    for (const field of flag.value.split(',')) {
      const match = MOUNT_KEY.exec(field);
      if (!match) continue;
      const key = match[1]!.toLowerCase();
      if (key === 'type') type = match[2]!.toLowerCase();
      else if (key === 'target' || key === 'dst' || key === 'destination') target = match[2]!;
    }
    if (target && (type === 'cache' || type === 'tmpfs'))
      targets.push(target.replace(TRAILING_SLASHES, '') || '/');
  }
  return targets;
}

/** True when one of the mount targets is `dir` or a parent of it. */
export function mountCovers(targets: readonly string[], dir: string): boolean {
  return targets.some((t) => dir === t || dir.startsWith(t === '/' ? '/' : `${t}/`));
}

/** True when the commands include `rm` of `dir` (or its contents, `dir/*`), or of a parent directory. */
export function removesDir(commands: readonly ShellCommand[], dir: string): boolean {
  return commands.some((command) => {
    const run = programOf(command);
    if (run?.program !== 'rm') return false;
    return run.args.some((arg) => {
      const path = arg.replace(TRAILING_GLOB, '').replace(TRAILING_SLASHES, '');
      return path.length > 1 && (dir === path || dir.startsWith(`${path}/`));
    });
  });
}

/** A package word without its version or architecture: `gcc=4:12.2.0-3` → `gcc`, `musl-dev~=1.2` → `musl-dev`. */
export function packageName(word: string): string {
  return word.replace(VERSION, '').replace(ARCH, '');
}

/**
 * Build tools: compilers, build systems and headers. `*-dev` (Debian, Alpine) and `*-devel` (RPM) header
 * packages count too.
 */
export const BUILD_TOOLS: ReadonlySet<string> = new Set([
  'gcc',
  'g++',
  'gcc-c++',
  'cpp',
  'clang',
  'llvm',
  'make',
  'cmake',
  'ninja-build',
  'meson',
  'autoconf',
  'automake',
  'libtool',
  'build-essential',
  'build-base',
  'alpine-sdk',
  'linux-headers',
  'gfortran',
]);
const HEADERS = /.-(dev|devel)$/;

export function isBuildTool(name: string): boolean {
  return BUILD_TOOLS.has(name) || HEADERS.test(name);
}

/** Installed package names of a package command, without variables, files, URLs or options. */
export function installedPackages(pc: PackageCommand): string[] {
  return pc.args.filter((a) => !hasShellVariable(a) && !isFileOrUrl(a)).map(packageName);
}

/** True for a command that only simulates or downloads (`apt-get install -s`, `--download-only`, `dnf --assumeno`). */
export function isDryRun(pc: PackageCommand): boolean {
  if (pc.manager === 'apt-get' || pc.manager === 'apt') {
    return hasOption(
      pc,
      '-s',
      '--simulate',
      '--just-print',
      '--dry-run',
      '--recon',
      '--no-act',
      '--print-uris',
      '-d',
      '--download-only',
    );
  }
  if (pc.manager === 'yum' || pc.manager === 'dnf') return hasOption(pc, '--assumeno', '--downloadonly');
  if (pc.manager === 'zypper') return hasOption(pc, '--dry-run', '-D', '--download-only', '-d');
  return false;
}
