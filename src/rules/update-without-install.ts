import { posixRunCommands } from '../dockerfile/shell.js';
import { isIndexUpdate, packageCommands, parsePackageCommand, programOf } from './support/packages.js';
import type { Rule, RuleFinding } from './types.js';

/** Programs that use the index an update refreshed, per update family. */
const USERS: Record<'apt' | 'apk' | 'zypper', RegExp> = {
  // xx-apt-get / xx-apk: tonistiigi/xx cross-compilation wrappers; install_packages: bitnami/minideb.
  apt: /^((xx-)?apt(-get)?|apt-cache|apt-fast|aptitude|install_packages|add-apt-repository)$/,
  apk: /^(xx-)?apk$/,
  zypper: /^zypper$/,
};

export const rule: Rule = {
  id: 'DH303',
  slug: 'update-without-install',
  severity: 'warning',
  enabledByDefault: true,
  title: 'Update the package index in the same RUN as the install',
  docs: `A RUN that only refreshes the package index (\`apt-get update\`, \`apk update\`, \`zypper refresh\`) becomes
its own cached layer. Later, when the install line changes, Docker reuses that old index layer and the
install fails or picks stale versions; the refreshed index also stays in the image for nothing. Update
and install in one RUN, and clean up in the same RUN. The update is considered used when the same RUN
runs the same package manager again for anything but another update (install, upgrade, a
\`apt-cache\` query…).

Bad:

\`\`\`dockerfile
RUN apt-get update
RUN apt-get install -y --no-install-recommends curl
\`\`\`

Good:

\`\`\`dockerfile
RUN apt-get update \\
 && apt-get install -y --no-install-recommends curl \\
 && rm -rf /var/lib/apt/lists/*
\`\`\`

To keep it: \`# dockhand ignore=DH303 -- reason\`.`,
  equivalents: ['CKV_DOCKER_5', 'DS-0017'],
  check(dockerfile) {
    const findings: RuleFinding[] = [];
    for (const instruction of dockerfile.instructions) {
      // Only a RUN that refreshes an index can be reported: most are skipped on their cached package commands.
      if (!packageCommands(dockerfile, instruction).some(isIndexUpdate)) continue;
      const commands = posixRunCommands(dockerfile, instruction);
      const updates = new Map<'apt' | 'apk' | 'zypper', string>();
      const used = new Set<string>();
      for (const command of commands) {
        const pc = parsePackageCommand(command);
        const family = pc ? familyOf(pc.manager) : undefined;
        if (pc && family && isIndexUpdate(pc)) {
          if (!updates.has(family)) updates.set(family, `${pc.program} ${pc.action}`);
          continue;
        }
        const program = programOf(command)?.program;
        if (program) used.add(program);
      }
      for (const [family, text] of updates) {
        if ([...used].some((p) => USERS[family].test(p))) continue;
        findings.push({
          line: instruction.line,
          message: `\`${text}\` runs without an install in the same RUN; install (and clean up) in this RUN so the index layer is never stale.`,
        });
      }
    }
    return findings;
  },
};

function familyOf(manager: string): 'apt' | 'apk' | 'zypper' | undefined {
  if (manager === 'apt' || manager === 'apt-get') return 'apt';
  if (manager === 'apk' || manager === 'zypper') return manager;
  return undefined;
}
