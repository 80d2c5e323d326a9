// Version-bearing suffixes for the opt-in `moveSuffix`: a suffix segment that names a release of a known
// family may move to a newer release of the same family (`alpine3.19` → `alpine3.20`, `jammy` → `noble`).
// Families are data; a segment outside them (unknown codenames, `nanoserver-1809`, `ltsc2022`, `KB…`
// Windows builds, `ubuntu-20.04`) never moves, and families are never crossed (`bookworm` ↛ `noble`).

export interface SuffixFamily {
  name: string;
  /** Codenames in release order, oldest first. */
  codenames?: readonly string[];
  /** A word directly followed by a dotted version: `alpine` matches `alpine3.19`. */
  versionedWord?: string;
}

export const SUFFIX_FAMILIES: readonly SuffixFamily[] = [
  { name: 'alpine', versionedWord: 'alpine' },
  {
    name: 'debian',
    codenames: ['jessie', 'stretch', 'buster', 'bullseye', 'bookworm', 'trixie', 'forky', 'duke'],
  },
  // LTS releases only: an LTS user is not moved to a nine-month interim release.
  { name: 'ubuntu-lts', codenames: ['trusty', 'xenial', 'bionic', 'focal', 'jammy', 'noble', 'resolute'] },
];

/**
 * A suffix with its version-bearing segments abstracted: `skeleton` is equal for suffixes of the same
 * families and shape (`slim-<debian>`, `<alpine:2>`), `ranks` holds each such segment's position in its
 * family (a codename index, or the dotted numbers).
 */
export interface SuffixKey {
  skeleton: string;
  ranks: number[][];
}

const codenameIndex = new Map<string, { family: string; index: number }>();
for (const family of SUFFIX_FAMILIES) {
  family.codenames?.forEach((name, index) => codenameIndex.set(name, { family: family.name, index }));
}
const versionedWords = SUFFIX_FAMILIES.flatMap((f) =>
  f.versionedWord ? [{ family: f.name, re: new RegExp(`^${f.versionedWord}(\\d+(?:\\.\\d+)*)$`) }] : [],
);

export function suffixKey(suffix: string): SuffixKey {
  const ranks: number[][] = [];
  const parts = suffix.split('-').map((segment) => {
    const codename = codenameIndex.get(segment);
    if (codename) {
      ranks.push([codename.index]);
      return `<${codename.family}>`;
    }
    for (const { family, re } of versionedWords) {
      const m = re.exec(segment);
      if (m) {
        const numbers = m[1]!.split('.').map(Number);
        ranks.push(numbers);
        return `<${family}:${numbers.length}>`;
      }
    }
    return segment;
  });
  return { skeleton: parts.join('-'), ranks };
}

/** Per version-bearing segment: negative if any moved back, else positive if any moved forward, else 0. */
export function compareSuffixRanks(a: readonly number[][], b: readonly number[][]): number {
  let forward = false;
  for (let i = 0; i < a.length; i++) {
    const d = compareNumbers(a[i]!, b[i]!);
    if (d < 0) return -1;
    if (d > 0) forward = true;
  }
  return forward ? 1 : 0;
}

function compareNumbers(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) {
    const d = a[i]! - b[i]!;
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}
