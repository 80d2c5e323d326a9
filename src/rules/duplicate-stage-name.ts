import type { Rule, RuleFinding } from './types.js';

export const rule: Rule = {
  id: 'DH907',
  slug: 'duplicate-stage-name',
  severity: 'error',
  enabledByDefault: true,
  title: 'Give every build stage a unique name',
  docs: `Stage names are how \`COPY --from=\`, \`RUN --mount=from=\`, \`FROM <stage>\` and \`docker build --target\` find a stage, and they are compared without regard to case. With two stages called \`build\` (or \`build\` and \`Build\`), BuildKit refuses the file ("duplicate stage name"); older builders silently used one of them, so \`--target\` or a \`COPY --from\` could pick up the wrong stage.

The rule reports the second and every later stage that reuses a name, pointing at the first one.

Bad:

\`\`\`dockerfile
FROM golang:1.23 AS build
FROM node:22 AS Build
\`\`\`

Good:

\`\`\`dockerfile
FROM golang:1.23 AS build-api
FROM node:22 AS build-web
\`\`\``,
  equivalents: ['DL3024', 'CKV_DOCKER_11', 'DS-0012'],
  check(dockerfile) {
    const findings: RuleFinding[] = [];
    const seen = new Map<string, number>();
    for (const stage of dockerfile.stages) {
      if (!stage.name) continue;
      const key = stage.name.toLowerCase();
      const first = seen.get(key);
      if (first === undefined) {
        seen.set(key, stage.from.line);
        continue;
      }
      findings.push({
        line: stage.from.line,
        message: `Stage name "${stage.name}" is already used by the stage on line ${first} (names ignore case); rename one of them.`,
      });
    }
    return findings;
  },
};
