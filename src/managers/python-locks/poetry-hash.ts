// Poetry's content-hash: sha256 of `json.dumps(relevant, sort_keys=True)` over the pyproject.toml
// sections that decide the lock. A lock whose hash matches none of the known layouts was made from
// another pyproject.toml (Poetry itself then says the lock is out of date).
import { createHash } from 'node:crypto';
import { parseToml } from '../pyproject/extract.js';
import { tableAt, type Table } from '../pyproject/values.js';
import type { PythonLock } from './lock.js';

/**
 * Whether a poetry.lock was made from this pyproject.toml: its content-hash is one a known Poetry layout
 * gives. Undefined when either side cannot tell (no hash, unreadable manifest). Not an error by itself:
 * a Poetry release with a new layout would make every lock look stale.
 */
export function poetryLockIsFresh(pyprojectContent: string, lock: PythonLock): boolean | undefined {
  if (lock.kind !== 'poetry.lock' || !lock.contentHash) return undefined;
  const parsed = parseToml(pyprojectContent);
  if ('error' in parsed) return undefined;
  return poetryContentHashes(parsed.doc).includes(lock.contentHash);
}

const LEGACY_KEYS = ['dependencies', 'source', 'extras', 'dev-dependencies'];
const RELEVANT_KEYS = [...LEGACY_KEYS, 'group'];
const PROJECT_KEYS = ['requires-python', 'dependencies', 'optional-dependencies'];

/** The hashes the Poetry versions in use would write for this pyproject.toml (1.x, 2.x). */
export function poetryContentHashes(doc: Table): string[] {
  const poetry = tableAt(doc, 'tool', 'poetry') ?? {};
  const project = tableAt(doc, 'project') ?? {};
  const relevantProject: Table = {};
  for (const key of PROJECT_KEYS) if (project[key] !== undefined) relevantProject[key] = project[key];
  const poetryContent = (withProject: boolean): Table => {
    const out: Table = {};
    for (const key of RELEVANT_KEYS) {
      const value = poetry[key];
      if (value === undefined && (!LEGACY_KEYS.includes(key) || withProject)) continue;
      out[key] = value ?? null;
    }
    return out;
  };
  const layouts: unknown[] = [poetryContent(false)];
  if (Object.keys(relevantProject).length) {
    const v2: Table = { project: relevantProject, tool: { poetry: poetryContent(true) } };
    layouts.push(v2);
    const groups = doc['dependency-groups'];
    if (groups !== undefined) layouts.push({ ...v2, 'dependency-groups': groups });
  }
  return layouts.map((layout) => createHash('sha256').update(pythonJson(layout)).digest('hex'));
}

/** Python's `json.dumps(value, sort_keys=True)`: `, ` and `: ` separators, DEL and non-ASCII as \uXXXX. */
export function pythonJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string')
    return JSON.stringify(value).replace(
      /[\u007f-\uffff]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
    );
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  if (Array.isArray(value)) return `[${value.map(pythonJson).join(', ')}]`;
  if (value instanceof Date) return pythonJson(value.toISOString());
  const entries = Object.entries(value as Table).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, item]) => `${pythonJson(key)}: ${pythonJson(item)}`).join(', ')}}`;
}
