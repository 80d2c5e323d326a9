// Credentials the CLI user saved with `docker login`: the `auths` of `$DOCKER_CONFIG/config.json` (or
// `~/.docker/config.json`), as Docker reads them. Credential helpers (`credsStore`, `credHelpers`) are
// not run: Dockhand executes no program to get a secret. A file that cannot be read gives no credentials
// and one warning, never a failed run.
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { normalHost } from '../datasources/docker/hosts.js';
import type { RegistryHostConfig } from '../datasources/docker/types.js';

type Env = Readonly<Record<string, string | undefined>>;

export function dockerConfigPath(env: Env): string {
  return join(env.DOCKER_CONFIG || join(env.HOME || homedir(), '.docker'), 'config.json');
}

export async function readDockerCredentials(
  env: Env,
  warn: (message: string) => void,
): Promise<RegistryHostConfig[]> {
  const path = dockerConfigPath(env);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') warn(`${path}: cannot read (${code ?? 'error'}); no credentials from it`);
    return [];
  }
  const parsed = dockerCredentials(text);
  if (parsed === null) warn(`${path}: not a Docker config file; no credentials from it`);
  return parsed ?? [];
}

/** The `auths` entries with a user name and password; null when the text is not a Docker config. */
export function dockerCredentials(text: string): RegistryHostConfig[] | null {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return null;
  const auths = (doc as { auths?: unknown }).auths;
  if (typeof auths !== 'object' || auths === null) return [];
  const out: RegistryHostConfig[] = [];
  for (const [key, value] of Object.entries(auths as Record<string, unknown>)) {
    const credentials = credentialsOf(value);
    const host = hostOf(key);
    if (credentials && host) out.push({ host, credentials });
  }
  return out;
}

function credentialsOf(value: unknown): { username: string; password: string } | null {
  if (typeof value !== 'object' || value === null) return null;
  const { auth, username, password } = value as Record<string, unknown>;
  if (typeof auth === 'string' && auth) {
    const decoded = Buffer.from(auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
  }
  if (typeof username === 'string' && typeof password === 'string' && password) return { username, password };
  return null;
}

/** `https://index.docker.io/v1/` → `docker.io`; `ghcr.io`, `registry:5000` stay as they are. */
function hostOf(key: string): string | null {
  const host = key.replace(/^[a-z]+:\/\//i, '').replace(/\/.*$/, '');
  return host ? normalHost(host) : null;
}
