// Git's object model in memory: blobs, trees and commits addressed by the sha1 git itself would give them
// (`<type> <len>\0<body>`), so identical content gets identical shas and tests can compare with real git.
import { createHash } from 'node:crypto';

export type EntryMode = '100644' | '100755' | '120000' | '040000' | '160000';
export type EntryType = 'blob' | 'tree' | 'commit';

export interface TreeEntry {
  name: string;
  mode: EntryMode;
  type: EntryType;
  sha: string;
}

/** A tree entry named by its full path; what `flatten` gives and `buildTree` takes. */
export interface PathEntry {
  mode: EntryMode;
  type: EntryType;
  sha: string;
}

export interface Signature {
  name: string;
  email: string;
  /** ISO 8601, as GitHub shows it. */
  date: string;
}

export interface CommitObject {
  sha: string;
  tree: string;
  parents: string[];
  message: string;
  author: Signature;
  committer: Signature;
  /** GitHub marks commits made through the API without an author as verified (signed by GitHub). */
  verified: boolean;
}

export const MODES: readonly EntryMode[] = ['100644', '100755', '120000', '040000', '160000'];

export function typeOfMode(mode: EntryMode): EntryType {
  return mode === '040000' ? 'tree' : mode === '160000' ? 'commit' : 'blob';
}

function hashObject(type: string, body: Buffer): string {
  return createHash('sha1').update(`${type} ${body.length}\0`).update(body).digest('hex');
}

// Git orders tree entries bytewise, comparing a subtree's name as if it ended with '/'.
function sortKey(entry: TreeEntry): string {
  return entry.type === 'tree' ? `${entry.name}/` : entry.name;
}

export function sortEntries(entries: TreeEntry[]): TreeEntry[] {
  return [...entries].sort((a, b) => Buffer.compare(Buffer.from(sortKey(a)), Buffer.from(sortKey(b))));
}

function treeBody(entries: TreeEntry[]): Buffer {
  return Buffer.concat(
    entries.flatMap((entry) => [
      // In the object itself a directory's mode has no leading zero.
      Buffer.from(`${entry.mode === '040000' ? '40000' : entry.mode} ${entry.name}\0`),
      Buffer.from(entry.sha, 'hex'),
    ]),
  );
}

function signatureLine(role: string, signature: Signature): string {
  const seconds = Math.floor(Date.parse(signature.date) / 1000);
  return `${role} ${signature.name} <${signature.email}> ${seconds} +0000`;
}

function commitBody(commit: Omit<CommitObject, 'sha' | 'verified'>): Buffer {
  const lines = [`tree ${commit.tree}`, ...commit.parents.map((parent) => `parent ${parent}`)];
  lines.push(signatureLine('author', commit.author), signatureLine('committer', commit.committer));
  return Buffer.from(`${lines.join('\n')}\n\n${commit.message}`);
}

export class GitStore {
  readonly blobs = new Map<string, Buffer>();
  readonly trees = new Map<string, TreeEntry[]>();
  readonly commits = new Map<string, CommitObject>();

  putBlob(content: Buffer | string): string {
    const data = typeof content === 'string' ? Buffer.from(content) : content;
    const sha = hashObject('blob', data);
    this.blobs.set(sha, data);
    return sha;
  }

  putTree(entries: TreeEntry[]): string {
    const sorted = sortEntries(entries);
    const sha = hashObject('tree', treeBody(sorted));
    this.trees.set(sha, sorted);
    return sha;
  }

  putCommit(commit: Omit<CommitObject, 'sha'>): CommitObject {
    const sha = hashObject('commit', commitBody(commit));
    const stored = { ...commit, sha };
    this.commits.set(sha, stored);
    return stored;
  }

  has(sha: string): boolean {
    return this.blobs.has(sha) || this.trees.has(sha) || this.commits.has(sha);
  }

  /** Every blob and submodule under a tree by full path (git has no empty directories, so nothing is lost). */
  flatten(treeSha: string, prefix = '', into = new Map<string, PathEntry>()): Map<string, PathEntry> {
    for (const entry of this.trees.get(treeSha) ?? []) {
      const path = prefix + entry.name;
      if (entry.type === 'tree') this.flatten(entry.sha, `${path}/`, into);
      else into.set(path, { mode: entry.mode, type: entry.type, sha: entry.sha });
    }
    return into;
  }

  /** Builds the nested trees for a flat path map and returns the root tree's sha. */
  buildTree(files: Map<string, PathEntry>): string {
    const children = new Map<string, Map<string, PathEntry>>();
    const entries: TreeEntry[] = [];
    for (const [path, entry] of files) {
      const slash = path.indexOf('/');
      if (slash < 0) {
        entries.push({ name: path, ...entry });
        continue;
      }
      const dir = path.slice(0, slash);
      if (!children.has(dir)) children.set(dir, new Map());
      children.get(dir)!.set(path.slice(slash + 1), entry);
    }
    for (const [name, sub] of children) {
      entries.push({ name, mode: '040000', type: 'tree', sha: this.buildTree(sub) });
    }
    return this.putTree(entries);
  }

  /** Whether `ancestor` is `descendant` or reachable from it through parents. */
  isAncestor(ancestor: string, descendant: string): boolean {
    return this.ancestors(descendant).has(ancestor);
  }

  ancestors(sha: string): Set<string> {
    const seen = new Set<string>();
    const stack = [sha];
    while (stack.length > 0) {
      const next = stack.pop()!;
      if (seen.has(next)) continue;
      seen.add(next);
      stack.push(...(this.commits.get(next)?.parents ?? []));
    }
    return seen;
  }

  /** The nearest common ancestor found walking `b`'s history breadth-first. */
  mergeBase(a: string, b: string): string | undefined {
    const fromA = this.ancestors(a);
    const queue = [b];
    const seen = new Set<string>();
    while (queue.length > 0) {
      const next = queue.shift()!;
      if (fromA.has(next)) return next;
      if (seen.has(next)) continue;
      seen.add(next);
      queue.push(...(this.commits.get(next)?.parents ?? []));
    }
    return undefined;
  }
}
