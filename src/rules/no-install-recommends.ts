import type { Dockerfile } from '../dockerfile/types.js';
import { hasOption, packageChanges, type PackageCommand } from './support/packages.js';
import { parentStage } from './support/stages.js';
import type { Rule, RuleFinding } from './types.js';

/** `-o APT::Install-Recommends=false` (or 0 / no / off). */
const OPTION_OFF = /^APT::Install-Recommends=["']?(0|false|no|off)["']?$/i;
/** The same setting written to an apt configuration file (`APT::Install-Recommends "0";`). */
const CONFIG_OFF = /APT::Install-Recommends\s+\\?["']?(0|false|no|off)\b/i;

function skipsRecommends(pc: PackageCommand): boolean {
  return (
    hasOption(pc, '--no-install-recommends') ||
    pc.options.some((o) => (o.name === '-o' || o.name === '--option') && OPTION_OFF.test(o.value ?? ''))
  );
}

/** Per stage: the line from which an apt configuration switching recommends off is in force, if any. */
function configuredStages(dockerfile: Dockerfile): (number | undefined)[] {
  const own = dockerfile.stages.map(
    (stage) =>
      stage.instructions.find(
        (i) =>
          i.keyword === 'RUN' && (CONFIG_OFF.test(i.args) || i.heredocs.some((h) => CONFIG_OFF.test(h.body))),
      )?.line,
  );
  if (!own.some((line) => line !== undefined)) return own;
  // A stage inherits the configuration of the stages it is built on (their lines are all earlier). One
  // pass in file order, parents first: long FROM chains are not walked again for every stage.
  const inherited: (number | undefined)[] = [];
  for (const stage of dockerfile.stages) {
    const parent = parentStage(dockerfile, stage.index);
    inherited.push((parent === undefined ? undefined : inherited[parent]) ?? own[stage.index]);
  }
  return inherited;
}

export const rule: Rule = {
  id: 'DH604',
  slug: 'no-install-recommends',
  severity: 'info',
  enabledByDefault: true,
  title: 'Install apt packages with --no-install-recommends',
  docs: `By default apt-get also installs the packages a package merely *recommends*: documentation, optional plugins, sometimes whole toolchains. In an image they are dead weight and more for vulnerability scanners to report, and they make the result depend on what Debian or Ubuntu recommend this month. \`--no-install-recommends\` installs what is needed and nothing else; add any recommended package you really use by name.

\`-o APT::Install-Recommends=false\` counts too, and so does an earlier RUN in the stage (or a stage it is built on) that writes \`APT::Install-Recommends "0";\` to an apt configuration file. Both \`apt-get install\` and \`apt install\` are checked; scripts under PowerShell or cmd are not.

Bad:

\`\`\`dockerfile
RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*
\`\`\`

Good:

\`\`\`dockerfile
RUN apt-get update && apt-get install -y --no-install-recommends curl ca-certificates && rm -rf /var/lib/apt/lists/*
\`\`\`

When recommended packages are wanted (a desktop or development image): \`# dockhand ignore=DH604 -- dev image wants the recommends\`.`,
  equivalents: ['DL3015', 'DS-0029'],
  check(dockerfile) {
    const findings: RuleFinding[] = [];
    let configured: (number | undefined)[] | undefined;
    for (const instruction of dockerfile.instructions) {
      if (instruction.keyword !== 'RUN') continue;
      const missing = packageChanges(dockerfile, instruction).find(
        (pc) =>
          (pc.manager === 'apt-get' || pc.manager === 'apt') &&
          pc.action === 'install' &&
          !skipsRecommends(pc),
      );
      if (!missing) continue;
      configured ??= configuredStages(dockerfile);
      const since = configured[instruction.stage];
      if (since !== undefined && since <= instruction.line) continue;
      const names = missing.args.slice(0, 3).join(' ');
      findings.push({
        line: instruction.line,
        endLine: instruction.endLine,
        message: `\`${missing.manager} install${names ? ` ${names}` : ''}${missing.args.length > 3 ? ' …' : ''}\` also installs recommended packages; add --no-install-recommends.`,
      });
    }
    return findings;
  },
};
