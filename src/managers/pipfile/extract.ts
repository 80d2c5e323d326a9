// Pipfile: [packages] and [dev-packages] (PEP 440 specifiers or tables), [requires] python_version,
// and [[source]] indexes as registryUrls.
import type { SkipReason } from '../../core/types.js';
import {
  packageDependency,
  pythonRuntime,
  referenceValue,
  withoutCredentials,
  type PythonDependency,
} from '../pip-requirements/package-dep.js';
import { validSpecifier } from '../pip-requirements/pep508.js';
import { parseToml, type PyprojectResult } from '../pyproject/extract.js';
import { place, rangeIn, tomlFile, type TomlFile } from '../pyproject/place.js';
import { asArray, asString, asTable, tableAt } from '../pyproject/values.js';

const SECTIONS = [
  ['packages', 'packages'],
  ['dev-packages', 'dev-packages'],
] as const;

export function extractPipfile(content: string): PyprojectResult {
  const parsed = parseToml(content);
  if ('error' in parsed) return { deps: [], errors: [parsed.error] };
  const doc = parsed.doc;
  const file = tomlFile(content);
  const sources = new Map<string, string>();
  for (const source of asArray(doc['source'])) {
    const url = asString(asTable(source)?.['url']);
    if (url) sources.set(asString(asTable(source)?.['name']) ?? url, withoutCredentials(url).url);
  }
  const deps: PythonDependency[] = [];
  const requires = tableAt(doc, 'requires');
  for (const key of ['python_version', 'python_full_version']) {
    const version = asString(requires?.[key]);
    if (version === undefined) continue;
    const at = place(file, ['requires', key], version);
    const valueRange = rangeIn(at, 0, version.length);
    deps.push(pythonRuntime({ currentValue: version, line: at.line, ...(valueRange ? { valueRange } : {}) }));
  }
  for (const [section, depType] of SECTIONS)
    for (const [name, value] of Object.entries(tableAt(doc, section) ?? {})) {
      const dep = packageDep(file, [section, name], name, value, depType);
      const index = asString(asTable(value)?.['index']);
      const urls =
        index !== undefined ? [sources.get(index)].filter((url) => url !== undefined) : [...sources.values()];
      if (urls.length && (!dep.skipReason || dep.skipReason === 'unspecified-version'))
        dep.registryUrls = urls;
      deps.push(dep);
    }
  return { deps: deps.sort((a, b) => a.line - b.line) };
}

function packageDep(
  file: TomlFile,
  path: string[],
  name: string,
  value: unknown,
  depType: string,
): PythonDependency {
  const table = asTable(value);
  if (table) {
    const reference = (['git', 'path', 'file'] as const).find((key) => asString(table[key]) !== undefined);
    if (reference) {
      const text = asString(table[reference])!;
      const skip: SkipReason =
        reference === 'git'
          ? 'git'
          : reference === 'file' && /^[a-z][a-z0-9+.-]*:\/\//i.test(text) && !/^file:/i.test(text)
            ? 'url'
            : 'local';
      return packageDependency({
        depName: name,
        currentValue: referenceValue(text),
        line: place(file, path).line,
        depType,
        skipReason: skip,
      });
    }
    const version = asString(table['version']);
    if (version === undefined)
      return packageDependency({
        depName: name,
        currentValue: '',
        line: place(file, path).line,
        depType,
        skipReason: 'unspecified-version',
      });
    const dep = specifierDep(file, [...path, 'version'], name, version, depType);
    const markers = asString(table['markers']);
    if (markers) dep.marker = markers;
    const extras = asArray(table['extras']).filter((extra): extra is string => typeof extra === 'string');
    if (extras.length) dep.extras = extras;
    return dep;
  }
  const specifier = asString(value);
  return specifierDep(file, path, name, specifier ?? String(value), depType, specifier === undefined);
}

function specifierDep(
  file: TomlFile,
  path: string[],
  name: string,
  specifier: string,
  depType: string,
  notString = false,
): PythonDependency {
  const at = place(file, path, specifier);
  const trimmed = specifier.trim();
  const skipReason: SkipReason | undefined =
    notString || !(trimmed === '*' || trimmed === '' || validSpecifier(trimmed))
      ? 'invalid-value'
      : trimmed === '*' || trimmed === ''
        ? 'unspecified-version'
        : undefined;
  const valueRange = notString ? undefined : rangeIn(at, 0, specifier.length);
  return packageDependency({
    depName: name,
    currentValue: specifier,
    line: at.line,
    depType,
    ...(valueRange ? { valueRange } : {}),
    ...(skipReason ? { skipReason } : {}),
  });
}
