// poetry.lock: [[package]] name/version and [metadata] content-hash.
import { normalizeName } from '../pip-requirements/package-dep.js';
import { parseToml } from '../pyproject/extract.js';
import { asArray, asString, asTable, tableAt } from '../pyproject/values.js';
import { addLocked, type LockRead, type PythonLock } from './lock.js';

export function readPoetryLock(content: string): LockRead {
  const parsed = parseToml(content);
  if ('error' in parsed) return parsed;
  const lock: PythonLock = { kind: 'poetry.lock', packages: new Map() };
  for (const item of asArray(parsed.doc['package'])) {
    const name = asString(asTable(item)?.['name']);
    if (name) addLocked(lock.packages, normalizeName(name), asString(asTable(item)?.['version']));
  }
  const hash = asString(tableAt(parsed.doc, 'metadata')?.['content-hash']);
  if (hash) lock.contentHash = hash;
  return { lock };
}
