import {
  isPosixShellProgram,
  runScripts,
  shellCommands,
  shellsInForce,
  type ShellCommand,
} from '../dockerfile/shell.js';
import type { Instruction } from '../dockerfile/types.js';
import { programOf } from './support/packages.js';
import type { Rule, RuleFinding } from './types.js';

/** An option cluster that includes `-o` (`-o`, `-eo`, `-euxo`); `+o` switches an option off. */
const O_CLUSTER = /^-[a-zA-Z]*o$/;
/**
 * Left sides whose failure pipefail would not catch usefully: printing a string cannot fail, and `yes` is
 * always killed by SIGPIPE (under pipefail, `yes | cmd` fails even when cmd succeeds).
 */
const HARMLESS_LEFT = new Set(['echo', 'printf', 'yes', 'true', ':']);

/** True when `words` (a `set …` command or a shell's command line) switch `pipefail` on. */
function enablesPipefail(words: readonly string[]): boolean {
  for (let i = 0; i < words.length - 1; i++) {
    if (O_CLUSTER.test(words[i]!) && words[i + 1] === 'pipefail') return true;
  }
  return words.includes('-opipefail');
}

/**
 * Scripts of a RUN with whether pipefail is already on when each starts: for the shell form, from the
 * SHELL in force; for an exec-form `["bash", "-o", "pipefail", "-c", "…"]`, from the array itself.
 * Exec forms that run something other than a shell have no pipes to judge.
 */
function scriptsUnder(
  run: Instruction,
  shell: readonly string[],
): { commands: ShellCommand[]; pipefail: boolean }[] {
  if (run.json) {
    const dashC = run.json.indexOf('-c');
    if (dashC === -1 || !isPosixShellProgram(run.json[0] ?? '')) return [];
    const script = run.json[dashC + 1];
    return script === undefined
      ? []
      : [{ commands: shellCommands(script), pipefail: enablesPipefail(run.json.slice(0, dashC)) }];
  }
  const pipefail = enablesPipefail(shell);
  return runScripts(run).map(({ commands }) => ({ commands, pipefail }));
}

/**
 * True when the `|`-joined commands from `start` are the alternatives of a `case` pattern
 * (`amd64|x86_64) …`): every command after the first is one word, and the last starts with `pat)`.
 */
function isCasePattern(commands: readonly ShellCommand[], start: number): boolean {
  for (let i = start + 1; i < commands.length; i++) {
    const words = commands[i]!.words;
    if (words[0]?.endsWith(')')) return true;
    if (words.length !== 1 || commands[i]!.after !== '|') return false;
  }
  return false;
}

/** The first pipe of a script that runs while pipefail is off, as `left … | right`; null when none. */
function unguardedPipe(commands: readonly ShellCommand[], pipefail: boolean): string | null {
  let on = pipefail;
  for (let i = 0; i < commands.length; i++) {
    const command = commands[i]!;
    if (command.words[0] === 'set') {
      if (enablesPipefail(command.words)) on = true;
      else if (command.words.includes('+o') && command.words.includes('pipefail')) on = false;
    }
    if (command.after !== '|' || on) continue;
    if (isCasePattern(commands, i)) {
      while (commands[i]?.after === '|') i++;
      continue;
    }
    const left = programOf(command)?.program ?? '';
    if (HARMLESS_LEFT.has(left)) continue;
    const next = commands[i + 1];
    return `${left} … | ${(next && programOf(next)?.program) ?? ''}`;
  }
  return null;
}

export const rule: Rule = {
  id: 'DH905',
  slug: 'pipefail',
  severity: 'warning',
  enabledByDefault: true,
  title: 'Set pipefail before using a pipe in RUN',
  docs: `A shell pipeline succeeds when its last command succeeds. In \`RUN curl -fsSL https://example.com/key | gpg --dearmor -o /usr/share/keyrings/example.gpg\`, a failed download still gives a successful RUN, and the build carries on with an empty key. With \`pipefail\` the pipeline fails when any of its commands fails.

Either switch it on for the whole stage with \`SHELL ["/bin/bash", "-o", "pipefail", "-c"]\` (the stage and stages built on it inherit it), or start the script with \`set -o pipefail\` (\`set -eux -o pipefail\` works too). On Alpine and other busybox images \`/bin/sh\` is busybox ash, which supports pipefail: \`set -o pipefail\` or \`SHELL ["/bin/ash", "-o", "pipefail", "-c"]\` works there, so those images are reported like any other. Debian's \`/bin/sh\` (dash) has historically lacked pipefail: use bash through SHELL there. Pipes fed by \`echo\`, \`printf\` or \`true\` are not reported (printing a string does not fail), nor is \`yes | …\` (\`yes\` always ends with SIGPIPE, so pipefail would fail the build). Pipes inside \`$(…)\` are not judged, and RUN scripts under PowerShell or cmd (Windows images) are skipped.

Bad:

\`\`\`dockerfile
RUN wget -qO- https://example.com/tool.tar.gz | tar -xz -C /usr/local/bin
\`\`\`

Good:

\`\`\`dockerfile
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
RUN wget -qO- https://example.com/tool.tar.gz | tar -xz -C /usr/local/bin
\`\`\`

When a failure on the left side truly does not matter, say so: \`# dockhand ignore=DH905 -- grep may find nothing\`.`,
  equivalents: ['DL4006'],
  check(dockerfile) {
    const findings: RuleFinding[] = [];
    for (const instruction of dockerfile.instructions) {
      if (instruction.keyword !== 'RUN') continue;
      if (!instruction.args.includes('|') && !instruction.heredocs.some((h) => h.body.includes('|')))
        continue;
      const inForce = shellsInForce(dockerfile).get(instruction);
      if (!inForce?.posix && !instruction.json) continue;
      for (const { commands, pipefail } of scriptsUnder(instruction, inForce?.shell ?? [])) {
        const pipe = unguardedPipe(commands, pipefail);
        if (!pipe) continue;
        findings.push({
          line: instruction.line,
          endLine: instruction.endLine,
          message: `The pipe \`${pipe}\` hides a failure of its left side; add SHELL ["/bin/bash", "-o", "pipefail", "-c"] before this RUN, or start the script with \`set -o pipefail &&\` where /bin/sh supports it (busybox ash does).`,
        });
        break;
      }
    }
    return findings;
  },
};
