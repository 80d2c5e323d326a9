// Poetry's constraint syntax read as PEP 440 specifier sets: `^1.2` (`>=1.2,<2`), `~1.2` (`>=1.2,<1.3`),
// a bare version (`==`), `1.2.*`, `*`, PEP 440 operators, `,` or spaces for "and", `||` for "or".
import { parseSpecifier } from '../pep440/index.js';
import { parseVersion } from '../pep440/version.js';

export type PoetryClause =
  | { kind: 'caret' | 'tilde' | 'exact'; version: string }
  | { kind: 'wildcard'; version: string }
  | { kind: 'any' }
  | { kind: 'pep440'; text: string };

/** The alternatives (`||`) of a constraint, each a list of clauses that must all hold; null if unreadable. */
export function parseConstraint(value: string): PoetryClause[][] | null {
  if (value.length > 1024 || value.trim() === '') return null;
  const alternatives: PoetryClause[][] = [];
  for (const alternative of value.split(/\|\|?/)) {
    // `>= 1.2, < 2` and `>=1.2 <2`: operators may be followed by spaces, clauses split on `,` or spaces.
    const tokens = alternative
      .replace(/(~=|===|==|!=|<=|>=|<|>|\^|~)\s+/g, '$1')
      .split(/[\s,]+/)
      .filter(Boolean);
    if (tokens.length === 0) return null;
    const clauses: PoetryClause[] = [];
    for (const token of tokens) {
      const clause = parseClause(token);
      if (clause === null) return null;
      clauses.push(clause);
    }
    alternatives.push(clauses);
  }
  return alternatives;
}

function parseClause(token: string): PoetryClause | null {
  if (token === '*') return { kind: 'any' };
  const first = token[0];
  if ((first === '^' || (first === '~' && token[1] !== '=')) && parseVersion(token.slice(1)))
    return { kind: first === '^' ? 'caret' : 'tilde', version: token.slice(1) };
  if (token.endsWith('.*') && !/^[<>=!~]/.test(token) && parseVersion(token.slice(0, -2)))
    return { kind: 'wildcard', version: token.slice(0, -2) };
  if (parseVersion(token) && !/^[<>=!~]/.test(token)) return { kind: 'exact', version: token };
  return parseSpecifier(token) ? { kind: 'pep440', text: token } : null;
}

/** One alternative as a PEP 440 specifier set (`*` as `>=0.dev0`). */
export function toPep440(clauses: readonly PoetryClause[]): string {
  return clauses
    .map((clause) => {
      switch (clause.kind) {
        case 'any':
          return '>=0.dev0';
        case 'exact':
          return `==${clause.version}`;
        case 'wildcard':
          return `==${clause.version}.*`;
        case 'pep440':
          return clause.text;
        case 'caret':
        case 'tilde':
          return `>=${clause.version},<${ceiling(clause.kind, clause.version)}`;
      }
    })
    .join(',');
}

/**
 * The exclusive ceiling of `^v` (the first non-zero segment moves; `^0.0` moves the last written) and of
 * `~v` (the minor moves, or the major when only it is written).
 */
export function ceiling(kind: 'caret' | 'tilde', version: string): string {
  const release = parseVersion(version)?.release ?? [0];
  let k: number;
  if (kind === 'tilde') k = release.length === 1 ? 0 : 1;
  else {
    k = release.findIndex((segment) => segment !== 0);
    if (k < 0) k = Math.max(0, release.length - 1);
  }
  return release
    .slice(0, k + 1)
    .map((segment, i) => (i === k ? segment + 1 : segment))
    .join('.');
}
