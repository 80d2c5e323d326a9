// Which npm regenerates lockfiles: the one installed with the Node running Dockhand, run by that Node
// (process.execPath), never whatever `npm` comes first on a PATH.
//
// - Official Node layouts (nodejs.org tarballs, the node:* images) keep npm at
//   <prefix>/lib/node_modules/npm beside <prefix>/bin/node.
// - Debian-style installs have <bin>/npm as a symlink to that npm-cli.js.
// - The `node` npm package (this repository's devDependency, which `npm test` puts first on PATH)
//   ships the binary only, and distroless images ship no npm at all; the system npm under
//   /usr/local/lib or /usr/lib is the fallback, still run by Dockhand's Node.
import { existsSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';

const FALLBACKS = [
  '/usr/local/lib/node_modules/npm/bin/npm-cli.js',
  '/usr/lib/node_modules/npm/bin/npm-cli.js',
];

/** npm-cli.js for the given node binary, or undefined when none is installed. */
export function findNpmCli(execPath: string = process.execPath): string | undefined {
  const bin = dirname(execPath);
  const candidates = [join(bin, '../lib/node_modules/npm/bin/npm-cli.js'), join(bin, 'npm'), ...FALLBACKS];
  for (const candidate of candidates) {
    if (!existsSync(candidate)) continue;
    const real = realpathSync(candidate);
    if (real.endsWith('npm-cli.js')) return real;
  }
  return undefined;
}
