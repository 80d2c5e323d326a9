import type { PackageCommand } from './support/packages.js';
import {
  hasOption,
  hasShellVariable,
  isFileOrUrl,
  isInstall,
  optionValue,
  packageCommands,
} from './support/packages.js';
import type { Rule, RuleFinding } from './types.js';

/** Version selectors that float like no version at all. */
const FLOATING = new Set(['latest', 'next', 'master', 'main', 'head']);
const PIP_SPECIFIER = /[=<>~!@]/;

export const rule: Rule = {
  id: 'DH704',
  slug: 'language-package-unpinned',
  severity: 'warning',
  enabledByDefault: true,
  title: 'Pin language package versions',
  docs: `\`pip install flask\`, \`npm install -g typescript\`, \`gem install bundler\` and \`go install tool@latest\` fetch
whatever version is newest at build time, so a rebuild of the same commit can pull a new major version —
or a freshly compromised release. Pin the version, or install from a lock or requirements file.

What counts as pinned: pip requirements with a specifier (\`flask==3.0.3\`, \`flask>=3,<4\`, \`pkg @ url\`);
\`npm install -g name@1.2.3\`; \`gem install name -v 1.2.3\` or \`name:1.2.3\`; \`go install path@v1.2.3\`, and \`go install path\` without
\`@\` (Go builds the version the module's go.mod requires, and refuses outside a module; \`go get path\`
without a version is reported, it means latest). Not
judged: requirement/constraint files and editable installs (\`-r\`, \`-c\`, \`-e\`), local paths, wheels,
archives and URLs, \`$VARIABLES\`, \`npm install\`/\`npm ci\` of a project (only global installs are
judged), and the package manager upgrading itself (\`pip install --upgrade pip\`, \`npm install -g npm\`),
which is like \`apt-get upgrade\`. For npm and go, \`@latest\` (and \`@next\`, \`@main\`, \`@master\`) count as
unpinned.

Bad:

\`\`\`dockerfile
RUN pip install --no-cache-dir flask gunicorn
RUN go install golang.org/x/tools/gopls@latest
\`\`\`

Good:

\`\`\`dockerfile
RUN pip install --no-cache-dir -r requirements.txt
RUN go install golang.org/x/tools/gopls@v0.16.2
\`\`\`

To keep one unpinned: \`# dockhand ignore=DH704 -- reason\`.`,
  equivalents: ['DL3013', 'DL3016', 'DL3028', 'DL3062'],
  check(dockerfile) {
    const findings: RuleFinding[] = [];
    for (const instruction of dockerfile.instructions) {
      for (const pc of packageCommands(dockerfile, instruction)) {
        if (!isInstall(pc)) continue;
        const unpinned = unpinnedPackages(pc);
        if (unpinned.length === 0) continue;
        findings.push({
          line: instruction.line,
          ...(instruction.endLine !== instruction.line ? { endLine: instruction.endLine } : {}),
          message: `\`${pc.manager} ${pc.action}${pc.manager === 'npm' ? ' -g' : ''}\` installs ${unpinned.join(', ')} without a fixed version; ${HOW[pc.manager] ?? 'pin a version'}.`,
        });
      }
    }
    return findings;
  },
};

const HOW: Record<string, string> = {
  pip: 'pin versions (`name==1.2.3`) or install from a requirements file',
  npm: 'pin versions (`name@1.2.3`)',
  gem: 'pin versions (`-v 1.2.3` or `name:1.2.3`)',
  go: 'pin versions (`path@v1.2.3`)',
};

function candidates(pc: PackageCommand): string[] {
  return pc.args.filter((arg) => arg !== '' && !hasShellVariable(arg) && !isFileOrUrl(arg));
}

function unpinnedPackages(pc: PackageCommand): string[] {
  switch (pc.manager) {
    case 'pip':
      return candidates(pc).filter((arg) => !PIP_SPECIFIER.test(arg) && arg.toLowerCase() !== 'pip');
    case 'npm': {
      if (pc.action === 'ci' || pc.action === 'clean-install') return [];
      const global =
        hasOption(pc, '-g', '--global') ||
        optionValue(pc, '--location') === 'global' ||
        optionValue(pc, '--global') === 'true';
      if (!global) return [];
      return candidates(pc).filter((arg) => !isNpmPinned(arg) && !/^npm(@latest)?$/.test(arg));
    }
    case 'gem':
      if (hasOption(pc, '-v', '--version', '-g', '--file')) return [];
      return candidates(pc).filter((arg) => !arg.includes(':'));
    case 'go':
      // `go install path` (no @) builds the version go.mod requires (and fails outside a module), so only
      // floating queries are unpinned; `go get path` without @ means latest.
      return candidates(pc).filter((arg) => {
        const at = arg.lastIndexOf('@');
        if (at === -1) return pc.action === 'get' && arg.includes('.') && !arg.startsWith('-');
        return FLOATING.has(arg.slice(at + 1).toLowerCase());
      });
    default:
      return [];
  }
}

/** `name@1.2.3`, `@scope/name@^1` are pinned; `name`, `name@latest`, and git/GitHub specs are judged elsewhere. */
function isNpmPinned(arg: string): boolean {
  // GitHub shorthand (`user/repo`), git and alias specs are not registry packages.
  if (/^(github|gitlab|bitbucket|git|npm|file|link):/.test(arg) || /^[^@][^/]*\/[^/]/.test(arg)) return true;
  const at = arg.lastIndexOf('@');
  if (at <= 0) return false;
  return !FLOATING.has(arg.slice(at + 1).toLowerCase());
}
