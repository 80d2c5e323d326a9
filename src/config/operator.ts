// The operator's configuration: what only whoever runs Dockhand may decide, never a repository. The
// app's workers read it from the file DOCKHAND_OPERATOR_CONFIG names; the CLI reads the same shape from
// the user's own `$XDG_CONFIG_HOME/dockhand/config.yml`. It holds registry credentials (named by
// environment variable), mirrors and plain-HTTP hosts, the non-public hosts workers may contact, and the
// limits of each repository job.
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import type { RegistryLimits } from '../datasources/docker/client.js';
import { isNetworkEntry } from '../http/network-policy.js';
import { ConfigError } from './errors.js';
import { parseYaml } from './load.js';
import { resolveRegistries, type ScopedRegistry } from './registries.js';
import { envName, registrySchema } from './schema.js';
import { validateWith } from './validate.js';

const operatorRegistrySchema = registrySchema.extend({
  /** Repositories whose jobs use this registry (`acme/*`, `acme/api`); every repository when absent. */
  repositories: z.array(z.string().regex(/^[^\s/]+\/[^\s/]+$/)).optional(),
});

const networkSchema = z.strictObject({
  /** Non-public hosts, host:port pairs, addresses or CIDR ranges that may be contacted. */
  allow: z.array(
    z.string().refine(isNetworkEntry, {
      error: (issue) =>
        `expected a host, host:port, address or CIDR range, got ${JSON.stringify(issue.input)}`,
    }),
  ),
});

const httpUrl = z.url({ protocol: /^https?$/ });

/**
 * Where npm and Python packages come from: looked up there, and the app's re-locking resolves from
 * there. A repository's .npmrc or index URL may name other registries for lookups (public ones, or
 * hosts in network.allow), never credentials.
 */
const packagesSchema = z.strictObject({
  npm: z
    .strictObject({
      /** Default `https://registry.npmjs.org/`. */
      registry: httpUrl,
      /** A worker environment variable holding a token for that registry (sent as a Bearer token). */
      tokenEnv: envName,
      /** Registries of scopes (`@acme`), each with its own token variable. */
      scopes: z.record(
        z.string().regex(/^@[a-z0-9][a-z0-9._~-]*$/),
        z.strictObject({ registry: httpUrl, tokenEnv: envName.optional() }),
      ),
    })
    .partial(),
  pypi: z
    .strictObject({
      /** A PEP 503/691 simple index; default `https://pypi.org/simple`. */
      index: httpUrl,
    })
    .partial(),
});

const seconds = z.number().int().min(1);

const limitsSchema = z.strictObject({
  /** Registry lookups of one repository job end this long after the job started. */
  jobDeadlineSeconds: seconds,
  /** One registry request, headers and body. */
  requestTimeoutSeconds: seconds,
  /** Timeouts after which a host is skipped for the rest of a job. */
  hostTimeouts: z.number().int().min(1),
  /** Time one host's requests may take in one job before it is skipped for the rest of the job. */
  hostBudgetSeconds: seconds,
  /** Retry-After waits honoured in all, per job. */
  retryAfterBudgetSeconds: z.number().int().min(0),
  /** Tags of one image at most. */
  maxTags: z.number().int().min(1),
  /** Bytes of one image's tag list at most, all pages together. */
  maxTagBytes: z.number().int().min(1024),
});

export const operatorConfigSchema = z
  .strictObject({
    registries: z.array(operatorRegistrySchema),
    network: networkSchema.partial(),
    limits: limitsSchema.partial(),
    packages: packagesSchema.partial(),
  })
  .partial();

export type OperatorConfig = z.infer<typeof operatorConfigSchema>;
export type OperatorRegistry = z.infer<typeof operatorRegistrySchema>;
export type JobLimits = z.infer<typeof limitsSchema>;

export const DEFAULT_JOB_LIMITS: JobLimits = {
  jobDeadlineSeconds: 300,
  requestTimeoutSeconds: 15,
  hostTimeouts: 2,
  hostBudgetSeconds: 120,
  retryAfterBudgetSeconds: 60,
  maxTags: 100_000,
  maxTagBytes: 16 * 1024 * 1024,
};

/** The operator's file, or an empty configuration when `path` is unset. Throws ConfigError. */
export async function loadOperatorConfig(path: string | undefined): Promise<OperatorConfig> {
  if (!path) return {};
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`${path}: cannot read (${(error as NodeJS.ErrnoException).code ?? error})`);
  }
  return parseOperatorConfig(text, path);
}

export function parseOperatorConfig(text: string, file: string): OperatorConfig {
  return validateWith(operatorConfigSchema, parseYaml(text, file), file);
}

/** The CLI user's own settings file: `$XDG_CONFIG_HOME/dockhand/config.yml` (`~/.config/...`). */
export function userConfigPath(env: Readonly<Record<string, string | undefined>>): string {
  const base = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config');
  return join(base, 'dockhand', 'config.yml');
}

/** The user's settings file when there is one (a missing file is no error). Throws ConfigError. */
export async function loadUserConfig(
  env: Readonly<Record<string, string | undefined>>,
): Promise<OperatorConfig> {
  const path = userConfigPath(env);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new ConfigError(`${path}: cannot read (${(error as NodeJS.ErrnoException).code ?? error})`);
  }
  return parseOperatorConfig(text, path);
}

export function jobLimits(config: OperatorConfig): JobLimits {
  return { ...DEFAULT_JOB_LIMITS, ...config.limits };
}

/** The registry client's limits for these job limits. */
export function registryLimits(limits: JobLimits): Partial<RegistryLimits> {
  return {
    timeoutMs: limits.requestTimeoutSeconds * 1000,
    hostTimeouts: limits.hostTimeouts,
    hostBudgetMs: limits.hostBudgetSeconds * 1000,
    retryAfterBudgetMs: limits.retryAfterBudgetSeconds * 1000,
    maxTags: limits.maxTags,
    maxTagBytes: limits.maxTagBytes,
  };
}

/** The operator's configuration as a worker uses it: credentials read once, limits filled in. */
export interface OperatorSettings {
  registries: ScopedRegistry[];
  /** Non-public hosts and ranges workers may contact (src/http/network-policy.ts). */
  allow: string[];
  limits: JobLimits;
  packages: PackageRegistries;
}

/** The package registries jobs use by default, with the credentials the operator gave them. */
export interface PackageRegistries {
  npm: NpmRegistry & { scopes: Record<string, NpmRegistry> };
  pypi: { url: string };
}

export interface NpmRegistry {
  url: string;
  /** `Bearer <token>`, sent to this registry only. */
  authorization?: string;
}

/** Scope → registry URL, for lookups and re-locking. */
export function npmScopeUrls(npm: PackageRegistries['npm']): Record<string, string> {
  return Object.fromEntries(Object.entries(npm.scopes).map(([scope, entry]) => [scope, entry.url]));
}

export const DEFAULT_PACKAGE_REGISTRIES: PackageRegistries = {
  npm: { url: 'https://registry.npmjs.org/', scopes: {} },
  pypi: { url: 'https://pypi.org/simple' },
};

export function operatorSettings(
  config: OperatorConfig,
  env: Readonly<Record<string, string | undefined>>,
  warn?: (message: string) => void,
): OperatorSettings {
  return {
    registries: resolveRegistries(config.registries ?? [], { env, ...(warn && { warn }) }),
    allow: config.network?.allow ?? [],
    limits: jobLimits(config),
    packages: packageRegistries(config, env, warn),
  };
}

function packageRegistries(
  config: OperatorConfig,
  env: Readonly<Record<string, string | undefined>>,
  warn?: (message: string) => void,
): PackageRegistries {
  const npm = config.packages?.npm ?? {};
  const registry = (field: string, url: string, tokenEnv: string | undefined): NpmRegistry => {
    const token = tokenEnv ? env[tokenEnv] : undefined;
    if (tokenEnv && token === undefined)
      warn?.(`${field}: environment variable ${tokenEnv} is not set; asking anonymously`);
    return { url, ...(token !== undefined && { authorization: `Bearer ${token}` }) };
  };
  const scopes = Object.entries(npm.scopes ?? {}).map(
    ([scope, entry]) =>
      [scope, registry(`packages.npm.scopes.${scope}`, entry.registry, entry.tokenEnv)] as const,
  );
  return {
    npm: {
      ...registry('packages.npm', npm.registry ?? DEFAULT_PACKAGE_REGISTRIES.npm.url, npm.tokenEnv),
      scopes: Object.fromEntries(scopes),
    },
    pypi: { url: config.packages?.pypi?.index ?? DEFAULT_PACKAGE_REGISTRIES.pypi.url },
  };
}
