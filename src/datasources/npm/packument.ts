// Reads a packument (abbreviated or full) into releases. Registries are not trusted to be well formed:
// fields of the wrong type are ignored, and only a document without a `versions` object is an error.
import type { Release, ReleaseResult } from '../types.js';
import { repositoryUrl, webUrl } from './source-url.js';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The releases of `doc`, or a sentence saying why it is not a packument. */
export function readPackument(doc: unknown): ReleaseResult | { error: string } {
  if (!isObject(doc) || !isObject(doc.versions)) return { error: 'not a packument (no versions object)' };
  const time = isObject(doc.time) ? doc.time : {};
  const releases: Release[] = [];
  for (const [version, manifest] of Object.entries(doc.versions)) {
    if (!isObject(manifest) || version === '') continue;
    releases.push(release(version, manifest, time[version]));
  }
  const result: ReleaseResult = { releases };
  const tags = isObject(doc['dist-tags']) ? doc['dist-tags'] : {};
  const latest = typeof tags.latest === 'string' ? tags.latest : undefined;
  if (latest !== undefined && Object.hasOwn(doc.versions, latest)) result.latest = latest;
  // The full packument repeats the latest manifest's links at the top; older registries only inside it.
  const latestManifest = latest !== undefined && isObject(doc.versions[latest]) ? doc.versions[latest] : {};
  const homepage = webUrl(doc.homepage, true) ?? webUrl(latestManifest.homepage, true);
  const sourceUrl = repositoryUrl(doc.repository) ?? repositoryUrl(latestManifest.repository);
  if (homepage) result.homepage = homepage;
  if (sourceUrl) result.sourceUrl = sourceUrl;
  return result;
}

function release(version: string, manifest: Json, published: unknown): Release {
  const out: Release = { version };
  // npm writes `deprecated: ""` to lift a deprecation.
  if ((typeof manifest.deprecated === 'string' && manifest.deprecated !== '') || manifest.deprecated === true)
    out.isDeprecated = true;
  const node = isObject(manifest.engines) ? manifest.engines.node : undefined;
  if (typeof node === 'string' && node.trim() !== '') out.constraints = { node: node.trim() };
  const timestamp = typeof published === 'string' ? Date.parse(published) : NaN;
  if (Number.isFinite(timestamp)) out.releaseTimestamp = new Date(timestamp).toISOString();
  return out;
}
