// Regular expressions that run in time linear in their input, for every pattern a repository, an org or
// an operator writes (`allowedVersions`, ignores, globs of paths and images, .dockerignore, stage-name
// wildcards). V8's backtracking engine takes exponential time on patterns like `^(a+)+$`, and
// polynomial time on globs with many `*`; RE2 (here its JavaScript port) has no backtracking at all.
// The price: no lookaround and no backreferences, which configurations are told about.
import { RE2JS } from 're2js';

export interface LinearRegExp {
  /** Whether the pattern matches somewhere in `text` (as RegExp#test). */
  test(text: string): boolean;
}

/** Compiles `source` (RE2 syntax, close to JavaScript's); throws SyntaxError naming what is unsupported. */
export function linearRegExp(source: string, options: { ignoreCase?: boolean } = {}): LinearRegExp {
  try {
    return RE2JS.compile(source, options.ignoreCase ? RE2JS.CASE_INSENSITIVE : 0);
  } catch (error) {
    throw new SyntaxError(describe(error), { cause: error });
  }
}

/** Why `source` cannot be used, or null when it can. */
export function linearRegExpProblem(source: string): string | null {
  try {
    linearRegExp(source);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

function describe(error: unknown): string {
  const message = (error as Error).message.replace(/^error parsing regexp: /, '');
  return /unsupported Perl syntax|invalid escape sequence: `\\[1-9]/.test(message)
    ? `${message} (lookaround and backreferences are not supported: patterns run in linear time)`
    : message;
}
