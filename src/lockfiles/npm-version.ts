// Which npm regenerates a lockfile (issue 10 §5): the repository's `packageManager` pin where it names
// npm (`"packageManager": "npm@10.9.2"`, a `+sha512.…` suffix allowed), else the npm Dockhand ships.
//
// A pinned version other than the shipped one is fetched from the registry the sandbox uses, with
// Dockhand's own HTTP client (src/http/request.ts: timeout, no redirects, 20 MiB cap): the version's
// manifest (`<registry>npm/<version>`), then its tarball, whose bytes must match the manifest's sha512
// `dist.integrity`. It is extracted (npm-version-tar.ts: regular files only, no links, no `..`) into
// os.tmpdir()/dockhand-npm-versions/<version>, made complete in a temp directory and renamed into place,
// so concurrent runs never see half an npm. Its bin/npm-cli.js then runs with Dockhand's Node.
//
// When the pinned npm cannot be used (not on the registry, an integrity mismatch, an `engines.node` the
// running Node does not satisfy) the shipped npm runs and the note says why. The pin's own hash suffix is
// not checked: Corepack's hash is of the tarball npm's registry serves, which the integrity check covers.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { lstat, mkdir, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import semver from 'semver';
import { Agent, type Dispatcher } from 'undici';
import { httpRequest } from '../http/request.js';
import { extractEntries, readTarGz } from './npm-version-tar.js';

export interface NpmVersionOptions {
  /** The registry the sandbox uses. Default https://registry.npmjs.org/. */
  registry?: string;
  /** Default os.tmpdir()/dockhand-npm-versions. */
  cacheRoot?: string;
  /** Connections for the fetches. Default: a plain undici Agent (npm in the sandbox reaches the same host). */
  dispatcher?: Dispatcher;
  /** Per request. Default 60 000. */
  timeoutMs?: number;
  /** The Node version the npm must support. Default process.version. */
  nodeVersion?: string;
}

export const MAX_NPM_TARBALL_BYTES = 20 * 1024 * 1024;
const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
const DEFAULT_REGISTRY = 'https://registry.npmjs.org/';

/** The npm version a manifest's `packageManager` pins, or undefined when it names none (or not npm). */
export function pinnedNpmVersion(manifest: string): string | undefined {
  let field: unknown;
  try {
    field = (JSON.parse(manifest) as { packageManager?: unknown }).packageManager;
  } catch {
    return undefined;
  }
  if (typeof field !== 'string') return undefined;
  const match = /^npm@(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)(?:\+[0-9A-Za-z.=/+-]+)?$/.exec(field.trim());
  return match?.[1];
}

/** The version of the npm whose bin/npm-cli.js this is. */
export function npmCliVersion(npmCli: string): string | undefined {
  try {
    const pkg = JSON.parse(readFileSync(join(dirname(npmCli), '..', 'package.json'), 'utf8')) as {
      version?: unknown;
    };
    return typeof pkg.version === 'string' ? pkg.version : undefined;
  } catch {
    return undefined;
  }
}

export interface ChosenNpm {
  npmCli: string;
  /** Set when the pin could not be honoured: why the shipped npm ran instead. */
  note?: string;
}

/** The npm-cli.js to run for this root manifest: the pinned npm, or the shipped one (with a note why). */
export async function chooseNpmCli(
  manifest: string,
  shipped: string,
  options: NpmVersionOptions = {},
): Promise<ChosenNpm> {
  const pinned = pinnedNpmVersion(manifest);
  if (!pinned) return { npmCli: shipped };
  const shippedVersion = npmCliVersion(shipped);
  if (pinned === shippedVersion) return { npmCli: shipped };
  try {
    return { npmCli: await pinnedNpmCli(pinned, options) };
  } catch (error) {
    return {
      npmCli: shipped,
      note: `packageManager pins npm@${pinned}, which could not be used (${(error as Error).message}); the lockfile was regenerated with npm ${shippedVersion ?? '(the shipped version)'}`,
    };
  }
}

/** bin/npm-cli.js of npm `version`, from the cache or fetched into it. Throws with a short reason. */
export async function pinnedNpmCli(version: string, options: NpmVersionOptions = {}): Promise<string> {
  const root = options.cacheRoot ?? join(tmpdir(), 'dockhand-npm-versions');
  const dir = join(root, version);
  const cli = join(dir, 'bin', 'npm-cli.js');
  const nodeVersion = options.nodeVersion ?? process.version;
  await ownCacheRoot(root);
  if (existsSync(cli)) {
    checkEngines(readEngines(join(dir, 'package.json')), nodeVersion, version);
    return cli;
  }
  const registry = options.registry ?? DEFAULT_REGISTRY;
  const base = new URL(registry.endsWith('/') ? registry : `${registry}/`);
  const ownDispatcher = options.dispatcher ? undefined : new Agent();
  const dispatcher = options.dispatcher ?? ownDispatcher!;
  const timeoutMs = options.timeoutMs ?? 60_000;
  try {
    const manifestUrl = new URL(`npm/${encodeURIComponent(version)}`, base);
    const res = await httpRequest({
      method: 'GET',
      url: manifestUrl,
      headers: { accept: 'application/json' },
      timeoutMs,
      maxBodyBytes: MAX_MANIFEST_BYTES,
      dispatcher,
    });
    if (res.status === 404) throw new Error(`npm@${version} is not on ${base.origin}${base.pathname}`);
    if (res.status !== 200) throw new Error(`the registry answered ${res.status} for npm@${version}`);
    const meta = JSON.parse(res.body.toString('utf8')) as {
      version?: unknown;
      engines?: { node?: unknown };
      dist?: { integrity?: unknown; tarball?: unknown };
    };
    if (meta.version !== version) throw new Error(`the registry's npm@${version} names another version`);
    checkEngines(meta.engines?.node, nodeVersion, version);
    const expected = sha512Of(meta.dist?.integrity);
    if (!expected) throw new Error(`npm@${version} has no sha512 integrity on the registry`);
    const tarball = tarballUrl(meta.dist?.tarball, base, version);
    const got = await httpRequest({
      method: 'GET',
      url: tarball,
      headers: { accept: 'application/octet-stream' },
      timeoutMs,
      maxBodyBytes: MAX_NPM_TARBALL_BYTES,
      dispatcher,
    });
    if (got.status !== 200)
      throw new Error(`the registry answered ${got.status} for npm@${version}'s tarball`);
    const actual = createHash('sha512').update(got.body).digest('base64');
    if (actual !== expected) throw new Error(`npm@${version}'s tarball does not match its integrity`);
    const entries = readTarGz(got.body);
    if (!entries.some((entry) => entry.path === 'bin/npm-cli.js' && entry.type === 'file'))
      throw new Error(`npm@${version}'s tarball has no bin/npm-cli.js`);
    const temp = join(root, `.tmp-${version}-${randomBytes(6).toString('hex')}`);
    await mkdir(temp);
    try {
      await extractEntries(entries, temp);
      try {
        await rename(temp, dir);
      } catch (error) {
        // Another run put it there first: use theirs.
        if (!existsSync(cli)) throw error;
      }
    } finally {
      await rm(temp, { recursive: true, force: true });
    }
    return cli;
  } catch (error) {
    const message = (error as Error).message;
    throw new Error(message.length > 300 ? `${message.slice(0, 300)}…` : message, { cause: error });
  } finally {
    await ownDispatcher?.close();
  }
}

/**
 * Creates the cache root (0700) or checks the one there: a directory of this user's that nobody else
 * may write, since what is cached there is run. os.tmpdir() is shared with every local user.
 */
async function ownCacheRoot(root: string): Promise<void> {
  await mkdir(root, { recursive: true, mode: 0o700 });
  const stats = await lstat(root);
  const uid = process.getuid?.();
  if (!stats.isDirectory() || (uid !== undefined && stats.uid !== uid) || stats.mode & 0o022)
    throw new Error(`the npm cache ${root} is not a directory of this user's that only it may write`);
}

function readEngines(packageJson: string): unknown {
  try {
    return (JSON.parse(readFileSync(packageJson, 'utf8')) as { engines?: { node?: unknown } }).engines?.node;
  } catch {
    return undefined;
  }
}

function checkEngines(range: unknown, nodeVersion: string, version: string): void {
  if (typeof range !== 'string') return;
  if (!semver.validRange(range)) return;
  if (!semver.satisfies(nodeVersion, range, { includePrerelease: true }))
    throw new Error(`npm@${version} does not support Node ${nodeVersion} (engines.node ${range})`);
}

/** The base64 sha512 digest of an SRI string (`sha512-…`, possibly among others). */
function sha512Of(integrity: unknown): string | undefined {
  if (typeof integrity !== 'string') return undefined;
  for (const part of integrity.trim().split(/\s+/)) {
    const match = /^sha512-([A-Za-z0-9+/]+={0,2})(\?.*)?$/.exec(part);
    if (match) return match[1];
  }
  return undefined;
}

/** The manifest's tarball URL when it is on the registry's origin, else the registry's usual path. */
function tarballUrl(declared: unknown, base: URL, version: string): URL {
  if (typeof declared === 'string') {
    try {
      const url = new URL(declared);
      if (url.origin === base.origin) return url;
    } catch {
      // fall through
    }
  }
  return new URL(`npm/-/npm-${version}.tgz`, base);
}
