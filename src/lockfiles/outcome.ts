// What a package manager's failed run is reported as: the limit it hit, or how it exited with the end of
// what it said — without the sandbox's path or anything shaped like a credential.
import type { RunOutcome } from './sandbox.js';

const REASON_TAIL = 1500;

type ExitOutcome = Extract<RunOutcome, { kind: 'exit' }>;

export interface DescribeOptions {
  /** `npm`, `poetry`… */
  tool: string;
  /** What failed: `npm install --package-lock-only`. */
  command: string;
  limits: { timeoutMs: number; maxOutputBytes: number };
  sandbox: string;
  /** What the tool said when it exited (default: stderr, or stdout when stderr is empty). */
  output?: (outcome: ExitOutcome) => string;
  /** The tool's own account of an exit, when it gives a better one than its output's tail. */
  explain?: (outcome: ExitOutcome, how: string) => string | undefined;
}

export function describeOutcome(outcome: RunOutcome, options: DescribeOptions): string {
  const { tool, limits, sandbox } = options;
  switch (outcome.kind) {
    case 'timeout':
      return withTail(
        `${tool} did not finish within the time limit (${limits.timeoutMs} ms) and was stopped`,
        outcome.stderr,
        sandbox,
      );
    case 'output-limit':
      return withTail(
        `${tool} wrote more than ${limits.maxOutputBytes} bytes of output and was stopped`,
        outcome.stderr,
        sandbox,
      );
    case 'spawn-error':
      return `${tool} could not be started: ${safeTail(outcome.message, sandbox)}`;
    case 'exit': {
      const how = outcome.code !== null ? `exit code ${outcome.code}` : `signal ${outcome.signal}`;
      const explained = options.explain?.(outcome, how);
      if (explained !== undefined) return explained;
      const output = options.output ? options.output(outcome) : outcome.stderr || outcome.stdout;
      return withTail(`${options.command} failed (${how})`, output, sandbox);
    }
  }
}

export function withTail(head: string, output: string, sandbox: string): string {
  const tail = safeTail(output, sandbox);
  return tail ? `${head}:\n${tail}` : head;
}

/** The end of a tool's output, without the sandbox's path or anything shaped like a credential. */
export function safeTail(text: string, sandbox: string): string {
  const cleaned = text
    .split(sandbox)
    .join('<sandbox>')
    .replace(/(_authToken|_auth|_password|token|password)(\s*[=:]\s*)\S+/gi, '$1$2<redacted>')
    .replace(/(authorization:\s*)\S+(\s+\S+)?/gi, '$1<redacted>')
    .replace(/\/\/[^/\s:@]+:[^/\s@]+@/g, '//<redacted>@')
    .split('\n')
    // Lines about npm's own log files: they are in the sandbox, which is gone by now.
    .filter(
      (line) =>
        !/complete log of this run|Log files were not written|eresolve-report\.txt|^npm (error|ERR!)\s*$/.test(
          line,
        ),
    )
    .join('\n')
    .trim();
  return cleaned.length > REASON_TAIL ? `…${cleaned.slice(-REASON_TAIL)}` : cleaned;
}
