// Ordering of parsed Docker versions. `compareVersions` orders release, build and prerelease (what
// "newer" means between compatible tags); `compareTags` extends it to a total sort order across suffixes.
import type { DockerVersion } from './parse.js';

/**
 * Release parts numerically (`18.04` = `18.4` < `18.10`); when one release is a prefix of the other the
 * shorter is greater, as a rolling tag (`3.7`) stands for its newest patch. Then build numbers, then
 * prerelease (any prerelease < the release itself).
 */
export function compareVersions(a: DockerVersion, b: DockerVersion): number {
  return (
    compareParts(a.release, b.release, 1) ||
    compareParts(a.build, b.build, -1) ||
    comparePrerelease(a.prerelease, b.prerelease)
  );
}

/**
 * A sort order over all versions: `compareVersions`, then the suffix (a bare tag after any suffixed one,
 * suffixes by text), then the prefix. Different suffixes are different artifacts: this orders, it does
 * not say one replaces the other. Renovate's example holds:
 * `3.7.0b1 < 3.7.0b5 < 3.7.0 < 3.7-alpine < 3.8.0b1-alpine < 3.8.0-alpine < 3.8.0 < 3.8.2`.
 */
export function compareTags(a: DockerVersion, b: DockerVersion): number {
  return (
    compareVersions(a, b) ||
    compareSuffix(a.suffix, b.suffix) ||
    (a.prefix === b.prefix ? 0 : a.prefix < b.prefix ? -1 : 1)
  );
}

/** `shorterSign`: the sign when `a` is a strict prefix of `b` (1: shorter is greater). */
function compareParts(a: readonly number[], b: readonly number[], shorterSign: 1 | -1): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = a[i]! - b[i]!;
    if (d !== 0) return Math.sign(d);
  }
  if (a.length === b.length) return 0;
  return a.length < b.length ? shorterSign : -shorterSign;
}

function compareSuffix(a: string, b: string): number {
  if (a === b) return 0;
  if (a === '') return 1;
  if (b === '') return -1;
  return a < b ? -1 : 1;
}

// Stage of a prerelease word; unknown words sit between beta and the release-candidate stages.
const STAGE: Record<string, number> = {
  dev: 0,
  snapshot: 0,
  nightly: 0,
  canary: 0,
  alpha: 1,
  a: 1,
  beta: 2,
  b: 2,
  m: 3,
  pre: 3,
  preview: 3,
  ea: 3,
  rc: 4,
  c: 4,
  cr: 4,
};
const UNKNOWN_STAGE = 2.5;
const TOKEN = /[a-z]+|\d+/g;

/** '' (stable) is greatest; otherwise token by token: stage words by stage, numbers numerically. */
export function comparePrerelease(a: string, b: string): number {
  if (a === b) return 0;
  if (a === '') return 1;
  if (b === '') return -1;
  const ta = a.toLowerCase().match(TOKEN) ?? [];
  const tb = b.toLowerCase().match(TOKEN) ?? [];
  const n = Math.min(ta.length, tb.length);
  for (let i = 0; i < n; i++) {
    const d = compareToken(ta[i]!, tb[i]!);
    if (d !== 0) return d;
  }
  return Math.sign(ta.length - tb.length);
}

function compareToken(a: string, b: string): number {
  const na = isDigit(a);
  const nb = isDigit(b);
  if (na && nb) return Math.sign(Number(a) - Number(b));
  // A word before a number: `rc` < `rc1` is handled by length; `rc.beta` vs `rc.1` puts the word first.
  if (na !== nb) return na ? 1 : -1;
  const d = (STAGE[a] ?? UNKNOWN_STAGE) - (STAGE[b] ?? UNKNOWN_STAGE);
  if (d !== 0) return Math.sign(d);
  return a === b ? 0 : a < b ? -1 : 1;
}

function isDigit(token: string): boolean {
  const c = token.charCodeAt(0);
  return c >= 48 && c <= 57;
}
