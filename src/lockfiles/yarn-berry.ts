// Regenerates a Berry (yarn 2+) yarn.lock with the real yarn 4 (this project's `@yarnpkg/cli-dist`, run
// by Dockhand's Node), without running repository code (issue 10 §5). The sandbox:
//
//   <sandbox>/project/{package.json, yarn.lock, .dockhand-yarnrc.yml}   yarn's cwd
//   <sandbox>/cache/, <sandbox>/global/                                 yarn's caches, new each run
//
// `YARN_RC_FILENAME` names the only rc file yarn looks for (in the project, its ancestors and HOME, the
// sandbox): ours, with the registry settings alone. The repository's .yarnrc.yml is read for two things
// only: it is refused when it sets `yarnPath` or `plugins` (code of the repository yarn would load) or
// `packageExtensions` (which shape the lock and are not copied), and, when the operator gave no
// registry, its `npmRegistryServer` and `npmScopes.*.npmRegistryServer` are kept.
//
// `--mode=update-lockfile` resolves and fetches (the lock's checksums are of the archives, so the
// tarballs are downloaded into the sandbox's cache) but links nothing, so no build step comes: that is
// what keeps the project's own pre/post/install scripts from running (`YARN_ENABLE_SCRIPTS=0` covers the
// packages' scripts only; a test installs with it and still sees the root's scripts run). The lock keeps its format: yarn 4.18 writes `__metadata.version` 10, so a lock of another
// version is refused rather than rewritten, and the cacheKey (`10c0`, or `10` from compressionLevel
// mixed) is kept by setting the compression level it stands for.
//
// Lock file maintenance (`refresh`): yarn gets an empty yarn.lock, so every range resolves to the newest
// version it admits (`yarn up -R '*'` would rewrite the manifest's ranges); the old lock's __metadata is
// still checked and its cacheKey kept, and the new lock must have the same __metadata.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseSyml } from '@yarnpkg/parsers';
import { parse as parseYaml } from 'yaml';
import { plainRegistryUrl } from './npmrc.js';
import { sandboxEnv } from './sandbox.js';
import {
  checkManifest,
  httpHosts,
  limitsOf,
  runTool,
  toolEntry,
  withSandbox,
  type ToolLockInput,
  type ToolLockResult,
} from './yarn-common.js';

export interface YarnBerryLockInput extends ToolLockInput {
  /** The repository's .yarnrc.yml. */
  yarnrcYml?: string;
}

/** The `__metadata.version` the yarn Dockhand ships writes. */
export const BERRY_LOCKFILE_VERSION = 10;
const RC_FILENAME = '.dockhand-yarnrc.yml';

interface Metadata {
  version: number;
  cacheKey: string;
}

/** The lock's `__metadata`, or why it cannot be read. */
export function berryMetadata(lockfile: string): Metadata | string {
  let parsed: Record<string, unknown>;
  try {
    parsed = parseSyml(lockfile) as Record<string, unknown>;
  } catch (error) {
    return `yarn.lock cannot be read: ${(error as Error).message.split('\n')[0]}`;
  }
  const metadata = parsed.__metadata as { version?: unknown; cacheKey?: unknown } | undefined;
  const version = Number(metadata?.version);
  if (!metadata || !Number.isInteger(version)) return 'yarn.lock has no __metadata.version';
  return { version, cacheKey: String(metadata.cacheKey ?? '') };
}

/** YARN_COMPRESSION_LEVEL that makes yarn 4 write `cacheKey`, or undefined when it cannot. */
function compressionFor(cacheKey: string): string | undefined {
  const match = /^10(?:c(\d))?$/.exec(cacheKey);
  if (!match) return undefined;
  return match[1] ?? 'mixed';
}

interface Registries {
  server?: string;
  scopes: Record<string, string>;
}

/** Refusal reason, or the registries the repository's .yarnrc.yml names (plain URLs only). */
export function readYarnrcYml(text: string | undefined): Registries | string {
  const registries: Registries = { scopes: {} };
  if (text === undefined || !text.trim()) return registries;
  let config: unknown;
  try {
    config = parseYaml(text);
  } catch {
    return '.yarnrc.yml is not valid YAML; the lockfile was not updated';
  }
  if (config === null || config === undefined) return registries;
  if (typeof config !== 'object' || Array.isArray(config)) return '.yarnrc.yml is not a mapping';
  const rc = config as Record<string, unknown>;
  if (Object.hasOwn(rc, 'yarnPath'))
    return '.yarnrc.yml sets yarnPath: the repository runs its own yarn, which Dockhand does not execute; the lockfile was not updated';
  if (Object.hasOwn(rc, 'plugins'))
    return '.yarnrc.yml loads plugins, which Dockhand does not execute; the lockfile was not updated';
  if (Object.hasOwn(rc, 'packageExtensions'))
    return '.yarnrc.yml sets packageExtensions, which lockfile regeneration does not carry over yet; the lockfile was not updated';
  if (typeof rc.npmRegistryServer === 'string') {
    const url = plainRegistryUrl(rc.npmRegistryServer);
    if (url) registries.server = url;
  }
  if (rc.npmScopes && typeof rc.npmScopes === 'object') {
    for (const [scope, settings] of Object.entries(rc.npmScopes as Record<string, unknown>)) {
      const server = (settings as { npmRegistryServer?: unknown } | null)?.npmRegistryServer;
      const url = typeof server === 'string' ? plainRegistryUrl(server) : undefined;
      if (url && /^[a-z0-9][a-z0-9._~-]*$/i.test(scope)) registries.scopes[scope] = url;
    }
  }
  return registries;
}

export async function regenerateYarnBerryLockfile(input: YarnBerryLockInput): Promise<ToolLockResult> {
  const limits = limitsOf(input);
  const checked = checkManifest(input.manifest, 'yarn');
  if (!checked.ok) return checked;
  const rc = readYarnrcYml(input.yarnrcYml);
  if (typeof rc === 'string') return { ok: false, reason: rc };

  let before: Metadata | undefined;
  if (input.lockfile.trim()) {
    const metadata = berryMetadata(input.lockfile);
    if (typeof metadata === 'string') return { ok: false, reason: metadata };
    if (metadata.version !== BERRY_LOCKFILE_VERSION)
      return {
        ok: false,
        reason: `yarn.lock is __metadata.version ${metadata.version}; the yarn Dockhand runs writes version ${BERRY_LOCKFILE_VERSION}, so the lockfile was not updated rather than have its format changed`,
      };
    if (compressionFor(metadata.cacheKey) === undefined)
      return {
        ok: false,
        reason: `yarn.lock has cacheKey ${metadata.cacheKey}, which the yarn Dockhand runs does not write; the lockfile was not updated`,
      };
    before = metadata;
  }

  let server: string | undefined;
  let scopes: Record<string, string> = {};
  if (input.registry !== undefined) {
    // The operator's registry replaces the repository's settings entirely.
    server = plainRegistryUrl(input.registry);
    if (!server) return { ok: false, reason: 'the configured npm registry is not a plain http(s) URL' };
  } else {
    server = rc.server;
    scopes = rc.scopes;
  }
  const cli = input.cli ?? toolEntry('@yarnpkg/cli-dist', 'bin/yarn.js');
  if (!cli) return { ok: false, reason: 'yarn 4 (@yarnpkg/cli-dist) is not installed beside Dockhand' };

  return withSandbox('dockhand-berry-lock-', input.tmpRoot, async (sandbox) => {
    const project = join(sandbox, 'project');
    await mkdir(project);
    const settings = {
      npmScopes: Object.fromEntries(
        Object.entries(scopes).map(([scope, url]) => [scope, { npmRegistryServer: url }]),
      ),
      unsafeHttpWhitelist: httpHosts([...(server ? [server] : []), ...Object.values(scopes)]),
    };
    // JSON is YAML.
    await writeFile(join(project, RC_FILENAME), `${JSON.stringify(settings, null, 2)}\n`);
    await writeFile(join(project, 'package.json'), input.manifest);
    await writeFile(join(project, 'yarn.lock'), input.refresh ? '' : input.lockfile);
    const env = sandboxEnv({
      home: sandbox,
      extra: {
        YARN_RC_FILENAME: RC_FILENAME,
        YARN_IGNORE_PATH: '1',
        YARN_ENABLE_SCRIPTS: '0',
        YARN_ENABLE_GLOBAL_CACHE: '0',
        YARN_CACHE_FOLDER: join(sandbox, 'cache'),
        YARN_GLOBAL_FOLDER: join(sandbox, 'global'),
        YARN_ENABLE_TELEMETRY: '0',
        YARN_ENABLE_IMMUTABLE_INSTALLS: '0',
        YARN_ENABLE_CONSTRAINTS_CHECKS: '0',
        YARN_ENABLE_PROGRESS_BARS: '0',
        YARN_ENABLE_COLORS: '0',
        YARN_ENABLE_HYPERLINKS: '0',
        // Yarn 4's default holds back versions younger than a day; Dockhand decides what to propose.
        YARN_NPM_MINIMAL_AGE_GATE: '0',
        YARN_COMPRESSION_LEVEL: before ? compressionFor(before.cacheKey)! : '0',
        ...(server !== undefined && { YARN_NPM_REGISTRY_SERVER: server }),
      },
    });
    const failed = await runTool(
      'yarn',
      'yarn install --mode=update-lockfile',
      [cli, 'install', '--mode=update-lockfile'],
      { cwd: project, env, sandbox, limits },
    );
    if (failed) return { ok: false, reason: failed };
    const lockfile = await readFile(join(project, 'yarn.lock'), 'utf8');
    const after = berryMetadata(lockfile);
    if (typeof after === 'string') return { ok: false, reason: `yarn exited successfully but ${after}` };
    if (before && (after.version !== before.version || after.cacheKey !== before.cacheKey))
      return {
        ok: false,
        reason: `yarn would change yarn.lock's format (__metadata ${before.version}/${before.cacheKey} to ${after.version}/${after.cacheKey}); the lockfile was not updated`,
      };
    return { ok: true, lockfile };
  });
}
