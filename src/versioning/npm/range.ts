// npm ranges read into comparators that keep how they were written (operator, the space after it, a `v`,
// precision, `x`/`*` wildcards, whitespace between parts), so that a rewritten range renders in the same
// style. Only the written text is modelled; what a range means is left to the semver package.
import semver from 'semver';

export type Operator = '' | '=' | '<' | '<=' | '>' | '>=' | '^' | '~' | '~>';

/** A version as written in a range: `v1.2.x-beta.1` → v, [1, 2], [x], beta.1. */
export interface PartialVersion {
  readonly v: '' | 'v';
  /** The numeric segments written before any wildcard. */
  readonly numbers: readonly number[];
  /** The wildcard segments written after them (`x`, `X` or `*`). */
  readonly wildcards: readonly string[];
  readonly prerelease: string;
  readonly build: string;
}

export interface Comparator {
  readonly operator: Operator;
  /** Whitespace between the operator and the version (`>= 1.0.0`). */
  readonly gap: string;
  readonly version: PartialVersion;
  /** Set for the ends of a hyphen range (`1.0.0 - 2.0.0`), which have no operator of their own. */
  readonly hyphen?: 'from' | 'to';
}

/** One `||` alternative: comparators with the text between them (whitespace, or ` - ` in a hyphen range). */
export type Alternative = readonly (Comparator | string)[];

export interface Range {
  readonly lead: string;
  readonly alternatives: readonly Alternative[];
  /** The `||` separators as written, one fewer than the alternatives. */
  readonly separators: readonly string[];
  readonly tail: string;
}

const SEGMENT = String.raw`(?:0|[1-9]\d*|[xX*])`;
const IDENTIFIERS = String.raw`[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*`;
const PARTIAL = String.raw`v?${SEGMENT}(?:\.${SEGMENT}){0,2}(?:-${IDENTIFIERS})?(?:\+${IDENTIFIERS})?`;
const PARTIAL_EXACT = new RegExp(
  String.raw`^(v?)(${SEGMENT}(?:\.${SEGMENT}){0,2})(?:-(${IDENTIFIERS}))?(?:\+(${IDENTIFIERS}))?$`,
);
const HYPHEN = new RegExp(String.raw`^(${PARTIAL})(\s+-\s+)(${PARTIAL})$`);
const COMPARATOR = new RegExp(String.raw`(<=|>=|<|>|=|\^|~>|~)?(\s*)(${PARTIAL})`, 'y');
const SPACE = /\s+/y;

export function parsePartial(text: string): PartialVersion | null {
  const match = PARTIAL_EXACT.exec(text);
  if (!match) return null;
  const segments = (match[2] ?? '').split('.');
  const firstWildcard = segments.findIndex((s) => /^[xX*]$/.test(s));
  const cut = firstWildcard === -1 ? segments.length : firstWildcard;
  const wildcards = segments.slice(cut);
  // `1.x.3` has no meaning semver gives it: refuse rather than guess.
  if (wildcards.some((s) => !/^[xX*]$/.test(s))) return null;
  return {
    v: match[1] === 'v' ? 'v' : '',
    numbers: segments.slice(0, cut).map(Number),
    wildcards,
    prerelease: match[3] ?? '',
    build: match[4] ?? '',
  };
}

export function renderPartial(version: PartialVersion): string {
  const main = [...version.numbers.map(String), ...version.wildcards].join('.');
  const pre = version.prerelease ? `-${version.prerelease}` : '';
  const build = version.build ? `+${version.build}` : '';
  return `${version.v}${main}${pre}${build}`;
}

export function renderComparator(comparator: Comparator): string {
  return `${comparator.operator}${comparator.gap}${renderPartial(comparator.version)}`;
}

export function renderAlternative(alternative: Alternative): string {
  return alternative.map((part) => (typeof part === 'string' ? part : renderComparator(part))).join('');
}

export function renderRange(range: Range): string {
  const body = range.alternatives
    .map(
      (alternative, i) =>
        (i === 0 ? '' : (range.separators[i - 1] ?? ' || ')) + renderAlternative(alternative),
    )
    .join('');
  return `${range.lead}${body}${range.tail}`;
}

/**
 * Longer values are refused: no real range comes near it, and the value comes from the repository, so
 * the cost of reading one stays bounded.
 */
export const MAX_RANGE_LENGTH = 1024;

/** A range semver reads; a blank value (npm's "any version") is not one a planner can move. */
export function isValidRange(value: string): boolean {
  return value.length <= MAX_RANGE_LENGTH && value.trim() !== '' && semver.validRange(value) !== null;
}

/** The written structure of a valid npm range, or null when it is not one this module can rewrite. */
export function parseRange(value: string): Range | null {
  if (!isValidRange(value)) return null;
  const body = value.trim();
  const lead = value.slice(0, value.length - value.trimStart().length);
  const tail = value.slice(value.trimEnd().length);
  // Split on the bare `||` and move the whitespace beside it into the separator (a regex with `\s*` on
  // both sides would rescan long runs of spaces).
  const pieces = body.split('||');
  const alternatives: Alternative[] = [];
  const separators: string[] = [];
  for (const [i, piece] of pieces.entries()) {
    const text = piece.trim();
    if (i > 0) {
      const before = pieces[i - 1] ?? '';
      separators.push(
        `${before.slice(before.trimEnd().length)}||${piece.slice(0, piece.length - piece.trimStart().length)}`,
      );
    }
    const alternative = parseAlternative(text);
    if (alternative === null) return null;
    alternatives.push(alternative);
  }
  return { lead, alternatives, separators, tail };
}

/** The comparator of a value naming one full version (`1.2.3`, `v1.2.3`, `=1.2.3`, `= 1.2.3`), else null. */
export function exactComparator(range: Range | null): Comparator | null {
  const [only, ...others] = range?.alternatives ?? [];
  if (others.length > 0 || only?.length !== 1) return null;
  const [comparator] = only;
  const exact =
    typeof comparator === 'object' &&
    (comparator.operator === '' || comparator.operator === '=') &&
    comparator.version.numbers.length === 3;
  return exact ? comparator : null;
}

function parseAlternative(text: string): Alternative | null {
  if (text === '') return null;
  const hyphen = HYPHEN.exec(text);
  if (hyphen) {
    const from = parsePartial(hyphen[1] ?? '');
    const to = parsePartial(hyphen[3] ?? '');
    if (!from || !to) return null;
    return [
      { operator: '', gap: '', version: from, hyphen: 'from' },
      hyphen[2] ?? ' - ',
      { operator: '', gap: '', version: to, hyphen: 'to' },
    ];
  }
  const parts: (Comparator | string)[] = [];
  let position = 0;
  while (position < text.length) {
    SPACE.lastIndex = position;
    const space = SPACE.exec(text);
    if (space) {
      parts.push(space[0]);
      position = SPACE.lastIndex;
      continue;
    }
    COMPARATOR.lastIndex = position;
    const match = COMPARATOR.exec(text);
    const version = match ? parsePartial(match[3] ?? '') : null;
    if (!match || !version) return null;
    // A comparator must end at whitespace or the end of the text (`1.2.3foo` is not two parts).
    const end = COMPARATOR.lastIndex;
    if (end < text.length && !/\s/.test(text.charAt(end))) return null;
    parts.push({ operator: (match[1] ?? '') as Operator, gap: match[2] ?? '', version });
    position = end;
  }
  return parts;
}
