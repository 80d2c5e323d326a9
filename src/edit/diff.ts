// Unified diff of a file before and after Dockhand's edits. Edits replace tags and digests, which never
// contain line breaks, so lines correspond one to one and changed lines can be compared in place.

const CONTEXT = 3;

export function unifiedDiff(path: string, before: string, after: string): string {
  if (before === after) return '';
  const a = before.split('\n');
  const b = after.split('\n');
  if (a.length !== b.length) return wholeFile(path, a, b);
  const changed: number[] = [];
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) changed.push(i);
  const out = [`--- a/${path}`, `+++ b/${path}`];
  let i = 0;
  while (i < changed.length) {
    // Changed lines closer than twice the context share one hunk.
    let j = i;
    while (j + 1 < changed.length && changed[j + 1]! - changed[j]! <= 2 * CONTEXT) j++;
    const start = Math.max(0, changed[i]! - CONTEXT);
    const end = Math.min(lastLine(a), changed[j]! + CONTEXT);
    const length = end - start + 1;
    out.push(`@@ -${start + 1},${length} +${start + 1},${length} @@`);
    for (let k = start; k <= end; k++) {
      if (a[k] === b[k]) out.push(` ${a[k]}`);
      else out.push(`-${a[k]}`, `+${b[k]}`);
    }
    i = j + 1;
  }
  return out.join('\n') + '\n';
}

/** Index of the last line that has content (a trailing newline leaves an empty last element). */
function lastLine(lines: string[]): number {
  return lines.at(-1) === '' ? lines.length - 2 : lines.length - 1;
}

function wholeFile(path: string, a: string[], b: string[]): string {
  const from = a.slice(0, lastLine(a) + 1);
  const to = b.slice(0, lastLine(b) + 1);
  return (
    [
      `--- a/${path}`,
      `+++ b/${path}`,
      `@@ -1,${from.length} +1,${to.length} @@`,
      ...from.map((l) => `-${l}`),
      ...to.map((l) => `+${l}`),
    ].join('\n') + '\n'
  );
}
