// Reads the listed blobs. Blobs are content-addressed, so a known sha is answered from the cache
// without a request; binary content (a NUL in the first 8 KiB, as the local walker decides) is skipped.
import { createHash } from 'node:crypto';
import type { SkippedFile } from '../../core/types.js';
import type { GitHubClient, GitHubError, GitHubResult } from './client.js';
import type { RepoListing, RepoRef, TreeFile } from './tree.js';

export interface FetchedFile {
  path: string;
  bytes: Buffer;
}

/** What the scanner reads: the files' bytes and what was not read (with why). */
export interface RepoFiles {
  commit: string;
  files: FetchedFile[];
  skipped: SkippedFile[];
}

export interface FetchOptions {
  /** Blob requests in flight at once (GitHub allows 100 concurrent requests per installation). */
  concurrency?: number;
}

/** Cached per sha: the text's base64, or only that it is binary. */
type BlobEntry = { base64: string } | { binary: true };

const BINARY_SNIFF_BYTES = 8 * 1024;

export async function fetchFiles(
  client: GitHubClient,
  target: RepoRef,
  listing: RepoListing,
  options: FetchOptions = {},
): Promise<GitHubResult<RepoFiles>> {
  const results: (FetchedFile | SkippedFile | undefined)[] = new Array(listing.files.length);
  let failure: GitHubError | undefined;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < listing.files.length && !failure) {
      const index = next++;
      const read = await readBlob(client, target, listing.files[index]!);
      if (read.ok) results[index] = read.value;
      else failure ??= read.error;
    }
  };
  const workers = Math.max(1, Math.min(options.concurrency ?? 8, listing.files.length));
  await Promise.all(Array.from({ length: workers }, worker));
  // A partial scan would look like deleted images (and close their pull requests): fail the whole read.
  if (failure) return { ok: false, error: failure };

  const files: FetchedFile[] = [];
  const skipped = [...listing.skipped];
  for (const result of results) {
    if (result && 'bytes' in result) files.push(result);
    else if (result) skipped.push(result);
  }
  skipped.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { ok: true, value: { commit: listing.commit, files, skipped } };
}

async function readBlob(
  client: GitHubClient,
  { owner, repo }: RepoRef,
  file: TreeFile,
): Promise<GitHubResult<FetchedFile | SkippedFile>> {
  const key = `github:blob:${file.sha}`;
  let entry = await client.cache.get<BlobEntry>(key);
  if (!entry) {
    const blob = await client.get<{ content: string; encoding: string }>(
      'GET /repos/{owner}/{repo}/git/blobs/{file_sha}',
      { owner, repo, file_sha: file.sha },
    );
    if (!blob.ok) return blob;
    const bytes = Buffer.from(blob.value.content, blob.value.encoding === 'base64' ? 'base64' : 'utf8');
    // Checked so that nothing but the content git names by this sha ever enters the shared cache.
    if (gitBlobSha(bytes) !== file.sha) return { ok: true, value: { path: file.path, reason: 'unreadable' } };
    entry = bytes.subarray(0, BINARY_SNIFF_BYTES).includes(0)
      ? { binary: true }
      : { base64: bytes.toString('base64') };
    await client.cache.set(key, entry);
  }
  return {
    ok: true,
    value:
      'binary' in entry
        ? { path: file.path, reason: 'binary' }
        : { path: file.path, bytes: Buffer.from(entry.base64, 'base64') },
  };
}

function gitBlobSha(bytes: Buffer): string {
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}
