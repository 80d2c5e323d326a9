import type { EolFinding, EolProduct, EolRelease } from '../eol/index.js';
import { eolFindings } from '../eol/index.js';
import { describeUse } from './support/instructions.js';
import type { Rule, RuleFinding } from './types.js';

const JUDGED_SOURCES = new Set(['from', 'copy-from', 'mount-from', 'onbuild-from']);

/**
 * DH302 judged at the moment `now()` returns. The catalog's rule reads the system clock; tests build one
 * with a fixed clock, so no result depends on the day the tests run.
 */
export function eolBaseRule(now: () => Date = () => new Date()): Rule {
  return {
    id: 'DH302',
    slug: 'eol-base',
    severity: 'warning',
    enabledByDefault: true,
    title: 'Move off base images whose release has reached end of life',
    docs: `An end-of-life release gets no more security fixes from its project: every CVE found after that date
stays in the image for good, however often it is rebuilt. The rule knows the release lines of the common
Docker official images (node, python, golang, ruby, php, postgres, redis, mysql, mariadb; also through mirrors)
and of the operating systems any official image's tag names: Debian and Ubuntu releases by number or codename
(\`-bookworm\`, \`jammy\`) and Alpine by \`-alpine3.19\`. Findings appear as end dates pass, without a new
Dockhand release. \`FROM\`, \`COPY --from=<image>\` and \`RUN --mount=…,from=<image>\` are judged, with ARGs
resolved; tags without a version (\`latest\`, \`lts\`, \`alpine\`) and references built from ARGs without a default
are not. The dates ship with Dockhand (see docs/eol.md for what they cover and how they are refreshed).

Fix: move to the supported line the message names (the one supported longest, LTS where the project has
LTS releases), then rebuild and test: it is a major update, to be reviewed as one.

Bad (at the end of 2026):

\`\`\`dockerfile
FROM node:16-alpine3.16
FROM python:3.12-slim-buster
\`\`\`

Good:

\`\`\`dockerfile
FROM node:24-alpine3.22
FROM python:3.12-slim-trixie
\`\`\`

To keep an end-of-life base on purpose: \`# dockhand ignore=DH302 -- reason\`.`,
    equivalents: ['Scout Approved Base Images'],
    check(_dockerfile, context) {
      const at = now();
      const findings: RuleFinding[] = [];
      for (const dep of context.deps) {
        if (!JUDGED_SOURCES.has(dep.source) || dep.skipReason) continue;
        for (const finding of eolFindings(dep, at)) {
          findings.push({ line: dep.line, message: `\`${describeUse(dep)}\`: ${describe(finding)}` });
        }
      }
      return findings;
    },
  };
}

export const rule: Rule = eolBaseRule();

/** "node 16 reached end of life on 2023-09-11; move to node 26 (LTS), supported until 2029-04-30." */
function describe({ product, release, successor }: EolFinding): string {
  const ended = `${product.name} ${label(product, release)} reached end of life ${release.approximate ? 'around' : 'on'} ${release.eol}`;
  if (!successor) return `${ended}; no supported ${product.name} release is known.`;
  const lts = successor.lts !== undefined ? ' (LTS)' : '';
  const until =
    successor.eol !== null
      ? `, supported until ${successor.approximate ? 'about ' : ''}${successor.eol}`
      : '';
  return `${ended}; move to ${product.name} ${label(product, successor)}${lts}${until}.`;
}

// Debian and Ubuntu releases go by their names as much as by numbers; Node's codenames are only tag aliases.
function label(product: EolProduct, release: EolRelease): string {
  return product.os && release.codename ? `${release.release} (${release.codename})` : release.release;
}
