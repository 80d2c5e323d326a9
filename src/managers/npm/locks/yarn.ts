// yarn.lock, classic (v1) and Berry (v2+, `__metadata`): read line by line when laid out as yarn writes
// them (yarn-lines.ts), else by @yarnpkg/parsers' parseSyml, which also reports malformed files. Entries
// are keyed by descriptors (`lodash@^4.17.0, lodash@^4.17.21`; Berry `lodash@npm:^4.17.21`), so a
// manifest's dependency is found by its own descriptor: one yarn lock serves every workspace member.
// Workspace members themselves are not in a v1 lock, and are `name@workspace:path` in Berry.
import { parseSyml } from '@yarnpkg/parsers';
import { lockKey, type LockParse, type LockParser, type LockedDep } from './types.js';
import { readYarnLines, type YarnEntry } from './yarn-lines.js';

// Marks a descriptor locked to a workspace member (no version of its own).
const LINKED = '\0linked';
const CLASSIC_HEADER = /^(?:#.*\r?\n)*?#\s+yarn\s+lockfile\s+v1\r?\n/i;
const BERRY_METADATA = /^__metadata:\s*$/m;

export const parseYarnLock: LockParser = (content) => {
  // The fast line reader for files laid out as yarn writes them; parseSyml for anything else.
  const berry = !CLASSIC_HEADER.test(content) && BERRY_METADATA.test(content);
  const lines = CLASSIC_HEADER.test(content) || berry ? readYarnLines(content, berry) : null;
  if (lines) {
    const metadata = lines.get('__metadata');
    lines.delete('__metadata');
    return parsed(lines, berry, berry ? (metadata?.version ?? '') : '1');
  }
  let lock: Record<string, unknown>;
  try {
    lock = parseSyml(content) as Record<string, unknown>;
  } catch (error) {
    const line = errorLine(error);
    const message = (error as Error).message.split('\n')[0];
    return { ok: false, message: `Invalid yarn.lock: ${message}`, ...(line ? { line } : {}) };
  }
  const metadata = lock.__metadata;
  const isBerry = typeof metadata === 'object' && metadata !== null;
  const entries = new Map<string, YarnEntry>();
  for (const [key, entry] of Object.entries(lock)) {
    if (key === '__metadata' || typeof entry !== 'object' || entry === null) continue;
    const { version, resolution } = entry as { version?: unknown; resolution?: unknown };
    if (typeof version !== 'string') continue;
    // parseSyml may keep a multi-descriptor key whole; descriptors never contain commas.
    for (const descriptor of key.split(','))
      entries.set(descriptor.trim(), typeof resolution === 'string' ? { version, resolution } : { version });
  }
  const lockfileVersion = isBerry ? String((metadata as { version?: unknown }).version ?? '') : '1';
  return parsed(entries, isBerry, lockfileVersion);
};

// Berry resolves a range that a workspace member satisfies to the member itself.
function versionsOf(entries: Map<string, YarnEntry>): Map<string, string> {
  const versions = new Map<string, string>();
  for (const [descriptor, { version, resolution }] of entries)
    versions.set(descriptor, resolution?.includes('@workspace:') ? LINKED : version);
  return versions;
}

function parsed(entries: Map<string, YarnEntry>, berry: boolean, lockfileVersion: string): LockParse {
  const versions = versionsOf(entries);
  // Berry lists each workspace as `name@workspace:<path>`; a v1 lock says nothing of workspaces.
  const workspaces = new Set<string>();
  for (const descriptor of entries.keys()) {
    const at = descriptor.indexOf('@workspace:');
    if (at > 0) workspaces.add(descriptor.slice(at + '@workspace:'.length));
  }
  // Berry writes the default protocol out: `^1` is locked as `name@npm:^1`.
  const find = (name: string, spec: string): string | undefined =>
    versions.get(`${name}@${spec}`) ?? (berry ? versions.get(`${name}@npm:${spec}`) : undefined);
  return {
    ok: true,
    lock: {
      kind: berry ? 'yarn-berry' : 'yarn-v1',
      lockfileVersion,
      hasMember: (member) => member === '' || workspaces.has(member),
      lookup(_member, wanted, resolutions) {
        const locked = new Map<string, LockedDep>();
        for (const dep of wanted) {
          // A root `resolutions` entry replaces the range everywhere: the lock is keyed by it instead.
          const resolution = resolutions?.get(dep.name);
          const version = find(dep.name, dep.spec) ?? (resolution ? find(dep.name, resolution) : undefined);
          if (version !== undefined) locked.set(lockKey(dep), version === LINKED ? {} : { version });
        }
        return { ok: true, locked };
      },
    },
  };
}

// The classic grammar's errors carry `location.start.line` (1-based), js-yaml's `mark.line` (0-based).
function errorLine(error: unknown): number | undefined {
  const { location, mark } = error as { location?: { start?: { line?: number } }; mark?: { line?: number } };
  if (typeof location?.start?.line === 'number') return location.start.line;
  if (typeof mark?.line === 'number') return mark.line + 1;
  return undefined;
}
