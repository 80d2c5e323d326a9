// CODEOWNERS (GitHub's syntax): who owns which paths of a repository, for the dashboard's per-team views
// and the report issue's grouping. Pure. Each line is a gitignore-style pattern and its owners (`@user`,
// `@org/team`, an email); the last line that matches a path wins, and a line without owners leaves its
// paths unowned. As on GitHub, lines GitHub would not accept are skipped: negation (`!`), character ranges
// (`[ ]`), owners that are none of the three forms. Patterns come from the repository, so they are
// compiled with the linear-time engine (src/core/linear-regex.ts), lazily: only the lines a path reaches
// from the bottom up are ever compiled.
import { linearRegExp, type LinearRegExp } from '../core/linear-regex.js';

/** Where GitHub looks for the file, in its order: the first one found is used. */
export const CODEOWNERS_LOCATIONS: readonly string[] = [
  '.github/CODEOWNERS',
  'CODEOWNERS',
  'docs/CODEOWNERS',
];

/** GitHub ignores a CODEOWNERS file larger than this. */
export const CODEOWNERS_MAX_BYTES = 3 * 1024 * 1024;

export interface CodeOwnersRule {
  /** The pattern as written (escapes resolved). */
  pattern: string;
  /** Owners as written: `@user`, `@org/team`, `user@example.com`. */
  owners: string[];
  /** 1-based line in the file. */
  line: number;
}

export interface CodeOwners {
  rules: readonly CodeOwnersRule[];
  /** Lines skipped as invalid (1-based), with why. */
  invalid: { line: number; reason: string }[];
  /** The owners of `path` (posix, relative to the root): the last matching rule's; [] when none. */
  ownersOf(path: string): string[];
}

const USER = /^@[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;
const TEAM = /^@[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/[A-Za-z0-9._-]{1,100}$/;
const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,255}\.[^\s@]{1,63}$/;
/** Longest pattern kept (GitHub's file limit bounds the rest). */
const MAX_PATTERN = 4096;

/** Whether an owner is a team (`@org/team`). */
export function isTeam(owner: string): boolean {
  return TEAM.test(owner);
}

/** The file's text, parsed; never throws. */
export function parseCodeOwners(text: string): CodeOwners {
  const rules: CodeOwnersRule[] = [];
  const invalid: { line: number; reason: string }[] = [];
  const lines = text.split(/\r?\n/);
  for (let index = 0; index < lines.length; index++) {
    const parsed = parseLine(lines[index]!);
    if (parsed === null) continue;
    if (typeof parsed === 'string') invalid.push({ line: index + 1, reason: parsed });
    else rules.push({ ...parsed, line: index + 1 });
  }
  const compiled: (LinearRegExp | null | undefined)[] = new Array(rules.length);
  const matcher = (index: number): LinearRegExp | null => {
    let re = compiled[index];
    if (re === undefined) {
      try {
        re = linearRegExp(patternSource(rules[index]!.pattern));
      } catch {
        re = null;
      }
      compiled[index] = re;
    }
    return re;
  };
  return {
    rules,
    invalid,
    ownersOf(path) {
      const normalized = path.replace(/^\/+/, '');
      for (let index = rules.length - 1; index >= 0; index--) {
        if (matcher(index)?.test(normalized)) return [...rules[index]!.owners];
      }
      return [];
    },
  };
}

/** The teams (`@org/team`, lower case: GitHub's slugs are) owning any of `paths`: the union, sorted. */
export function teamsOwning(codeowners: CodeOwners, paths: Iterable<string>): string[] {
  const teams = new Set<string>();
  for (const path of paths)
    for (const owner of codeowners.ownersOf(path)) if (isTeam(owner)) teams.add(owner.toLowerCase());
  return [...teams].sort();
}

/** A rule, null for blank lines and comments, or why the line is skipped. */
function parseLine(raw: string): { pattern: string; owners: string[] } | null | string {
  const tokens = tokenize(raw);
  if (tokens.length === 0) return null;
  const [pattern, ...owners] = tokens as [string, ...string[]];
  if (pattern.length > MAX_PATTERN) return 'pattern too long';
  if (pattern.startsWith('!')) return 'negation (!) is not supported';
  if (/[[\]]/.test(pattern)) return 'character ranges ([ ]) are not supported';
  for (const owner of owners)
    if (!USER.test(owner) && !TEAM.test(owner) && !EMAIL.test(owner)) return `not an owner: ${owner}`;
  return { pattern, owners };
}

/**
 * Whitespace-separated tokens up to an unescaped `#` that starts a token (a comment); `\#` and `\ ` are
 * literal. An empty list for blank and comment lines.
 */
function tokenize(line: string): string[] {
  const tokens: string[] = [];
  let current = '';
  let inToken = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i]!;
    if (char === '\\' && i + 1 < line.length) {
      current += line[++i];
      inToken = true;
    } else if (char === ' ' || char === '\t') {
      if (inToken) tokens.push(current);
      current = '';
      inToken = false;
    } else if (char === '#' && !inToken) {
      break;
    } else {
      current += char;
      inToken = true;
    }
  }
  if (inToken) tokens.push(current);
  return tokens;
}

/**
 * The pattern as RE2 source over a file's path. Like .gitignore: a trailing `/` matches directories only
 * (every file below); a `/` elsewhere anchors at the root, else the pattern matches at any depth; a
 * pattern naming a directory covers everything below it; `**` spans directories, `*` and `?` stay within
 * one. Unlike .gitignore (GitHub's documented exception): `docs/*` owns the files directly in `docs`, not
 * those of its subdirectories.
 */
export function patternSource(pattern: string): string {
  const directoryOnly = pattern.endsWith('/');
  const trimmed = pattern.replace(/\/+$/, '');
  if (trimmed === '') return directoryOnly ? '^.+/.*$' : '^$';
  const anchored = trimmed.includes('/');
  const body = trimmed.replace(/^\/+/, '');
  let source = '';
  for (let i = 0; i < body.length; i++) {
    const char = body[i]!;
    if (char === '*' && body[i + 1] === '*') {
      while (body[i + 1] === '*') i++;
      if (body[i + 1] === '/') {
        source += '(?:[^/]*/)*';
        i++;
      } else source += '.*';
    } else if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else source += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  const lastSegment = body.slice(body.lastIndexOf('/') + 1);
  const suffix = directoryOnly ? '/.*' : anchored && lastSegment === '*' ? '' : '(?:/.*)?';
  return `^${anchored ? '' : '(?:.*/)?'}${source}${suffix}$`;
}
