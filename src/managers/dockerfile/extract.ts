import type { Dependency, Range } from '../../core/types.js';
import { analyzeImages, type ImageUse } from '../../dockerfile/images.js';
import type { Dockerfile } from '../../dockerfile/types.js';
import { parseReference } from '../../reference/parse.js';
import { parsedDependency, skippedDependency } from '../../reference/to-dependency.js';

export function extractFromDockerfile(dockerfile: Dockerfile): Dependency[] {
  const { uses } = analyzeImages(dockerfile);
  return uses.map((use) => toDependency(dockerfile, use));
}

function toDependency(dockerfile: Dockerfile, use: ImageUse): Dependency {
  const { expansion } = use;
  const line = use.source === 'syntax' ? dockerfile.directives.syntax!.line : use.instruction.line;
  const context = {
    ...(use.stage >= 0 ? { stage: dockerfile.stages[use.stage]?.name ?? String(use.stage) } : {}),
    ...(use.platform ? { platform: use.platform } : {}),
  };
  if (expansion.unresolved) {
    return { ...skippedDependency(use.written, line, use.source, 'unresolved-variable'), ...context };
  }
  const ref = parseReference(expansion.value);
  if ('error' in ref) {
    const reason = expansion.value === '' ? 'empty' : 'invalid-reference';
    return { ...skippedDependency(expansion.value, line, use.source, reason), ...context };
  }
  const dep: Dependency = { ...parsedDependency(ref, expansion.value, line, use.source), ...context };
  const offsets = expansion.offsets;
  const all = span(offsets, 0, offsets.length);
  // Where a missing part would be inserted: right after the text that precedes it, when that is a literal.
  const tagEnd = ref.digestStart ?? offsets.length;
  const tagRange =
    ref.tagStart === null ? insertionAfter(offsets, ref.nameEnd) : span(offsets, ref.tagStart + 1, tagEnd);
  const digestRange =
    ref.digestStart === null
      ? ((all && { start: all.end, end: all.end }) ?? { start: use.writtenEnd, end: use.writtenEnd })
      : span(offsets, ref.digestStart + 1, offsets.length);
  if (tagRange) dep.tagRange = tagRange;
  if (digestRange) dep.digestRange = digestRange;
  const arg = argOwning(dockerfile, tagRange ?? digestRange);
  if (arg) dep.arg = arg;
  return dep;
}

/** The file range of value characters [from, to) if they are one contiguous literal in the file. */
function span(offsets: number[], from: number, to: number): Range | undefined {
  if (from >= to) return undefined;
  const start = offsets[from]!;
  if (start < 0) return undefined;
  for (let i = from + 1; i < to; i++) if (offsets[i] !== start + (i - from)) return undefined;
  return { start, end: start + (to - from) };
}

function insertionAfter(offsets: number[], index: number): Range | undefined {
  const previous = offsets[index - 1];
  return previous === undefined || previous < 0 ? undefined : { start: previous + 1, end: previous + 1 };
}

/** Name of the global ARG whose default value contains the range, if any. */
function argOwning(dockerfile: Dockerfile, range: Range | undefined): string | undefined {
  if (!range) return undefined;
  const arg = dockerfile.globalArgs.find(
    (a) => a.valueStart !== undefined && a.valueStart <= range.start && range.end <= a.valueEnd!,
  );
  return arg?.name;
}
