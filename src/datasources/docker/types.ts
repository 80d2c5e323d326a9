// What the Docker datasource (OCI distribution registry client) needs to know and gives back.

/** A repository on a registry: `registry` as in `Dependency.registry` (`docker.io` for Docker Hub). */
export interface ImageName {
  registry: string;
  repository: string;
}

/**
 * Per-host settings, as the operator (or the CLI's user) configured them: never from a scanned
 * repository. Credentials arrive resolved (read from the environment or Docker's config by the caller).
 */
export interface RegistryHostConfig {
  /** Host (with port) the settings apply to, e.g. `ghcr.io`, `registry.example.com:5000`, `docker.io`. */
  host: string;
  /** Basic credentials, sent to this host (or its token realm) only. */
  credentials?: { username: string; password: string };
  /** Plain HTTP for this host (loopback hosts are plain HTTP by default, as Docker treats them). */
  insecure?: boolean;
  /** Base URL of a pull-through mirror to ask instead of the host itself, e.g. `https://mirror.example.com`. */
  mirror?: string;
}

export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

/** The result of resolving a tag (or digest) to what it points at now. */
export interface ResolvedDigest {
  /** `sha256:…` of the manifest or index the reference resolves to. */
  digest: string;
  /** Media type from Content-Type (index vs single-platform manifest). */
  mediaType: string;
}
