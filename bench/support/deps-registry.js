// Local stand-ins for the npm registry and PyPI's simple index, for the deps benchmark: one node:http
// server on loopback that answers any packument GET (`/name`, `/@scope%2fname`) with a generated
// abbreviated packument and any `/simple/<name>/` with a PEP 691 JSON page, each with a few versions.
// Every request is counted by path, so repeats show.
import { Buffer } from 'node:buffer';
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';

/** What every generated package offers: old enough to be below most locks, new enough to be above. */
export const VERSIONS = ['0.9.0', '1.0.0', '1.1.0', '2.0.0', '2.1.1', '3.0.0', '10.0.0', '25.0.0'];

const sha = (text) => createHash('sha256').update(text).digest('hex');

function packument(name, base) {
  const tail = name.startsWith('@') ? name.slice(name.indexOf('/') + 1) : name;
  const versions = {};
  for (const version of VERSIONS) {
    versions[version] = {
      name,
      version,
      dist: {
        tarball: `${base}/${name}/-/${tail}-${version}.tgz`,
        shasum: sha(`${name}@${version}`).slice(0, 40),
      },
    };
  }
  return {
    name,
    'dist-tags': { latest: VERSIONS.at(-1) },
    modified: '2026-01-01T00:00:00.000Z',
    versions,
  };
}

function simplePage(name, base) {
  const wheelName = name.replace(/-/g, '_');
  const files = VERSIONS.flatMap((version) =>
    [`${name}-${version}.tar.gz`, `${wheelName}-${version}-py3-none-any.whl`].map((filename) => ({
      filename,
      url: `${base}/files/${filename}`,
      hashes: { sha256: sha(filename) },
      'requires-python': '>=3.8',
    })),
  );
  return { meta: { 'api-version': '1.1' }, name, files, versions: VERSIONS };
}

/**
 * `{ npmUrl, pypiUrl, requests, reset, stop }`: `requests` is a Map path → count, `byKind()` totals
 * npm and PyPI requests.
 */
export async function startPackageRegistries() {
  let requests = new Map();
  let base = '';
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    requests.set(path, (requests.get(path) ?? 0) + 1);
    if (req.method !== 'GET') {
      res.writeHead(405).end();
      return;
    }
    let name;
    try {
      name = decodeURIComponent(path.slice(1));
    } catch {
      res.writeHead(400).end();
      return;
    }
    const simple = /^simple\/([^/]+)\/$/.exec(name);
    let type;
    let doc;
    if (simple) {
      type = 'application/vnd.pypi.simple.v1+json';
      doc = simplePage(simple[1], base);
    } else if (/^(?:@[^/]+\/)?[^/@]+$/.test(name)) {
      type = 'application/vnd.npm.install-v1+json';
      doc = packument(name, base);
    } else {
      res.writeHead(404).end();
      return;
    }
    const body = JSON.stringify(doc);
    res.writeHead(200, {
      'content-type': type,
      'content-length': Buffer.byteLength(body),
      etag: `"${sha(body).slice(0, 16)}"`,
    });
    res.end(body);
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  base = `http://127.0.0.1:${server.address().port}`;
  return {
    npmUrl: base,
    pypiUrl: `${base}/simple`,
    requests: () => new Map(requests),
    byKind: () => {
      const out = { npm: 0, pypi: 0, paths: requests.size, maxPerPath: 0 };
      for (const [path, n] of requests) {
        out[path.startsWith('/simple/') ? 'pypi' : 'npm'] += n;
        out.maxPerPath = Math.max(out.maxPerPath, n);
      }
      return out;
    },
    reset: () => {
      requests = new Map();
    },
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
