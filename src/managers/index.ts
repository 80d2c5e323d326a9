// Every manager, in match order: the first whose filePatterns match a path owns that file. Dockerfiles
// come first, then the npm and Python manifests; the YAML managers keep their own order (kubernetes,
// which takes any YAML, is last).
import type { Manager } from '../core/types.js';
import { manager as dockerfile } from './dockerfile/index.js';
import { manager as npm } from './npm/index.js';
import { manager as pipRequirements } from './pip-requirements/index.js';
import { manager as pipfile } from './pipfile/index.js';
import { manager as pyproject } from './pyproject/index.js';
import { yamlManagers } from './yaml-order.js';

export const managers: Manager[] = [dockerfile, npm, pyproject, pipfile, pipRequirements, ...yamlManagers];

export function managerFor(path: string): Manager | undefined {
  return managers.find((manager) => manager.filePatterns.some((pattern) => pattern.test(path)));
}

/** A lockfile some manager reads for its manifests (never a file of its own). */
export function isLockfile(path: string): boolean {
  return managers.some((manager) => manager.lockfiles?.filePatterns.some((pattern) => pattern.test(path)));
}

/** A lockfile or setting some manager reads with its manifests. */
export function isCompanionFile(path: string): boolean {
  return (
    isLockfile(path) ||
    managers.some((manager) => manager.settings?.filePatterns.some((pattern) => pattern.test(path)))
  );
}
