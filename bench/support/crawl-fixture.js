// The crawl benchmark's org: repositories built from the Dockerfiles, compose files and Kubernetes manifests
// of a tree laid out `<source>/<path>` (the real-world corpus, or the project's fixture tree test/fixtures),
// whose image references are rewritten to the few images the local registry holds, so every lookup goes to
// Docker Hub's mirror and none leaves the machine. Deterministic: files are taken in sorted order and each
// reference maps by a hash of its text.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { managerFor } from '../../dist/managers/index.js';

/** What the registry holds (library/<name>), oldest first: old tags have updates, the newest has none. */
export const IMAGES = {
  node: ['20.1.0', '20.5.0', '22.3.0'],
  nginx: ['1.25.0', '1.27.1'],
  redis: ['7.0.0', '7.2.4'],
  python: ['3.11.0', '3.12.1'],
  postgres: ['15.1.0', '16.2.0'],
  alpine: ['3.19.0', '3.20.1'],
};
const MANAGERS = new Set(['dockerfile', 'compose', 'kubernetes']);

const hash = (text) => createHash('sha1').update(text).digest().readUInt32BE(0);

/** The local image standing in for `dep`: its family by name, a tag by hash (some old, some newest). */
function standIn(dep) {
  const name = dep.repository ?? dep.depName;
  const family = Object.keys(IMAGES).find((image) => name.includes(image)) ?? 'alpine';
  const tags = IMAGES[family];
  return `${family}:${tags[hash(dep.value) % tags.length]}`;
}

function corpusFiles(dir) {
  const files = [];
  const walk = (at) => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const path = join(at, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) files.push(relative(dir, path));
    }
  };
  walk(dir);
  return files.sort();
}

/** Every image reference is ours (docker.io/library/<IMAGES>) or one extraction skips (stage, scratch). */
function onlyOurs(deps) {
  return deps.every(
    (dep) =>
      dep.skipReason ||
      (dep.registry === 'docker.io' &&
        Object.keys(IMAGES).some((image) => dep.repository === `library/${image}`)),
  );
}

/**
 * The file with each literal reference replaced on its own line, or null when a reference is not written
 * literally (built from ARGs or variables) or the result still names another image.
 */
function rewrite(path, text) {
  const manager = managerFor(path);
  if (!manager || !MANAGERS.has(manager.name)) return null;
  let deps;
  try {
    deps = manager.extract(text, path).deps;
  } catch {
    return null;
  }
  const lines = text.split('\n');
  for (const dep of deps) {
    if (dep.skipReason) continue;
    if (dep.arg) return null;
    const at = dep.line - 1;
    if (!lines[at]?.includes(dep.value)) return null;
    lines[at] = lines[at].replace(dep.value, standIn(dep));
  }
  const result = lines.join('\n');
  const check = manager.extract(result, path).deps;
  if (!check.some((dep) => !dep.skipReason) || !onlyOurs(check)) return null;
  return { manager: manager.name, text: result };
}

/**
 * `count` repositories (`repo-000`…), each with a README and two or three of the tree's files at their
 * paths (under the source repository's name when two would collide). Returns `{ repositories, counts }`.
 */
export function buildOrg(corpusDir, count) {
  const usable = [];
  for (const file of corpusFiles(corpusDir)) {
    const slash = file.indexOf('/');
    if (slash < 0) continue;
    const path = file.slice(slash + 1);
    const rewritten = rewrite(path, readFileSync(join(corpusDir, file), 'utf8'));
    if (rewritten) usable.push({ source: file.slice(0, slash), path, ...rewritten });
  }
  if (usable.length === 0) throw new Error(`no usable files in ${corpusDir}`);
  const repositories = Array.from({ length: count }, (_, i) => ({
    name: `repo-${String(i).padStart(3, '0')}`,
    files: { 'README.md': `# repo-${i}\n` },
  }));
  const counts = { dockerfile: 0, compose: 0, kubernetes: 0, usable: usable.length };
  // Round-robin over the repositories, at least two passes so each gets a couple of files.
  const slots = Math.max(usable.length, count * 2);
  for (let slot = 0; slot < slots; slot++) {
    const file = usable[slot % usable.length];
    const files = repositories[slot % count].files;
    let path = file.path;
    if (files[path] !== undefined) path = `${file.source}/${file.path}`;
    if (files[path] !== undefined || managerFor(path)?.name !== file.manager) continue;
    files[path] = file.text;
    counts[file.manager]++;
  }
  return { repositories, counts };
}
