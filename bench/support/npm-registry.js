// A minimal npm registry for the relock benchmark: one node:http server on loopback serving packuments
// (`/name`, `/@scope%2fname`) built from in-memory package data, and each version's tarball at the
// packument's dist.tarball, a real .tgz (package/package.json in a ustar archive, gzipped) whose sha512 is
// dist.integrity. Publishing is adding a version to the data. Requests are counted by kind, so the
// benchmark can show that regenerating a lockfile reads packuments only.
import { Buffer } from 'node:buffer';
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import { gzipSync } from 'node:zlib';

/** A ustar archive of regular files (`[path, Buffer]`), metadata fixed. */
export function tarFiles(files) {
  const blocks = [];
  for (const [path, content] of files) {
    const header = Buffer.alloc(512);
    const field = (text, offset) => header.write(text, offset, 'ascii');
    field(path, 0);
    field('0000644\0', 100);
    field('0000000\0', 108);
    field('0000000\0', 116);
    field(`${content.length.toString(8).padStart(11, '0')}\0`, 124);
    field(`${(1767225600).toString(8).padStart(11, '0')}\0`, 136); // 2026-01-01
    field('        ', 148); // the checksum counts itself as spaces
    field('0', 156);
    field('ustar\0', 257);
    field('00', 263);
    let sum = 0;
    for (const byte of header) sum += byte;
    field(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
    blocks.push(header, content, Buffer.alloc((512 - (content.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

/** The file name of a version's tarball: the name without its scope. */
const tarballName = (name, version) =>
  `${name.startsWith('@') ? name.slice(name.indexOf('/') + 1) : name}-${version}.tgz`;

/**
 * Starts the registry. `packages()` is read at each packument request: a Map name → Map version →
 * `{ dependencies }` (edit it to publish). Returns `{ url, counts, reset, stop }`; `counts()` is
 * `{ packuments, tarballs, other, distinct }`.
 */
export async function startNpmRegistry(packages) {
  let base = '';
  const tarballs = new Map(); // `${name}@${version}` → { bytes, integrity, shasum }
  const documents = new Map(); // name → { key, body } (rebuilt when the version set changes)
  let counts;
  const reset = () => {
    counts = { packuments: 0, tarballs: 0, other: 0, names: new Set() };
  };
  reset();

  const tarball = (name, version, deps) => {
    const key = `${name}@${version}`;
    let entry = tarballs.get(key);
    if (!entry) {
      const manifest = { name, version, description: 'relock benchmark package', dependencies: deps };
      const bytes = gzipSync(tarFiles([['package/package.json', Buffer.from(JSON.stringify(manifest))]]));
      entry = {
        bytes,
        integrity: `sha512-${createHash('sha512').update(bytes).digest('base64')}`,
        shasum: createHash('sha1').update(bytes).digest('hex'),
      };
      tarballs.set(key, entry);
    }
    return entry;
  };

  const packument = (name) => {
    const versions = packages.get(name);
    if (!versions) return undefined;
    const key = [...versions.keys()].join(',');
    const kept = documents.get(name);
    if (kept?.key === key) return kept.body;
    const doc = { name, 'dist-tags': {}, modified: '2026-01-01T00:00:00.000Z', versions: {} };
    const time = { created: '2025-01-01T00:00:00.000Z', modified: doc.modified };
    let latest;
    for (const [version, { dependencies = {} }] of versions) {
      const { integrity, shasum } = tarball(name, version, dependencies);
      doc.versions[version] = {
        name,
        version,
        dependencies,
        dist: { tarball: `${base}/${name}/-/${tarballName(name, version)}`, integrity, shasum },
      };
      time[version] = doc.modified;
      latest = version; // versions are added in ascending order
    }
    doc['dist-tags'].latest = latest;
    doc.time = time;
    const body = JSON.stringify(doc);
    documents.set(name, { key, body });
    return body;
  };

  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET') {
      counts.other++;
      res.writeHead(405).end();
      return;
    }
    let decoded;
    try {
      decoded = decodeURIComponent(path.slice(1));
    } catch {
      counts.other++;
      res.writeHead(400).end();
      return;
    }
    const file = /^((?:@[^/]+\/)?[^/@]+)\/-\/([^/]+\.tgz)$/.exec(decoded);
    if (file) {
      counts.tarballs++;
      const [, name, filename] = file;
      const version = [...(packages.get(name)?.keys() ?? [])].find((v) => tarballName(name, v) === filename);
      if (version === undefined) {
        res.writeHead(404).end();
        return;
      }
      const { bytes } = tarball(name, version, packages.get(name).get(version).dependencies ?? {});
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': bytes.length });
      res.end(bytes);
      return;
    }
    const body = /^(?:@[^/]+\/)?[^/@]+$/.test(decoded) ? packument(decoded) : undefined;
    if (body === undefined) {
      counts.other++;
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
      return;
    }
    counts.packuments++;
    counts.names.add(decoded);
    res.writeHead(200, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
    });
    res.end(body);
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  base = `http://127.0.0.1:${server.address().port}`;
  return {
    url: `${base}/`,
    counts: () => ({
      packuments: counts.packuments,
      tarballs: counts.tarballs,
      other: counts.other,
      distinct: counts.names.size,
    }),
    reset,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
