// PEP 691 JSON project pages (with PEP 700's `versions` and `upload-time`). Structure errors are thrown
// as messages for the caller to wrap; single file entries that make no sense are skipped, as pip does.
import type { DistributionFile, SimpleProject } from './types.js';

export class SimpleFormatError extends Error {}

export function parseSimpleJson(text: string, pageUrl: URL): SimpleProject {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new SimpleFormatError('project page is not valid JSON');
  }
  if (!isObject(doc)) throw new SimpleFormatError('project page is not a JSON object');
  const version = isObject(doc.meta) ? doc.meta['api-version'] : undefined;
  // PEP 691: a client must refuse a major version it does not know.
  if (typeof version !== 'string' || !/^1(\.\d+)?$/.test(version))
    throw new SimpleFormatError(`unsupported simple API version ${JSON.stringify(version)?.slice(0, 40)}`);
  if (!Array.isArray(doc.files)) throw new SimpleFormatError('project page has no files list');
  const files: DistributionFile[] = [];
  for (const entry of doc.files as unknown[]) {
    const file = readFile(entry, pageUrl);
    if (file) files.push(file);
  }
  const versions = Array.isArray(doc.versions)
    ? (doc.versions as unknown[]).filter((v): v is string => typeof v === 'string')
    : undefined;
  return { files, ...(versions && { versions }) };
}

function readFile(entry: unknown, pageUrl: URL): DistributionFile | null {
  if (!isObject(entry) || typeof entry.filename !== 'string' || typeof entry.url !== 'string') return null;
  let url: URL;
  try {
    url = new URL(entry.url, pageUrl);
  } catch {
    return null;
  }
  url.hash = '';
  const hashes: Record<string, string> = {};
  if (isObject(entry.hashes)) {
    for (const [name, value] of Object.entries(entry.hashes))
      if (typeof value === 'string' && /^[0-9a-f]+$/i.test(value)) hashes[name] = value.toLowerCase();
  }
  const yanked = entry.yanked;
  const requiresPython = entry['requires-python'];
  const uploadTime = entry['upload-time'];
  return {
    filename: entry.filename,
    url: url.href,
    hashes,
    // A string, even one that says nothing, means yanked with that reason (PEP 691).
    yanked: yanked === true || typeof yanked === 'string',
    ...(typeof yanked === 'string' && yanked !== '' && { yankedReason: yanked }),
    ...(typeof requiresPython === 'string' && requiresPython.trim() !== '' && { requiresPython }),
    ...(typeof uploadTime === 'string' && !Number.isNaN(Date.parse(uploadTime)) && { uploadTime }),
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
