import { linearRegExp, type LinearRegExp } from '../core/linear-regex.js';
import type { Dependency } from '../core/types.js';
import { describeUse } from './support/instructions.js';
import type { Rule, RuleFinding } from './types.js';

const JUDGED_SOURCES = new Set(['from', 'copy-from', 'mount-from']);
const DOCKER_HUB_ALIASES = new Set([
  'docker.io',
  'index.docker.io',
  'registry-1.docker.io',
  'registry.hub.docker.com',
  'hub.docker.com',
]);

export const rule: Rule = {
  id: 'DH502',
  slug: 'untrusted-registry',
  severity: 'error',
  enabledByDefault: true,
  title: 'Pull images only from trusted registries',
  docs: `Organisations that mirror and scan images want builds to pull only from their approved registries; an
image pulled straight from elsewhere bypasses scanning, signing and retention policies. The rule only
runs when \`trustedRegistries\` is configured, and checks every external image the build pulls: \`FROM\`,
\`COPY --from=<image>\` and \`RUN --mount=…,from=<image>\` (stage names, \`scratch\` and references built from
ARGs without a default are not judged).

Each pattern is matched against the image's normalised name \`registry/repository\` (Docker Hub images
are \`docker.io/library/node\`, \`docker.io/bitnami/redis\`): a pattern matches the whole name or any leading
part of it that ends at a \`/\`, and \`*\` matches any characters except \`/\`. So \`ghcr.io\` trusts everything on
ghcr.io, \`ghcr.io/my-org\` only that organisation, \`*.dkr.ecr.*.amazonaws.com\` any ECR registry,
\`docker.io/library/*\` (or \`docker.io/library\`) only official Docker Hub images, and \`docker.io\` all of
Docker Hub. Docker Hub's other host names (\`index.docker.io\`, \`registry-1.docker.io\`) mean \`docker.io\`, and
a pattern whose first part is not a host name (\`bitnami/*\`) is a Docker Hub path. Matching ignores case.

Bad (with \`trustedRegistries: ["registry.example.com"]\`): \`FROM node:22\`.

Good: \`FROM registry.example.com/mirror/node:22\`.

To allow one exception: \`# dockhand ignore=DH502 -- vendor image, approved in SEC-123\`.`,
  equivalents: ['DL3026', 'Scout Approved Base Images'],
  check(_dockerfile, context) {
    if (context.trustedRegistries.length === 0) return [];
    const patterns = context.trustedRegistries.map(patternRegex);
    const findings: RuleFinding[] = [];
    for (const dep of context.deps) {
      if (!JUDGED_SOURCES.has(dep.source) || dep.skipReason || !dep.registry) continue;
      const name = `${dep.registry.toLowerCase()}/${dep.repository ?? ''}`;
      if (patterns.some((p) => p.test(name))) continue;
      findings.push({
        line: dep.line,
        message: `\`${describeUse(dep)}\` pulls from ${registryLabel(dep)}, which is not a trusted registry (${context.trustedRegistries.join(', ')}); use a trusted mirror.`,
      });
    }
    return findings;
  },
};

function registryLabel(dep: Dependency): string {
  return dep.registry === 'docker.io' ? 'Docker Hub (docker.io)' : dep.registry!;
}

/** A trusted-registry pattern as a regular expression over `registry/repository` (see the docs above). */
export function patternRegex(pattern: string): LinearRegExp {
  let p = pattern
    .trim()
    .toLowerCase()
    .replace(/^[a-z]+:\/\//, '')
    .replace(/\/+$/, '');
  const slash = p.indexOf('/');
  const first = slash === -1 ? p : p.slice(0, slash);
  const rest = slash === -1 ? '' : p.slice(slash);
  if (DOCKER_HUB_ALIASES.has(first)) p = `docker.io${rest}`;
  else if (!first.includes('*') && !first.includes('.') && !first.includes(':') && first !== 'localhost')
    p = `docker.io/${p}`;
  const body = p
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('[^/]*');
  return linearRegExp(`^${body}(?:/.*)?$`);
}
