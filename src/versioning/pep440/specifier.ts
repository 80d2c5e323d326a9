// A PEP 440 specifier set read clause by clause, keeping its layout (spaces around commas and after the
// operator) so that an edit rewrites only the versions it has to.
import { parseVersion, MAX_LENGTH } from './version.js';

export type Operator = '~=' | '===' | '==' | '!=' | '<=' | '>=' | '<' | '>';

export interface Clause {
  operator: Operator;
  /** The version as written, without a trailing `.*`. */
  version: string;
  /** `==X.*` / `!=X.*`. */
  wildcard: boolean;
  /** Text before the operator, between operator and version, and after the version. */
  lead: string;
  gap: string;
  tail: string;
}

// Longest operators first, so that `===` is not read as `==` followed by `=`.
const CLAUSE = /^(\s*)(~=|===|==|!=|<=|>=|<|>)(\s*)(\S+?)(\.\*)?(\s*)$/;

/** The clauses of `value`, or null when any clause is not PEP 440 (a bare version included). */
export function parseSpecifier(value: string): Clause[] | null {
  if (value.length > 4 * MAX_LENGTH || value.trim() === '') return null;
  const clauses: Clause[] = [];
  for (const text of value.split(',')) {
    const match = CLAUSE.exec(text);
    if (!match) return null;
    const [, lead = '', operator, gap = '', version = '', star, tail = ''] = match;
    const clause: Clause = {
      operator: operator as Operator,
      version,
      wildcard: star !== undefined,
      lead,
      gap,
      tail,
    };
    if (!isWellFormed(clause)) return null;
    clauses.push(clause);
  }
  return clauses;
}

function isWellFormed(clause: Clause): boolean {
  // `===` compares strings: anything without spaces or commas goes.
  if (clause.operator === '===') return !clause.wildcard;
  const version = parseVersion(clause.version);
  if (version === null) return false;
  if (clause.wildcard)
    return (clause.operator === '==' || clause.operator === '!=') && version.local === null;
  // `~=` needs at least two release segments (PEP 440).
  return clause.operator !== '~=' || version.release.length >= 2;
}

export function formatSpecifier(clauses: readonly Clause[]): string {
  return clauses
    .map((c) => `${c.lead}${c.operator}${c.gap}${c.version}${c.wildcard ? '.*' : ''}${c.tail}`)
    .join(',');
}
