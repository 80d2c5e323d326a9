// Scans a tree of files — a local directory, or a repository read through GitHub — : every file a
// manager claims is read once, its image references extracted (with byte offsets) and, for Dockerfiles,
// linted. A failure in one file is recorded on that file.
import type { Config } from '../config/schema.js';
import { byteOffsetMapper, decodeText, toByteRange, type DecodedText } from '../core/offsets.js';
import type { Dependency, FileError, Finding, Manager, PackageFile, SkippedFile } from '../core/types.js';
import { parseDockerfile } from '../dockerfile/parse.js';
import type { Dockerfile } from '../dockerfile/types.js';
import { extractFromDockerfile, manager as dockerfileManager } from '../managers/dockerfile/index.js';
import { managerFor } from '../managers/index.js';
import { lintDockerfile } from '../rules/engine.js';
import { dockerignoreFor, isDockerignore } from './dockerignore.js';
import { pathMatcher } from './glob.js';
import { isSkipped, readCandidate, walk, type CandidateFile, type ReadFile, type WalkEntry } from './walk.js';

export interface ScanResult {
  /** Every Dockerfile, and every other claimed file in which a manager found an image or an error. */
  files: PackageFile[];
  findings: Finding[];
  skipped: SkippedFile[];
}

export interface ScanOptions {
  /** Runs between extraction and lint, e.g. `--resolve` recording updates and stale digests on deps. */
  resolve?: (files: PackageFile[]) => Promise<void>;
  /** Sees the bytes of every file the scan reads (`fix` fingerprints them to notice later changes). */
  onRead?: (path: string, bytes: Buffer) => void;
}

/** Where the files come from: the claimed files (and skipped entries), and their bytes. */
export interface FileSource {
  list(): WalkEntry[];
  read(file: CandidateFile): ReadFile | SkippedFile;
}

/** Files the scan reads: those a manager claims, and the .dockerignore files linting needs. */
const claimed = (path: string): boolean => isDockerignore(path) || managerFor(path) !== undefined;

export function directorySource(dir: string, ignored: (path: string) => boolean): FileSource {
  return { list: () => walk(dir, { claims: claimed, ignored }), read: (file) => readCandidate(dir, file) };
}

/** Files already in memory (a repository read through the GitHub API), with what the reader skipped. */
export function memorySource(
  files: readonly { path: string; bytes: Uint8Array }[],
  skipped: readonly SkippedFile[],
  ignored: (path: string) => boolean,
): FileSource {
  const bytes = new Map(files.map((f) => [f.path, Buffer.from(f.bytes)]));
  return {
    // In path order, as the directory walk lists them (the first compose file naming a build wins).
    list: () =>
      [
        ...files
          .filter((f) => claimed(f.path) && !ignored(f.path))
          .map((f) => ({ path: f.path, size: f.bytes.length })),
        ...skipped.filter((s) => !ignored(s.path)),
      ].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
    read: (file) => {
      const content = bytes.get(file.path);
      return content ? { path: file.path, bytes: content } : { path: file.path, reason: 'unreadable' };
    },
  };
}

export function scanDirectory(dir: string, config: Config, options: ScanOptions = {}): Promise<ScanResult> {
  return scanSource(directorySource(dir, pathMatcher(config.ignorePaths)), config, options);
}

export async function scanSource(
  source: FileSource,
  config: Config,
  options: ScanOptions = {},
): Promise<ScanResult> {
  const readFile = (file: CandidateFile): ReadFile | SkippedFile => {
    const result = source.read(file);
    if (!isSkipped(result)) options.onRead?.(result.path, result.bytes);
    return result;
  };
  const walked = source.list();
  const skipped = walked.filter(isSkipped);
  const candidates = walked.filter((entry): entry is CandidateFile => !isSkipped(entry));

  // Ignore files first: linting a Dockerfile needs the one of its directory.
  const dockerignores = new Map<string, string | undefined>();
  for (const entry of skipped) if (isDockerignore(entry.path)) dockerignores.set(entry.path, undefined);
  for (const candidate of candidates.filter((file) => isDockerignore(file.path))) {
    const read = readFile(candidate);
    dockerignores.set(candidate.path, isSkipped(read) ? undefined : decodeText(read.bytes).text);
  }

  const files: PackageFile[] = [];
  const findings: Finding[] = [];
  const dockerfiles: { path: string; text: DecodedText }[] = [];
  // Other files first: a compose `build:` tells which context (and so which .dockerignore) a Dockerfile
  // is built with.
  const contexts = new Map<string, string>();
  for (const candidate of candidates.filter((file) => !isDockerignore(file.path))) {
    const read = readFile(candidate);
    if (isSkipped(read)) {
      skipped.push(read);
      continue;
    }
    const manager = managerFor(read.path)!;
    const text = decodeText(read.bytes);
    if (manager === dockerfileManager) {
      dockerfiles.push({ path: read.path, text });
      continue;
    }
    const file = withByteOffsets(extractWith(manager, read.path, text.text), text);
    for (const build of file.builds ?? []) {
      if (!build.remote && !contexts.has(build.dockerfile)) contexts.set(build.dockerfile, build.context);
    }
    if (file.deps.length > 0 || file.errors || file.builds) files.push(file);
  }
  const parsed = dockerfiles.map(({ path, text }) => {
    const { file, dockerfile } = extractDockerfile(path, text.text);
    files.push(withByteOffsets(file, text));
    return { file, dockerfile };
  });
  await options.resolve?.(files);
  // Lint after resolving: registry rules (DH301) read what the lookups recorded on the deps.
  for (const { file, dockerfile } of parsed) {
    if (!dockerfile) continue;
    const dockerignore = dockerignoreFor(file.path, contexts.get(file.path), dockerignores);
    findings.push(...lintFile(file, dockerfile, config, dockerignore));
  }

  return {
    files: files.sort((a, b) => compare(a.path, b.path)),
    findings: findings.sort((a, b) => compare(a.path, b.path) || a.line - b.line || compare(a.rule, b.rule)),
    skipped: skipped.sort((a, b) => compare(a.path, b.path)),
  };
}

/** Parses once; extraction and lint read the same model. A failure is recorded on the file. */
function extractDockerfile(path: string, text: string): { file: PackageFile; dockerfile?: Dockerfile } {
  const file: PackageFile = { path, manager: dockerfileManager.name, deps: [] };
  let dockerfile: Dockerfile | undefined;
  try {
    dockerfile = parseDockerfile(text);
    file.deps = extractFromDockerfile(dockerfile);
  } catch (error) {
    addError(file, `${dockerfile ? 'extracting images' : 'parsing'} failed: ${errorMessage(error)}`);
  }
  return dockerfile ? { file, dockerfile } : { file };
}

function lintFile(
  file: PackageFile,
  dockerfile: Dockerfile,
  config: Config,
  dockerignore: string | null | undefined,
): Finding[] {
  try {
    return lintDockerfile(dockerfile, {
      path: file.path,
      deps: file.deps,
      trustedRegistries: config.trustedRegistries,
      dockerignore,
      ignore: config.ignore,
      severity: config.severity,
      allowInlineIgnores: config.allowInlineIgnores,
    });
  } catch (error) {
    addError(file, `linting failed: ${errorMessage(error)}`);
    return [];
  }
}

function extractWith(manager: Manager, path: string, text: string): PackageFile {
  const file: PackageFile = { path, manager: manager.name, deps: [] };
  try {
    const result = manager.extract(text, path);
    file.deps = result.deps;
    if (result.errors?.length) file.errors = result.errors;
    if (result.builds?.length) file.builds = result.builds;
  } catch (error) {
    addError(file, `${manager.name} manager failed: ${errorMessage(error)}`);
  }
  return file;
}

function addError(file: PackageFile, message: string): void {
  const error: FileError = { message };
  file.errors = [...(file.errors ?? []), error];
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Managers count in UTF-16 code units; scanner output counts bytes, which is what edits apply to. */
function withByteOffsets(file: PackageFile, text: DecodedText): PackageFile {
  const toBytes = byteOffsetMapper(text);
  file.deps = file.deps.map((dep) => withByteRanges(dep, toBytes));
  return file;
}

function withByteRanges(dep: Dependency, toBytes: (offset: number) => number): Dependency {
  const converted = { ...dep };
  if (dep.tagRange) converted.tagRange = toByteRange(dep.tagRange, toBytes);
  if (dep.digestRange) converted.digestRange = toByteRange(dep.digestRange, toBytes);
  return converted;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
