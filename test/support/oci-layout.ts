// Writes OCI image layouts by hand so tests control every byte: the `created` date, the platforms and,
// through the bytes, the digests. No timestamps, random data or compressor versions go in, so the same
// spec gives the same digests on every run and machine.
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import type { Platform } from '../../src/datasources/docker/types.js';

export const MEDIA_TYPES = {
  oci: {
    index: 'application/vnd.oci.image.index.v1+json',
    manifest: 'application/vnd.oci.image.manifest.v1+json',
    config: 'application/vnd.oci.image.config.v1+json',
    layer: 'application/vnd.oci.image.layer.v1.tar+gzip',
  },
  docker: {
    index: 'application/vnd.docker.distribution.manifest.list.v2+json',
    manifest: 'application/vnd.docker.distribution.manifest.v2+json',
    config: 'application/vnd.docker.container.image.v1+json',
    layer: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
  },
} as const;

/** Every manifest type a registry client should accept, as it sends them in `Accept`. */
export const ACCEPT_ALL = [
  MEDIA_TYPES.oci.index,
  MEDIA_TYPES.docker.index,
  MEDIA_TYPES.docker.manifest,
  MEDIA_TYPES.oci.manifest,
].join(', ');

export interface ImageSpec {
  /** Default linux/amd64. */
  platform?: Platform;
  /** RFC 3339 `created` of the config; null leaves the field out. Default null. */
  created?: string | null;
  /** Config labels (`config.Labels`), e.g. `org.opencontainers.image.created`. */
  labels?: Record<string, string>;
  /** Text of the one file in the layer; by default derived from platform and date, so images differ. */
  content?: string;
}

export interface LayoutSpec {
  images: ImageSpec[];
  /** Write an index (manifest list) even for one image. Default: only when there are several images. */
  index?: boolean;
  /** OCI media types (default) or Docker schema 2 ones. */
  format?: 'oci' | 'docker';
  /** `org.opencontainers.image.ref.name` in index.json. Default `latest`. */
  ref?: string;
}

export interface WrittenImage {
  platform: Platform;
  /** Digest of the platform manifest. */
  digest: string;
  mediaType: string;
  size: number;
  configDigest: string;
  layerDigest: string;
  created: string | null;
}

export interface OciLayout {
  dir: string;
  ref: string;
  /** What the ref points at: the index digest when there is an index, else the manifest digest. */
  digest: string;
  mediaType: string;
  /** Set when the layout has an index. */
  indexDigest?: string;
  images: WrittenImage[];
}

interface Blob {
  digest: string;
  size: number;
  bytes: Buffer;
}

function blob(bytes: Buffer): Blob {
  return { digest: `sha256:${createHash('sha256').update(bytes).digest('hex')}`, size: bytes.length, bytes };
}

function json(value: unknown): Blob {
  return blob(Buffer.from(JSON.stringify(value)));
}

function octal(value: number, width: number): string {
  return value.toString(8).padStart(width - 1, '0') + '\0';
}

/** A ustar archive holding one regular file, all metadata fixed. */
function tarOneFile(name: string, content: Buffer): Buffer {
  const header = Buffer.alloc(512);
  header.write(name, 0, 100, 'utf8');
  header.write(octal(0o644, 8), 100);
  header.write(octal(0, 8), 108);
  header.write(octal(0, 8), 116);
  header.write(octal(content.length, 12), 124);
  header.write(octal(0, 12), 136);
  header.write(' '.repeat(8), 148);
  header.write('0', 156);
  header.write('ustar\0', 257);
  header.write('00', 263);
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(octal(sum, 7) + ' ', 148);
  const padding = Buffer.alloc((512 - (content.length % 512)) % 512);
  return Buffer.concat([header, content, padding, Buffer.alloc(1024)]);
}

/** gzip with stored (uncompressed) deflate blocks: valid, and independent of the zlib version. */
function gzipStored(data: Buffer): Buffer {
  const parts: Buffer[] = [Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff])];
  for (let offset = 0; offset === 0 || offset < data.length; offset += 0xffff) {
    const chunk = data.subarray(offset, offset + 0xffff);
    const head = Buffer.alloc(5);
    head[0] = offset + 0xffff >= data.length ? 1 : 0;
    head.writeUInt16LE(chunk.length, 1);
    head.writeUInt16LE(~chunk.length & 0xffff, 3);
    parts.push(head, chunk);
  }
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc32(data), 0);
  trailer.writeUInt32LE(data.length % 2 ** 32, 4);
  parts.push(trailer);
  return Buffer.concat(parts);
}

function platformOf(spec: ImageSpec): Platform {
  return spec.platform ?? { os: 'linux', architecture: 'amd64' };
}

function platformJson(platform: Platform): Record<string, string> {
  const out: Record<string, string> = { architecture: platform.architecture, os: platform.os };
  if (platform.variant) out.variant = platform.variant;
  return out;
}

function buildImage(spec: ImageSpec, types: (typeof MEDIA_TYPES)['oci' | 'docker']) {
  const platform = platformOf(spec);
  const created = spec.created ?? null;
  const text =
    spec.content ??
    `${platform.os}/${platform.architecture}${platform.variant ? `/${platform.variant}` : ''} ${created}\n`;
  const tar = tarOneFile('hello.txt', Buffer.from(text));
  const diffId = blob(tar).digest;
  const layer = blob(gzipStored(tar));
  const config = json({
    ...(created === null ? {} : { created }),
    ...platformJson(platform),
    config: spec.labels ? { Labels: spec.labels } : {},
    rootfs: { type: 'layers', diff_ids: [diffId] },
  });
  const manifest = json({
    schemaVersion: 2,
    mediaType: types.manifest,
    config: { mediaType: types.config, digest: config.digest, size: config.size },
    layers: [{ mediaType: types.layer, digest: layer.digest, size: layer.size }],
  });
  const written: WrittenImage = {
    platform,
    digest: manifest.digest,
    mediaType: types.manifest,
    size: manifest.size,
    configDigest: config.digest,
    layerDigest: layer.digest,
    created,
  };
  return { written, blobs: [layer, config, manifest] };
}

/** Writes the layout into `dir` (created if needed) and returns the digests it wrote. */
export async function writeOciLayout(dir: string, spec: LayoutSpec): Promise<OciLayout> {
  if (spec.images.length === 0) throw new Error('writeOciLayout: at least one image');
  const types = MEDIA_TYPES[spec.format ?? 'oci'];
  const ref = spec.ref ?? 'latest';
  const built = spec.images.map((image) => buildImage(image, types));
  const blobs = built.flatMap((image) => image.blobs);
  const images = built.map((image) => image.written);

  let top: { mediaType: string; digest: string; size: number };
  let indexDigest: string | undefined;
  if (spec.index ?? images.length > 1) {
    const index = json({
      schemaVersion: 2,
      mediaType: types.index,
      manifests: images.map((image) => ({
        mediaType: image.mediaType,
        digest: image.digest,
        size: image.size,
        platform: platformJson(image.platform),
      })),
    });
    blobs.push(index);
    indexDigest = index.digest;
    top = { mediaType: types.index, digest: index.digest, size: index.size };
  } else {
    const [image] = images as [WrittenImage];
    top = { mediaType: image.mediaType, digest: image.digest, size: image.size };
  }

  const blobDir = join(dir, 'blobs', 'sha256');
  await mkdir(blobDir, { recursive: true });
  await Promise.all(blobs.map((b) => writeFile(join(blobDir, b.digest.slice('sha256:'.length)), b.bytes)));
  await writeFile(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  await writeFile(
    join(dir, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      manifests: [{ ...top, annotations: { 'org.opencontainers.image.ref.name': ref } }],
    }),
  );
  return { dir, ref, digest: top.digest, mediaType: top.mediaType, indexDigest, images };
}
