// Hand-written OCI image layouts for the registry benchmark: one small image per platform, an index when
// there are several, `created` set by the caller, so skopeo can push them and the digests are known.
import { Buffer } from 'node:buffer';
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const TYPES = {
  index: 'application/vnd.oci.image.index.v1+json',
  manifest: 'application/vnd.oci.image.manifest.v1+json',
  config: 'application/vnd.oci.image.config.v1+json',
  layer: 'application/vnd.oci.image.layer.v1.tar+gzip',
};

const blob = (bytes) => ({
  bytes,
  size: bytes.length,
  digest: `sha256:${createHash('sha256').update(bytes).digest('hex')}`,
});
const jsonBlob = (value) => blob(Buffer.from(JSON.stringify(value)));

/** A ustar archive with one file (the registry stores layers as given, but keep them valid). */
function tar(name, content) {
  const header = Buffer.alloc(512);
  const field = (text, offset) => header.write(text, offset, 'ascii');
  field(name, 0);
  field('0000644\0', 100);
  field('0000000\0', 108);
  field('0000000\0', 116);
  field(`${content.length.toString(8).padStart(11, '0')}\0`, 124);
  field('00000000000\0', 136);
  field('        ', 148);
  field('0', 156);
  field('ustar\0', 257);
  field('00', 263);
  const sum = header.reduce((total, byte) => total + byte, 0);
  field(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  const pad = Buffer.alloc((512 - (content.length % 512)) % 512);
  return Buffer.concat([header, content, pad, Buffer.alloc(1024)]);
}

/**
 * Writes `dir` as an OCI layout whose `ref` is an image for each of `platforms` (`os/arch`), built at
 * `created`. Returns the top digest (index or manifest) and, for an index, the platform manifest digests.
 */
export async function writeLayout(dir, { label, created, platforms, ref = 'image' }) {
  const blobs = [];
  const images = platforms.map((platform) => {
    const [os, architecture] = platform.split('/');
    const layer = blob(gzipSync(tar('label.txt', Buffer.from(`${label} ${platform}\n`))));
    const config = jsonBlob({
      created,
      architecture,
      os,
      config: { Labels: { 'org.opencontainers.image.title': label } },
      rootfs: { type: 'layers', diff_ids: [] },
    });
    const manifest = jsonBlob({
      schemaVersion: 2,
      mediaType: TYPES.manifest,
      config: { mediaType: TYPES.config, digest: config.digest, size: config.size },
      layers: [{ mediaType: TYPES.layer, digest: layer.digest, size: layer.size }],
    });
    blobs.push(layer, config, manifest);
    return { manifest, platform: { os, architecture } };
  });
  let top = { mediaType: TYPES.manifest, ...images[0].manifest };
  if (images.length > 1) {
    const index = jsonBlob({
      schemaVersion: 2,
      mediaType: TYPES.index,
      manifests: images.map(({ manifest, platform }) => ({
        mediaType: TYPES.manifest,
        digest: manifest.digest,
        size: manifest.size,
        platform,
      })),
    });
    blobs.push(index);
    top = { mediaType: TYPES.index, ...index };
  }
  const blobDir = join(dir, 'blobs', 'sha256');
  await mkdir(blobDir, { recursive: true });
  for (const b of blobs) await writeFile(join(blobDir, b.digest.slice('sha256:'.length)), b.bytes);
  await writeFile(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  const descriptor = { mediaType: top.mediaType, digest: top.digest, size: top.size };
  await writeFile(
    join(dir, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      manifests: [{ ...descriptor, annotations: { 'org.opencontainers.image.ref.name': ref } }],
    }),
  );
  return {
    dir,
    ref,
    digest: top.digest,
    children: images.length > 1 ? images.map(({ manifest }) => manifest.digest) : [],
  };
}
