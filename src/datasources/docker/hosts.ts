// Where to send requests for a registry: Docker Hub's API host, plain HTTP for loopback (as Docker does)
// or hosts configured insecure, HTTPS otherwise, a mirror's base URL when one is configured.

import type { RegistryHostConfig } from './types.js';

export const DOCKER_HUB = 'docker.io';
export const DOCKER_HUB_API_HOST = 'registry-1.docker.io';

/** Names people write for Docker Hub in configuration. */
const HUB_ALIASES = new Set([DOCKER_HUB, 'index.docker.io', DOCKER_HUB_API_HOST]);

export function normalHost(host: string): string {
  const lower = host.trim().toLowerCase();
  return HUB_ALIASES.has(lower) ? DOCKER_HUB : lower;
}

/** `localhost`, `127.0.0.0/8` and `[::1]`, with or without a port. */
export function isLoopbackHost(host: string): boolean {
  const name = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.replace(/:\d+$/, '');
  return name === 'localhost' || name === '[::1]' || /^127(?:\.\d{1,3}){3}$/.test(name);
}

export function findHostConfig(
  hosts: readonly RegistryHostConfig[],
  registry: string,
): RegistryHostConfig | undefined {
  const wanted = normalHost(registry);
  return hosts.find((entry) => normalHost(entry.host) === wanted);
}

/**
 * Base URL (no trailing slash) that serves `/v2/` for `registry`. `hostUrls` maps an API host to another
 * base URL (tests stand in for registry-1.docker.io this way); a configured mirror wins over both.
 */
export function registryBaseUrl(
  registry: string,
  config: RegistryHostConfig | undefined,
  hostUrls: Readonly<Record<string, string>> = {},
): URL {
  if (config?.mirror) return new URL(config.mirror.replace(/\/+$/, '') + '/');
  const host = normalHost(registry) === DOCKER_HUB ? DOCKER_HUB_API_HOST : registry.toLowerCase();
  const mapped = hostUrls[host];
  if (mapped) return new URL(mapped.replace(/\/+$/, '') + '/');
  const scheme = config?.insecure || isLoopbackHost(host) ? 'http' : 'https';
  return new URL(`${scheme}://${host}/`);
}

/** Repository path as the registry knows it: single-segment Docker Hub names live under `library/`. */
export function repositoryPath(registry: string, repository: string): string {
  return normalHost(registry) === DOCKER_HUB && !repository.includes('/')
    ? `library/${repository}`
    : repository;
}
