"""The shape of the code: thin shells, small modules, optional drivers imported lazily."""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "skydd"
MODULES = sorted(SRC.rglob("*.py"))
MAX_LINES = 800

# package → the only place it may be imported (a file, or a folder with everything under it)
SHELLS = {
    "typer": "src/skydd/cli/",
    "fastapi": "src/skydd/web/",
    "starlette": "src/skydd/web/",
    "uvicorn": "src/skydd/web/",
}
DRIVERS = ("psycopg", "pymysql", "weasyprint", "cryptography", "playwright")


def _rel(file: Path) -> str:
    return file.relative_to(ROOT).as_posix()


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imports(tree: ast.AST, top: bool = True) -> Iterator[tuple[str, int, bool]]:
    """(top-level package, line, runs at import time) for every absolute import."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name.split(".")[0], node.lineno, top
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module.split(".")[0], node.lineno, top
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            yield from imports(node, top=False)
        elif isinstance(node, ast.If) and _is_type_checking(node):
            yield from imports(ast.Module(body=node.orelse, type_ignores=[]), top)
        else:
            yield from imports(node, top)


def _parsed() -> Iterator[tuple[str, ast.Module]]:
    for file in MODULES:
        yield _rel(file), ast.parse(file.read_text(encoding="utf-8"), filename=str(file))


def test_modules_are_found() -> None:
    assert "src/skydd/cli/__init__.py" in {_rel(f) for f in MODULES}


def test_frameworks_stay_in_their_shells() -> None:
    wrong = [
        f"{rel}:{line} imports {package}; only {SHELLS[package]} may"
        for rel, tree in _parsed()
        for package, line, _ in imports(tree)
        if package in SHELLS and not rel.startswith(SHELLS[package])
    ]
    assert not wrong, "\n".join(wrong)


def test_drivers_are_imported_lazily() -> None:
    """A core install (no extras) must import every module; drivers load inside functions."""
    wrong = [
        f"{rel}:{line} imports {package} at module level; import it inside the function "
        "that needs it and raise MissingExtraError when it is missing"
        for rel, tree in _parsed()
        for package, line, top in imports(tree)
        if package in DRIVERS and top
    ]
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("file", MODULES, ids=_rel)
def test_modules_stay_small(file: Path) -> None:
    lines = len(file.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, (
        f"{_rel(file)} has {lines} lines (at most {MAX_LINES}): split it by concept"
    )


BLOCKED_IMPORT = """
import importlib, pkgutil, sys
drivers = {drivers!r}
for name in drivers:
    sys.modules[name] = None  # what a core install looks like: importing it fails
import skydd
failed = []
for info in pkgutil.walk_packages(skydd.__path__, "skydd.", onerror=lambda name: None):
    if info.name.startswith("skydd.web") or info.name.endswith("__main__"):
        continue
    if ".migrations" in info.name:  # Alembic scripts run inside Alembic, not on import
        continue
    try:
        importlib.import_module(info.name)
    except Exception as exc:  # other failures are for the module's own tests
        if isinstance(exc, ImportError) and (exc.name or "").split(".")[0] in drivers:
            failed.append(f"{{info.name}} needs {{exc.name}} to import")
print("\\n".join(failed))
"""


def test_core_install_imports_without_drivers() -> None:
    """The static check above, proven: no module needs a driver to be imported.

    Modules that fail to import for other reasons are left to their own tests.
    """
    code = BLOCKED_IMPORT.format(drivers=DRIVERS)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "", done.stdout


def test_the_import_walker_sees_nesting() -> None:
    tree = ast.parse(
        "import os\n"
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    import psycopg\n"
        "try:\n    import pymysql\nexcept ImportError:\n    pass\n"
        "def f():\n    import weasyprint\n"
        "class C:\n    import typer\n"
    )
    assert sorted(imports(tree)) == [
        ("os", 1, True),
        ("pymysql", 6, True),
        ("typer", 12, True),
        ("typing", 2, True),
        ("weasyprint", 10, False),
    ]
