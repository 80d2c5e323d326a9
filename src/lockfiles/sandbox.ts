// Runs a package manager as an untrusted child: an environment built from nothing (Dockhand's own holds
// the GitHub App key, tokens and REDIS_URL), its own process group so that a time limit or an output cap
// ends everything it started, and only the tail of its output kept.
import { spawn } from 'node:child_process';
import { dirname } from 'node:path';

export interface SandboxEnvOptions {
  /** The sandbox directory: HOME, so no ~/.npmrc, ~/.gitconfig or ~/.netrc of the operator is read. */
  home: string;
  /** Variables the caller sets on purpose (npm_config_* and the like). */
  extra?: Record<string, string>;
  /** The node binary whose directory leads PATH. */
  execPath?: string;
}

/** The child's whole environment. Nothing is inherited from process.env. */
export function sandboxEnv({
  home,
  extra = {},
  execPath = process.execPath,
}: SandboxEnvOptions): Record<string, string> {
  return {
    PATH: `${dirname(execPath)}:/usr/bin:/bin`,
    HOME: home,
    NO_UPDATE_NOTIFIER: '1',
    CI: 'true',
    ...extra,
  };
}

export interface RunOptions {
  cwd: string;
  env: Record<string, string>;
  timeoutMs: number;
  /** stdout and stderr together; past it the process group is killed. */
  maxOutputBytes: number;
}

export type RunOutcome =
  | { kind: 'exit'; code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }
  | { kind: 'timeout'; stderr: string }
  | { kind: 'output-limit'; stderr: string }
  | { kind: 'spawn-error'; message: string };

/** How much of each stream is kept for error messages. */
const TAIL_BYTES = 16 * 1024;

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // ESRCH: the group is already gone
  }
}

/** Runs `file args` detached in its own process group; resolves once the group is dead and its pipes closed. */
export function runSandboxed(file: string, args: string[], options: RunOptions): Promise<RunOutcome> {
  return new Promise((resolve) => {
    const child = spawn(file, args, {
      cwd: options.cwd,
      env: options.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const pid = child.pid;
    // If Dockhand itself exits, the detached group must not outlive it.
    const onExit = () => killGroup(pid);
    process.once('exit', onExit);

    let total = 0;
    let stopped: 'timeout' | 'output-limit' | undefined;
    const tails = { stdout: '', stderr: '' };
    const stop = (why: 'timeout' | 'output-limit') => {
      stopped ??= why;
      killGroup(pid);
    };
    for (const name of ['stdout', 'stderr'] as const) {
      child[name].on('data', (chunk: Buffer) => {
        total += chunk.length;
        tails[name] = (tails[name] + chunk.toString('utf8')).slice(-TAIL_BYTES);
        if (total > options.maxOutputBytes) stop('output-limit');
      });
    }
    const timer = setTimeout(() => stop('timeout'), options.timeoutMs);
    // npm may leave helpers behind (git, a stuck fetch worker) that hold the pipes open: end the group
    // when its leader exits so that 'close' comes.
    child.once('exit', () => killGroup(pid));
    child.once('error', (error) => {
      clearTimeout(timer);
      process.off('exit', onExit);
      resolve({ kind: 'spawn-error', message: error.message });
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      process.off('exit', onExit);
      if (stopped) resolve({ kind: stopped, stderr: tails.stderr });
      else resolve({ kind: 'exit', code, signal, stdout: tails.stdout, stderr: tails.stderr });
    });
  });
}
