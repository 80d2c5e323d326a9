// What each file held when the scan read it, so that `fix` can leave alone a file that changed since.
// A sha256 per file rather than the bytes: the scan may read thousands of files.
import { createHash } from 'node:crypto';

export class ReadFingerprints {
  private readonly hashes = new Map<string, string>();

  /** Remembers the bytes the scan read for `path` (posix, relative to the scanned directory). */
  readonly record = (path: string, bytes: Uint8Array): void => {
    this.hashes.set(path, sha256(bytes));
  };

  /** True when `bytes` are exactly what the scan read for `path`; false for a path it did not read. */
  matches(path: string, bytes: Uint8Array): boolean {
    return this.hashes.get(path) === sha256(bytes);
  }
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
