// Decides the updates of one dependency from what its registry says now: newer compatible versions
// (major, and the best minor/patch), a refreshed digest for the same tag, a digest pin, or a pin for
// `latest`/untagged references (pins of either kind only where `pinDigests` covers the file). Lookups
// go through an interface (the registry client in practice), so the decisions stay testable without a
// network.
import type { UpdateType } from '../config/schema.js';
import type { Dependency, DependencyUpdate } from '../core/types.js';
import { DEFAULT_PLATFORM } from '../datasources/docker/client.js';
import { isIndexMediaType, type Manifest } from '../datasources/docker/manifest.js';
import type { ImageName, Platform, ResolvedDigest } from '../datasources/docker/types.js';
import { docker } from '../versioning/docker/index.js';
import { isIgnored, type DependencyPolicy } from './policy.js';

export interface RegistryLookups {
  getTags(image: ImageName): Promise<string[]>;
  getDigest(image: ImageName, reference: string): Promise<ResolvedDigest>;
  getManifest(image: ImageName, digest: string): Promise<Manifest>;
  getPlatformDigest(image: ImageName, indexDigest: string, platform: Platform): Promise<string | null>;
  getCreated(image: ImageName, digest: string, platform?: Platform): Promise<string | null>;
  getPlatform(image: ImageName, manifestDigest: string): Promise<Platform | null>;
}

export type Update = DependencyUpdate;

export interface DependencyPlan {
  updates: Update[];
  /** The pinned digest is no longer what its tag points at (DH301). */
  staleDigest?: boolean;
  /** Why the dependency could not be looked up (unauthorized, not found, rate limited…). */
  error?: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export async function planDependency(
  dep: Dependency,
  policy: DependencyPolicy,
  lookups: RegistryLookups,
  now = Date.now(),
): Promise<DependencyPlan> {
  if (dep.skipReason || !dep.registry || !dep.repository || !policy.enabled) return { updates: [] };
  const image: ImageName = { registry: dep.registry, repository: dep.repository };
  const wants = (type: UpdateType, version: string | null) =>
    policy.updateTypes.includes(type) && !isIgnored(policy, type, version);
  try {
    const pinned = dep.digest ? await pinnedShape(lookups, image, dep) : undefined;
    const plan: DependencyPlan = { updates: [] };
    for (const proposal of await versionProposals(dep, policy, lookups, image)) {
      if (!wants(proposal.type, proposal.tag)) continue;
      const newDigest =
        dep.digest || policy.pinDigests ? await digestLike(lookups, image, proposal.tag, pinned) : null;
      const update: Update = { type: proposal.type, newValue: proposal.tag, newDigest };
      if (policy.minimumReleaseAgeDays > 0) {
        const created = await lookups.getCreated(
          image,
          newDigest ?? (await lookups.getDigest(image, proposal.tag)).digest,
        );
        if (created && now - Date.parse(created) < policy.minimumReleaseAgeDays * DAY_MS) continue;
        if (created) update.releaseTimestamp = created;
      }
      plan.updates.push(update);
    }
    const reference = dep.tag ?? 'latest';
    if (dep.digest) {
      const current = await digestLike(lookups, image, reference, pinned);
      if (current !== dep.digest) {
        plan.staleDigest = true;
        if (wants('digest', dep.tag))
          plan.updates.push({ type: 'digest', newValue: null, newDigest: current });
      }
    } else if (policy.pinDigests) {
      // A tag-only reference gets the digest its tag means today: a `pin`, or for `latest`, which
      // drifts, a `replace`. Where digests are not pinned (pinDigests), tags stay as they are.
      const type = reference === 'latest' ? 'replace' : 'pin';
      if (wants(type, dep.tag)) {
        const { digest } = await lookups.getDigest(image, reference);
        plan.updates.push({ type, newValue: null, newDigest: digest });
      }
    }
    return plan;
  } catch (error) {
    return { updates: [], error: error instanceof Error ? error.message : String(error) };
  }
}

interface Proposal {
  type: 'major' | 'minor' | 'patch';
  tag: string;
}

/** The highest major, and the highest minor-or-patch (one pull request each, as Renovate does). */
async function versionProposals(
  dep: Dependency,
  policy: DependencyPolicy,
  lookups: RegistryLookups,
  image: ImageName,
): Promise<Proposal[]> {
  const tag = dep.tag;
  if (!tag || !docker.isVersion(tag)) return [];
  if (!policy.updateTypes.some((t) => t === 'major' || t === 'minor' || t === 'patch')) return [];
  const allowed = policy.allowedVersions;
  const tags = (await lookups.getTags(image)).filter(
    (t) =>
      (!allowed || allowed.test(t)) &&
      !policy.ignored.some((i) => i.updateTypes === null && i.versions?.test(t)),
  );
  const best = docker.selectUpdates(tag, tags, {
    depName: dep.depName,
    allowNonLts: !policy.ltsOnly,
    moveSuffix: policy.moveSuffix,
  });
  const proposals: Proposal[] = [];
  if (best.major) proposals.push({ type: 'major', tag: best.major });
  if (best.major && !policy.separateMajor) return proposals;
  if (best.minor) proposals.push({ type: 'minor', tag: best.minor });
  else if (best.patch) proposals.push({ type: 'patch', tag: best.patch });
  else if (best.suffix) proposals.push({ type: 'minor', tag: best.suffix });
  return proposals;
}

/** What a pinned digest is: an index, or one platform's manifest (and which platform). */
type PinnedShape = { kind: 'index' } | { kind: 'manifest'; platform: Platform | null };

/**
 * Learns the pin's shape with as little as possible: the tag's HEAD (needed anyway) settles it when the
 * pin is current; otherwise a HEAD by digest (cached forever) says index or manifest, and only a
 * single-platform pin of a moved tag costs GETs (the new index, or the old manifest's config). Manifest
 * GETs count as pulls on Docker Hub: none happen while nothing changed.
 */
async function pinnedShape(
  lookups: RegistryLookups,
  image: ImageName,
  dep: Dependency,
): Promise<PinnedShape> {
  const pin = dep.digest!;
  const current = await lookups.getDigest(image, dep.tag ?? 'latest');
  if (current.digest === pin) {
    return isIndexMediaType(current.mediaType) ? { kind: 'index' } : { kind: 'manifest', platform: null };
  }
  if (isIndexMediaType((await lookups.getDigest(image, pin)).mediaType)) return { kind: 'index' };
  const index = isIndexMediaType(current.mediaType)
    ? await lookups.getManifest(image, current.digest)
    : undefined;
  const entry = index?.kind === 'index' ? index.manifests.find((m) => m.digest === pin) : undefined;
  // Not listed any more (the image was rebuilt): the old manifest's config says which platform it was,
  // else the Dockerfile's --platform, else linux/amd64. Never switch to the index.
  const platform =
    entry?.platform ?? (await lookups.getPlatform(image, pin)) ?? platformOf(dep) ?? DEFAULT_PLATFORM;
  return { kind: 'manifest', platform };
}

/** `--platform=linux/arm64/v8` as written in the Dockerfile, when the pin's index no longer lists it. */
function platformOf(dep: Dependency): Platform | null {
  const [os, architecture, variant] = (dep.platform ?? '').split('/');
  if (!os || !architecture || os.includes('$') || architecture.includes('$')) return null;
  return { os, architecture, ...(variant ? { variant } : {}) };
}

/** The digest `reference` resolves to, in the same shape as the pin: index stays index, platform stays platform. */
async function digestLike(
  lookups: RegistryLookups,
  image: ImageName,
  reference: string,
  pinned: PinnedShape | undefined,
): Promise<string> {
  const resolved = await lookups.getDigest(image, reference);
  if (!pinned || pinned.kind === 'index' || !pinned.platform) return resolved.digest;
  const platformDigest = await lookups.getPlatformDigest(image, resolved.digest, pinned.platform);
  return platformDigest ?? resolved.digest;
}
