// The Python program that runs Poetry for ./poetry.ts: Poetry's own `main()` with the paths that would run
// package code or reach outside the index closed, so a refusal is an error Poetry stops on rather than a
// build. What it closes (Poetry 1.3's module layout; a Poetry without these names is refused):
//
// - get_pep517_metadata: Poetry reads a release's metadata from its wheel; with only an sdist on the index
//   it unpacks it and, unless PKG-INFO lists Requires-Dist, builds it in a throw-away virtualenv: pip
//   installs build requirements and runs the build backend, falling back to `python setup.py egg_info`.
//   That is the package's code (seen: a setup.py on the test index wrote a file under plain `poetry
//   lock`). Dockhand refuses instead: such a lock is not regenerated, and the reason names the sdist.
// - ephemeral_environment: the virtualenv above, closed a second time.
// - Provider._search_for_{vcs,file,directory,url}: git clones, local paths (a path on the machine
//   Dockhand runs on) and archive URLs, which Poetry would fetch and build outside the index.
//
// Given POETRY_REFRESH as its argument (lock file maintenance), it runs plain `poetry lock`, which
// resolves every package afresh within the pyproject.toml's ranges, instead of `poetry lock --no-update`.
//
// It also checks the lock's format first (a lock-version newer than this Poetry writes is refused, not
// downgraded; an older major one is refused, not rewritten in a format its Poetry cannot read), and, when
// DOCKHAND_INDEX_URL names the operator's index, points every source of the sandbox's pyproject.toml at
// it, then puts the repository's own source URLs back into the lock (and drops the source of packages
// that stand for PyPI), with content-hash computed from the repository's pyproject.toml as written.
export const POETRY_REFUSED = 'DOCKHAND-REFUSED: ';
export const POETRY_MISSING = 'DOCKHAND-MISSING: ';
/** The name of the source that stands for PyPI when the operator's index replaces it. */
export const INJECTED_SOURCE = 'dockhand-operator-index';
/** The guard's one argument for lock file maintenance: `poetry lock` without --no-update. */
export const POETRY_REFRESH = '--dockhand-refresh';

export const POETRY_GUARD = String.raw`
import os
import sys
from pathlib import Path

REFUSED = "${POETRY_REFUSED}"
MISSING = "${POETRY_MISSING}"
INJECTED = "${INJECTED_SOURCE}"
REFRESH = "${POETRY_REFRESH}"


class DockhandRefused(Exception):
    pass


def refuse(message):
    sys.stderr.write(REFUSED + message + "\n")
    sys.stderr.flush()
    raise DockhandRefused(message)


def poetry_argv(refresh):
    # Lock file maintenance resolves every package afresh within the ranges: plain "poetry lock".
    update = [] if refresh else ["--no-update"]
    return ["poetry", "lock", *update, "--no-interaction", "--no-plugins", "--no-ansi"]


def run():
    refresh = sys.argv[1:] == [REFRESH]
    try:
        import importlib.metadata
        import tomlkit
        import poetry.inspection.info as info
        import poetry.packages.locker as locker_module
        import poetry.puzzle.provider as provider_module
        import poetry.utils.env as env_module
        from poetry.console.application import main
        from poetry.core.pyproject.toml import PyProjectTOML
        try:
            from poetry.core.constraints.version import Version
        except ImportError:
            from poetry.core.semver.version import Version
        poetry_version = importlib.metadata.version("poetry")
        writes = Version.parse(locker_module.Locker._VERSION)
        for name in ("_search_for_vcs", "_search_for_file", "_search_for_directory", "_search_for_url"):
            getattr(provider_module.Provider, name)
        info.get_pep517_metadata
        env_module.ephemeral_environment
    except (ImportError, AttributeError) as error:
        sys.stderr.write(MISSING + "Poetry is not installed where Dockhand looks for it, or is a release whose internals Dockhand does not know (" + str(error) + ")\n")
        return 4

    project = Path.cwd()
    lock_path = project / "poetry.lock"
    lock_text = lock_path.read_text("utf-8") if lock_path.exists() else ""
    if lock_text.strip():
        try:
            lock_doc = tomlkit.parse(lock_text)
            found = str(lock_doc.get("metadata", {}).get("lock-version", "1.0"))
            existing = Version.parse(found)
        except Exception as error:
            refuse("poetry.lock cannot be read (" + str(error).splitlines()[0] + ")")
        if existing > writes:
            refuse("poetry.lock has lock-version " + found + ", newer than the " + str(writes) + " Poetry " + poetry_version + " writes; regenerating it here would downgrade it, so it was not updated")
        if existing.major < writes.major:
            refuse("poetry.lock has lock-version " + found + "; Poetry " + poetry_version + " would rewrite it as " + str(writes) + ", which the Poetry that wrote it cannot read, so it was not updated")

    def no_build(path, *args, **kwargs):
        refuse("reading the metadata of " + Path(str(path)).name + " needs building its source distribution (its setup.py or build backend would run), and Dockhand runs no package code: the index offers no wheel Poetry could read instead")

    def no_env(*args, **kwargs):
        refuse("Poetry tried to create a build environment, which would run package code")

    info.get_pep517_metadata = no_build
    info.ephemeral_environment = no_env
    env_module.ephemeral_environment = no_env

    def blocked(what):
        def search(self, dependency, *args, **kwargs):
            refuse(dependency.name + " is " + what + ", which Poetry would fetch and build outside the index")
        return search

    provider = provider_module.Provider
    provider._search_for_vcs = blocked("a git dependency")
    provider._search_for_file = blocked("a file dependency")
    provider._search_for_directory = blocked("a path dependency")
    provider._search_for_url = blocked("a URL dependency")

    index = os.environ.get("DOCKHAND_INDEX_URL", "")
    restore = {}
    if index:
        pyproject = project / "pyproject.toml"
        text = pyproject.read_text("utf-8")
        original = project.parent / "pyproject.original.toml"
        original.write_text(text, "utf-8")
        doc = tomlkit.parse(text)
        tool_poetry = doc["tool"]["poetry"]
        sources = list(tool_poetry.get("source", []))
        replaced = tomlkit.aot()
        if not any(bool(source.get("default", False)) for source in sources):
            injected = tomlkit.table()
            injected["name"] = INJECTED
            injected["url"] = index
            injected["default"] = True
            replaced.append(injected)
        for source in sources:
            table = tomlkit.table()
            for key, value in source.items():
                table[key] = value
            restore[str(source["name"])] = str(source["url"]).rstrip("/")
            table["url"] = index
            replaced.append(table)
        tool_poetry["source"] = replaced
        pyproject.write_text(tomlkit.dumps(doc), "utf-8")

        # content-hash from the repository's pyproject.toml, not the sandbox's.
        original_config = PyProjectTOML(original).poetry_config
        init = locker_module.Locker.__init__

        def locker_init(self, lock, local_config, *args, **kwargs):
            init(self, lock, original_config, *args, **kwargs)

        locker_module.Locker.__init__ = locker_init

    sys.argv = poetry_argv(refresh)
    # Cleo's application ends with sys.exit(): its code is caught to finish the lock below.
    try:
        code = main()
    except SystemExit as exit:
        code = exit.code
    except DockhandRefused:
        return 3
    if code != 0 or not index:
        return code

    lock = tomlkit.parse(lock_path.read_text("utf-8"))
    for package in lock.get("package", []):
        source = package.get("source")
        if source is None or str(source.get("type", "")) != "legacy":
            continue
        reference = str(source.get("reference", ""))
        if reference == INJECTED:
            del package["source"]
        elif reference in restore:
            source["url"] = restore[reference]
    lock_path.write_text(tomlkit.dumps(lock), "utf-8")
    return 0


try:
    sys.exit(run())
except DockhandRefused:
    sys.exit(3)
`;
