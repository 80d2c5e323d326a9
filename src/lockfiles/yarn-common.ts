// What the yarn (classic and Berry) and pnpm relockers share: where the tools are (this project's own
// dependencies, run by Dockhand's Node, never whatever is on a PATH), which manifests they refuse before
// running anything, and one throwaway sandbox run with the failure described by the end of the output.
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describeOutcome, safeTail } from './outcome.js';
import { runSandboxed } from './sandbox.js';

export interface ToolLockInput {
  /** package.json text after Dockhand's edit. */
  manifest: string;
  /** The current lockfile text. */
  lockfile: string;
  /** The operator's npm registry; replaces the repository's registry settings entirely. */
  registry?: string;
  /** Default 120 000. */
  timeoutMs?: number;
  /** stdout and stderr together. Default 1 MiB. */
  maxOutputBytes?: number;
  /** The tool's JavaScript entry to run instead of the installed one (tests). */
  cli?: string;
  /** Where the sandbox directory is created. Default os.tmpdir(). */
  tmpRoot?: string;
  /**
   * Lock file maintenance: every package resolved afresh within the manifest's ranges. The lock is still
   * checked (its format is kept) but not given to the tool, which resolves as for a new project.
   */
  refresh?: boolean;
}

export type ToolLockResult = { ok: true; lockfile: string } | { ok: false; reason: string };

const require = createRequire(import.meta.url);

/** `<package>/<bin>` of a dependency of Dockhand, or undefined when it is not installed. */
export function toolEntry(pkg: string, bin: string): string | undefined {
  for (const request of [`${pkg}/package.json`, pkg]) {
    try {
      const resolved = require.resolve(request);
      // pnpm exports only "." (its package.json): both requests land on the package.json.
      if (resolved.endsWith('package.json')) return join(dirname(resolved), bin);
    } catch {
      // not this way
    }
  }
  return undefined;
}

const DEPENDENCY_FIELDS = [
  'dependencies',
  'devDependencies',
  'optionalDependencies',
  'peerDependencies',
  'resolutions',
  'overrides',
];

// Paths (the sandbox has no sibling directories; an absolute one would read the machine Dockhand runs on)
// and Berry's protocols that read files of the repository or run code (`exec:` runs a script).
const LOCAL_SPEC = /^(file:|link:|portal:|patch:|exec:|\.{0,2}\/|~\/)/;

/** The parsed package.json, or why it cannot be relocked here. */
export function checkManifest(
  manifest: string,
  tool: string,
): { ok: true; parsed: Record<string, unknown> } | { ok: false; reason: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(manifest);
  } catch {
    return { ok: false, reason: 'package.json is not valid JSON' };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    return { ok: false, reason: 'package.json is not a JSON object' };
  const record = parsed as Record<string, unknown>;
  if (Object.hasOwn(record, 'workspaces'))
    return {
      ok: false,
      reason: `${tool} workspaces are not supported by lockfile regeneration yet; the lockfile was not updated`,
    };
  const local = localSpecs(record);
  if (local.length)
    return {
      ok: false,
      reason: `local path dependencies cannot be resolved in the sandbox (${local.slice(0, 3).join(', ')}); the lockfile was not updated`,
    };
  return { ok: true, parsed: record };
}

function localSpecs(manifest: Record<string, unknown>): string[] {
  const found: string[] = [];
  const walk = (deps: unknown) => {
    if (typeof deps !== 'object' || deps === null) return;
    for (const [name, spec] of Object.entries(deps)) {
      if (typeof spec === 'string') {
        // `npm:` aliases may point at a local path too (`npm:x@file:…`) only through another protocol.
        const target = spec.trim().replace(/^npm:(@?[^@]+)@/, '');
        if (LOCAL_SPEC.test(spec.trim()) || LOCAL_SPEC.test(target)) found.push(`${name}@${spec}`);
      } else walk(spec);
    }
  };
  for (const field of DEPENDENCY_FIELDS) if (Object.hasOwn(manifest, field)) walk(manifest[field]);
  const pnpm = manifest.pnpm as Record<string, unknown> | undefined;
  if (pnpm && typeof pnpm === 'object') walk(pnpm.overrides);
  return found;
}

export interface Limits {
  timeoutMs: number;
  maxOutputBytes: number;
}

export const limitsOf = (input: ToolLockInput): Limits => ({
  timeoutMs: input.timeoutMs ?? 120_000,
  maxOutputBytes: input.maxOutputBytes ?? 1024 * 1024,
});

/** Runs `body` with a new sandbox directory, removed whatever happens; an exception becomes a reason. */
export async function withSandbox(
  prefix: string,
  tmpRoot: string | undefined,
  body: (sandbox: string) => Promise<ToolLockResult>,
): Promise<ToolLockResult> {
  const sandbox = await mkdtemp(join(tmpRoot ?? tmpdir(), prefix));
  try {
    return await body(sandbox);
  } catch (error) {
    return {
      ok: false,
      reason: `lockfile regeneration failed: ${safeTail((error as Error).message, sandbox)}`,
    };
  } finally {
    await rm(sandbox, { recursive: true, force: true });
  }
}

/** Runs the tool's entry with Dockhand's Node; undefined when it exited 0, else the reason. */
export async function runTool(
  tool: string,
  command: string,
  args: string[],
  options: { cwd: string; env: Record<string, string>; sandbox: string; limits: Limits },
): Promise<string | undefined> {
  const outcome = await runSandboxed(process.execPath, args, {
    cwd: options.cwd,
    env: options.env,
    ...options.limits,
  });
  if (outcome.kind === 'exit' && outcome.code === 0) return undefined;
  return describeOutcome(outcome, {
    tool,
    command,
    limits: options.limits,
    sandbox: options.sandbox,
    // yarn and pnpm report errors on stdout, among their progress lines.
    output: ({ stderr, stdout }) => [stderr, stdout].filter(Boolean).join('\n'),
  });
}

/** `host[:port]` of each http: registry, for tools that refuse plain http unless told. */
export function httpHosts(urls: Iterable<string>): string[] {
  const hosts = new Set<string>();
  for (const url of urls) {
    try {
      const parsed = new URL(url);
      if (parsed.protocol === 'http:') hosts.add(parsed.hostname);
    } catch {
      // not a URL: nothing to allow
    }
  }
  return [...hosts];
}
