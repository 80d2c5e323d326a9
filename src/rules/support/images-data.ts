// Data for DH601 (non-minimal-final-base): official Docker Hub images whose default tags are a full
// distribution (compilers, headers, man pages, hundreds of packages) while a smaller variant of the same
// image exists. Deliberately short and explicit: an image that is not listed is never reported.

export interface FullImage {
  /** Repository on Docker Hub, as normalised by the reference parser (`library/node`). */
  repository: string;
  /** What the default tags contain, for the message. */
  what: string;
  /**
   * Smaller variants, as tag templates: `{v}` is the version part of the tag in use (`20` of `20-bookworm`;
   * `defaultVersion` when the tag is absent or `latest`). Empty when there is no variant of the same image.
   */
  variants: string[];
  /** Advice beyond the variants (another image, multi-stage). */
  note?: string;
  /** Version used for `{v}` when the tag is missing or `latest`; without it `{v}-` is dropped. */
  defaultVersion?: string;
  /** The tag names a release (`bookworm`, `22.04`) rather than a version followed by a distribution. */
  tagIsRelease?: boolean;
  /** Tags of this image that are already a runtime-sized variant, beyond the common MINIMAL_TAG. */
  smallTags?: RegExp;
}

export const FULL_IMAGES: readonly FullImage[] = [
  {
    repository: 'library/node',
    what: 'Node.js on a full Debian with build tools',
    variants: ['{v}-slim', '{v}-alpine'],
    note: 'or gcr.io/distroless/nodejs',
  },
  {
    repository: 'library/python',
    what: 'Python on a full Debian with build tools',
    variants: ['{v}-slim', '{v}-alpine'],
  },
  {
    repository: 'library/ruby',
    what: 'Ruby on a full Debian with build tools',
    variants: ['{v}-slim', '{v}-alpine'],
  },
  {
    repository: 'library/golang',
    what: 'the whole Go toolchain',
    variants: ['{v}-alpine'],
    note: 'or, better, build the binary in an earlier stage and ship it on gcr.io/distroless/static or scratch',
  },
  {
    repository: 'library/openjdk',
    what: 'a full JDK (and the openjdk images are deprecated)',
    variants: [],
    smallTags: /jre/,
    note: 'use a JRE image such as eclipse-temurin:<version>-jre or eclipse-temurin:<version>-jre-alpine',
  },
  {
    repository: 'library/debian',
    what: 'a full Debian',
    variants: ['{v}-slim'],
    defaultVersion: 'stable',
    tagIsRelease: true,
  },
  {
    repository: 'library/ubuntu',
    what: 'a general-purpose Ubuntu userland',
    variants: [],
    note: 'a smaller base such as debian:<release>-slim, alpine, or a distroless or chiseled Ubuntu image',
    tagIsRelease: true,
  },
];

/** Tags that are already a small variant, or Windows images (no slim/alpine variants there). */
export const MINIMAL_TAG = /(^|[-_.])(slim|alpine|minimal|distroless|chiseled|windowsservercore|nanoserver)/i;

/** Distribution release suffixes of language-image tags (`20-bookworm`, `3.12-bullseye`). */
export const RELEASE_SUFFIX = /-(trixie|bookworm|bullseye|buster|stretch|noble|jammy|focal|bionic)$/;

/** Development containers (`.devcontainer/`) carry toolchains by design and are never shipped. */
export const DEV_CONTAINER = /(^|\/)\.devcontainer\//;
