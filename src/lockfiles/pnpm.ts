// The pnpm-lock.yaml relocker: the real pnpm 10 (this project's `pnpm` dependency, run by Dockhand's
// Node) in a throwaway sandbox, without running repository code (issue 10 §5):
//
//   <sandbox>/project/{package.json, pnpm-lock.yaml, .npmrc}   pnpm's cwd; .npmrc holds registry lines only
//   <sandbox>/store/, cache/, state/, xdg/                     pnpm's store, caches and config home
//
// `install --lockfile-only` resolves from registry metadata and writes the lock (no tarball, no
// node_modules); `--ignore-scripts --ignore-pnpmfile` keep scripts and .pnpmfile.cjs from running.
// pnpm would switch itself to the version a `packageManager` field names (downloading and running it):
// manage-package-manager-versions is off. The lock keeps its format: pnpm 10 writes lockfileVersion 9.0
// and would rewrite a 6.0 lock as 9.0, so another version is refused; the lock's `settings` are passed
// back to pnpm so that they stay as they are. Workspaces (a `workspaces` field, pnpm-workspace.yaml, a
// lock with importers other than `.`) are refused: the sandbox holds the root manifest only.
//
// Lock file maintenance (`refresh`): pnpm gets no lock, so every range resolves to the newest version it
// admits (`pnpm update` would rewrite the manifest's specifiers); the old lock is still checked, its
// settings passed on, and the new lock must keep them.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { sanitizeNpmrc } from './npmrc.js';
import { remoteDependency, type Relocker } from './request.js';
import { sandboxEnv } from './sandbox.js';
import {
  checkManifest,
  limitsOf,
  runTool,
  toolEntry,
  withSandbox,
  type ToolLockInput,
  type ToolLockResult,
} from './yarn-common.js';

export interface PnpmLockInput extends ToolLockInput {
  /** The repository's .npmrc: only its registry lines are kept (npmrc.ts). */
  npmrc?: string;
  /** pnpm-workspace.yaml beside the manifest, when there is one: refused. */
  workspaceYaml?: string;
}

/** The lockfileVersion pnpm 10 writes. */
export const PNPM_LOCKFILE_VERSION = '9.0';

interface PnpmLock {
  lockfileVersion?: unknown;
  settings?: Record<string, unknown>;
  importers?: Record<string, unknown>;
}

/** The parsed lock, or why it is refused. */
function readLock(text: string): PnpmLock | string {
  let lock: unknown;
  try {
    lock = parseYaml(text);
  } catch {
    return 'pnpm-lock.yaml is not valid YAML; the lockfile was not updated';
  }
  if (lock === null || lock === undefined) return {};
  if (typeof lock !== 'object' || Array.isArray(lock)) return 'pnpm-lock.yaml is not a mapping';
  const parsed = lock as PnpmLock;
  const version = String(parsed.lockfileVersion);
  if (version !== PNPM_LOCKFILE_VERSION && version !== '9')
    return `pnpm-lock.yaml is lockfileVersion ${version}; the pnpm Dockhand runs (10) writes ${PNPM_LOCKFILE_VERSION}, so the lockfile was not updated rather than have its format changed`;
  const importers = Object.keys(parsed.importers ?? {}).filter((key) => key !== '.');
  if (importers.length)
    return `pnpm workspaces are not supported by lockfile regeneration yet (the lock has importers ${importers.slice(0, 3).join(', ')}); the lockfile was not updated`;
  return parsed;
}

/** The lock's settings as pnpm options, so pnpm writes them back unchanged. */
function settingsArgs(settings: Record<string, unknown> | undefined): string[] {
  const args: string[] = [];
  const flags: Record<string, string> = {
    autoInstallPeers: 'auto-install-peers',
    excludeLinksFromLockfile: 'exclude-links-from-lockfile',
    peersSuffixMaxLength: 'peers-suffix-max-length',
    injectWorkspacePackages: 'inject-workspace-packages',
  };
  for (const [key, flag] of Object.entries(flags)) {
    const value = settings?.[key];
    if (typeof value === 'boolean' || typeof value === 'number') args.push(`--config.${flag}=${value}`);
  }
  return args;
}

export async function regeneratePnpmLockfile(input: PnpmLockInput): Promise<ToolLockResult> {
  const limits = limitsOf(input);
  const checked = checkManifest(input.manifest, 'pnpm');
  if (!checked.ok) return checked;
  if (input.workspaceYaml !== undefined)
    return {
      ok: false,
      reason:
        'pnpm-workspace.yaml is present: pnpm workspaces and workspace settings are not supported by lockfile regeneration yet; the lockfile was not updated',
    };
  const lock = input.lockfile.trim() ? readLock(input.lockfile) : {};
  if (typeof lock === 'string') return { ok: false, reason: lock };
  let npmrc: string;
  try {
    npmrc = sanitizeNpmrc(input.npmrc, input.registry);
  } catch (error) {
    return { ok: false, reason: (error as Error).message };
  }
  const cli = input.cli ?? toolEntry('pnpm', 'bin/pnpm.cjs');
  if (!cli) return { ok: false, reason: 'pnpm is not installed beside Dockhand' };

  return withSandbox('dockhand-pnpm-lock-', input.tmpRoot, async (sandbox) => {
    const project = join(sandbox, 'project');
    await mkdir(project);
    await writeFile(join(sandbox, 'global-npmrc'), '');
    await writeFile(join(project, 'package.json'), input.manifest);
    if (!input.refresh) await writeFile(join(project, 'pnpm-lock.yaml'), input.lockfile);
    await writeFile(join(project, '.npmrc'), npmrc);
    const env = sandboxEnv({
      home: sandbox,
      extra: {
        XDG_CONFIG_HOME: join(sandbox, 'xdg', 'config'),
        XDG_DATA_HOME: join(sandbox, 'xdg', 'data'),
        XDG_CACHE_HOME: join(sandbox, 'xdg', 'cache'),
        XDG_STATE_HOME: join(sandbox, 'xdg', 'state'),
        npm_config_globalconfig: join(sandbox, 'global-npmrc'),
        npm_config_userconfig: join(sandbox, 'user-npmrc'),
        npm_config_ignore_scripts: 'true',
        npm_config_manage_package_manager_versions: 'false',
        npm_config_package_manager_strict: 'false',
        npm_config_update_notifier: 'false',
      },
    });
    const args = [
      cli,
      'install',
      '--lockfile-only',
      '--ignore-scripts',
      '--ignore-pnpmfile',
      '--no-frozen-lockfile',
      '--prefer-offline=false',
      '--reporter=append-only',
      '--color=false',
      '--store-dir',
      join(sandbox, 'store'),
      '--cache-dir',
      join(sandbox, 'cache'),
      `--config.state-dir=${join(sandbox, 'state')}`,
      '--config.manage-package-manager-versions=false',
      '--config.confirm-modules-purge=false',
      ...settingsArgs((lock as PnpmLock).settings),
    ];
    const failed = await runTool('pnpm', 'pnpm install --lockfile-only', args, {
      cwd: project,
      env,
      sandbox,
      limits,
    });
    if (failed) return { ok: false, reason: failed };
    const lockfile = await readFile(join(project, 'pnpm-lock.yaml'), 'utf8');
    const after = readLock(lockfile);
    if (typeof after === 'string') return { ok: false, reason: `pnpm exited successfully but ${after}` };
    const settings = (lock as PnpmLock).settings;
    if (input.refresh && settings && JSON.stringify(after.settings) !== JSON.stringify(settings))
      return {
        ok: false,
        reason: `pnpm would change pnpm-lock.yaml's settings (${JSON.stringify(settings)} to ${JSON.stringify(after.settings)}); the lockfile was not updated`,
      };
    return { ok: true, lockfile };
  });
}

export const relockPnpm: Relocker = async (request) => {
  const dir = posix.dirname(request.manifestPath);
  if (posix.dirname(request.lockPath) !== dir)
    return { ok: false, reason: 'Dockhand regenerates pnpm-lock.yaml only beside its manifest yet' };
  const remote = remoteDependency(request.deps);
  if (remote)
    return {
      ok: false,
      reason: `not regenerated because ${remote.depName} is a ${remote.skipReason} dependency`,
    };
  const workspaceYaml = await request.readFile(posix.join(dir, 'pnpm-workspace.yaml'));
  // The operator's registry replaces the repository's settings entirely.
  const npmrc = request.registries ? undefined : await request.readFile(posix.join(dir, '.npmrc'));
  return regeneratePnpmLockfile({
    manifest: request.manifest,
    lockfile: request.lockfile,
    ...(workspaceYaml !== undefined && { workspaceYaml }),
    ...(npmrc !== undefined && { npmrc }),
    ...(request.registries && { registry: request.registries.npm }),
    ...(request.refresh && { refresh: true }),
  });
};
