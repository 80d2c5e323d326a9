// What a report needs from a Dockerfile's parse model, which the scan result does not keep: the final
// stage, the stages it is built on, and who the image runs as. Pure (dockerfileFacts); collectDockerfiles
// gathers them during a scan through its `onRead` hook, so neither the scan nor its result changes.
import { decodeText } from '../core/offsets.js';
import { parseDockerfile } from '../dockerfile/parse.js';
import type { Dockerfile } from '../dockerfile/types.js';
import { managerFor } from '../managers/index.js';
import { finalStage, stageChain } from '../rules/support/stages.js';
import { finalUser } from '../rules/support/users.js';

/**
 * Who the final image runs as:
 * - `implicit-root`: no USER in the final stage's chain, and the base runs as root (or scratch);
 * - `explicit-root`: the last USER is root (`USER root`, `USER 0`, `USER 0:0`);
 * - `non-root`: the last USER is another user;
 * - `non-root-base`: no USER, but the base is known to default to a non-root user (distroless `:nonroot`…);
 * - `unknown`: the user or the base is a variable, or the file could not be read.
 */
export type FinalUserKind = 'implicit-root' | 'explicit-root' | 'non-root' | 'non-root-base' | 'unknown';

export interface DockerfileFacts {
  path: string;
  /** Number of stages (FROM instructions). */
  stages: number;
  /** The final stage: its name (or index, as deps name stages) and FROM line; null without stages. */
  finalStage: { stage: string; line: number } | null;
  /** Stage ids (as `Dependency.stage` names them) the final image is built from: the final stage first. */
  finalChain: string[];
  /** The external image the final stage is built on (as written after substitution); null for scratch or unknown. */
  finalBase: string | null;
  user: { kind: FinalUserKind; user?: string; line?: number };
}

export function dockerfileFacts(path: string, dockerfile: Dockerfile): DockerfileFacts {
  const final = finalStage(dockerfile);
  if (!final)
    return { path, stages: 0, finalStage: null, finalChain: [], finalBase: null, user: { kind: 'unknown' } };
  const id = (index: number): string => dockerfile.stages[index]?.name ?? String(index);
  const who = finalUser(dockerfile);
  let user: DockerfileFacts['user'] = { kind: 'unknown' };
  if (who?.user) {
    const { user: name, instruction } = who.user;
    const kind: FinalUserKind =
      who.kind === 'root' ? 'explicit-root' : who.kind === 'non-root' ? 'non-root' : 'unknown';
    user = { kind, user: name, line: instruction.line };
  } else if (who?.kind === 'root') user = { kind: 'implicit-root', line: final.from.line };
  else if (who?.kind === 'non-root') user = { kind: 'non-root-base', line: final.from.line };
  return {
    path,
    stages: dockerfile.stages.length,
    finalStage: { stage: id(final.index), line: final.from.line },
    finalChain: stageChain(dockerfile, final.index).map((stage) => id(stage.index)),
    finalBase: who?.base && !who.base.expansion.unresolved ? who.base.expansion.value : null,
    user,
  };
}

/**
 * Collects DockerfileFacts while a scan reads files: pass `onRead` in the scan's options, then read
 * `facts` (by path). A Dockerfile that fails to parse is left out (its facts are then `unknown`).
 */
export function collectDockerfiles(): {
  onRead: (path: string, bytes: Buffer) => void;
  facts: Map<string, DockerfileFacts>;
} {
  const facts = new Map<string, DockerfileFacts>();
  return {
    facts,
    onRead(path, bytes) {
      if (managerFor(path)?.name !== 'dockerfile') return;
      try {
        facts.set(path, dockerfileFacts(path, parseDockerfile(decodeText(bytes).text)));
      } catch {
        // The scan records the parse error on the file.
      }
    },
  };
}
