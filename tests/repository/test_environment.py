"""Issue 11, point 7: every environment variable the portal reads is in the README's table.

The settings and every other production module are parsed (not imported): each read of
os.environ, os.getenv or an env_* helper of the settings names a variable, and that name must
be in the first column of the README's "Configuration" table. So are the Makefile's `?=`
variables, which the environment can set too. A read whose name is not a literal is refused,
since it could not be checked."""

import ast
import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Test-only configuration, not the portal's: the test settings and tools set their own.
NOT_PRODUCTION = ("tests/", "benchmarks/", "conftest.py", "cpf_portal/test_settings.py")


def production_modules() -> list[Path]:
    listed = subprocess.run(
        ["git", "ls-files", "*.py"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    return [ROOT / name for name in listed if not name.startswith(NOT_PRODUCTION)]


def _is_os_environ(node) -> bool:
    return (
        isinstance(node, ast.Attribute)
        and node.attr == "environ"
        and isinstance(node.value, ast.Name)
        and node.value.id == "os"
    )


def _reads_environment(func) -> bool:
    """os.environ.get/setdefault/pop(NAME), os.getenv(NAME) or a settings helper env_*(NAME)."""
    if isinstance(func, ast.Name):
        return func.id.startswith("env_")
    if not isinstance(func, ast.Attribute):
        return False
    if _is_os_environ(func.value):
        return func.attr in {"get", "setdefault", "pop"}
    return func.attr == "getenv" and isinstance(func.value, ast.Name) and func.value.id == "os"


def _reads(tree: ast.AST) -> list[ast.expr]:
    """The name argument of every environment read in a module."""
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and node.args and _reads_environment(node.func):
            names.append(node.args[0])
        elif isinstance(node, ast.Subscript) and _is_os_environ(node.value):
            names.append(node.slice)
    return names


def env_reads(source: str) -> tuple[set[str], list[int]]:
    """(variable names read, line numbers of reads whose name is not a literal). Reads inside
    the env_* helpers themselves take their name as a parameter and are left out."""
    tree = ast.parse(source)
    helpers = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef) and node.name.startswith("env_")
    ]
    inside = {id(inner) for helper in helpers for inner in ast.walk(helper)}
    names, dynamic = set(), []
    for argument in _reads(tree):
        if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
            names.add(argument.value)
        elif id(argument) not in inside:
            dynamic.append(argument.lineno)
    return names, dynamic


def makefile_variables() -> set[str]:
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    return set(re.findall(r"^([A-Z][A-Z0-9_]*)\s*\?=", text, flags=re.MULTILINE))


def readme_table() -> set[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Configuration", 1)[1].split("\n#", 1)[0]
    names = set()
    for line in section.splitlines():
        if line.startswith("|"):
            first_cell = line.split("|")[1]
            names.update(re.findall(r"`([A-Z][A-Z0-9_]*)`", first_cell))
    return names


def portal_variables() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in production_modules():
        names, dynamic = env_reads(path.read_text(encoding="utf-8"))
        relative = str(path.relative_to(ROOT))
        assert not dynamic, f"{relative}: environment read without a literal name, lines {dynamic}"
        for name in names:
            found.setdefault(name, set()).add(relative)
    for name in makefile_variables():
        found.setdefault(name, set()).add("Makefile")
    return found


def test_every_environment_variable_read_is_in_the_readme_table():
    documented = readme_table()
    missing = {
        name: sorted(where) for name, where in portal_variables().items() if name not in documented
    }
    assert not missing, f"Add these to the README's configuration table: {missing}"


def test_the_parser_sees_every_kind_of_read():
    source = (
        "import os\n"
        "def env_bool(name, default=False):\n"
        "    return os.environ.get(name)\n"
        "A = os.environ.get('A', '')\n"
        "B = os.environ['B']\n"
        "C = env_bool('C')\n"
        "D = env_list('D', 'x')\n"
        "E = os.getenv('E')\n"
        "os.environ.setdefault('F', 'v')\n"
        "G = os.environ.get(PREFIX + '_G')\n"
    )
    names, dynamic = env_reads(source)
    assert names == {"A", "B", "C", "D", "E", "F"}
    assert dynamic == [10]


def test_the_settings_variables_named_by_the_issue_are_found_and_documented():
    found = portal_variables()
    for name in (
        "DJANGO_SECRET_KEY",
        "PORTAL_NIR_HASH_KEY",
        "DJANGO_CSRF_TRUSTED_ORIGINS",
        "PORTAL_PRIVATE_MEDIA",
        "PORTAL_TASKS_BACKEND",
        "DJANGO_CONN_MAX_AGE",
    ):
        assert "cpf_portal/settings.py" in found[name], name
    assert readme_table() >= set(found)
