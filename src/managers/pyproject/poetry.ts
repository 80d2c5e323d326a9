// Poetry's own tables: [tool.poetry.dependencies], legacy dev-dependencies and
// [tool.poetry.group.<g>.dependencies]. Values are Poetry constraints (`^1.2`, `~1.2`, `*`, `>=1,<2`)
// or tables (`{ version, extras, python, markers, source }`, `{ git }`, `{ path }`, `{ url }`).
import { valid } from '@renovatebot/pep440';
import type { SkipReason } from '../../core/types.js';
import {
  packageDependency,
  pythonRuntime,
  referenceValue,
  withoutCredentials,
  type PythonDependency,
} from '../pip-requirements/package-dep.js';
import { place, rangeIn, type TomlFile } from './place.js';
import { asArray, asString, asTable, tableAt, type Table } from './values.js';

type Path = (string | number)[];

export function poetryDependencies(file: TomlFile, doc: Table): PythonDependency[] {
  const poetry = tableAt(doc, 'tool', 'poetry');
  if (!poetry) return [];
  const sources = poetrySources(poetry);
  const sections: [string[], string][] = [
    [['dependencies'], 'dependencies'],
    [['dev-dependencies'], 'dev-dependencies'],
  ];
  for (const group of Object.keys(tableAt(poetry, 'group') ?? {}))
    sections.push([['group', group, 'dependencies'], `group:${group}`]);
  const deps: PythonDependency[] = [];
  for (const [keys, depType] of sections) {
    const table = tableAt(poetry, ...keys);
    for (const [name, value] of Object.entries(table ?? {})) {
      const path: Path = ['tool', 'poetry', ...keys, name];
      if (name.toLowerCase() === 'python') {
        const constraint = asString(value);
        if (constraint !== undefined) deps.push(runtime(file, path, constraint));
        continue;
      }
      deps.push(...entryDeps(file, path, name, value, depType, sources));
    }
  }
  return deps;
}

/** `[[tool.poetry.source]]` names → URLs (without credentials). */
function poetrySources(poetry: Table): Map<string, string> {
  const sources = new Map<string, string>();
  for (const source of asArray(poetry['source'])) {
    const name = asString(asTable(source)?.['name']);
    const url = asString(asTable(source)?.['url']);
    if (name && url) sources.set(name, withoutCredentials(url).url);
  }
  return sources;
}

function runtime(file: TomlFile, path: Path, constraint: string): PythonDependency {
  const at = place(file, path, constraint);
  const valueRange = rangeIn(at, 0, constraint.length);
  return pythonRuntime({
    currentValue: constraint,
    line: at.line,
    versioning: 'poetry',
    ...(valueRange ? { valueRange } : {}),
  });
}

function entryDeps(
  file: TomlFile,
  path: Path,
  name: string,
  value: unknown,
  depType: string,
  sources: Map<string, string>,
): PythonDependency[] {
  // Several constraints for one package (per Python version or platform): one dependency each.
  if (Array.isArray(value))
    return value.flatMap((item, i) => entryDeps(file, [...path, i], name, item, depType, sources));
  const constraint = asString(value);
  if (constraint !== undefined) return [constraintDep(file, path, name, constraint, depType)];
  const table = asTable(value);
  if (!table) return [constraintDep(file, path, name, String(value), depType, 'invalid-value')];
  const reference = (['git', 'path', 'url', 'file'] as const).find(
    (key) => asString(table[key]) !== undefined,
  );
  if (reference) {
    const skip: SkipReason = reference === 'git' ? 'git' : reference === 'url' ? 'url' : 'local';
    const text = asString(table[reference])!;
    return [
      packageDependency({
        depName: name,
        currentValue: referenceValue(text),
        line: place(file, path).line,
        depType,
        versioning: 'poetry',
        skipReason: skip,
      }),
    ];
  }
  const version = asString(table['version']);
  const dep =
    version === undefined
      ? packageDependency({
          depName: name,
          currentValue: '',
          line: place(file, path).line,
          depType,
          versioning: 'poetry',
          skipReason: 'unspecified-version',
        })
      : constraintDep(file, [...path, 'version'], name, version, depType);
  const extras = asArray(table['extras']).filter((extra): extra is string => typeof extra === 'string');
  if (extras.length) dep.extras = extras;
  const markers = asString(table['markers']);
  if (markers) dep.marker = markers;
  const source = sources.get(asString(table['source']) ?? '');
  if (source) dep.registryUrls = [source];
  return [dep];
}

function constraintDep(
  file: TomlFile,
  path: Path,
  name: string,
  constraint: string,
  depType: string,
  forced?: SkipReason,
): PythonDependency {
  const at = place(file, path, constraint);
  const trimmed = constraint.trim();
  const skipReason =
    forced ??
    (trimmed === '' || trimmed === '*'
      ? 'unspecified-version'
      : validPoetryConstraint(trimmed)
        ? undefined
        : 'invalid-value');
  const valueRange = forced ? undefined : rangeIn(at, 0, constraint.length);
  return packageDependency({
    depName: name,
    currentValue: constraint,
    line: at.line,
    depType,
    versioning: 'poetry',
    ...(valueRange ? { valueRange } : {}),
    ...(skipReason ? { skipReason } : {}),
  });
}

const CLAUSE = /^(\^|~=|~|===|==|!=|<=|>=|<|>|=)?(.+)$/;

/** `||` alternatives of `,`- or space-separated clauses, each an operator and a version (or `1.2.*`). */
export function validPoetryConstraint(constraint: string): boolean {
  return constraint.split('||').every((alternative) => {
    // Operators may be followed by spaces (`>= 1.2, < 2`): attach them before splitting clauses.
    const clauses = alternative
      .replace(/(\^|~=|~|===|==|!=|<=|>=|<|>|=)\s+/g, '$1')
      .trim()
      .split(/[\s,]+/);
    return clauses.every((clause) => {
      if (clause === '*') return true;
      const match = CLAUSE.exec(clause);
      if (!match) return false;
      const version = match[2]!.replace(/(\.\*)+$/, '');
      return match[1] === '===' || valid(version) !== null;
    });
  });
}
