// Package-manager command recognition shared by the rules: which shell commands of a RUN are apt-get /
// apk / yum / dnf / microdnf / zypper / pip / npm / gem / go invocations, with their action (install,
// update…), their options (with values, for options known to take one) and their positional arguments.
// Nothing is expanded: `$PKGS` stays `$PKGS`, and rules decide what a variable means for them. Also which
// program a simple command runs, looking through `sudo`, `env`, `xargs`, assignments and shell keywords.
import { AttachedCache } from '../../core/attached-cache.js';
import { posixRunCommands, type ShellCommand } from '../../dockerfile/shell.js';
import type { Dockerfile, Instruction } from '../../dockerfile/types.js';

export type PackageManager =
  'apt-get' | 'apt' | 'apk' | 'yum' | 'dnf' | 'microdnf' | 'zypper' | 'pip' | 'npm' | 'gem' | 'go';

export interface CommandOption {
  /** As written, with its dashes: `-y`, `--no-cache`, `-qy` (clusters are kept whole). */
  name: string;
  /** `--opt=value`, or the next word for options known to take a value; null for a bare flag. */
  value: string | null;
}

export interface PackageCommand {
  manager: PackageManager;
  /** The program word as written (`apt-get`, `/usr/bin/pip3`, `python3` for `python3 -m pip`). */
  program: string;
  /** First positional argument (`install`, `add`, `update`, `dist-upgrade`…); null when there is none. */
  action: string | null;
  /** Options anywhere after the program, in order. */
  options: CommandOption[];
  /** Positional arguments after the action (package names, files, URLs, `$VARS`…). */
  args: string[];
  /** The shell command this was recognised in. */
  command: ShellCommand;
}

/** Options that take the following word as their value, per manager (`--opt=value` is always understood). */
const VALUE_OPTIONS: Record<PackageManager, ReadonlySet<string>> = {
  'apt-get': set('-o -c -t -a --option --config-file --target-release --default-release --host-architecture'),
  apt: set('-o -c -t -a --option --config-file --target-release --default-release --host-architecture'),
  apk: set(
    '-X -t -p --repository --virtual --root --arch --cache-dir --keys-dir --repositories-file --cache-max-age --progress-fd --wait',
  ),
  yum: set(
    '-c -x -d -e -R --config --exclude --debuglevel --errorlevel --randomwait --installroot --releasever --enablerepo --disablerepo --repo --repoid --setopt --downloaddir --destdir --forcearch --rpmverbosity --comment',
  ),
  dnf: set(
    '-c -x -d -e -R --config --exclude --debuglevel --errorlevel --randomwait --installroot --releasever --enablerepo --disablerepo --repo --repoid --setopt --downloaddir --destdir --forcearch --rpmverbosity --comment',
  ),
  microdnf: set(
    '--config --installroot --releasever --enablerepo --disablerepo --setopt --setopt --platform-id --rpmverbosity',
  ),
  zypper: set(
    '-c -r -t -R --config --root --repo --from --type --reposd-dir --cache-dir --raw-cache-dir --solv-cache-dir --pkg-cache-dir --download',
  ),
  pip: set(
    '-r -c -e -i -f -t -C --requirement --constraint --editable --index-url --extra-index-url --find-links --target --prefix --root --src --platform --python-version --implementation --abi --upgrade-strategy --progress-bar --cache-dir --log --log-file --proxy --retries --timeout --exists-action --trusted-host --cert --client-cert --no-binary --only-binary --config-settings --global-option --install-option --root-user-action --report --python --keyring-provider --use-feature --use-deprecated',
  ),
  npm: set(
    '-w -C --prefix --registry --cache --loglevel --userconfig --globalconfig --omit --include --workspace --tag --location --install-strategy',
  ),
  gem: set(
    '-v -i -n -s -P --version --install-dir --bindir --source --platform --trust-policy --build-root --document',
  ),
  go: set(
    '-o -p -C -ldflags -gcflags -asmflags -gccgoflags -tags -mod -modfile -pkgdir -toolexec -overlay -pgo -buildmode -compiler -installsuffix',
  ),
};

function set(words: string): ReadonlySet<string> {
  return new Set(words.split(' '));
}

/**
 * Commands that run another command given as their arguments (`sudo apt-get …`, `env X=1 pip …`,
 * `xargs apt-get install -y`), with those of their options that take a value; and shell keywords that
 * may start a simple command (`then apt-get …`, `! grep …`).
 */
const PREFIXES = new Map<string, ReadonlySet<string>>(
  Object.entries({
    sudo: set('-u -g -h -p -U -r -t -C -D'),
    doas: set('-u -C'),
    env: set('-u -C -S'),
    exec: set('-a'),
    command: set(''),
    nice: set('-n'),
    nohup: set(''),
    time: set('-f -o'),
    eatmydata: set(''),
    xargs: set('-a -d -E -I -L -n -P -s'),
    if: set(''),
    then: set(''),
    else: set(''),
    elif: set(''),
    do: set(''),
    while: set(''),
    until: set(''),
    '!': set(''),
  }),
);
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;
const PIP_PROGRAM = /^pip(\d+(\.\d+)*)?$/;
const PYTHON_PROGRAM = /^python(\d+(\.\d+)*)?$/;
const PROGRAMS: Record<string, PackageManager> = {
  'apt-get': 'apt-get',
  apt: 'apt',
  apk: 'apk',
  yum: 'yum',
  dnf: 'dnf',
  dnf5: 'dnf',
  microdnf: 'microdnf',
  zypper: 'zypper',
  npm: 'npm',
  gem: 'gem',
  go: 'go',
};

function basename(word: string): string {
  const slash = word.lastIndexOf('/');
  return slash === -1 ? word : word.slice(slash + 1);
}

/**
 * Index of the program word, skipping `VAR=value` assignments and the prefixes above (and, unless
 * `throughPrivilege` is false, `sudo`/`doas`).
 */
export function programIndex(words: string[], throughPrivilege = true): number {
  let i = 0;
  while (i < words.length) {
    const word = words[i]!;
    if (word.indexOf('=') > 0 && ASSIGNMENT.test(word)) {
      i++;
      continue;
    }
    const prefix = basename(word);
    const valueOptions = PREFIXES.get(prefix);
    if (
      valueOptions === undefined ||
      (!throughPrivilege && (prefix === 'sudo' || prefix === 'doas')) ||
      // `command -v apt-get` asks whether apt-get exists; it does not run it.
      (prefix === 'command' && (words[i + 1] === '-v' || words[i + 1] === '-V'))
    ) {
      return i;
    }
    i++;
    while (i < words.length && words[i]!.startsWith('-') && words[i] !== '--' && words[i] !== '!') {
      i += valueOptions.has(words[i]!) ? 2 : 1;
    }
    if (words[i] === '--') i++;
  }
  return i;
}

/** The program a simple command runs (basename, as written) and the words after it. */
export interface ProgramCall {
  program: string;
  args: string[];
}

const programs = new AttachedCache<ShellCommand, ProgramCall | null>();

/**
 * The program a shell command runs, looking through `sudo`, `env`, assignments…; null when there is none.
 * Many rules ask about the same commands: computed once per command (treat the result as read-only).
 */
export function programOf(command: ShellCommand): ProgramCall | null {
  let call = programs.get(command);
  if (call === undefined) {
    const i = programIndex(command.words);
    const word = command.words[i];
    call = word === undefined ? null : { program: basename(word), args: command.words.slice(i + 1) };
    programs.set(command, call);
  }
  return call;
}

/** Recognises a package-manager invocation in one simple shell command; null when it is not one. */
export function parsePackageCommand(command: ShellCommand): PackageCommand | null {
  const words = command.words;
  let i = programIndex(words);
  const program = words[i];
  if (program === undefined) return null;
  const name = basename(program);
  let manager: PackageManager | undefined = PROGRAMS[name];
  if (!manager && PIP_PROGRAM.test(name)) manager = 'pip';
  if (!manager && PYTHON_PROGRAM.test(name)) {
    // python3 [-I -u …] -m pip …
    let j = i + 1;
    while (j < words.length && words[j]!.startsWith('-') && words[j] !== '-m') j++;
    if (words[j] !== '-m' || words[j + 1] !== 'pip') return null;
    manager = 'pip';
    i = j + 1;
  }
  if (!manager) return null;
  const valueOptions = VALUE_OPTIONS[manager];
  const options: CommandOption[] = [];
  const positional: string[] = [];
  let onlyPositional = false;
  for (let j = i + 1; j < words.length; j++) {
    const word = words[j]!;
    if (onlyPositional || !word.startsWith('-') || word === '-') {
      positional.push(word);
    } else if (word === '--') {
      onlyPositional = true;
    } else {
      const eq = word.indexOf('=');
      if (eq > 0) {
        options.push({ name: word.slice(0, eq), value: word.slice(eq + 1) });
      } else if (valueOptions.has(word) && j + 1 < words.length) {
        options.push({ name: word, value: words[++j]! });
      } else {
        options.push({ name: word, value: null });
      }
    }
  }
  return {
    manager,
    program,
    action: positional[0] ?? null,
    options,
    args: positional.slice(1),
    command,
  };
}

const packagesOf = new AttachedCache<Instruction, PackageCommand[]>();
/** Shared empty result (read-only, like every cached result). */
const NO_PACKAGES: PackageCommand[] = [];

/**
 * The package-manager commands of a RUN (or of an ONBUILD RUN's trigger), in order; dry runs included.
 * Empty for RUNs whose scripts are not POSIX shell (a PowerShell/cmd SHELL, Windows stages), see
 * `posixRunCommands`. Computed once per instruction.
 */
export function packageCommands(dockerfile: Dockerfile, instruction: Instruction): PackageCommand[] {
  if ((instruction.onbuild ?? instruction).keyword !== 'RUN') return NO_PACKAGES;
  let found = packagesOf.get(instruction);
  if (found) return found;
  found = [];
  for (const command of posixRunCommands(dockerfile, instruction)) {
    const parsed = parsePackageCommand(command);
    if (parsed) found.push(parsed);
  }
  packagesOf.set(instruction, found);
  return found;
}

/** `packageCommands` without the dry runs: the commands that change what is installed. */
export function packageChanges(dockerfile: Dockerfile, instruction: Instruction): PackageCommand[] {
  const all = packageCommands(dockerfile, instruction);
  return all.some(isDryRun) ? all.filter((pc) => !isDryRun(pc)) : all;
}

/** True for a command that only simulates or downloads (`apt-get install -s`, `--download-only`, `dnf --assumeno`). */
export function isDryRun(pc: PackageCommand): boolean {
  if (pc.manager === 'apt-get' || pc.manager === 'apt') {
    return hasOption(
      pc,
      '-s',
      '--simulate',
      '--just-print',
      '--dry-run',
      '--recon',
      '--no-act',
      '--print-uris',
      '-d',
      '--download-only',
    );
  }
  if (pc.manager === 'yum' || pc.manager === 'dnf') return hasOption(pc, '--assumeno', '--downloadonly');
  if (pc.manager === 'zypper') return hasOption(pc, '--dry-run', '-D', '--download-only', '-d');
  return false;
}

/**
 * True when the command has one of the options. Long names (`--yes`) and exact words match as written;
 * a single-letter short name (`-y`) also matches inside a cluster of single-letter flags (`-qy`), except
 * for `go`, whose options are single-dash long words.
 */
export function hasOption(pc: PackageCommand, ...names: string[]): boolean {
  return pc.options.some((o) => names.some((n) => optionMatches(pc, o, n)));
}

/** Value of the first of these options present (null for a bare flag), or undefined when absent. */
export function optionValue(pc: PackageCommand, ...names: string[]): string | null | undefined {
  return pc.options.find((o) => names.some((n) => optionMatches(pc, o, n)))?.value;
}

function optionMatches(pc: PackageCommand, option: CommandOption, name: string): boolean {
  if (option.name === name) return true;
  return (
    pc.manager !== 'go' &&
    name.length === 2 &&
    name[0] === '-' &&
    name[1] !== '-' &&
    option.value === null &&
    /^-[A-Za-z]{2,}$/.test(option.name) &&
    option.name.includes(name[1]!)
  );
}

const INSTALL_ACTIONS: Record<PackageManager, ReadonlySet<string>> = {
  'apt-get': set('install'),
  apt: set('install'),
  apk: set('add'),
  yum: set('install groupinstall localinstall'),
  dnf: set('install groupinstall localinstall'),
  microdnf: set('install'),
  zypper: set('install in'),
  pip: set('install'),
  // npm's aliases for install (yes, including the typos it accepts).
  npm: set('install i in ins inst insta instal isnt isnta isntal isntall add ci clean-install'),
  gem: set('install i'),
  go: set('install get'),
};

/** True for an action that installs packages (`apt-get install`, `apk add`, `pip install`, `npm ci`…). */
export function isInstall(pc: PackageCommand): boolean {
  return pc.action !== null && INSTALL_ACTIONS[pc.manager].has(pc.action);
}

/** True for an index refresh: `apt-get update`, `apt update`, `apk update`, `zypper refresh`/`ref`. */
export function isIndexUpdate(pc: PackageCommand): boolean {
  if (pc.manager === 'apt-get' || pc.manager === 'apt' || pc.manager === 'apk') return pc.action === 'update';
  if (pc.manager === 'zypper') return pc.action === 'refresh' || pc.action === 'ref';
  return false;
}

/** The OS package managers (as opposed to language ones). */
export function isOsPackageManager(manager: PackageManager): boolean {
  return manager !== 'pip' && manager !== 'npm' && manager !== 'gem' && manager !== 'go';
}

/** True when a word contains a shell variable or substitution (`$PKGS`, `${V}`, `$(cat list)`, backticks). */
export function hasShellVariable(word: string): boolean {
  return word.includes('$') || word.includes('`');
}

/**
 * True for local package files, paths and URLs (`./x.deb`, `/tmp/x.rpm`, `x.whl`, `https://…`,
 * `git+https://…`, `file:…`). Not for names with a slash that managers give a meaning (`pkg/bookworm`
 * for apt, `@scope/name` for npm, module paths for go).
 */
export function isFileOrUrl(word: string): boolean {
  return FILE_OR_URL.test(word) || PACKAGE_FILE.test(word);
}

const FILE_OR_URL = /^(\.{1,2}(\/|$)|\/|~|[a-z][a-z0-9+.-]*:\/\/|file:|git\+)/i;
const PACKAGE_FILE = /\.(deb|rpm|apk|whl|tar\.gz|tgz|tar\.bz2|zip|gem)$/i;
