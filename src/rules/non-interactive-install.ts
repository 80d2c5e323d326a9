import { posixRunCommands } from '../dockerfile/shell.js';
import { hasOption, packageChanges, type PackageCommand } from './support/packages.js';
import type { Rule, RuleFinding } from './types.js';

/** yum and dnf share their subcommands that ask before changing packages. */
const RPM_PROMPTING: ReadonlySet<string> = new Set([
  'install',
  'groupinstall',
  'localinstall',
  'reinstall',
  'update',
  'upgrade',
  'remove',
  'erase',
  'autoremove',
  'downgrade',
  'distro-sync',
]);

/** apt's prompting subcommands; apt-get has build-dep too. */
const APT_PROMPTING: ReadonlySet<string> = new Set([
  'install',
  'upgrade',
  'dist-upgrade',
  'full-upgrade',
  'remove',
  'purge',
  'autoremove',
  'reinstall',
]);

/** Actions that ask for confirmation, per manager (apk and microdnf never ask). */
const PROMPTING: Partial<Record<PackageCommand['manager'], ReadonlySet<string>>> = {
  'apt-get': new Set([...APT_PROMPTING, 'build-dep']),
  apt: APT_PROMPTING,
  yum: RPM_PROMPTING,
  dnf: RPM_PROMPTING,
  zypper: new Set([
    'install',
    'in',
    'update',
    'up',
    'remove',
    'rm',
    'dist-upgrade',
    'dup',
    'patch',
    'source-install',
    'si',
  ]),
};
/** apt's quiet level 2 (`-qq`, `-q=2`, `--quiet=2`) implies `-y` (apt-get(8)). */
const QUIET_TWO = /^-[a-z]*q[a-z]*q[a-z]*$/i;
const ASSUME_YES_CONFIG = /^APT::Get::Assume-Yes=(1|true|yes)$/i;

/** True when the command will not stop at a confirmation prompt. */
function nonInteractive(pc: PackageCommand): boolean {
  switch (pc.manager) {
    case 'apt-get':
    case 'apt':
      return (
        hasOption(pc, '-y', '--yes', '--assume-yes') ||
        pc.options.some(
          (o) =>
            (o.value === null && QUIET_TWO.test(o.name)) ||
            ((o.name === '-q' || o.name === '--quiet') && o.value === '2') ||
            ((o.name === '-o' || o.name === '--option') && ASSUME_YES_CONFIG.test(o.value ?? '')),
        )
      );
    case 'yum':
    case 'dnf':
      return hasOption(pc, '-y', '--assumeyes');
    case 'zypper':
      return hasOption(pc, '-n', '--non-interactive', '-y', '--no-confirm');
    default:
      return true;
  }
}

function fix(pc: PackageCommand): string {
  return pc.manager === 'zypper' ? '`zypper --non-interactive`' : `\`${pc.manager} ${pc.action} -y\``;
}

export const rule: Rule = {
  id: 'DH605',
  slug: 'non-interactive-install',
  severity: 'warning',
  enabledByDefault: true,
  title: 'Pass -y to package managers that ask for confirmation',
  docs: `\`apt-get install\`, \`yum install\`, \`dnf install\` and \`zypper install\` ask "Do you want to continue? [Y/n]" before changing anything. A build has no terminal to answer, so the command aborts and the build fails — or, with some setups, hangs. Say yes up front: \`-y\` (\`--yes\`, \`--assume-yes\`) for apt-get and apt, \`-y\` (\`--assumeyes\`) for yum and dnf, \`--non-interactive\` (\`-n\`, before the subcommand) or \`-y\` for zypper. \`apk\` and \`microdnf\` never ask and are not judged.

apt's \`-qq\` also counts (apt-get documents that quiet level 2 implies \`-y\`), as does \`-o APT::Get::Assume-Yes=true\` and a command fed by \`yes |\`. \`DEBIAN_FRONTEND=noninteractive\` does not: it silences debconf questions, not apt's own confirmation. Besides installs, upgrades and removals are checked too (\`apt-get upgrade\`, \`apt-get purge\`, \`dnf remove\`…).

Bad:

\`\`\`dockerfile
RUN apt-get update && apt-get install --no-install-recommends curl
\`\`\`

Good:

\`\`\`dockerfile
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
\`\`\`

If an apt configuration file in the base image already sets \`APT::Get::Assume-Yes\`: \`# dockhand ignore=DH605 -- base image sets Assume-Yes\`.`,
  equivalents: ['DL3014', 'DL3030', 'DL3034', 'DL3038', 'DS-0021'],
  check(dockerfile) {
    const findings: RuleFinding[] = [];
    for (const instruction of dockerfile.instructions) {
      if (instruction.keyword !== 'RUN') continue;
      const missing = packageChanges(dockerfile, instruction).filter((pc) => {
        if (!pc.action || !PROMPTING[pc.manager]?.has(pc.action) || nonInteractive(pc)) return false;
        const commands = posixRunCommands(dockerfile, instruction);
        const before = commands[commands.indexOf(pc.command) - 1];
        return !(pc.command.before === '|' && before?.words[0] === 'yes');
      });
      if (missing.length === 0) continue;
      const pc = missing[0]!;
      findings.push({
        line: instruction.line,
        endLine: instruction.endLine,
        message: `\`${pc.manager} ${pc.action}\` will stop at a confirmation prompt the build cannot answer; use ${fix(pc)}.`,
      });
    }
    return findings;
  },
};
