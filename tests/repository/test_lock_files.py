"""Issue 11, point 7: two lock files. requirements.lock holds what production imports and what
that needs, nothing else; requirements-dev.lock adds the test tools. Both pin every package,
direct or indirect, at an exact version.

"What that needs" is read from the installed packages' metadata (the environment `make
install` builds from these very files), with markers evaluated for the project's Python
(.python-version) on this platform."""

import re
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
PYTHON = (ROOT / ".python-version").read_text().strip()
ENVIRONMENT = {
    **default_environment(),
    "python_version": PYTHON,
    "python_full_version": f"{PYTHON}.0",
}
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([0-9][0-9A-Za-z.+!-]*)$")


def read_lock(name: str) -> tuple[dict[str, str], list[str]]:
    """({canonical name: version}, include lines) of a lock file; fails on an unpinned line."""
    pins, includes = {}, []
    for line in (ROOT / name).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("-r "):
            includes.append(line[3:].strip())
            continue
        match = PIN.match(line)
        assert match, f"{name}: not an exact pin: {line!r}"
        key = canonicalize_name(match.group(1))
        assert key not in pins, f"{name}: {key} twice"
        pins[key] = match.group(2)
    return pins, includes


def project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def closure(requirements: list[str]) -> set[str]:
    """Every package the requirements pull in, their own requirements included."""
    stack = [Requirement(text) for text in requirements]
    pending = [(canonicalize_name(r.name), frozenset(r.extras)) for r in stack]
    seen: set[tuple[str, frozenset]] = set()
    while pending:
        name, extras = pending.pop()
        if (name, extras) in seen:
            continue
        seen.add((name, extras))
        for text in metadata.requires(name) or []:
            needed = Requirement(text)
            if needed.marker is None or any(
                needed.marker.evaluate({**ENVIRONMENT, "extra": extra})
                for extra in (extras or {""})
            ):
                pending.append((canonicalize_name(needed.name), frozenset(needed.extras)))
    return {name for name, _ in seen}


def test_runtime_lock_is_exactly_what_production_needs():
    runtime, includes = read_lock("requirements.lock")
    assert includes == []
    needed = closure(project()["dependencies"])
    assert set(runtime) - needed == set(), "pinned in the runtime lock but not needed by it"
    assert needed - set(runtime) == set(), "needed at runtime but not pinned"


def test_dev_lock_adds_the_test_tools_and_everything_they_need():
    runtime, _ = read_lock("requirements.lock")
    dev, includes = read_lock("requirements-dev.lock")
    assert includes == ["requirements.lock"]
    assert not set(dev) & set(runtime), "a runtime package is pinned twice"
    needed = closure(project()["optional-dependencies"]["dev"])
    assert needed - set(runtime) - set(dev) == set(), "needed by the tools but not pinned"
    assert set(dev) - needed == set(), "pinned in the dev lock but needed by no tool"


def test_pyproject_versions_are_the_locked_ones():
    runtime, _ = read_lock("requirements.lock")
    dev, _ = read_lock("requirements-dev.lock")
    for text, lock in [(d, runtime) for d in project()["dependencies"]] + [
        (d, {**runtime, **dev}) for d in project()["optional-dependencies"]["dev"]
    ]:
        requirement = Requirement(text)
        assert lock.get(canonicalize_name(requirement.name)) in requirement.specifier, text


def test_the_installed_environment_matches_the_locks():
    """The environment the tests run in was built from the locks (make install)."""
    pins = {**read_lock("requirements.lock")[0], **read_lock("requirements-dev.lock")[0]}
    drift = {
        name: (version, metadata.version(name))
        for name, version in pins.items()
        if metadata.version(name) != version
    }
    assert not drift, drift


def test_the_test_tools_are_not_in_the_runtime_lock():
    runtime, _ = read_lock("requirements.lock")
    for tool in ("pytest", "playwright", "ruff", "hypothesis", "time-machine", "aiosmtpd"):
        assert tool not in runtime, tool
