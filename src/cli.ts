// `dockhand` command line. main() returns the exit code instead of exiting, so tests can call it.
import { open, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, type Config, type FailureThreshold } from './config/index.js';
import { UPDATE_TYPES } from './config/schema.js';
import type { Finding, PackageFile, Severity, UpdateKind } from './core/types.js';
import { ReadFingerprints } from './fix/fingerprints.js';
import { writeFixes } from './fix/write-fixes.js';
import { renderJsonChunks } from './output/json.js';
import { renderSarifChunks } from './output/sarif.js';
import { renderTextChunks } from './output/text.js';
import { toolVersion } from './output/tool.js';
import { scanDirectory, type ScanResult } from './scan/scan.js';

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

const FORMATS = ['text', 'json', 'sarif'] as const;
type Format = (typeof FORMATS)[number];

const USAGE = `Usage: dockhand scan [DIR] [--format text|json|sarif] [--config FILE] [--output FILE]
                     [--resolve [--redis URL]]
       dockhand fix [DIR] [--type TYPES] [--config FILE] [--redis URL]
       dockhand serve
       dockhand worker
       dockhand --help | --version

scan: finds Dockerfiles, compose files, Kubernetes manifests, Helm values and GitHub workflows in DIR
(default: the current directory), lists their images and lints the Dockerfiles. With --resolve it asks
the registries for newer versions and digests and lists the updates.
fix: resolves like scan --resolve, writes the updates into the files and prints a unified diff.
serve: the GitHub App's webhook server (without APP_ID and a private key: the app's setup flow).
worker: a queue worker of the GitHub App; runs until SIGTERM. Both read their settings from the
environment (APP_ID, PRIVATE_KEY or PRIVATE_KEY_PATH, WEBHOOK_SECRET, REDIS_URL…; see docs/app.md).

Options:
  --format FORMAT  text (default), json or sarif
  --config FILE    configuration file (default: DIR/.github/dockhand.yml, then DIR/.dockhand.yml)
  --output FILE    write the report to FILE instead of standard output
  --resolve        look up updates in the registries (scan)
  --redis URL      share lookups through a Redis cache (default: in memory, this run only)
  --type TYPES     update types fix writes, comma-separated: major, minor, patch, digest, pin, replace
                   (default: minor,patch,digest,pin,replace)
  -h, --help       show this help
  -v, --version    show the version

Exit status: 0 no finding reaches failureThreshold (fix: every chosen update written), 1 one does
(fix: an update could not be written), 2 usage or configuration error (worker: missing credentials
or settings).
`;

const FIX_DEFAULT_TYPES: readonly UpdateKind[] = ['minor', 'patch', 'digest', 'pin', 'replace'];

export interface CliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  cwd: string;
  /** Whether stdout is a terminal (colours). */
  isTTY: boolean;
  /** For NO_COLOR / FORCE_COLOR; default process.env. */
  env?: Record<string, string | undefined>;
}

/** Wrong command line: the message, then the usage. */
class UsageError extends Error {}
/** A well-formed command that cannot run (missing directory, unwritable output): the message alone. */
class InputError extends Error {}

export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  try {
    return await run(argv, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`dockhand: ${error.message}\n\n${USAGE}`);
    } else if (error instanceof InputError) {
      io.stderr.write(`dockhand: ${error.message}\n`);
    } else if (error instanceof ConfigError) {
      io.stderr.write(`dockhand: invalid configuration\n${error.message}\n`);
    } else {
      io.stderr.write(
        `dockhand: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
    }
    return EXIT_USAGE;
  }
}

async function run(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseOptions(argv);
  if (values.help) {
    io.stdout.write(USAGE);
    return EXIT_OK;
  }
  if (values.version) {
    io.stdout.write(`${toolVersion()}\n`);
    return EXIT_OK;
  }
  const [command, dirArg = '.', ...extra] = positionals;
  if (command === undefined) throw new UsageError('missing command');
  if (command === 'serve' || command === 'worker') {
    if (positionals.length > 1)
      throw new UsageError(`unexpected argument "${positionals[1]}" (${command} takes none)`);
    return command === 'serve' ? serve() : worker(io);
  }
  if (command !== 'scan' && command !== 'fix') throw new UsageError(`unknown command "${command}"`);
  if (extra.length > 0)
    throw new UsageError(`unexpected argument "${extra[0]}" (${command} takes one directory)`);
  const format = values.format ?? 'text';
  if (!isFormat(format))
    throw new UsageError(`--format: expected one of ${FORMATS.join(', ')}, got "${format}"`);
  const types = values.type === undefined ? FIX_DEFAULT_TYPES : parseTypes(values.type);

  const dir = resolve(io.cwd, dirArg);
  if (!(await isDirectory(dir))) throw new InputError(`${dirArg}: no such directory`);
  const { config } = await loadConfig(dir, { file: values.config, cwd: io.cwd });
  const resolving = command === 'fix' || values.resolve === true;
  const env = io.env ?? process.env;
  const warn = (message: string) => io.stderr.write(`dockhand: ${message}\n`);
  const registries = resolving
    ? await registryResolver(config, values.config !== undefined, values.redis, env, warn)
    : undefined;
  // fix writes a file only if it still holds what the scan read.
  const read = command === 'fix' ? new ReadFingerprints() : undefined;
  let result: ScanResult;
  try {
    result = await scanDirectory(dir, config, {
      ...(registries && { resolve: registries.resolve }),
      ...(read && { onRead: read.record }),
    });
  } finally {
    await registries?.close();
  }
  if (read) return (await writeFixes(dir, result, read, types, io)) > 0 ? EXIT_FINDINGS : EXIT_OK;

  const color = values.output === undefined && useColor(env, io.isTTY);
  const report = render(result, format, color);
  if (values.output === undefined) for (const text of batches(report)) io.stdout.write(text);
  else await writeReport(resolve(io.cwd, values.output), values.output, report);
  return failing(result.findings, config.failureThreshold) ? EXIT_FINDINGS : EXIT_OK;
}

/**
 * The registry side of `--resolve` and `fix`: loaded only then, so that a plain scan loads no HTTP client
 * (undici: about 120 ms and 30 MB) and no Redis client.
 */
async function registryResolver(
  config: Config,
  configGiven: boolean,
  redisUrl: string | undefined,
  env: Record<string, string | undefined>,
  warn: (message: string) => void,
): Promise<{ resolve: (files: PackageFile[]) => Promise<void>; close(): Promise<void> }> {
  const [{ cliRegistrySettings }, { createLookups }, { resolveFiles }] = await Promise.all([
    import('./config/cli-registries.js'),
    import('./plan/registry.js'),
    import('./plan/resolve.js'),
  ]);
  const lookups = await createLookups({
    ...(await cliRegistrySettings(config, configGiven, env, warn)),
    ttlSeconds: config.cacheTtlSeconds,
    redisUrl,
    warn,
  });
  return {
    resolve: (files) => resolveFiles(files, config.updates, lookups.client, { packages: lookups.packages }),
    close: () => lookups.close(),
  };
}

/**
 * The webhook server keeps the process alive until SIGTERM (src/app/main.ts exits then). Loaded on demand,
 * like the worker, so that `scan` and `fix` never load probot or BullMQ.
 */
async function serve(): Promise<number> {
  await import('./app/main.js');
  return EXIT_OK;
}

async function worker(io: CliIo): Promise<number> {
  const { runWorker } = await import('./worker/main.js');
  return runWorker({ stderr: io.stderr, env: io.env ?? process.env });
}

function parseTypes(text: string): UpdateKind[] {
  const types = text.split(',').map((t) => t.trim());
  const unknown = types.find((t) => !(UPDATE_TYPES as readonly string[]).includes(t));
  if (unknown !== undefined)
    throw new UsageError(`--type: expected some of ${UPDATE_TYPES.join(', ')}, got "${unknown}"`);
  return types as UpdateKind[];
}

function parseOptions(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        format: { type: 'string' },
        config: { type: 'string' },
        output: { type: 'string' },
        resolve: { type: 'boolean' },
        redis: { type: 'string' },
        type: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    });
  } catch (error) {
    // parseArgs explains itself ("Unknown option '--foo'"); keep its words, drop its hints.
    throw new UsageError((error as Error).message.split('. To specify')[0]!);
  }
}

function isFormat(value: string): value is Format {
  return (FORMATS as readonly string[]).includes(value);
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

/** FORCE_COLOR wins (0 or false switches colours off), then NO_COLOR, then whether stdout is a terminal. */
function useColor(env: Record<string, string | undefined>, isTTY: boolean): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force !== 'false';
  if (env.NO_COLOR) return false;
  return isTTY;
}

/** The report in pieces: a large tree's report is never held whole. */
function render(result: ScanResult, format: Format, color: boolean): Iterable<string> {
  if (format === 'json') return renderJsonChunks(result);
  if (format === 'sarif') return renderSarifChunks(result);
  return renderTextChunks(result, { color });
}

/** Joins small pieces into writes of about 64 KiB. */
function* batches(chunks: Iterable<string>): Generator<string> {
  let pending: string[] = [];
  let length = 0;
  for (const chunk of chunks) {
    pending.push(chunk);
    length += chunk.length;
    if (length >= 65_536) {
      yield pending.join('');
      pending = [];
      length = 0;
    }
  }
  if (pending.length > 0) yield pending.join('');
}

async function writeReport(path: string, name: string, report: Iterable<string>): Promise<void> {
  try {
    const file = await open(path, 'w');
    try {
      for (const text of batches(report)) await file.write(text);
    } finally {
      await file.close();
    }
  } catch (error) {
    throw new InputError(
      `--output ${name}: cannot write (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
    );
  }
}

const RANK: Record<Severity, number> = { info: 1, warning: 2, error: 3 };

function failing(findings: Finding[], threshold: FailureThreshold): boolean {
  if (threshold === 'none') return false;
  return findings.some((finding) => RANK[finding.severity] >= RANK[threshold]);
}

function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    cwd: process.cwd(),
    isTTY: process.stdout.isTTY === true,
  };
}
