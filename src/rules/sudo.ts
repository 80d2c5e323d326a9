import { posixRunCommands, runTextMatches } from '../dockerfile/shell.js';
import { programIndex } from './support/packages.js';
import type { Rule, RuleFinding } from './types.js';

const SUDO = /(^|\/)sudo$/;
const MENTIONS_SUDO = /sudo/;

export const rule: Rule = {
  id: 'DH204',
  slug: 'sudo',
  severity: 'warning',
  enabledByDefault: true,
  title: 'Do not use sudo in RUN',
  docs: `RUN instructions already execute as the current USER, and build steps that need root should simply run
before the \`USER\` switch (or after a temporary \`USER root\`). \`sudo\` adds an unpredictable TTY and
signal-handling layer, and installing it so that it works at build time usually leaves a
privilege-escalation path in the final image.

Bad:

\`\`\`dockerfile
USER app
RUN sudo apt-get update && sudo apt-get install -y curl
\`\`\`

Good:

\`\`\`dockerfile
RUN apt-get update && apt-get install -y curl
USER app
\`\`\`

Scripts run under a PowerShell or cmd SHELL are not checked. To keep it:
\`# dockhand ignore=DH204 -- reason\`.`,
  equivalents: ['DL3004', 'DS-0010', 'CKV2_DOCKER_1'],
  check(dockerfile) {
    const findings: RuleFinding[] = [];
    for (const instruction of dockerfile.instructions) {
      if (!runTextMatches(instruction, MENTIONS_SUDO)) continue;
      for (const command of posixRunCommands(dockerfile, instruction)) {
        const words = command.words;
        const at = programIndex(words, false);
        if (!SUDO.test(words[at] ?? '')) continue;
        const tail = words.slice(at);
        const rest = tail[programIndex(tail)];
        findings.push({
          line: instruction.line,
          ...(instruction.endLine !== instruction.line ? { endLine: instruction.endLine } : {}),
          message: `\`sudo${rest ? ` ${rest}` : ''}\` in RUN: run the step as root before switching USER (or with \`USER root\`) instead of using sudo.`,
        });
        break;
      }
    }
    return findings;
  },
};
