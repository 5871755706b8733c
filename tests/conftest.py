"""Shared test set-up: the engine seeded for every test, optional oracles (PyTorch,
Keras, Chromium) and a quiet home directory. Plain helper functions are in helpers.py.

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
                 "IPYTHONDIR", "MPLCONFIGDIR", "KERAS_HOME")
_tmp_home = None
if not all(name in os.environ for name in _HOME_WRITERS):
    _tmp_home = tempfile.TemporaryDirectory(prefix="mlcore-pytest-")
    for _name in _HOME_WRITERS:
        os.environ.setdefault(_name, os.path.join(_tmp_home.name, _name.lower()))

import matplotlib  # noqa: E402  (after MPLCONFIGDIR is set)
import pytest  # noqa: E402

matplotlib.use("Agg")  # tests draw off-screen; set here, not via MPLBACKEND, which kernels would inherit

TORCH_PIN = "2.13.0"
KERAS_PIN = "3.15.1"


def in_ci():
    """True when the environment variable CI is set (GitHub Actions, GitLab CI and most services set CI=true)."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def missing(reason):
    """Skip the calling test with ``reason``; under CI fail it instead."""
    if in_ci():
        pytest.fail(f"{reason} (CI is set, so this fails instead of skipping)", pytrace=False)
    pytest.skip(reason)


def require_module(name, reason):
    """Import and return module ``name``; if it is not installed, skip/fail with ``reason``."""
    try:
        return importlib.import_module(name)
    except ImportError:
        missing(reason)


def require_torch():
    """Return the ``torch`` module, or skip/fail (see :func:`missing`) if it is not installed."""
    return require_module("torch", f"PyTorch is not installed; the cross-checks need "
                          f"torch=={TORCH_PIN}: run `MLCORE_TEST_TORCH=1 python3 course.py test`")


def require_keras():
    """Return the ``keras`` module on the torch backend, or skip/fail if it is not installed."""
    # Keras reads its backend once, when first imported.
    os.environ["KERAS_BACKEND"] = "torch"
    keras = require_module("keras", f"Keras is not installed; the cross-checks need "
                           f"keras=={KERAS_PIN} on torch=={TORCH_PIN}: "
                           "run `MLCORE_TEST_KERAS=1 python3 course.py test`")
    if keras.backend.backend() != "torch":
        pytest.fail(f"keras was imported with the {keras.backend.backend()!r} backend before "
                    "the tests could choose 'torch'", pytrace=False)
    return keras


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


@pytest.fixture(scope="session")
def keras():
    """Keras 3 on the torch backend for cross-checks (skips without it, fails under CI)."""
    return require_keras()


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


# -- small data and models shared by the engine's tests --------------------------------
@pytest.fixture
def blobs():
    """``blobs(n=200, seed=0)`` -> ``(x, y)``: two Gaussian clouds in 2-D, labels 0 and 1,
    2.5 apart, so a small network separates them in a few epochs."""
    import numpy as np

    def make(n=200, seed=0):
        rng = np.random.default_rng(seed)
        y = rng.integers(0, 2, n)
        return rng.standard_normal((n, 2)) + 2.5 * y[:, None], y

    return make


@pytest.fixture
def two_three_two():
    """``two_three_two()`` -> a new course model: 2 inputs, 3 relu, 2 softmax (17 weights)."""
    from mlcore import Dense, Sequential

    return lambda: Sequential([Dense(3, input_shape=(2,), activation="relu"),
                               Dense(2, activation="softmax")])


@pytest.fixture
def compiled(two_three_two):
    """A new ``two_three_two()`` compiled with Adam(0.05), sparse cross-entropy and accuracy."""
    from mlcore import Adam

    model = two_three_two()
    model.compile(Adam(0.05), "sparse_categorical_crossentropy", ["accuracy"])
    return model
