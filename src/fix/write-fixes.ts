// `dockhand fix`, once the scan is resolved: writes each file's chosen updates and prints the diff. A file
// is only written if it still holds what the scan read, through a path that still leads inside DIR.
import type { UpdateKind } from '../core/types.js';
import { decodeText } from '../core/offsets.js';
import { unifiedDiff } from '../edit/diff.js';
import { applyEdits } from '../edit/replace.js';
import { fileFix } from '../plan/apply.js';
import type { ScanResult } from '../scan/scan.js';
import type { ReadFingerprints } from './fingerprints.js';
import type { relock, RelockOutcome } from './relock.js';
import { rewriteFile } from './rewrite-file.js';

export interface FixOutput {
  /** The unified diff of every file written. */
  stdout: { write(text: string): unknown };
  /** Updates and files that could not be written, lookup errors, the count of updates written. */
  stderr: { write(text: string): unknown };
}

/**
 * Writes the updates of `types` into the files of `result`, scanned from `dir` with `read` recording what
 * each file held. Returns how many problems were reported (an update or a file left unwritten).
 */
export async function writeFixes(
  dir: string,
  result: ScanResult,
  read: ReadFingerprints,
  types: readonly UpdateKind[],
  out: FixOutput,
  options: { relock?: boolean } = {},
): Promise<number> {
  let problems = 0;
  let applied = 0;
  for (const file of result.files) {
    const plan = fileFix(file, types);
    for (const problem of plan.problems) out.stderr.write(`dockhand: ${problem}\n`);
    problems += plan.problems.length;
    if (plan.edits.length === 0) continue;
    const written = await rewriteFile(dir, file.path, {
      unchanged: (bytes) => read.matches(file.path, bytes),
      edit: (bytes) => applyEdits(bytes, plan.edits),
    });
    if ('problem' in written) {
      out.stderr.write(`dockhand: ${file.path}: ${written.problem}; not changed\n`);
      problems++;
      continue;
    }
    applied += plan.applied.length;
    const after = decodeText(written.after).text;
    out.stdout.write(unifiedDiff(file.path, decodeText(written.before).text, after));
    for (const lockPath of plan.staleLockfiles) {
      const outcome =
        options.relock === false
          ? { regenerated: false as const, why: 'out of date (--no-lockfiles)' }
          : await relockLazily(dir, lockPath, { path: file.path, text: after, deps: file.deps }, read);
      if (outcome.regenerated) {
        out.stderr.write(`dockhand: ${lockPath}: regenerated\n`);
        for (const note of outcome.notes) out.stderr.write(`dockhand: ${lockPath}: ${note}\n`);
      } else {
        out.stderr.write(`dockhand: ${lockPath}: ${outcome.why}\n`);
        problems++;
      }
    }
  }
  const lookupErrors = result.files.flatMap((f) => f.deps).filter((d) => d.lookupError);
  for (const dep of lookupErrors) out.stderr.write(`dockhand: ${dep.value}: ${dep.lookupError}\n`);
  out.stderr.write(`dockhand: ${applied} update${applied === 1 ? '' : 's'} written\n`);
  return problems;
}

/** The relockers (and the HTTP client a pinned npm is fetched with) load only when a lockfile needs them. */
async function relockLazily(...args: Parameters<typeof relock>): Promise<RelockOutcome> {
  const relocker = await import('./relock.js');
  return relocker.relock(...args);
}
