import { DOCKER_HUB, isReferenceError, parseReference } from '../reference/parse.js';
import {
  DEV_CONTAINER,
  FULL_IMAGES,
  MINIMAL_TAG,
  RELEASE_SUFFIX,
  type FullImage,
} from './support/images-data.js';
import { rootBase } from './support/stages.js';
import type { Rule, RuleFinding } from './types.js';

const LIBRARY = /^library\//;
const BY_REPOSITORY = new Map(FULL_IMAGES.map((image) => [image.repository, image]));

/** The smaller tags to suggest for `tag` of `image`, e.g. `20-slim`, `20-alpine` for node:20-bookworm. */
function suggestions(image: FullImage, tag: string | null): string[] {
  let version = tag === null || tag === 'latest' ? (image.defaultVersion ?? '') : tag;
  if (!image.tagIsRelease) version = version.replace(RELEASE_SUFFIX, '');
  return image.variants.map((v) => (version ? v.replace('{v}', version) : v.replace('{v}-', '')));
}

export const rule: Rule = {
  id: 'DH601',
  slug: 'non-minimal-final-base',
  severity: 'info',
  enabledByDefault: true,
  title: 'Ship the final stage on a slim, alpine or distroless base',
  docs: `The default tags of the official language and distribution images (\`node:22\`, \`python:3.12\`, \`golang:1.23\`, \`debian:bookworm\`…) are built for compiling: they carry compilers, headers, version control tools and hundreds of packages. Shipped as the final image they make it several times larger, slower to pull, and give vulnerability scanners far more to report — for software the application never uses. The same images come in \`-slim\` and \`-alpine\` variants, and a multi-stage build can keep the toolchain in a build stage and copy only the result into a small (or distroless, or scratch) final stage.

The rule looks at the image the final stage is built on, following \`FROM <stage>\` chains to the external image. It only knows a short, explicit list of images (node, python, ruby, golang, openjdk, debian, ubuntu); Dockerfiles under \`.devcontainer/\` (development containers are meant to carry the toolchain), other images, tags that already are a small variant (\`-slim\`, \`-alpine\`, Windows images), distroless, chainguard, busybox, alpine, scratch and bases chosen through an ARG without a default are not reported.

Bad:

\`\`\`dockerfile
FROM python:3.12
COPY . /app
CMD ["python", "/app/main.py"]
\`\`\`

Good:

\`\`\`dockerfile
FROM python:3.12-slim
COPY . /app
CMD ["python", "/app/main.py"]
\`\`\`

When the full image is needed at run time (native extensions compiled at start-up, a CI or development image): \`# dockhand ignore=DH601 -- CI image, needs the toolchain\`.`,
  equivalents: ['Scout allowlists'],
  check(dockerfile, context) {
    const final = dockerfile.stages.at(-1);
    if (!final || DEV_CONTAINER.test(context.path)) return [];
    const { base, stage } = rootBase(dockerfile, final.index);
    if (base?.kind !== 'image' || base.use.expansion.unresolved) return [];
    const ref = parseReference(base.use.expansion.value);
    if (isReferenceError(ref) || ref.registry !== DOCKER_HUB) return [];
    const image = BY_REPOSITORY.get(ref.repository);
    if (!image) return [];
    // A digest without a tag names some variant we cannot see: do not guess.
    if (ref.tag === null && ref.digest !== null) return [];
    if (ref.tag !== null && (MINIMAL_TAG.test(ref.tag) || image.smallTags?.test(ref.tag))) return [];
    const name = ref.repository.replace(LIBRARY, '');
    const written = `${name}${ref.tag === null ? '' : `:${ref.tag}`}`;
    const tags = suggestions(image, ref.tag).map((t) => `${name}:${t}`);
    const advice = [tags.join(' or '), image.note].filter(Boolean).join(', ');
    const root = dockerfile.stages[stage];
    const via =
      stage === final.index
        ? 'The final stage'
        : `The final stage (through stage ${root?.name ? `"${root.name}"` : stage})`;
    const finding: RuleFinding = {
      line: base.use.instruction.line,
      message: `${via} is based on ${written}, which ships ${image.what}; use ${advice}.`,
    };
    return [finding];
  },
};
