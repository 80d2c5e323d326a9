// Docker Compose files: `services.*.image` references and the builds (`services.*.build`) they declare.

import { posix } from 'node:path';
import type { BuildContext, Dependency, ExtractResult, FileError, Manager } from '../../core/types.js';
import { referenceToDependency } from '../../reference/to-dependency.js';
import { entryIdentity, entryText, extractResult, yamlErrors } from '../../yaml/deps.js';
import type { EntryText } from '../../yaml/deps.js';
import { readYaml } from '../../yaml/read.js';
import { entry, get, isMap } from '../../yaml/tree.js';
import type { YDocument, YMap } from '../../yaml/tree.js';
import { buildEntry, builtImages, imageKey } from './build-outputs.js';

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
 * One dependency per distinct `image` value of a service, and the builds the services declare. An image
 * shared through an anchor / `<<` merge key is reported once, at the line of the shared value. Compose
 * interpolates `$VAR` at deploy time, so any `$` (except the `$$` escape) makes the dependency
 * `unresolved-variable`. An image the file builds is kept as `build-output` (see build-outputs.ts).
 */
export function extractCompose(content: string, path: string): ExtractResult {
  // Nothing to find: skip the parse.
  if (!content.includes('image') && !content.includes('build')) return { deps: [] };
  const yaml = readYaml(content);
  const deps: Dependency[] = [];
  const errors: FileError[] = yamlErrors(yaml);
  const builds: BuildContext[] = [];
  const seen = new Set<object>();
  const services = yaml.documents.flatMap(serviceMaps);
  const built = builtImages(services);
  for (const [name, service] of services) {
    const build = serviceBuild(name, service, path);
    if (build) builds.push(build);
    const image = entry(service, 'image');
    const value = entryText(image);
    if (!image || !value || seen.has(entryIdentity(image))) continue;
    seen.add(entryIdentity(image));
    deps.push(
      value.text && built.has(imageKey(value.text))
        ? buildOutputDependency(value)
        : composeImageDependency(value),
    );
  }
  const result: ExtractResult = extractResult(deps, errors);
  if (builds.length) result.builds = builds;
  return result;
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

/**
 * The name a build tags its image with: kept so the report says why it is not looked up, but never
 * updated, so without edit ranges.
 */
function buildOutputDependency({ text, line }: EntryText): Dependency {
  return { ...referenceToDependency(text, null, line, 'compose-image'), skipReason: 'build-output' };
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

/** The builds of a compose file at `path` (repository-relative); see `serviceBuild`. */
export function composeBuildContexts(content: string, path: string): BuildContext[] {
  return extractCompose(content, path).builds ?? [];
}

/**
 * A service's `build`, with context and Dockerfile resolved against the compose file's folder.
 * `build: <context>` and `build: { context, dockerfile }` are supported; `dockerfile_inline` has no
 * Dockerfile and is left out.
 */
function serviceBuild(service: string, map: YMap, path: string): BuildContext | undefined {
  const declared = buildEntry(map);
  const build = declared?.value;
  const buildText = isMap(build) ? undefined : entryText(declared);
  let context: string;
  let dockerfile = 'Dockerfile';
  let line: number;
  if (buildText) {
    ({ text: context, line } = buildText);
  } else if (isMap(build)) {
    if (entry(build, 'dockerfile_inline')) return undefined;
    context = entryText(entry(build, 'context'))?.text ?? '.';
    dockerfile = entryText(entry(build, 'dockerfile'))?.text || dockerfile;
    line = build.line;
  } else {
    return undefined;
  }
  if (context === '') context = '.';
  if (isRemoteContext(context)) return { service, context, dockerfile, remote: true, line };
  const resolved = posix.normalize(posix.join(posix.dirname(path), context));
  return {
    service,
    context: resolved,
    dockerfile: posix.isAbsolute(dockerfile) ? dockerfile : posix.join(resolved, dockerfile),
    remote: false,
    line,
  };
}

function isRemoteContext(context: string): boolean {
  return (
    /^[a-z][a-z0-9+.-]*:\/\//i.test(context) ||
    context.startsWith('git@') ||
    context.startsWith('github.com/')
  );
}
