#!/usr/bin/env python3
"""Run the engine and widget tests against the oldest versions pyproject.toml admits.

pyproject.toml gives each runtime dependency a floor (``numpy>=1.24``) rather
than a pin, so learners can install the course beside what they already
have. This script checks that the floors are true: it makes a throw-away
virtual environment, installs the package with every runtime dependency held
to its floor's release series (``numpy==1.24.*``), and runs ``tests/`` there.
Left out: the notebooks, the browser test and the packaging test (they need
the [dev] tools at their own versions), and the PyTorch cross-checks, which
skip because PyTorch is not installed here (the main test run has them).

    python3 scripts/test_dependency_floors.py [pytest options]

Standard library only; needs Python 3.11+ (tomllib) and the package registry.
"""
import os
import re
import subprocess
import sys
import tempfile
import tomllib
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def floor_constraints():
    """'name==X.Y.*' for every 'name>=X.Y' runtime dependency of pyproject.toml."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    constraints = []
    for requirement in project["dependencies"]:
        match = re.fullmatch(r"([A-Za-z0-9_.-]+)>=([0-9.]+)", requirement.replace(" ", ""))
        if match is None:
            sys.exit(f"test_dependency_floors: expected 'name>=version', got {requirement!r}")
        constraints.append(f"{match[1]}=={match[2]}.*")
    return constraints


def main(pytest_args):
    with tempfile.TemporaryDirectory(prefix="mlcore-floors-") as tmp:
        env_dir, constraints_file = Path(tmp) / "venv", Path(tmp) / "floors.txt"
        constraints = floor_constraints()
        constraints_file.write_text("\n".join(constraints) + "\n")
        print("test_dependency_floors: installing", " ".join(constraints), flush=True)
        venv.create(env_dir, with_pip=True)
        python = env_dir / ("Scripts" if os.name == "nt" else "bin") / "python"
        subprocess.run([python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                        "-c", constraints_file, "-e", ROOT, "pytest"], check=True)
        env = dict(os.environ, CI="")  # PyTorch is absent on purpose: skip, do not fail
        command = [python, "-m", "pytest", "-p", "no:cacheprovider", str(ROOT / "tests"),
                   "--ignore", str(ROOT / "tests" / "test_packaging.py"),
                   "--ignore", str(ROOT / "tests" / "test_browser.py"), *pytest_args]
        return subprocess.run(command, cwd=ROOT, env=env).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
