// Regenerates Pipfile.lock with the real pipenv (Debian's, 2022.12), without running repository or
// package code (issue 10 §5). The repository's files arrive as strings and are written into a sandbox:
//
//   <sandbox>/project/{Pipfile, Pipfile.lock}   pipenv's cwd — nothing else of the repository
//   <sandbox>/{venvs,cache}/                     WORKON_HOME and PIPENV_CACHE_DIR
//
// What pipenv does and how it is held in (checked with this pipenv against the tests' index):
// - `pipenv lock` creates a virtualenv for the project (in WORKON_HOME, in the sandbox; virtualenv seeds it
//   from Debian's bundled wheels, no network) and resolves with pip inside it. It installs nothing.
// - pip's resolver builds an sdist to read its metadata (plain `pipenv lock` ran a test sdist's setup.py):
//   PIP_ONLY_BINARY=:all: makes it use wheels only, so a release with no wheel is "not found" instead.
// - Path, editable, file and VCS entries would be built or fetched outside the index: refused first.
// - pipenv has no --no-update: the whole Pipfile is resolved again, so packages the Pipfile does not pin
//   may move to newer versions its ranges allow (as `pipenv lock` always does).
// - The operator's index is given as PIPENV_PYPI_MIRROR: it replaces PyPI while the lock keeps naming
//   PyPI. A Pipfile naming another index is refused then (the mirror would not replace it).
// - Environment from nothing (sandbox.ts), HOME is the sandbox, no .env file is loaded, null keyring.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { describeOutcome, safeTail } from './outcome.js';
import { runSandboxed, sandboxEnv } from './sandbox.js';
import { isRecord } from '../core/is-record.js';

export interface PipenvLockInput {
  /** Pipfile text after Dockhand's edit. */
  manifest: string;
  /** The current Pipfile.lock text. */
  lockfile: string;
  /** The operator's index; replaces PyPI (PIPENV_PYPI_MIRROR). */
  index?: string;
  /** Default 180 000. */
  timeoutMs?: number;
  /** stdout and stderr together. Default 1 MiB. */
  maxOutputBytes?: number;
  /** Default /usr/bin/pipenv. */
  pipenv?: string;
  /** Where the sandbox directory is created. Default os.tmpdir(). */
  tmpRoot?: string;
}

export type PipenvLockResult = { ok: true; lockfile: string } | { ok: false; reason: string };

type Toml = Record<string, unknown>;
/** Keys of a Pipfile entry that take it outside the index. */
const OFF_INDEX = ['path', 'file', 'git', 'hg', 'svn', 'bzr', 'editable'];
/** The Pipfile.lock spec this pipenv writes. */
const PIPFILE_SPEC = 6;
const PYPI = /^https?:\/\/(pypi\.org|pypi\.python\.org)\/simple\/?$/;

/** Why the Pipfile or lock cannot be handled here, or undefined. */
export function refusePipfile(manifest: string, lockfile: string, index?: string): string | undefined {
  let doc: Toml;
  try {
    doc = parseToml(manifest) as Toml;
  } catch (error) {
    return `Pipfile is not valid TOML (${(error as Error).message.split('\n')[0]})`;
  }
  const offIndex: string[] = [];
  for (const [section, entries] of Object.entries(doc)) {
    if (section === 'source' || section === 'requires' || section === 'pipenv' || section === 'scripts')
      continue;
    if (!isRecord(entries)) continue;
    for (const [name, spec] of Object.entries(entries)) {
      const key = isRecord(spec) ? OFF_INDEX.find((k) => spec[k] !== undefined) : undefined;
      if (key) offIndex.push(`${name} (${key})`);
    }
  }
  if (offIndex.length)
    return `pipenv would fetch or build dependencies outside the index (${offIndex.slice(0, 3).join(', ')}), which Dockhand does not do; the lockfile was not updated`;
  if (index !== undefined) {
    const sources = Array.isArray(doc.source) ? doc.source : [];
    const own = sources
      .map((source) => (isRecord(source) && typeof source.url === 'string' ? source.url : ''))
      .filter((url) => !PYPI.test(url));
    if (own.length)
      return `the Pipfile names its own index (${own[0]}), which the operator's index does not stand in for; the lockfile was not updated`;
  }
  if (lockfile.trim()) {
    let spec: unknown;
    try {
      spec = (JSON.parse(lockfile) as { _meta?: { 'pipfile-spec'?: unknown } })._meta?.['pipfile-spec'];
    } catch {
      return 'Pipfile.lock is not valid JSON';
    }
    if (typeof spec === 'number' && spec !== PIPFILE_SPEC)
      return `Pipfile.lock has pipfile-spec ${spec}, and the pipenv Dockhand runs writes ${PIPFILE_SPEC}; the lockfile was not updated`;
  }
  return undefined;
}

export async function regeneratePipenvLock(input: PipenvLockInput): Promise<PipenvLockResult> {
  const limits = {
    timeoutMs: input.timeoutMs ?? 180_000,
    maxOutputBytes: input.maxOutputBytes ?? 1024 * 1024,
  };
  const refused = refusePipfile(input.manifest, input.lockfile, input.index);
  if (refused) return { ok: false, reason: refused };
  if (input.index !== undefined && !/^https?:\/\/[^\s"\\]+$/.test(input.index))
    return { ok: false, reason: 'the configured Python index is not an http(s) URL' };

  const sandbox = await mkdtemp(join(input.tmpRoot ?? tmpdir(), 'dockhand-pipenv-lock-'));
  try {
    const project = join(sandbox, 'project');
    await mkdir(project);
    for (const dir of ['venvs', 'cache']) await mkdir(join(sandbox, dir));
    await writeFile(join(project, 'Pipfile'), input.manifest);
    if (input.lockfile.trim()) await writeFile(join(project, 'Pipfile.lock'), input.lockfile);
    const env = sandboxEnv({
      home: sandbox,
      extra: {
        WORKON_HOME: join(sandbox, 'venvs'),
        PIPENV_CACHE_DIR: join(sandbox, 'cache'),
        XDG_CACHE_HOME: join(sandbox, 'cache'),
        PIPENV_NOSPIN: '1',
        PIPENV_YES: '1',
        PIPENV_HIDE_EMOJIS: '1',
        PIPENV_DONT_LOAD_ENV: '1',
        PIPENV_IGNORE_VIRTUALENVS: '1',
        PIPENV_NO_INHERIT: '1',
        PIP_ONLY_BINARY: ':all:',
        PIP_CONFIG_FILE: '/dev/null',
        PIP_NO_INPUT: '1',
        PIP_DISABLE_PIP_VERSION_CHECK: '1',
        PYTHON_KEYRING_BACKEND: 'keyring.backends.null.Keyring',
        PYTHONDONTWRITEBYTECODE: '1',
        LANG: 'C.UTF-8',
        ...(input.index !== undefined && { PIPENV_PYPI_MIRROR: input.index }),
      },
    });
    const outcome = await runSandboxed(input.pipenv ?? '/usr/bin/pipenv', ['lock'], {
      cwd: project,
      env,
      ...limits,
    });
    if (outcome.kind !== 'exit' || outcome.code !== 0) {
      return {
        ok: false,
        reason: describeOutcome(outcome, {
          tool: 'pipenv',
          command: 'pipenv lock',
          limits,
          sandbox,
          explain: ({ stderr, stdout }, how) => {
            const found = /No matching distribution found for (\S+)/.exec(stderr || stdout);
            return found
              ? `pipenv lock failed (${how}): no wheel of ${found[1]} on the index (Dockhand lets pip use wheels only: building a source distribution would run its setup.py); the lockfile was not updated`
              : undefined;
          },
        }),
      };
    }
    const lockfile = await readFile(join(project, 'Pipfile.lock'), 'utf8');
    try {
      JSON.parse(lockfile);
    } catch {
      return { ok: false, reason: 'pipenv exited successfully but left Pipfile.lock unreadable' };
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
