// Inline ignore comments: `# dockhand ignore=DH201,final-stage-root -- reason` for the next instruction,
// `# dockhand global ignore=…` for the whole file, and hadolint's `# hadolint [global] ignore=DL3008`
// mapped to the rules that list the DL id among their equivalents, so existing repositories carry over.
import type { Dockerfile, Instruction } from '../dockerfile/types.js';
import type { Rule } from './types.js';

export interface InlineIgnores {
  global: Set<string>;
  byInstruction: Map<Instruction, Set<string>>;
}

const IGNORE = /^(dockhand|hadolint)\s+(global\s+)?ignore\s*=\s*([^\s,]+(?:\s*,\s*[^\s,]+)*)/i;

/** Rule ids named by a list of ids, slugs or hadolint codes. */
function ruleIds(names: string[], catalog: readonly Rule[]): string[] {
  const wanted = new Set(names.map((n) => n.toUpperCase()));
  return catalog
    .filter(
      (r) =>
        wanted.has(r.id) ||
        wanted.has(r.slug.toUpperCase()) ||
        r.equivalents.some((e) => wanted.has(e.toUpperCase())),
    )
    .map((r) => r.id);
}

export function inlineIgnores(dockerfile: Dockerfile, catalog: readonly Rule[]): InlineIgnores {
  const result: InlineIgnores = { global: new Set(), byInstruction: new Map() };
  let next = 0;
  for (const comment of dockerfile.comments) {
    const match = IGNORE.exec(comment.text);
    if (!match) continue;
    const ids = ruleIds(match[3]!.split(/\s*,\s*/), catalog);
    if (match[2]) {
      for (const id of ids) result.global.add(id);
      continue;
    }
    while (next < dockerfile.instructions.length && dockerfile.instructions[next]!.line <= comment.line)
      next++;
    const instruction = dockerfile.instructions[next];
    if (!instruction) continue;
    const set = result.byInstruction.get(instruction) ?? new Set<string>();
    for (const id of ids) set.add(id);
    result.byInstruction.set(instruction, set);
  }
  return result;
}
