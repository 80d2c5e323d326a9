// Images a compose file builds. A service with both `build:` and `image:` builds its image and tags it
// with the `image:` name: that name is the build's output, not something to pull, so it is never looked
// up or updated (Renovate skips these services too).
import { depNameOf, parseReference } from '../../reference/parse.js';
import { entryText } from '../../yaml/deps.js';
import { entry, get, isMap } from '../../yaml/tree.js';
import type { YEntry, YMap } from '../../yaml/tree.js';

/**
 * The `image:` names the file's services build, as `imageKey`s. A service builds when it declares
 * `build:` (a context string or a mapping) itself, through a `<<` merge key, or through `extends` of a
 * service of the same file, which hands `build` down as Compose does. Another service naming the same
 * image runs what was built, so its reference is a build output too.
 */
export function builtImages(services: readonly (readonly [string, YMap])[]): Set<string> {
  const byName = new Map(services);
  const builds = (service: YMap, seen: Set<YMap>): boolean => {
    if (buildEntry(service)) return true;
    const base = extendedService(service, byName);
    if (!base || seen.has(base)) return false;
    seen.add(base);
    return builds(base, seen);
  };
  const built = new Set<string>();
  for (const [, service] of services) {
    const image = entryText(entry(service, 'image'))?.text;
    if (image && builds(service, new Set([service]))) built.add(imageKey(image));
  }
  return built;
}

/** The `build` entry of a service that builds: a context string or a mapping (`build:` alone is not one). */
export function buildEntry(service: YMap): YEntry | undefined {
  const build = entry(service, 'build');
  if (isMap(build?.value) || entryText(build)?.text) return build;
  return undefined;
}

/**
 * `extends: base` or `extends: { service: base }` naming a service of this file; one in another file
 * (`file:`) is out of sight.
 */
function extendedService(service: YMap, byName: ReadonlyMap<string, YMap>): YMap | undefined {
  const extended = entry(service, 'extends');
  if (!extended) return undefined;
  if (isMap(extended.value)) {
    if (get(extended.value, 'file') !== undefined) return undefined;
    return byName.get(entryText(entry(extended.value, 'service'))?.text ?? '');
  }
  return byName.get(entryText(extended)?.text ?? '');
}

/** What makes two `image:` values name the same local image: `saleor` is `docker.io/library/saleor:latest`. */
export function imageKey(text: string): string {
  const ref = parseReference(text);
  if ('error' in ref) return text;
  return `${depNameOf(ref)}:${ref.tag ?? 'latest'}${ref.digest ? `@${ref.digest}` : ''}`;
}
