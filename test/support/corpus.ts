// Where tests find the data sets that are not part of the project, and the project's own fixture tree.
//
// The real-world corpus (third-party Dockerfiles, compose files, manifests and workflows) stays outside
// the repository. Its one location is the environment variable DOCKHAND_CORPUS, by default
// `../shared/corpus` relative to the repository root (relative values are taken from the root too);
// DOCKHAND_CORPUS_DEPS, by default `../shared/corpus-deps`, is the same for the npm/Python corpus. When a
// corpus is absent its tests are skipped, and test/global-setup.ts prints one line saying so.
//
// Everything the corpus tests pin is also covered by fixtures written for the project: FIXTURES, a small
// tree laid out like a few repositories (see test/fixtures/README.md), which the scan-level tests and
// the benches use when no corpus is given.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (no trailing slash). */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url)).replace(/\/$/, '');

/** The project's own fixture tree, with a trailing slash. */
export const FIXTURES = join(ROOT, 'test/fixtures') + '/';

export interface DataSet {
  /** The environment variable that names it. */
  variable: string;
  /** Where it is looked for: the variable's value, or the default (absolute, with a trailing slash). */
  path: string;
  /** The default, relative to the repository root. */
  fallback: string;
  /** Whether the variable was set (rather than the default used). */
  fromEnvironment: boolean;
  /** Whether a directory is there. */
  found: boolean;
}

function locate(variable: string, fallback: string): DataSet {
  const value = process.env[variable];
  const fromEnvironment = value !== undefined && value !== '';
  const path = resolve(ROOT, fromEnvironment ? value : fallback).replace(/\/?$/, '/');
  let found: boolean;
  try {
    found = statSync(path).isDirectory();
  } catch {
    found = false;
  }
  return { variable, path, fallback, fromEnvironment, found };
}

export const CORPUS_SET = locate('DOCKHAND_CORPUS', '../shared/corpus');
export const CORPUS_DEPS_SET = locate('DOCKHAND_CORPUS_DEPS', '../shared/corpus-deps');

/** The real-world corpus directory (absolute, trailing slash), or null when it is absent. */
export const corpus: string | null = CORPUS_SET.found ? CORPUS_SET.path : null;
/** The npm/Python corpus directory, or null when it is absent. */
export const corpusDeps: string | null = CORPUS_DEPS_SET.found ? CORPUS_DEPS_SET.path : null;

/** The line telling where a data set was found, or that the tests reading it are skipped. */
export function notice(set: DataSet): string {
  if (set.found) return `Corpus tests read ${set.path} (${set.variable})`;
  const why = set.fromEnvironment
    ? `${set.variable}=${process.env[set.variable]} is not a directory`
    : `${set.variable} is not set and its default ${set.fallback} (${set.path}) does not exist`;
  return `Corpus tests skipped: ${why}`;
}

/** The absolute path of a corpus file; only for tests that run when the corpus is there. */
export function corpusPath(path: string): string {
  if (!corpus) throw new Error(notice(CORPUS_SET));
  return corpus + path;
}

/** A corpus file's text. */
export function readCorpus(path: string): string {
  return readFileSync(corpusPath(path), 'utf8');
}

/** Every regular file under `dir`, as sorted posix paths relative to it (`.git` and node_modules left out). */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (at: string): void => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      if (entry.name === '.git' || entry.name === 'node_modules') continue;
      const path = join(at, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) out.push(relative(dir, path).split('\\').join('/'));
    }
  };
  walk(dir);
  return out.sort();
}
