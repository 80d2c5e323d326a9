// Which images a Dockerfile pulls, with ARG values substituted the way BuildKit does: only ARGs declared
// before the first FROM are visible in FROM lines; inside a stage, `ARG NAME` re-imports a global value.
import { AttachedCache } from '../core/attached-cache.js';
import { linearRegExp, type LinearRegExp } from '../core/linear-regex.js';
import type { DepSource } from '../core/types.js';
import {
  expand,
  literal,
  originEnd,
  originFrom,
  type Expansion,
  type Lookup,
  type Origin,
  type Traced,
} from './expand.js';
import { parseArgDeclarations } from './parse.js';
import { firstStageNamed } from './stage-names.js';
import type { Dockerfile, Instruction } from './types.js';

export interface ImageUse {
  source: DepSource;
  instruction: Instruction;
  /** Index of the stage the instruction belongs to (-1 for the syntax directive). */
  stage: number;
  /** The reference after substitution, with per-character source offsets. */
  expansion: Expansion;
  /** The reference as written, before substitution. */
  written: string;
  /** Offset just past the reference as written in the instruction. */
  writtenEnd: number;
  platform?: string;
}

export type StageBase =
  { kind: 'image'; use: ImageUse } | { kind: 'stage'; index: number } | { kind: 'scratch' };

export interface ImageAnalysis {
  /** External images, in file order (stage references and scratch excluded). */
  uses: ImageUse[];
  /** What each stage is built on, by stage index. */
  bases: StageBase[];
  /** Values of the global ARGs (those with a default). */
  globals: Map<string, Traced>;
}

const analyses = new AttachedCache<Dockerfile, ImageAnalysis>();

/**
 * The images a parsed file pulls and what each stage is built on. Pure, so it is computed once per
 * `Dockerfile` object and shared by the dockerfile manager and the rules: treat the result as read-only.
 */
export function analyzeImages(dockerfile: Dockerfile): ImageAnalysis {
  let analysis = analyses.get(dockerfile);
  if (!analysis) {
    analysis = computeImages(dockerfile);
    analyses.set(dockerfile, analysis);
  }
  return analysis;
}

function computeImages(dockerfile: Dockerfile): ImageAnalysis {
  const escape = dockerfile.directives.escape;
  const globals = new Map<string, Traced>();
  for (const arg of dockerfile.globalArgs) {
    if (arg.written === undefined || arg.valueStart === undefined) continue;
    globals.set(
      arg.name,
      expand(arg.written, arg.offsets ?? arg.valueStart, (n) => globals.get(n), escape),
    );
  }
  const uses: ImageUse[] = [];
  const bases: StageBase[] = [];
  const syntax = dockerfile.directives.syntax;
  if (syntax && dockerfile.instructions[0]) {
    uses.push({
      source: 'syntax',
      instruction: dockerfile.instructions[0],
      stage: -1,
      expansion: { ...literal(syntax.value, syntax.valueStart), unresolved: false, used: [] },
      written: syntax.value,
      writtenEnd: syntax.valueEnd,
    });
  }
  const stageIndex = (ref: string, before: number): number | undefined => {
    if (/^\d+$/.test(ref))
      return Number(ref) < Math.min(before, dockerfile.stages.length) ? Number(ref) : undefined;
    // The first stage of a name is the one meant; when it comes at or after `before`, so do the others.
    const found = firstStageNamed(dockerfile, ref);
    return found !== undefined && found < before ? found : undefined;
  };
  const stageMatching = stageMatcher(dockerfile);

  for (const stage of dockerfile.stages) {
    const scope = new Map<string, Traced>();
    const lookup: Lookup = (n) => scope.get(n);
    for (const instruction of stage.instructions) {
      if (instruction === stage.from) {
        bases.push(fromBase(dockerfile, instruction, globals, stageIndex, stageMatching, uses));
        continue;
      }
      if (instruction.keyword === 'ARG') {
        for (const arg of parseArgDeclarations(instruction, escape)) {
          if (arg.valueStart === undefined) {
            const inherited = globals.get(arg.name);
            if (inherited) scope.set(arg.name, inherited);
          } else {
            scope.set(arg.name, expand(arg.written!, arg.offsets ?? arg.valueStart, lookup, escape));
          }
        }
      }
      const target = instruction.onbuild ?? instruction;
      const source: DepSource = instruction.onbuild ? 'onbuild-from' : 'copy-from';
      for (const flag of target.flags) {
        if (flag.written === null) continue;
        let raw: string | undefined;
        let origin: Origin = flag.offsets ?? flag.valueStart;
        if (flag.name === 'from' && target.keyword === 'COPY') {
          raw = flag.written;
        } else if (flag.name === 'mount' && target.keyword === 'RUN') {
          const field = /(?:^|,)\s*from=([^,]*)/.exec(flag.written);
          if (!field) continue;
          raw = field[1]!;
          origin = originFrom(origin, field.index + field[0].length - raw.length);
        }
        if (raw === undefined) continue;
        // ONBUILD triggers run in the child build, where these ARGs do not exist.
        const expansion = expand(raw, origin, instruction.onbuild ? () => undefined : lookup, escape);
        // Any stage of this file may be named (BuildKit orders the graph); ONBUILD names the child's stages.
        const isStage =
          /^\d+$/.test(expansion.value) ||
          (!instruction.onbuild && stageIndex(expansion.value, Infinity) !== undefined);
        if (isStage) continue;
        uses.push({
          source: flag.name === 'mount' && !instruction.onbuild ? 'mount-from' : source,
          instruction,
          stage: stage.index,
          expansion,
          written: raw,
          writtenEnd: originEnd(origin, raw.length),
        });
      }
    }
  }
  uses.sort((a, b) => a.instruction.start - b.instruction.start || (a.source === 'syntax' ? -1 : 0));
  return { uses, bases, globals };
}

function fromBase(
  dockerfile: Dockerfile,
  from: Instruction,
  globals: Map<string, Traced>,
  stageIndex: (ref: string, before: number) => number | undefined,
  stageMatching: (written: string, before: number) => number | undefined,
  uses: ImageUse[],
): StageBase {
  const word = from.words[0];
  if (!word) return { kind: 'scratch' };
  const expansion = expand(
    word.text,
    word.offsets ?? word.start,
    (n) => globals.get(n),
    dockerfile.directives.escape,
  );
  if (expansion.value.toLowerCase() === 'scratch' && !expansion.unresolved) return { kind: 'scratch' };
  const index = expansion.unresolved
    ? stageMatching(word.text, from.stage)
    : stageIndex(expansion.value, from.stage);
  if (index !== undefined) return { kind: 'stage', index };
  const platformFlag = from.flags.find((f) => f.name === 'platform');
  const use: ImageUse = {
    source: 'from',
    instruction: from,
    stage: from.stage,
    expansion,
    written: word.text,
    writtenEnd: word.end,
    ...(platformFlag?.value ? { platform: platformFlag.value } : {}),
  };
  uses.push(use);
  return { kind: 'image', use };
}

/**
 * `FROM binaries-$TARGETOS` names a stage chosen at build time: when the written reference, with its
 * variables as wildcards, matches an earlier stage name, it is a stage reference (the last such stage).
 * Stages are asked in file order, so each written reference remembers how far it has looked: many stages
 * built `FROM base-$V` look at each earlier stage once in all, not once each.
 */
function stageMatcher(dockerfile: Dockerfile): (written: string, before: number) => number | undefined {
  const looked = new Map<
    string,
    { pattern: LinearRegExp | null; before: number; found: number | undefined }
  >();
  return (written, before) => {
    let memo = looked.get(written);
    if (!memo || before < memo.before) {
      memo = { pattern: wildcardPattern(written), before: 0, found: undefined };
      looked.set(written, memo);
    }
    for (let i = before - 1; memo.pattern && i >= memo.before; i--) {
      const name = dockerfile.stages[i]!.name;
      if (name && memo.pattern.test(name)) {
        memo.found = i;
        break;
      }
    }
    memo.before = before;
    return memo.found;
  };
}

/** The written reference with its variables as wildcards; null when it is nothing but variables. */
function wildcardPattern(written: string): LinearRegExp | null {
  const literals = written.split(/\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*/);
  // A reference that is nothing but variables could be anything: it stays an unresolved image.
  if (literals.every((part) => part === '')) return null;
  const pattern = literals.map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  // Many variables make many `.*`: a backtracking engine would take polynomial time on long names.
  return linearRegExp(`^${pattern}$`, { ignoreCase: true });
}
