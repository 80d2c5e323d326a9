import type { Dependency } from '../core/types.js';
import { describeUse } from './support/instructions.js';
import type { Rule, RuleFinding } from './types.js';

const JUDGED_SOURCES = new Set(['from', 'copy-from', 'mount-from', 'onbuild-from']);

/** An image reference that floats: no digest, and no tag or `latest`. */
export function isUntaggedOrLatest(dep: Dependency): boolean {
  return !dep.skipReason && dep.digest === null && (dep.tag === null || dep.tag === 'latest');
}

export const rule: Rule = {
  id: 'DH701',
  slug: 'base-untagged-or-latest',
  severity: 'error',
  enabledByDefault: true,
  title: 'Pin images to a version tag, not latest',
  docs: `An image without a tag means \`latest\`, which moves whenever the publisher pushes: the same Dockerfile
builds a different image next week, possibly a new major version, and a rebuild to fix something small
can break everything. Use a version tag (and a digest, see DH702). The rule checks \`FROM\`, \`COPY --from=<image>\`
and \`RUN --mount=…,from=<image>\`; \`scratch\`, stage names and references built from ARGs without a default are
not judged. The \`# syntax=\` directive is not judged either: \`docker/dockerfile:1\` is a deliberately floating
frontend tag that Docker recommends.

Bad:

\`\`\`dockerfile
FROM node
COPY --from=alpine:latest /etc/ssl/certs /etc/ssl/certs
\`\`\`

Good:

\`\`\`dockerfile
FROM node:22.11-bookworm-slim@sha256:…
COPY --from=alpine:3.20 /etc/ssl/certs /etc/ssl/certs
\`\`\`

To keep a floating image on purpose: \`# dockhand ignore=DH701 -- always-latest CI tool image\`.`,
  equivalents: ['DL3006', 'DL3007', 'CKV_DOCKER_7', 'DS-0001'],
  check(_dockerfile, context) {
    const findings: RuleFinding[] = [];
    for (const dep of context.deps) {
      if (!JUDGED_SOURCES.has(dep.source) || !isUntaggedOrLatest(dep)) continue;
      const what = dep.tag === null ? 'has no tag (so it means latest)' : 'uses the latest tag';
      findings.push({
        line: dep.line,
        message: `\`${describeUse(dep)}\` ${what}; pin a version tag such as \`${dep.value.replace(/:latest$/, '')}:<version>\`, ideally with its digest.`,
      });
    }
    return findings;
  },
};
