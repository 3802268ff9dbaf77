"""Issue 11, points 2, 4 and 7: the floors of docs/ARCHITECTURE.md are the source of truth.

The fenced `floors` block of docs/ARCHITECTURE.md lists each app (or project module) with the
apps it may import, floor by floor. Every production module's import statements (at the top
and inside functions) are parsed, not executed, and mapped to those names: an import that the
list does not allow, an allowed import from a lower floor to a higher one, an allowed import
that no module makes any more, and any cycle between apps fail. Imports inside functions are
allowed only with a `# cycle:` comment naming the cycle they break.
"""

import ast
import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ARCHITECTURE = ROOT / "docs" / "ARCHITECTURE.md"
NOT_PRODUCTION = {"tests", "benchmarks", ".venv", "mutants", "node_modules", "test-artifacts"}
NOT_PRODUCTION_FILES = {
    "conftest.py",
    "manage.py",
    "gunicorn.conf.py",
    "cpf_portal/test_settings.py",
}


def parse_floors(text: str) -> tuple[dict[str, int], dict[str, set[str]]]:
    """({name: floor}, {name: allowed imports}) from the ```floors block."""
    match = re.search(r"```floors\n(.*?)```", text, re.S)
    assert match, "docs/ARCHITECTURE.md has no ```floors block"
    floors, allowed, floor = {}, {}, None
    for raw in match.group(1).splitlines():
        line = raw.strip()
        heading = re.match(r"#\s*floor\s+(\d+)", line)
        if heading:
            floor = int(heading.group(1))
            continue
        if not line or line.startswith("#"):
            continue
        name, _, targets = line.partition(":")
        assert floor is not None, f"{name!r} is listed before any '# floor N' line"
        assert name.strip() not in floors, f"{name!r} is listed twice"
        floors[name.strip()] = floor
        allowed[name.strip()] = {t.strip() for t in targets.split(",") if t.strip()}
    return floors, allowed


def production_modules() -> dict[str, Path]:
    """Dotted name -> path of every Python module of the project's packages."""
    modules = {}
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT)
        if relative.parts[0] in NOT_PRODUCTION or relative.as_posix() in NOT_PRODUCTION_FILES:
            continue
        if len(relative.parts) == 1 or not (ROOT / relative.parts[0] / "__init__.py").exists():
            continue
        parts = list(relative.with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        modules[".".join(parts)] = path
    return modules


def node_of(module: str, names) -> str | None:
    """The listed name a module belongs to: the longest listed prefix."""
    best = None
    for name in names:
        if (module == name or module.startswith(name + ".")) and len(name) > len(best or ""):
            best = name
    return best


def imports_of(module: str, path: Path):
    """(imported module, line, inside a function, source line) for each project import."""
    source = path.read_text()
    lines = source.splitlines()
    tree = ast.parse(source)
    in_function = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            in_function.update(id(n) for n in ast.walk(node) if n is not node)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            # `from accounts import nir` imports the module accounts.nir.
            targets = [f"{base}.{alias.name}" for alias in node.names] or [base]
        else:
            continue
        for target in targets:
            yield target, node.lineno, id(node) in in_function, lines[node.lineno - 1]


def project_graph():
    floors, allowed = parse_floors(ARCHITECTURE.read_text())
    modules = production_modules()
    packages = {name.split(".")[0] for name in modules}
    edges, unlisted = {}, []
    for module, path in modules.items():
        source = node_of(module, floors)
        if source is None:
            unlisted.append(module)
            continue
        for target, line, _, _ in imports_of(module, path):
            if target.split(".")[0] not in packages:
                continue
            dest = node_of(target, floors)
            if dest is None:
                unlisted.append(target)
            elif dest != source:
                edges.setdefault((source, dest), []).append(f"{path.relative_to(ROOT)}:{line}")
    return floors, allowed, edges, unlisted


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state, stack = {}, []

    def visit(node):
        state[node] = "open"
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                return stack[stack.index(nxt) :] + [nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        state[node] = "done"
        stack.pop()
        return None

    for node in sorted(graph):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


def test_the_list_itself_goes_down_the_floors():
    floors, allowed = parse_floors(ARCHITECTURE.read_text())
    unknown = {(a, b) for a, targets in allowed.items() for b in targets if b not in floors}
    assert not unknown, f"allowed imports of names that are not listed: {sorted(unknown)}"
    upward = {(a, b) for a, targets in allowed.items() for b in targets if floors[b] > floors[a]}
    assert not upward, f"the list lets a lower floor import a higher one: {sorted(upward)}"
    assert find_cycle(allowed) is None, f"the list allows a cycle: {find_cycle(allowed)}"


def test_every_import_between_apps_is_in_the_list():
    floors, allowed, edges, unlisted = project_graph()
    assert not unlisted, f"modules that belong to no listed app: {sorted(set(unlisted))}"
    not_allowed = {
        f"{a} -> {b} ({', '.join(where)})" for (a, b), where in edges.items() if b not in allowed[a]
    }
    assert not not_allowed, "imports docs/ARCHITECTURE.md does not allow:\n" + "\n".join(
        sorted(not_allowed)
    )
    upward = {f"{a} -> {b}" for (a, b) in edges if floors[b] > floors[a]}
    assert not upward, f"imports from a lower floor to a higher one: {sorted(upward)}"


def test_the_list_names_only_imports_that_exist():
    """The list says what is: an allowed import no module makes any more is taken out."""
    floors, allowed, edges, _ = project_graph()
    stale = {f"{a}: {b}" for a, targets in allowed.items() for b in targets if (a, b) not in edges}
    assert not stale, f"allowed imports that no module makes (remove them): {sorted(stale)}"
    unused = {name for name in floors if not any(name in pair for pair in edges)}
    assert not unused, f"listed names no import involves: {sorted(unused)}"


def test_no_cycle_between_apps():
    _, _, edges, _ = project_graph()
    graph = {}
    for a, b in edges:
        graph.setdefault(a, set()).add(b)
    cycle = find_cycle(graph)
    assert cycle is None, (
        "cycle between apps: "
        + " -> ".join(cycle or [])
        + "\n"
        + "\n".join(
            f"{a} -> {b}: {', '.join(edges[(a, b)])}"
            for a, b in zip(cycle or [], (cycle or [])[1:])
        )
    )


def test_only_demo_imports_demo_data():
    """Demo sits on the top floor: it imports the apps' demo data, and no app imports demo or
    another app's demo data (a demo_data module may use the demo people of accounts; an app's
    own commands may use its own demo data)."""
    wrong = []
    for module, path in production_modules().items():
        app = module.split(".")[0]
        if app == "demo" or module.endswith(".demo_data"):
            continue
        for target, line, _, _ in imports_of(module, path):
            other_demo_data = ".demo_data" in target and target.split(".")[0] != app
            if target.split(".")[0] == "demo" or other_demo_data:
                wrong.append(f"{path.relative_to(ROOT)}:{line} imports {target}")
    assert not wrong, "\n".join(wrong)


def test_imports_inside_functions_name_the_cycle_they_break():
    modules = production_modules()
    packages = {name.split(".")[0] for name in modules}
    hidden = []
    for module, path in modules.items():
        source_lines = path.read_text().splitlines()
        for target, line, in_function, text in imports_of(module, path):
            if not in_function or target.split(".")[0] not in packages:
                continue
            above = source_lines[line - 2] if line >= 2 else ""
            if "# cycle:" not in text and "# cycle:" not in above:
                hidden.append(f"{path.relative_to(ROOT)}:{line} {text.strip()}")
    assert not hidden, "imports inside functions without a '# cycle:' comment:\n" + "\n".join(
        hidden
    )


def test_the_mutation_copy_holds_every_app():
    """mutmut copies source_paths into mutants/ and starts Django there: an app left out (a new
    floor's app) stops every mutant's run."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["mutmut"]
    packages = {name.split(".")[0] for name in production_modules()}
    missing = packages - set(config["source_paths"])
    assert not missing, f"apps missing from [tool.mutmut] source_paths: {sorted(missing)}"
