// pnpm-lock.yaml. Direct dependencies sit under `importers.<path>` (v9 always; v6 and v5 for workspaces)
// or at the top level (v6/v5 single projects): v6/v9 write `name: { specifier, version }`, v5
// `specifiers: { name }` beside `dependencies: { name: version }`. Versions carry peer suffixes
// (`18.2.0(react@18.2.0)`, v5 `1.0.0_react@18.2.0`), aliases their target (`/other@1.2.3`, `other@1.2.3`),
// workspace members `link:../path`.
import { lockKey, plainVersion, type LockParser, type LockedDep } from './types.js';
import { parseSection, SectionError, topLevelSections } from './yaml-sections.js';

type Json = Record<string, unknown>;

const FIELDS = ['dependencies', 'devDependencies', 'optionalDependencies'] as const;

export const parsePnpmLock: LockParser = (content) => {
  const sections = topLevelSections(content);
  const version = sections.get('lockfileVersion');
  if (!version) return { ok: false, message: 'not a pnpm lockfile: no lockfileVersion' };
  let importers: Json;
  let lockfileVersion: string;
  try {
    // As written: YAML would read an unquoted `5.0` as the number 5.
    lockfileVersion =
      /^lockfileVersion:\s*(['"]?)([^'"\s#]+)\1/.exec(version.text)?.[2] ??
      String(parseSection(version, 'lockfileVersion'));
    const section = sections.get('importers');
    if (section) {
      const value = parseSection(section, 'importers');
      importers = isObject(value) ? value : {};
    } else {
      // A single project: its importer is the top level.
      const root: Json = {};
      for (const field of [...FIELDS, 'specifiers']) {
        const part = sections.get(field);
        if (part) root[field] = parseSection(part, field);
      }
      importers = { '.': root };
    }
  } catch (error) {
    if (!(error instanceof SectionError)) throw error;
    return { ok: false, line: error.line, message: `Invalid YAML: ${error.message}` };
  }
  return {
    ok: true,
    lock: {
      kind: 'pnpm',
      lockfileVersion,
      hasMember: (member) => isObject(own(importers, member || '.')),
      lookup(member, wanted) {
        const project = own(importers, member || '.');
        if (!isObject(project))
          return { ok: false, message: `no importer for ${member ? `"${member}"` : 'the root project'}` };
        const entries = importerEntries(project);
        const locked = new Map<string, LockedDep>();
        for (const dep of wanted) {
          const entry = entries.get(dep.name);
          if (entry) locked.set(lockKey(dep), entry);
        }
        return { ok: true, locked };
      },
    },
  };
};

function importerEntries(project: Json): Map<string, LockedDep> {
  const specifiers = isObject(project.specifiers) ? project.specifiers : {};
  const entries = new Map<string, LockedDep>();
  for (const field of FIELDS) {
    const section = own(project, field);
    if (!isObject(section)) continue;
    for (const [name, value] of Object.entries(section)) {
      const raw = isObject(value) ? value.version : value;
      const spec = isObject(value) ? value.specifier : own(specifiers, name);
      if (typeof raw !== 'string') continue;
      const specs = [...(entries.get(name)?.specs ?? []), ...(typeof spec === 'string' ? [spec] : [])];
      entries.set(name, raw.startsWith('link:') ? { specs } : { version: plainVersion(raw), specs });
    }
  }
  return entries;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// Own properties only: a directory or package named `__proto__` or `constructor` is just a name.
function own(object: Json, key: string): unknown {
  return Object.hasOwn(object, key) ? object[key] : undefined;
}
