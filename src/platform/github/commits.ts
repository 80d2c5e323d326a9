// Branches and commits through the Git Data API only, so every commit is the App's own (verified). A
// rerun after a killed worker finds its commit already in place and leaves the branch alone.
import type { CommitInput } from '../../job/types.js';
import { unwrap, type RepoContext } from './repo-context.js';
import { listFiles } from './tree.js';

interface GitCommit {
  sha: string;
  message: string;
  tree: { sha: string };
  parents: { sha: string }[];
}

/** What the commit-tree check and the job need; a commit never changes, so it is cached by sha for good. */
interface CommitShape {
  tree: string;
  parents: string[];
  message: string;
}

type FileMode = '100644' | '100755';

type TreeEntry =
  | { path: string; mode: FileMode; type: 'blob'; content: string }
  | { path: string; mode: FileMode; type: 'blob'; sha: string | null };

const BINARY_SNIFF_BYTES = 8 * 1024;

export async function branchHead(context: RepoContext, branch: string): Promise<string | null> {
  const { client, owner, repo } = context;
  const answer = await client.getConditional<{ object: { sha: string } }>(
    'GET /repos/{owner}/{repo}/git/ref/{ref}',
    { owner, repo, ref: `heads/${branch}` },
  );
  if (!answer.ok && answer.error.kind === 'not-found') return null;
  return unwrap(answer).object.sha;
}

/** Branches whose names start with `prefix`, with their head commits (one conditional GET). */
export async function listBranches(
  { client, owner, repo }: RepoContext,
  prefix: string,
): Promise<{ name: string; sha: string }[]> {
  const refs = unwrap(
    await client.getConditional<{ ref: string; object: { sha: string } }[]>(
      'GET /repos/{owner}/{repo}/git/matching-refs/{ref}',
      { owner, repo, ref: `heads/${prefix}` },
    ),
  );
  return refs.map((ref) => ({ name: ref.ref.replace(/^refs\/heads\//, ''), sha: ref.object.sha }));
}

export async function commitFiles(context: RepoContext, input: CommitInput): Promise<string> {
  const { client, owner, repo } = context;
  const base = await commitShape(context, input.parent);
  const modes = await fileModes(context, input.parent);
  // One at a time: GitHub asks for writes to be sent serially (secondary limits).
  const entries: TreeEntry[] = [];
  for (const [path, content] of Object.entries(input.files))
    entries.push(await treeEntry(context, path, content, modes.get(path)));
  const tree = unwrap(
    await client.request<{ sha: string }>('POST /repos/{owner}/{repo}/git/trees', {
      owner,
      repo,
      base_tree: base.tree,
      tree: entries,
    }),
  ).sha;

  const head = await branchHead(context, input.branch);
  if (head !== null) {
    const current = await commitShape(context, head);
    if (current.tree === tree && current.parents.length === 1 && current.parents[0] === input.parent)
      return head;
  }
  const commit = unwrap(
    await client.request<{ sha: string }>('POST /repos/{owner}/{repo}/git/commits', {
      owner,
      repo,
      message: input.message,
      tree,
      parents: [input.parent],
    }),
  ).sha;
  if (head === null) {
    const created = await client.request('POST /repos/{owner}/{repo}/git/refs', {
      owner,
      repo,
      ref: `refs/heads/${input.branch}`,
      sha: commit,
    });
    // Another worker created it in between (422 "Reference already exists"): move it like any other.
    if (created.ok || created.error.status !== 422) {
      unwrap(created);
      return commit;
    }
  }
  unwrap(
    await client.request('PATCH /repos/{owner}/{repo}/git/refs/{ref}', {
      owner,
      repo,
      ref: `heads/${input.branch}`,
      sha: commit,
      force: true,
    }),
  );
  return commit;
}

/** Deletes a branch; one that is already gone (404, or GitHub's 422 "Reference does not exist") is fine. */
export async function deleteBranch({ client, owner, repo }: RepoContext, branch: string): Promise<void> {
  const answer = await client.request('DELETE /repos/{owner}/{repo}/git/refs/{ref}', {
    owner,
    repo,
    ref: `heads/${branch}`,
  });
  if (answer.ok || answer.error.kind === 'not-found' || answer.error.status === 422) return;
  unwrap(answer);
}

/**
 * Modes of the claimed files at `parent`, so an edited executable stays executable. The listing is the
 * one `readFiles` made of the same commit (cached by sha): usually no request at all.
 */
async function fileModes(
  { client, owner, repo }: RepoContext,
  parent: string,
): Promise<Map<string, FileMode>> {
  const listing = unwrap(await listFiles(client, { owner, repo, ref: parent }));
  return new Map(
    listing.files.map((file) => [file.path, file.mode === '100755' ? '100755' : '100644'] as const),
  );
}

/** A commit's message (for the job: is a branch head Dockhand's own commit?). */
export async function commitMessage(context: RepoContext, sha: string): Promise<string> {
  return (await commitShape(context, sha)).message;
}

async function commitShape({ client, owner, repo }: RepoContext, sha: string): Promise<CommitShape> {
  const key = `github:commit:v2:${sha}`;
  const cached = await client.cache.get<CommitShape>(key);
  if (cached) return cached;
  const commit = unwrap(
    await client.get<GitCommit>('GET /repos/{owner}/{repo}/git/commits/{commit_sha}', {
      owner,
      repo,
      commit_sha: sha,
    }),
  );
  const shape = {
    tree: commit.tree.sha,
    parents: commit.parents.map((parent) => parent.sha),
    message: commit.message,
  };
  // Only what GitHub named by the sha asked for enters the shared cache.
  if (commit.sha === sha) await client.cache.set(key, shape);
  return shape;
}

/** Text goes inline; bytes that are not UTF-8 text become a blob first (inline content is UTF-8 only). */
async function treeEntry(
  { client, owner, repo }: RepoContext,
  path: string,
  content: Uint8Array | string | null,
  mode: FileMode = '100644',
): Promise<TreeEntry> {
  const file = { path, mode, type: 'blob' } as const;
  if (content === null) return { ...file, sha: null };
  const text = typeof content === 'string' ? content : asText(content);
  if (text !== undefined) return { ...file, content: text };
  const blob = unwrap(
    await client.request<{ sha: string }>('POST /repos/{owner}/{repo}/git/blobs', {
      owner,
      repo,
      content: Buffer.from(content as Uint8Array).toString('base64'),
      encoding: 'base64',
    }),
  );
  return { ...file, sha: blob.sha };
}

/** The bytes as a string when they are UTF-8 text that round-trips exactly, else undefined. */
function asText(bytes: Uint8Array): string | undefined {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buffer.subarray(0, BINARY_SNIFF_BYTES).includes(0)) return undefined;
  const text = buffer.toString('utf8');
  return Buffer.from(text, 'utf8').equals(buffer) ? text : undefined;
}
