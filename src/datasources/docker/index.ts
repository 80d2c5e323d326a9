// The Docker datasource: an OCI distribution registry client.

export {
  DEFAULT_LIMITS,
  DEFAULT_PLATFORM,
  RegistryClient,
  type RegistryClientOptions,
  type RegistryLimits,
  type RegistryLogger,
  type RequestEvent,
  type RequestKind,
} from './client.js';
export { RegistryError, isRegistryError, type RegistryErrorKind } from './errors.js';
export type { RateLimit } from './headers.js';
export { DOCKER_HUB, DOCKER_HUB_API_HOST, isLoopbackHost, registryBaseUrl, repositoryPath } from './hosts.js';
export {
  MANIFEST_ACCEPT,
  MEDIA_TYPES,
  isIndexMediaType,
  type Descriptor,
  type Manifest,
} from './manifest.js';
export type { ImageName, Platform, RegistryHostConfig, ResolvedDigest } from './types.js';
