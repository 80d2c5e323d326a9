// Who the final image runs as: the USER in force at the end of its stage chain, or, without one, whether
// its base image is known to default to a non-root user.
import type { ImageUse } from '../../dockerfile/images.js';
import type { Dockerfile, Instruction, Stage } from '../../dockerfile/types.js';
import { parseReference } from '../../reference/parse.js';
import { finalStage, rootBase, stageChain } from './stages.js';

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
export function finalUser(dockerfile: Dockerfile): FinalUser | undefined {
  const stage = finalStage(dockerfile);
  if (!stage) return undefined;
  const chain = stageChain(dockerfile, stage.index);
  const { base } = rootBase(dockerfile, stage.index);
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
