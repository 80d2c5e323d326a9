import { z } from 'zod';
import { linearRegExp, type LinearRegExp } from '../../core/linear-regex.js';
import type { ImageFacts } from '../facts.js';
import { baseImages, imageEvidence, noData, resultFrom, type Policy } from './types.js';

const options = z.strictObject({});

export const policy: Policy<typeof options> = {
  id: 'approved-bases',
  title: 'Approved base images',
  description:
    'Every FROM image matches one of `reports.approvedBases` (image patterns: `*` within a path segment, `**` across, against `docker.io/library/node` or `node`; `:tag` with `*` to restrict tags). No data when none is configured.',
  options,
  defaults: {},
  evaluate(facts, _options, { approvedBases }) {
    if (approvedBases.length === 0)
      return noData(policy, 'no approved bases configured (reports.approvedBases)');
    const matchers = approvedBases.map(approvedMatcher);
    const evidence = baseImages(facts).map((image) =>
      matchers.some((matches) => matches(image))
        ? imageEvidence(image, 'pass', 'approved')
        : imageEvidence(image, 'fail', `${image.name} is not an approved base`),
    );
    return resultFrom(policy, evidence, { pass: 'every base approved', none: 'no Dockerfile bases' });
  },
};

/**
 * An approved-base pattern: `node`, `docker.io/library/python`, `ghcr.io/acme/**`, `python:3.12-*`. The
 * name part is matched against the normalised name and the short one people write; an optional `:tag`
 * part against the tag. Linear-time regular expressions: a pattern cannot stall a report.
 */
export function approvedMatcher(pattern: string): (image: Pick<ImageFacts, 'name' | 'tag'>) => boolean {
  const colon = pattern.lastIndexOf(':');
  const hasTag = colon > pattern.lastIndexOf('/') && colon !== -1;
  const name = globRegExp(hasTag ? pattern.slice(0, colon) : pattern);
  const tag = hasTag ? globRegExp(pattern.slice(colon + 1)) : null;
  return (image) =>
    (name.test(image.name) || name.test(shortName(image.name))) &&
    (tag === null || (image.tag !== null && tag.test(image.tag)));
}

function globRegExp(glob: string): LinearRegExp {
  const source = glob
    .split('**')
    .map((part) =>
      part
        .split('*')
        .map((text) => text.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('[^/]*'),
    )
    .join('.*');
  return linearRegExp(`^${source}$`);
}

/** `docker.io/library/node` → `node`, `docker.io/bitnami/redis` → `bitnami/redis`. */
function shortName(name: string): string {
  if (!name.startsWith('docker.io/')) return name;
  const rest = name.slice('docker.io/'.length);
  return rest.startsWith('library/') ? rest.slice('library/'.length) : rest;
}
