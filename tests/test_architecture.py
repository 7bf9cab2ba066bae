"""The layout's rules, read from the source: the core (analyzer/) does no I/O and imports no
edge; code outside the core uses a stage only through its entry points; no two modules import
each other (analyzer/README.md, ARCHITECTURE.md)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORE = ROOT / "analyzer"
STAGES = sorted(p.name for p in CORE.iterdir() if (p / "__init__.py").is_file())
#: the edges of the package: what may read files, talk to the network, print or read the clock
EDGE_MODULES = ("nutrigap.foods", "nutrigap.reports", "nutrigap.batch", "nutrigap.web",
                "nutrigap.cli", "nutrigap.runtime", "nutrigap.atomic", "nutrigap.folders",
                "nutrigap.csv_out", "nutrigap.workers", "nutrigap.__main__")
#: libraries of the edges: HTTP, PDF, the web app, the command line, process pools
EDGE_LIBRARIES = ("requests", "weasyprint", "flask", "werkzeug", "click", "jinja2", "pypdf",
                  "tqdm", "dask", "platformdirs")
#: what touches the process, the file system, the network or the clock
SYSTEM_MODULES = ("os", "sys", "io.open", "subprocess", "socket", "shutil", "tempfile", "time",
                  "ctypes", "logging", "threading", "multiprocessing", "urllib", "http",
                  "importlib.metadata", "sqlite3")
SYSTEM_CALLS = ("print", "open", "input", "breakpoint", "exec", "eval")
CLOCK_METHODS = ("today", "now", "utcnow")
#: code outside the core that still reaches into a stage, each with the reason it may, for
#: now; an entry that no longer applies fails the test so that it is removed
TOLERATED: dict[str, str] = {}  # module -> why it may reach into a stage, for now


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(("nutrigap", *parts))


def source_files(*folders: str) -> list[Path]:
    found = []
    for folder in folders:
        path = ROOT / folder
        found += [path] if path.is_file() else sorted(path.rglob("*.py"))
    return found


def imports(path: Path, names=True) -> list[tuple[int, str]]:
    """(line, module) for every import in the file, at any depth; `from X import a` gives X
    and, when `names`, X.a (a name or a submodule)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolved against this module's package
                package = module_name(path).split(".")
                package = package[:len(package) - node.level + (path.name == "__init__.py")]
                base = ".".join([*package, *([node.module] if node.module else [])])
            else:
                base = node.module or ""
            found.append((node.lineno, base))
            if names:
                found += [(node.lineno, f"{base}.{alias.name}") for alias in node.names
                          if names is True or alias.name not in names(base)]
    return found


def within(module: str, prefixes) -> bool:
    return any(module == p or module.startswith(p + ".") for p in prefixes)


def is_module(name: str) -> bool:
    if not name.startswith("nutrigap."):
        return False
    path = ROOT.joinpath(*name.split(".")[1:])
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


CORE_FILES = source_files("analyzer")
EDGE_FILES = source_files("foods", "reports", "batch", "web", "cli.py", "__main__.py",
                          "runtime.py", "atomic.py", "folders.py", "csv_out.py", "workers.py",
                          "benchmarks")


def test_the_files_are_found():
    assert len(CORE_FILES) > 30 and len(EDGE_FILES) > 30
    assert STAGES == ["logs", "matching", "portions", "scoring", "suggestions", "writeup"]


@pytest.mark.parametrize("path", CORE_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_core_imports_no_edge(path):
    wrong = [f"line {line}: {module}" for line, module in imports(path)
             if within(module, EDGE_MODULES + EDGE_LIBRARIES + SYSTEM_MODULES)]
    assert not wrong, f"{path.relative_to(ROOT)} imports what only an edge may: {wrong}"


@pytest.mark.parametrize("path", CORE_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_core_prints_nothing_opens_no_file_and_reads_no_clock(path):
    wrong = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        if isinstance(node.func, ast.Name) and node.func.id in SYSTEM_CALLS:
            wrong.append(f"line {node.lineno}: {node.func.id}()")
        elif isinstance(node.func, ast.Attribute) and node.func.attr in CLOCK_METHODS:
            wrong.append(f"line {node.lineno}: .{node.func.attr}()")
    assert not wrong, f"{path.relative_to(ROOT)} does I/O the core may not: {wrong}"


def entry_points(stage: str) -> set[str]:
    """The names a stage's __init__ lists in __all__."""
    tree = ast.parse((ROOT / "analyzer" / stage / "__init__.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "__all__"
                                                for t in node.targets):
            return {ast.literal_eval(e) for e in node.value.elts}
    return set()


def exported(module: str) -> set[str]:
    """What `from module import ...` may take as a stage's entry point."""
    parts = module.split(".")
    if len(parts) == 3 and parts[:2] == ["nutrigap", "analyzer"] and parts[2] in STAGES:
        return entry_points(parts[2])
    return set()


def reached_into(path: Path) -> list[str]:
    """The inner modules of a stage that `path` imports: nutrigap.analyzer.<stage>.<module>
    (a name the stage lists as an entry point is not one, even if a module shares it)."""
    inner = []
    for line, module in imports(path, names=exported):
        parts = module.split(".")
        if (len(parts) >= 4 and parts[:2] == ["nutrigap", "analyzer"] and parts[2] in STAGES
                and is_module(".".join(parts[:4]))):
            inner.append(f"line {line}: {'.'.join(parts[:4])}")
    return sorted(set(inner))


@pytest.mark.parametrize("path", EDGE_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_outside_the_core_a_stage_is_used_through_its_entry_points(path):
    name = str(path.relative_to(ROOT))
    inner = reached_into(path)
    if name in TOLERATED:
        assert inner, f"{name} no longer reaches into a stage: remove it from TOLERATED"
        return
    assert not inner, (f"{name} imports a stage's inner module ({inner}); import what it "
                       "needs from the stage itself, e.g. nutrigap.analyzer.logs, adding it "
                       "to that stage's entry points if it is not there yet")


def test_no_two_modules_import_each_other():
    graph: dict[str, set[str]] = {}
    for path in CORE_FILES + EDGE_FILES:
        here = module_name(path)
        # a package's __init__ naming its own modules is how a stage shows its entry points
        graph[here] = {m for _, m in imports(path) if is_module(m) and m != here
                       and not (path.name == "__init__.py" and m.startswith(here + "."))}

    def reachable(start: str) -> set[str]:
        seen, todo = set(), [start]
        while todo:
            for nxt in graph.get(todo.pop(), ()):
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        return seen

    reach = {module: reachable(module) for module in graph}
    cycles = {frozenset(m for m in reach[module] if module in reach[m])
              for module in graph if module in reach[module]}
    assert not cycles, "modules that import each other, directly or through others: " + \
        "; ".join(" <-> ".join(sorted(c)) for c in cycles)
