// Stage helpers for rules about "the image that ships": the final stage, the chain of stages it is built
// on (`FROM builder AS final` inherits everything `builder` set), what that chain bottoms out on, and the
// instructions the image carries. Built on the per-file `analyzeImages`.
import { analyzeImages, type StageBase } from '../../dockerfile/images.js';
import type { Dockerfile, Instruction, Stage } from '../../dockerfile/types.js';

/** The stage whose result is the built image (the last one), or undefined for a file without FROM. */
export function finalStage(dockerfile: Dockerfile): Stage | undefined {
  return dockerfile.stages.at(-1);
}

/**
 * The stages `index` is built on, itself first, then its parent stage, and so on up to the stage whose
 * base is an image or scratch (`FROM build AS final` → [final, build]). Stage references only point
 * backwards, so this terminates; the guard makes sure of it.
 */
export function stageChain(dockerfile: Dockerfile, index: number): Stage[] {
  const { bases } = analyzeImages(dockerfile);
  const chain: Stage[] = [];
  let current: number | undefined = index;
  while (current !== undefined && current >= 0) {
    const stage = dockerfile.stages[current];
    if (!stage) break;
    chain.push(stage);
    const base: StageBase | undefined = bases[current];
    current = base?.kind === 'stage' && base.index < current ? base.index : undefined;
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
