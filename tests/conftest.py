"""Shared test set-up: the engine seeded for every test, optional oracles (PyTorch,
Chromium) and a quiet home directory. Plain helper functions are in helpers.py.

Optional tools skip their tests with the reason when missing, except under CI
(the environment variable ``CI`` set to anything but ''/0/false), where a
missing oracle fails the test: CI must never skip a cross-check silently.
"""
import importlib
import os
import tempfile

# Keep Jupyter/IPython/matplotlib files out of the user's home when pytest runs
# directly (`course.py test` already points these at a temporary folder).
_HOME_WRITERS = ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR",
                 "IPYTHONDIR", "MPLCONFIGDIR")
_tmp_home = None
if not all(name in os.environ for name in _HOME_WRITERS):
    _tmp_home = tempfile.TemporaryDirectory(prefix="mlcore-pytest-")
    for _name in _HOME_WRITERS:
        os.environ.setdefault(_name, os.path.join(_tmp_home.name, _name.lower()))

import matplotlib  # noqa: E402  (after MPLCONFIGDIR is set)
import pytest  # noqa: E402

matplotlib.use("Agg")  # tests draw off-screen; set here, not via MPLBACKEND, which kernels would inherit

TORCH_PIN = "2.13.0"


def in_ci():
    """True when the environment variable CI is set (GitHub Actions, GitLab CI and most services set CI=true)."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def missing(reason):
    """Skip the calling test with ``reason``; under CI fail it instead."""
    if in_ci():
        pytest.fail(f"{reason} (CI is set, so this fails instead of skipping)", pytrace=False)
    pytest.skip(reason)


def require_torch():
    """Return the ``torch`` module, or skip/fail (see :func:`missing`) if it is not installed."""
    try:
        torch = importlib.import_module("torch")
    except ImportError:
        missing(f"PyTorch is not installed; the cross-checks need torch=={TORCH_PIN}: "
                "run `MLCORE_TEST_TORCH=1 python3 course.py test`")
    return torch


@pytest.fixture(autouse=True)
def seed():
    """Every test starts from the engine's seed 0, so its weights and random draws repeat."""
    import mlcore

    mlcore.set_seed(0)


@pytest.fixture
def float64():
    """Run a test in float64 (gradient checks need it), then restore float32."""
    import mlcore

    with mlcore.float_precision("float64"):
        yield


@pytest.fixture(scope="session")
def torch():
    """PyTorch CPU for cross-checks (skips without it, fails under CI)."""
    return require_torch()


def pytest_unconfigure(config):
    if _tmp_home is not None:
        _tmp_home.cleanup()


@pytest.fixture(scope="session")
def playwright_chromium():
    """A running Playwright (sync API) plus the path of the system Chromium it launches.

    Skips without playwright or /usr/bin/chromium (fails under CI). Playwright's
    own browser download is never used: the system Chromium is.
    """
    from browser_helpers import CHROMIUM

    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("playwright (Python) is not installed: `python3 course.py test` installs it")
    if not os.path.exists(CHROMIUM):
        missing(f"{CHROMIUM} not found: install it with `apt-get install -y chromium`")
    with sync_playwright() as playwright:
        yield playwright
