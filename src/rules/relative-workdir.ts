import type { Rule, RuleFinding } from './types.js';

/** Absolute paths: POSIX `/…`, Windows `C:\…` / `c:/…`, and Windows root-relative `\…`. */
const ABSOLUTE = /^(\/|\\|[A-Za-z]:([\\/]|$))/;
const DOT_SLASH = /^\.\//;
const PLAIN = /^\w/;

function unquote(text: string): string {
  const q = text[0];
  return text.length >= 2 && (q === '"' || q === "'") && text.at(-1) === q ? text.slice(1, -1) : text;
}

export const rule: Rule = {
  id: 'DH901',
  slug: 'relative-workdir',
  severity: 'warning',
  enabledByDefault: true,
  title: 'Use an absolute path in WORKDIR',
  docs: `A relative WORKDIR is resolved against whatever working directory is in force at that point, which may come from the base image and change when the base image changes. An absolute path says exactly where the following RUN, COPY and CMD instructions run.

Paths that start with a variable (\`WORKDIR $HOME/app\`, \`WORKDIR \${APP_DIR}\`) are not reported, since the variable usually holds an absolute path. In Windows Dockerfiles, \`C:\\app\` and \`c:/app\` are absolute.

Bad:

\`\`\`dockerfile
WORKDIR app
\`\`\`

Good:

\`\`\`dockerfile
WORKDIR /app
\`\`\`

To keep a relative WORKDIR on purpose: \`# dockhand ignore=DH901 -- relative to the base image's WORKDIR\`.`,
  equivalents: ['DL3000', 'CKV_DOCKER_10', 'DS-0009'],
  check(dockerfile) {
    const findings: RuleFinding[] = [];
    for (const instruction of dockerfile.instructions) {
      const target = instruction.onbuild ?? instruction;
      if (target.keyword !== 'WORKDIR') continue;
      const path = unquote(target.args.trim());
      if (!path || path.startsWith('$') || ABSOLUTE.test(path)) continue;
      const bare = path.replace(DOT_SLASH, '');
      const hint = PLAIN.test(bare)
        ? ` such as /${bare}`
        : path.startsWith('~')
          ? ' (WORKDIR does not expand ~)'
          : '';
      findings.push({
        line: instruction.line,
        message: `WORKDIR ${path} is relative to the working directory in force; use an absolute path${hint}.`,
      });
    }
    return findings;
  },
};
