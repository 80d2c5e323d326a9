// How instructions are written, for rules: the key/value pairs of ENV, LABEL and ARG, and an image
// dependency as it appears in the file (for messages).
import type { Dependency } from '../../core/types.js';
import type { Instruction } from '../../dockerfile/types.js';
import { unquote } from '../../dockerfile/words.js';

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
