"""mlcore.exercises stays small and acyclic: at most 8 framework modules besides the
chapter modules, no import cycle (local imports included), no re-export shims, and
nothing taken from mlcore/__init__. The graph is built from the source with ast."""
import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "mlcore"
EXERCISES = PACKAGE / "exercises"
MAX_FRAMEWORK_MODULES = 8


def is_module(dotted):
    """True if ``dotted`` (e.g. 'mlcore.data') names a module or package in the source tree."""
    path = PACKAGE.parent.joinpath(*dotted.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def imports(path):
    """Every module ``path`` imports, anywhere in it (local imports too), as dotted names;
    ``from package import name`` counts as importing ``package.name`` when that is a module."""
    package = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts[:-1])
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{parent}.{base}" if base else parent
            for alias in node.names:
                found.add(f"{base}.{alias.name}" if is_module(f"{base}.{alias.name}") else base)
    return found


def module_name(path):
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def graph():
    return {module_name(path): imports(path) for path in sorted(EXERCISES.glob("*.py"))}


def framework_modules():
    return [path for path in sorted(EXERCISES.glob("*.py")) if not path.name.startswith("ch")]


def test_at_most_eight_framework_modules():
    names = [path.name for path in framework_modules()]
    assert len(names) <= MAX_FRAMEWORK_MODULES, names


def test_no_import_cycle_inside_exercises():
    edges = {name: {m for m in targets if m.startswith("mlcore.exercises.")}
             for name, targets in graph().items() if name != "mlcore.exercises"}
    done, path = set(), []

    def visit(name):
        if name in path:
            raise AssertionError("import cycle: " + " -> ".join(path[path.index(name):] + [name]))
        if name in done:
            return
        path.append(name)
        for target in edges.get(name, ()):
            visit(target)
        path.pop()
        done.add(name)

    for name in edges:
        visit(name)


def test_nothing_imports_mlcore_init_or_the_exercises_package():
    for name, targets in graph().items():
        assert "mlcore" not in targets, f"{name} takes names from mlcore/__init__"
        if name != "mlcore.exercises":
            assert "mlcore.exercises" not in targets, f"{name} imports mlcore.exercises/__init__"


def test_no_re_export_shims():
    """Every framework module but __init__ defines something of its own."""
    for path in framework_modules():
        if path.name == "__init__.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        own = [n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.ClassDef))]
        assert own, f"{path.name} only re-exports"


def test_the_graph_reader_sees_cycles_and_package_imports(tmp_path):
    """The checks above can fail: a relative import is resolved to its module."""
    assert "mlcore.exercises.present" in imports(EXERCISES / "questions.py")
    assert "mlcore.layers" in imports(EXERCISES / "ch00_neural_networks.py")
    probe = EXERCISES / "feedback.py"
    assert imports(probe) == {"html"}
