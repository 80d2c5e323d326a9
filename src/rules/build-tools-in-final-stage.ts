import type { Instruction } from '../dockerfile/types.js';
import { DEV_CONTAINER } from './support/images-data.js';
import { posixRunCommands } from '../dockerfile/shell.js';
import type { Dockerfile } from '../dockerfile/types.js';
import { installedPackages, isBuildTool } from './support/install-commands.js';
import { isInstall, isOsPackageManager, optionValue, packageChanges, programOf } from './support/packages.js';
import { stageChain } from './support/stages.js';
import type { Rule, RuleFinding } from './types.js';

const REMOVE_ACTIONS = new Set(['remove', 'purge', 'del', 'erase', 'rm', 'autoremove']);
const MAX_NAMES = 4;

/** Build tools a RUN installs and does not remove again in the same RUN. */
function buildToolsLeft(dockerfile: Dockerfile, run: Instruction): string[] {
  const packages = packageChanges(dockerfile, run);
  const installed: string[] = [];
  const virtual = new Map<string, string[]>();
  const removed = new Set<string>();
  let autoRemove = false;
  for (const pc of packages) {
    if (!isOsPackageManager(pc.manager) || pc.action === null) continue;
    const names = installedPackages(pc);
    if (isInstall(pc)) {
      const tools = names.filter(isBuildTool);
      installed.push(...tools);
      const group = pc.manager === 'apk' ? optionValue(pc, '--virtual', '-t') : undefined;
      if (group) virtual.set(group, tools);
    } else if (REMOVE_ACTIONS.has(pc.action)) {
      for (const name of names) {
        removed.add(name);
        for (const tool of virtual.get(name) ?? []) removed.add(tool);
      }
      if (
        pc.action === 'autoremove' ||
        pc.options.some((o) => o.name === '--auto-remove' || o.name === '--autoremove')
      ) {
        autoRemove = true;
      }
    }
  }
  // Debian's idiom: `apt-mark auto '.*'; apt-mark manual $saved; apt-get purge -y --auto-remove` removes
  // everything installed in between that nothing else needs.
  if (
    autoRemove &&
    posixRunCommands(dockerfile, run).some(
      (c) => programOf(c)?.program === 'apt-mark' && c.words.includes('auto'),
    )
  )
    return [];
  return [...new Set(installed.filter((name) => !removed.has(name)))];
}

export const rule: Rule = {
  id: 'DH602',
  slug: 'build-tools-in-final-stage',
  severity: 'info',
  enabledByDefault: true,
  title: 'Keep compilers and build tools out of the final image',
  docs: `Compilers, build systems and header packages (gcc, g++, make, cmake, build-essential, build-base, \`*-dev\` and \`*-devel\` packages…) are needed to build software, not to run it. Installed in the image that ships they add hundreds of megabytes, many packages for scanners to report, and tools an attacker can use to build exploits inside the container.

The rule checks the OS package installs (apt-get, apt, apk, yum, dnf, microdnf, zypper) of the final stage and of the stages it is built on; build stages are the right place for these tools. Tools removed again in the same RUN are fine: \`apk add --virtual .build-deps gcc musl-dev && … && apk del .build-deps\`, \`apt-get purge -y gcc\`, or Debian's \`apt-mark auto\` … \`apt-get purge -y --auto-remove\` idiom. Packages in shell variables are not judged, and neither are development containers (\`.devcontainer/\`), which carry toolchains by design.

Bad:

\`\`\`dockerfile
FROM python:3.12-slim
RUN apt-get update && apt-get install -y --no-install-recommends gcc libpq-dev && rm -rf /var/lib/apt/lists/*
RUN pip install --no-cache-dir psycopg2
\`\`\`

Good:

\`\`\`dockerfile
FROM python:3.12-slim AS build
RUN apt-get update && apt-get install -y --no-install-recommends gcc libpq-dev
RUN pip wheel --wheel-dir /wheels psycopg2
FROM python:3.12-slim
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir /wheels/*
\`\`\`

When the image is a build or CI image by design: \`# dockhand ignore=DH602 -- CI image\`.`,
  equivalents: [],
  check(dockerfile, context) {
    const final = dockerfile.stages.at(-1);
    if (!final || DEV_CONTAINER.test(context.path)) return [];
    const findings: RuleFinding[] = [];
    for (const stage of stageChain(dockerfile, final.index).reverse()) {
      for (const instruction of stage.instructions) {
        if (instruction.keyword !== 'RUN') continue;
        const tools = buildToolsLeft(dockerfile, instruction);
        if (tools.length === 0) continue;
        const names = tools.slice(0, MAX_NAMES).join(', ') + (tools.length > MAX_NAMES ? ', …' : '');
        findings.push({
          line: instruction.line,
          endLine: instruction.endLine,
          message: `This RUN installs build tools into the final image (${names}); build in an earlier stage and copy the result, or remove them in the same RUN.`,
        });
      }
    }
    return findings;
  },
};
