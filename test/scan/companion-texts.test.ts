import { describe, expect, it } from 'vitest';
import { CompanionTexts } from '../../src/scan/companion-texts.js';
import type { CandidateFile } from '../../src/scan/walk.js';

function texts(paths: string[]) {
  const reads: string[] = [];
  const files = new Map<string, CandidateFile | { path: string; reason: 'too-large' }>(
    paths.map((path) => [path, { path, size: 1 }]),
  );
  files.set('big/yarn.lock', { path: 'big/yarn.lock', reason: 'too-large' });
  const companions = new CompanionTexts(files, (file) => {
    reads.push(file.path);
    return { path: file.path, bytes: Buffer.from(`text of ${file.path}`) };
  });
  return { companions, reads };
}

describe('CompanionTexts', () => {
  it('reads a file shared by a workspace’s members once while it is among the last two asked', () => {
    const { companions, reads } = texts(['yarn.lock', 'package.json', 'other/package-lock.json']);
    expect(companions.read('yarn.lock')).toBe('text of yarn.lock');
    expect(companions.read('package.json')).toBe('text of package.json');
    expect(companions.read('yarn.lock')).toBe('text of yarn.lock');
    expect(reads).toEqual(['yarn.lock', 'package.json']);
    // A third file pushes the oldest out: it is read again when asked again.
    companions.read('other/package-lock.json');
    companions.read('yarn.lock');
    expect(reads).toEqual(['yarn.lock', 'package.json', 'other/package-lock.json', 'yarn.lock']);
  });

  it('says why a skipped file was not read, and nothing for a file the tree does not have', () => {
    const { companions, reads } = texts([]);
    expect(companions.read('big/yarn.lock')).toEqual({ path: 'big/yarn.lock', reason: 'too-large' });
    expect(companions.read('missing/package-lock.json')).toBeUndefined();
    expect(companions.has('big/yarn.lock')).toBe(true);
    expect(reads).toEqual([]);
  });
});
