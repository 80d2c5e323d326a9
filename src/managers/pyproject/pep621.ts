// PEP 621 [project] (dependencies, optional-dependencies, requires-python), PEP 735 [dependency-groups],
// [build-system] requires and uv's legacy [tool.uv] dev-dependencies; [tool.uv.sources] and
// [[tool.uv.index]] then say which of them are not registry packages or come from a named index.
import type { SkipReason } from '../../core/types.js';
import {
  normalizeName,
  pythonRuntime,
  withoutCredentials,
  type PythonDependency,
} from '../pip-requirements/package-dep.js';
import { pep508Dependency } from './pep508-dep.js';
import { place, rangeIn, type TomlFile } from './place.js';
import { asArray, asString, asTable, tableAt, type Table } from './values.js';

export function pep621Dependencies(file: TomlFile, doc: Table): PythonDependency[] {
  const deps: PythonDependency[] = [];
  const strings = (path: string[], value: unknown, depType: string): void =>
    asArray(value).forEach((item, i) => {
      // `{ include-group = "…" }` and other non-strings are not dependencies.
      if (typeof item === 'string') deps.push(pep508Dependency(file, [...path, i], item, depType));
    });
  const project = tableAt(doc, 'project');
  const requiresPython = asString(project?.['requires-python']);
  if (requiresPython !== undefined) {
    const at = place(file, ['project', 'requires-python'], requiresPython);
    const valueRange = rangeIn(at, 0, requiresPython.length);
    deps.push(
      pythonRuntime({ currentValue: requiresPython, line: at.line, ...(valueRange ? { valueRange } : {}) }),
    );
  }
  strings(['project', 'dependencies'], project?.['dependencies'], 'project');
  for (const [extra, list] of Object.entries(tableAt(project, 'optional-dependencies') ?? {}))
    strings(['project', 'optional-dependencies', extra], list, `optional:${extra}`);
  for (const [group, list] of Object.entries(tableAt(doc, 'dependency-groups') ?? {}))
    strings(['dependency-groups', group], list, `group:${group}`);
  strings(
    ['tool', 'uv', 'dev-dependencies'],
    tableAt(doc, 'tool', 'uv')?.['dev-dependencies'],
    'dev-dependencies',
  );
  strings(['build-system', 'requires'], tableAt(doc, 'build-system')?.['requires'], 'build-system');
  applyUvSources(deps, doc);
  return deps;
}

/** `[tool.uv.sources]`: a package from git, a path, a URL or the workspace is not looked up on an index. */
function applyUvSources(deps: PythonDependency[], doc: Table): void {
  const uv = tableAt(doc, 'tool', 'uv');
  const sources = tableAt(uv, 'sources');
  if (!sources) return;
  const indexes = new Map<string, string>();
  for (const index of asArray(uv?.['index'])) {
    const name = asString(asTable(index)?.['name']);
    const url = asString(asTable(index)?.['url']);
    if (name && url) indexes.set(name, withoutCredentials(url).url);
  }
  const byName = new Map(Object.entries(sources).map(([name, source]) => [normalizeName(name), source]));
  for (const dep of deps) {
    const registry = !dep.skipReason || dep.skipReason === 'unspecified-version';
    if (!registry || dep.depType === 'build-system' || !dep.packageName) continue;
    const source = byName.get(dep.packageName);
    // Several sources (per marker) for one package: the first decides.
    const first = asTable(Array.isArray(source) ? source[0] : source);
    if (!first) continue;
    const skip = uvSkip(first);
    if (skip) {
      dep.skipReason = skip;
      delete dep.valueRange; // not a registry value: nothing an update would write
    }
    const index = indexes.get(asString(first['index']) ?? '');
    if (index) dep.registryUrls = [index];
  }
}

function uvSkip(source: Table): SkipReason | undefined {
  if (source['workspace'] === true) return 'workspace';
  if (asString(source['git']) !== undefined) return 'git';
  if (asString(source['path']) !== undefined) return 'local';
  if (asString(source['url']) !== undefined) return 'url';
  return undefined;
}
