// Docker Compose files: `services.*.image` references (and, separately, build contexts).

import { posix } from 'node:path';
import type { Dependency, ExtractResult, FileError, Manager } from '../../core/types.js';
import { referenceToDependency } from '../../reference/to-dependency.js';
import { entryIdentity, entryText, extractResult, yamlErrors } from '../../yaml/deps.js';
import type { EntryText } from '../../yaml/deps.js';
import { readYaml } from '../../yaml/read.js';
import { entry, get, isMap } from '../../yaml/tree.js';
import type { YDocument, YMap } from '../../yaml/tree.js';

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
  const yaml = readYaml(content);
  const deps: Dependency[] = [];
  const errors: FileError[] = yamlErrors(yaml);
  const seen = new Set<object>();
  for (const doc of yaml.documents) {
    for (const [, service] of serviceMaps(doc)) {
      const image = entry(service, 'image');
      const value = entryText(image);
      if (!image || !value || seen.has(entryIdentity(image))) continue;
      seen.add(entryIdentity(image));
      deps.push(composeImageDependency(value));
    }
  }
  return extractResult(deps, errors);
}

function composeImageDependency({ text, offset, line }: EntryText): Dependency {
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
function serviceMaps(doc: YDocument): [string, YMap][] {
  const root = doc.root;
  if (!isMap(root)) return [];
  const services = get(root, 'services');
  const result: [string, YMap][] = [];
  if (services !== undefined) {
    if (!isMap(services)) return [];
    for (const { key, value } of services.entries) if (isMap(value)) result.push([key, value]);
    return result;
  }
  for (const { key, value } of root.entries) {
    if (NON_SERVICE_KEYS.has(key) || key.startsWith('x-') || !isMap(value)) continue;
    result.push([key, value]);
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
  const baseDir = posix.dirname(path);
  const result: ComposeBuildContext[] = [];
  for (const doc of readYaml(content).documents) {
    for (const [service, map] of serviceMaps(doc)) {
      const buildEntry = entry(map, 'build');
      const build = buildEntry?.value;
      const buildText = isMap(build) ? undefined : entryText(buildEntry);
      let context: string;
      let dockerfile = 'Dockerfile';
      let line: number;
      if (buildText) {
        ({ text: context, line } = buildText);
      } else if (isMap(build)) {
        if (entry(build, 'dockerfile_inline')) continue;
        context = entryText(entry(build, 'context'))?.text ?? '.';
        dockerfile = entryText(entry(build, 'dockerfile'))?.text || dockerfile;
        line = build.line;
      } else {
        continue;
      }
      if (context === '') context = '.';
      if (isRemoteContext(context)) {
        result.push({ service, context, dockerfile, line });
        continue;
      }
      const resolved = posix.normalize(posix.join(baseDir, context));
      result.push({
        service,
        context: resolved,
        dockerfile: posix.isAbsolute(dockerfile) ? dockerfile : posix.join(resolved, dockerfile),
        line,
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
