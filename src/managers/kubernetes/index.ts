// Kubernetes manifests: container images of workload objects (Pod, Deployment, StatefulSet, DaemonSet,
// ReplicaSet, ReplicationController, Job, CronJob, PodTemplate, and `*List` wrappers of them).

import type { Dependency, ExtractResult, FileError, Manager } from '../../core/types.js';
import { referenceToDependency } from '../../reference/to-dependency.js';
import { entryDependency, entryIdentity, extractResult, yamlErrors } from '../../yaml/deps.js';
import { readYaml } from '../../yaml/read.js';
import { entry, get, isMap, isScalar, isSeq, text } from '../../yaml/tree.js';
import type { YMap, YNode } from '../../yaml/tree.js';
import { COMPOSE_FILE_PATTERN } from '../compose/index.js';
import { WORKFLOW_FILE_PATTERN } from '../github-actions/index.js';
import { HELM_VALUES_FILE_PATTERN } from '../helm-values/index.js';

/**
 * Kubernetes manifests have no canonical file name: any `.yaml`/`.yml` file except those claimed by
 * the compose, GitHub Actions and Helm values managers. `extract` returns nothing for YAML that holds
 * no Kubernetes workload.
 */
export const KUBERNETES_FILE_PATTERN = new RegExp(
  `^(?!.*(?:${COMPOSE_FILE_PATTERN.source}))(?!.*(?:${WORKFLOW_FILE_PATTERN.source}))(?!.*(?:${HELM_VALUES_FILE_PATTERN.source})).*\\.ya?ml$`,
  'i',
);

export const manager: Manager = {
  name: 'kubernetes',
  filePatterns: [KUBERNETES_FILE_PATTERN],
  extract: extractKubernetes,
};

/** Path from a workload object to its pod spec, by kind. */
const POD_SPEC_PATHS: Record<string, readonly string[]> = {
  Pod: ['spec'],
  PodTemplate: ['template', 'spec'],
  Deployment: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  ReplicationController: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};

const CONTAINER_LISTS = ['initContainers', 'containers', 'ephemeralContainers'] as const;

/**
 * Images of every document that has `apiVersion` and `kind`. Unparseable files are reported as errors
 * when they contain `apiVersion:` (and ignored otherwise); Helm chart templates (`{{ … }}`), which are
 * not YAML, fall back to a line scan of `image:` keys with templated values `unresolved-variable`.
 */
export function extractKubernetes(content: string, _path: string): ExtractResult {
  if (!content.includes('apiVersion')) return { deps: [] };
  const yaml = readYaml(content);
  const broken = yaml.errors.length > 0;
  if (broken && content.includes('{{')) return { deps: extractTemplateImages(content) };
  const deps: Dependency[] = [];
  const errors: FileError[] = broken && content.includes('apiVersion:') ? yamlErrors(yaml) : [];
  const seen = new Set<object>();
  for (const { root } of yaml.documents) {
    const apiVersion = entry(root, 'apiVersion');
    if (apiVersion && (apiVersion.value === null || isScalar(apiVersion.value))) {
      collectObject(root as YMap, deps, seen, 0);
    }
  }
  return extractResult(deps, errors);
}

function collectObject(object: YMap, deps: Dependency[], seen: Set<object>, depth: number): void {
  const kind = text(get(object, 'kind'));
  if (kind === undefined) return;
  if (kind.endsWith('List') && depth < 4) {
    const items = get(object, 'items');
    if (!isSeq(items)) return;
    for (const item of items.items) if (isMap(item)) collectObject(item, deps, seen, depth + 1);
    return;
  }
  const path = POD_SPEC_PATHS[kind];
  if (!path) return;
  let node: YNode | null | undefined = object;
  for (const key of path) node = get(node, key);
  if (!isMap(node)) return;
  for (const listKey of CONTAINER_LISTS) {
    const list = get(node, listKey);
    if (!isSeq(list)) continue;
    for (const container of list.items) {
      const image = entry(container, 'image');
      if (!image || seen.has(entryIdentity(image))) continue;
      const dep = entryDependency(image, 'kubernetes-image');
      if (!dep) continue;
      seen.add(entryIdentity(image));
      deps.push(dep);
    }
  }
}

/** `image:` keys of a template that is not valid YAML, found line by line. */
const IMAGE_LINE = /^[ \t]*(?:-[ \t]+)?image:[ \t]*([^\r\n]*)/gm;

function extractTemplateImages(content: string): Dependency[] {
  const deps: Dependency[] = [];
  let line = 1;
  let counted = 0; // offset up to which newlines are counted in `line`
  for (const match of content.matchAll(IMAGE_LINE)) {
    const raw = match[1] ?? '';
    const rawStart = match.index + match[0].length - raw.length;
    for (
      let nl = content.indexOf('\n', counted);
      nl !== -1 && nl < rawStart;
      nl = content.indexOf('\n', nl + 1)
    )
      line++;
    counted = rawStart;
    const value = templateValue(raw);
    if (!value) continue;
    const offset = value.offset === null ? null : rawStart + value.offset;
    deps.push(referenceToDependency(value.text, offset, line, 'kubernetes-image'));
  }
  return deps;
}

/** Value text of a one-line YAML scalar (as written after `key:`), with its offset inside `raw`. */
function templateValue(raw: string): { text: string; offset: number | null } | null {
  const quote = raw[0];
  if (quote === '"' || quote === "'") {
    const close = raw.indexOf(quote, 1);
    if (close === -1) return null;
    const text = raw.slice(1, close);
    // Escapes make the file text differ from the value: keep the value, drop the offset.
    const literal = quote === '"' ? !text.includes('\\') : !raw.slice(close + 1).startsWith("'");
    return { text, offset: literal ? 1 : null };
  }
  const comment = raw.search(/(^|[ \t])#/);
  const text = (comment === -1 ? raw : raw.slice(0, comment)).trimEnd();
  if (text === '' || text === '|' || text === '>' || /^[|>][-+0-9]*$/.test(text) || text.startsWith('&'))
    return null;
  return { text, offset: 0 };
}
