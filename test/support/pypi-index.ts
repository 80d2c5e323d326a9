// A local Python package index for tests: PEP 691 JSON and PEP 503 HTML project pages (content
// negotiation as PyPI does it) over node:http on a loopback port, serving real wheels and sdists built
// here (zip and tar.gz written by hand), with sha256 hashes, yanked files, requires-python and PEP 700
// upload times. The real pip can install from it. Every request is logged.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { crc32, deflateRawSync, gzipSync } from 'node:zlib';

export interface IndexFileSpec {
  kind: 'wheel' | 'sdist';
  /** Defaults to the release's. */
  requiresPython?: string;
  yanked?: boolean | string;
  uploadTime?: string;
  /** Wheel tag (`py3-none-any` by default). */
  tag?: string;
  /** The index gives this file's md5 only, no sha256 (as some old mirrors do). */
  md5Only?: boolean;
}

export interface IndexRelease {
  version: string;
  /** Default: one wheel and one sdist. */
  files?: IndexFileSpec[];
  requiresPython?: string;
  yanked?: boolean | string;
  /** ISO 8601; given to every file that has none of its own. */
  uploadTime?: string;
}

export interface IndexProject {
  /** As published (`Foo.Bar_baz`); served under its PEP 503 normal form. */
  name: string;
  releases: IndexRelease[];
}

export interface IndexedFile {
  project: string;
  version: string;
  filename: string;
  /** Absolute URL of the file on this index. */
  url: string;
  sha256: string;
  content: Buffer;
  /** Served with an md5 hash instead of its sha256. */
  md5Only?: boolean;
  requiresPython?: string;
  yanked: boolean | string;
  uploadTime?: string;
}

export interface IndexRequest {
  method: string;
  /** Path and query. */
  url: string;
  accept?: string;
  served: 'json' | 'html' | 'file' | 'redirect' | 'not-found';
}

export interface PypiIndexOptions {
  projects: IndexProject[];
  /** `negotiate` (default) answers as the Accept header prefers; `json`/`html` always answer so. */
  serve?: 'negotiate' | 'json' | 'html';
}

export interface PypiIndex {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  /** `http://127.0.0.1:<port>/simple/`, what pip's `--index-url` takes. */
  simpleUrl: string;
  /** `127.0.0.1:<port>` */
  host: string;
  files: IndexedFile[];
  requests: IndexRequest[];
  stop(): Promise<void>;
}

export const JSON_TYPE = 'application/vnd.pypi.simple.v1+json';
export const HTML_TYPE = 'application/vnd.pypi.simple.v1+html';

export function normalise(name: string): string {
  return name.replace(/[-_.]+/g, '-').toLowerCase();
}

/** The name as wheel and sdist file names spell it. */
function distName(name: string): string {
  return name.replace(/[-_.]+/g, '_').toLowerCase();
}

export async function startPypiIndex(options: PypiIndexOptions): Promise<PypiIndex> {
  const requests: IndexRequest[] = [];
  const files: IndexedFile[] = [];
  const byProject = new Map<string, { name: string; files: IndexedFile[] }>();
  const server = createServer((req, res) => {
    const served = route(req, res);
    requests.push({
      method: req.method ?? '',
      url: req.url ?? '',
      ...(req.headers.accept !== undefined && { accept: req.headers.accept }),
      served,
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;

  for (const project of options.projects) {
    const entry = { name: project.name, files: [] as IndexedFile[] };
    byProject.set(normalise(project.name), entry);
    for (const release of project.releases) {
      for (const spec of release.files ?? [{ kind: 'wheel' }, { kind: 'sdist' }]) {
        const requiresPython = spec.requiresPython ?? release.requiresPython;
        const built = buildFile(project.name, release.version, { ...spec, requiresPython });
        const uploadTime = spec.uploadTime ?? release.uploadTime;
        const file: IndexedFile = {
          project: project.name,
          version: release.version,
          filename: built.filename,
          url: `${origin}/files/${built.filename}`,
          sha256: createHash('sha256').update(built.content).digest('hex'),
          content: built.content,
          yanked: spec.yanked ?? release.yanked ?? false,
          ...(requiresPython !== undefined && { requiresPython }),
          ...(uploadTime !== undefined && { uploadTime }),
          ...(spec.md5Only && { md5Only: true }),
        };
        entry.files.push(file);
        files.push(file);
      }
    }
  }

  function route(req: IncomingMessage, res: ServerResponse): IndexRequest['served'] {
    const path = new URL(req.url ?? '/', origin).pathname;
    if (path.startsWith('/files/')) {
      const file = files.find((f) => `/files/${f.filename}` === decodeURIComponent(path));
      if (!file) return notFound(res);
      res.writeHead(200, {
        'content-type': 'application/octet-stream',
        'content-length': file.content.length,
      });
      res.end(req.method === 'HEAD' ? undefined : file.content);
      return 'file';
    }
    if (path === '/simple') return redirect(res, '/simple/');
    if (path === '/simple/') {
      const names = [...byProject.values()].map((p) => p.name);
      return answer(req, res, {
        json: { meta: { 'api-version': '1.1' }, projects: names.map((name) => ({ name })) },
        html: page(
          'Simple index',
          names.map((name) => `<a href="/simple/${normalise(name)}/">${escape(name)}</a>`),
        ),
      });
    }
    const match = /^\/simple\/([^/]+)(\/?)$/.exec(path);
    if (!match) return notFound(res);
    const asked = decodeURIComponent(match[1]!);
    const project = byProject.get(normalise(asked));
    if (!project) return notFound(res);
    // As PyPI does: one canonical URL per project.
    if (asked !== normalise(asked) || match[2] !== '/') return redirect(res, `/simple/${normalise(asked)}/`);
    return answer(req, res, {
      json: projectJson(project.name, project.files),
      html: page(
        `Links for ${project.name}`,
        project.files.map((file) => {
          const attributes = [`href="/files/${file.filename}#${fragment(file)}"`];
          if (file.requiresPython !== undefined)
            attributes.push(`data-requires-python="${escape(file.requiresPython)}"`);
          if (file.yanked !== false)
            attributes.push(`data-yanked="${file.yanked === true ? '' : escape(file.yanked)}"`);
          return `<a ${attributes.join(' ')}>${escape(file.filename)}</a>`;
        }),
      ),
    });
  }

  function answer(req: IncomingMessage, res: ServerResponse, body: { json: unknown; html: string }) {
    const mode = options.serve ?? 'negotiate';
    const type = mode === 'json' ? JSON_TYPE : mode === 'html' ? 'text/html' : negotiate(req.headers.accept);
    const text = type === JSON_TYPE ? JSON.stringify(body.json) : body.html;
    res.writeHead(200, {
      'content-type': type === JSON_TYPE ? type : `${type}; charset=utf-8`,
      'content-length': Buffer.byteLength(text),
      vary: 'Accept',
    });
    res.end(req.method === 'HEAD' ? undefined : text);
    return type === JSON_TYPE ? 'json' : 'html';
  }

  return {
    origin,
    simpleUrl: `${origin}/simple/`,
    host: `127.0.0.1:${port}`,
    files,
    requests,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function projectJson(name: string, files: IndexedFile[]): unknown {
  return {
    meta: { 'api-version': '1.1' },
    name: normalise(name),
    versions: [...new Set(files.map((f) => f.version))],
    files: files.map((file) => ({
      filename: file.filename,
      url: `/files/${file.filename}`,
      hashes: file.md5Only ? { md5: md5(file.content) } : { sha256: file.sha256 },
      size: file.content.length,
      ...(file.requiresPython !== undefined && { 'requires-python': file.requiresPython }),
      ...(file.yanked !== false && { yanked: file.yanked }),
      ...(file.uploadTime !== undefined && { 'upload-time': file.uploadTime }),
    })),
  };
}

function md5(content: Buffer): string {
  return createHash('md5').update(content).digest('hex');
}

/** The hash fragment of a file's link (PEP 503). */
function fragment(file: IndexedFile): string {
  return file.md5Only ? `md5=${md5(file.content)}` : `sha256=${file.sha256}`;
}

/** The media type the Accept header prefers (PEP 691): JSON, the v1 HTML type, or text/html by default. */
export function negotiate(accept: string | undefined): string {
  const weights = new Map<string, number>();
  for (const part of (accept ?? '').split(',')) {
    const [type = '', ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    const q = params.find((p) => p.startsWith('q='));
    weights.set(type, q ? Number(q.slice(2)) || 0 : 1);
  }
  const weight = (type: string) => weights.get(type) ?? 0;
  const json = Math.max(weight(JSON_TYPE), weight('application/vnd.pypi.simple.latest+json'));
  const v1html = Math.max(weight(HTML_TYPE), weight('application/vnd.pypi.simple.latest+html'));
  const html = Math.max(weight('text/html'), weight('*/*'));
  if (json > 0 && json >= v1html && json >= html) return JSON_TYPE;
  if (v1html > 0 && v1html >= html) return HTML_TYPE;
  return 'text/html';
}

function page(title: string, links: string[]): string {
  return `<!DOCTYPE html>\n<html><head><meta name="pypi:repository-version" content="1.1"><title>${escape(title)}</title></head>\n<body><h1>${escape(title)}</h1>\n${links.join('<br/>\n')}\n</body></html>\n`;
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function redirect(res: ServerResponse, location: string): IndexRequest['served'] {
  res.writeHead(301, { location, 'content-length': 0 });
  res.end();
  return 'redirect';
}

function notFound(res: ServerResponse): IndexRequest['served'] {
  res.writeHead(404, { 'content-type': 'text/plain', 'content-length': 9 });
  res.end('not found');
  return 'not-found';
}

// ---- distribution files ----

function buildFile(
  name: string,
  version: string,
  spec: IndexFileSpec,
): { filename: string; content: Buffer } {
  const dist = distName(name);
  const metadata = [
    'Metadata-Version: 2.1',
    `Name: ${name}`,
    `Version: ${version}`,
    ...(spec.requiresPython !== undefined ? [`Requires-Python: ${spec.requiresPython}`] : []),
    '',
  ].join('\n');
  const module = `__version__ = ${JSON.stringify(version)}\n`;
  if (spec.kind === 'sdist') {
    const root = `${dist}-${version}`;
    const pyproject = `[project]\nname = ${JSON.stringify(name)}\nversion = ${JSON.stringify(version)}\n`;
    const content = tarGz([
      { name: `${root}/PKG-INFO`, data: Buffer.from(metadata) },
      { name: `${root}/pyproject.toml`, data: Buffer.from(pyproject) },
      { name: `${root}/${dist}/__init__.py`, data: Buffer.from(module) },
    ]);
    return { filename: `${root}.tar.gz`, content };
  }
  const tag = spec.tag ?? 'py3-none-any';
  const info = `${dist}-${version}.dist-info`;
  const entries = [
    { name: `${dist}/__init__.py`, data: Buffer.from(module) },
    { name: `${info}/METADATA`, data: Buffer.from(metadata) },
    {
      name: `${info}/WHEEL`,
      data: Buffer.from(
        `Wheel-Version: 1.0\nGenerator: dockhand-tests\nRoot-Is-Purelib: true\nTag: ${tag}\n`,
      ),
    },
  ];
  const record = [
    ...entries.map(
      (e) => `${e.name},sha256=${createHash('sha256').update(e.data).digest('base64url')},${e.data.length}`,
    ),
    `${info}/RECORD,,`,
    '',
  ].join('\n');
  entries.push({ name: `${info}/RECORD`, data: Buffer.from(record) });
  return { filename: `${dist}-${version}-${tag}.whl`, content: zip(entries) };
}

interface Entry {
  name: string;
  data: Buffer;
}

/** A zip archive (deflate), as wheels are: local headers, central directory, end record. */
export function zip(entries: Entry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  const DOS_DATE = (0 << 9) | (1 << 5) | 1; // 1980-01-01, the zip epoch
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const packed = deflateRawSync(entry.data);
    const crc = crc32(entry.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt16LE(0, 10);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(entry.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4); // made by Unix, so the mode below counts
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt16LE(0, 12);
    central.writeUInt16LE(DOS_DATE, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(entry.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE((0o100644 << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, packed);
    centrals.push(central, name);
    offset += local.length + name.length + packed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** A gzipped ustar archive of regular files. */
export function tarGz(entries: Entry[]): Buffer {
  const blocks: Buffer[] = [];
  for (const entry of entries) {
    const header = Buffer.alloc(512);
    header.write(entry.name, 0, 100, 'utf8');
    header.write('0000644\0', 100);
    header.write('0000000\0', 108);
    header.write('0000000\0', 116);
    header.write(`${entry.data.length.toString(8).padStart(11, '0')}\0`, 124);
    header.write('00000000000\0', 136);
    header.write('        ', 148); // checksum counts itself as spaces
    header.write('0', 156);
    header.write('ustar\0', 257);
    header.write('00', 263);
    let sum = 0;
    for (const byte of header) sum += byte;
    header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
    blocks.push(header, entry.data, Buffer.alloc((512 - (entry.data.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(blocks));
}

/**
 * The real pip (`python3 -m pip download`, binaries only, no dependencies, no cache, no user config)
 * against `indexUrl`, with `args` naming what to fetch (`name==1.0`, or `--require-hashes -r FILE`).
 */
const runFile = promisify(execFile);

export function pipDownload(
  indexUrl: string,
  args: string[],
  to: string,
): Promise<{ stdout: string; stderr: string }> {
  return runFile(
    'python3',
    [
      ...['-m', 'pip', '--isolated', '--disable-pip-version-check', 'download', '--no-deps'],
      ...['--no-cache-dir', '--only-binary', ':all:', '--index-url', indexUrl, ...args, '-d', to],
    ],
    { timeout: 120_000, env: { ...process.env, PIP_CONFIG_FILE: '/dev/null' } },
  );
}

/**
 * An index serving one sdist, `evil` 1.0.0, whose setup.py writes `marker` when run (what a tool that
 * builds sdists to read their metadata would run). Its PKG-INFO declares no dependencies.
 */
export async function startSetupPyIndex(
  marker: string,
): Promise<{ server: Server; url: string; marker: string }> {
  const setup = `import pathlib\npathlib.Path(${JSON.stringify(marker)}).write_text('ran')\nfrom setuptools import setup\nsetup(name='evil', version='1.0.0')\n`;
  const sdist = tarGz([
    { name: 'evil-1.0.0/PKG-INFO', data: Buffer.from('Metadata-Version: 2.1\nName: evil\nVersion: 1.0.0\n') },
    { name: 'evil-1.0.0/setup.py', data: Buffer.from(setup) },
  ]);
  const sha = createHash('sha256').update(sdist).digest('hex');
  const server = createServer((req, res) => {
    if (req.url === '/simple/evil/') {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(
        `<html><body><a href="/files/evil-1.0.0.tar.gz#sha256=${sha}">evil-1.0.0.tar.gz</a></body></html>`,
      );
    } else if (req.url === '/files/evil-1.0.0.tar.gz') {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.end(sdist);
    } else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}/simple/`, marker };
}
