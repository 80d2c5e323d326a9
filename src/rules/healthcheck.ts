import type { Instruction } from '../dockerfile/types.js';
import { inheritedInstructions } from './support/stages.js';
import type { Rule } from './types.js';

/** Programs that, run without arguments, give an interactive prompt rather than a service. */
const PROMPT_PROGRAM =
  /(^|\/)((ba|da|a|z|k)?sh|busybox|python[\d.]*|node|irb|iex|erl|ghci|jshell|pwsh|powershell)(\.exe)?$/i;
/** Entrypoint wrapper scripts that run the CMD (`docker-entrypoint.sh`, `/entrypoint.sh`, tini…). */
const WRAPPER = /entrypoint|(^|\/)(tini|dumb-init|gosu|su-exec)$/i;

function wordsOf(instruction: Instruction | undefined): string[] {
  if (!instruction) return [];
  return instruction.json ?? instruction.words.map((w) => w.text);
}

/** The command the container starts with (ENTRYPOINT + CMD, wrappers skipped); [] when none is known. */
function startCommand(entry: Instruction | undefined, cmd: Instruction | undefined): string[] {
  // A shell-form ENTRYPOINT ignores CMD.
  const words = entry && !entry.json ? wordsOf(entry) : [...wordsOf(entry), ...wordsOf(cmd)];
  let i = 0;
  while (i < words.length && (WRAPPER.test(words[i]!) || words[i] === '--')) i++;
  return words.slice(i);
}

export const rule: Rule = {
  id: 'DH802',
  slug: 'healthcheck',
  severity: 'info',
  enabledByDefault: false,
  title: 'Declare a HEALTHCHECK for service images',
  docs: `Without a HEALTHCHECK, Docker, Compose and Swarm only know whether the container's process is running, not whether it answers. A web server stuck in a deadlock stays "Up", \`depends_on: condition: service_healthy\` cannot wait for it, and Swarm does not replace it. A HEALTHCHECK runs a small command inside the container at an interval and marks it unhealthy when the command keeps failing. (Kubernetes ignores HEALTHCHECK and uses its own probes, which is one reason this rule is off by default: switch it on with a severity in the config.)

The rule looks at the final image — the final stage and the stages it is built on — and reports it when it looks like a service: it EXPOSEs a port, or it starts a command (ENTRYPOINT and CMD, with wrappers such as \`docker-entrypoint.sh\` or tini skipped) that is not just a shell or an interpreter prompt (\`bash\`, \`python3\`, \`node\` without arguments). Images without any of these (base images, build images, data images) are not reported. \`HEALTHCHECK NONE\` is an explicit decision and counts as a healthcheck. A HEALTHCHECK set by the external base image cannot be seen and is not taken into account.

Bad:

\`\`\`dockerfile
FROM nginx:1.27-alpine
EXPOSE 80
\`\`\`

Good:

\`\`\`dockerfile
FROM nginx:1.27-alpine
EXPOSE 80
HEALTHCHECK --interval=30s --timeout=3s CMD wget -q --spider http://localhost/ || exit 1
\`\`\`

If the base image already declares one, or the platform probes the container itself: \`# dockhand ignore=DH802 -- Kubernetes probes\` above the final FROM.`,
  equivalents: ['CKV_DOCKER_2', 'DS-0026', 'DL3057'],
  check(dockerfile) {
    const final = dockerfile.stages.at(-1);
    if (!final) return [];
    const instructions = inheritedInstructions(dockerfile, final.index);
    let exposes = false;
    let entry: Instruction | undefined;
    let cmd: Instruction | undefined;
    for (const instruction of instructions) {
      switch (instruction.keyword) {
        case 'HEALTHCHECK':
          return [];
        case 'EXPOSE':
          exposes = true;
          break;
        case 'ENTRYPOINT':
          entry = instruction;
          break;
        case 'CMD':
          cmd = instruction;
          break;
      }
    }
    const command = startCommand(entry, cmd);
    const prompt = command.length === 1 && PROMPT_PROGRAM.test(command[0]!);
    const runsService = command.length > 0 && !prompt;
    if (!exposes && !runsService) return [];
    const what = exposes ? 'exposes a port' : `runs ${command[0]}`;
    return [
      {
        line: final.from.line,
        message: `The final image ${what} but has no HEALTHCHECK; add one (e.g. HEALTHCHECK CMD curl -f http://localhost:<port>/ || exit 1) or HEALTHCHECK NONE to opt out explicitly.`,
      },
    ];
  },
};
