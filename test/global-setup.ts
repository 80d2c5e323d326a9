import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { CORPUS_DEPS_SET, CORPUS_SET, notice } from './support/corpus.js';

// Tests that run the real `dockhand` process need dist/ to match src/: build once per run.
export default function setup(): void {
  const root = fileURLToPath(new URL('..', import.meta.url));
  execFileSync(process.execPath, [`${root}/node_modules/typescript/bin/tsc`, '-p', 'tsconfig.build.json'], {
    cwd: root,
    stdio: 'inherit',
  });
  // One line per real-world corpus saying whether its tests run (test/support/corpus.ts).
  console.log(`\n${notice(CORPUS_SET)}\n${notice(CORPUS_DEPS_SET)}\n`);
}
