// What the benchmark leaves behind (servers it spawned, temp dirs) goes away however the process ends:
// normal exit, a thrown error, or SIGINT/SIGTERM (which skip 'exit' handlers unless caught).
import { rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { clearTimeout, setTimeout } from 'node:timers';

const children = new Set();
const dirs = new Set();

process.once('exit', () => {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
  ['SIGHUP', 129],
]) {
  process.once(signal, () => process.exit(code));
}

/** Kills `child` at exit if it is still running; returns a function that stops it now. */
export function ownChild(child) {
  children.add(child);
  return () =>
    new Promise((resolve) => {
      children.delete(child);
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const force = setTimeout(() => child.kill('SIGKILL'), 3000);
      child.once('exit', () => {
        clearTimeout(force);
        resolve();
      });
      child.kill('SIGTERM');
    });
}

/** Removes `dir` at exit; returns a function that removes it now. */
export function ownDir(dir) {
  dirs.add(dir);
  return () => {
    dirs.delete(dir);
    rmSync(dir, { recursive: true, force: true });
  };
}

/** Port 0 on loopback, as the OS hands it out (callers retry if it is taken before they bind it). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Polls `probe` every 20 ms until it returns true, `gone()` is true, or `ms` pass. */
export async function waitFor(probe, gone, ms, what) {
  const deadline = Date.now() + ms;
  while (!gone()) {
    if (await probe()) return;
    if (Date.now() > deadline) throw new Error(`${what} did not answer within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`${what} exited before answering`);
}
