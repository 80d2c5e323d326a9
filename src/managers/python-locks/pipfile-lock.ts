// Pipfile.lock (JSON): `default` and `develop` map names to `{ version: "==x", hashes }`; git and path
// packages have no version.
import { normalizeName } from '../pip-requirements/package-dep.js';
import { asArray, asString, asTable, tableAt } from '../pyproject/values.js';
import { addLocked, type LockRead, type PythonLock } from './lock.js';

export function readPipfileLock(content: string): LockRead {
  let doc: unknown;
  try {
    doc = JSON.parse(content);
  } catch (error) {
    return { error: { message: `JSON: ${(error as Error).message}` } };
  }
  if (!asTable(doc)) return { error: { message: 'Pipfile.lock: not a JSON object' } };
  const lock: PythonLock = { kind: 'Pipfile.lock', packages: new Map(), hashes: new Map() };
  for (const section of ['default', 'develop'])
    for (const [name, entry] of Object.entries(tableAt(doc, section) ?? {})) {
      const key = normalizeName(name);
      const version = asString(asTable(entry)?.['version']);
      addLocked(lock.packages, key, version?.replace(/^===?/, ''));
      const hashes = asArray(asTable(entry)?.['hashes']).filter(
        (hash): hash is string => typeof hash === 'string',
      );
      if (hashes.length) lock.hashes!.set(key, hashes);
    }
  const hash = asString(tableAt(doc, '_meta', 'hash')?.['sha256']);
  if (hash) lock.contentHash = hash;
  return { lock };
}
