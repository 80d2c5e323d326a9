// Runs the CLI's main() in-process with its output captured, as the CLI tests do.
import { main } from '../../src/cli.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCli(
  argv: string[],
  options: { cwd: string; env?: Record<string, string>; isTTY?: boolean },
): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    cwd: options.cwd,
    isTTY: options.isTTY ?? false,
    env: options.env ?? {},
  });
  return { code, stdout, stderr };
}
