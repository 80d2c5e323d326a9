import { packageCommands } from './support/packages.js';
import type { Rule, RuleFinding } from './types.js';

const DIST_UPGRADE: Record<string, ReadonlySet<string>> = {
  'apt-get': new Set(['dist-upgrade', 'full-upgrade']),
  apt: new Set(['dist-upgrade', 'full-upgrade']),
  zypper: new Set(['dist-upgrade', 'dup']),
};

export const rule: Rule = {
  id: 'DH304',
  slug: 'dist-upgrade',
  severity: 'info',
  enabledByDefault: true,
  title: 'Do not dist-upgrade inside an image build',
  docs: `\`apt-get dist-upgrade\` (or \`full-upgrade\`) and \`zypper dist-upgrade\` may add and remove packages to
move the system to a new release state, which changes the base image under you in ways the tag does not
say. Pick a newer base image instead. A plain \`apt-get upgrade\` (security updates within the release) is
fine and not reported.

Bad:

\`\`\`dockerfile
RUN apt-get update && apt-get dist-upgrade -y
\`\`\`

Good:

\`\`\`dockerfile
FROM debian:bookworm-slim
RUN apt-get update && apt-get upgrade -y && rm -rf /var/lib/apt/lists/*
\`\`\`

To keep it: \`# dockhand ignore=DH304 -- reason\`.`,
  equivalents: ['DS-0024', 'DL3035'],
  check(dockerfile) {
    const findings: RuleFinding[] = [];
    for (const instruction of dockerfile.instructions) {
      for (const pc of packageCommands(dockerfile, instruction)) {
        if (pc.action === null || !DIST_UPGRADE[pc.manager]?.has(pc.action)) continue;
        findings.push({
          line: instruction.line,
          message: `\`${pc.program} ${pc.action}\` changes the distribution inside the build; use a newer base image (a plain \`upgrade\` is fine).`,
        });
      }
    }
    return findings;
  },
};
