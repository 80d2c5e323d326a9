import { finalUser } from './support/users.js';
import type { Rule } from './types.js';

export const rule: Rule = {
  id: 'DH201',
  slug: 'final-stage-root',
  severity: 'error',
  enabledByDefault: true,
  title: 'Run the final stage as a non-root user',
  docs: `A container whose process runs as root turns any application bug into root inside the container,
and one kernel or runtime flaw away from root on the node. Most base images (debian, ubuntu, alpine,
node, python…) default to root, so the final stage should switch to an unprivileged account with
\`USER\`. The rule looks at the last \`USER\` of the final stage, following \`FROM <stage>\` chains (a USER set in
a stage the final stage is built on counts). Base images documented to default to a non-root user count as
non-root: distroless \`:nonroot\`/\`:debug-nonroot\` tags, Chainguard images (not their \`-dev\` variants),
.NET chiseled images, \`nginxinc/nginx-unprivileged\`, Red Hat UBI language images and Windows Nano Server.
A USER given by a variable, or a base given by an ARG without default, is not judged.

Bad:

\`\`\`dockerfile
FROM node:22-slim
COPY . /app
USER root
CMD ["node", "/app/server.js"]
\`\`\`

Good:

\`\`\`dockerfile
FROM node:22-slim
COPY --chown=node:node . /app
USER node
CMD ["node", "/app/server.js"]
\`\`\`

If the image really must start as root (for example an entrypoint that drops privileges with \`gosu\`),
say so: \`# dockhand ignore=DH201 -- entrypoint drops to app user\`.`,
  equivalents: ['DL3002', 'DS-0002', 'CKV_DOCKER_3/8', 'Scout Default Non-Root User'],
  check(dockerfile) {
    const final = finalUser(dockerfile);
    if (!final || final.kind !== 'root') return [];
    if (final.user) {
      const { instruction, user } = final.user;
      return [
        {
          line: instruction.line,
          message: `The final image runs as root (\`USER ${user}\`); switch to an unprivileged user, e.g. \`USER 10001\`.`,
        },
      ];
    }
    const from = final.stage.from;
    const base = final.base
      ? `its base \`${final.base.expansion.value}\` is not known to default to a non-root user`
      : 'it starts from scratch, as root';
    return [
      {
        line: from.line,
        message: `The final stage sets no USER and ${base}; add \`USER <non-root user>\` at the end of the stage.`,
      },
    ];
  },
};
