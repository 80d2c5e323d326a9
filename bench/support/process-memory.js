// Memory of a running process from /proc/<pid>/status (Linux): resident set now (VmRSS) and its peak
// (VmHWM), which `resetPeak` sets back to the current size so that each phase gets its own peak.
import { readFileSync, writeFileSync } from 'node:fs';

const field = (status, name) => {
  const match = new RegExp(`^${name}:\\s+(\\d+) kB$`, 'm').exec(status);
  return match ? Number(match[1]) / 1024 : undefined;
};

/** `{ rss, peak }` in MiB, or undefined once the process is gone (or without /proc). */
export function memoryOf(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rss = field(status, 'VmRSS');
    const peak = field(status, 'VmHWM');
    return rss === undefined || peak === undefined ? undefined : { rss, peak };
  } catch {
    return undefined;
  }
}

/** Starts a new peak (`5` to clear_refs resets VmHWM); false where the kernel does not allow it. */
export function resetPeak(pid) {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}
