import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { CORPUS_SET, notice } from './support/corpus.js';

// Tests that run the real `dockhand` process need dist/ to match src/: build once per run.
export default function setup(): void {
  const root = fileURLToPath(new URL('..', import.meta.url));
  execFileSync(process.execPath, [`${root}/node_modules/typescript/bin/tsc`, '-p', 'tsconfig.build.json'], {
    cwd: root,
    stdio: 'inherit',
  });
  // The one line saying whether the real-world corpus tests run (test/support/corpus.ts).
  console.log(`\n${notice(CORPUS_SET)}\n`);
}
