// Shared data model of the scanner. Everything here is plain data: managers produce it, rules and
// renderers consume it, and later stages (planner, editor, reports) build on it.

export type Severity = 'error' | 'warning' | 'info';

/** Half-open range [start, end) of offsets into a file. */
export interface Range {
  start: number;
  end: number;
}

export type SkipReason =
  | 'unresolved-variable' // the reference still contains ${VAR} / {{ … }} after substitution
  | 'invalid-reference' // not a valid distribution reference
  | 'empty' // nothing to look up (empty string)
  | 'build-output' // the name a compose service tags the image it builds with: nothing to pull
  // Application dependencies whose value is not a registry version: never looked up.
  | 'git' // git+https://…, github:owner/repo, a VCS requirement
  | 'url' // a tarball or archive URL
  | 'local' // file:, link:, a path, an editable install
  | 'workspace' // workspace:* and other members of the same repository
  | 'unspecified-version' // no version or range at all (`requests`, `"*"`)
  | 'invalid-value'; // a value the ecosystem's versioning cannot read

/** Where in a file an image reference was found. */
export type DepSource =
  | 'from'
  | 'copy-from'
  | 'mount-from'
  | 'onbuild-from'
  | 'syntax'
  | 'compose-image'
  | 'kubernetes-image'
  | 'helm-values'
  | 'workflow-container'
  | 'workflow-service'
  | 'workflow-uses'
  | 'package-file'; // a key or line of an npm or Python manifest

/**
 * One dependency of any ecosystem. Image references (datasource `docker`, the default when absent) use
 * `registry`…`digestRange`; application dependencies (`npm`, `pypi`) leave those null and use the
 * ecosystem fields below (`packageName`, `currentValue`, `valueRange`, `lockedVersion`, `depType`…).
 */
export interface Dependency {
  /** Normalised name `registry/repository` (e.g. `docker.io/library/node`), or the raw text when invalid; for packages, the name as written. */
  depName: string;
  registry: string | null;
  repository: string | null;
  tag: string | null;
  digest: string | null;
  /** The reference after variable substitution, as it would be pulled. */
  value: string;
  /** 1-based line of the instruction or key that uses the image (the FROM line even when an ARG supplies it). */
  line: number;
  source: DepSource;
  /**
   * Range of the tag text (without the colon); when there is no tag, an empty range where `:tag` would
   * be inserted. Absent when the tag is not one contiguous literal (e.g. built from several variables).
   * Offsets are UTF-16 code units inside a manager, bytes in scanner output (see core/offsets.ts).
   */
  tagRange?: Range;
  /** Range of the digest text `sha256:…` (without the `@`); empty where `@digest` would be inserted. */
  digestRange?: Range;
  /** Name of the ARG whose default value holds the edited text, when the value came from an ARG. */
  arg?: string;
  /** Dockerfile stage that uses the image (name or index). */
  stage?: string;
  /** `--platform` value if given. */
  platform?: string;
  skipReason?: SkipReason;
  /** With `--resolve`: the updates the registry offers, in the planner's order. */
  updates?: DependencyUpdate[];
  /** With `--resolve`: the pinned digest is no longer what the tag points at (DH301). */
  staleDigest?: boolean;
  /** With `--resolve`: why the registry could not answer for this image. */
  lookupError?: string;

  // ---- ecosystem fields (application dependencies; absent on image references) ----
  /** Which datasource looks it up: `docker` (the default), `npm`, `pypi`. */
  datasource?: string;
  /** The versioning scheme of its values: `docker` (the default), `npm`, `pep440`. */
  versioning?: string;
  /** What the datasource looks up when it differs from `depName` (an `npm:` alias's target, a normalised PyPI name). */
  packageName?: string;
  /** The value as written: a range (`^4.18.0`), a specifier (`>=2.31,<3`), a pin (`==2.31.0`). */
  currentValue?: string;
  /** Range of `currentValue` in the file (bytes in scanner output); empty where a value would be inserted. */
  valueRange?: Range;
  /** The version the lockfile resolves it to, when the manager found a lockfile. */
  lockedVersion?: string;
  /** The repository-relative path of that lockfile. */
  lockFile?: string;
  /** Where it is declared: dependencies, devDependencies, optionalDependencies, peerDependencies, overrides, engines, packageManager, requirements, constraints, project, optional:<extra>, group:<name>… */
  depType?: string;
  /** Registries the repository names for it (`.npmrc`, `--index-url`): used only when the operator configured them. */
  registryUrls?: string[];
  /** Python: the environment marker after `;`, kept out of the value. */
  marker?: string;
  /** Python: requested extras (`requests[socks]`). */
  extras?: string[];
  /** requirements files: the `--hash` values pinned with it (hash-checking mode). */
  hashes?: string[];
  /**
   * requirements files: the range of the `--hash` options, from the end of the text before the first one
   * (the requirement, or its last other option) to the end of the last hash value, so that the separator
   * and every continuation between them is inside it. Absent when other options follow the hashes.
   */
  hashesRange?: Range;
  /** The text `hashesRange` holds as written: an edit planned against other bytes is refused. */
  hashesText?: string;
  /** With `--resolve`: a newer release not proposed, and why (its runtime constraint excludes the image's runtime). */
  heldBack?: { version: string; reason: string };
  /**
   * With `--resolve`, packages: what the locked release declares it runs on (`requires-python`,
   * `engines.node`), for the runtime of the image the manifest ships in.
   */
  lockedRuntimeConstraint?: string;
}

export type UpdateKind = 'major' | 'minor' | 'patch' | 'digest' | 'pin' | 'replace';

export interface DependencyUpdate {
  type: UpdateKind;
  /** The new tag, or null when the tag stays. */
  newValue: string | null;
  /** The digest to write (index digest for an index pin, the same platform's manifest otherwise). */
  newDigest: string | null;
  /** When the new image was built (ISO 8601), when it was looked up. */
  releaseTimestamp?: string;
  /** Packages: the version the update moves to (`newValue` is the new range or specifier text, or null when only the lockfile moves). */
  newVersion?: string;
  /** Packages: the written value already admits `newVersion`: only the lockfile changes. */
  isLockfileUpdate?: boolean;
  /**
   * Packages pinned with `--hash`: `sha256:<hex>` of every non-yanked file of `newVersion`, sorted as
   * pip-compile sorts them. A hashed dependency's update without them is never written.
   */
  newHashes?: string[];
}

export interface Finding {
  rule: string; // DH201
  slug: string; // final-stage-root
  severity: Severity;
  path: string; // posix path relative to the scanned directory
  line: number; // 1-based
  endLine?: number;
  message: string;
}

/** A problem with a file that is not a lint finding (unparseable YAML, unreadable file). */
export interface FileError {
  line?: number;
  message: string;
}

/** A build a file declares (compose `build:`): which Dockerfile is built with which context. */
export interface BuildContext {
  service: string;
  /** Repository-relative posix path of the context, or the URL / text as written for remote contexts. */
  context: string;
  /** Repository-relative posix path of the Dockerfile (`<context>/Dockerfile` by default). */
  dockerfile: string;
  /** True for git URLs and other contexts outside the repository. */
  remote: boolean;
  line: number;
}

export interface ExtractResult {
  deps: Dependency[];
  errors?: FileError[];
  builds?: BuildContext[];
}

export interface Manager {
  name: string;
  /** Matched against the posix path relative to the repository root. */
  filePatterns: RegExp[];
  extract(content: string, path: string): ExtractResult;
  /** Manifests that a lockfile completes (npm, Python): how to find and read it. */
  lockfiles?: CompanionFiles;
  /** Files that say where a manifest's packages come from (npm's `.npmrc`). */
  settings?: CompanionFiles;
  /** npm and Python manifests: the runtime their code runs on, looked for in the image built beside them. */
  runtime?: Runtime['kind'];
}

/**
 * Files that complete a manager's manifests (a lockfile, a registry setting): how a manifest finds its
 * own, and what it adds to the manifest's dependencies. Pure.
 */
export interface CompanionFiles {
  /** The files this manager reads (matched against repository-relative paths). */
  filePatterns: RegExp[];
  /** Repository-relative paths where the manifest's file may be, best first (the first found is used). */
  candidates(manifestPath: string): string[];
  /**
   * The manifest's dependencies completed from the file's text (`lockedVersion` and `lockFile` from a
   * lockfile, `registryUrls` from a setting), and the problems found in it (unreadable, contradicting
   * the manifest). `readFile` gives the text of another
   * claimed file of the repository (a workspace root's manifest), when it is there. Never throws.
   */
  apply(
    deps: Dependency[],
    manifestPath: string,
    lockPath: string,
    content: string,
    readFile?: (path: string) => string | undefined,
  ): { deps: Dependency[]; errors: FileError[] };
}

/** The language runtime a manifest's code ships on: the image its Dockerfile builds from. */
export interface Runtime {
  kind: 'node' | 'python';
  /** As precise as the image's tag says: `3.9`, `20.11.1`. */
  version: string;
  /** The image reference as written (`python:3.9-slim`), for messages. */
  image: string;
  /** The Dockerfile FROM that names the image: a new major proposed there changes this runtime. */
  from?: { path: string; line: number };
}

export interface PackageFile {
  path: string;
  manager: string;
  deps: Dependency[];
  errors?: FileError[];
  builds?: BuildContext[];
  /** npm and Python manifests: the runtime of the image built next to them, when there is one. */
  runtime?: Runtime;
}

export interface SkippedFile {
  path: string;
  reason: 'symlink' | 'too-large' | 'binary' | 'unreadable';
}
