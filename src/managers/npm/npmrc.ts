// The registries a repository's .npmrc names (`registry=`, `@scope:registry=`). Only where to look: auth
// lines are ignored (credentials come from the operator, never from the repository), and so are values
// that need the environment (`${NPM_REGISTRY}`), which Dockhand does not expand from repository text.
import type { Dependency } from '../../core/types.js';

export interface NpmrcRegistries {
  registry?: string;
  /** `@scope` → registry URL. */
  scopes: Record<string, string>;
}

export function parseNpmrc(content: string): NpmrcRegistries {
  const result: NpmrcRegistries = { scopes: {} };
  for (const rawLine of content.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    const eq = line.indexOf('=');
    if (eq === -1) continue;
    const key = line.slice(0, eq).trim();
    const value = line
      .slice(eq + 1)
      .trim()
      .replace(/^(['"])(.*)\1$/, '$2');
    if (value.includes('${') || !/^https?:\/\/[^\s]+$/i.test(value)) continue;
    const url = value.endsWith('/') ? value : `${value}/`;
    if (key === 'registry') result.registry = url;
    else if (/^@[^/:\s]+:registry$/.test(key)) result.scopes[key.slice(0, key.indexOf(':'))] = url;
  }
  return result;
}

/** `deps` with `registryUrls` set from `npmrc` for the npm packages it covers (new objects). */
export function applyNpmrc(deps: Dependency[], npmrc: NpmrcRegistries): Dependency[] {
  return deps.map((dep) => {
    if (dep.datasource !== 'npm') return dep;
    const name = dep.packageName ?? dep.depName;
    const scope = name.startsWith('@') ? name.slice(0, name.indexOf('/')) : undefined;
    const url =
      (scope !== undefined && Object.hasOwn(npmrc.scopes, scope) ? npmrc.scopes[scope] : undefined) ??
      npmrc.registry;
    return url ? { ...dep, registryUrls: [url] } : dep;
  });
}
