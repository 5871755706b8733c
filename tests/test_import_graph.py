"""The import rules of ``mlcore``, read from the source with ``ast`` (nothing is imported).

Every ``import`` statement counts, at the top of a module or inside a function:
an import hidden in a function is still a dependency, and a cycle it closes is
still a cycle. The rules:

- no import cycle;
- the engine's floors: ``ops`` -> ``layers`` -> ``model``; ``layers`` and ``ops`` never
  import the model or the training loop, and ``training`` knows the model only
  through the protocol it declares (it imports neither ``model`` nor ``layers``);
- the engine never imports ``teaching``, ``exercises`` or ``widgets``;
- nothing inside ``mlcore`` but ``mlcore/__init__.py`` imports the package root.

The inside of ``mlcore/exercises/`` is left out of the first and the last rule
until its own rebuild (a cycle of nine modules, and ``selftest`` importing ``mlcore``).
"""
import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "mlcore"
EXERCISES = "mlcore.exercises"  # its own issue rebuilds it: exempt from the first two rules


def module_name(path, root=ROOT):
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def is_package(path):
    return path.name == "__init__.py"


def resolve(importer, is_pkg, level, module):
    """The absolute name a relative ``from <dots><module> import`` refers to."""
    if level == 0:
        return module
    base = importer.split(".")
    if not is_pkg:
        base = base[:-1]  # a module's own package
    if level > 1:
        base = base[:-(level - 1)]
    return ".".join(base + ([module] if module else []))


def imports_of(path, modules, root=ROOT):
    """The ``mlcore`` modules that ``path`` imports, each with the line, anywhere in the file.

    ``from P import name`` counts as an import of ``P.name`` when that is a
    module, else of ``P`` (the package whose ``__init__`` hands the name on).
    """
    me = module_name(path, root)
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            source = resolve(me, is_package(path), node.level, node.module)
            targets = [f"{source}.{alias.name}" if f"{source}.{alias.name}" in modules else source
                       for alias in node.names]
        else:
            continue
        found += [(target, node.lineno) for target in targets
                  if target == "mlcore" or target.startswith("mlcore.")]
    return found


def import_graph(root=ROOT):
    """``{module: {imported module: line}}`` for every module of the package at ``root``."""
    paths = sorted(root.rglob("*.py"))
    modules = {module_name(p, root) for p in paths}
    graph = {}
    for path in paths:
        edges = {}
        for target, line in imports_of(path, modules, root):
            while target not in modules:  # `import mlcore.ops.conv` of a name, not a module
                target = target.rpartition(".")[0]
            edges.setdefault(target, line)
        graph[module_name(path, root)] = edges
    return graph


def find_cycle(graph, skip=()):
    """One import cycle as a list of modules (first == last), or None."""
    nodes = [n for n in graph if not n.startswith(tuple(skip))]
    state = {}

    def visit(node, stack):
        state[node] = "open"
        stack.append(node)
        for nxt in graph[node]:
            if nxt not in graph or nxt.startswith(tuple(skip)) or nxt == node:
                continue
            if state.get(nxt) == "open":
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state:
                cycle = visit(nxt, stack)
                if cycle:
                    return cycle
        stack.pop()
        state[node] = "done"
        return None

    for node in nodes:
        if node not in state:
            cycle = visit(node, [])
            if cycle:
                return cycle
    return None


GRAPH = import_graph()


def in_part(module, part):
    return module == part or module.startswith(part + ".")


def offending(importers, imported):
    """``'a -> b (line n)'`` for every import from the ``importers`` parts into ``imported``."""
    return [f"{source} -> {target} (line {line})"
            for source, edges in GRAPH.items() if any(in_part(source, p) for p in importers)
            for target, line in edges.items() if any(in_part(target, p) for p in imported)]


# -- the reader itself, on a small package written for the purpose -------------------------------
def write_package(tmp_path, files):
    for name, text in files.items():
        path = tmp_path / "mlcore" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return tmp_path / "mlcore"


def test_reader_resolves_relative_and_local_imports(tmp_path):
    root = write_package(tmp_path, {
        "__init__.py": "from . import a\n",
        "a.py": "from .sub import b\n",
        "sub/__init__.py": "",
        "sub/b.py": "def f():\n    from ..a import g  # hidden in a function\n    from .. import c\n",
        "c.py": "import numpy\n",
    })
    graph = import_graph(root)
    assert graph["mlcore"] == {"mlcore.a": 1}
    assert graph["mlcore.a"] == {"mlcore.sub.b": 1}
    assert graph["mlcore.sub.b"] == {"mlcore.a": 2, "mlcore.c": 3}
    assert find_cycle(graph) == ["mlcore.a", "mlcore.sub.b", "mlcore.a"]
    assert find_cycle(graph, skip=["mlcore.sub"]) is None


def test_reader_sees_the_cycle_de6d538_hid_in_a_function(tmp_path):
    """callbacks.py imported progress.py inside CallbackList.__init__; progress imported callbacks."""
    root = write_package(tmp_path, {
        "__init__.py": "",
        "callbacks.py": "class CallbackList:\n    def __init__(self):\n"
                        "        from .progress import ProgressBar\n",
        "progress.py": "from .callbacks import Callback\n",
    })
    assert find_cycle(import_graph(root)) == ["mlcore.callbacks", "mlcore.progress",
                                              "mlcore.callbacks"]


# -- the rules, on mlcore ----------------------------------------------------------------------
def test_no_import_cycle_outside_exercises():
    cycle = find_cycle(GRAPH, skip=[EXERCISES])
    assert cycle is None, "import cycle: " + " -> ".join(cycle)


def test_nothing_inside_mlcore_imports_the_package_root():
    importers = [f"{source} (line {edges['mlcore']})" for source, edges in GRAPH.items()
                 if source != "mlcore" and "mlcore" in edges and not in_part(source, EXERCISES)]
    assert importers == [], f"these import mlcore/__init__.py: {importers}"


ENGINE = ["mlcore.ops", "mlcore.layers", "mlcore.model", "mlcore.training", "mlcore.activations",
          "mlcore.losses", "mlcore.optimizers", "mlcore.initializers", "mlcore.regularizers",
          "mlcore.metrics", "mlcore.arguments", "mlcore.backend", "mlcore.summary",
          "mlcore.saving", "mlcore.data"]


@pytest.mark.parametrize("importers, imported", [
    (["mlcore.ops"], ["mlcore.layers", "mlcore.model", "mlcore.training"]),
    (["mlcore.layers"], ["mlcore.model", "mlcore.training"]),
    (["mlcore.training"], ["mlcore.model", "mlcore.layers"]),  # the protocol, not the class
    (ENGINE, ["mlcore.teaching", "mlcore.exercises", "mlcore.widgets"]),
    (["mlcore.teaching"], ["mlcore.exercises", "mlcore.widgets"]),
], ids=["ops", "layers", "training", "engine", "teaching"])
def test_no_import_runs_against_the_floors(importers, imported):
    assert offending(importers, imported) == []


def test_every_engine_part_exists():
    """A renamed part would make the rules above check nothing."""
    for part in ENGINE + ["mlcore.teaching", "mlcore.exercises", "mlcore.widgets"]:
        assert any(in_part(module, part) for module in GRAPH), part


def test_root_holds_at_most_14_modules():
    """The engine's public pieces; training, teaching, data, widgets, ... are packages."""
    modules = sorted(p.name for p in ROOT.glob("*.py"))
    assert len(modules) <= 14, modules
