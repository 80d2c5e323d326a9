// One PEP 508 requirement (`name[extras] specifiers ; marker` or `name[extras] @ url ; marker`) as pip
// reads it, with the offsets of the specifier text so an edit can replace exactly it.
import { valid } from '@renovatebot/pep440';

export interface Requirement {
  name: string;
  extras: string[];
  /** The specifiers as written (`>=2.31,<3`); '' when there are none. */
  specifier: string;
  /** Offsets of `specifier` in the parsed text; an empty range after the name/extras when absent. */
  specStart: number;
  specEnd: number;
  /** The direct reference after `@`. */
  url?: string;
  marker?: string;
}

const NAME = /^\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*/;
const EXTRAS = /^\[([^\]]*)\]\s*/;
const CLAUSE = /^(===|~=|==|!=|<=|>=|<|>)\s*(\S+)$/;

/** The requirement in `text`, or null when it is not one. */
export function parseRequirement(text: string): Requirement | null {
  const name = NAME.exec(text);
  if (!name) return null;
  let at = name[0].length;
  let extras: string[] = [];
  const extrasMatch = EXTRAS.exec(text.slice(at));
  if (extrasMatch) {
    extras = extrasMatch[1]!
      .split(',')
      .map((extra) => extra.trim())
      .filter(Boolean);
    if (!extras.every((extra) => /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(extra))) return null;
    at += extrasMatch[0].length;
  }
  const rest = text.slice(at);
  if (rest.startsWith('@')) return withUrl(name[1]!, extras, rest.slice(1), at);
  const semi = rest.indexOf(';');
  const marker = semi === -1 ? undefined : rest.slice(semi + 1).trim();
  if (marker === '') return null;
  let spec = semi === -1 ? rest : rest.slice(0, semi);
  let specStart = at + (spec.length - spec.trimStart().length);
  spec = spec.trim();
  if (spec.startsWith('(')) {
    if (!spec.endsWith(')')) return null;
    const inner = spec.slice(1, -1);
    specStart += 1 + (inner.length - inner.trimStart().length);
    spec = inner.trim();
  }
  if (spec && !validSpecifier(spec)) return null;
  if (!spec) specStart = text.slice(0, at).trimEnd().length;
  const requirement: Requirement = {
    name: name[1]!,
    extras,
    specifier: spec,
    specStart,
    specEnd: specStart + spec.length,
  };
  if (marker !== undefined) requirement.marker = marker;
  return requirement;
}

function withUrl(name: string, extras: string[], rest: string, at: number): Requirement | null {
  // PEP 508: a marker after a URL needs whitespace before the `;`.
  const markerAt = rest.search(/\s;/);
  const url = (markerAt === -1 ? rest : rest.slice(0, markerAt)).trim();
  if (!url || /\s/.test(url)) return null;
  const requirement: Requirement = { name, extras, specifier: '', specStart: at, specEnd: at, url };
  if (markerAt !== -1) requirement.marker = rest.slice(markerAt + 2).trim();
  return requirement;
}

/** Comma-separated clauses, each an operator and a version PEP 440 accepts (`==`/`!=` may end in `.*`). */
export function validSpecifier(spec: string): boolean {
  return spec.split(',').every((clause) => {
    const match = CLAUSE.exec(clause.trim());
    if (!match) return false;
    const [, op, version] = match as unknown as [string, string, string];
    if (op === '===') return true;
    const wildcard = (op === '==' || op === '!=') && version.endsWith('.*');
    return valid(wildcard ? version.slice(0, -2) : version) !== null;
  });
}
