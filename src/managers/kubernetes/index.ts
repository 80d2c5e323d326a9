// Kubernetes manifests: container images of workload objects (Pod, Deployment, StatefulSet, DaemonSet,
// ReplicaSet, ReplicationController, Job, CronJob, PodTemplate, and `*List` wrappers of them).

import { isMap, isScalar, isSeq } from 'yaml';
import type { YAMLMap } from 'yaml';
import type { Dependency, ExtractResult, FileError, Manager } from '../../core/types.js';
import { referenceToDependency } from '../../reference/to-dependency.js';
import {
  byLine,
  documentErrors,
  lineOf,
  mapGet,
  parseYamlFile,
  resolveNode,
  scalarDependency,
} from '../../reference/yaml.js';
import type { YamlDoc, YamlFile } from '../../reference/yaml.js';
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
  const file = parseYamlFile(content);
  const broken = file.docs.some((doc) => doc.errors.length > 0);
  if (broken && content.includes('{{')) return { deps: extractTemplateImages(file) };
  const deps: Dependency[] = [];
  const errors: FileError[] = [];
  const seen = new Set<unknown>();
  for (const doc of file.docs) {
    if (doc.errors.length > 0 && content.includes('apiVersion:')) errors.push(...documentErrors(file, doc));
    const ydoc: YamlDoc = { file, doc };
    const root = resolveNode(ydoc, doc.contents);
    if (isMap(root) && isScalar(mapGet(ydoc, root, 'apiVersion'))) collectObject(ydoc, root, deps, seen, 0);
  }
  return errors.length > 0 ? { deps: byLine(deps), errors } : { deps: byLine(deps) };
}

function collectObject(
  ydoc: YamlDoc,
  object: YAMLMap,
  deps: Dependency[],
  seen: Set<unknown>,
  depth: number,
): void {
  const kindNode = mapGet(ydoc, object, 'kind');
  if (!isScalar(kindNode) || typeof kindNode.value !== 'string') return;
  const kind = kindNode.value;
  if (kind.endsWith('List') && depth < 4) {
    const items = mapGet(ydoc, object, 'items');
    if (!isSeq(items)) return;
    for (const item of items.items) {
      const resolved = resolveNode(ydoc, item);
      if (isMap(resolved)) collectObject(ydoc, resolved, deps, seen, depth + 1);
    }
    return;
  }
  const path = POD_SPEC_PATHS[kind];
  if (!path) return;
  let node: unknown = object;
  for (const key of path) {
    if (!isMap(node)) return;
    node = mapGet(ydoc, node, key);
  }
  if (!isMap(node)) return;
  for (const listKey of CONTAINER_LISTS) {
    const list = mapGet(ydoc, node, listKey);
    if (!isSeq(list)) continue;
    for (const item of list.items) {
      const container = resolveNode(ydoc, item);
      if (!isMap(container)) continue;
      const image = mapGet(ydoc, container, 'image');
      if (!isScalar(image) || seen.has(image)) continue;
      seen.add(image);
      const dep = scalarDependency(ydoc, image, 'kubernetes-image');
      if (dep) deps.push(dep);
    }
  }
}

/** `image:` keys of a template that is not valid YAML, found line by line. */
const IMAGE_LINE = /^[ \t]*(?:-[ \t]+)?image:[ \t]*([^\r\n]*)/gm;

function extractTemplateImages(file: YamlFile): Dependency[] {
  const deps: Dependency[] = [];
  for (const match of file.content.matchAll(IMAGE_LINE)) {
    const raw = match[1] ?? '';
    const rawStart = match.index + match[0].length - raw.length;
    const value = templateValue(raw);
    if (!value) continue;
    const offset = value.offset === null ? null : rawStart + value.offset;
    deps.push(referenceToDependency(value.text, offset, lineOf(file, rawStart), 'kubernetes-image'));
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
