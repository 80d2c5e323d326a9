// GitHub Actions workflows: job containers, service containers and `uses: docker://…` steps.

import { isMap, isScalar, isSeq } from 'yaml';
import type { YAMLMap } from 'yaml';
import type { Dependency, DepSource, ExtractResult, FileError, Manager } from '../../core/types.js';
import { referenceToDependency } from '../../reference/to-dependency.js';
import {
  byLine,
  documentErrors,
  lineOf,
  mapEntries,
  mapGet,
  parseYamlFile,
  resolveNode,
  scalarText,
} from '../../reference/yaml.js';
import type { YamlDoc } from '../../reference/yaml.js';

export const WORKFLOW_FILE_PATTERN = /(^|\/)\.github\/workflows\/[^/]+\.ya?ml$/;

export const manager: Manager = {
  name: 'github-actions',
  filePatterns: [WORKFLOW_FILE_PATTERN],
  extract: extractWorkflow,
};

const DOCKER_SCHEME = 'docker://';

/**
 * - `jobs.<id>.container` (a string, or a map with `image`) → `workflow-container`
 * - `jobs.<id>.services.<name>.image` → `workflow-service`
 * - `jobs.<id>.steps[*].uses: docker://<ref>` → `workflow-uses`; offsets and ranges point past `docker://`.
 * Expressions (`${{ … }}`) make a dependency `unresolved-variable`.
 */
export function extractWorkflow(content: string, _path: string): ExtractResult {
  if (!/container|image|docker:\/\//.test(content)) return { deps: [] }; // nothing to find: skip the parse
  const file = parseYamlFile(content);
  const deps: Dependency[] = [];
  const errors: FileError[] = [];
  const seen = new Set<unknown>();
  const add = (ydoc: YamlDoc, node: unknown, source: DepSource, prefix = ''): void => {
    if (!isScalar(node) || seen.has(node)) return;
    const { text, offset, start } = scalarText(file, node);
    if (!text.startsWith(prefix)) return;
    seen.add(node);
    const valueOffset = offset === null ? null : offset + prefix.length;
    deps.push(referenceToDependency(text.slice(prefix.length), valueOffset, lineOf(file, start), source));
  };
  for (const doc of file.docs) {
    errors.push(...documentErrors(file, doc));
    const ydoc: YamlDoc = { file, doc };
    const root = resolveNode(ydoc, doc.contents);
    if (!isMap(root)) continue;
    const jobs = mapGet(ydoc, root, 'jobs');
    if (!isMap(jobs)) continue;
    for (const [, job] of mapEntries(ydoc, jobs)) {
      if (!isMap(job)) continue;
      const container = mapGet(ydoc, job, 'container');
      add(ydoc, isMap(container) ? mapGet(ydoc, container, 'image') : container, 'workflow-container');
      const services = mapGet(ydoc, job, 'services');
      if (isMap(services)) {
        for (const [, service] of mapEntries(ydoc, services)) {
          if (isMap(service)) add(ydoc, mapGet(ydoc, service, 'image'), 'workflow-service');
        }
      }
      collectSteps(ydoc, job, (uses) => add(ydoc, uses, 'workflow-uses', DOCKER_SCHEME));
    }
  }
  return errors.length > 0 ? { deps: byLine(deps), errors } : { deps: byLine(deps) };
}

function collectSteps(ydoc: YamlDoc, job: YAMLMap, onUses: (node: unknown) => void): void {
  const steps = mapGet(ydoc, job, 'steps');
  if (!isSeq(steps)) return;
  for (const item of steps.items) {
    const step = resolveNode(ydoc, item);
    if (isMap(step)) onUses(mapGet(ydoc, step, 'uses'));
  }
}
