// Helm chart values files: image maps (`repository` [+ `registry`, `tag`, `digest`], or
// `image: { name | image, tag }`) and plain `image: "repo:tag"` strings.

import { isMap, isScalar, isSeq } from 'yaml';
import type { Scalar, YAMLMap } from 'yaml';
import type { Dependency, ExtractResult, FileError, Manager } from '../../core/types.js';
import { depNameOf, parseReference } from '../../reference/parse.js';
import { skippedDependency } from '../../reference/to-dependency.js';
import {
  byLine,
  documentErrors,
  lineOf,
  mapEntries,
  mapGet,
  parseYamlFile,
  resolveNode,
  scalarDependency,
  scalarText,
} from '../../reference/yaml.js';
import type { ScalarText, YamlDoc } from '../../reference/yaml.js';

export const HELM_VALUES_FILE_PATTERN = /(^|\/)values[^/]*\.ya?ml$/;

export const manager: Manager = {
  name: 'helm-values',
  filePatterns: [HELM_VALUES_FILE_PATTERN],
  extract: extractHelmValues,
};

/** Keys whose map value may spell the repository as `name` or `image` instead of `repository`. */
const IMAGE_KEY = /image$/i;
const MAX_DEPTH = 64;

/**
 * Walks every map and sequence of every document.
 *
 * - `image: "repo:tag@digest"` (a scalar under a key named `image`) is a reference-style dependency,
 *   with the ranges of every other manager (tag text without `:`, digest text without `@`, empty at
 *   the insertion point when absent).
 * - A map with a `repository` scalar (any key), a map under an `…image` key with a `name` or
 *   `image` scalar, or a map with an untagged `image` scalar beside a `tag` (or `imageTag`) scalar is
 *   a map-style dependency built from `[registry/]repository[:tag][@digest]`. `tagRange` covers the
 *   `tag` value and `digestRange` the `digest` value (when the tag value holds `tag@digest`, the two
 *   parts of it). A field that is missing, empty or not a one-line literal has no range: the
 *   empty-range insertion points belong to reference strings only.
 * - A map without its own `registry` whose repository has no domain uses the chart's default
 *   registry `global.image.registry` (or `global.imageRegistry`) when the file sets one.
 * - A map-style image without a tag (`tag: ""` or no `tag`) and without a digest renders the chart's
 *   appVersion: `unresolved-variable`. An empty repository (defaulting to some global) is `empty`.
 */
export function extractHelmValues(content: string, _path: string): ExtractResult {
  if (!/image|repository/i.test(content)) return { deps: [] }; // nothing to find: skip the parse
  const file = parseYamlFile(content);
  const deps: Dependency[] = [];
  const errors: FileError[] = [];
  const seen = new Set<unknown>();
  for (const doc of file.docs) {
    errors.push(...documentErrors(file, doc));
    const ydoc: YamlDoc = { file, doc };
    const root = resolveNode(ydoc, doc.contents);
    walk({ ydoc, defaultRegistry: globalRegistry(ydoc, root), deps, seen }, root, null, 0);
  }
  return errors.length > 0 ? { deps: byLine(deps), errors } : { deps: byLine(deps) };
}

interface WalkContext {
  ydoc: YamlDoc;
  /** `global.image.registry` / `global.imageRegistry` of the chart, used for maps without a registry. */
  defaultRegistry: string | null;
  deps: Dependency[];
  seen: Set<unknown>;
}

function walk(ctx: WalkContext, node: unknown, parentKey: string | null, depth: number): void {
  const { ydoc, deps, seen } = ctx;
  if (depth > MAX_DEPTH || seen.has(node)) return;
  if (isSeq(node)) {
    seen.add(node);
    for (const item of node.items) walk(ctx, resolveNode(ydoc, item), null, depth + 1);
    return;
  }
  if (!isMap(node)) return;
  seen.add(node);
  const mapDep = imageMapDependency(ctx, node, parentKey);
  if (mapDep) {
    deps.push(mapDep);
    return;
  }
  for (const [key, value] of mapEntries(ydoc, node)) {
    if (isScalar(value)) {
      if (key !== 'image' || seen.has(value)) continue;
      seen.add(value);
      const dep = scalarDependency(ydoc, value, 'helm-values');
      if (dep) deps.push(dep);
    } else {
      walk(ctx, value, key, depth + 1);
    }
  }
}

/** Chart-wide default registry: `global.image.registry` or `global.imageRegistry` when non-empty. */
function globalRegistry(ydoc: YamlDoc, root: unknown): string | null {
  if (!isMap(root)) return null;
  const global = mapGet(ydoc, root, 'global');
  if (!isMap(global)) return null;
  const image = mapGet(ydoc, global, 'image');
  const candidates = [
    isMap(image) ? mapGet(ydoc, image, 'registry') : undefined,
    mapGet(ydoc, global, 'imageRegistry'),
  ];
  for (const node of candidates) {
    if (!isScalar(node)) continue;
    const text = scalarText(ydoc.file, node).text.trim();
    if (text !== '' && !/\$|\{\{/.test(text)) return text;
  }
  return null;
}

function scalarField(ydoc: YamlDoc, map: YAMLMap, key: string): { node: Scalar; value: ScalarText } | null {
  const node = mapGet(ydoc, map, key);
  if (!isScalar(node)) return null;
  return { node, value: scalarText(ydoc.file, node) };
}

function imageMapDependency(ctx: WalkContext, map: YAMLMap, parentKey: string | null): Dependency | null {
  const { ydoc } = ctx;
  let repository = scalarField(ydoc, map, 'repository');
  let tag = scalarField(ydoc, map, 'tag');
  if (!repository && parentKey !== null && IMAGE_KEY.test(parentKey)) {
    repository = scalarField(ydoc, map, 'image') ?? scalarField(ydoc, map, 'name');
  }
  if (!repository) {
    // `{ image: repo, tag: x }` or `{ image: repo, imageTag: x }` as siblings in any map.
    const image = scalarField(ydoc, map, 'image');
    tag ??= scalarField(ydoc, map, 'imageTag');
    if (!image || !tag || hasTagOrDigest(image.value.text)) return null;
    repository = image;
  }
  const registry = scalarField(ydoc, map, 'registry');
  const digest = scalarField(ydoc, map, 'digest');

  const file = ydoc.file;
  const line = lineOf(file, repository.value.start);
  const repoText = repository.value.text.trim();
  let registryText = registry?.value.text.trim() ?? '';
  if (registryText === '' && ctx.defaultRegistry !== null && !hasDomain(repository.value.text.trim())) {
    registryText = ctx.defaultRegistry;
  }
  const tagText = tag?.value.text.trim() ?? '';
  const digestText = digest?.value.text.trim() ?? '';
  const name = registryText === '' ? repoText : `${registryText.replace(/\/+$/, '')}/${repoText}`;
  const value = `${name}${tagText === '' ? '' : `:${tagText}`}${digestText === '' ? '' : `@${digestText}`}`;

  if (repoText === '') return skippedDependency(value, line, 'helm-values', 'empty');
  if (/\$|\{\{/.test(value)) return skippedDependency(value, line, 'helm-values', 'unresolved-variable');
  if (tagText === '' && digestText === '') {
    return skippedDependency(value, line, 'helm-values', 'unresolved-variable');
  }
  const ref = parseReference(value);
  if ('error' in ref || ref.nameEnd !== name.length) {
    return skippedDependency(value, line, 'helm-values', 'invalid-reference');
  }
  const dep: Dependency = {
    depName: depNameOf(ref),
    registry: ref.registry,
    repository: ref.repository,
    tag: ref.tag,
    digest: ref.digest,
    value,
    line,
    source: 'helm-values',
  };

  // Field-value ranges (see extractHelmValues).
  const tagLiteral = tag && tag.value.offset !== null && tag.value.text === tagText ? tag.value : null;
  const digestLiteral =
    digest && digest.value.offset !== null && digest.value.text === digestText ? digest.value : null;
  if (tagLiteral && tagText !== '') {
    const start = tagLiteral.offset as number;
    const at = tagText.indexOf('@');
    if (at === -1) {
      dep.tagRange = { start, end: start + tagText.length };
    } else if (digestText === '') {
      dep.tagRange = { start, end: start + at };
      dep.digestRange = { start: start + at + 1, end: start + tagText.length };
    }
  }
  if (digestLiteral && digestText !== '' && !tagText.includes('@')) {
    const start = digestLiteral.offset as number;
    dep.digestRange = { start, end: start + digestText.length };
  }
  return dep;
}

function hasDomain(repository: string): boolean {
  const slash = repository.indexOf('/');
  if (slash === -1) return false;
  const first = repository.slice(0, slash);
  return first.includes('.') || first.includes(':') || first === 'localhost';
}

function hasTagOrDigest(reference: string): boolean {
  return reference.includes('@') || reference.lastIndexOf(':') > reference.lastIndexOf('/');
}
