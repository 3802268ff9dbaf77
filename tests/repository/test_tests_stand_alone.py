"""The tests stand alone (issue 11, point 6): every helper lives in tests/fixtures/, no test
module imports another, one definition per fixture (one staff client, one Camille, one Karim),
and screenshots go through tests.fixtures.browser.screenshot into test-artifacts/.

Read from the source with ast, so that a module nobody collects is checked too."""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
THIS = Path(__file__).resolve()
# Modules under tests/ that are not helpers and may be imported by the test beside them.
TOOLS = {"tests.mutation.report": "the `make mutation` script, tested by test_report.py"}
# Where a titulaire is made staff or superuser: the staff fixtures, nowhere else.
STAFF_FIXTURES = "tests/fixtures/staff.py"
# shoot(), shot(), screenshot(), take_shot(), page_screenshot()... (not snapshot())
SCREENSHOT_HELPER = re.compile(r"^(\w+_)?(shoot|shot|screenshot)(_\w+)?$")


def python_files(root: Path) -> list[Path]:
    files = sorted((root / "tests").rglob("*.py"))
    conftest = root / "conftest.py"
    return [*files, conftest] if conftest.exists() else files


def module_name(root: Path, path: Path) -> str:
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(root: Path, path: Path) -> list[tuple[int, str]]:
    """(line, module) of every import, relative ones resolved; `from a import b` gives a.b when
    b is a module of a package under tests/ (`from tests.fixtures import fake_seeder`)."""
    package = module_name(root, path).rsplit(".", 1)[0].split(".")
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            parts = package[: len(package) - node.level + 1] if node.level else []
            base = ".".join([*parts, *([node.module] if node.module else [])])
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                is_module = (root / Path(*sub.split("."))).with_suffix(".py").exists() or (
                    root / Path(*sub.split("."))
                ).is_dir()
                found.append((node.lineno, sub if is_module else base))
    return found


def is_test_code(module: str) -> bool:
    return module == "tests" or module.startswith("tests.")


def allowed(module: str) -> bool:
    if module == "tests.fixtures" or module.startswith("tests.fixtures."):
        return True
    return module in TOOLS


def imports_of_other_test_modules(root: Path) -> list[str]:
    bad = set()
    for path in python_files(root):
        for line, module in imported_modules(root, path):
            if is_test_code(module) and not allowed(module):
                bad.add(f"{path.relative_to(root)}:{line} imports {module}")
    return sorted(bad)


def fixture_definitions(root: Path) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for path in python_files(root):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if not isinstance(node, ast.FunctionDef):
                continue
            for decorator in node.decorator_list:
                if "fixture" not in ast.unparse(decorator):
                    continue
                name = node.name
                for keyword in getattr(decorator, "keywords", []):
                    if keyword.arg == "name" and isinstance(keyword.value, ast.Constant):
                        name = keyword.value.value
                found.setdefault(name, []).append(f"{path.relative_to(root)}:{node.lineno}")
    return found


def duplicated_fixtures(root: Path) -> dict[str, list[str]]:
    return {name: where for name, where in fixture_definitions(root).items() if len(where) > 1}


def screenshot_problems(root: Path) -> list[str]:
    """/tmp in a test, a screenshot helper of its own, or page.screenshot called directly."""
    bad = []
    for path in python_files(root):
        if path.resolve() == THIS:
            continue
        where = path.relative_to(root)
        in_fixtures = where.parts[:2] == ("tests", "fixtures")
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Constant) and "/tmp" in str(node.value):
                bad.append(f"{where}:{node.lineno} writes to /tmp")
            if in_fixtures:
                continue
            if isinstance(node, ast.FunctionDef) and SCREENSHOT_HELPER.match(node.name):
                bad.append(f"{where}:{node.lineno} defines its own {node.name}()")
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "screenshot"
            ):
                bad.append(f"{where}:{node.lineno} calls .screenshot() itself")
    return bad


def staff_made_outside_the_staff_fixtures(root: Path) -> list[str]:
    """A titulaire made superuser, or made staff and logged in on the spot, outside
    tests/fixtures/staff.py: the staff client built another way."""
    bad = []
    for path in python_files(root):
        where = path.relative_to(root)
        if where.as_posix() == STAFF_FIXTURES:
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if not isinstance(node, ast.Call):
                continue
            name = ast.unparse(node.func)
            flags = {k.arg for k in node.keywords if ast.unparse(k.value) == "True"}
            if name.endswith(("make_titulaire", "create_user", "create_superuser")) and (
                "is_superuser" in flags or name.endswith("create_superuser")
            ):
                bad.append(f"{where}:{node.lineno} makes a superuser: use `superuser`")
            if name.endswith("force_login") and node.args:
                inner = node.args[0]
                if isinstance(inner, ast.Call) and "is_staff" in {k.arg for k in inner.keywords}:
                    bad.append(f"{where}:{node.lineno} logs in new staff: use `staff_client`")
    return bad


def unregistered_fixture_modules(root: Path) -> list[str]:
    """A tests/fixtures module with fixtures must be a plugin of the root conftest: a fixture
    imported into a test module by name is an import of a helper's internals."""
    conftest = ast.parse((root / "conftest.py").read_text())
    plugins = set()
    for node in conftest.body:
        if isinstance(node, ast.Assign) and ast.unparse(node.targets[0]) == "pytest_plugins":
            plugins = set(ast.literal_eval(node.value))
    modules = {
        module_name(root, Path(root / where.split(":")[0]))
        for wheres in fixture_definitions(root).values()
        for where in wheres
        if where.startswith("tests/fixtures/")
    }
    return sorted(modules - plugins)


def test_no_test_module_imports_another():
    assert imports_of_other_test_modules(ROOT) == []


def test_every_fixture_is_defined_once():
    assert duplicated_fixtures(ROOT) == {}


@pytest.mark.parametrize("name", ["camille", "karim", "staff_client", "superuser"])
def test_the_shared_people_live_in_tests_fixtures(name):
    (where,) = fixture_definitions(ROOT)[name]
    assert where.startswith("tests/fixtures/"), where


def test_one_way_to_make_staff():
    assert staff_made_outside_the_staff_fixtures(ROOT) == []


def test_screenshots_go_through_the_one_helper_into_test_artifacts():
    assert screenshot_problems(ROOT) == []


def test_fixture_modules_are_plugins_of_the_root_conftest():
    assert unregistered_fixture_modules(ROOT) == []
