"""The import graph of shopdata/ has no cycles, function-level imports included.

Every `import` and `from … import` counts wherever it is written (module level, inside a function, in a
try block), because it runs when that code runs. Imports under `if TYPE_CHECKING:` are left out: they
never run, they only tell the type checker about a name.
"""

from __future__ import annotations

import ast
from pathlib import Path

SHOPDATA = Path(__file__).resolve().parents[2] / "shopdata"


def module_names(root: Path) -> dict[str, Path]:
    """Dotted module name -> file, for every .py under the package directory `root`."""
    names = {}
    for path in sorted(root.rglob("*.py")):
        parts = [root.name, *path.relative_to(root).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts.pop()
        names[".".join(parts)] = path
    return names


def _is_type_checking_block(node: ast.AST) -> bool:
    if not isinstance(node, ast.If):
        return False
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.AST) -> list[ast.Import | ast.ImportFrom]:
    """Every import statement that can run (the body of `if TYPE_CHECKING:` cannot; its else can)."""
    found: list[ast.Import | ast.ImportFrom] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.Import | ast.ImportFrom):
            found.append(node)
        if _is_type_checking_block(node):
            assert isinstance(node, ast.If)
            for child in node.orelse:
                visit(child)
            return
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def _with_parents(name: str, importer: str, modules: dict[str, Path]) -> set[str]:
    """The modules that importing `name` runs: a.b.c runs a/__init__ and a/b/__init__ first. The
    importer's own packages are left out: they are already imported when the importer runs."""
    own = {".".join(importer.split(".")[:n]) for n in range(1, importer.count(".") + 2)}
    parts = name.split(".")
    chain = (".".join(parts[:n]) for n in range(1, len(parts) + 1))
    return {module for module in chain if module in modules and module not in own}


def import_graph(root: Path) -> dict[str, set[str]]:
    """module -> the modules of the same package it imports."""
    modules = module_names(root)
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        targets: set[str] = set()
        for node in _imports(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                targets.update(alias.name for alias in node.names)
                continue
            base = node.module or ""
            if node.level:  # relative: from . import x, from ..a import b
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, *([base] if base else [])])
            targets.add(base)
            # `from pkg import name`: name may be a submodule, which is then imported too.
            targets.update(f"{base}.{alias.name}" for alias in node.names if f"{base}.{alias.name}" in modules)
        graph[name] = set().union(*(_with_parents(t, name, modules) for t in targets if t)) - {name}
    return graph


def find_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle (a → … → a) through each group of modules that import one another, found by DFS."""
    cycles: list[list[str]] = []
    done: set[str] = set()
    on_path: list[str] = []

    def visit(module: str) -> None:
        on_path.append(module)
        for target in sorted(graph.get(module, ())):
            if target in on_path:
                cycles.append([*on_path[on_path.index(target) :], target])
            elif target not in done:
                visit(target)
        on_path.pop()
        done.add(module)

    for module in sorted(graph):
        if module not in done:
            visit(module)
    return cycles


def test_shopdata_has_no_import_cycles() -> None:
    graph = import_graph(SHOPDATA)
    assert "shopdata.store" in graph and "shopdata.engine" in graph["shopdata.store"]  # the graph is read
    cycles = find_cycles(graph)
    assert not cycles, "import cycles:\n" + "\n".join(" -> ".join(cycle) for cycle in cycles)


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root / "pkg"


def test_a_cycle_through_a_function_level_import_is_found(tmp_path: Path) -> None:
    package = write(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/a.py": "from pkg.b import thing\n",
            "pkg/b.py": "def thing():\n    from pkg import a\n    return a\n",
            "pkg/c.py": "import pkg.a\n",
        },
    )
    assert find_cycles(import_graph(package)) == [["pkg.a", "pkg.b", "pkg.a"]]


def test_a_relative_import_and_a_package_init_count(tmp_path: Path) -> None:
    package = write(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/sub/__init__.py": "from pkg.top import x\n",
            "pkg/sub/inner.py": "from ..top import x\n",
            "pkg/top.py": "from .sub.inner import y\nx = 1\n",
        },
    )
    graph = import_graph(package)
    assert graph["pkg.top"] == {"pkg.sub", "pkg.sub.inner"}  # pkg/sub/__init__ runs first
    assert graph["pkg.sub.inner"] == {"pkg.top"}
    assert find_cycles(graph) == [["pkg.sub", "pkg.top", "pkg.sub"], ["pkg.top", "pkg.sub.inner", "pkg.top"]]


def test_imports_only_for_the_type_checker_are_not_a_cycle(tmp_path: Path) -> None:
    package = write(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/a.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg.b import B\n",
            "pkg/b.py": "import typing\nfrom pkg import a\nif typing.TYPE_CHECKING:\n    import pkg.a\nelse:\n    pass\n",
        },
    )
    assert import_graph(package) == {"pkg": set(), "pkg.a": set(), "pkg.b": {"pkg.a"}}
    assert find_cycles(import_graph(package)) == []
