import { isUntaggedOrLatest } from './base-untagged-or-latest.js';
import { describeUse } from './support/instructions.js';
import type { Rule, RuleFinding } from './types.js';

const JUDGED_SOURCES = new Set(['from', 'copy-from', 'mount-from', 'onbuild-from']);
/** Docker's own Dockerfile frontends: their floating tags (`:1`, `:master`) are the documented way to use them. */
const DOCKER_FRONTENDS = new Set(['docker.io/docker/dockerfile', 'docker.io/docker/dockerfile-upstream']);

export const rule: Rule = {
  id: 'DH702',
  slug: 'base-not-digest-pinned',
  severity: 'warning',
  enabledByDefault: true,
  title: 'Pin external images by digest',
  docs: `A tag is a pointer the publisher can move: \`node:22.11\` today is not necessarily \`node:22.11\`
tomorrow (rebuilds for security fixes, or a compromised account). Adding the digest,
\`node:22.11-slim@sha256:…\`, makes the build reproducible and tamper-evident, and update tools (Dockhand,
Renovate, Dependabot) keep both the tag and the digest current with reviewable pull requests.

The rule checks \`FROM\`, \`COPY --from=<image>\` and \`RUN --mount=…,from=<image>\`; \`scratch\`, stage names and
references built from ARGs without a default are skipped. Images without a tag or on \`latest\` are reported
by DH701 instead (its fix adds the digest too), so they are not reported twice. The \`# syntax=\` directive
is reported only for third-party frontends: Docker's own \`docker/dockerfile:1\` (and \`docker/dockerfile-upstream\`) is meant to float within its
major version, while any other frontend is arbitrary code that runs your build and should be pinned.

Bad: \`FROM python:3.12-slim\`

Good: \`FROM python:3.12-slim@sha256:…\` (the digest of the multi-platform index)

To keep a tag-only reference: \`# dockhand ignore=DH702 -- internal image, immutable tags\`.`,
  equivalents: ['Docker "pin base image versions"', 'Renovate pinDigests'],
  check(_dockerfile, context) {
    const findings: RuleFinding[] = [];
    for (const dep of context.deps) {
      if (dep.skipReason || dep.digest !== null) continue;
      const judged =
        (JUDGED_SOURCES.has(dep.source) && !isUntaggedOrLatest(dep)) ||
        (dep.source === 'syntax' && !DOCKER_FRONTENDS.has(dep.depName));
      if (!judged) continue;
      findings.push({
        line: dep.line,
        message: `\`${describeUse(dep)}\` is not pinned by digest; append \`@sha256:<digest>\` (keep the tag) so the build cannot change under you.`,
      });
    }
    return findings;
  },
};
