// Which release lines an image reference runs on, and which of them have ended at a given moment.
// Pure: the data and the moment are arguments (the rule supplies its clock).
import type { Dependency } from '../core/types.js';
import { parseDockerTag } from '../versioning/docker/parse.js';
import { eolData, type EolData, type EolProduct, type EolRelease } from './data.js';

export interface EolFinding {
  product: EolProduct;
  /** The line the image is on; its `eol` is set and not after `now`. */
  release: EolRelease;
  /** The supported line to move to (the one supported longest, LTS first), or null when none is known. */
  successor: EolRelease | null;
}

// Docker official images, also through mirrors (`mirror.gcr.io/library/node`, `public.ecr.aws/docker/library/node`).
const OFFICIAL = /\/library\/([^/]+)$/;

/** End-of-life lines of one image reference at `now`: its own product's, then the OS its tag names. */
export function eolFindings(
  dep: Pick<Dependency, 'depName' | 'tag'>,
  now: Date,
  data: EolData = eolData(),
): EolFinding[] {
  return imageReleases(dep, data)
    .filter(({ release }) => hasEnded(release, now))
    .map(({ product, release }) => ({ product, release, successor: successor(product, now) }));
}

/** The release lines a tag names. Only official images: their tags follow one convention. */
export function imageReleases(
  dep: Pick<Dependency, 'depName' | 'tag'>,
  data: EolData = eolData(),
): Array<{ product: EolProduct; release: EolRelease }> {
  const image = OFFICIAL.exec(dep.depName)?.[1];
  if (image === undefined || dep.tag === null) return [];
  const found: Array<{ product: EolProduct; release: EolRelease }> = [];
  const add = (product: EolProduct, release: EolRelease | undefined): void => {
    if (release && !found.some((f) => f.release === release)) found.push({ product, release });
  };

  const own = data.images.get(image);
  const version = parseDockerTag(dep.tag);
  // Dated tags (`jammy-20240227`) carry a snapshot date, not a release number.
  if (own && version && !version.date) add(own, lineOf(own, version.release));

  // `3.12-slim-bookworm`, `18-alpine3.16`, `bionic-20230530`, `iron-alpine3.18`: each dash segment may
  // name a release of the image's own product (by codename) or of an OS (by codename or `alpine3.16`).
  const named = [...data.products.values()].filter((product) => product.os || product === own);
  for (const segment of dep.tag.split('-')) {
    for (const product of named) {
      add(product, byCodename(product, segment));
      if (product.os && segment.startsWith(product.name) && segment.length > product.name.length) {
        const numbers = parseDockerTag(segment.slice(product.name.length))?.release;
        if (numbers) add(product, lineOf(product, numbers));
      }
    }
  }
  return found;
}

function byCodename(product: EolProduct, segment: string): EolRelease | undefined {
  return product.releases.find((r) => r.codename === segment);
}

/** The most specific line whose numbers start the tag's (`3.12` for 3.12.1; nothing for a bare `3`). */
function lineOf(product: EolProduct, numbers: readonly number[]): EolRelease | undefined {
  let best: EolRelease | undefined;
  for (const r of product.releases) {
    if (r.numbers.length > numbers.length || (best && best.numbers.length >= r.numbers.length)) continue;
    if (r.numbers.every((n, i) => n === numbers[i])) best = r;
  }
  return best;
}

function dayOf(date: string): number {
  return Date.parse(`${date}T00:00:00Z`);
}

/** A line has ended from the first moment (UTC) of its eol day on. */
export function hasEnded(release: EolRelease, now: Date): boolean {
  return release.eol !== null && now.getTime() >= dayOf(release.eol);
}

/** The released, still supported line with the longest support left; LTS lines first where a product has them. */
export function successor(product: EolProduct, now: Date): EolRelease | null {
  const supported = product.releases.filter((r) => dayOf(r.released) <= now.getTime() && !hasEnded(r, now));
  const lts = supported.filter((r) => r.lts !== undefined && dayOf(r.lts) <= now.getTime());
  const candidates = lts.length > 0 ? lts : supported;
  let best: EolRelease | null = null;
  for (const r of candidates) {
    if (!best || endOf(r) > endOf(best) || (endOf(r) === endOf(best) && r.released > best.released)) best = r;
  }
  return best;
}

function endOf(release: EolRelease): number {
  return release.eol === null ? Infinity : dayOf(release.eol);
}
