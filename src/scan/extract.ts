// One file's part of a scan, pure: its text → a PackageFile with byte offsets (and, for a Dockerfile, the
// parse model that extraction and lint share), and the lint of that model. A failure is recorded on the
// file rather than thrown.
import type { Config } from '../config/schema.js';
import { byteOffsetMapper, toByteRange, type DecodedText } from '../core/offsets.js';
import type { Dependency, FileError, Finding, Manager, PackageFile } from '../core/types.js';
import { parseDockerfile } from '../dockerfile/parse.js';
import type { Dockerfile } from '../dockerfile/types.js';
import { extractFromDockerfile, manager as dockerfileManager } from '../managers/dockerfile/index.js';
import { lintDockerfile } from '../rules/engine.js';

export interface ExtractedFile {
  file: PackageFile;
  /** The parsed Dockerfile, for its lint; absent for other files and for a Dockerfile that failed. */
  dockerfile?: Dockerfile;
}

export function extractFile(manager: Manager, path: string, text: DecodedText): ExtractedFile {
  const extracted =
    manager === dockerfileManager
      ? extractDockerfile(path, text.text)
      : { file: extractWith(manager, path, text.text) };
  withByteOffsets(extracted.file, text);
  return extracted;
}

/** Parses once; extraction and lint read the same model. */
function extractDockerfile(path: string, text: string): ExtractedFile {
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

export function lintFile(
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

function addError(file: PackageFile, message: string): void {
  const error: FileError = { message };
  file.errors = [...(file.errors ?? []), error];
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Managers count in UTF-16 code units; scanner output counts bytes, which is what edits apply to. */
function withByteOffsets(file: PackageFile, text: DecodedText): void {
  const toBytes = byteOffsetMapper(text);
  file.deps = file.deps.map((dep) => withByteRanges(dep, toBytes));
}

function withByteRanges(dep: Dependency, toBytes: (offset: number) => number): Dependency {
  const converted = { ...dep };
  if (dep.tagRange) converted.tagRange = toByteRange(dep.tagRange, toBytes);
  if (dep.digestRange) converted.digestRange = toByteRange(dep.digestRange, toBytes);
  if (dep.valueRange) converted.valueRange = toByteRange(dep.valueRange, toBytes);
  if (dep.hashesRange) converted.hashesRange = toByteRange(dep.hashesRange, toBytes);
  return converted;
}
