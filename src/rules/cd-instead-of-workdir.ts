import { runScripts, shellsInForce } from '../dockerfile/shell.js';
import type { Rule, RuleFinding } from './types.js';

/** A script that starts with a subshell or group: `(cd dir && make)` changes nothing outside it. */
const STARTS_WITH_GROUP = /^\s*[({]/;
/** Cheap test before tokenizing: the script starts with `cd` (after comment lines, such as a shebang). */
const STARTS_WITH_CD = /^(\s*#[^\n]*\n)*\s*cd\s/;
/** Directories WORKDIR cannot express: command substitutions (`cd "$(mktemp -d)"`), `-` and `~`. */
const DYNAMIC_DIR = /\$\(|`|^-$|^~/;

export const rule: Rule = {
  id: 'DH904',
  slug: 'cd-instead-of-workdir',
  severity: 'info',
  enabledByDefault: true,
  title: 'Use WORKDIR instead of starting a RUN with cd',
  docs: `A RUN that starts with \`cd /some/dir && …\` changes directory only for that one command, so the next RUN, COPY or CMD is back where it was — a common source of "file not found" surprises — and readers have to track the directory through every RUN. WORKDIR sets it once, for everything that follows, and creates the directory if needed.

The rule only looks at a \`cd\` that is the first command of a RUN script and is followed by other commands. A \`cd\` inside a subshell (\`(cd vendor && make)\`), later in a script (\`make && cd docs && make html\`), or into a directory WORKDIR cannot express (\`cd "$(mktemp -d)"\`, \`cd -\`) is fine. PowerShell and cmd scripts are not judged.

Bad:

\`\`\`dockerfile
RUN cd /app && npm ci
\`\`\`

Good:

\`\`\`dockerfile
WORKDIR /app
RUN npm ci
\`\`\`

To keep the \`cd\`: \`# dockhand ignore=DH904 -- reason\`.`,
  equivalents: ['DL3003', 'DS-0013'],
  check(dockerfile) {
    const findings: RuleFinding[] = [];
    for (const instruction of dockerfile.instructions) {
      if (instruction.keyword !== 'RUN') continue;
      if (!STARTS_WITH_CD.test(instruction.args) && instruction.heredocs.length === 0 && !instruction.json)
        continue;
      for (const { script, commands } of runScripts(instruction)) {
        if (STARTS_WITH_GROUP.test(script) || !STARTS_WITH_CD.test(script)) continue;
        const [first, second] = commands;
        if (first?.words[0] !== 'cd' || !second || first.after === '|' || first.after === '||') continue;
        const dir = first.words[1];
        if (dir === undefined || first.words.length > 2 || DYNAMIC_DIR.test(dir)) continue;
        if (shellsInForce(dockerfile).get(instruction)?.posix === false) break;
        findings.push({
          line: instruction.line,
          endLine: instruction.endLine,
          message: `This RUN starts with \`cd ${dir}\`; put \`WORKDIR ${dir}\` before it and drop the cd.`,
        });
        break;
      }
    }
    return findings;
  },
};
