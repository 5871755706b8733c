"""The import rules of ``mlcore``, read from the source with ``ast`` (nothing is imported).

Every ``import`` statement counts, at the top of a module or inside a function:
an import hidden in a function is still a dependency, and a cycle it closes is
still a cycle. The rules:

- no import cycle;
- floors, as ``mlcore/__init__.py`` lists them: a module imports only from its
  own floor or the ones below (``ops`` -> ``layers`` -> ``training`` -> ``model``;
  ``training`` knows the model only through the protocol it declares, and
  ``model`` mixes the loop in, as Keras' ``Model`` inherits its ``Trainer``);
- so the engine never imports ``teaching``, ``exercises`` or ``widgets``;
- nothing inside ``mlcore`` but ``mlcore/__init__.py`` imports the package root.

(``tests/test_exercises_imports.py`` adds the exercises package's own rules.)
"""
import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "mlcore"


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


def find_cycle(graph):
    """One import cycle as a list of modules (first == last), or None."""
    state = {}

    def visit(node, stack):
        state[node] = "open"
        stack.append(node)
        for nxt in graph[node]:
            if nxt not in graph or nxt == node:
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

    for node in graph:
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
    del graph["mlcore.sub.b"]["mlcore.a"]
    assert find_cycle(graph) is None


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
def test_no_import_cycle():
    cycle = find_cycle(GRAPH)
    assert cycle is None, "import cycle: " + " -> ".join(cycle)


def test_nothing_inside_mlcore_imports_the_package_root():
    importers = [f"{source} (line {edges['mlcore']})" for source, edges in GRAPH.items()
                 if source != "mlcore" and "mlcore" in edges]
    assert importers == [], f"these import mlcore/__init__.py: {importers}"


# From the ground up; a module may import its own floor and the floors below.
FLOORS = [
    ["mlcore.backend", "mlcore.arguments"],
    ["mlcore.ops"],
    ["mlcore.activations", "mlcore.initializers", "mlcore.regularizers", "mlcore.losses",
     "mlcore.metrics", "mlcore.optimizers", "mlcore.summary", "mlcore.saving"],
    ["mlcore.layers"],
    ["mlcore.training"],
    ["mlcore.model"],
    ["mlcore.data"],
    ["mlcore.teaching", "mlcore.experiments"],
    ["mlcore.exercises", "mlcore.widgets"],
    ["mlcore"],  # the package's __init__: the public API
]
ENGINE = [part for floor in FLOORS[:7] for part in floor]


def floor_of(module):
    """Index in FLOORS of the longest part that holds ``module``."""
    matches = [(len(part), index) for index, floor in enumerate(FLOORS) for part in floor
               if in_part(module, part)]
    return max(matches)[1]


def test_every_module_imports_only_its_floor_and_below():
    upward = [f"{source} -> {target} (line {line})" for source, edges in GRAPH.items()
              for target, line in edges.items()
              if target != "mlcore" and floor_of(target) > floor_of(source)]  # root: rule below
    assert upward == [], "imports that run up the floors: " + "; ".join(upward)


def test_the_engine_never_imports_teaching_exercises_or_widgets():
    assert offending(ENGINE, ["mlcore.teaching", "mlcore.exercises", "mlcore.widgets"]) == []


def test_the_training_loop_knows_the_model_only_through_its_protocol():
    assert offending(["mlcore.training"], ["mlcore.model"]) == []


def test_every_module_is_on_a_floor():
    """A new top-level module or package must be placed on a floor (and FLOORS parts exist)."""
    unplaced = [module for module in GRAPH if module != "mlcore" and floor_of(module) == 9]
    assert unplaced == []
    parts = [part for floor in FLOORS for part in floor if part != "mlcore.experiments"]
    assert [part for part in parts if not any(in_part(m, part) for m in GRAPH)] == []


def test_root_holds_at_most_14_modules():
    """The engine's public pieces; training, teaching, data, widgets, ... are packages."""
    modules = sorted(p.name for p in ROOT.glob("*.py"))
    assert len(modules) <= 14, modules


def test_the_public_names_survive_the_move():
    """``from mlcore import X`` and the attributes the chapters and docs use keep working."""
    import mlcore
    import mlcore.widgets

    assert mlcore.callbacks.EarlyStopping is mlcore.EarlyStopping
    assert mlcore.gradcheck.check_layer and mlcore.pretrained.load_digits_0to4
    assert mlcore.augment.random_transform and mlcore.cluster.kmeans and mlcore.visualize
    for name in mlcore.__all__:
        assert hasattr(mlcore, name), name
    for name in mlcore.widgets.__all__:
        assert hasattr(mlcore.widgets, name), name
    assert mlcore.widgets.Explorer.__module__ == "mlcore.widgets.base.view"
