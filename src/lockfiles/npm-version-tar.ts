// A minimal reader for the npm package tarballs npm-version.ts extracts (gzip'd ustar, as `npm pack`
// writes them, with pax and GNU long-name headers understood). Only regular files and directories are
// extracted: symlinks, hard links, devices and FIFOs refuse the whole archive, and so does any entry whose
// path is absolute or contains `..`. The leading `package/` directory of npm tarballs is stripped.
import { mkdir, writeFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { gunzipSync } from 'node:zlib';

/** Largest unpacked archive accepted (npm itself is about 11 MB unpacked). */
export const MAX_UNPACKED_BYTES = 128 * 1024 * 1024;
const MAX_ENTRIES = 20_000;

export interface TarEntry {
  /** Relative to the package root (the first path segment stripped). */
  path: string;
  type: 'file' | 'directory';
  mode: number;
  data: Buffer;
}

export class TarError extends Error {
  override readonly name = 'TarError';
}

function field(block: Buffer, offset: number, length: number): string {
  const raw = block.subarray(offset, offset + length);
  const end = raw.indexOf(0);
  return raw.subarray(0, end === -1 ? length : end).toString('utf8');
}

function octal(block: Buffer, offset: number, length: number): number {
  const raw = block.subarray(offset, offset + length);
  // GNU base-256 for large sizes: first byte 0x80.
  if (raw[0]! & 0x80) {
    let value = 0;
    for (let i = 1; i < raw.length; i++) value = value * 256 + raw[i]!;
    return value;
  }
  const text = field(block, offset, length).trim();
  if (text === '') return 0;
  if (!/^[0-7]+$/.test(text)) throw new TarError(`bad octal field ${JSON.stringify(text)}`);
  return parseInt(text, 8);
}

function paxPath(data: Buffer): string | undefined {
  let path: string | undefined;
  let rest = data;
  while (rest.length) {
    const space = rest.indexOf(0x20);
    if (space <= 0) break;
    const length = Number(rest.subarray(0, space).toString('ascii'));
    if (!Number.isInteger(length) || length <= space || length > rest.length) break;
    const record = rest.subarray(space + 1, length - 1).toString('utf8');
    const eq = record.indexOf('=');
    if (eq > 0 && record.slice(0, eq) === 'path') path = record.slice(eq + 1);
    if (eq > 0 && record.slice(0, eq) === 'linkpath') throw new TarError('links are not extracted');
    rest = rest.subarray(length);
  }
  return path;
}

/** The entries of a .tgz, or a TarError for anything it will not extract. */
export function readTarGz(gz: Buffer): TarEntry[] {
  let tar: Buffer;
  try {
    tar = gunzipSync(gz, { maxOutputLength: MAX_UNPACKED_BYTES });
  } catch (error) {
    throw new TarError(`not a gzip archive within ${MAX_UNPACKED_BYTES} bytes: ${(error as Error).message}`);
  }
  const entries: TarEntry[] = [];
  let offset = 0;
  let longName: string | undefined;
  while (offset + 512 <= tar.length) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((byte) => byte === 0)) break;
    let checksum = 0;
    for (let i = 0; i < 512; i++) checksum += i >= 148 && i < 156 ? 0x20 : header[i]!;
    if (checksum !== octal(header, 148, 8)) throw new TarError('bad header checksum');
    const size = octal(header, 124, 12);
    const type = String.fromCharCode(header[156]!);
    const dataStart = offset + 512;
    if (dataStart + size > tar.length) throw new TarError('truncated archive');
    const data = tar.subarray(dataStart, dataStart + size);
    offset = dataStart + Math.ceil(size / 512) * 512;

    if (type === 'x') {
      longName = paxPath(data) ?? longName;
      continue;
    }
    if (type === 'g') continue;
    if (type === 'L') {
      longName = field(data, 0, data.length);
      continue;
    }
    const prefix = header.subarray(257, 262).toString('ascii') === 'ustar' ? field(header, 345, 155) : '';
    const name = longName ?? (prefix ? `${prefix}/${field(header, 0, 100)}` : field(header, 0, 100));
    longName = undefined;
    if (type === '1' || type === '2') throw new TarError(`${name}: links are not extracted`);
    if (type !== '0' && type !== '\0' && type !== '5' && type !== '7')
      throw new TarError(`${name}: entry type ${JSON.stringify(type)} is not extracted`);
    const path = entryPath(name);
    if (path === undefined) continue; // the top directory itself
    if (entries.length >= MAX_ENTRIES) throw new TarError(`more than ${MAX_ENTRIES} entries`);
    entries.push({
      path,
      type: type === '5' ? 'directory' : 'file',
      mode: octal(header, 100, 8),
      data,
    });
  }
  return entries;
}

/** The path below the first segment, or undefined for the first segment itself; throws when unsafe. */
function entryPath(name: string): string | undefined {
  if (name.startsWith('/') || /^[a-zA-Z]:/.test(name) || name.includes('\\') || name.includes('\0'))
    throw new TarError(`${JSON.stringify(name)}: absolute or unusual path`);
  const segments = name.split('/').filter((segment) => segment !== '' && segment !== '.');
  if (segments.includes('..')) throw new TarError(`${JSON.stringify(name)}: path with ..`);
  if (segments.length <= 1) return undefined;
  return posix.join(...segments.slice(1));
}

/** Writes the entries under `dir` (which must exist): files 0644, or 0755 when any execute bit was set. */
export async function extractEntries(entries: readonly TarEntry[], dir: string): Promise<void> {
  for (const entry of entries) {
    const target = join(dir, ...entry.path.split('/'));
    if (entry.type === 'directory') {
      await mkdir(target, { recursive: true });
      continue;
    }
    await mkdir(join(target, '..'), { recursive: true });
    await writeFile(target, entry.data, { mode: entry.mode & 0o111 ? 0o755 : 0o644, flag: 'wx' });
  }
}
