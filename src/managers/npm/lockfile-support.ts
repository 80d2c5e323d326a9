// The scan's view of npm lockfiles (Manager.lockfiles): the manifest's own directory first, then each
// ancestor, as npm, yarn and pnpm look for a workspace root. An ancestor's lockfile is used only when it
// knows the manifest as a member; otherwise the manifest has no lockfile (an example project inside a
// repository whose root has its own lock).
import { posix } from 'node:path';
import { ancestorPaths } from '../../core/ancestor-paths.js';
import type { CompanionFiles } from '../../core/types.js';
import { extractPackageJson } from './extract.js';
import { applyLockfile, LOCKFILE_NAMES, parseLockfile, type ParsedLock } from './lockfile.js';
import type { FileError } from '../../core/types.js';

// The scan applies one lockfile to each of its members in turn: keep the last parse.
let last: { path: string; content: string; lock: ParsedLock | FileError } | undefined;

function parsedOnce(path: string, content: string): ParsedLock | FileError {
  if (last?.path !== path || last.content !== content)
    last = { path, content, lock: parseLockfile(path, content) };
  return last.lock;
}

export const npmLockfiles: CompanionFiles = {
  filePatterns: [
    /^(?!(?:.*\/)?node_modules\/)(?:.*\/)?(?:package-lock\.json|npm-shrinkwrap\.json|yarn\.lock|pnpm-lock\.yaml)$/,
  ],
  candidates: (manifestPath) => ancestorPaths(manifestPath, LOCKFILE_NAMES),
  apply(deps, manifestPath, lockPath, content, readFile) {
    const lock = parsedOnce(lockPath, content);
    const member = posix.relative(posix.dirname(lockPath), posix.dirname(manifestPath));
    if (member !== '' && 'hasMember' in lock && !lock.hasMember(member)) return { deps, errors: [] };
    // yarn keys what the workspace root's `resolutions` force by them, not by the member's own range.
    const root = readFile?.(posix.join(posix.dirname(lockPath), 'package.json'));
    const resolutions = root === undefined ? undefined : extractPackageJson(root).resolutions;
    const { deps: out, errors } = applyLockfile(deps, lockPath, lock, manifestPath, {
      ...(resolutions && { resolutions }),
    });
    return { deps: out, errors };
  },
};
