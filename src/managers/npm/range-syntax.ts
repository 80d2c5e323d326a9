// Whether a text is an npm semver range or version, read as npm reads package.json (node-semver's loose
// mode). Only the syntax: the `semver` package is not a dependency of the project, and extraction only
// needs to know whether a value can be looked up. Hand-written tokenising, linear in the input.

const OPERATOR = /^(?:<=|>=|<|>|=|~>|~|\^)/;
// One comparator's version: x-ranges in any of the three places, a prerelease and a build only after a
// full version. Each part is delimited by the next character class, so no backtracking can pile up.
const PARTIAL =
  /^[v=]*\s*(?:[xX*]|\d+)(?:\.(?:[xX*]|\d+)(?:\.(?:[xX*]|\d+)(?:-?[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?)?)?$/;
const EXACT =
  /^[v=]*\s*\d+\.\d+\.\d+(?:-?[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;

/** Whether `text` is a valid npm range (an exact version is a range too). */
export function isValidRange(text: string): boolean {
  if (text.length > 1024) return false; // node-semver refuses longer ranges too
  return text.split('||').every(isValidAndRange);
}

/** Whether `text` names one exact version (`1.2.3`, `=v1.2.3-beta.1`). */
export function isExactVersion(text: string): boolean {
  return text.length <= 256 && EXACT.test(text.trim());
}

/** The version without `v`/`=` decoration, for comparing an exact pin with a locked version. */
export function cleanVersion(text: string): string {
  return text
    .trim()
    .replace(/^[v=\s]+/, '')
    .replace(/\+.*$/, '');
}

function isValidAndRange(part: string): boolean {
  const tokens = part.trim().split(/\s+/).filter(Boolean);
  if (tokens.length === 0) return true; // an empty alternative means any version
  // Hyphen range: `1.2 - 2.3.4`.
  if (tokens.length === 3 && tokens[1] === '-') return isPartial(tokens[0]!) && isPartial(tokens[2]!);
  for (let i = 0; i < tokens.length; i++) {
    let token = tokens[i]!;
    const operator = OPERATOR.exec(token)?.[0] ?? '';
    // Loose mode allows a space after the operator: `>= 1.2.3`.
    if (operator && token.length === operator.length) {
      const next = tokens[++i];
      if (next === undefined) return false;
      token += next;
    }
    if (!isPartial(token.slice(operator.length))) return false;
  }
  return true;
}

function isPartial(text: string): boolean {
  return text.length > 0 && PARTIAL.test(text);
}
