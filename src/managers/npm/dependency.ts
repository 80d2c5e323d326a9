// One npm dependency record: image fields null, the ecosystem fields filled from the written value.
import type { DepSource, Dependency } from '../../core/types.js';
import type { JsonString } from './json-scan.js';
import { valueMeaning } from './values.js';

export const PACKAGE_FILE: DepSource = 'package-file';

export interface DepContext {
  depType: string;
  line: number;
  datasource?: string;
}

/** A dependency `name` whose value is the JSON string `value`. */
export function npmDependency(name: string, value: JsonString, context: DepContext): Dependency {
  const meaning = valueMeaning(value.value);
  const dep: Dependency = {
    depName: name,
    registry: null,
    repository: null,
    tag: null,
    digest: null,
    value: meaning.currentValue,
    line: context.line,
    source: PACKAGE_FILE,
    datasource: context.datasource ?? 'npm',
    versioning: 'npm',
    packageName: meaning.packageName ?? name,
    currentValue: meaning.currentValue,
    depType: context.depType,
  };
  // A value with escapes is not the text in the file: there is no range an edit could replace.
  if (!value.escaped) {
    const start = value.start + meaning.offset;
    dep.valueRange = { start, end: start + meaning.currentValue.length };
  }
  if (meaning.skipReason) dep.skipReason = meaning.skipReason;
  return dep;
}

/** A dependency whose value is not a string at all (`"lodash": 4`). */
export function invalidDependency(name: string, text: string, context: DepContext): Dependency {
  return {
    depName: name,
    registry: null,
    repository: null,
    tag: null,
    digest: null,
    value: text,
    line: context.line,
    source: PACKAGE_FILE,
    datasource: context.datasource ?? 'npm',
    versioning: 'npm',
    packageName: name,
    currentValue: text,
    depType: context.depType,
    skipReason: 'invalid-value',
  };
}
