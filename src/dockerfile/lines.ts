// Physical lines of a file and offset → line lookups.

export interface Lines {
  /** Offset of the first character of each line. */
  starts: number[];
  /** Offset just past the content of each line (before `\r\n` / `\n`). */
  ends: number[];
}

export function splitLines(text: string): Lines {
  const starts: number[] = [];
  const ends: number[] = [];
  let start = 0;
  for (;;) {
    const nl = text.indexOf('\n', start);
    const stop = nl === -1 ? text.length : nl;
    starts.push(start);
    ends.push(stop > start && text.charCodeAt(stop - 1) === 13 ? stop - 1 : stop);
    if (nl === -1) break;
    start = nl + 1;
  }
  return { starts, ends };
}

/** 1-based line number of an offset. */
export function lineAt(lines: Lines, offset: number): number {
  let lo = 0;
  let hi = lines.starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lines.starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}
