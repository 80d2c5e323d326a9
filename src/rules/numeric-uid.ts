import { finalUser } from './support/users.js';
import type { Rule } from './types.js';

export const rule: Rule = {
  id: 'DH202',
  slug: 'numeric-uid',
  severity: 'info',
  enabledByDefault: true,
  title: 'Set the final USER as a numeric uid',
  docs: `Kubernetes' \`runAsNonRoot: true\` can only verify a numeric user: with \`USER app\` the kubelet cannot
tell whether \`app\` is uid 0 and refuses to start the pod. A numeric uid (and gid) also does not depend on
\`/etc/passwd\` existing in the image. The rule looks at the USER in force at the end of the final stage
(following \`FROM <stage>\` chains); root users are left to DH201, users given by a variable are not judged,
and neither are Windows images (\`ContainerUser\` has no uid; Kubernetes uses \`runAsUserName\` there).

Bad:

\`\`\`dockerfile
RUN useradd --uid 10001 app
USER app
\`\`\`

Good:

\`\`\`dockerfile
RUN useradd --uid 10001 app
USER 10001:10001
\`\`\`

To keep a name on purpose: \`# dockhand ignore=DH202 -- not run on Kubernetes\`.`,
  equivalents: ['DL3066'],
  check(dockerfile) {
    const final = finalUser(dockerfile);
    if (!final?.user || final.kind !== 'non-root') return [];
    const { user, instruction } = final.user;
    const name = user.split(':')[0]!;
    // Windows users (ContainerUser) have no uid; Kubernetes uses runAsUserName there.
    if (/^\d+$/.test(name) || name.toLowerCase() === 'containeruser' || dockerfile.directives.escape === '`')
      return [];
    return [
      {
        line: instruction.line,
        message: `The final USER \`${user}\` is a name; use its numeric uid (e.g. \`USER 10001:10001\`) so runAsNonRoot can verify it.`,
      },
    ];
  },
};
