import { describe, expect, test } from 'vitest';
import type { UpdatePolicy } from '../../src/config/schema.js';
import type { Dependency } from '../../src/core/types.js';
import type { Manifest } from '../../src/datasources/docker/manifest.js';
import type { ImageName, Platform, ResolvedDigest } from '../../src/datasources/docker/types.js';
import { manager as composeManager } from '../../src/managers/compose/index.js';
import { manager } from '../../src/managers/dockerfile/index.js';
import { planDependency, type RegistryLookups } from '../../src/plan/plan.js';
import { policyFor } from '../../src/plan/policy.js';

const INDEX = 'application/vnd.oci.image.index.v1+json';
const MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const d = (n: number) => `sha256:${n.toString(16).padStart(64, '0')}`;
const AMD64: Platform = { os: 'linux', architecture: 'amd64' };
const ARM64: Platform = { os: 'linux', architecture: 'arm64', variant: 'v8' };

/** A registry in memory: tags → multi-arch indexes (index digest n, a multiple of 10; platforms n+1, n+2). */
class FakeRegistry implements RegistryLookups {
  readonly tags = new Map<string, number>();
  readonly created = new Map<string, string>();
  readonly calls: string[] = [];
  fail?: string;

  tag(tag: string, n: number, created?: string): this {
    this.tags.set(tag, n);
    if (created) this.created.set(d(n), created);
    return this;
  }
  async getTags(image: ImageName) {
    this.calls.push(`tags ${image.repository}`);
    if (this.fail) throw new Error(this.fail);
    return [...this.tags.keys()];
  }
  async getDigest(_image: ImageName, reference: string): Promise<ResolvedDigest> {
    this.calls.push(`head ${reference}`);
    if (this.fail) throw new Error(this.fail);
    if (reference.startsWith('sha256:'))
      return { digest: reference, mediaType: this.isIndex(reference) ? INDEX : MANIFEST };
    const n = this.tags.get(reference);
    if (n === undefined) throw new Error(`manifest unknown: ${reference}`);
    return { digest: d(n), mediaType: INDEX };
  }
  async getManifest(_image: ImageName, digest: string): Promise<Manifest> {
    if (this.isIndex(digest)) {
      const n = parseInt(digest.slice(7), 16);
      return {
        kind: 'index',
        mediaType: INDEX,
        manifests: [
          { mediaType: MANIFEST, digest: d(n + 1), platform: AMD64 },
          { mediaType: MANIFEST, digest: d(n + 2), platform: ARM64 },
        ],
      };
    }
    return {
      kind: 'manifest',
      mediaType: MANIFEST,
      config: { mediaType: 'config', digest: d(999) },
    };
  }
  async getPlatformDigest(image: ImageName, indexDigest: string, platform: Platform) {
    const index = await this.getManifest(image, indexDigest);
    return index.kind === 'index'
      ? (index.manifests.find((m) => m.platform?.architecture === platform.architecture)?.digest ?? null)
      : null;
  }
  async getPlatform(_image: ImageName, digest: string): Promise<Platform | null> {
    const n = parseInt(digest.slice(7), 16);
    return n % 10 === 1 ? AMD64 : n % 10 === 2 ? ARM64 : null;
  }
  async getCreated(_image: ImageName, digest: string) {
    return this.created.get(digest) ?? null;
  }
  /** Indexes have digests that are multiples of 10 (old ones stay readable: content-addressed). */
  private isIndex(digest: string): boolean {
    return parseInt(digest.slice(7), 16) % 10 === 0;
  }
}

const defaults: UpdatePolicy = {
  pinDigests: true,
  separateMajor: true,
  updateTypes: ['major', 'minor', 'patch', 'digest', 'pin', 'replace'],
  minimumReleaseAgeDays: 0,
  allowedVersions: '',
  ltsOnly: true,
  moveSuffix: false,
  rangeStrategy: 'auto',
  automerge: false,
  ignore: [],
  rules: [],
};

function dep(from: string): Dependency {
  return manager.extract(`FROM ${from}\n`, 'Dockerfile').deps[0]!;
}
const plan = (registry: RegistryLookups, from: string, updates: Partial<UpdatePolicy> = {}, now?: number) => {
  const dependency = dep(from);
  return planDependency(
    dependency,
    policyFor({ ...defaults, ...updates }, dependency, 'Dockerfile', 'dockerfile'),
    registry,
    now,
  );
};

describe('version updates', () => {
  const registry = new FakeRegistry()
    .tag('20.10.0', 100)
    .tag('20.11.1', 110)
    .tag('20.12.2', 120)
    .tag('21.7.0', 200)
    .tag('22.3.0', 300)
    .tag('22.3.0-alpine', 310)
    .tag('23.0.0-rc.1', 400);

  test('the best major (LTS only for node) and the best minor, each with the new digest', async () => {
    expect((await plan(registry, 'node:20.11.1')).updates).toEqual([
      { type: 'major', newValue: '22.3.0', newDigest: d(300) },
      { type: 'minor', newValue: '20.12.2', newDigest: d(120) },
      { type: 'pin', newValue: null, newDigest: d(110) },
    ]);
  });

  test('without pinDigests: tags only, no pin', async () => {
    expect((await plan(registry, 'node:20.11.1', { pinDigests: false })).updates).toEqual([
      { type: 'major', newValue: '22.3.0', newDigest: null },
      { type: 'minor', newValue: '20.12.2', newDigest: null },
    ]);
  });

  test('separateMajor: false proposes only the newest version', async () => {
    const result = await plan(registry, 'node:20.11.1', { separateMajor: false, pinDigests: false });
    expect(result.updates).toEqual([{ type: 'major', newValue: '22.3.0', newDigest: null }]);
  });

  test('pinDigests can name the managers it applies to', async () => {
    const dependency = dep('node:20.11.1');
    const policy = (manager: string) =>
      policyFor({ ...defaults, pinDigests: ['dockerfile'] }, dependency, 'x', manager);
    expect(policy('dockerfile').pinDigests).toBe(true);
    expect(policy('kubernetes').pinDigests).toBe(false);
  });

  test('update types, ignores and allowedVersions narrow the choice', async () => {
    const onlyMinor = await plan(registry, 'node:20.11.1', { updateTypes: ['minor', 'patch'] });
    expect(onlyMinor.updates.map((u) => u.newValue)).toEqual(['20.12.2']);
    const ignored = await plan(registry, 'node:20.11.1', {
      ignore: [{ image: 'node', updateTypes: ['major'] }],
      pinDigests: false,
    });
    expect(ignored.updates.map((u) => u.type)).toEqual(['minor']);
    const allowed = await plan(registry, 'node:20.11.1', { allowedVersions: '^20\\.', pinDigests: false });
    expect(allowed.updates.map((u) => u.newValue)).toEqual(['20.12.2']);
    const ltsOff = await plan(registry, 'node:20.11.1', { ltsOnly: false, pinDigests: false });
    expect(ltsOff.updates[0]?.newValue).toBe('22.3.0'); // 23 is a release candidate: never offered
  });

  test('minimumReleaseAge holds back images pushed too recently', async () => {
    const now = Date.parse('2026-11-20T00:00:00Z');
    const young = new FakeRegistry()
      .tag('1.1.0', 10, '2026-11-19T00:00:00Z')
      .tag('1.2.0', 20, '2026-11-19T12:00:00Z');
    young.tag('1.0.0', 30, '2026-01-01T00:00:00Z');
    const result = await plan(young, 'redis:1.0.0', { minimumReleaseAgeDays: 3, pinDigests: false }, now);
    expect(result.updates).toEqual([]);
    const later = await plan(
      young,
      'redis:1.0.0',
      { minimumReleaseAgeDays: 3, pinDigests: false },
      now + 7 * 864e5,
    );
    expect(later.updates).toEqual([
      { type: 'minor', newValue: '1.2.0', newDigest: null, releaseTimestamp: '2026-11-19T12:00:00Z' },
    ]);
  });
});

describe('digests', () => {
  test('an up-to-date index pin: nothing to do', async () => {
    const registry = new FakeRegistry().tag('3.20', 500);
    expect(await plan(registry, `alpine:3.20@${d(500)}`)).toEqual({ updates: [] });
  });

  test('a stale index pin gets the new index digest', async () => {
    const registry = new FakeRegistry().tag('3.20', 600);
    expect(await plan(registry, `alpine:3.20@${d(500)}`, { updateTypes: ['digest'] })).toEqual({
      staleDigest: true,
      updates: [{ type: 'digest', newValue: null, newDigest: d(600) }],
    });
  });

  test('a single-platform pin stays on its platform (arm64 stays arm64)', async () => {
    const registry = new FakeRegistry().tag('3.20', 600); // index 600: amd64 601, arm64 602
    // Still listed in the tag's index: its platform is known from there, and it is current.
    expect(await plan(registry, `alpine:3.20@${d(602)}`)).toEqual({ updates: [] });
    // An old arm64 manifest the index no longer lists: the Dockerfile's --platform says which one to take.
    const result = await plan(registry, `--platform=linux/arm64/v8 alpine:3.20@${d(502)}`, {
      updateTypes: ['digest'],
    });
    expect(result.updates).toEqual([{ type: 'digest', newValue: null, newDigest: d(602) }]);
  });

  test('latest and untagged references get the digest latest means today', async () => {
    const registry = new FakeRegistry().tag('latest', 700);
    expect((await plan(registry, 'nginx')).updates).toEqual([
      { type: 'replace', newValue: null, newDigest: d(700) },
    ]);
    expect((await plan(registry, 'nginx:latest')).updates).toEqual([
      { type: 'replace', newValue: null, newDigest: d(700) },
    ]);
  });

  test('a non-version tag gets a pin only', async () => {
    const registry = new FakeRegistry().tag('bookworm', 800).tag('trixie', 900);
    expect((await plan(registry, 'debian:bookworm')).updates).toEqual([
      { type: 'pin', newValue: null, newDigest: d(800) },
    ]);
  });
});

describe('digest pins follow pinDigests per manager: `pin` for a tag, `replace` for latest/untagged', () => {
  const registry = () => new FakeRegistry().tag('latest', 700).tag('bookworm', 800);
  const images = ['nginx:latest', 'redis', 'debian:bookworm'];
  const composeDeps = composeManager.extract(
    `services:\n${images.map((image, i) => `  s${i}:\n    image: ${image}\n`).join('')}`,
    'compose.yaml',
  ).deps;
  const dockerfileDeps = manager.extract(
    images.map((image) => `FROM ${image}\n`).join(''),
    'Dockerfile',
  ).deps;
  const updatesOf = async (
    deps: Dependency[],
    path: string,
    managerName: string,
    lookups: FakeRegistry,
    updates: Partial<UpdatePolicy>,
  ) => {
    const policy = { ...defaults, ...updates };
    const plans = await Promise.all(
      deps.map((d) => planDependency(d, policyFor(policy, d, path, managerName), lookups)),
    );
    return plans.map((p) => p.updates);
  };
  const pinned = [
    [{ type: 'replace', newValue: null, newDigest: d(700) }],
    [{ type: 'replace', newValue: null, newDigest: d(700) }],
    [{ type: 'pin', newValue: null, newDigest: d(800) }],
  ];

  test('by default (Dockerfiles only) compose images keep their tags, latest too, and nothing is asked', async () => {
    const lookups = registry();
    const updates = await updatesOf(composeDeps, 'compose.yaml', 'compose', lookups, {
      pinDigests: ['dockerfile'],
    });
    expect(updates).toEqual([[], [], []]);
    expect(lookups.calls).toEqual([]);
  });

  test('the same references in a Dockerfile are pinned by default', async () => {
    const updates = await updatesOf(dockerfileDeps, 'Dockerfile', 'dockerfile', registry(), {
      pinDigests: ['dockerfile'],
    });
    expect(updates).toEqual(pinned);
  });

  test('naming the manager in pinDigests, or a rule matching it, pins compose images', async () => {
    const listed = await updatesOf(composeDeps, 'compose.yaml', 'compose', registry(), {
      pinDigests: ['dockerfile', 'compose'],
    });
    expect(listed).toEqual(pinned);
    const ruled = await updatesOf(composeDeps, 'compose.yaml', 'compose', registry(), {
      pinDigests: ['dockerfile'],
      rules: [{ matchManagers: ['compose'], pinDigests: true }],
    });
    expect(ruled).toEqual(pinned);
  });

  test('pinDigests: false leaves latest alone in Dockerfiles too; a digest already written is still refreshed', async () => {
    expect(
      await updatesOf(dockerfileDeps, 'Dockerfile', 'dockerfile', registry(), { pinDigests: false }),
    ).toEqual([[], [], []]);
    expect((await plan(registry(), `nginx:latest@${d(600)}`, { pinDigests: false })).updates).toEqual([
      { type: 'digest', newValue: null, newDigest: d(700) },
    ]);
  });
});

test('lookup failures are recorded on the dependency, not thrown', async () => {
  const registry = new FakeRegistry().tag('1.0', 1);
  registry.fail = 'unauthorized: authentication required for ghcr.io/acme/app';
  expect(await plan(registry, 'ghcr.io/acme/app:1.0')).toEqual({
    updates: [],
    error: 'unauthorized: authentication required for ghcr.io/acme/app',
  });
});

test('skipped and disabled dependencies are never looked up', async () => {
  const registry = new FakeRegistry();
  const unresolved = manager.extract('ARG B\nFROM $B\n', 'Dockerfile').deps[0]!;
  expect(
    await planDependency(unresolved, policyFor(defaults, unresolved, 'Dockerfile', 'dockerfile'), registry),
  ).toEqual({ updates: [] });
  const disabled = await plan(registry, 'node:20', { rules: [{ matchImages: ['node'], enabled: false }] });
  expect(disabled).toEqual({ updates: [] });
  expect(registry.calls).toEqual([]);
});
