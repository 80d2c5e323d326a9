// Every manager, in match order: the first whose filePatterns match a path owns that file. Dockerfiles
// come first; the YAML managers keep their own order (kubernetes, which takes any YAML, is last).
import type { Manager } from '../core/types.js';
import { manager as dockerfile } from './dockerfile/index.js';
import { yamlManagers } from './yaml-order.js';

export const managers: Manager[] = [dockerfile, ...yamlManagers];

export function managerFor(path: string): Manager | undefined {
  return managers.find((manager) => manager.filePatterns.some((pattern) => pattern.test(path)));
}

/** A lockfile some manager reads for its manifests (never a file of its own). */
export function isLockfile(path: string): boolean {
  return managers.some((manager) => manager.lockfiles?.filePatterns.some((pattern) => pattern.test(path)));
}
