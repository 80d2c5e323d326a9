import { shellCommands, shellsInForce } from '../dockerfile/shell.js';
import { programOf } from './support/packages.js';
import type { Rule, RuleFinding } from './types.js';

/** Words that can go into an exec-form array unchanged (no quotes, variables, operators, globs). */
const PLAIN_WORD = /^[\w@%+=:,./-]+$/;

export const rule: Rule = {
  id: 'DH902',
  slug: 'exec-form-cmd',
  severity: 'warning',
  enabledByDefault: true,
  title: 'Write CMD and ENTRYPOINT in exec (JSON) form',
  docs: `In shell form (\`CMD node server.js\`) Docker runs the command as \`/bin/sh -c "node server.js"\`. The shell becomes PID 1 and does not forward SIGTERM, so \`docker stop\` and Kubernetes wait for the grace period and then kill the process without a clean shutdown. A shell-form ENTRYPOINT also ignores CMD and \`docker run\` arguments. The exec form runs the program directly.

A bracketed command that is not valid JSON (\`CMD ['node', 'server.js']\`, single quotes) is reported too: Docker silently treats it as shell form.

A shell-form command that starts with \`exec\` (\`CMD exec node server.js\`) replaces the shell with the program, as Docker's documentation recommends, and is not reported, and neither is a script whose last command starts with \`exec\` (\`CMD set -e; ./migrate; exec gunicorn app:app\`). Windows images are not judged: their default shell is \`cmd\`, and signal delivery to PID 1 works differently there. When a command needs shell features (variables, \`&&\`), put them in a script that ends with \`exec "$@"\`, or prefix the last command with \`exec\`.

Bad:

\`\`\`dockerfile
CMD node server.js
\`\`\`

Good:

\`\`\`dockerfile
CMD ["node", "server.js"]
\`\`\`

To keep a shell form on purpose: \`# dockhand ignore=DH902 -- short-lived job, no signals needed\`.`,
  equivalents: ['DL3025'],
  check(dockerfile) {
    const findings: RuleFinding[] = [];
    for (const instruction of dockerfile.instructions) {
      if (instruction.keyword !== 'CMD' && instruction.keyword !== 'ENTRYPOINT') continue;
      if (instruction.json || instruction.words.length === 0) continue;
      const first = instruction.words[0]!.text;
      if (first === 'exec') continue;
      const inForce = shellsInForce(dockerfile).get(instruction);
      if (inForce?.posix === false) continue;
      const shell = inForce?.shell[0] ?? '/bin/sh';
      if (first.startsWith('[')) {
        findings.push({
          line: instruction.line,
          endLine: instruction.endLine,
          message: `${instruction.keyword} looks like exec form but is not a valid JSON array, so Docker runs it as a ${shell} command line; use double quotes: ${instruction.keyword} ["program", "arg"].`,
        });
        continue;
      }
      const words = instruction.words.map((w) => w.text);
      const commands = shellCommands(instruction.args);
      if (commands.at(-1)?.words[0] === 'exec') continue;
      const program = (commands.length > 0 ? programOf(commands.at(-1)!)?.program : undefined) ?? first;
      const suggestion =
        commands.length === 1 && words.every((w) => PLAIN_WORD.test(w))
          ? `${instruction.keyword} ${JSON.stringify(words).replaceAll('","', '", "')}`
          : `the exec form ${instruction.keyword} ["program", "arg"], or start the ${commands.length > 1 ? 'last ' : ''}command with exec`;
      findings.push({
        line: instruction.line,
        endLine: instruction.endLine,
        message: `${instruction.keyword} in shell form runs under ${shell}, which does not pass signals to \`${program}\`; use ${suggestion}.`,
      });
    }
    return findings;
  },
};
