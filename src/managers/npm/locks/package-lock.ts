// package-lock.json and npm-shrinkwrap.json. v1 nests `dependencies`; v2 and v3 list `packages` by install
// path: "" is the root, `node_modules/x` a hoisted package, `packages/a` a workspace member whose own
// `packages/a/node_modules/x` wins over the hoisted one (npm's resolution order). A workspace member
// appears as `node_modules/<name>` with `link: true` and no version.
import { lockKey, plainVersion, type LockParser, type LockedDep } from './types.js';

type Json = Record<string, unknown>;

const SPEC_FIELDS = ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies'] as const;

export const parsePackageLock: LockParser = (content) => {
  let lock: unknown;
  try {
    lock = JSON.parse(content); // native, fast on multi-megabyte locks; positions are not needed here
  } catch (error) {
    return { ok: false, message: `Invalid JSON: ${(error as Error).message}` };
  }
  if (!isObject(lock)) return { ok: false, message: 'lockfile is not a JSON object' };
  const lockfileVersion = String(lock.lockfileVersion ?? 1);
  const packages = lock.packages;
  if (isObject(packages)) {
    return {
      ok: true,
      lock: {
        kind: 'npm',
        lockfileVersion,
        hasMember: (member) => member === '' || isObject(own(packages, member)),
        lookup(member, wanted) {
          const project = own(packages, member);
          // A root with no entry is an empty project (`packages: {}`); a member must be listed.
          if (member && !isObject(project))
            return { ok: false, message: `no entry for workspace member "${member}"` };
          const specs = recordedSpecs(isObject(project) ? project : {});
          const prefix = member ? `${member}/` : '';
          const locked = new Map<string, LockedDep>();
          for (const dep of wanted) {
            const entry =
              own(packages, `${prefix}node_modules/${dep.name}`) ?? own(packages, `node_modules/${dep.name}`);
            if (!isObject(entry)) continue;
            const recorded = specs.get(dep.name) ?? [];
            if (typeof entry.version === 'string')
              locked.set(lockKey(dep), { version: entry.version, specs: recorded });
            else if (entry.link === true) locked.set(lockKey(dep), { specs: recorded });
          }
          return { ok: true, locked };
        },
      },
    };
  }
  // v1 describes the root package only.
  const dependencies = lock.dependencies ?? {};
  if (!isObject(dependencies)) return { ok: false, message: '"dependencies" is not an object' };
  return {
    ok: true,
    lock: {
      kind: 'npm',
      lockfileVersion,
      hasMember: (member) => member === '',
      lookup(member, wanted) {
        if (member)
          return { ok: false, message: `lockfileVersion ${lockfileVersion} has no workspace members` };
        const locked = new Map<string, LockedDep>();
        for (const dep of wanted) {
          const entry = own(dependencies, dep.name);
          if (isObject(entry) && typeof entry.version === 'string')
            locked.set(lockKey(dep), { version: plainVersion(entry.version) });
        }
        return { ok: true, locked };
      },
    },
  };
};

function recordedSpecs(entry: Json): Map<string, string[]> {
  const specs = new Map<string, string[]>();
  for (const field of SPEC_FIELDS) {
    const section = own(entry, field);
    if (!isObject(section)) continue;
    for (const [name, spec] of Object.entries(section))
      if (typeof spec === 'string') specs.set(name, [...(specs.get(name) ?? []), spec]);
  }
  return specs;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// Own properties only: a directory or package named `__proto__` or `constructor` is just a name.
function own(object: Json, key: string): unknown {
  return Object.hasOwn(object, key) ? object[key] : undefined;
}
