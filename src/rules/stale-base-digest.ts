import type { Rule } from './types.js';

// Needs a registry: the finding comes from `--resolve`, which records on each dep whether its pinned
// digest is still what the tag points at. Without lookups no dep is marked and the rule is silent.
export const rule: Rule = {
  id: 'DH301',
  slug: 'stale-base-digest',
  severity: 'warning',
  enabledByDefault: true,
  title: 'Keep pinned base-image digests current',
  docs: `A digest pin (\`FROM node:22@sha256:…\`) makes builds repeatable, but the image it names stops receiving
the security fixes the tag keeps getting: every rebuild of \`node:22\` upstream moves the tag to a new digest
while the pin stays on the old one. Checked only with \`dockhand scan --resolve\` (it asks the registry what
the tag points at now).

Fix: \`dockhand fix --type digest\` (or merge Dockhand's digest pull request) writes the current digest and
keeps the tag. An index digest stays an index digest; a single-platform digest moves to the same platform.

Bad (the tag has moved since):

\`\`\`dockerfile
FROM node:22.11.0@sha256:<old digest>
\`\`\`

To keep an old digest on purpose: \`# dockhand ignore=DH301 -- reason\`.`,
  equivalents: ['Scout Up-to-Date Base Images'],
  check: (_dockerfile, context) =>
    context.deps
      .filter((dep) => dep.staleDigest && dep.source !== 'syntax')
      .map((dep) => {
        const fresh = dep.updates?.find((u) => u.type === 'digest')?.newDigest;
        const now = fresh ? `: ${dep.tag ?? 'latest'} is now ${fresh.slice(0, 19)}…` : '';
        return {
          line: dep.line,
          message: `The pinned digest of ${dep.value} is stale${now}; update it (dockhand fix --type digest).`,
        };
      }),
};
