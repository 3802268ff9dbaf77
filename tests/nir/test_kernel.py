"""The NIR kernel (nir/): on the ground floor, and the only place a NIR is normalised.

Read from the source (ast), so a new caller anywhere in production code fails here."""

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
KERNEL = ROOT / "nir"
NOT_PRODUCTION = {"tests", "mutants", "test-artifacts", "node_modules", "static", "templates"}


def production_modules():
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if parts[0].startswith(".") or parts[0] in NOT_PRODUCTION or "migrations" in parts:
            continue
        yield path


def imported_modules(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def normalisations(path: Path) -> list[int]:
    """Lines calling (or importing) normalize_nir, whatever the module's alias."""
    lines = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name == "normalize_nir":
                lines.append(node.lineno)
        elif isinstance(node, ast.ImportFrom) and any(
            alias.name == "normalize_nir" for alias in node.names
        ):
            lines.append(node.lineno)
    return lines


def test_production_code_is_found():
    modules = {str(path.relative_to(ROOT)) for path in production_modules()}
    assert {"hours/dif.py", "accounts/services/login.py", "nir/fields.py"} <= modules


def test_only_the_kernel_normalises_a_nir():
    """A NIR is cleaned at the edge (NirFormField, NirField, the import file's reader through
    validate_nir): below it every module receives the normal form and uses it as is."""
    found = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in production_modules()
        if KERNEL not in path.parents
        for line in normalisations(path)
    ]
    assert found == []


@pytest.mark.parametrize("path", sorted(KERNEL.glob("*.py")), ids=lambda path: path.name)
def test_the_kernel_imports_nothing_from_the_apps(path):
    allowed = {"django", "stdnum", "nir", "__future__"} | set(sys.stdlib_module_names)
    assert {name for name in imported_modules(path) if name.split(".")[0] not in allowed} == set()


def test_the_rules_are_pure():
    assert {
        name
        for name in imported_modules(KERNEL / "rules.py")
        if name.split(".")[0] not in sys.stdlib_module_names | {"__future__"}
    } == {"stdnum.fr"}
