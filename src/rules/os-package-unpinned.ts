import type { PackageCommand } from './support/packages.js';
import {
  hasShellVariable,
  isFileOrUrl,
  isInstall,
  isOsPackageManager,
  packageCommands,
} from './support/packages.js';
import type { Rule, RuleFinding } from './types.js';

const MAX_LISTED = 5;

export const rule: Rule = {
  id: 'DH703',
  slug: 'os-package-unpinned',
  severity: 'info',
  enabledByDefault: false,
  title: 'Pin OS package versions',
  docs: `Without versions, \`apt-get install curl\` installs whatever the mirror has on the day of the build, so two
builds of the same commit can differ. Pinning (\`curl=7.88.1-10+deb12u8\`) makes builds reproducible, at
the cost of breaking when the distribution drops the old version — which is why this rule is off by
default; switch it on in config (\`severity: { DH703: info }\`) if you rebuild from pinned bases and want
exact packages.

Versions are recognised as \`pkg=1.2\` (apt, apt-get, zypper), \`pkg=1.2\`/\`pkg~1.2\`/\`pkg>1.2\` (apk),
\`pkg-1.2\` or \`pkg-1.2-3.el9\` (yum, dnf, microdnf, zypper). Options and their values (\`--virtual .deps\`),
packages in shell variables (\`$PKGS\`, \`curl=$CURL_VERSION\`), local \`.deb\`/\`.rpm\` files, paths, URLs and
dnf groups (\`@development\`) are not reported.

Bad: \`RUN apt-get install -y --no-install-recommends curl\`

Good: \`RUN apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u8\`

To keep one unpinned: \`# dockhand ignore=DH703 -- reason\`.`,
  equivalents: ['DL3008', 'DL3018', 'DL3033', 'DL3037', 'DL3041'],
  check(dockerfile) {
    const findings: RuleFinding[] = [];
    for (const instruction of dockerfile.instructions) {
      for (const pc of packageCommands(dockerfile, instruction)) {
        if (!isOsPackageManager(pc.manager) || !isInstall(pc)) continue;
        const unpinned = pc.args.filter((arg) => !isSkipped(arg) && !isPinned(pc, arg));
        if (unpinned.length === 0) continue;
        const listed = unpinned.slice(0, MAX_LISTED).join(', ');
        const more = unpinned.length > MAX_LISTED ? ` and ${unpinned.length - MAX_LISTED} more` : '';
        findings.push({
          line: instruction.line,
          ...(instruction.endLine !== instruction.line ? { endLine: instruction.endLine } : {}),
          message: `\`${pc.program} ${pc.action}\` installs ${listed}${more} without a version; pin them (${example(pc)}).`,
        });
      }
    }
    return findings;
  },
};

function isSkipped(arg: string): boolean {
  return hasShellVariable(arg) || isFileOrUrl(arg) || arg.startsWith('@') || arg === '';
}

function isPinned(pc: PackageCommand, arg: string): boolean {
  switch (pc.manager) {
    case 'apk':
      return /[=~<>]/.test(arg);
    case 'zypper':
      return /[=<>]/.test(arg) || rpmStyleVersion(arg);
    case 'yum':
    case 'dnf':
    case 'microdnf':
      return rpmStyleVersion(arg);
    default:
      return arg.includes('=');
  }
}

/**
 * `name-version` or `name-version-release` (`httpd-2.4.6`, `httpd-2.4.6-97.el7`, `nodejs-1:18.0-1`): the last
 * dash-separated part starts with a digit, or the one before does and the last holds a digit (a release).
 * `java-11-openjdk` is a name, not a version.
 */
function rpmStyleVersion(arg: string): boolean {
  const parts = arg.split('-');
  if (parts.length < 2) return false;
  const last = parts.at(-1)!;
  const previous = parts.at(-2)!;
  if (/^\d/.test(last)) return true;
  return parts.length >= 3 && /^\d/.test(previous) && /\d/.test(last);
}

function example(pc: PackageCommand): string {
  switch (pc.manager) {
    case 'yum':
    case 'dnf':
    case 'microdnf':
      return '`pkg-1.2.3`';
    default:
      return '`pkg=1.2.3`';
  }
}
