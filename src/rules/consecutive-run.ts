import { runCommands } from '../dockerfile/shell.js';
import type { Instruction } from '../dockerfile/types.js';
import type { Rule, RuleFinding } from './types.js';

/** RUNs chaining more simple commands than this were split on purpose (hadolint's DL3059 threshold). */
const MAX_COMMANDS = 2;

function flagKey(run: Instruction): string {
  return run.flags
    .map((f) => `${f.name}=${f.value ?? ''}`)
    .sort()
    .join(' ');
}

export const rule: Rule = {
  id: 'DH607',
  slug: 'consecutive-run',
  severity: 'info',
  enabledByDefault: true,
  title: 'Merge consecutive short RUN instructions into one',
  docs: `Every RUN instruction creates a layer. Several RUNs in a row that each do one small thing (\`RUN apt-get update\`, then \`RUN apt-get install …\`, then \`RUN rm …\`) make the image bigger than it needs to be — files deleted in a later layer still ship in the earlier one — and the build slower. Joining them with \`&&\` gives one layer and keeps related steps together.

The rule follows hadolint's DL3059: it looks at RUNs that follow each other directly in a stage (comments between them do not matter, any other instruction does), with the same flags (\`--mount\`, \`--network\`…; different mounts usually cannot be merged). A RUN that already chains more than two commands is taken as a deliberate split, for example to keep a slow download cached apart from a frequently changing step. It reports once per group, on the second RUN.

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

If the split is intended (cache boundaries, readability of a long build), say so: \`# dockhand ignore=DH607 -- keep the toolchain layer cached\`.`,
  equivalents: ['DL3059'],
  check(dockerfile) {
    const findings: RuleFinding[] = [];
    for (const stage of dockerfile.stages) {
      // The current group: its first RUN, its last RUN, how many, and the flags they share.
      let first: Instruction | null = null;
      let second: Instruction | null = null;
      let last: Instruction | null = null;
      let count = 0;
      let key = '';
      const close = (): void => {
        if (first && second && last && count >= 2) {
          findings.push({
            line: second.line,
            endLine: second.endLine,
            message:
              count === 2
                ? `This RUN follows the RUN on line ${first.line} with no other instruction between them; merge them with \`&&\` into one layer.`
                : `${count} consecutive RUN instructions (lines ${first.line}–${last.line}) could be one; merge them with \`&&\` into one layer.`,
          });
        }
        first = second = last = null;
        count = 0;
      };
      for (const instruction of stage.instructions) {
        if (instruction.keyword !== 'RUN') {
          close();
          continue;
        }
        const short = runCommands(instruction).length <= MAX_COMMANDS;
        const flags = flagKey(instruction);
        if (!short || (first && flags !== key)) close();
        if (!short) continue;
        if (!first) {
          first = instruction;
          key = flags;
        } else if (!second) {
          second = instruction;
        }
        last = instruction;
        count++;
      }
      close();
    }
    return findings;
  },
};
