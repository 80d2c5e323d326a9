// Finds, parses and validates the configuration of a scanned directory, on top of config/default.yml.
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';
import { rules } from '../rules/index.js';
import { ConfigError } from './errors.js';
import { configSchema, type Config, type ConfigFile } from './schema.js';
import { APP_HINT, CLI_HINT, untrustedProblems } from './untrusted.js';
import { configError, validateConfig } from './validate.js';

/** Shipped beside dist/ and src/ alike, so both the CLI and the tests find it. */
const DEFAULTS_FILE = fileURLToPath(new URL('../../config/default.yml', import.meta.url));
/** Looked up in the scanned directory, first match wins. */
export const CONFIG_LOCATIONS = ['.github/dockhand.yml', '.dockhand.yml'];
/** The app's organisation-wide defaults: `dockhand.yml` at the root of the account's `.github` repository. */
export const ORG_CONFIG_REPOSITORY = '.github';
export const ORG_CONFIG_FILE = 'dockhand.yml';
/** Alias expansions allowed in one file (the yaml library's default is 100). */
const MAX_ALIAS_COUNT = 100;

/** How messages name an account's org config. */
export function orgConfigName(owner: string): string {
  return `${owner}/${ORG_CONFIG_REPOSITORY}/${ORG_CONFIG_FILE}`;
}

export interface LoadedConfig {
  config: Config;
  /** The file the settings came from (as named in messages), or null when only defaults apply. */
  file: string | null;
}

export interface ConfigLocation {
  /**
   * An explicit file (`--config`), named in messages as given and trusted as the user's own; otherwise
   * CONFIG_LOCATIONS in `dir`, which the scanned tree controls.
   */
  file?: string;
  /** What a relative `file` is relative to; default: the process's working directory. */
  cwd?: string;
}

/**
 * Throws ConfigError when the file cannot be read or is not valid. A file found in `dir` belongs to the
 * scanned tree and may not configure registries beyond naming hosts; an explicit `file` is the user's.
 */
export async function loadConfig(dir: string, location: ConfigLocation = {}): Promise<LoadedConfig> {
  const ruleNames = ruleNamesOf();
  const defaults = await loadDefaults();
  const found =
    location.file === undefined
      ? await findConfig(dir)
      : await readExplicit(resolve(location.cwd ?? process.cwd(), location.file), location.file);
  if (!found) return { config: fill(defaults, {}), file: null };
  const options = location.file === undefined ? { hint: CLI_HINT } : { trusted: true };
  const config = fill(defaults, parseConfigText(found.text, found.file, ruleNames, options));
  return { config, file: found.file };
}

/** A config file's text, named as messages should name it (`acme/.github:dockhand.yml`). */
export interface ConfigText {
  file: string;
  text: string;
}

/**
 * The app's layering: defaults, then each text in order (org defaults, then the repository's file), each
 * overriding the one before field by field. Throws ConfigError naming the first invalid file.
 */
export async function configFromTexts(layers: readonly ConfigText[]): Promise<Config> {
  const ruleNames = ruleNamesOf();
  let merged = await loadDefaults();
  for (const layer of layers)
    merged = merge(merged, parseConfigText(layer.text, layer.file, ruleNames, { hint: APP_HINT }));
  return configSchema.parse(merged);
}

let defaults: Promise<ConfigFile> | undefined;

/**
 * Parsed once per process: a worker would otherwise run the YAML parser on the same file for every
 * repository job. Read-only: merges copy what they change and the schema builds a new Config.
 */
function loadDefaults(): Promise<ConfigFile> {
  defaults ??= readFile(DEFAULTS_FILE, 'utf8').then((text) =>
    parseConfigText(text, DEFAULTS_FILE, ruleNamesOf(), { trusted: true }),
  );
  return defaults;
}

function ruleNamesOf(): Set<string> {
  return new Set(rules.flatMap((rule) => [rule.id, rule.slug]));
}

export interface ParseOptions {
  /**
   * The file is the user's or operator's own (`--config` on the command line): it may name registry
   * credentials, mirrors and plain-HTTP hosts. Files found in a scanned directory or repository may not
   * (src/config/untrusted.ts says why, with `hint` saying where such settings go instead).
   */
  trusted?: boolean;
  hint?: string;
}

export function parseConfigText(
  text: string,
  file: string,
  ruleNames: ReadonlySet<string>,
  options: ParseOptions = {},
): ConfigFile {
  const config = validateConfig(parseYaml(text, file), file, ruleNames);
  if (!options.trusted) {
    const problems = untrustedProblems(config, options.hint ?? '');
    if (problems.length > 0) throw configError(file, problems);
  }
  return config;
}

/** A YAML file's data, or a ConfigError naming the file and line (alias bombs included). */
export function parseYaml(text: string, file: string): unknown {
  const doc = parseDocument(text);
  const error = doc.errors[0];
  if (error) {
    const line = error.linePos?.[0].line;
    const what = error.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '');
    throw new ConfigError(`${file}: ${line ? `line ${line}: ` : ''}invalid YAML: ${what}`);
  }
  try {
    return doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    // The yaml library refuses aliases that would expand exponentially ("billion laughs").
    if (error instanceof ReferenceError)
      throw new ConfigError(`${file}: invalid YAML: too many alias expansions (${error.message})`);
    throw error;
  }
}

/** Fields of the repository's file replace the defaults; `severity` is merged rule by rule. */
function fill(defaults: ConfigFile, file: ConfigFile): Config {
  // The defaults are complete (checked by a test), so the result is too.
  return configSchema.parse(merge(defaults, file));
}

/** `over` replaces `base` field by field; maps of settings are merged one level down. */
function merge(base: ConfigFile, over: ConfigFile): ConfigFile {
  return {
    ...base,
    ...over,
    severity: { ...base.severity, ...over.severity },
    updates: { ...base.updates, ...over.updates },
    pullRequests: { ...base.pullRequests, ...over.pullRequests },
    maintenance: { ...base.maintenance, ...over.maintenance },
    schedule: { ...base.schedule, ...over.schedule },
    reports: mergeReports(base.reports, over.reports),
  };
}

type ReportsFile = NonNullable<ConfigFile['reports']>;

/**
 * `reports` policy by policy: a policy's thresholds are merged (the org's `digestAgeDays` stays when the
 * repository only sets `tagBehindDays`), `false` switches it off, thresholds after `false` switch it back
 * on with the policy's own defaults under them; `approvedBases` is replaced when set.
 */
function mergeReports(base: ReportsFile | undefined, over: ReportsFile | undefined): ReportsFile {
  const policies: NonNullable<ReportsFile['policies']> = { ...base?.policies };
  for (const [id, setting] of Object.entries(over?.policies ?? {})) {
    if (setting === undefined) continue;
    const before = policies[id];
    policies[id] = setting === false || !before ? setting : { ...before, ...setting };
  }
  const approvedBases = over?.approvedBases ?? base?.approvedBases;
  const issue = over?.issue ?? base?.issue;
  return { policies, ...(approvedBases && { approvedBases }), ...(issue !== undefined && { issue }) };
}

async function findConfig(dir: string): Promise<{ file: string; text: string } | null> {
  for (const file of CONFIG_LOCATIONS) {
    const text = await readIfExists(join(dir, file), file);
    if (text !== null) return { file, text };
  }
  return null;
}

async function readExplicit(path: string, file: string): Promise<{ file: string; text: string }> {
  const text = await readIfExists(path, file);
  if (text === null) throw new ConfigError(`${file}: config file not found`);
  return { file, text };
}

async function readIfExists(path: string, name: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    throw new ConfigError(`${name}: cannot read config file (${code ?? String(error)})`);
  }
}
