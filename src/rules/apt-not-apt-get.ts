import { posixRunCommands } from '../dockerfile/shell.js';
import { programOf } from './support/packages.js';
import type { Rule, RuleFinding } from './types.js';

/** Cheap test before tokenizing: `apt` as a word (not `apt-get`, `/etc/apt`). */
const MENTIONS_APT = /(^|[\s/;&|(])apt\s/;

/** The script-stable replacement of each `apt` subcommand. */
const REPLACEMENT: Record<string, string> = {
  search: 'apt-cache search',
  show: 'apt-cache show',
  showsrc: 'apt-cache showsrc',
  policy: 'apt-cache policy',
  depends: 'apt-cache depends',
  rdepends: 'apt-cache rdepends',
  list: 'dpkg-query -l (or apt-cache policy)',
  'full-upgrade': 'apt-get dist-upgrade',
  'edit-sources': 'a file in /etc/apt/sources.list.d/',
};

export const rule: Rule = {
  id: 'DH906',
  slug: 'apt-not-apt-get',
  severity: 'warning',
  enabledByDefault: true,
  title: 'Use apt-get (or apt-cache), not apt, in RUN',
  docs: `\`apt\` is the interactive front end of Debian's package tools. Its output and behaviour may change between releases, it prints "WARNING: apt does not have a stable CLI interface. Use with caution in scripts.", and it shows progress bars meant for a terminal. \`apt-get\` and \`apt-cache\` are the stable interfaces for scripts and Dockerfiles and take the same options for everyday tasks.

Every \`apt\` command in a RUN is reported (also behind \`sudo\`, \`env\` or \`DEBIAN_FRONTEND=noninteractive\`), with the command to use instead: \`apt-get install\`, \`apt-get update\`, \`apt-cache search\`, and so on. Scripts under PowerShell or cmd are not judged.

Bad:

\`\`\`dockerfile
RUN apt update && apt install -y curl
\`\`\`

Good:

\`\`\`dockerfile
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
\`\`\`

To keep \`apt\`: \`# dockhand ignore=DH906 -- reason\`.`,
  equivalents: ['DL3027', 'CKV_DOCKER_9'],
  check(dockerfile) {
    const findings: RuleFinding[] = [];
    for (const instruction of dockerfile.instructions) {
      if (instruction.keyword !== 'RUN') continue;
      const mentions =
        MENTIONS_APT.test(instruction.args) || instruction.heredocs.some((h) => MENTIONS_APT.test(h.body));
      if (!mentions) continue;
      const subcommands: string[] = [];
      for (const command of posixRunCommands(dockerfile, instruction)) {
        const run = programOf(command);
        if (run?.program !== 'apt') continue;
        const sub = run.args.find((a) => !a.startsWith('-')) ?? '';
        if (!subcommands.includes(sub)) subcommands.push(sub);
      }
      if (subcommands.length === 0) continue;
      const advice = subcommands
        .map(
          (sub) =>
            `\`${REPLACEMENT[sub] ?? `apt-get${sub ? ` ${sub}` : ''}`}\` for \`apt${sub ? ` ${sub}` : ''}\``,
        )
        .join(', ');
      findings.push({
        line: instruction.line,
        endLine: instruction.endLine,
        message: `apt has no stable command-line interface for scripts; use ${advice}.`,
      });
    }
    return findings;
  },
};
