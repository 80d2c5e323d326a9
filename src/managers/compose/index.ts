// Docker Compose files: `services.*.image` references (and, separately, build contexts).

import { posix } from 'node:path';
import { isMap, isScalar } from 'yaml';
import type { Scalar, YAMLMap } from 'yaml';
import type { Dependency, ExtractResult, FileError, Manager } from '../../core/types.js';
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

export const COMPOSE_FILE_PATTERN = /(^|\/)(?:docker-)?compose[^/]*\.ya?ml$/i;

/** Top-level keys of the (v2+) compose format that are not services in a v1 file. */
const NON_SERVICE_KEYS = new Set([
  'version',
  'name',
  'services',
  'volumes',
  'networks',
  'secrets',
  'configs',
  'include',
  'models',
]);

export const manager: Manager = {
  name: 'compose',
  filePatterns: [COMPOSE_FILE_PATTERN],
  extract: extractCompose,
};

/**
 * One dependency per distinct `image` value of a service. An image shared through an anchor / `<<`
 * merge key is reported once, at the line of the shared value. Compose interpolates `$VAR` at deploy
 * time, so any `$` (except the `$$` escape) makes the dependency `unresolved-variable`.
 */
export function extractCompose(content: string, _path: string): ExtractResult {
  if (!content.includes('image')) return { deps: [] }; // nothing to find: skip the parse
  const file = parseYamlFile(content);
  const deps: Dependency[] = [];
  const errors: FileError[] = [];
  const seen = new Set<unknown>();
  for (const doc of file.docs) {
    errors.push(...documentErrors(file, doc));
    const ydoc: YamlDoc = { file, doc };
    for (const [, service] of serviceMaps(ydoc)) {
      const image = mapGet(ydoc, service, 'image');
      if (!isScalar(image) || seen.has(image)) continue;
      seen.add(image);
      deps.push(composeImageDependency(ydoc, image));
    }
  }
  return errors.length > 0 ? { deps: byLine(deps), errors } : { deps: byLine(deps) };
}

function composeImageDependency(ydoc: YamlDoc, node: Scalar): Dependency {
  const { text, offset, start } = scalarText(ydoc.file, node);
  const line = lineOf(ydoc.file, start);
  if (text.includes('$$') && !text.replaceAll('$$', '').includes('$')) {
    // Only escaped dollars: the pulled name holds a literal `$`, which no reference allows.
    const value = text.replaceAll('$$', '$');
    return {
      ...referenceToDependency(text, null, line, 'compose-image'),
      value,
      skipReason: 'invalid-reference',
    };
  }
  return referenceToDependency(text, offset, line, 'compose-image');
}

/** Services of a document: `services.*`, or the top-level entries of a version-1 file. */
function serviceMaps(ydoc: YamlDoc): [string, YAMLMap][] {
  const root = resolveNode(ydoc, ydoc.doc.contents);
  if (!isMap(root)) return [];
  const services = mapGet(ydoc, root, 'services');
  const result: [string, YAMLMap][] = [];
  if (services !== undefined) {
    if (!isMap(services)) return [];
    for (const [name, value] of mapEntries(ydoc, services)) if (isMap(value)) result.push([name, value]);
    return result;
  }
  for (const [name, value] of mapEntries(ydoc, root)) {
    if (NON_SERVICE_KEYS.has(name) || name.startsWith('x-') || !isMap(value)) continue;
    result.push([name, value]);
  }
  return result;
}

export interface ComposeBuildContext {
  service: string;
  /** Build context: repository-relative posix path, or the URL / text as written for remote or variable contexts. */
  context: string;
  /** Dockerfile: repository-relative posix path (`<context>/Dockerfile` by default), as written for remote contexts. */
  dockerfile: string;
  /** 1-based line of the service's `build` value. */
  line: number;
}

/**
 * `services.*.build` of a compose file at `path` (repository-relative), with context and Dockerfile
 * resolved against the compose file's folder. `build: <context>` and `build: { context, dockerfile }`
 * are supported; services with `dockerfile_inline` have no Dockerfile and are left out.
 */
export function composeBuildContexts(content: string, path: string): ComposeBuildContext[] {
  const file = parseYamlFile(content);
  const baseDir = posix.dirname(path);
  const result: ComposeBuildContext[] = [];
  for (const doc of file.docs) {
    const ydoc: YamlDoc = { file, doc };
    for (const [service, map] of serviceMaps(ydoc)) {
      const build = mapGet(ydoc, map, 'build');
      let context: string;
      let dockerfile = 'Dockerfile';
      let start: number;
      if (isScalar(build)) {
        ({ text: context, start } = scalarText(file, build));
      } else if (isMap(build)) {
        if (mapGet(ydoc, build, 'dockerfile_inline') !== undefined) continue;
        const contextNode = mapGet(ydoc, build, 'context');
        const dockerfileNode = mapGet(ydoc, build, 'dockerfile');
        context = isScalar(contextNode) ? scalarText(file, contextNode).text : '.';
        if (isScalar(dockerfileNode)) dockerfile = scalarText(file, dockerfileNode).text || dockerfile;
        start = build.range?.[0] ?? 0;
      } else {
        continue;
      }
      if (context === '') context = '.';
      if (isRemoteContext(context)) {
        result.push({ service, context, dockerfile, line: lineOf(file, start) });
        continue;
      }
      const resolved = posix.normalize(posix.join(baseDir, context));
      result.push({
        service,
        context: resolved,
        dockerfile: posix.isAbsolute(dockerfile) ? dockerfile : posix.join(resolved, dockerfile),
        line: lineOf(file, start),
      });
    }
  }
  return result;
}

function isRemoteContext(context: string): boolean {
  return (
    /^[a-z][a-z0-9+.-]*:\/\//i.test(context) ||
    context.startsWith('git@') ||
    context.startsWith('github.com/')
  );
}
