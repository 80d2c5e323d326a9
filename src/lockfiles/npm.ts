// Regenerates package-lock.json / npm-shrinkwrap.json with the real npm, without running repository code
// (issue 10 §5). The repository's files arrive as strings and are written into a throwaway sandbox:
//
//   <sandbox>/project/{package.json, <lockName>, .npmrc}   npm's cwd and prefix — nothing else
//   <sandbox>/cache/                                        npm's cache, new each run
//   <sandbox>/global-npmrc                                  empty: the machine's global config is not read
//
// `--package-lock-only` resolves from registry metadata (packuments) and writes the lock; it neither
// downloads tarballs nor builds node_modules. `--ignore-scripts` keeps lifecycle scripts (the manifest's
// and, for git dependencies, the packages') from running. The environment is built from scratch
// (sandbox.ts), the sandbox is removed whatever happens.
//
// Workspaces: npm, not finding a member, silently drops it from the lock (seen with npm 11.19). So a root
// that declares `workspaces` comes with its members' package.json files (npm-workspaces.ts), written at
// their relative paths, and npm runs with `--workspaces --include-workspace-root`; without members given
// such a root is refused. Local path specs are allowed only where they name a member. A root without
// workspaces runs with `--workspaces=false`.
//
// The npm version: the root's `packageManager: npm@X.Y.Z` when it differs from the shipped npm, fetched
// (from the operator's registry, else registry.npmjs.org — never a registry the repository's .npmrc
// names, since the fetched npm is code that runs here) and cached by npm-version.ts; when that cannot be
// done the shipped npm runs and the result's notes say why.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { findNpmCli } from './npm-cli.js';
import { chooseNpmCli, type NpmVersionOptions } from './npm-version.js';
import { unsafePath, workspacePatterns, type WorkspaceMember } from './npm-workspaces.js';
import { sanitizeNpmrc } from './npmrc.js';
import { describeOutcome, safeTail } from './outcome.js';
import { runSandboxed, sandboxEnv } from './sandbox.js';

export type NpmLockName = 'package-lock.json' | 'npm-shrinkwrap.json';

export interface NpmLockInput {
  /** package.json text after Dockhand's edit. */
  manifest: string;
  /** The current lockfile text. */
  lockfile: string;
  /**
   * Lock file maintenance: resolve every package afresh within the manifest's ranges instead of keeping
   * the locked versions (the lockfile is read for its format only).
   */
  fresh?: boolean;
  lockName: NpmLockName;
  /** The repository's .npmrc: only its registry lines are kept (npmrc.ts). */
  npmrc?: string;
  /** The operator's registry; replaces the repository's `registry=`. */
  registry?: string;
  /** Default 120 000. */
  timeoutMs?: number;
  /** stdout and stderr together. Default 1 MiB. */
  maxOutputBytes?: number;
  /** npm-cli.js to run instead of the one found beside Dockhand's Node (npm-cli.ts). */
  npmCli?: string;
  /** Where the sandbox directory is created. Default os.tmpdir(). */
  tmpRoot?: string;
  /**
   * The workspace members of a root that declares `workspaces` (npm-workspaces.ts), paths relative to
   * the root. Required for such a root.
   */
  workspaceMembers?: readonly WorkspaceMember[];
  /** How a `packageManager` npm pin is fetched and cached (npm-version.ts). Ignored with `npmCli`. */
  npmVersions?: NpmVersionOptions;
}

export type NpmLockResult =
  | {
      ok: true;
      lockfile: string;
      /** What the caller should tell (the pinned npm could not be used…). */
      notes?: string[];
    }
  | { ok: false; reason: string };

type Manifest = Record<string, unknown>;

function parseManifest(text: string, what: string): Manifest | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return `${what} is not valid JSON`;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return `${what} is not a JSON object`;
  }
  return parsed as Manifest;
}

/** Why the manifests cannot be handled here, or undefined. */
function refuse(manifest: string, members: readonly WorkspaceMember[] | undefined): string | undefined {
  const root = parseManifest(manifest, 'package.json');
  if (typeof root === 'string') return root;
  const patterns = workspacePatterns(root);
  if (patterns && !Array.isArray(patterns)) return `${patterns.reason}; the lockfile was not updated`;
  if (patterns && !members) {
    return "npm workspaces need their members' package.json files, which were not given; the lockfile was not updated";
  }
  const manifests: [dir: string, manifest: Manifest][] = [['', root]];
  const memberDirs = new Set<string>();
  for (const member of patterns ? (members ?? []) : []) {
    const escape = unsafePath(member.path);
    if (escape) return `workspace member ${JSON.stringify(member.path)} ${escape}`;
    const parsed = parseManifest(member.manifest, `${member.path}/package.json`);
    if (typeof parsed === 'string') return parsed;
    manifests.push([posix.normalize(member.path), parsed]);
    memberDirs.add(posix.normalize(member.path));
  }
  const local: string[] = [];
  const remote: string[] = [];
  for (const [dir, parsed] of manifests) {
    for (const [name, spec] of localSpecs(parsed)) {
      if (!memberDirs.has(localTarget(dir, spec) ?? '')) local.push(`${name}@${spec}`);
    }
    // The root's remote specs were refused from the scan; members' were not scanned with it.
    if (dir !== '') remote.push(...remoteSpecs(parsed).map(([name, spec]) => `${name}@${spec}`));
  }
  if (local.length) {
    return `local path dependencies cannot be resolved in the sandbox (${local.slice(0, 3).join(', ')}); the lockfile was not updated`;
  }
  if (remote.length) {
    return `workspace members depend on git or URL sources npm would fetch (${remote.slice(0, 3).join(', ')}); the lockfile was not updated`;
  }
  return undefined;
}

/** The root-relative directory a local spec in the manifest at `dir` points at, or undefined. */
function localTarget(dir: string, spec: string): string | undefined {
  const path = spec
    .trim()
    .replace(/^(file|link):/, '')
    .replace(/\/+$/, '');
  if (path.startsWith('/') || path.startsWith('~')) return undefined;
  const target = posix.normalize(posix.join(dir, path));
  return target === '.' || target.startsWith('..') ? undefined : target;
}

const DEPENDENCY_FIELDS = [
  'dependencies',
  'devDependencies',
  'optionalDependencies',
  'peerDependencies',
  'overrides',
];
// file:, link: and bare paths: the sandbox has no sibling directories, and an absolute one would have npm
// read the machine Dockhand runs on.
const LOCAL_SPEC = /^(file:|link:|\.{0,2}\/|~\/)/;

// git, hosted-git shorthands (`github:`, `user/repo`) and tarball URLs.
const REMOTE_SPEC = /^(git\+|git:|github:|gitlab:|bitbucket:|gist:|https?:|[^@:/\s]+\/[^\s]+$)/;

/** `[name, spec]` for each spec `test` accepts, overrides' nested objects included. */
function specs(manifest: Manifest, test: RegExp): [string, string][] {
  const found: [string, string][] = [];
  const walk = (deps: unknown) => {
    if (typeof deps !== 'object' || deps === null) return;
    for (const [name, spec] of Object.entries(deps)) {
      if (typeof spec === 'string') {
        if (test.test(spec.trim())) found.push([name, spec]);
      } else walk(spec);
    }
  };
  for (const field of DEPENDENCY_FIELDS) if (Object.hasOwn(manifest, field)) walk(manifest[field]);
  return found;
}

const localSpecs = (manifest: Manifest) => specs(manifest, LOCAL_SPEC);
const remoteSpecs = (manifest: Manifest) =>
  specs(manifest, REMOTE_SPEC).filter(([, spec]) => !LOCAL_SPEC.test(spec.trim()));

/**
 * `--lockfile-version=N` for the lock's own format: npm would rewrite a v1 lock as v3, which the npm 6 a
 * repository with a v1 lock may still use in CI cannot read.
 */
function lockfileVersionArgs(lockfile: string): string[] {
  try {
    const version = (JSON.parse(lockfile) as { lockfileVersion?: unknown }).lockfileVersion;
    return version === 1 || version === 2 || version === 3 ? [`--lockfile-version=${version}`] : [];
  } catch {
    return [];
  }
}

function npmArgs(npmCli: string, sandbox: string, lockfile: string, workspaces: boolean): string[] {
  return [
    npmCli,
    'install',
    '--package-lock-only',
    '--ignore-scripts',
    '--no-audit',
    '--no-fund',
    '--no-update-notifier',
    ...(workspaces ? ['--workspaces', '--include-workspace-root'] : ['--workspaces=false']),
    '--userconfig',
    join(sandbox, 'project', '.npmrc'),
    '--globalconfig',
    join(sandbox, 'global-npmrc'),
    '--cache',
    join(sandbox, 'cache'),
    '--logs-max=0',
    '--no-progress',
    '--color=false',
    ...lockfileVersionArgs(lockfile),
  ];
}

const DEFAULT_REGISTRY = 'https://registry.npmjs.org/';

export async function regenerateNpmLockfile(input: NpmLockInput): Promise<NpmLockResult> {
  const limits = {
    timeoutMs: input.timeoutMs ?? 120_000,
    maxOutputBytes: input.maxOutputBytes ?? 1024 * 1024,
  };
  const refused = refuse(input.manifest, input.workspaceMembers);
  if (refused) return { ok: false, reason: refused };
  const workspaces = Object.hasOwn(JSON.parse(input.manifest) as Manifest, 'workspaces');
  let npmrc: string;
  try {
    npmrc = sanitizeNpmrc(input.npmrc, input.registry);
  } catch (error) {
    return { ok: false, reason: (error as Error).message };
  }
  const notes: string[] = [];
  let npmCli = input.npmCli;
  if (!npmCli) {
    const shipped = findNpmCli();
    if (!shipped) return { ok: false, reason: 'npm is not installed beside the Node that runs Dockhand' };
    // The pinned npm is code that runs here: it comes from the operator's registry or npm's, never from
    // one the repository's .npmrc names.
    const chosen = await chooseNpmCli(input.manifest, shipped, {
      registry: input.registry ?? DEFAULT_REGISTRY,
      ...input.npmVersions,
    });
    npmCli = chosen.npmCli;
    if (chosen.note) notes.push(chosen.note);
  }

  const sandbox = await mkdtemp(join(input.tmpRoot ?? tmpdir(), 'dockhand-npm-lock-'));
  try {
    const project = join(sandbox, 'project');
    await mkdir(project);
    await mkdir(join(sandbox, 'cache'));
    await writeFile(join(sandbox, 'global-npmrc'), '');
    await writeFile(join(project, 'package.json'), input.manifest);
    for (const member of workspaces ? (input.workspaceMembers ?? []) : []) {
      const dir = join(project, ...posix.normalize(member.path).split('/'));
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, 'package.json'), member.manifest);
    }
    if (!input.fresh) await writeFile(join(project, input.lockName), input.lockfile);
    await writeFile(join(project, '.npmrc'), npmrc);
    const env = sandboxEnv({
      home: sandbox,
      extra: {
        npm_config_ignore_scripts: 'true',
        npm_config_update_notifier: 'false',
        npm_config_audit: 'false',
        npm_config_fund: 'false',
      },
    });
    const outcome = await runSandboxed(
      process.execPath,
      npmArgs(npmCli, sandbox, input.lockfile, workspaces),
      {
        cwd: project,
        env,
        ...limits,
      },
    );
    if (outcome.kind !== 'exit' || outcome.code !== 0) {
      return {
        ok: false,
        reason: describeOutcome(outcome, {
          tool: 'npm',
          command: 'npm install --package-lock-only',
          limits,
          sandbox,
        }),
      };
    }
    const lockfile = await readFile(join(project, input.lockName), 'utf8');
    try {
      JSON.parse(lockfile);
    } catch {
      return { ok: false, reason: `npm exited successfully but left ${input.lockName} unreadable` };
    }
    return { ok: true, lockfile, ...(notes.length && { notes }) };
  } catch (error) {
    return {
      ok: false,
      reason: `lockfile regeneration failed: ${safeTail((error as Error).message, sandbox)}`,
    };
  } finally {
    await rm(sandbox, { recursive: true, force: true });
  }
}
