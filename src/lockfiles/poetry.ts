// Regenerates poetry.lock with the real Poetry (Debian's python3-poetry), without running repository or
// package code (issue 10 §5). The repository's files arrive as strings and are written into a sandbox:
//
//   <sandbox>/project/{pyproject.toml, poetry.lock}   Poetry's cwd — nothing else of the repository
//   <sandbox>/{cache,config,data}/                     POETRY_CACHE_DIR, POETRY_CONFIG_DIR, POETRY_DATA_DIR
//   <sandbox>/guard.py                                 Poetry's main() behind ./poetry-guard.ts
//
// `poetry lock --no-update` resolves from the index (wheels' metadata) and writes the lock: it neither
// builds nor installs the project, and --no-update keeps every other package at its locked version. The
// guard refuses what would run code (building an sdist for its metadata; git, path, file and URL
// dependencies) and checks the lock's format. Lock file maintenance (`refresh`) runs `poetry lock` without
// --no-update instead: every package moves to the newest version the ranges admit. No virtualenv is made (POETRY_VIRTUALENVS_CREATE=false), no
// keyring is read (PYTHON_KEYRING_BACKEND null), plugins are off, `python3 -I` ignores PYTHON* variables
// and the user's site-packages, and the environment is built from nothing (sandbox.ts): HOME is the
// sandbox, so no ~/.config/pypoetry or ~/.netrc of the operator is read.
//
// Index: `index` (the operator's) replaces every source the pyproject.toml names, PyPI included; the lock
// still names the repository's own source URLs. Without it, the repository's sources are used as written.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { describeOutcome, safeTail } from './outcome.js';
import { POETRY_GUARD, POETRY_MISSING, POETRY_REFRESH, POETRY_REFUSED } from './poetry-guard.js';
import { runSandboxed, sandboxEnv } from './sandbox.js';
import { isRecord } from '../core/is-record.js';

export interface PoetryLockInput {
  /** pyproject.toml text after Dockhand's edit. */
  manifest: string;
  /** The current poetry.lock text. */
  lockfile: string;
  /** The operator's index (`https://pypi.org/simple`); replaces the repository's sources. */
  index?: string;
  /** Default 180 000. */
  timeoutMs?: number;
  /** stdout and stderr together. Default 1 MiB. */
  maxOutputBytes?: number;
  /** The Python that has Poetry importable. Default /usr/bin/python3 (Debian's python3-poetry). */
  python?: string;
  /** Where the sandbox directory is created. Default os.tmpdir(). */
  tmpRoot?: string;
  /** Lock file maintenance: `poetry lock` without --no-update, every package resolved afresh. */
  refresh?: boolean;
}

export type PoetryLockResult = { ok: true; lockfile: string } | { ok: false; reason: string };

type Toml = Record<string, unknown>;

const DEPENDENCY_TABLES = ['dependencies', 'dev-dependencies'];
/** Keys of a Poetry dependency table that take it outside the index. */
const OFF_INDEX = ['git', 'path', 'url', 'file'] as const;

/** Why the manifest cannot be handled here, or undefined. */
export function refusePoetryManifest(manifest: string): string | undefined {
  let doc: Toml;
  try {
    doc = parseToml(manifest) as Toml;
  } catch (error) {
    return `pyproject.toml is not valid TOML (${(error as Error).message.split('\n')[0]})`;
  }
  const tool = isRecord(doc.tool) ? doc.tool : {};
  const poetry = isRecord(tool.poetry) ? tool.poetry : undefined;
  if (!poetry) return 'pyproject.toml has no [tool.poetry] table';
  const project = isRecord(doc.project) ? doc.project : undefined;
  if (project && (project.dependencies !== undefined || project['optional-dependencies'] !== undefined)) {
    return 'pyproject.toml declares its dependencies in [project] (Poetry 2), which the Poetry Dockhand runs (1.x) would ignore; the lockfile was not updated';
  }
  const tables: [string, unknown][] = DEPENDENCY_TABLES.map((key) => [key, poetry[key]]);
  if (isRecord(poetry.group))
    for (const [name, group] of Object.entries(poetry.group))
      if (isRecord(group)) tables.push([`group.${name}`, group.dependencies]);
  const offIndex: string[] = [];
  for (const [, deps] of tables) {
    if (!isRecord(deps)) continue;
    for (const [name, spec] of Object.entries(deps)) {
      const variants = Array.isArray(spec) ? spec : [spec];
      for (const variant of variants) {
        const key = isRecord(variant) ? OFF_INDEX.find((k) => variant[k] !== undefined) : undefined;
        if (key) offIndex.push(`${name} (${key})`);
      }
    }
  }
  if (offIndex.length)
    return `Poetry would fetch or build dependencies outside the index (${offIndex.slice(0, 3).join(', ')}), which Dockhand does not do; the lockfile was not updated`;
  return undefined;
}

/** The guard's own message, when it wrote one. */
function marked(output: string, marker: string): string | undefined {
  const line = output.split('\n').find((l) => l.startsWith(marker));
  return line?.slice(marker.length).trim();
}

export async function regeneratePoetryLock(input: PoetryLockInput): Promise<PoetryLockResult> {
  const limits = {
    timeoutMs: input.timeoutMs ?? 180_000,
    maxOutputBytes: input.maxOutputBytes ?? 1024 * 1024,
  };
  const refused = refusePoetryManifest(input.manifest);
  if (refused) return { ok: false, reason: refused };
  if (input.index !== undefined && !/^https?:\/\/[^\s"\\]+$/.test(input.index))
    return { ok: false, reason: 'the configured Python index is not an http(s) URL' };

  const sandbox = await mkdtemp(join(input.tmpRoot ?? tmpdir(), 'dockhand-poetry-lock-'));
  try {
    const project = join(sandbox, 'project');
    await mkdir(project);
    for (const dir of ['cache', 'config', 'data', 'venvs']) await mkdir(join(sandbox, dir));
    await writeFile(join(sandbox, 'guard.py'), POETRY_GUARD);
    await writeFile(join(project, 'pyproject.toml'), input.manifest);
    // An empty lock is no lock: Poetry would fail reading it rather than write one.
    if (input.lockfile.trim()) await writeFile(join(project, 'poetry.lock'), input.lockfile);
    const env = sandboxEnv({
      home: sandbox,
      extra: {
        POETRY_CACHE_DIR: join(sandbox, 'cache'),
        POETRY_CONFIG_DIR: join(sandbox, 'config'),
        POETRY_DATA_DIR: join(sandbox, 'data'),
        POETRY_VIRTUALENVS_CREATE: 'false',
        POETRY_VIRTUALENVS_PATH: join(sandbox, 'venvs'),
        POETRY_NO_INTERACTION: '1',
        PYTHON_KEYRING_BACKEND: 'keyring.backends.null.Keyring',
        PYTHONDONTWRITEBYTECODE: '1',
        PIP_CONFIG_FILE: '/dev/null',
        LANG: 'C.UTF-8',
        ...(input.index !== undefined && { DOCKHAND_INDEX_URL: input.index }),
      },
    });
    const python = input.python ?? '/usr/bin/python3';
    const guard = ['-I', join(sandbox, 'guard.py'), ...(input.refresh ? [POETRY_REFRESH] : [])];
    const outcome = await runSandboxed(python, guard, {
      cwd: project,
      env,
      ...limits,
    });
    if (outcome.kind !== 'exit' || outcome.code !== 0) {
      const command = input.refresh ? 'poetry lock' : 'poetry lock --no-update';
      return {
        ok: false,
        reason: describeOutcome(outcome, {
          tool: 'poetry',
          command,
          limits,
          sandbox,
          explain: ({ stderr }) => {
            const said = marked(stderr, POETRY_REFUSED) ?? marked(stderr, POETRY_MISSING);
            return said === undefined ? undefined : safeTail(said, sandbox);
          },
        }),
      };
    }
    const lockfile = await readFile(join(project, 'poetry.lock'), 'utf8');
    try {
      parseToml(lockfile);
    } catch {
      return { ok: false, reason: 'poetry exited successfully but left poetry.lock unreadable' };
    }
    return { ok: true, lockfile };
  } catch (error) {
    return {
      ok: false,
      reason: `lockfile regeneration failed: ${safeTail((error as Error).message, sandbox)}`,
    };
  } finally {
    await rm(sandbox, { recursive: true, force: true });
  }
}
