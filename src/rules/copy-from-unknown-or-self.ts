import { analyzeImages, type ImageUse } from '../dockerfile/images.js';
import { firstStageNamed } from '../dockerfile/stage-names.js';
import type { Dockerfile, Instruction, Stage } from '../dockerfile/types.js';
import { isReferenceError, parseReference } from '../reference/parse.js';
import type { Rule, RuleFinding } from './types.js';

const INDEX = /^\d+$/;

/** Edit distance counting an adjacent transposition as one edit (optimal string alignment). */
function distance(a: string, b: string): number {
  let before: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, before[j - 2]! + 1);
      }
      row.push(value);
    }
    before = prev;
    prev = row;
  }
  return prev[b.length]!;
}

/**
 * Finds the stage a name is probably a typo of: one edit away (two for long names), for names of 4+
 * letters. Answers are kept, so a file copying from the same image many times compares its stages once.
 */
function typoFinder(stages: Stage[]): (name: string) => Stage | undefined {
  const known = new Map<string, Stage | undefined>();
  return (name) => {
    if (name.length < 4) return undefined;
    const lower = name.toLowerCase();
    if (!known.has(lower)) known.set(lower, closestStage(stages, lower));
    return known.get(lower);
  };
}

function closestStage(stages: Stage[], lower: string): Stage | undefined {
  const allowed = lower.length >= 8 ? 2 : 1;
  return stages.find(
    (s) =>
      s.name !== null &&
      s.name.length >= 4 &&
      Math.abs(s.name.length - lower.length) <= allowed &&
      distance(lower, s.name.toLowerCase()) <= allowed,
  );
}

function stageLabel(stage: Stage): string {
  return stage.name ? `"${stage.name}" (stage ${stage.index})` : `stage ${stage.index}`;
}

/** What is wrong with `--from=value` in `stage`; null when nothing is. */
function problem(
  dockerfile: Dockerfile,
  stage: Stage,
  value: string,
  literal: boolean,
  nearStage: (name: string) => Stage | undefined,
): string | null {
  const stages = dockerfile.stages;
  if (INDEX.test(value)) {
    const index = Number(value);
    if (index === stage.index) return `\`--from=${value}\` is this stage itself; copy from an earlier stage.`;
    if (index >= stages.length) {
      return `\`--from=${value}\`: there is no stage ${value} (the file has ${stages.length}); use an earlier stage's name.`;
    }
    if (index > stage.index) {
      return `\`--from=${value}\` is a later stage (${stageLabel(stages[index]!)}); name the stage and define it before this one.`;
    }
    return null;
  }
  const first = firstStageNamed(dockerfile, value);
  const named = first === undefined ? undefined : stages[first];
  if (named === stage) return `\`--from=${value}\` is this stage itself; copy from an earlier stage.`;
  if (named) return null;
  const ref = parseReference(value);
  if (isReferenceError(ref)) {
    return `\`--from=${value}\` is neither a stage of this file nor a valid image reference (${ref.error}); check the stage name.`;
  }
  // `--from=buidler` parses as the Docker Hub image library/buidler: a likely typo of a stage name.
  const near = literal && !value.includes('/') && ref.tag === null && ref.digest === null;
  const typo = near ? nearStage(value) : undefined;
  if (typo) {
    return `\`--from=${value}\` is not a stage of this file and would be pulled as an image; did you mean stage "${typo.name}"?`;
  }
  return null;
}

export const rule: Rule = {
  id: 'DH909',
  slug: 'copy-from-unknown-or-self',
  severity: 'error',
  enabledByDefault: true,
  title: 'Copy only from an earlier stage or a valid image',
  docs: `\`COPY --from=\` takes a stage name, a stage index or an image reference. Copying from the stage being built is a cycle the builder rejects, and a misspelt stage name is not caught as such: \`--from=buidler\` is a valid image name, so the build tries to pull \`docker.io/library/buidler\` and fails with a confusing "pull access denied" — or, worse, copies from whatever image of that name exists.

The rule reports \`--from\` values that name the current stage (by name or index), a numeric index that is not an earlier stage (a forward index changes meaning when a stage is inserted, and the classic builder rejects it), a value that is neither a stage nor a valid image reference (\`--from=Build-Stage\` without such a stage: image names must be lower-case), and a single-word, untagged value that is one or two letters away from a stage name. Values built from ARGs that have no default are not judged.

Bad:

\`\`\`dockerfile
FROM golang:1.23 AS builder
RUN go build -o /out/app .
FROM gcr.io/distroless/static-debian12
COPY --from=buidler /out/app /app
\`\`\`

Good:

\`\`\`dockerfile
COPY --from=builder /out/app /app
\`\`\`

If the value really is an image: \`# dockhand ignore=DH909 -- image, not a stage\`.`,
  equivalents: ['DL3023', 'DS-0006'],
  check(dockerfile) {
    const findings: RuleFinding[] = [];
    let uses: Map<Instruction, ImageUse> | undefined;
    const nearStage = typoFinder(dockerfile.stages);
    for (const stage of dockerfile.stages) {
      for (const instruction of stage.instructions) {
        if (instruction.keyword !== 'COPY') continue;
        const raw = instruction.flags.find((f) => f.name === 'from')?.value?.trim();
        if (!raw) continue;
        let value = raw;
        if (raw.includes('$')) {
          // Substituted by the image analysis; values it does not list as images are stages.
          uses ??= new Map(
            analyzeImages(dockerfile)
              .uses.filter((u) => u.source === 'copy-from')
              .map((u) => [u.instruction, u]),
          );
          const use = uses.get(instruction);
          if (!use || use.expansion.unresolved) continue;
          value = use.expansion.value;
        }
        const message = problem(dockerfile, stage, value, value === raw, nearStage);
        if (message) findings.push({ line: instruction.line, endLine: instruction.endLine, message });
      }
    }
    return findings;
  },
};
