// One file's text through the contents API (a conditional GET: an unchanged file answers 304). Absent
// files, directories and symlinks that lead outside the repository are null; so is a repository the
// installation cannot see, which GitHub answers 404 like a missing file.
import type { GitHubClient } from './client.js';
import { unwrap, type RepoContext } from './repo-context.js';

interface ContentAnswer {
  type: string;
  sha: string;
  content?: string;
  encoding?: string;
}

export async function readText(context: RepoContext, path: string, ref?: string): Promise<string | null> {
  const { client, owner, repo } = context;
  const answer = await client.getConditional<ContentAnswer | ContentAnswer[]>(
    'GET /repos/{owner}/{repo}/contents/{path}',
    { owner, repo, path, ...(ref === undefined ? {} : { ref }) },
  );
  if (!answer.ok && answer.error.kind === 'not-found') return null;
  const file = unwrap(answer);
  if (Array.isArray(file) || file.type !== 'file') return null;
  if (file.encoding === 'base64') return Buffer.from(file.content ?? '', 'base64').toString('utf8');
  // Past 1 MB the contents API leaves the content out (`encoding: none`); the blob still has it.
  return blobText(client, context, file.sha);
}

async function blobText(client: GitHubClient, { owner, repo }: RepoContext, sha: string): Promise<string> {
  const blob = unwrap(
    await client.get<{ content: string; encoding: string }>(
      'GET /repos/{owner}/{repo}/git/blobs/{file_sha}',
      {
        owner,
        repo,
        file_sha: sha,
      },
    ),
  );
  return Buffer.from(blob.content, blob.encoding === 'base64' ? 'base64' : 'utf8').toString('utf8');
}
