import type { Rule, RuleFinding } from './types.js';

const QUOTED = /^(["'])(.*)\1$/;

export const rule: Rule = {
  id: 'DH910',
  slug: 'maintainer-deprecated',
  severity: 'info',
  enabledByDefault: true,
  title: 'Replace MAINTAINER with an OCI authors label',
  docs: `MAINTAINER has been deprecated since Docker 1.13. It sets a field of the image config that the OCI image format does not define and tools do not show. The standard place for the same information is the \`org.opencontainers.image.authors\` label, which registries, scanners and \`docker inspect\` understand.

Bad:

\`\`\`dockerfile
MAINTAINER Jane Doe <jane@example.com>
\`\`\`

Good:

\`\`\`dockerfile
LABEL org.opencontainers.image.authors="Jane Doe <jane@example.com>"
\`\`\`

To keep MAINTAINER: \`# dockhand ignore=DH910 -- reason\`.`,
  equivalents: ['DL4000', 'CKV_DOCKER_6', 'DS-0022'],
  check(dockerfile) {
    const findings: RuleFinding[] = [];
    for (const instruction of dockerfile.instructions) {
      if (instruction.keyword !== 'MAINTAINER') continue;
      const who = instruction.args.trim().replace(QUOTED, '$2');
      findings.push({
        line: instruction.line,
        endLine: instruction.endLine,
        message: `MAINTAINER is deprecated; use LABEL org.opencontainers.image.authors=${JSON.stringify(who || 'name <email>')}.`,
      });
    }
    return findings;
  },
};
