// `dockhand` command line. main() returns the exit code instead of exiting, so tests can call it.
import { stat, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, type FailureThreshold } from './config/index.js';
import type { Finding, Severity } from './core/types.js';
import { renderJson } from './output/json.js';
import { renderSarif } from './output/sarif.js';
import { renderText } from './output/text.js';
import { toolVersion } from './output/tool.js';
import { scanDirectory, type ScanResult } from './scan/scan.js';

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

const FORMATS = ['text', 'json', 'sarif'] as const;
type Format = (typeof FORMATS)[number];

const USAGE = `Usage: dockhand scan [DIR] [--format text|json|sarif] [--config FILE] [--output FILE]
       dockhand --help | --version

Scans DIR (default: the current directory) for Dockerfiles, compose files, Kubernetes manifests,
Helm values and GitHub workflows; lists their images and lints the Dockerfiles.

Options:
  --format FORMAT  text (default), json or sarif
  --config FILE    configuration file (default: DIR/.github/dockhand.yml, then DIR/.dockhand.yml)
  --output FILE    write the report to FILE instead of standard output
  -h, --help       show this help
  -v, --version    show the version

Exit status: 0 no finding reaches failureThreshold, 1 one does, 2 usage or configuration error.
`;

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
  if (command !== 'scan') throw new UsageError(`unknown command "${command}"`);
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}" (scan takes one directory)`);
  const format = values.format ?? 'text';
  if (!isFormat(format))
    throw new UsageError(`--format: expected one of ${FORMATS.join(', ')}, got "${format}"`);

  const dir = resolve(io.cwd, dirArg);
  if (!(await isDirectory(dir))) throw new InputError(`${dirArg}: no such directory`);
  const { config } = await loadConfig(dir, { file: values.config, cwd: io.cwd });
  const result = await scanDirectory(dir, config);

  const env = io.env ?? process.env;
  const color = values.output === undefined && useColor(env, io.isTTY);
  const report = render(result, format, color);
  if (values.output === undefined) io.stdout.write(report);
  else await writeReport(resolve(io.cwd, values.output), values.output, report);
  return failing(result.findings, config.failureThreshold) ? EXIT_FINDINGS : EXIT_OK;
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

function render(result: ScanResult, format: Format, color: boolean): string {
  if (format === 'json') return renderJson(result);
  if (format === 'sarif') return renderSarif(result);
  return renderText(result, { color });
}

async function writeReport(path: string, name: string, report: string): Promise<void> {
  try {
    await writeFile(path, report);
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
