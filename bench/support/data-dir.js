// The tree a benchmark reads: a directory given on the command line (when the benchmark script runs on
// its own: `node bench/scan.js DIR`) or in an environment variable (the benchmark's own, then
// DOCKHAND_CORPUS, the documented location of the real-world corpus); otherwise the project's fixture tree,
// test/fixtures. That one is small, so its figures only show the benchmark works: say so.
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

/**
 * `{ dir, given }` for the benchmark `name` whose script is `scriptUrl` and whose variable is `variable`.
 * `corpus` names the data set's own variable and, optionally, its default beside the repository (as
 * test/support/corpus.ts documents it), and `fixtures` the part of test/fixtures to fall back on.
 */
export function benchDir(
  name,
  scriptUrl,
  variable,
  { corpus = 'DOCKHAND_CORPUS', beside, fixtures = 'test/fixtures' } = {},
) {
  const own = process.argv[1] && pathToFileURL(resolve(process.argv[1])).href === scriptUrl;
  const given = (own ? process.argv[2] : undefined) || process.env[variable] || process.env[corpus];
  if (given) {
    const dir = resolve(given);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) {
      console.error(`bench/${name}: ${dir} is not a directory`);
      process.exit(2);
    }
    return { dir, given: true };
  }
  const besideDir = beside && resolve(root, beside);
  if (besideDir && existsSync(besideDir) && statSync(besideDir).isDirectory())
    return { dir: besideDir, given: true };
  const dir = resolve(root, fixtures);
  console.log(
    `bench/${name}: no directory given (argument, ${variable} or ${corpus}): using the project's ` +
      `fixture tree ${dir}, which is small; give the real-world corpus for meaningful figures`,
  );
  return { dir, given: false };
}
