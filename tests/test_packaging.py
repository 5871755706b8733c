"""The install story: pyproject.toml, environment.yml, course.py, READMEs and CI agree."""
import ast
import hashlib
import importlib.metadata
import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement

import conftest

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

REPO = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text())
ENVIRONMENT = yaml.safe_load((REPO / "environment.yml").read_text())


def normalize(name):
    """PEP 503 name: 'PyYAML' -> 'pyyaml', 'jupyter_client' -> 'jupyter-client'."""
    return re.sub(r"[-_.]+", "-", name).lower()


def floors(requirements):
    """{normalized name: lower bound} from 'name>=x' strings (pip or conda spelling)."""
    result = {}
    for text in requirements:
        requirement = Requirement(text.replace(" ", ""))
        bounds = [s.version for s in requirement.specifier if s.operator == ">="]
        assert len(bounds) == 1 and len(requirement.specifier) == 1, \
            f"{text!r}: give exactly one version floor (>=), no pins or caps"
        result[normalize(requirement.name)] = bounds[0]
    return result


def conda_dependencies():
    return [d for d in ENVIRONMENT["dependencies"] if isinstance(d, str)]


def test_environment_yml_has_the_same_runtime_dependencies_as_pyproject():
    conda = floors(d for d in conda_dependencies() if d not in ("pip",))
    assert conda.pop("python") == PYPROJECT["project"]["requires-python"].lstrip(">=")
    assert conda == floors(PYPROJECT["project"]["dependencies"])


def test_environment_yml_installs_the_package_itself_with_pip():
    assert "pip" in conda_dependencies()
    pip_sections = [d["pip"] for d in ENVIRONMENT["dependencies"] if isinstance(d, dict)]
    assert pip_sections == [["-e ."]]


def _third_party_imports(path):
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names.add(node.module.split(".")[0])
    local = {"mlcore", "conftest", "browser_helpers"} | {p.stem for p in path.parent.glob("*.py")}
    return {n for n in names if n not in sys.stdlib_module_names and n not in local}


def test_every_module_the_code_imports_is_a_declared_dependency():
    """mlcore needs only runtime dependencies; tests also [dev] (and the pinned torch)."""
    runtime = set(floors(PYPROJECT["project"]["dependencies"]))
    dev = {normalize(Requirement(r).name) for r in PYPROJECT["project"]["optional-dependencies"]["dev"]}
    distributions = importlib.metadata.packages_distributions()

    def undeclared(paths, allowed):
        found = {}
        for path in paths:
            for module in _third_party_imports(path):
                # tomli is conditional; the oracles and the classroom tools are pinned in course.py
                if module in ("tomli", "torch", "keras", "nbgrader", "voila"):
                    continue
                names = {normalize(d) for d in distributions.get(module, [module])}
                if not names & allowed:
                    found[f"{path.relative_to(REPO)}: {module}"] = sorted(names)
        return found

    assert undeclared((REPO / "mlcore").rglob("*.py"), runtime) == {}
    assert undeclared((REPO / "tests").glob("*.py"), runtime | dev) == {}


def test_python3_kernel_runs_this_interpreter():
    """The default 'python3' kernelspec (what the notebooks name) starts this environment's Python."""
    from jupyter_client.manager import start_new_kernel

    manager, client = start_new_kernel(kernel_name="python3")
    try:
        outputs = []
        client.execute_interactive(
            "import sys, mlcore; print(sys.prefix); print(mlcore.__file__)", timeout=60,
            output_hook=lambda msg: outputs.append(msg["content"].get("text", "")))
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
    prefix, mlcore_file = "".join(outputs).split()
    assert prefix == sys.prefix
    assert Path(mlcore_file).resolve().is_relative_to(REPO / "mlcore")


# -- course.py -------------------------------------------------------------------------
def load_course():
    spec = importlib.util.spec_from_file_location("course", REPO / "course.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_course_py_uses_only_the_standard_library():
    assert _third_party_imports(REPO / "course.py") == set()


def test_oracle_pins_are_the_same_everywhere():
    assert load_course().TORCH_PIN == f"torch=={conftest.TORCH_PIN}"
    assert load_course().KERAS_PIN == f"keras=={conftest.KERAS_PIN}"
    readme = (REPO / "README.md").read_text()
    assert f"`torch=={conftest.TORCH_PIN}`" in readme and f"`keras=={conftest.KERAS_PIN}`" in readme


@pytest.fixture
def course(tmp_path, monkeypatch):
    """course.py pointed at a scratch repository, with pip and venv replaced by a recorder."""
    module = load_course()
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    monkeypatch.setattr(module, "ROOT", tmp_path)
    monkeypatch.setattr(module, "VENV", tmp_path / ".venv")
    monkeypatch.setattr(module, "STAMP", tmp_path / ".venv" / "mlcore-install.json")
    module.calls = []

    def run(cmd, **kwargs):
        module.calls.append(cmd)
        if cmd[1:3] == ["-m", "venv"]:
            module.venv_python().parent.mkdir(parents=True)
            module.venv_python().touch()
        return subprocess.CompletedProcess(cmd, 0)

    monkeypatch.setattr(module.subprocess, "run", run)
    monkeypatch.delenv("MLCORE_TEST_TORCH", raising=False)
    monkeypatch.delenv("MLCORE_TEST_KERAS", raising=False)
    monkeypatch.delenv("MLCORE_TEST_CLASSROOM", raising=False)
    return module


def pip_installs(course):
    installs = [cmd[cmd.index("install") + 1:] for cmd in course.calls if "pip" in cmd]
    course.calls.clear()
    return [[a for a in args if not a.startswith("--")] for args in installs]


def test_course_installs_once_then_only_what_is_missing(course, monkeypatch):
    course.ensure_installed("lab")
    assert [cmd[1:3] for cmd in course.calls][0] == ["-m", "venv"]
    assert pip_installs(course) == [["-e", "."]]
    course.ensure_installed("lab")
    assert pip_installs(course) == []  # stamp matches: no pip at all
    course.ensure_installed("test")
    assert pip_installs(course) == [["-e", ".[dev]"]]
    course.ensure_installed("lab")
    course.ensure_installed("test")
    assert pip_installs(course) == []
    monkeypatch.setenv("MLCORE_TEST_TORCH", "1")
    course.ensure_installed("test")
    assert pip_installs(course) == [["-e", ".[dev]", "torch==2.13.0"]]
    course.ensure_installed("test")
    assert pip_installs(course) == []
    monkeypatch.delenv("MLCORE_TEST_TORCH")
    monkeypatch.setenv("MLCORE_TEST_KERAS", "1")  # Keras runs on the pinned torch
    course.ensure_installed("test")
    assert pip_installs(course) == [["-e", ".[dev]", "torch==2.13.0", course.KERAS_PIN]]
    course.ensure_installed("test")
    assert pip_installs(course) == []


def test_classroom_commands_and_tests_install_the_pinned_classroom_tools(course, monkeypatch):
    course.ensure_installed("assignments")
    assert pip_installs(course) == [["-e", ".", *course.CLASSROOM_PINS]]
    course.ensure_installed("present")
    assert pip_installs(course) == []
    monkeypatch.setenv("MLCORE_TEST_CLASSROOM", "1")
    course.ensure_installed("test")
    assert pip_installs(course) == [["-e", ".[dev]", *course.CLASSROOM_PINS]]


def test_course_reinstalls_when_pyproject_changes(course):
    course.ensure_installed("test")
    pip_installs(course)
    (course.ROOT / "pyproject.toml").write_text("[project]\nname = 'x'\nversion = '2'\n")
    course.ensure_installed("lab")
    assert pip_installs(course) == [["-e", "."]]
    stamp = json.loads(course.STAMP.read_text())
    assert stamp["installed"] == ["runtime"]
    assert stamp["pyproject"] == hashlib.sha256((course.ROOT / "pyproject.toml").read_bytes()).hexdigest()


def test_course_failed_pip_leaves_no_stamp(course, monkeypatch):
    monkeypatch.setattr(course.subprocess, "run", lambda cmd, **kw: subprocess.CompletedProcess(
        cmd, 1 if "pip" in cmd else 0))
    course.venv_python().parent.mkdir(parents=True)
    course.venv_python().touch()
    with pytest.raises(SystemExit, match="pip install failed"):
        course.ensure_installed("lab")
    assert not course.STAMP.exists()


def test_course_runs_one_blas_thread_unless_told_otherwise(course, monkeypatch):
    for name in course.BLAS_THREADS:
        monkeypatch.delenv(name, raising=False)
    assert all(course.venv_environment()[name] == "1" for name in course.BLAS_THREADS)
    monkeypatch.setenv("OMP_NUM_THREADS", "4")
    assert course.venv_environment()["OMP_NUM_THREADS"] == "4"


# -- READMEs and CI ----------------------------------------------------------------------
CHAPTERS = ["00_neural_networks", "01_activations", "02_training", "03_loss",
            "04_datasets_and_generalization", "05_learning_paradigms", "06_backprop_math",
            "07_initialization", "08_regularization", "09_convolution", "10_padding",
            "11_pooling", "12_batch_norm", "13_fine_tuning", "14_babysitting"]


def test_notebooks_readme_lists_every_chapter_in_order():
    listed = re.findall(r"\((\d\d_[a-z_]+)\.ipynb\)", (REPO / "notebooks" / "README.md").read_text())
    assert listed == CHAPTERS
    present = sorted(p.stem for p in (REPO / "notebooks").glob("*.ipynb"))
    assert set(present) <= set(CHAPTERS), f"notebooks not in the chapter list: {set(present) - set(CHAPTERS)}"


def test_data_readme_states_the_checksums_the_loader_verifies():
    from mlcore import data

    readme = (REPO / "data" / "README.md").read_text()
    actual = hashlib.sha256((REPO / "data" / "mnist_5k.npz").read_bytes()).hexdigest()
    assert actual == data.MNIST_SHA256
    assert data.MNIST_SHA256 in readme


def test_ci_runs_the_readme_test_command():
    readme = (REPO / "README.md").read_text()
    ci = (REPO / ".ci" / "run").read_text()
    command = "python3 course.py test"
    assert f"    {command}" in readme or f"\n{command}" in readme
    assert re.search(rf"^MLCORE_TEST_TORCH=1 MLCORE_TEST_KERAS=1 MLCORE_TEST_CLASSROOM=1 {re.escape(command)}$",
                     ci, re.MULTILINE)
