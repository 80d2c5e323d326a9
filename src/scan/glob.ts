// A tiny glob → RegExp for `ignorePaths`, matched against posix paths relative to the scanned root.
// `**` spans directories, `*` and `?` stay inside one path segment. A pattern without a `/` matches at
// any depth (like .gitignore), and a pattern that names a directory also covers everything below it.
import { linearRegExp, type LinearRegExp } from '../core/linear-regex.js';

export function globToRegExp(pattern: string): LinearRegExp {
  const trimmed = pattern.replace(/\/$/, '');
  const anchored = trimmed.includes('/');
  const body = trimmed.replace(/^\//, '');
  let source = '';
  for (let i = 0; i < body.length; i++) {
    const char = body[i]!;
    if (char === '*' && body[i + 1] === '*') {
      // `**/` is zero or more whole directories; a trailing `**` is anything.
      if (body[i + 2] === '/') {
        source += '(?:[^/]*/)*';
        i += 2;
      } else {
        source += '.*';
        i += 1;
      }
    } else if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else source += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return linearRegExp(`^${anchored ? '' : '(?:.*/)?'}${source}(?:/.*)?$`);
}

/** A predicate that is true for paths matched by any of the patterns. */
export function pathMatcher(patterns: string[]): (path: string) => boolean {
  const regexps = patterns.map(globToRegExp);
  return (path) => regexps.some((re) => re.test(path));
}
