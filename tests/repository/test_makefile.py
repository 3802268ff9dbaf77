"""Issue 11, point 7: `make` targets that exist. Every target .PHONY lists has a rule, and every
`make X` the README, the docs and CI tell people to run is a target of the Makefile."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def makefile() -> str:
    # Recipes and continued lines are not rules: drop them first.
    return (ROOT / "Makefile").read_text(encoding="utf-8").replace("\\\n", " ")


def phony(text: str) -> set[str]:
    return {
        target
        for line in re.findall(r"^\.PHONY\s*:(.*)$", text, flags=re.MULTILINE)
        for target in line.split()
    }


def rules(text: str) -> set[str]:
    """Targets that have a rule: `a b: prerequisites`, not a variable (`:=`, `?=`, `=`)."""
    targets = set()
    for line in text.splitlines():
        if not line or line[0] in "\t#." or "=" in line.split(":", 1)[0]:
            continue
        match = re.match(r"^([^:=]+):(?!=)", line)
        if match:
            targets.update(match.group(1).split())
    return targets


def commands_in_docs() -> dict[str, set[str]]:
    """`make X` in inline code or at the start of a line of a code block or a script."""
    found: dict[str, set[str]] = {}
    paths = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")), ROOT / ".ci" / "run"]
    for path in paths:
        if not path.exists():
            continue
        text = path.read_text(encoding="utf-8")
        names = re.findall(r"`make ([a-z][\w-]*)", text)
        names += re.findall(
            r"^\s*(?:[A-Z_]+=\S*\s+|env(?:\s+-u\s+\S+)*\s+)*make ([a-z][\w-]*)",
            text,
            flags=re.MULTILINE,
        )
        for name in names:
            found.setdefault(name, set()).add(str(path.relative_to(ROOT)))
    return found


def test_every_phony_target_has_a_rule():
    text = makefile()
    missing = phony(text) - rules(text)
    assert not missing, f".PHONY lists targets without a rule: {sorted(missing)}"


def test_every_make_command_in_the_docs_is_a_target():
    targets = rules(makefile())
    missing = {name: where for name, where in commands_in_docs().items() if name not in targets}
    assert not missing, f"Documented but not in the Makefile: {missing}"


def test_the_readers_see_the_main_commands():
    documented = commands_in_docs()
    for name in ("demo", "test", "install", "install-prod", "worker", "check-deploy"):
        assert name in documented, name


def test_the_parsers_on_a_sample():
    sample = (
        "PY := x\nPORT ?= 8000\n.PHONY: a b ghost\n\n"
        "a: b\n\t@echo a: not a rule\nb $(VENV)/.x: c\n# c: comment\n"
    )
    assert phony(sample) == {"a", "b", "ghost"}
    assert rules(sample) == {"a", "b", "$(VENV)/.x"}
