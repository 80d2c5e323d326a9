import { keyValues } from './support/instructions.js';
import { finalStage, stageChain } from './support/stages.js';
import type { Rule } from './types.js';

const SOURCE_LABEL = 'org.opencontainers.image.source';

export const rule: Rule = {
  id: 'DH801',
  slug: 'oci-labels',
  severity: 'info',
  enabledByDefault: true,
  title: 'Label the image with its source repository',
  docs: `The \`org.opencontainers.image.source\` label tells registries and tools where an image comes from: GitHub
links the package to the repository (and its permissions), and update bots and scanners use it to find
changelogs and open pull requests. The rule looks for the label in the final stage and the stages it is
built on (labels are inherited); a label whose value comes from an ARG or ENV
(\`LABEL org.opencontainers.image.source=$REPO_URL\`) counts as present. Labels set only by the build
command (\`docker build --label\`, \`docker/metadata-action\`) cannot be seen here — ignore the rule in that
case.

Bad: a final stage with no \`LABEL org.opencontainers.image.source\`.

Good:

\`\`\`dockerfile
LABEL org.opencontainers.image.source="https://github.com/acme/shop" \\
      org.opencontainers.image.licenses="MIT"
\`\`\`

To skip it: \`# dockhand ignore=DH801 -- labels set by docker/metadata-action\`.`,
  equivalents: ['DL3048', 'DL3049'],
  check(dockerfile) {
    const stage = finalStage(dockerfile);
    if (!stage) return [];
    const escape = dockerfile.directives.escape;
    const chain = stageChain(dockerfile, stage.index);
    for (const s of chain) {
      for (const instruction of s.instructions) {
        if (instruction.keyword !== 'LABEL') continue;
        if (keyValues(instruction, escape).some((kv) => kv.key === SOURCE_LABEL)) return [];
      }
    }
    return [
      {
        line: stage.from.line,
        message: `The final image has no \`${SOURCE_LABEL}\` label; add \`LABEL ${SOURCE_LABEL}="https://github.com/<owner>/<repo>"\` to the final stage.`,
      },
    ];
  },
};
