// What the final image inherits: the chain of stages it is built on, the USER in force at its end, whether
// a base image is known to default to a non-root user; plus ENV/LABEL/ARG key-value reading for rules.
import type { Dependency } from '../../core/types.js';
import { analyzeImages, type ImageAnalysis, type ImageUse, type StageBase } from '../../dockerfile/images.js';
import type { Dockerfile, Instruction, Stage } from '../../dockerfile/types.js';
import { unquote } from '../../dockerfile/words.js';
import { parseReference } from '../../reference/parse.js';

const analyses = new WeakMap<Dockerfile, ImageAnalysis>();

/** `analyzeImages`, computed once per parsed file and shared by the rules that need stage bases. */
export function imagesOf(dockerfile: Dockerfile): ImageAnalysis {
  let analysis = analyses.get(dockerfile);
  if (!analysis) {
    analysis = analyzeImages(dockerfile);
    analyses.set(dockerfile, analysis);
  }
  return analysis;
}

/** The last stage of the file, or undefined when there is none. */
export function finalStage(dockerfile: Dockerfile): Stage | undefined {
  return dockerfile.stages.at(-1);
}

/**
 * Stages the given stage is built on, itself first, then its base stage, and so on (`FROM build AS
 * final` → [final, build]). Stops at an image or scratch; never loops.
 */
export function stageChain(dockerfile: Dockerfile, analysis: ImageAnalysis, index: number): Stage[] {
  const chain: Stage[] = [];
  const seen = new Set<number>();
  let current: number | undefined = index;
  while (current !== undefined && !seen.has(current)) {
    const stage = dockerfile.stages[current];
    if (!stage) break;
    seen.add(current);
    chain.push(stage);
    const base: StageBase | undefined = analysis.bases[current];
    current = base?.kind === 'stage' ? base.index : undefined;
  }
  return chain;
}

/** What the chain bottoms out on: an external image, scratch, or nothing known. */
export function chainBase(
  analysis: ImageAnalysis,
  chain: Stage[],
): { kind: 'image'; use: ImageUse } | { kind: 'scratch' } | undefined {
  const last = chain.at(-1);
  const base = last ? analysis.bases[last.index] : undefined;
  return base?.kind === 'image' || base?.kind === 'scratch' ? base : undefined;
}

export interface EffectiveUser {
  /** The USER value as written (`app`, `1000:1000`, `$APP_UID`). */
  user: string;
  /** The USER instruction that set it. */
  instruction: Instruction;
}

/** The last USER of the chain (own stage first, then its base stages), or undefined when none sets one. */
export function lastUser(chain: Stage[]): EffectiveUser | undefined {
  for (const stage of chain) {
    for (let i = stage.instructions.length - 1; i >= 0; i--) {
      const instruction = stage.instructions[i]!;
      if (instruction.keyword === 'USER' && instruction.words[0]) {
        return { user: unquoteSimple(instruction.words[0].text), instruction };
      }
    }
  }
  return undefined;
}

export type UserKind = 'root' | 'non-root' | 'variable';

/** Classifies a USER value: `root`, `0`, `root:…`, `0:…`, `ContainerAdministrator` are root. */
export function userKind(user: string): UserKind {
  if (user.includes('$')) return 'variable';
  const name = user.split(':')[0]!.toLowerCase();
  if (name === 'root' || name === 'containeradministrator' || /^0+$/.test(name)) return 'root';
  return 'non-root';
}

function unquoteSimple(text: string): string {
  return text.replace(/^(["'])(.*)\1$/, '$2');
}

/**
 * True for base images that are documented to run as a non-root user by default:
 * - distroless images with a `nonroot` tag (`gcr.io/distroless/static-debian12:nonroot`, `:debug-nonroot`,
 *   `:nonroot-amd64`);
 * - Chainguard images (`cgr.dev/chainguard/*`), except the `-dev` variants, which run as root to allow
 *   package installs;
 * - .NET "chiseled" images (`mcr.microsoft.com/dotnet/*:…-chiseled…`), which set the `app` user;
 * - `nginxinc/nginx-unprivileged` and Red Hat's UBI language builder images (`ubi8/nodejs-20`,
 *   `ubi9/python-311`…), which set a non-root USER in their own Dockerfiles;
 * - Windows Nano Server, whose default user is ContainerUser.
 */
export function isNonRootBase(reference: string): boolean {
  const ref = parseReference(reference);
  if ('error' in ref) return false;
  const tag = ref.tag ?? '';
  const name = `${ref.registry}/${ref.repository}`;
  if (ref.registry === 'gcr.io' && ref.repository.startsWith('distroless/')) {
    return /(^|-)nonroot($|-)/.test(tag);
  }
  if (ref.registry === 'cgr.dev' && ref.repository.startsWith('chainguard/')) {
    return !/(^|-)dev($|-)/.test(tag);
  }
  if (name.startsWith('mcr.microsoft.com/dotnet/')) return tag.includes('chiseled');
  if (name === 'mcr.microsoft.com/windows/nanoserver') return true;
  if (name === 'docker.io/nginxinc/nginx-unprivileged') return true;
  if (ref.registry === 'registry.access.redhat.com' || ref.registry === 'registry.redhat.io') {
    return /^ubi\d+\/(nodejs|python|ruby|php|perl)-\d/.test(ref.repository);
  }
  return false;
}

export interface FinalUser {
  stage: Stage;
  chain: Stage[];
  /** The USER in force at the end of the final stage, when the file sets one. */
  user?: EffectiveUser;
  /**
   * Who the image runs as: from the USER when there is one; else 'non-root' for a known non-root base,
   * 'root' for scratch or other images, 'unknown' when the base is an unresolved `$VAR` or the user a variable.
   */
  kind: UserKind | 'unknown';
  /** The external base image of the chain, when there is one. */
  base?: ImageUse;
}

/** Resolves the user the final image runs as. Undefined for a file without stages. */
export function finalUser(dockerfile: Dockerfile, analysis = imagesOf(dockerfile)): FinalUser | undefined {
  const stage = finalStage(dockerfile);
  if (!stage) return undefined;
  const chain = stageChain(dockerfile, analysis, stage.index);
  const base = chainBase(analysis, chain);
  const user = lastUser(chain);
  const result: FinalUser = { stage, chain, kind: 'unknown' };
  if (base?.kind === 'image') result.base = base.use;
  if (user) {
    result.user = user;
    result.kind = userKind(user.user);
  } else if (base?.kind === 'scratch') {
    result.kind = 'root';
  } else if (base?.kind === 'image') {
    if (base.use.expansion.unresolved) result.kind = 'unknown';
    else result.kind = isNonRootBase(base.use.expansion.value) ? 'non-root' : 'root';
  }
  return result;
}

export interface KeyValue {
  key: string;
  /** Value with one level of quotes removed; undefined for `ARG NAME` without default. */
  value?: string;
}

/**
 * Key/value pairs of an ENV, LABEL or ARG instruction: `KEY=value "other key"="x y"`, and the legacy
 * `ENV KEY value with spaces` / `LABEL key value` form (first word without `=`).
 */
export function keyValues(instruction: Instruction, escape: string): KeyValue[] {
  const words = instruction.words;
  const first = words[0];
  if (!first) return [];
  const isArg = instruction.keyword === 'ARG';
  if (!isArg && !first.text.includes('=')) {
    const rest = words
      .slice(1)
      .map((w) => unquote(w.text, escape))
      .join(' ');
    return [{ key: unquote(first.text, escape), value: rest }];
  }
  return words.map((word) => {
    const eq = keyEnd(word.text);
    if (eq === -1) return { key: unquote(word.text, escape) };
    return { key: unquote(word.text.slice(0, eq), escape), value: unquote(word.text.slice(eq + 1), escape) };
  });
}

/** Index of the `=` that ends a possibly quoted key (`"a=b"=c` → 5), or -1. */
function keyEnd(text: string): number {
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quote) {
      if (ch === quote) quote = '';
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '=') return i;
  }
  return -1;
}

/** How an image dependency is written, for messages: `FROM node`, `COPY --from=alpine`, `# syntax=…`. */
export function describeUse(dep: Dependency): string {
  switch (dep.source) {
    case 'from':
      return `FROM ${dep.value}`;
    case 'copy-from':
      return `COPY --from=${dep.value}`;
    case 'mount-from':
      return `RUN --mount=from=${dep.value}`;
    case 'onbuild-from':
      return `ONBUILD COPY --from=${dep.value}`;
    case 'syntax':
      return `# syntax=${dep.value}`;
    default:
      return dep.value;
  }
}
