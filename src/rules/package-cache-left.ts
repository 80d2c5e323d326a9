import { posixRunCommands, type ShellCommand } from '../dockerfile/shell.js';
import type { Dockerfile, Instruction, Stage } from '../dockerfile/types.js';
import { cacheMountTargets, mountCovers, removesDir } from './support/install-commands.js';
import { hasOption, isInstall, packageChanges, programOf, type PackageCommand } from './support/packages.js';
import { stageChain } from './support/stages.js';
import type { Rule, RuleFinding } from './types.js';

/** `PIP_NO_CACHE_DIR` switched on, in ENV / ARG (either syntax) or inline in a script. */
const PIP_NO_CACHE_ENV = /\bPIP_NO_CACHE_DIR(=|\s+)["']?(1|true|yes|on)\b/i;
const PIP_CACHE_MOUNT = /\/\.cache(\/pip)?$/;
const YARN_CACHE_MOUNT = /yarn/i;

interface Cleanup {
  /** What the cleanup looks like, for the message. */
  fix: string;
  /** What is left behind. */
  left: string;
  isClean(pc: PackageCommand | null, commands: readonly ShellCommand[], mounts: readonly string[]): boolean;
}

/** A `<program> <action>` command, options skipped (`yum clean all`, `zypper -n cc`, `pip cache purge`). */
function runsClean(
  commands: readonly ShellCommand[],
  programs: readonly string[],
  actions: readonly string[],
): boolean {
  return commands.some((command) => {
    const run = programOf(command);
    if (!run || !programs.includes(run.program)) return false;
    const words = run.args.filter((a) => !a.startsWith('-'));
    return actions.some((action) => words.slice(0, action.split(' ').length).join(' ') === action);
  });
}

const RPM = ['yum', 'dnf', 'dnf5', 'microdnf'];

const CLEANUPS: Partial<Record<PackageCommand['manager'] | 'yarn', Cleanup>> = {
  'apt-get': {
    fix: 'add `&& rm -rf /var/lib/apt/lists/*` to this RUN',
    left: 'the apt package lists',
    isClean: (_pc, commands, mounts) =>
      removesDir(commands, '/var/lib/apt/lists') || mountCovers(mounts, '/var/lib/apt/lists'),
  },
  apk: {
    fix: 'use `apk add --no-cache`',
    left: 'the apk index cache',
    isClean: (pc, commands, mounts) =>
      (pc !== null && hasOption(pc, '--no-cache')) ||
      removesDir(commands, '/var/cache/apk') ||
      mountCovers(mounts, '/var/cache/apk') ||
      mountCovers(mounts, '/etc/apk/cache'),
  },
  yum: {
    fix: 'add `&& yum clean all` to this RUN',
    left: 'the yum cache',
    isClean: (_pc, commands, mounts) =>
      runsClean(commands, RPM, ['clean all']) ||
      removesDir(commands, '/var/cache/yum') ||
      mountCovers(mounts, '/var/cache/yum'),
  },
  dnf: {
    fix: 'add `&& dnf clean all` to this RUN',
    left: 'the dnf cache',
    isClean: (_pc, commands, mounts) =>
      runsClean(commands, RPM, ['clean all']) ||
      removesDir(commands, '/var/cache/dnf') ||
      removesDir(commands, '/var/cache/libdnf5') ||
      mountCovers(mounts, '/var/cache/dnf') ||
      mountCovers(mounts, '/var/cache/libdnf5'),
  },
  microdnf: {
    fix: 'add `&& microdnf clean all` to this RUN',
    left: 'the microdnf cache',
    isClean: (_pc, commands, mounts) =>
      runsClean(commands, RPM, ['clean all']) ||
      removesDir(commands, '/var/cache/yum') ||
      removesDir(commands, '/var/cache/dnf') ||
      mountCovers(mounts, '/var/cache/yum') ||
      mountCovers(mounts, '/var/cache/dnf'),
  },
  zypper: {
    fix: 'add `&& zypper clean --all` to this RUN',
    left: 'the zypper cache',
    isClean: (_pc, commands, mounts) =>
      runsClean(commands, ['zypper'], ['clean', 'cc']) ||
      removesDir(commands, '/var/cache/zypp') ||
      mountCovers(mounts, '/var/cache/zypp'),
  },
  pip: {
    fix: 'use `pip install --no-cache-dir` (or set ENV PIP_NO_CACHE_DIR=1)',
    left: "pip's download cache",
    isClean: (pc, commands, mounts) =>
      (pc !== null && hasOption(pc, '--no-cache-dir', '--no-cache')) ||
      runsClean(commands, ['pip', 'pip3'], ['cache purge']) ||
      removesDir(commands, '/root/.cache/pip') ||
      removesDir(commands, '~/.cache/pip') ||
      removesDir(commands, '$HOME/.cache/pip') ||
      mounts.some((t) => PIP_CACHE_MOUNT.test(t)),
  },
  yarn: {
    fix: 'add `&& yarn cache clean` to this RUN',
    left: "yarn's package cache",
    isClean: (_pc, commands, mounts) =>
      runsClean(commands, ['yarn'], ['cache clean']) || mounts.some((t) => YARN_CACHE_MOUNT.test(t)),
  },
};
CLEANUPS.apt = CLEANUPS['apt-get'];

/** Line from which PIP_NO_CACHE_DIR is on in each stage (inherited along stage chains), if ever. */
function pipNoCacheSince(chain: readonly Stage[]): number | undefined {
  for (const stage of [...chain].reverse()) {
    const set = stage.instructions.find(
      (i) => (i.keyword === 'ENV' || i.keyword === 'ARG') && PIP_NO_CACHE_ENV.test(i.args),
    );
    if (set) return set.line;
  }
  return undefined;
}

function offenders(
  dockerfile: Dockerfile,
  run: Instruction,
  pipEnv: boolean,
): { name: string; cleanup: Cleanup }[] {
  const commands = posixRunCommands(dockerfile, run);
  const packages = packageChanges(dockerfile, run);
  const mounts = cacheMountTargets(run);
  const found: { name: string; cleanup: Cleanup }[] = [];
  const seen = new Set<string>();
  const judge = (name: string, pc: PackageCommand | null): void => {
    const cleanup = CLEANUPS[name as keyof typeof CLEANUPS];
    if (!cleanup || seen.has(name)) return;
    if (name === 'pip' && (pipEnv || PIP_NO_CACHE_ENV.test(run.args))) return;
    if (cleanup.isClean(pc, commands, mounts)) return;
    seen.add(name);
    found.push({ name: `${name === 'yarn' ? 'yarn' : pc!.manager} ${pc?.action ?? 'install'}`, cleanup });
  };
  for (const pc of packages) if (isInstall(pc) && pc.manager !== 'npm') judge(pc.manager, pc);
  for (const command of commands) {
    const yarn = programOf(command);
    if (yarn?.program === 'yarn' && yarn.args.find((a) => !a.startsWith('-')) === 'install')
      judge('yarn', null);
  }
  return found;
}

export const rule: Rule = {
  id: 'DH603',
  slug: 'package-cache-left',
  severity: 'info',
  enabledByDefault: true,
  title: 'Clean package manager caches in the RUN that fills them',
  docs: `Package managers keep their downloaded indexes and packages: apt's lists in /var/lib/apt/lists, apk's index in /var/cache/apk, yum/dnf/zypper caches in /var/cache, pip's wheels in ~/.cache/pip, yarn's cache. Left in a layer they add tens to hundreds of megabytes to the image, and deleting them in a later RUN does not help — the earlier layer still ships. Clean up in the same RUN, or skip the cache altogether.

What counts as cleaned, in the same RUN: \`rm -rf /var/lib/apt/lists/*\` after \`apt-get install\`; \`apk add --no-cache\` (or removing /var/cache/apk); \`yum clean all\` / \`dnf clean all\` / \`microdnf clean all\`; \`zypper clean\`; \`pip install --no-cache-dir\`, \`pip cache purge\`, or \`PIP_NO_CACHE_DIR=1\` set by ENV or ARG in the stage; \`yarn cache clean\` after \`yarn install\`. A \`RUN --mount=type=cache\` or \`type=tmpfs\` on the cache directory satisfies the rule too, since nothing lands in the layer. npm is not judged (its cache is outside the image's usual paths and hadolint does not judge it either). Only stages that end up in the final image — the final stage and the stages it is built on — are checked: a build stage's cache is thrown away with the stage.

Bad:

\`\`\`dockerfile
RUN apt-get update && apt-get install -y --no-install-recommends curl
\`\`\`

Good:

\`\`\`dockerfile
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt
\`\`\`

To keep a cache on purpose: \`# dockhand ignore=DH603 -- reason\`.`,
  equivalents: ['DL3009', 'DL3019', 'DL3032', 'DL3036', 'DL3040', 'DL3042', 'DL3060', 'DS-0015/19/20/25/27'],
  check(dockerfile) {
    const final = dockerfile.stages.at(-1);
    if (!final) return [];
    const chain = stageChain(dockerfile, final.index);
    const pipSince = pipNoCacheSince(chain);
    const findings: RuleFinding[] = [];
    for (const stage of [...chain].reverse()) {
      for (const instruction of stage.instructions) {
        if (instruction.keyword !== 'RUN') continue;
        const found = offenders(
          dockerfile,
          instruction,
          pipSince !== undefined && pipSince < instruction.line,
        );
        if (found.length === 0) continue;
        for (const { name, cleanup } of found) {
          findings.push({
            line: instruction.line,
            endLine: instruction.endLine,
            message: `\`${name}\` leaves ${cleanup.left} in the image; ${cleanup.fix}, or use a cache mount.`,
          });
        }
      }
    }
    return findings;
  },
};
