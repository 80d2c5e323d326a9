// Regenerates a yarn v1 (classic) yarn.lock with the real yarn 1.22 (this project's `yarn` dependency,
// run by Dockhand's Node), without running repository code (issue 10 §5). The sandbox:
//
//   <sandbox>/project/{package.json, yarn.lock}   yarn's cwd — nothing else (node_modules is made here)
//   <sandbox>/yarnrc                              the only rc file yarn reads: registry lines, written by us
//   <sandbox>/cache/, <sandbox>/global/           yarn's cache and global folder, new each run
//
// `--no-default-rc` keeps yarn from reading any .yarnrc or .npmrc (the project's, the home's, the
// machine's); `--use-yarnrc` gives it ours. `--ignore-scripts` keeps every lifecycle script (the
// manifest's and the packages') from running. yarn v1 has no lockfile-only mode: it fetches the tarballs
// (into the sandbox's cache, from the registry) and links node_modules inside the sandbox, then writes
// the lock in its own v1 format. Lock file maintenance (`refresh`) gives yarn no lock at all: every range
// resolves to the newest version it admits, as `rm yarn.lock && yarn install` does (yarn v1's `upgrade`
// would rewrite the manifest's ranges).
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sanitizeNpmrc } from './npmrc.js';
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

export interface YarnClassicLockInput extends ToolLockInput {
  /** The repository's .npmrc: only its registry lines are kept (npmrc.ts). */
  npmrc?: string;
  /** The repository's .yarnrc: only its `registry` and `"@scope:registry"` lines are kept. */
  yarnrc?: string;
}

export const YARN_CLASSIC_HEADER = /^(#.*\r?\n)*?#\s*yarn lockfile v1\r?\n/;

/** The registry lines of a .yarnrc (`registry "url"`, `"@scope:registry" "url"`) as .npmrc lines. */
export function yarnrcRegistryLines(yarnrc: string | undefined): string {
  const lines: string[] = [];
  for (const line of (yarnrc ?? '').split(/\r?\n/)) {
    const match = /^\s*"?(registry|@[a-z0-9][a-z0-9._~-]*:registry)"?\s+"?([^"\s]+)"?\s*$/i.exec(line);
    if (match) lines.push(`${match[1]}=${match[2]}`);
  }
  return lines.join('\n');
}

/** sanitizeNpmrc's lines (`key=url`) in .yarnrc syntax. */
function toYarnrc(npmrc: string): string {
  const lines = ['disable-self-update-check true'];
  for (const line of npmrc.split('\n')) {
    const at = line.indexOf('=');
    if (at > 0) lines.push(`${JSON.stringify(line.slice(0, at))} ${JSON.stringify(line.slice(at + 1))}`);
  }
  return `${lines.join('\n')}\n`;
}

function yarnArgs(cli: string, sandbox: string): string[] {
  return [
    cli,
    'install',
    '--no-default-rc',
    '--use-yarnrc',
    join(sandbox, 'yarnrc'),
    '--ignore-scripts',
    '--ignore-engines',
    '--ignore-platform',
    '--non-interactive',
    '--no-bin-links',
    '--no-progress',
    '--cache-folder',
    join(sandbox, 'cache'),
    '--global-folder',
    join(sandbox, 'global'),
    '--network-timeout',
    '60000',
  ];
}

export async function regenerateYarnClassicLockfile(input: YarnClassicLockInput): Promise<ToolLockResult> {
  const limits = limitsOf(input);
  const checked = checkManifest(input.manifest, 'yarn');
  if (!checked.ok) return checked;
  if (input.lockfile.trim() && !YARN_CLASSIC_HEADER.test(input.lockfile))
    return { ok: false, reason: 'yarn.lock is not a yarn v1 lockfile (no "# yarn lockfile v1" header)' };
  let registries: string;
  try {
    // .yarnrc after .npmrc: yarn's own setting wins, as in yarn.
    registries = sanitizeNpmrc(`${input.npmrc ?? ''}\n${yarnrcRegistryLines(input.yarnrc)}`, input.registry);
  } catch (error) {
    return { ok: false, reason: (error as Error).message };
  }
  const cli = input.cli ?? toolEntry('yarn', 'bin/yarn.js');
  if (!cli) return { ok: false, reason: 'yarn 1 is not installed beside Dockhand' };

  return withSandbox('dockhand-yarn-lock-', input.tmpRoot, async (sandbox) => {
    const project = join(sandbox, 'project');
    await mkdir(project);
    await mkdir(join(sandbox, 'cache'));
    await writeFile(join(sandbox, 'yarnrc'), toYarnrc(registries));
    await writeFile(join(project, 'package.json'), input.manifest);
    if (!input.refresh) await writeFile(join(project, 'yarn.lock'), input.lockfile);
    const env = sandboxEnv({
      home: sandbox,
      extra: { YARN_IGNORE_PATH: '1', YARN_ENABLE_TELEMETRY: '0', npm_config_ignore_scripts: 'true' },
    });
    const failed = await runTool('yarn', 'yarn install --ignore-scripts', yarnArgs(cli, sandbox), {
      cwd: project,
      env,
      sandbox,
      limits,
    });
    if (failed) return { ok: false, reason: failed };
    const lockfile = await readFile(join(project, 'yarn.lock'), 'utf8');
    if (!YARN_CLASSIC_HEADER.test(lockfile))
      return { ok: false, reason: 'yarn exited successfully but left no yarn v1 lockfile' };
    return { ok: true, lockfile };
  });
}
