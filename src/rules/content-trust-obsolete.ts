import { posixRunCommands } from '../dockerfile/shell.js';
import { keyValues } from './support/instructions.js';
import type { Rule, RuleFinding } from './types.js';

const ENABLED = /^(1|true)$/i;
const ASSIGNMENT = /^DOCKER_CONTENT_TRUST=(.*)$/s;

export const rule: Rule = {
  id: 'DH505',
  slug: 'content-trust-obsolete',
  severity: 'info',
  enabledByDefault: true,
  title: 'Replace Docker Content Trust with signature verification',
  docs: `\`DOCKER_CONTENT_TRUST=1\` enables Docker Content Trust (Notary v1). Docker has retired DCT for Docker Hub
and Notary v1 is unmaintained, so the setting gives a false sense of security (or breaks pulls) rather
than verifying anything. Verify images with Sigstore \`cosign verify\` (or Notation) in CI or with an
admission policy, and pin images by digest.

Bad:

\`\`\`dockerfile
ENV DOCKER_CONTENT_TRUST=1
\`\`\`

Good:

\`\`\`dockerfile
# verified in CI: cosign verify --certificate-identity … ghcr.io/org/tool@sha256:…
FROM ghcr.io/org/tool:1.4@sha256:…
\`\`\`

To keep it: \`# dockhand ignore=DH505 -- reason\`.`,
  equivalents: [],
  check(dockerfile) {
    const findings: RuleFinding[] = [];
    if (!dockerfile.text.includes('DOCKER_CONTENT_TRUST')) return findings;
    const escape = dockerfile.directives.escape;
    for (const instruction of dockerfile.instructions) {
      const target = instruction.onbuild ?? instruction;
      const hit =
        target.keyword === 'ENV' || target.keyword === 'ARG'
          ? keyValues(target, escape).some(
              (kv) => kv.key === 'DOCKER_CONTENT_TRUST' && ENABLED.test(kv.value ?? ''),
            )
          : posixRunCommands(dockerfile, instruction).some((c) =>
              c.words.some((w) => ENABLED.test(ASSIGNMENT.exec(w)?.[1] ?? '')),
            );
      if (hit) {
        findings.push({
          line: instruction.line,
          message:
            '`DOCKER_CONTENT_TRUST=1` relies on retired Docker Content Trust; verify images with cosign signatures and digest pins instead.',
        });
      }
    }
    return findings;
  },
};
