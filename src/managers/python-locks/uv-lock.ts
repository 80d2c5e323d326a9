// uv.lock: [[package]] name/version/source. The project itself and workspace members are locked as
// `editable`/`virtual` sources, not versions: they are left out, and their folders kept.
import { posix } from 'node:path';
import { normalizeName } from '../pip-requirements/package-dep.js';
import { parseToml } from '../pyproject/extract.js';
import { asArray, asString, asTable } from '../pyproject/values.js';
import { addLocked, type LockRead, type PythonLock } from './lock.js';

export function readUvLock(content: string): LockRead {
  const parsed = parseToml(content);
  if ('error' in parsed) return parsed;
  const lock: PythonLock = { kind: 'uv.lock', packages: new Map(), localProjects: [] };
  for (const item of asArray(parsed.doc['package'])) {
    const entry = asTable(item);
    const name = asString(entry?.['name']);
    const source = asTable(entry?.['source']);
    const local = asString(source?.['editable']) ?? asString(source?.['virtual']);
    if (local !== undefined) lock.localProjects!.push(posix.normalize(local));
    if (!name || local !== undefined) continue;
    addLocked(lock.packages, normalizeName(name), asString(entry?.['version']));
  }
  return { lock };
}
