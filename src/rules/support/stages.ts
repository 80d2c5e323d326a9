// Stage helpers for rules about "the image that ships": the final stage, the chain of stages it is built
// on (`FROM builder AS final` inherits everything `builder` set), what that chain bottoms out on, and the
// instructions the image carries. Built on the per-file `analyzeImages`.
import { analyzeImages, type StageBase } from '../../dockerfile/images.js';
import type { Dockerfile, Instruction, Stage } from '../../dockerfile/types.js';

/** The stage whose result is the built image (the last one), or undefined for a file without FROM. */
export function finalStage(dockerfile: Dockerfile): Stage | undefined {
  return dockerfile.stages.at(-1);
}

/** The earlier stage `index` is built on (`FROM build AS final` → build's index), or undefined. */
export function parentStage(dockerfile: Dockerfile, index: number): number | undefined {
  const base: StageBase | undefined = analyzeImages(dockerfile).bases[index];
  // Stage references only point backwards; the guard makes sure a chain always ends.
  return base?.kind === 'stage' && base.index < index ? base.index : undefined;
}

/**
 * The stages `index` is built on, itself first, then its parent stage, and so on up to the stage whose
 * base is an image or scratch (`FROM build AS final` → [final, build]).
 */
export function stageChain(dockerfile: Dockerfile, index: number): Stage[] {
  const chain: Stage[] = [];
  for (let current: number | undefined = index; current !== undefined && dockerfile.stages[current];) {
    chain.push(dockerfile.stages[current]!);
    current = parentStage(dockerfile, current);
  }
  return chain;
}

/**
 * What a stage ultimately builds on: the base (external image or scratch) of the last stage of its chain,
 * and that stage, whose FROM names it. `base` is undefined when nothing is known.
 */
export function rootBase(
  dockerfile: Dockerfile,
  index: number,
): { base: StageBase | undefined; stage: number } {
  const stage = stageChain(dockerfile, index).at(-1)?.index ?? index;
  return { base: analyzeImages(dockerfile).bases[stage], stage };
}

/** Instructions a stage's image carries, in build order: those of its ancestors' stages first, then its own. */
export function inheritedInstructions(dockerfile: Dockerfile, index: number): Instruction[] {
  return stageChain(dockerfile, index)
    .reverse()
    .flatMap((stage) => stage.instructions);
}
