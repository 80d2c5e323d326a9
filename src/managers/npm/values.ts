// What a package.json value means to npm (after npm-package-arg): a registry range to look up, an alias
// of another package, or something that is not a registry version and is listed with a skip reason.
import type { SkipReason } from '../../core/types.js';
import { isValidRange } from './range-syntax.js';

export interface ValueMeaning {
  /** The package the registry is asked about, when the value aliases another (`npm:other@^1`). */
  packageName?: string;
  /** The range or version text, for aliases without the `npm:name@` prefix. */
  currentValue: string;
  /** Where `currentValue` starts inside the written value. */
  offset: number;
  skipReason?: SkipReason;
}

// Hosts whose `https://host/user/repo` URLs npm clones rather than downloads.
const GIT_HOSTS =
  /^https?:\/\/(?:www\.)?(?:github\.com|gitlab\.com|bitbucket\.org)\/[^/]+\/[^/#]+\/?(?:#.*)?$/i;
const GIT_PREFIX = /^(?:git\+|git:|git@|github:|gitlab:|bitbucket:|gist:|ssh:\/\/)/i;
// `user/repo`, `user/repo#ref`: GitHub shorthand (neither part starts with `.` or `@`).
const GITHUB_SHORTHAND = /^[^@./:\s#][^/:\s#]*\/[^./:\s#][^/:\s#]*(?:#.*)?$/;
const LOCAL_PREFIX = /^(?:file:|link:|portal:|exec:|patch:|\.{1,2}(?:\/|$)|\/|~\/)/;
// A dist-tag (`next`, `beta`): names a moving version, like `latest`.
const DIST_TAG = /^[A-Za-z][0-9A-Za-z._-]*$/;
// `name` or `@scope/name`, then optionally `@range`.
const ALIAS_TARGET = /^((?:@[^/@\s]+\/)?[^/@\s]+)(?:@(.*))?$/s;

export function valueMeaning(value: string): ValueMeaning {
  if (value.startsWith('npm:')) return aliasMeaning(value);
  return { currentValue: value, offset: 0, ...skipOf(value) };
}

function aliasMeaning(value: string): ValueMeaning {
  const match = ALIAS_TARGET.exec(value.slice(4));
  if (!match) return { currentValue: value, offset: 0, skipReason: 'invalid-value' };
  const name = match[1]!;
  const range = match[2] ?? '';
  const offset = 4 + name.length + (match[2] === undefined ? 0 : 1);
  const skip = skipOf(range);
  // Only registry versions can follow an alias; anything else there is unreadable.
  const skipReason =
    skip.skipReason && skip.skipReason !== 'unspecified-version' ? 'invalid-value' : skip.skipReason;
  return { packageName: name, currentValue: range, offset, ...(skipReason ? { skipReason } : {}) };
}

function skipOf(value: string): { skipReason?: SkipReason } {
  const text = value.trim();
  if (text === '' || text === '*' || text === 'latest' || text === 'x' || text === 'X')
    return { skipReason: 'unspecified-version' };
  if (text.startsWith('workspace:')) return { skipReason: 'workspace' };
  // pnpm catalogs: the version is written in pnpm-workspace.yaml, another file of the workspace.
  if (text.startsWith('catalog:')) return { skipReason: 'workspace' };
  if (GIT_PREFIX.test(text) || GIT_HOSTS.test(text) || /^https?:\/\/.*\.git(?:#.*)?$/i.test(text))
    return { skipReason: 'git' };
  if (/^https?:\/\//i.test(text)) return { skipReason: 'url' };
  if (LOCAL_PREFIX.test(text)) return { skipReason: 'local' };
  if (isValidRange(text)) return {};
  if (GITHUB_SHORTHAND.test(text)) return { skipReason: 'git' };
  if (DIST_TAG.test(text)) return { skipReason: 'unspecified-version' };
  return { skipReason: 'invalid-value' };
}
