// The Git Data API (blobs, trees, commits, refs) and the read-only views over it a bot uses: commits,
// branches and contents. Branch names and paths may hold slashes, so they are rest parameters.
import { posix } from 'node:path';
import { ApiError, notFound, unprocessable, validationFailed } from '../errors.js';
import { MODES, typeOfMode, type EntryMode, type PathEntry, type Signature, type TreeEntry } from '../git.js';
import {
  objectField,
  optionalBoolean,
  optionalString,
  paginate,
  requiredString,
  stringArray,
  type ApiRequest,
  type Reply,
  type Route,
} from '../http.js';
import { commitJson, gitCommitJson, refJson } from '../json.js';
import type { FakeRepo } from '../repo.js';

/** Content above this is left out of JSON answers (`encoding: none`), as GitHub does past 1 MB. */
const CONTENT_JSON_LIMIT = 1024 * 1024;

function repoApi(request: ApiRequest): string {
  return `${request.urls.api}/repos/${request.repo.fullName}`;
}

function wantsRaw(request: ApiRequest): boolean {
  return /application\/vnd\.github(\.v3)?\.raw/.test(String(request.headers.accept ?? ''));
}

function rawReply(body: Buffer): Reply {
  return { raw: { contentType: 'application/vnd.github.raw; charset=utf-8', body } };
}

/** Base64 in 60-character lines, as GitHub sends blob and file content. */
function base64Lines(data: Buffer): string {
  return (data.toString('base64').match(/.{1,60}/g) ?? []).map((line) => `${line}\n`).join('');
}

function treeEntryJson(request: ApiRequest, entry: TreeEntry, path: string) {
  const api = repoApi(request);
  return {
    path,
    mode: entry.mode,
    type: entry.type,
    sha: entry.sha,
    ...(entry.type === 'blob' ? { size: request.repo.git.blobs.get(entry.sha)?.length ?? 0 } : {}),
    ...(entry.type === 'commit' ? {} : { url: `${api}/git/${entry.type}s/${entry.sha}` }),
  };
}

function treeJson(request: ApiRequest, sha: string, recursive: boolean) {
  const { git } = request.repo;
  const entries: ReturnType<typeof treeEntryJson>[] = [];
  const walk = (treeSha: string, prefix: string): void => {
    for (const entry of git.trees.get(treeSha) ?? []) {
      entries.push(treeEntryJson(request, entry, prefix + entry.name));
      if (recursive && entry.type === 'tree') walk(entry.sha, `${prefix}${entry.name}/`);
    }
  };
  walk(sha, '');
  const limit = request.state.treeEntryLimit;
  const truncated = recursive && entries.length > limit;
  return {
    sha,
    url: `${repoApi(request)}/git/trees/${sha}`,
    tree: truncated ? entries.slice(0, limit) : entries,
    truncated,
  };
}

function signature(body: Record<string, unknown>, field: string, now: string): Signature | undefined {
  const value = objectField(body, field);
  if (!value) return undefined;
  const name = requiredString(value, 'name', 'Commit');
  const email = requiredString(value, 'email', 'Commit');
  return { name, email, date: optionalString(value, 'date') ?? now };
}

/** Applies Create-a-tree entries to a flat path map (the base tree's files). */
function applyTreeEntries(repo: FakeRepo, files: Map<string, PathEntry>, entries: unknown[]): void {
  const invalid = (message: string) => unprocessable(message);
  for (const raw of entries) {
    if (typeof raw !== 'object' || raw === null) throw invalid('tree entries must be objects');
    const item = raw as Record<string, unknown>;
    const path = requiredString(item, 'path', 'Tree').replace(/^\/+|\/+$/g, '');
    const mode = requiredString(item, 'mode', 'Tree') as EntryMode;
    if (!MODES.includes(mode)) throw invalid(`tree.mode ${mode} is not valid`);
    const type = optionalString(item, 'type') ?? typeOfMode(mode);
    if (type !== typeOfMode(mode)) throw invalid(`tree.type ${type} does not match mode ${mode}`);
    const content = optionalString(item, 'content');
    const sha = item.sha === null ? null : optionalString(item, 'sha');
    if (content !== undefined && sha !== undefined)
      throw invalid('tree entries take sha or content, not both');
    const under = `${path}/`;
    for (const existing of [...files.keys()]) if (existing.startsWith(under)) files.delete(existing);
    if (sha === null) {
      files.delete(path);
      continue;
    }
    if (content !== undefined) {
      if (type !== 'blob') throw invalid('content is only for blobs');
      files.set(path, { mode, type, sha: repo.git.putBlob(content) });
    } else if (sha === undefined) {
      throw invalid('tree entries need a sha or content');
    } else if (type === 'tree') {
      if (!repo.git.trees.has(sha)) throw invalid(`tree.sha ${sha} is not a valid tree`);
      files.delete(path);
      for (const [sub, entry] of repo.git.flatten(sha)) files.set(`${path}/${sub}`, entry);
    } else {
      if (type === 'blob' && !repo.git.blobs.has(sha)) throw invalid(`tree.sha ${sha} is not a valid blob`);
      files.set(path, { mode, type, sha });
    }
  }
}

function refName(request: ApiRequest): string {
  return `refs/${request.params.ref}`;
}

function refsMatching(repo: FakeRepo, prefix: string): [string, string][] {
  return [...repo.refs].filter(([ref]) => ref.startsWith(prefix)).sort(([a], [b]) => a.localeCompare(b));
}

/** The entry at `path` in a tree, or the root itself for an empty path. */
function lookup(repo: FakeRepo, treeSha: string, path: string): TreeEntry | undefined {
  let entry: TreeEntry = { name: '', mode: '040000', type: 'tree', sha: treeSha };
  for (const name of path.split('/').filter(Boolean)) {
    const next =
      entry.type === 'tree' ? repo.git.trees.get(entry.sha)?.find((child) => child.name === name) : undefined;
    if (!next) return undefined;
    entry = next;
  }
  return entry;
}

const CONTENT_TYPES: Record<string, string> = { blob: 'file', tree: 'dir', commit: 'submodule' };

function contentJson(request: ApiRequest, entry: TreeEntry, path: string, ref: string, withContent: boolean) {
  const { repo, urls } = request;
  const data = entry.type === 'blob' ? (repo.git.blobs.get(entry.sha) ?? Buffer.alloc(0)) : undefined;
  const type = entry.mode === '120000' ? 'symlink' : CONTENT_TYPES[entry.type]!;
  const url = `${repoApi(request)}/contents/${path}?ref=${encodeURIComponent(ref)}`;
  const gitUrl = entry.type === 'commit' ? null : `${repoApi(request)}/git/${entry.type}s/${entry.sha}`;
  const base = {
    type,
    name: posix.basename(path),
    path,
    sha: entry.sha,
    size: data?.length ?? 0,
    url,
    git_url: gitUrl,
    html_url: `${urls.web}/${repo.fullName}/${entry.type === 'tree' ? 'tree' : 'blob'}/${ref}/${path}`,
    download_url: type === 'file' ? `${urls.web}/${repo.fullName}/raw/${ref}/${path}` : null,
    _links: { self: url, git: gitUrl, html: `${urls.web}/${repo.fullName}/blob/${ref}/${path}` },
  };
  if (type === 'symlink') return { ...base, target: data!.toString() };
  if (!withContent || type !== 'file') return base;
  const inline = data!.length <= CONTENT_JSON_LIMIT;
  return { ...base, content: inline ? base64Lines(data!) : '', encoding: inline ? 'base64' : 'none' };
}

function contents(request: ApiRequest): Reply {
  const { repo } = request;
  const ref = request.query.get('ref') ?? repo.defaultBranch;
  const commit = repo.resolveCommit(ref);
  if (!commit) throw new ApiError(404, `No commit found for the ref ${ref}`);
  const tree = repo.commitObject(commit).tree;
  let path = (request.params.path ?? '').replace(/^\/+|\/+$/g, '');
  let entry = lookup(repo, tree, path);
  // A symlink to a file in the repository answers with that file, as GitHub does.
  if (entry?.mode === '120000') {
    const target = posix.normalize(
      posix.join(posix.dirname(path), repo.git.blobs.get(entry.sha)!.toString()),
    );
    const resolved = target.startsWith('..') ? undefined : lookup(repo, tree, target);
    if (resolved?.type === 'blob' && resolved.mode !== '120000') [entry, path] = [resolved, target];
  }
  if (!entry) throw notFound();
  if (entry.type === 'tree') {
    const children = repo.git.trees.get(entry.sha) ?? [];
    return {
      json: children.map((child) =>
        contentJson(request, child, path ? `${path}/${child.name}` : child.name, ref, false),
      ),
    };
  }
  if (wantsRaw(request) && entry.type === 'blob') return rawReply(repo.git.blobs.get(entry.sha)!);
  return { json: contentJson(request, entry, path, ref, true) };
}

export const gitRoutes: Route[] = [
  {
    method: 'GET',
    path: '/repos/:owner/:repo/git/trees/*sha',
    handle: (request) => {
      const { repo, params } = request;
      const sha = repo.git.trees.has(params.sha!) ? params.sha! : repo.resolveCommit(params.sha!);
      if (!sha) throw notFound();
      const tree = repo.git.trees.has(sha) ? sha : repo.commitObject(sha).tree;
      return { json: treeJson(request, tree, request.query.has('recursive')) };
    },
  },
  {
    method: 'POST',
    path: '/repos/:owner/:repo/git/trees',
    handle: (request) => {
      const { repo, body } = request;
      if (!Array.isArray(body.tree))
        throw validationFailed([{ resource: 'Tree', field: 'tree', code: 'missing_field' }]);
      const baseTree = optionalString(body, 'base_tree');
      if (baseTree !== undefined && !repo.git.trees.has(baseTree))
        throw unprocessable(`base_tree ${baseTree} is not a valid tree`);
      const files = baseTree ? repo.git.flatten(baseTree) : new Map<string, PathEntry>();
      applyTreeEntries(repo, files, body.tree);
      return { status: 201, json: treeJson(request, repo.git.buildTree(files), false) };
    },
  },
  {
    method: 'GET',
    path: '/repos/:owner/:repo/git/blobs/:sha',
    handle: (request) => {
      const data = request.repo.git.blobs.get(request.params.sha!);
      if (!data) throw notFound();
      if (wantsRaw(request)) return rawReply(data);
      const sha = request.params.sha!;
      return {
        json: {
          sha,
          node_id: Buffer.from(`B_${sha}`).toString('base64url'),
          size: data.length,
          url: `${repoApi(request)}/git/blobs/${sha}`,
          content: base64Lines(data),
          encoding: 'base64',
        },
      };
    },
  },
  {
    method: 'POST',
    path: '/repos/:owner/:repo/git/blobs',
    handle: (request) => {
      const content = requiredString(request.body, 'content', 'Blob');
      const encoding = optionalString(request.body, 'encoding') ?? 'utf-8';
      if (encoding !== 'utf-8' && encoding !== 'base64')
        throw unprocessable(`encoding ${encoding} is not supported`);
      const sha = request.repo.git.putBlob(Buffer.from(content, encoding === 'base64' ? 'base64' : 'utf8'));
      return { status: 201, json: { sha, url: `${repoApi(request)}/git/blobs/${sha}` } };
    },
  },
  {
    method: 'POST',
    path: '/repos/:owner/:repo/git/commits',
    handle: (request) => {
      const { repo, body } = request;
      const message = requiredString(body, 'message', 'Commit');
      const tree = requiredString(body, 'tree', 'Commit');
      if (!repo.git.trees.has(tree)) throw unprocessable('Tree SHA does not exist');
      const parents = body.parents === undefined ? [] : stringArray(body.parents, 'parents');
      for (const parent of parents)
        if (!repo.git.commits.has(parent))
          throw unprocessable('Parent SHA does not exist or is not a commit object');
      const now = request.state.isoNow();
      const commit = repo.makeCommit(
        tree,
        parents,
        message,
        signature(body, 'author', now),
        signature(body, 'committer', now),
      );
      return { status: 201, json: gitCommitJson(repo, commit, request.urls) };
    },
  },
  {
    method: 'GET',
    path: '/repos/:owner/:repo/git/commits/:sha',
    handle: ({ repo, params, urls }) => ({ json: gitCommitJson(repo, repo.commitObject(params.sha!), urls) }),
  },
  {
    method: 'GET',
    path: '/repos/:owner/:repo/git/ref/*ref',
    handle: (request) => {
      const sha = request.repo.refs.get(refName(request));
      if (!sha) throw notFound();
      return { json: refJson(request.repo, refName(request), sha, request.urls) };
    },
  },
  {
    method: 'GET',
    path: '/repos/:owner/:repo/git/matching-refs/*ref',
    handle: (request) => ({
      json: refsMatching(request.repo, refName(request)).map(([ref, sha]) =>
        refJson(request.repo, ref, sha, request.urls),
      ),
    }),
  },
  {
    method: 'GET',
    path: '/repos/:owner/:repo/git/refs',
    handle: (request) => {
      const page = paginate(request, refsMatching(request.repo, 'refs/'));
      return {
        json: page.items.map(([ref, sha]) => refJson(request.repo, ref, sha, request.urls)),
        headers: page.headers,
      };
    },
  },
  {
    // The older form: one ref when the name is exact, else every ref it prefixes.
    method: 'GET',
    path: '/repos/:owner/:repo/git/refs/*ref',
    handle: (request) => {
      const { repo, urls } = request;
      const exact = repo.refs.get(refName(request));
      if (exact) return { json: refJson(repo, refName(request), exact, urls) };
      const matching = refsMatching(repo, refName(request));
      if (matching.length === 0) throw notFound();
      return { json: matching.map(([ref, sha]) => refJson(repo, ref, sha, urls)) };
    },
  },
  {
    method: 'POST',
    path: '/repos/:owner/:repo/git/refs',
    handle: (request) => {
      const { repo, body } = request;
      const ref = requiredString(body, 'ref', 'Reference');
      const sha = requiredString(body, 'sha', 'Reference');
      if (!/^refs\/[^/]+\/.+/.test(ref))
        throw unprocessable("Reference name must start with 'refs/' and have at least two slashes.");
      if (repo.refs.has(ref)) throw unprocessable('Reference already exists');
      repo.setRef(ref, sha);
      return { status: 201, json: refJson(repo, ref, sha, request.urls) };
    },
  },
  {
    method: 'PATCH',
    path: '/repos/:owner/:repo/git/refs/*ref',
    handle: (request) => {
      const { repo, body } = request;
      const ref = refName(request);
      const sha = requiredString(body, 'sha', 'Reference');
      const current = repo.refs.get(ref);
      if (!current) throw unprocessable('Reference does not exist');
      if (!repo.git.commits.has(sha)) throw unprocessable('Object does not exist');
      if (!optionalBoolean(body, 'force') && !repo.git.isAncestor(current, sha))
        throw unprocessable('Update is not a fast forward');
      repo.setRef(ref, sha);
      return { json: refJson(repo, ref, sha, request.urls) };
    },
  },
  {
    method: 'DELETE',
    path: '/repos/:owner/:repo/git/refs/*ref',
    handle: (request) => {
      request.repo.deleteRef(refName(request));
      return { status: 204 };
    },
  },
  {
    method: 'GET',
    path: '/repos/:owner/:repo/commits/*ref',
    handle: ({ repo, params, urls }) => {
      const sha = repo.resolveCommit(params.ref!);
      if (!sha) throw new ApiError(422, `No commit found for SHA: ${params.ref}`);
      return { json: commitJson(repo, repo.commitObject(sha), urls) };
    },
  },
  {
    // Reading protection needs the `administration` permission, which the app does not have.
    method: 'GET',
    path: '/repos/:owner/:repo/branches/*branch/protection',
    handle: () => {
      throw new ApiError(403, 'Resource not accessible by integration');
    },
  },
  {
    // With the protection summary any reader sees: the required status checks, not reviews or `strict`.
    method: 'GET',
    path: '/repos/:owner/:repo/branches/*branch',
    handle: ({ repo, params, urls }) => {
      const branch = params.branch!;
      const sha = repo.branchSha(branch);
      if (!sha) throw new ApiError(404, 'Branch not found');
      const protection = repo.protections.get(branch);
      const contexts = protection?.requiredChecks ?? [];
      return {
        json: {
          name: branch,
          commit: commitJson(repo, repo.commitObject(sha), urls),
          _links: {
            self: `${urls.api}/repos/${repo.fullName}/branches/${branch}`,
            html: `${urls.web}/${repo.fullName}/tree/${branch}`,
          },
          protected: protection !== undefined,
          protection: {
            enabled: protection !== undefined,
            required_status_checks: {
              enforcement_level: contexts.length > 0 ? 'non_admins' : 'off',
              contexts,
              checks: contexts.map((context) => ({ context, app_id: null })),
            },
          },
          protection_url: `${urls.api}/repos/${repo.fullName}/branches/${branch}/protection`,
        },
      };
    },
  },
  {
    // `base...head`: how far the head is ahead of and behind the base (what "base moved" checks read).
    method: 'GET',
    path: '/repos/:owner/:repo/compare/*basehead',
    handle: ({ repo, params, urls }) => {
      const [baseRef, headRef] = params.basehead!.split('...');
      const base = baseRef ? repo.resolveCommit(baseRef) : undefined;
      const head = headRef ? repo.resolveCommit(headRef) : undefined;
      if (!base || !head) throw notFound();
      const mergeBase = repo.git.mergeBase(base, head) ?? base;
      const shared = repo.git.ancestors(mergeBase);
      const only = (sha: string) => [...repo.git.ancestors(sha)].filter((commit) => !shared.has(commit));
      const ahead = only(head);
      const behind = only(base);
      const status =
        ahead.length === 0
          ? behind.length === 0
            ? 'identical'
            : 'behind'
          : behind.length === 0
            ? 'ahead'
            : 'diverged';
      return {
        json: {
          status,
          ahead_by: ahead.length,
          behind_by: behind.length,
          total_commits: ahead.length,
          base_commit: commitJson(repo, repo.commitObject(base), urls),
          merge_base_commit: commitJson(repo, repo.commitObject(mergeBase), urls),
          commits: ahead.map((sha) => commitJson(repo, repo.commitObject(sha), urls)),
        },
      };
    },
  },
  { method: 'GET', path: '/repos/:owner/:repo/contents', handle: contents },
  { method: 'GET', path: '/repos/:owner/:repo/contents/*path', handle: contents },
];
