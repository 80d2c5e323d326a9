// GitHub Actions workflows: job containers, service containers and `uses: docker://…` steps.

import type { Dependency, DepSource, ExtractResult, Manager } from '../../core/types.js';
import { entryDependency, entryIdentity, extractResult, yamlErrors } from '../../yaml/deps.js';
import { readYaml } from '../../yaml/read.js';
import { entry, get, isMap, isSeq } from '../../yaml/tree.js';
import type { YEntry } from '../../yaml/tree.js';

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
  const yaml = readYaml(content);
  const deps: Dependency[] = [];
  const seen = new Set<object>();
  const add = (item: YEntry | undefined, source: DepSource, prefix = ''): void => {
    if (!item || seen.has(entryIdentity(item))) return;
    const dep = entryDependency(item, source, prefix);
    if (!dep) return;
    seen.add(entryIdentity(item));
    deps.push(dep);
  };
  for (const { root } of yaml.documents) {
    const jobs = get(root, 'jobs');
    if (!isMap(jobs)) continue;
    for (const { value: job } of jobs.entries) {
      if (!isMap(job)) continue;
      const container = entry(job, 'container');
      add(isMap(container?.value) ? entry(container.value, 'image') : container, 'workflow-container');
      const services = get(job, 'services');
      if (isMap(services)) {
        for (const { value: service } of services.entries) add(entry(service, 'image'), 'workflow-service');
      }
      const steps = get(job, 'steps');
      if (isSeq(steps))
        for (const step of steps.items) add(entry(step, 'uses'), 'workflow-uses', DOCKER_SCHEME);
    }
  }
  return extractResult(deps, yamlErrors(yaml));
}
