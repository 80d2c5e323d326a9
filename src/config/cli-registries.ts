// The registries, network policy and limits of a CLI run, from the user's own sources only: a config
// file given with --config, the user's settings file, and `docker login`'s credentials. A config file
// found in the scanned directory may only name hosts (src/config/untrusted.ts).
import type { RegistryClientOptions } from '../datasources/docker/client.js';
import { NetworkPolicy } from '../http/network-policy.js';
import { readDockerCredentials } from './docker-config.js';
import { jobLimits, loadUserConfig, registryLimits } from './operator.js';
import { mergeRegistries, resolveRegistries, unconfiguredNames } from './registries.js';
import type { Config } from './schema.js';

export type CliRegistrySettings = Required<Pick<RegistryClientOptions, 'hosts' | 'network' | 'limits'>> & {
  /** How long lookups may take in all, from the start of the run (ms). */
  deadlineMs: number;
};

export async function cliRegistrySettings(
  config: Config,
  /** The config came from --config: the user's own file, whose registries count. */
  trusted: boolean,
  env: Readonly<Record<string, string | undefined>>,
  warn: (message: string) => void,
): Promise<CliRegistrySettings> {
  const user = await loadUserConfig(env);
  const hosts = mergeRegistries(
    trusted ? resolveRegistries(config.registries, { env, warn }) : [],
    resolveRegistries(user.registries ?? [], { env, warn }),
    await readDockerCredentials(env, warn),
  );
  if (!trusted) {
    for (const host of unconfiguredNames(config.registries, hosts))
      warn(
        `registries: ${host} is named but has no credentials in your config or docker login; asking anonymously`,
      );
  }
  const limits = jobLimits(user);
  return {
    hosts,
    network: NetworkPolicy.local(user.network?.allow),
    limits: registryLimits(limits),
    deadlineMs: limits.jobDeadlineSeconds * 1000,
  };
}
