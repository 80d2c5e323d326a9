import { z } from 'zod';
import { baseImages, imageEvidence, resultFrom, type Policy } from './types.js';

const options = z.strictObject({});

export const policy: Policy<typeof options> = {
  id: 'digests-pinned',
  title: 'Base digests pinned',
  description: 'Every FROM image of every Dockerfile carries a digest (`node:22@sha256:…`).',
  options,
  defaults: {},
  evaluate(facts) {
    const evidence = baseImages(facts).map((image) =>
      image.digestPinned
        ? imageEvidence(image, 'pass', 'pinned to a digest')
        : imageEvidence(image, 'fail', 'no digest: the build takes whatever the tag points at'),
    );
    return resultFrom(policy, evidence, { pass: 'every base pinned', none: 'no Dockerfile bases' });
  },
};
