"""mlcore.exercises stays small: at most 8 framework modules besides the chapter modules,
no re-export shims, and no module of it leans on the package's ``__init__``.

The import graph comes from ``tests/test_import_graph.py`` (read from the source with ast,
local imports included), whose ``test_no_import_cycle`` covers the exercises too.
"""
import ast
from pathlib import Path

from test_import_graph import GRAPH

EXERCISES = Path(__file__).resolve().parent.parent / "mlcore" / "exercises"
MAX_FRAMEWORK_MODULES = 8


def framework_modules():
    return [path for path in sorted(EXERCISES.glob("*.py")) if not path.name.startswith("ch")]


def test_at_most_eight_framework_modules():
    names = [path.name for path in framework_modules()]
    assert len(names) <= MAX_FRAMEWORK_MODULES, names


def test_no_exercise_module_imports_the_exercises_package_init():
    """The package's __init__ gathers the modules; a module importing it back would close a cycle
    through every chapter."""
    importers = [f"{source} (line {edges['mlcore.exercises']})" for source, edges in GRAPH.items()
                 if source.startswith("mlcore.exercises.") and "mlcore.exercises" in edges]
    assert importers == []


def test_no_re_export_shims():
    """Every framework module but __init__ defines something of its own."""
    for path in framework_modules():
        if path.name == "__init__.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        own = [n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.ClassDef))]
        assert own, f"{path.name} only re-exports"
