// Stage helpers for rules about "the image that ships": the final stage, the chain of stages it is built
// on (`FROM builder AS final` inherits everything `builder` set), and what is in force at an instruction
// when the chain is followed (SHELL). Everything is computed in one pass over the file.
import { analyzeImages, type ImageAnalysis, type StageBase } from '../../dockerfile/images.js';
import type { Dockerfile, Instruction, Stage } from '../../dockerfile/types.js';

const DEFAULT_SHELL: readonly string[] = ['/bin/sh', '-c'];
const ANALYSES = new WeakMap<Dockerfile, ImageAnalysis>();
const SHELLS = new WeakMap<Dockerfile, Map<Instruction, ShellInForce>>();

/** `analyzeImages(dockerfile)`, computed once per parsed file and shared by the rules (treat as read-only). */
export function imagesOf(dockerfile: Dockerfile): ImageAnalysis {
  let analysis = ANALYSES.get(dockerfile);
  if (!analysis) {
    analysis = analyzeImages(dockerfile);
    ANALYSES.set(dockerfile, analysis);
  }
  return analysis;
}

/** `shellsInForce` for the file, computed once per parsed file. */
export function shellsOf(dockerfile: Dockerfile): Map<Instruction, ShellInForce> {
  let shells = SHELLS.get(dockerfile);
  if (!shells) {
    shells = shellsInForce(dockerfile, imagesOf(dockerfile).bases);
    SHELLS.set(dockerfile, shells);
  }
  return shells;
}

/** The stage whose result is the built image (the last one), or undefined for a file without FROM. */
export function finalStage(dockerfile: Dockerfile): Stage | undefined {
  return dockerfile.stages.at(-1);
}

/**
 * Indices of the stages `index` is built on, itself first, then its parent stage, and so on up to the
 * stage whose base is an image or scratch. Stage references only point backwards, so this terminates;
 * a guard bounds it anyway.
 */
export function stageChain(bases: StageBase[], index: number): number[] {
  const chain: number[] = [];
  let current: number | undefined = index;
  while (current !== undefined && current >= 0 && chain.length <= bases.length) {
    chain.push(current);
    const base: StageBase | undefined = bases[current];
    current = base?.kind === 'stage' && base.index < current ? base.index : undefined;
  }
  return chain;
}

/** The base at the root of a stage's chain: the external image (or scratch) the stage ultimately builds on. */
export function rootBase(bases: StageBase[], index: number): { base: StageBase | undefined; stage: number } {
  const chain = stageChain(bases, index);
  const stage = chain.at(-1) ?? index;
  return { base: bases[stage], stage };
}

/** Instructions a stage's image carries, in build order: those of its ancestors' stages first, then its own. */
export function inheritedInstructions(
  dockerfile: Dockerfile,
  bases: StageBase[],
  index: number,
): Instruction[] {
  const chain = stageChain(bases, index).reverse();
  return chain.flatMap((i) => dockerfile.stages[i]?.instructions ?? []);
}

/** The final stage with everything it inherits, or null for a file without stages. */
export interface FinalImage {
  stage: Stage;
  /** Instructions of the final stage and its ancestor stages, in build order. */
  instructions: Instruction[];
  /** What the chain ultimately builds on, and the stage whose FROM names it. */
  root: StageBase | undefined;
  rootStage: Stage;
  analysis: ImageAnalysis;
}

export function finalImage(dockerfile: Dockerfile, analysis = imagesOf(dockerfile)): FinalImage | null {
  const stage = finalStage(dockerfile);
  if (!stage) return null;
  const { base, stage: rootIndex } = rootBase(analysis.bases, stage.index);
  return {
    stage,
    instructions: inheritedInstructions(dockerfile, analysis.bases, stage.index),
    root: base,
    rootStage: dockerfile.stages[rootIndex] ?? stage,
    analysis,
  };
}

const WINDOWS_IMAGE = /windows|nanoserver|servercore/i;

/** What runs RUN scripts (and shell-form CMD / ENTRYPOINT) at an instruction. */
export interface ShellInForce {
  /** The SHELL command line (`/bin/sh -c` by default). */
  shell: readonly string[];
  /** True when scripts are POSIX shell: not PowerShell / cmd, not a Windows image's default shell. */
  posix: boolean;
}

/**
 * The SHELL in force for every instruction of the file, following stage chains: a stage built on another
 * stage starts with the shell its parent ended with; a stage built on an image starts with `/bin/sh -c`
 * (the parent image may set another SHELL, which a Dockerfile cannot see). A Windows Dockerfile
 * (escape=`, or a stage chain rooted in a windows / nanoserver / servercore image) runs `cmd /S /C` by
 * default, so only an explicit POSIX SHELL makes its scripts POSIX. One pass, in file order.
 */
export function shellsInForce(dockerfile: Dockerfile, bases: StageBase[]): Map<Instruction, ShellInForce> {
  const result = new Map<Instruction, ShellInForce>();
  const endShell: ShellInForce[] = [];
  const windowsFile = dockerfile.directives.escape === '`';
  for (const stage of dockerfile.stages) {
    const base = bases[stage.index];
    let current: ShellInForce;
    if (base?.kind === 'stage' && base.index < stage.index && endShell[base.index]) {
      current = endShell[base.index]!;
    } else {
      const image = base?.kind === 'image' ? `${base.use.written} ${base.use.expansion.value}` : '';
      const windows = windowsFile || WINDOWS_IMAGE.test(image);
      current = { shell: DEFAULT_SHELL, posix: !windows };
    }
    for (const instruction of stage.instructions) {
      result.set(instruction, current);
      if (instruction.keyword === 'SHELL' && instruction.json && instruction.json.length > 0) {
        current = { shell: instruction.json, posix: isPosixShellProgram(instruction.json) };
      }
    }
    endShell[stage.index] = current;
  }
  return result;
}

/** True when a SHELL command line runs a POSIX shell (sh, bash, ash, dash, zsh, busybox sh…). */
export function isPosixShellProgram(shell: readonly string[]): boolean {
  const program = (shell[0] ?? '').toLowerCase();
  if (/powershell|pwsh|(^|[\\/])cmd(\.exe)?$/.test(program)) return false;
  return /(^|[\\/])((ba|da|a|z|k|mk)?sh|busybox)(\.exe)?$/.test(program);
}

/** The basename of a program path, lower-cased (`/usr/bin/bash` → `bash`, `C:\x\cmd.exe` → `cmd.exe`). */
export function programName(word: string): string {
  return word.slice(Math.max(word.lastIndexOf('/'), word.lastIndexOf('\\')) + 1).toLowerCase();
}
