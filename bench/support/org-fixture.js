// The benchmark's fixture: eight repositories of versioned images (some multi-arch, `latest` on the newest,
// a prerelease tag that must not be offered) pushed to the registry, and an "org" of 50 service
// directories whose Dockerfiles, compose files and Kubernetes manifests share references to them: old
// versions with newer ones present, newest versions, pinned digests (all still current), `latest`, untagged.
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ownDir } from './cleanup.js';
import { writeLayout } from './oci-layout.js';

const MULTI = ['linux/amd64', 'linux/arm64'];
const SINGLE = ['linux/amd64'];

/** `refs`: tags the org uses (`@` = pinned to the digest the tag has now, '' = untagged). */
export const REPOSITORIES = [
  { name: 'platform/base', platforms: MULTI, versions: ['1.0.0', '1.0.1', '1.1.0', '2.0.0'], refs: ['1.0.0', '2.0.0@', 'latest'] },
  { name: 'platform/runtime', platforms: MULTI, versions: ['3.4.0', '3.4.1', '3.5.0', '4.0.0'], refs: ['3.4.0', '4.0.0'] },
  { name: 'lang/pyrun', platforms: SINGLE, versions: ['3.11.0', '3.11.2', '3.12.0'], refs: ['3.11.0', '3.12.0@'] },
  { name: 'lang/jrun', platforms: SINGLE, versions: ['17.0.1', '17.0.2', '21.0.0'], refs: ['17.0.2@', '21.0.0', 'latest'] },
  { name: 'web/proxy', platforms: MULTI, versions: ['1.24.0', '1.25.0', '1.26.0'], refs: ['1.24.0', ''] },
  { name: 'data/cache', platforms: SINGLE, versions: ['7.0.0', '7.2.0'], refs: ['7.0.0@', '7.2.0'] },
  { name: 'data/store', platforms: MULTI, versions: ['15.0.0', '15.1.0', '16.0.0'], refs: ['15.0.0', '16.0.0@'] },
  { name: 'tools/ci', platforms: SINGLE, versions: ['0.9.0', '1.0.0'], refs: ['0.9.0', '1.0.0', 'latest'] },
]; // prettier-ignore

/** Runs `task` over `items`, `width` at a time. */
async function eachLimited(items, width, task) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await task(items[next++]);
  };
  await Promise.all(Array.from({ length: width }, worker));
}

/**
 * Pushes every version (skopeo), `latest` on the newest and a `-rc.1` of the next major (registry API).
 * Returns `digests` (`name:tag` → top digest) and `children` (platform manifest digests inside indexes).
 */
export async function pushImages(registry) {
  const digests = new Map();
  const children = new Set();
  const jobs = REPOSITORIES.flatMap((repo) => repo.versions.map((version, i) => ({ repo, version, i })));
  await eachLimited(jobs, 4, async ({ repo, version, i }) => {
    const layout = await writeLayout(join(registry.dir, 'layouts', repo.name, version), {
      label: `${repo.name}:${version}`,
      created: new Date(Date.UTC(2025, i, 1)).toISOString(),
      platforms: repo.platforms,
    });
    await registry.push(repo.name, version, layout);
    digests.set(`${repo.name}:${version}`, layout.digest);
    for (const child of layout.children) children.add(child);
  });
  for (const repo of REPOSITORIES) {
    const newest = repo.versions.at(-1);
    const nextMajor = `${Number(newest.split('.')[0]) + 1}.0.0-rc.1`;
    await registry.tag(repo.name, newest, ['latest', nextMajor]);
    digests.set(`${repo.name}:latest`, digests.get(`${repo.name}:${newest}`));
  }
  return { digests, children };
}

/** Every reference the org uses, as written in files. */
function references(host, digests) {
  return REPOSITORIES.flatMap((repo) =>
    repo.refs.map((ref) => {
      const tag = ref.replace('@', '');
      const image = `${host}/${repo.name}`;
      if (tag === '') return { image, tag: null, text: image };
      const digest = ref.endsWith('@') ? `@${digests.get(`${repo.name}:${tag}`)}` : '';
      return { image, tag, digest, text: `${image}:${tag}${digest}` };
    }),
  );
}

function dockerfile(i, build, final) {
  // Every fifth service takes its final tag from an ARG (updated at the ARG line).
  const viaArg = i % 5 === 0 && final.tag && !final.digest;
  return [
    ...(viaArg ? [`ARG BASE_TAG=${final.tag}`] : []),
    `FROM ${build.text} AS build`,
    'WORKDIR /src',
    'COPY . .',
    'RUN make build',
    '',
    viaArg ? `FROM ${final.image}:\${BASE_TAG}` : `FROM ${final.text}`,
    'COPY --from=build /src/out /app',
    'USER 10001',
    'ENTRYPOINT ["/app/run"]',
    '',
  ].join('\n');
}

function compose(sidecar, store) {
  return `services:\n  app:\n    build: .\n  sidecar:\n    image: ${sidecar.text}\n  store:\n    image: ${store.text}\n`;
}

function deployment(i, image) {
  return [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    `  name: svc-${i}`,
    'spec:',
    '  template:',
    '    spec:',
    '      containers:',
    `        - name: svc-${i}`,
    `          image: ${image.text}`,
    '',
  ].join('\n');
}

/**
 * Writes the org (50 directories by default) in a temp dir with a `.dockhand.yml` naming the registry
 * (its credentials are the user's, given to the client). Returns `{ dir, counts, remove }`.
 */
export async function writeOrg(host, digests, { services = 50 } = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'dockhand-bench-org-'));
  const remove = ownDir(dir);
  const refs = references(host, digests);
  const pick = (n) => refs[n % refs.length];
  const counts = { dockerfiles: 0, compose: 0, kubernetes: 0 };
  await writeFile(join(dir, '.dockhand.yml'), `failureThreshold: none\nregistries:\n  - host: '${host}'\n`);
  for (let i = 0; i < services; i++) {
    const service = join(dir, `svc-${String(i).padStart(2, '0')}`);
    await mkdir(service);
    await writeFile(join(service, 'Dockerfile'), dockerfile(i, pick(i), pick(i * 7 + 3)));
    counts.dockerfiles++;
    if (i % 3 === 0) {
      await writeFile(join(service, 'compose.yaml'), compose(pick(i * 5 + 1), pick(i + 11)));
      counts.compose++;
    }
    if (i % 4 === 1) {
      await mkdir(join(service, 'k8s'));
      await writeFile(join(service, 'k8s', 'deployment.yaml'), deployment(i, pick(i * 3 + 2)));
      counts.kubernetes++;
    }
  }
  return { dir, counts, distinctReferences: refs.length, remove };
}
