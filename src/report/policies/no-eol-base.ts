import { z } from 'zod';
import { imageEvidence, judgedImages, resultFrom, type Policy } from './types.js';

const options = z.strictObject({});

export const policy: Policy<typeof options> = {
  id: 'no-eol-base',
  title: 'No end-of-life images',
  description:
    'No image on a release line (of the image itself, or of the OS its tag names) past its end of life, by the EOL data shipped with Dockhand.',
  options,
  defaults: {},
  evaluate(facts) {
    const evidence = judgedImages(facts).map((image) => {
      const ended = image.eol[0];
      if (!ended) return imageEvidence(image, 'pass', 'no end-of-life release line known');
      const move = ended.successor ? `; move to ${ended.product} ${ended.successor}` : '';
      const all = image.eol.map(
        (e) => `${e.product} ${e.release} (${e.approximate ? 'about ' : ''}${e.eol})`,
      );
      return imageEvidence(image, 'fail', `end of life: ${all.join(', ')}${move}`, ended.eol);
    });
    return resultFrom(policy, evidence, { pass: 'no end-of-life image', none: 'no images' });
  },
};
