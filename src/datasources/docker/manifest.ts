// Manifests and indexes as plain data, and the pure decisions made on them: which platform entry
// matches, and when an image was built.

import type { Platform } from './types.js';

export const MEDIA_TYPES = {
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
} as const;

/**
 * Every type we understand, on every manifest request: with a partial list registries answer 404 (OCI
 * index) or silently convert a Docker list to its amd64 child — a different digest.
 */
export const MANIFEST_ACCEPT = [
  MEDIA_TYPES.ociIndex,
  MEDIA_TYPES.dockerList,
  MEDIA_TYPES.dockerManifest,
  MEDIA_TYPES.ociManifest,
].join(', ');

const INDEX_TYPES: ReadonlySet<string> = new Set([MEDIA_TYPES.ociIndex, MEDIA_TYPES.dockerList]);

export const CREATED_ANNOTATION = 'org.opencontainers.image.created';

export interface Descriptor {
  mediaType: string;
  digest: string;
  platform?: Platform;
  annotations?: Record<string, string>;
}

export type Manifest =
  | { kind: 'index'; mediaType: string; manifests: Descriptor[]; annotations?: Record<string, string> }
  | { kind: 'manifest'; mediaType: string; config: Descriptor; annotations?: Record<string, string> };

export function isIndexMediaType(mediaType: string): boolean {
  return INDEX_TYPES.has(mediaType);
}

/** `application/json; charset=utf-8` → `application/json`. */
export function baseMediaType(contentType: string | null): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}$/;

export function isDigest(text: string): boolean {
  return DIGEST.test(text);
}

/**
 * Reads a manifest or index. The Content-Type decides the kind (bodies may omit or misstate
 * `mediaType`); with no usable Content-Type the body's shape does. Returns an error text when the
 * document is not one.
 */
export function parseManifest(body: string, contentType: string): Manifest | { error: string } {
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch {
    return { error: 'manifest is not JSON' };
  }
  if (!isObject(doc)) return { error: 'manifest is not a JSON object' };
  const declared = typeof doc.mediaType === 'string' ? doc.mediaType : '';
  const mediaType = contentType && contentType !== 'application/json' ? contentType : declared;
  const annotations = stringMap(doc.annotations);
  const asIndex = mediaType ? isIndexMediaType(mediaType) : Array.isArray(doc.manifests);
  if (asIndex) {
    if (!Array.isArray(doc.manifests)) return { error: 'index has no manifests list' };
    const manifests: Descriptor[] = [];
    for (const entry of doc.manifests) {
      const descriptor = readDescriptor(entry);
      if (!descriptor) return { error: 'index entry without a valid digest' };
      manifests.push(descriptor);
    }
    return { kind: 'index', mediaType, manifests, ...(annotations && { annotations }) };
  }
  const config = readDescriptor(doc.config);
  if (!config) return { error: 'manifest has no valid config descriptor' };
  return { kind: 'manifest', mediaType, config, ...(annotations && { annotations }) };
}

function readDescriptor(value: unknown): Descriptor | null {
  if (!isObject(value) || typeof value.digest !== 'string' || !isDigest(value.digest)) return null;
  const descriptor: Descriptor = {
    mediaType: typeof value.mediaType === 'string' ? value.mediaType : '',
    digest: value.digest,
  };
  const p = value.platform;
  if (isObject(p) && typeof p.os === 'string' && typeof p.architecture === 'string') {
    descriptor.platform = { os: p.os, architecture: p.architecture };
    if (typeof p.variant === 'string' && p.variant) descriptor.platform.variant = p.variant;
  }
  const annotations = stringMap(value.annotations);
  if (annotations) descriptor.annotations = annotations;
  return descriptor;
}

/** arm64 images are v8 whether or not the index says so; other variants must match exactly. */
function normalVariant(platform: Platform): string {
  if (platform.architecture === 'arm64' && (platform.variant === undefined || platform.variant === 'v8'))
    return '';
  return platform.variant ?? '';
}

export function samePlatform(a: Platform, b: Platform): boolean {
  return a.os === b.os && a.architecture === b.architecture && normalVariant(a) === normalVariant(b);
}

/** The index entry built for `platform`, or null. */
export function findPlatform(index: Manifest & { kind: 'index' }, platform: Platform): Descriptor | null {
  return index.manifests.find((entry) => entry.platform && samePlatform(entry.platform, platform)) ?? null;
}

/**
 * A build date worth reporting: RFC 3339 that parses, normalised to ISO; 1970 (reproducible builds set
 * SOURCE_DATE_EPOCH=0) means unknown.
 */
export function usableDate(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const time = Date.parse(value);
  if (Number.isNaN(time)) return null;
  const date = new Date(time);
  return date.getUTCFullYear() <= 1970 ? null : date.toISOString();
}

/** `os`/`architecture`/`variant` of an image config blob; null when they are missing. */
export function platformFromConfig(body: string): Platform | null {
  const doc = parseObject(body);
  if (!doc || typeof doc.os !== 'string' || typeof doc.architecture !== 'string') return null;
  return {
    os: doc.os,
    architecture: doc.architecture,
    ...(typeof doc.variant === 'string' && doc.variant !== '' && { variant: doc.variant }),
  };
}

/** `created` of an image config blob, else its `org.opencontainers.image.created` label. */
export function createdFromConfig(body: string): string | null {
  const doc = parseObject(body);
  if (!doc) return null;
  const labels = isObject(doc.config) ? stringMap(doc.config.Labels) : undefined;
  return usableDate(doc.created) ?? usableDate(labels?.[CREATED_ANNOTATION]);
}

function parseObject(body: string): Record<string, unknown> | null {
  try {
    const doc: unknown = JSON.parse(body);
    return isObject(doc) ? doc : null;
  } catch {
    return null;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringMap(value: unknown): Record<string, string> | undefined {
  if (!isObject(value)) return undefined;
  const out: Record<string, string> = {};
  for (const [key, v] of Object.entries(value)) if (typeof v === 'string') out[key] = v;
  return out;
}
