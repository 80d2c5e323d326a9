// What the install-related rules (DH602, DH603) need beyond package-command recognition: cache and tmpfs
// mounts, removal of cache directories, installed package names and which of them are build tools.
import type { ShellCommand } from '../../dockerfile/shell.js';
import type { Instruction } from '../../dockerfile/types.js';
import { hasShellVariable, isFileOrUrl, programOf, type PackageCommand } from './packages.js';

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
