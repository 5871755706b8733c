#!/usr/bin/env python3
"""Set up and run the course with one command (standard library only).

    python3 course.py lab  [jupyter lab options]   # open JupyterLab on notebooks/
    python3 course.py test [pytest options]        # run the whole test suite
    python3 course.py book [--out DIR]             # build the offline book into book/
    python3 course.py assignments [--out DIR]      # write an nbgrader course (nbgrader-course/)
    python3 course.py present NN [voila options]   # chapter NN in Voila, code hidden (a projector)
    python3 course.py links --hub URL --repo URL   # a JupyterHub (nbgitpuller) link per chapter

Each command first makes sure ``.venv/`` (a virtual environment inside the
repository) exists and holds what it needs, installing only what is missing:
``lab`` and ``book`` need the package (``pip install -e .``), ``test`` also its ``[dev]``
extra, plus ``torch==2.13.0`` when the environment variable
``MLCORE_TEST_TORCH=1`` is set, and ``keras`` (run on that torch) as well
when ``MLCORE_TEST_KERAS=1`` is set. ``assignments`` and ``present`` add the
classroom tools (pinned nbgrader and Voila), and so does ``test`` when
``MLCORE_TEST_CLASSROOM=1`` is set. A stamp file in ``.venv/`` remembers what was
installed for which ``pyproject.toml``, so the second run starts at once.
Delete ``.venv/`` to start over.
"""
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

if sys.version_info < (3, 10):
    sys.exit("course.py: the course needs Python 3.10 or newer, this is "
             + sys.version.split()[0])

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
STAMP = VENV / "mlcore-install.json"
TORCH_PIN = "torch==2.13.0"  # a newer or bare `torch` pulls a multi-GB CUDA build
KERAS_PIN = "keras==3.15.1"  # the tests run it on the torch backend, so it brings TORCH_PIN
CLASSROOM_PINS = ["nbgrader==0.9.6", "voila==0.5.13"]  # the versions tried with JupyterLab 4
SANITIZE = "tests/nbval_sanitize.cfg"
BLAS_THREADS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
# Where Jupyter, IPython and matplotlib would write into the user's home.
HOME_WRITERS = ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR",
                "IPYTHONDIR", "MPLCONFIGDIR", "KERAS_HOME")


def venv_bin():
    return VENV / ("Scripts" if os.name == "nt" else "bin")


def venv_python():
    return venv_bin() / ("python.exe" if os.name == "nt" else "python")


def create_venv():
    """Create .venv with the Python running this script; remove it again if that fails."""
    print(f"course.py: creating {VENV.name}/ with Python {sys.version.split()[0]}", flush=True)
    result = subprocess.run([sys.executable, "-m", "venv", str(VENV)])
    if result.returncode != 0:
        shutil.rmtree(VENV, ignore_errors=True)
        sys.exit("course.py: could not create the virtual environment (see the message above; "
                 "on Debian/Ubuntu: sudo apt install python3-venv)")


def wanted_parts(command):
    """The install steps a command needs: 'runtime', 'dev', 'torch', 'keras', 'classroom'."""
    parts = {"runtime"}
    if command in ("assignments", "present"):
        parts.add("classroom")
    if command == "test":
        if os.environ.get("MLCORE_TEST_CLASSROOM") == "1":
            parts.add("classroom")
        parts.add("dev")
        if os.environ.get("MLCORE_TEST_TORCH") == "1":
            parts.add("torch")
        if os.environ.get("MLCORE_TEST_KERAS") == "1":
            parts |= {"torch", "keras"}
    return parts


def ensure_installed(command):
    """Create .venv if missing and pip-install whatever `command` needs and the stamp lacks."""
    if not venv_python().exists():
        create_venv()
    if subprocess.run([str(venv_python()), "-c", "pass"]).returncode != 0:
        sys.exit(f"course.py: {venv_python()} does not run; delete {VENV} and try again")
    pyproject_hash = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    try:
        stamp = json.loads(STAMP.read_text())
    except (OSError, ValueError):
        stamp = {}
    # A changed pyproject.toml invalidates everything installed before.
    done = set(stamp.get("installed", [])) if stamp.get("pyproject") == pyproject_hash else set()
    wanted = wanted_parts(command)
    if wanted <= done:
        return
    parts = wanted | done
    specs = ["-e", ".[dev]" if "dev" in parts else "."]
    if "torch" in parts:
        specs.append(TORCH_PIN)
    if "keras" in parts:
        specs.append(KERAS_PIN)
    if "classroom" in parts:
        specs += CLASSROOM_PINS
    print(f"course.py: installing {' '.join(specs)} into {VENV.name}/ "
          "(the first time takes a minute or two)", flush=True)
    pip = [str(venv_python()), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    if subprocess.run(pip + specs, cwd=ROOT).returncode != 0:
        sys.exit("course.py: pip install failed (see above); nothing was marked as installed")
    STAMP.write_text(json.dumps({"pyproject": pyproject_hash, "installed": sorted(parts)}))


def venv_environment():
    """os.environ with .venv activated (its bin/ first on PATH)."""
    env = dict(os.environ)
    env["VIRTUAL_ENV"] = str(VENV)
    env["PATH"] = str(venv_bin()) + os.pathsep + env.get("PATH", "")
    env.pop("PYTHONHOME", None)
    # One BLAS thread: the course's matrices are small, and on a busy machine
    # (a class server, a shared CI runner) two spinning BLAS threads made
    # chapters 3-8x slower. It also keeps trained numbers identical to the
    # stored notebook outputs, which were produced this way.
    for name in BLAS_THREADS:
        env.setdefault(name, "1")
    return env


def run_lab(args):
    """Replace this process with JupyterLab serving notebooks/ (Ctrl-C stops it)."""
    cmd = [str(venv_python()), "-m", "jupyter", "lab",
           f"--ServerApp.root_dir={ROOT / 'notebooks'}", *args]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")  # containers often run as root; Jupyter refuses without it
    if os.name == "nt":  # no exec on Windows
        return subprocess.call(cmd, env=venv_environment())
    os.execve(cmd[0], cmd, venv_environment())


def run_tests(args):
    """pytest over tests/ and every notebook (nbval, strict); nothing written to home."""
    cmd = [str(venv_python()), "-m", "pytest", "--nbval", "--nbval-sanitize-with", SANITIZE, *args]
    with tempfile.TemporaryDirectory(prefix="mlcore-test-") as tmp:
        env = venv_environment()
        for name in HOME_WRITERS:
            env[name] = os.path.join(tmp, name.lower())
        return subprocess.call(cmd, cwd=ROOT, env=env)


def run_book(args):
    """Build book/ (or --out DIR) from the notebooks' stored outputs; nothing is executed."""
    cmd = [str(venv_python()), str(ROOT / "booktools" / "build.py"), *args]
    return subprocess.call(cmd, cwd=ROOT, env=venv_environment())


def run_assignments(args):
    """Write the nbgrader course (classroom/assignments.py; README's instructor section)."""
    cmd = [str(venv_python()), str(ROOT / "classroom" / "assignments.py"), *args]
    return subprocess.call(cmd, cwd=ROOT, env=venv_environment())


def chapter_notebook(number):
    """notebooks/NN_*.ipynb for '2', '02' or '02_training'; exits with the choices if none."""
    prefix = number.split("_")[0].zfill(2)
    found = sorted((ROOT / "notebooks").glob(f"{prefix}_*.ipynb"))
    if not prefix.isdigit() or len(found) != 1:
        names = ", ".join(p.stem for p in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")))
        sys.exit(f"course.py present: expected a chapter number 00-14, got {number!r}; "
                 f"the chapters are {names}")
    return found[0]


def run_present(args):
    """Replace this process with Voila showing one chapter without its code (Ctrl-C stops it)."""
    if not args or args[0].startswith("-"):
        sys.exit("course.py present: name a chapter, e.g. `python3 course.py present 02`")
    notebook = chapter_notebook(args[0])
    cmd = [str(venv_bin() / "voila"), str(notebook), "--strip_sources=True", *args[1:]]
    if os.name == "nt":
        return subprocess.call(cmd, cwd=ROOT / "notebooks", env=venv_environment())
    os.chdir(ROOT / "notebooks")
    os.execve(cmd[0], cmd, venv_environment())


def run_links(args):
    """Print an nbgitpuller link per chapter (classroom/hub_links.py)."""
    cmd = [sys.executable, str(ROOT / "classroom" / "hub_links.py"), *args]
    return subprocess.call(cmd, cwd=ROOT)


COMMANDS = {"lab": run_lab, "test": run_tests, "book": run_book,
            "assignments": run_assignments, "present": run_present, "links": run_links}


def main(argv):
    if not argv or argv[0] not in COMMANDS:
        print(__doc__)
        return 2
    command, args = argv[0], argv[1:]
    if command != "links":                      # standard library only: no .venv needed
        ensure_installed(command)
    return COMMANDS[command](args)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
