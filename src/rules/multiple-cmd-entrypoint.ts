import type { Instruction } from '../dockerfile/types.js';
import type { Rule, RuleFinding } from './types.js';

export const rule: Rule = {
  id: 'DH908',
  slug: 'multiple-cmd-entrypoint',
  severity: 'warning',
  enabledByDefault: true,
  title: 'Use at most one CMD and one ENTRYPOINT per stage',
  docs: `Only the last CMD and the last ENTRYPOINT of a stage take effect; the earlier ones are dead code that misleads readers about what the container runs. When two commands should both run, put them in a script or chain them in one instruction.

The rule counts per stage (each stage may set its own CMD) and reports the second and every later CMD or ENTRYPOINT, naming the line of the previous one. ONBUILD triggers are not counted: they run in a child image.

Bad:

\`\`\`dockerfile
CMD ["nginx", "-g", "daemon off;"]
CMD ["php-fpm"]
\`\`\`

Good:

\`\`\`dockerfile
COPY start.sh /usr/local/bin/start.sh
CMD ["/usr/local/bin/start.sh"]
\`\`\`

To keep both: \`# dockhand ignore=DH908 -- reason\`.`,
  equivalents: ['DL4003', 'DL4004', 'DS-0016', 'DS-0007'],
  check(dockerfile) {
    const findings: RuleFinding[] = [];
    for (const stage of dockerfile.stages) {
      const previous = new Map<string, Instruction>();
      for (const instruction of stage.instructions) {
        const keyword = instruction.keyword;
        if (keyword !== 'CMD' && keyword !== 'ENTRYPOINT') continue;
        const before = previous.get(keyword);
        previous.set(keyword, instruction);
        if (!before) continue;
        findings.push({
          line: instruction.line,
          endLine: instruction.endLine,
          message: `This ${keyword} replaces the ${keyword} on line ${before.line}, which never takes effect; keep only one ${keyword} in the stage.`,
        });
      }
    }
    return findings;
  },
};
