import { z } from 'zod';
import { imageEvidence, resultFrom, type Policy } from './types.js';

const options = z.strictObject({});

export const policy: Policy<typeof options> = {
  id: 'no-latest',
  title: 'No latest or untagged images',
  description:
    'No image reference anywhere (Dockerfiles, compose, Kubernetes, Helm values, workflows) uses `latest` or no tag at all without a digest.',
  options,
  defaults: {},
  evaluate(facts) {
    const evidence = facts.images
      .filter((image) => image.skipReason === null)
      .map((image) =>
        image.latestOrUntagged
          ? imageEvidence(
              image,
              'fail',
              image.tag === null ? 'no tag and no digest (means latest)' : 'uses the latest tag',
            )
          : imageEvidence(image, 'pass', image.tag !== null ? `tag ${image.tag}` : 'pinned to a digest'),
      );
    return resultFrom(policy, evidence, { pass: 'no latest or untagged image', none: 'no images' });
  },
};
