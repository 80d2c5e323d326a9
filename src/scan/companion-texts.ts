// Files a manifest reads besides itself — its lockfile, its .npmrc, a workspace root's manifest — read
// and decoded on demand. The last two are kept: a workspace's members, scanned one after another, share
// the root's lockfile and manifest, and decoding a large lockfile again for each member costs more than
// parsing it (the deps bench counted a pnpm lock read 9 times). No more than that stays in memory.
import { decodeText } from '../core/offsets.js';
import type { SkippedFile } from '../core/types.js';
import { isSkipped, type CandidateFile, type ReadFile } from './walk.js';

const KEPT = 2;

export class CompanionTexts {
  private readonly recent = new Map<string, string | SkippedFile>();

  constructor(
    /** Every file that may be asked for, by path: readable candidates and skipped companions. */
    private readonly files: ReadonlyMap<string, CandidateFile | SkippedFile>,
    private readonly readFile: (file: CandidateFile) => ReadFile | SkippedFile,
  ) {}

  has(path: string): boolean {
    return this.files.has(path);
  }

  /** The file's text, why it was not read, or undefined when the tree has no such file. */
  read(path: string): string | SkippedFile | undefined {
    const kept = this.recent.get(path);
    if (kept !== undefined) return kept;
    const entry = this.files.get(path);
    if (entry === undefined) return undefined;
    const read = isSkipped(entry) ? entry : this.readFile(entry);
    const text = isSkipped(read) ? read : decodeText(read.bytes).text;
    this.recent.set(path, text);
    if (this.recent.size > KEPT) this.recent.delete(this.recent.keys().next().value!);
    return text;
  }
}
