// Scans a tree of files — a local directory, or a repository read through GitHub — : every file a
// manager claims is read once, its image references extracted (with byte offsets) and, for Dockerfiles,
// linted. A failure in one file is recorded on that file.
//
// Memory does not grow with the tree: a first pass reads the small files that say how Dockerfiles are
// built (.dockerignore, compose `build:`), then every other file is read, extracted, resolved and linted
// in turn, a few at a time, and only its results (deps, findings, errors) are kept — never its text or
// parse model.
import type { Config } from '../config/schema.js';
import { detached } from '../core/detached.js';
import { eachLimited } from '../core/each-limited.js';
import { decodeText } from '../core/offsets.js';
import type { CompanionFiles, Finding, Manager, PackageFile, SkippedFile } from '../core/types.js';
import { manager as composeManager } from '../managers/compose/index.js';
import { manager as dockerfileManager } from '../managers/dockerfile/index.js';
import { isCompanionFile, isLockfile, managerFor } from '../managers/index.js';
import { BuildContexts } from './build-contexts.js';
import { CompanionTexts } from './companion-texts.js';
import { isDockerignore } from './dockerignore.js';
import { extractFile, lintFile, type ExtractedFile } from './extract.js';
import { pathMatcher } from './glob.js';
import { Runtimes } from './runtimes.js';
import {
  isSkipped,
  MAX_FILE_BYTES,
  MAX_LOCKFILE_BYTES,
  readCandidate,
  walk,
  type CandidateFile,
  type ReadFile,
  type WalkEntry,
} from './walk.js';

/**
 * Files in flight at once in the second pass. They overlap only while `resolve` waits on registries;
 * without it each file is done before the next starts.
 */
const FILES_IN_FLIGHT = 8;

/** A file for the second pass; compose files come already extracted (the first pass needed them). */
interface SecondPassItem {
  candidate: CandidateFile;
  manager: Manager;
  file?: PackageFile;
}

export interface ScanResult {
  /** Every Dockerfile, and every other claimed file in which a manager found an image or an error. */
  files: PackageFile[];
  findings: Finding[];
  skipped: SkippedFile[];
}

export interface ScanOptions {
  /**
   * Runs on each kept file between its extraction and its lint (one file per call, a few files at once),
   * e.g. `--resolve` recording updates and stale digests on deps.
   */
  resolve?: (files: PackageFile[]) => Promise<void>;
  /** Sees the bytes of every file the scan reads (`fix` fingerprints them to notice later changes). */
  onRead?: (path: string, bytes: Buffer) => void;
}

/** Where the files come from: the claimed files (and skipped entries), and their bytes. */
export interface FileSource {
  list(): WalkEntry[];
  read(file: CandidateFile): ReadFile | SkippedFile;
}

/** Lockfiles may be larger than the files Dockhand parses whole. */
export const maxBytesFor = (path: string): number => (isLockfile(path) ? MAX_LOCKFILE_BYTES : MAX_FILE_BYTES);

/** Files the scan reads: those a manager claims, the .dockerignore files linting needs, lockfiles. */
const claimed = (path: string): boolean =>
  isDockerignore(path) || isCompanionFile(path) || managerFor(path) !== undefined;

export function directorySource(dir: string, ignored: (path: string) => boolean): FileSource {
  return {
    list: () => walk(dir, { claims: claimed, ignored, maxBytes: maxBytesFor }),
    read: (file) => readCandidate(dir, file),
  };
}

/** Files already in memory (a repository read through the GitHub API), with what the reader skipped. */
export function memorySource(
  files: readonly { path: string; bytes: Uint8Array }[],
  skipped: readonly SkippedFile[],
  ignored: (path: string) => boolean,
): FileSource {
  // Views, not copies: the caller holds these bytes anyway.
  const bytes = new Map(
    files.map((f) => [f.path, Buffer.from(f.bytes.buffer, f.bytes.byteOffset, f.bytes.byteLength)]),
  );
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

  // First pass: how Dockerfiles are built. Ignore files and compose files are few and small.
  const contexts = new BuildContexts();
  for (const entry of skipped)
    if (isDockerignore(entry.path)) contexts.addDockerignore(entry.path, undefined);
  // Lockfiles and settings are read when their manifest is (lockfiles can be large).
  const companions = new CompanionTexts(
    new Map(
      walked
        .filter((entry) => !isSkipped(entry) || isCompanionFile(entry.path))
        .map((entry) => [entry.path, entry]),
    ),
    readFile,
  );
  const secondPass: SecondPassItem[] = [];
  for (const candidate of candidates) {
    if (isCompanionFile(candidate.path)) continue;
    if (isDockerignore(candidate.path)) {
      const read = readFile(candidate);
      contexts.addDockerignore(candidate.path, isSkipped(read) ? undefined : decodeText(read.bytes).text);
      continue;
    }
    const manager = managerFor(candidate.path)!;
    if (manager !== composeManager) {
      secondPass.push({ candidate, manager });
      continue;
    }
    const read = readFile(candidate);
    if (isSkipped(read)) {
      skipped.push(read);
      continue;
    }
    const file = detached(extractFile(manager, read.path, decodeText(read.bytes)).file);
    contexts.addBuilds(file.builds ?? []);
    secondPass.push({ candidate, manager, file });
  }

  // Second pass, in path order: each file read, extracted, resolved and linted; only its results stay.
  // npm and Python manifests come last: the images built beside them say which runtime they run on.
  const files: PackageFile[] = [];
  const findings: Finding[] = [];
  const runtimes = new Runtimes();
  const scanFile = async ({ candidate, manager, file: extractedBefore }: SecondPassItem): Promise<void> => {
    let extracted: ExtractedFile;
    if (extractedBefore) {
      extracted = { file: extractedBefore };
    } else {
      const read = readFile(candidate);
      if (isSkipped(read)) {
        skipped.push(read);
        return;
      }
      extracted = extractFile(manager, read.path, decodeText(read.bytes));
    }
    const { file, dockerfile } = extracted;
    if (manager !== dockerfileManager && file.deps.length === 0 && !file.errors && !file.builds) return;
    for (const support of [manager.settings, manager.lockfiles])
      if (support) applyCompanion(file, support, companions);
    if (manager.runtime) {
      const runtime = runtimes.for(file.path, manager.runtime);
      if (runtime) file.runtime = runtime;
    }
    if (options.resolve) await options.resolve([file]);
    // Lint after resolving: registry rules (DH301) read what the lookups recorded on the deps.
    if (dockerfile) {
      const dockerignore = contexts.dockerignoreFor(file.path);
      findings.push(...detached(lintFile(file, dockerfile, config, dockerignore)));
      runtimes.addDockerfile(file, contexts.contextOf(file.path));
    }
    files.push(detached(file));
  };
  const isManifest = (item: SecondPassItem) => item.manager.runtime !== undefined;
  await eachLimited(
    secondPass.filter((item) => !isManifest(item)),
    FILES_IN_FLIGHT,
    scanFile,
  );
  await eachLimited(secondPass.filter(isManifest), FILES_IN_FLIGHT, scanFile);

  return {
    files: files.sort((a, b) => compare(a.path, b.path)),
    findings: findings.sort((a, b) => compare(a.path, b.path) || a.line - b.line || compare(a.rule, b.rule)),
    skipped: skipped.sort((a, b) => compare(a.path, b.path)),
  };
}

/** The manifest's first companion file found: what it adds on the deps, its problems on the manifest. */
function applyCompanion(file: PackageFile, support: CompanionFiles, companions: CompanionTexts): void {
  const companionPath = support
    .candidates(file.path)
    .find((path) => isCompanionFile(path) && companions.has(path));
  if (companionPath === undefined) return;
  const text = companions.read(companionPath)!;
  if (typeof text !== 'string') {
    file.errors = [...(file.errors ?? []), { message: `${companionPath}: not read (${text.reason})` }];
    return;
  }
  const readOther = (path: string): string | undefined => {
    const other = companions.read(path);
    return typeof other === 'string' ? other : undefined;
  };
  const applied = support.apply(file.deps, file.path, companionPath, text, readOther);
  file.deps = applied.deps;
  if (applied.errors.length)
    file.errors = [
      ...(file.errors ?? []),
      // Lines are the lockfile's: they go into the message, not onto the manifest's lines.
      ...applied.errors.map((error) => ({
        message: `${companionPath}${error.line !== undefined ? `:${error.line}` : ''}: ${error.message}`,
      })),
    ];
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
