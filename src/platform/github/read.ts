// Reads a repository the way the scanner reads a directory: list, then fetch what is kept.
import type { GitHubClient, GitHubResult } from './client.js';
import { fetchFiles, type FetchOptions, type RepoFiles } from './files.js';
import { listFiles, type ListOptions, type RepoRef } from './tree.js';

export async function readRepository(
  client: GitHubClient,
  target: RepoRef,
  options: ListOptions & FetchOptions = {},
): Promise<GitHubResult<RepoFiles>> {
  const listing = await listFiles(client, target, options);
  return listing.ok ? fetchFiles(client, target, listing.value, options) : listing;
}
