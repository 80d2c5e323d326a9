// Docker tags as versions: `[v]1.2.3[build][pre][-suffix]`, plus dated tags behind a codename
// (`artful-20170826`). Everything after the version is a compatibility suffix that must match exactly.

export interface DockerVersion {
  tag: string;
  /** `v`, or a word prefix with its dash before a dated tag (`artful-`); '' otherwise. Must match exactly. */
  prefix: string;
  /** Numeric release parts; their count is the precision. */
  release: number[];
  /** Build numbers after the release: `_12` (Temurin), `u402-b06` (Java 8), `-1085` (UBI). */
  build: number[];
  /** How the build is written ('' when none); part of the shape, so `8.7` never moves to `8.7-1085`. */
  buildStyle: '' | '_' | 'u' | 'u-b' | '-';
  /** Prerelease marker as written (`b1`, `rc1`, `RC6`, `rc.1`, `ea-16`); '' for a stable version. */
  prerelease: string;
  /** Compatibility suffix after the version, without the leading dash (`alpine3.19`, `jre-jammy`). */
  suffix: string;
  /** The release is one YYYYMMDD[hh[mm[ss]]] number: a snapshot date, never comparable with versions. */
  date: boolean;
}

// `\w*` after the numbers: a build (`_12`, `u402`) and/or a prerelease (`b1`, `rc1`, `_alpha20240807`).
const HEAD = /^(v?)(\d+(?:\.\d+)*)(?:_(\d+)|u(\d+))?([A-Za-z_]\w*)?$/;
const COMMIT = /^[0-9a-f]{7,40}$/;
const DATE = /^(?:19|20)\d\d(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])(?:\d\d){0,3}$/;
const WORD = /^[A-Za-z][\w.]*$/;
const DIGITS = /^\d+$/;
// Prerelease markers written as their own dash segment (`-rc.0`, `-beta`, `-ea`, `-M3`). A bare `-dev` is
// not one: Docker Hardened Images and Chainguard use it for the variant with a shell and package manager.
const PRE_SEGMENT =
  /^(?:(?:alpha|beta|rc|ea|pre|preview|snapshot|nightly|canary)(?:\.?\d+(?:\.\d+)*)?|dev\.?\d+(?:\.\d+)*|m\d+)$/i;
// Longer numbers are not release parts (and would lose precision as doubles).
const MAX_PART_DIGITS = 15;

/** Parses a tag; null when it is not a version (`latest`, `alpine`, `ltsc2022`, commit hashes). */
export function parseDockerTag(tag: string): DockerVersion | null {
  if (COMMIT.test(tag) && !DIGITS.test(tag)) return null;
  const dash = tag.indexOf('-');
  const head = dash < 0 ? tag : tag.slice(0, dash);
  const m = HEAD.exec(head);
  if (!m) return parseDated(tag);
  const numbers = m[2]!;
  const release = readNumbers(numbers);
  if (!release) return null;
  const version: DockerVersion = {
    tag,
    prefix: m[1]!,
    release,
    build: [],
    buildStyle: '',
    prerelease: m[5] ?? '',
    suffix: '',
    date: release.length === 1 && DATE.test(numbers),
  };
  if (m[3] !== undefined) {
    version.build.push(Number(m[3]));
    version.buildStyle = '_';
  } else if (m[4] !== undefined) {
    version.build.push(Number(m[4]));
    version.buildStyle = 'u';
  }
  if (dash >= 0) readTail(version, tag.slice(dash + 1).split('-'));
  return version;
}

/** `1.2.3` → [1, 2, 3] in one pass (the hot path over large tag lists); null if a part is too long. */
function readNumbers(text: string): number[] | null {
  const parts: number[] = [];
  let value = 0;
  let digits = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 46) {
      parts.push(value);
      value = 0;
      digits = 0;
    } else {
      value = value * 10 + (code - 48);
      if (++digits > MAX_PART_DIGITS) return null;
    }
  }
  parts.push(value);
  return parts;
}

/** Build numbers, a dash-written prerelease, then the suffix, from the dash segments after the head. */
function readTail(version: DockerVersion, segments: string[]): void {
  let i = 0;
  const next = segments[i];
  if (version.buildStyle === 'u' && next !== undefined && /^b\d+$/.test(next)) {
    version.build.push(Number(next.slice(1)));
    version.buildStyle = 'u-b';
    i++;
  } else if (version.buildStyle === '' && !version.prerelease && next !== undefined && isBuildNumber(next)) {
    version.build.push(Number(next));
    version.buildStyle = '-';
    i++;
  }
  const pre = segments[i];
  if (!version.prerelease && pre !== undefined && PRE_SEGMENT.test(pre)) {
    version.prerelease = pre;
    i++;
    const number = segments[i];
    if (number !== undefined && DIGITS.test(number)) {
      version.prerelease += '-' + number;
      i++;
    }
  }
  version.suffix = segments.slice(i).join('-');
}

function isBuildNumber(segment: string): boolean {
  return DIGITS.test(segment) && segment.length <= MAX_PART_DIGITS;
}

/** `artful-20170826`, `bookworm-20240311-slim`: word segments, then a date, then an optional suffix. */
function parseDated(tag: string): DockerVersion | null {
  const segments = tag.split('-');
  let i = 0;
  while (i < segments.length && WORD.test(segments[i]!)) i++;
  const date = segments[i];
  if (i === 0 || date === undefined || !DATE.test(date)) return null;
  return {
    tag,
    prefix: segments.slice(0, i).join('-') + '-',
    release: [Number(date)],
    build: [],
    buildStyle: '',
    prerelease: '',
    suffix: segments.slice(i + 1).join('-'),
    date: true,
  };
}
