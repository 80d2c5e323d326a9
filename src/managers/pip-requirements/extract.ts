// requirements.txt / constraints.txt as pip reads them: one requirement per logical line, global options
// (`-i`, `--extra-index-url`, `-r`, `-c`, `-e`) and per-requirement `--hash` options.
import { posix } from 'node:path';
import type { ExtractResult } from '../../core/types.js';
import { logicalLines, type LogicalLine } from './logical-lines.js';
import {
  packageDependency,
  referenceSkip,
  referenceValue,
  withoutCredentials,
  type PythonDependency,
} from './package-dep.js';
import { requirementDependency } from './requirement-dep.js';

export type RequirementsKind = 'requirements' | 'constraints';

/** A file named by `-r` / `-c`, for the caller to read. */
export interface RequirementsInclude {
  kind: RequirementsKind;
  /** As written. */
  target: string;
  /** Repository-relative posix path (resolved against the including file's folder); the URL for remote targets. */
  path: string;
  remote: boolean;
  line: number;
}

export type RequirementDependency = PythonDependency;

export interface RequirementsFile extends ExtractResult {
  deps: RequirementDependency[];
  includes: RequirementsInclude[];
  /** Some requirement carries `--hash`: pip runs in hash-checking mode, so every new pin needs hashes. */
  hashed: boolean;
  /** Things worth telling that are not errors (an index URL whose credentials were dropped). */
  notes: string[];
}

const URL_SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;
const ARCHIVE = /\.(whl|zip|tar\.gz|tgz|tar\.bz2|tbz|tar\.xz|txz|tar)$/i;
const PATH_LIKE = /^(\.{1,2}([/\\]|$)|[/\\~]|[A-Za-z]:[/\\])/;
const OPTION_WITH_VALUE = new Set([
  '-r',
  '--requirement',
  '-c',
  '--constraint',
  '-e',
  '--editable',
  '-i',
  '--index-url',
  '--extra-index-url',
  '-f',
  '--find-links',
  '--hash',
  '--trusted-host',
  '--no-binary',
  '--only-binary',
  '--use-feature',
  '--global-option',
  '--config-settings',
  '-C',
]);

/** `kind` forces constraints for a `-c` target; otherwise the file name decides. */
export function extractRequirementsFile(
  content: string,
  path: string,
  kind: RequirementsKind = /(^|\/)constraints[^/]*$/i.test(path) ? 'constraints' : 'requirements',
): RequirementsFile {
  const file: RequirementsFile = { deps: [], includes: [], hashed: false, notes: [] };
  let indexUrl: string | undefined;
  const extraUrls: string[] = [];
  const addUrl = (raw: string, line: number): string => {
    const clean = withoutCredentials(raw);
    if (clean.hadCredentials)
      file.notes.push(
        `line ${line}: the index URL's credentials were dropped; configure them for Dockhand instead`,
      );
    return clean.url;
  };
  for (const logical of logicalLines(content)) {
    const split = logical.text.search(/(^|\s)-/);
    const args = (split === -1 ? logical.text : logical.text.slice(0, split)).trim();
    const options = split === -1 ? [] : readOptions(logical.text.slice(split));
    for (const [name, value] of options) {
      if (value === undefined) continue;
      if (name === '-i' || name === '--index-url') indexUrl = addUrl(value, logical.line);
      else if (name === '--extra-index-url') extraUrls.push(addUrl(value, logical.line));
      else if (name === '-r' || name === '--requirement')
        file.includes.push(include(path, value, kind, logical.line));
      else if (name === '-c' || name === '--constraint')
        file.includes.push(include(path, value, 'constraints', logical.line));
      else if (name === '-e' || name === '--editable')
        file.deps.push(referenceDep(value, logical.line, kind));
    }
    if (!args) continue;
    const dep = requirementDep(args, logical, content, kind);
    const hashes = options.filter(([name]) => name === '--hash').map(([, value]) => value ?? '');
    if (hashes.length) {
      dep.hashes = hashes;
      file.hashed = true;
      const block = hashBlock(logical, logical.text.indexOf(args) + args.length, split, content);
      if (block) {
        dep.hashesRange = block;
        dep.hashesText = content.slice(block.start, block.end);
      }
    }
    file.deps.push(dep);
  }
  // pip's index options hold for the whole file; an extra index alone still searches PyPI first.
  const urls = indexUrl
    ? [indexUrl, ...extraUrls]
    : extraUrls.length
      ? ['https://pypi.org/simple/', ...extraUrls]
      : [];
  if (urls.length)
    for (const dep of file.deps)
      if (!dep.skipReason || dep.skipReason === 'unspecified-version') dep.registryUrls = urls;
  return file;
}

/** `--name=value`, `--name value`, `-r file`, `-rfile`; flags without a value keep `undefined`. */
function readOptions(text: string): [string, string | undefined][] {
  const tokens = text.trim().split(/\s+/);
  const out: [string, string | undefined][] = [];
  for (let i = 0; i < tokens.length; i += 1) {
    const token = tokens[i]!;
    if (!token.startsWith('-')) continue;
    const eq = token.indexOf('=');
    if (token.startsWith('--') && eq !== -1) out.push([token.slice(0, eq), token.slice(eq + 1)]);
    else if (OPTION_WITH_VALUE.has(token)) out.push([token, tokens[++i]]);
    else if (/^-[rceif]./.test(token)) out.push([token.slice(0, 2), token.slice(2)]);
    else out.push([token, undefined]);
  }
  return out;
}

/**
 * Where the `--hash` options sit in the file: from the end of what precedes the first (the requirement,
 * or another option) to the end of the last value, continuations included. Undefined when another
 * option follows a hash (rewriting the block would move it) or a hash has no value.
 */
function hashBlock(
  logical: LogicalLine,
  argsEnd: number,
  optionsStart: number,
  content: string,
): { start: number; end: number } | undefined {
  const tokens = [...logical.text.slice(optionsStart).matchAll(/\S+/g)].map((m) => ({
    text: m[0],
    start: optionsStart + m.index,
    end: optionsStart + m.index + m[0].length,
  }));
  let before = argsEnd;
  let first = -1;
  for (let i = 0; i < tokens.length; i += 1) {
    const token = tokens[i]!;
    const isHash = token.text === '--hash' || token.text.startsWith('--hash=');
    if (isHash) {
      if (first === -1) first = i;
      if (token.text === '--hash') i += 1; // its value
      continue;
    }
    if (first !== -1) return undefined;
    before = token.end;
  }
  const last = tokens.at(-1);
  if (first === -1 || !last || last.text === '--hash' || /^--hash=?$/.test(last.text)) return undefined;
  // Just after the last character before the block, not the start of the next piece of a continuation.
  const start = before > 0 ? logical.fileOffset(before - 1) + 1 : logical.fileOffset(0);
  const end = logical.fileOffset(last.end - 1) + 1;
  return end > start && start >= 0 && end <= content.length ? { start, end } : undefined;
}

function include(path: string, target: string, kind: RequirementsKind, line: number): RequirementsInclude {
  const remote = URL_SCHEME.test(target);
  const resolved = remote ? target : posix.normalize(posix.join(posix.dirname(path), target));
  return { kind, target, path: resolved, remote, line };
}

/** An editable install, a path, an archive or a URL: the name from `#egg=` when it has one. */
function referenceDep(value: string, line: number, depType: string): RequirementDependency {
  const egg = /[#&]egg=([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(value);
  const dep = packageDependency({
    depName: egg?.[1] ?? referenceValue(value),
    currentValue: referenceValue(value),
    line,
    depType,
    skipReason: referenceSkip(value),
  });
  if (!egg) delete dep.packageName; // no package name to look up
  return dep;
}

function requirementDep(
  args: string,
  logical: LogicalLine,
  content: string,
  depType: string,
): RequirementDependency {
  // A wheel or sdist file name parses as a name too: only `name @ archive` is a requirement.
  if (
    URL_SCHEME.test(args) ||
    PATH_LIKE.test(args) ||
    /^file:/i.test(args) ||
    (!args.includes('@') && ARCHIVE.test(args))
  )
    return referenceDep(args, logical.line, depType);
  const argsStart = logical.text.indexOf(args);
  return requirementDependency(args, logical.line, depType, (from, to) => {
    const start = logical.fileOffset(argsStart + from);
    const end = to > from ? logical.fileOffset(argsStart + to - 1) + 1 : start;
    // Across a continuation the specifier is not one run of text: no range to edit.
    return content.slice(start, end) === args.slice(from, to) ? { start, end } : undefined;
  });
}
