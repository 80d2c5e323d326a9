import { finalUser } from './support/users.js';
import type { Rule, RuleFinding } from './types.js';

const PORT = /^(\d+)(?:\/(?:tcp|udp|sctp))?$/i;

export const rule: Rule = {
  id: 'DH203',
  slug: 'privileged-or-ssh-port',
  severity: 'warning',
  enabledByDefault: true,
  title: 'Do not expose SSH, privileged ports in non-root images, or invalid ports',
  docs: `\`EXPOSE 22\` usually means an SSH daemon in the container, which is extra attack surface and a second
way in that bypasses \`docker exec\`/\`kubectl exec\` auditing. Whether a non-root process may bind a port
below 1024 depends on the runtime's \`net.ipv4.ip_unprivileged_port_start\` setting (Docker lowers it, many
Kubernetes and Podman setups do not), so exposing one in a non-root image documents a port the app may not be able
to listen on. Ports above 65535 are simply invalid.

Only EXPOSE instructions of the final image (the final stage and the stages it is built on) are checked.
Protocol suffixes (\`443/tcp\`) are understood; port ranges (\`8000-8010\`) and variables (\`$PORT\`) are
not judged. The privileged-port check only applies when the final user is known to be non-root.

Bad:

\`\`\`dockerfile
USER 10001
EXPOSE 22 80
\`\`\`

Good:

\`\`\`dockerfile
USER 10001
EXPOSE 8080
\`\`\`

To keep a port on purpose: \`# dockhand ignore=DH203 -- bastion image\`.`,
  equivalents: ['CKV_DOCKER_1', 'DS-0004', 'DL3011'],
  check(dockerfile) {
    const final = finalUser(dockerfile);
    if (!final) return [];
    const nonRoot = final.kind === 'non-root';
    const findings: RuleFinding[] = [];
    for (const stage of final.chain) {
      for (const instruction of stage.instructions) {
        if (instruction.keyword !== 'EXPOSE') continue;
        for (const word of instruction.words) {
          const match = PORT.exec(word.text.replace(/^["']|["']$/g, ''));
          if (!match) continue;
          const port = Number(match[1]);
          let message: string | undefined;
          if (port > 65535) message = `Port ${word.text} is outside 0–65535; fix the port number.`;
          else if (port === 22)
            message = `EXPOSE ${word.text} publishes SSH; use \`docker exec\`/\`kubectl exec\` instead of an SSH server in the container.`;
          else if (nonRoot && port < 1024)
            message = `Port ${word.text} is privileged but the image runs as a non-root user; listen on a port ≥ 1024 (e.g. ${port === 80 ? 8080 : port === 443 ? 8443 : port + 8000}).`;
          if (message) findings.push({ line: instruction.line, message });
        }
      }
    }
    return findings;
  },
};
