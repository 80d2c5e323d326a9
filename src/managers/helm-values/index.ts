// Helm chart values files: image maps (`repository` [+ `registry`, `tag`, `digest`], or
// `image: { name | image, tag }`) and plain `image: "repo:tag"` strings.

import type { Dependency, ExtractResult, FileError, Manager } from '../../core/types.js';
import { parseReference } from '../../reference/parse.js';
import { parsedDependency, skippedDependency } from '../../reference/to-dependency.js';
import { entryDependency, entryIdentity, entryText, extractResult, yamlErrors } from '../../yaml/deps.js';
import type { EntryText } from '../../yaml/deps.js';
import { entry, get, isMap, isScalar, isSeq } from '../../yaml/tree.js';
import type { YMap, YNode } from '../../yaml/tree.js';
import { readYaml } from '../../yaml/read.js';

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
  const yaml = readYaml(content);
  const deps: Dependency[] = [];
  const errors: FileError[] = yamlErrors(yaml);
  const seen = new Set<object>();
  for (const { root } of yaml.documents) {
    walk({ defaultRegistry: globalRegistry(root), deps, seen }, root, null, 0);
  }
  return extractResult(deps, errors);
}

interface WalkContext {
  /** `global.image.registry` / `global.imageRegistry` of the chart, used for maps without a registry. */
  defaultRegistry: string | null;
  deps: Dependency[];
  seen: Set<object>;
}

function walk(ctx: WalkContext, node: YNode | null, parentKey: string | null, depth: number): void {
  const { deps, seen } = ctx;
  if (depth > MAX_DEPTH || node === null || seen.has(node)) return;
  if (isSeq(node)) {
    seen.add(node);
    for (const item of node.items) walk(ctx, item, null, depth + 1);
    return;
  }
  if (!isMap(node)) return;
  seen.add(node);
  const mapDep = imageMapDependency(ctx, node, parentKey);
  if (mapDep) {
    deps.push(mapDep);
    return;
  }
  for (const item of node.entries) {
    const value = item.value;
    if (value === null || isScalar(value)) {
      if (item.key !== 'image' || seen.has(entryIdentity(item))) continue;
      seen.add(entryIdentity(item));
      const dep = entryDependency(item, 'helm-values');
      if (dep) deps.push(dep);
    } else {
      walk(ctx, value, item.key, depth + 1);
    }
  }
}

/** Chart-wide default registry: `global.image.registry` or `global.imageRegistry` when non-empty. */
function globalRegistry(root: YNode | null): string | null {
  const global = get(root, 'global');
  for (const field of [entry(get(global, 'image'), 'registry'), entry(global, 'imageRegistry')]) {
    const text = entryText(field)?.text.trim();
    if (text && !/\$|\{\{/.test(text)) return text;
  }
  return null;
}

/** A field of an image map holding a string (or nothing: `tag:`). */
function scalarField(map: YMap, key: string): EntryText | null {
  return entryText(entry(map, key)) ?? null;
}

function imageMapDependency(ctx: WalkContext, map: YMap, parentKey: string | null): Dependency | null {
  let repository = scalarField(map, 'repository');
  let tag = scalarField(map, 'tag');
  if (!repository && parentKey !== null && IMAGE_KEY.test(parentKey)) {
    repository = scalarField(map, 'image') ?? scalarField(map, 'name');
  }
  if (!repository) {
    // `{ image: repo, tag: x }` or `{ image: repo, imageTag: x }` as siblings in any map.
    const image = scalarField(map, 'image');
    tag ??= scalarField(map, 'imageTag');
    if (!image || !tag || hasTagOrDigest(image.text)) return null;
    repository = image;
  }
  const registry = scalarField(map, 'registry');
  const digest = scalarField(map, 'digest');

  const line = repository.line;
  const repoText = repository.text.trim();
  let registryText = registry?.text.trim() ?? '';
  if (registryText === '' && ctx.defaultRegistry !== null && !hasDomain(repoText)) {
    registryText = ctx.defaultRegistry;
  }
  const tagText = tag?.text.trim() ?? '';
  const digestText = digest?.text.trim() ?? '';
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
  const dep = parsedDependency(ref, value, line, 'helm-values');

  // Field-value ranges (see extractHelmValues).
  const tagStart = tag?.text === tagText ? tag.offset : null;
  const digestStart = digest?.text === digestText ? digest.offset : null;
  if (tagStart !== null && tagText !== '') {
    const start = tagStart;
    const at = tagText.indexOf('@');
    if (at === -1) {
      dep.tagRange = { start, end: start + tagText.length };
    } else if (digestText === '') {
      dep.tagRange = { start, end: start + at };
      dep.digestRange = { start: start + at + 1, end: start + tagText.length };
    }
  }
  if (digestStart !== null && digestText !== '' && !tagText.includes('@')) {
    dep.digestRange = { start: digestStart, end: digestStart + digestText.length };
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
