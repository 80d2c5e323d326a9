// The lookup failures of a run as the dashboard lists them: one line per distinct failure, naming the
// images it hit. A host skipped after timeouts, or refused by the network policy, is one line, not one
// per image. Pure.
import type { Dependency } from '../core/types.js';

const NAMED = 3;

export function lookupErrorLines(dependencies: readonly Dependency[]): string[] {
  const byError = new Map<string, Set<string>>();
  for (const dep of dependencies) {
    if (!dep.lookupError) continue;
    const names = byError.get(dep.lookupError) ?? new Set<string>();
    names.add(dep.depName);
    byError.set(dep.lookupError, names);
  }
  return [...byError].map(([error, names]) => {
    const list = [...names];
    // Most registry errors already start with the image they are about.
    if (list.length === 1 && error.startsWith(`${list[0]}`)) return error;
    const more = list.length > NAMED ? ` and ${list.length - NAMED} more` : '';
    return `${list.slice(0, NAMED).join(', ')}${more}: ${error}`;
  });
}
