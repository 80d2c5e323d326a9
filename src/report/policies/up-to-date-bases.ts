import { z } from 'zod';
import {
  daysBetween,
  imageEvidence,
  judgedImages,
  noData,
  resultFrom,
  type Evidence,
  type Policy,
} from './types.js';

const options = z.strictObject({
  /** A pinned digest fails when its tag moved to another digest more than this many days ago. */
  digestAgeDays: z.number().int().min(0),
  /** A tag fails when the newest release of its line (same major) came out more than this many days ago. */
  tagBehindDays: z.number().int().min(0),
});

export const policy: Policy<typeof options> = {
  id: 'up-to-date-bases',
  title: 'Up-to-date images',
  description:
    'No pinned digest that its tag moved away from more than digestAgeDays ago, and no tag behind the newest release of its line (same major) for more than tagBehindDays. Needs registry lookups (--resolve).',
  options,
  defaults: { digestAgeDays: 14, tagBehindDays: 14 },
  evaluate(facts, { digestAgeDays, tagBehindDays }) {
    if (!facts.resolved) return noData(policy, 'registries not asked (run with --resolve)');
    const evidence: Evidence[] = judgedImages(facts).map((image) => {
      if (image.lookupError !== null)
        return imageEvidence(image, 'no-data', `registry lookup failed: ${image.lookupError}`);
      const problems: Evidence[] = [];
      if (image.staleDigest) {
        const { since } = image.staleDigest;
        if (since === null)
          problems.push(
            imageEvidence(image, 'no-data', 'the tag moved to another digest; when is not known'),
          );
        else {
          const days = daysBetween(since, facts.scannedAt);
          problems.push(
            imageEvidence(
              image,
              days > digestAgeDays ? 'fail' : 'pass',
              `the tag moved to another digest ${days} days ago (limit ${digestAgeDays})`,
              since,
            ),
          );
        }
      }
      if (image.behind) {
        const { tag, since } = image.behind;
        if (since === null)
          problems.push(imageEvidence(image, 'no-data', `behind ${tag}, released on an unknown date`));
        else {
          const days = daysBetween(since, facts.scannedAt);
          problems.push(
            imageEvidence(
              image,
              days > tagBehindDays ? 'fail' : 'pass',
              `behind ${tag}, released ${days} days ago (limit ${tagBehindDays})`,
              since,
            ),
          );
        }
      }
      // One verdict per image: its worst problem.
      return (
        problems.find((p) => p.status === 'fail') ??
        problems.find((p) => p.status === 'no-data') ??
        problems[0] ??
        imageEvidence(image, 'pass', 'current digest and newest release of its line')
      );
    });
    return resultFrom(policy, evidence, { pass: 'every image current', none: 'no images' });
  },
};
