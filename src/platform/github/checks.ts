// Check runs: one completed run per call, its annotations sent 50 per request (GitHub's limit), the rest
// appended by updates, which GitHub adds to the run rather than replacing.
import type { Annotation, CheckRunInput } from '../../job/types.js';
import { unwrap, type RepoContext } from './repo-context.js';

const ANNOTATIONS_PER_REQUEST = 50;
/** GitHub's limit on `output.summary`. */
export const MAX_SUMMARY_CHARS = 65_535;
const TRUNCATED = '\n\n… (truncated)';

export async function createCheckRun(
  { client, owner, repo }: RepoContext,
  input: CheckRunInput,
): Promise<number> {
  const batches = chunks(input.annotations.map(toGitHubAnnotation), ANNOTATIONS_PER_REQUEST);
  const output = (annotations: GitHubAnnotation[] = []) => ({
    title: input.title,
    summary: cutSummary(input.summary),
    annotations,
  });
  const { id } = unwrap(
    await client.request<{ id: number }>('POST /repos/{owner}/{repo}/check-runs', {
      owner,
      repo,
      name: input.name,
      head_sha: input.headSha,
      status: 'completed',
      conclusion: input.conclusion,
      output: output(batches[0]),
    }),
  );
  for (const batch of batches.slice(1)) {
    unwrap(
      await client.request('PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}', {
        owner,
        repo,
        check_run_id: id,
        output: output(batch),
      }),
    );
  }
  return id;
}

/** The summary as GitHub accepts it: at most 65,535 characters, saying so when cut. */
export function cutSummary(summary: string): string {
  if (summary.length <= MAX_SUMMARY_CHARS) return summary;
  let cut = summary.slice(0, MAX_SUMMARY_CHARS - TRUNCATED.length);
  // Never leave half of a surrogate pair.
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return cut + TRUNCATED;
}

interface GitHubAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  annotation_level: Annotation['level'];
  title: string;
  message: string;
}

function toGitHubAnnotation(annotation: Annotation): GitHubAnnotation {
  return {
    path: annotation.path,
    start_line: annotation.startLine,
    end_line: annotation.endLine,
    annotation_level: annotation.level,
    title: annotation.title,
    message: annotation.message,
  };
}

function chunks<T>(items: T[], size: number): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size) result.push(items.slice(start, start + size));
  return result;
}
