"""Drive JupyterLab 4 in headless Chromium (Playwright) to check that widgets really work.

``JupyterLabServer`` starts JupyterLab on loopback with everything it writes kept
in a temporary folder; the functions below open a notebook, run all cells, press
a slider's handle and read the pictures the outputs show.
"""
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]
# User settings that keep the page quiet and every cell in the DOM.
LAB_SETTINGS = {
    "@jupyterlab/apputils-extension/notification": {"fetchNews": "false",
                                                     "checkForUpdates": False},
    "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
}
IDLE = re.compile(r"\(ipykernel\) \| Idle")


def code_notebook(cells):
    """A notebook of code cells (texts) for the default 'python3' kernel."""
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)",
                                       "language": "python"}
    return notebook


@contextmanager
def notebook_in_lab(cells, name, tmp_path_factory, playwright, timeout):
    """A JupyterLab page showing notebook ``name`` made of ``cells``, after Run All.

    Everything runs in temporary folders; the JupyterLab log is printed when the
    body fails, and the browser is closed at the end.
    """
    root = tmp_path_factory.mktemp("lab-root")
    nbformat.write(code_notebook(cells), root / name)
    with JupyterLabServer(root, tmp_path_factory.mktemp("lab-home"), timeout) as server:
        context = launch_chromium(playwright, tmp_path_factory.mktemp("chromium"))
        page = context.new_page()
        try:
            open_notebook(page, server, name, timeout)
            ran = run_all(page, timeout * 2)
            assert "[ ]:" not in ran, f"the cell did not run: {ran}"
            yield page
        except Exception:
            print(f"JupyterLab log:\n{server.log_text()}")
            raise
        finally:
            context.close()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def isolated_environment(base):
    """os.environ with Jupyter, IPython, matplotlib and XDG folders under ``base``."""
    env = dict(os.environ)
    for name in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR",
                 "MPLCONFIGDIR", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        env[name] = str(base / name.lower())
    # kernels import this checkout's mlcore even when it is not pip-installed
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    env["JUPYTERLAB_SETTINGS_DIR"] = str(base / "lab-settings")
    env["JUPYTERLAB_WORKSPACES_DIR"] = str(base / "lab-workspaces")  # empty: no saved layout
    return env


class LocalServer:
    """A Jupyter server process on 127.0.0.1 with its files kept under ``base``.

    Use as a context manager; the server is stopped by its PID on exit. Subclasses give
    the command (:meth:`command`) and the path that answers 200 once it is ready.
    """

    name = "the server"
    ready_path = "/api/status"

    def __init__(self, root, base, timeout=60):
        self.root, self.base, self.timeout = Path(root), Path(base), timeout
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = isolated_environment(self.base)
        self.log_path = self.base / "server.log"
        self.process = None

    def command(self):
        raise NotImplementedError

    def __enter__(self):
        self.log = open(self.log_path, "w")
        self.process = subprocess.Popen(self.command(), env=self.env, stdout=self.log,
                                        stderr=subprocess.STDOUT, cwd=self.root)
        try:
            self._wait_until_ready()
        except BaseException:
            self.__exit__()
            raise
        return self

    def _wait_until_ready(self):
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.process.returncode}:\n{self.log_text()}")
            try:
                with urllib.request.urlopen(f"{self.url}{self.ready_path}", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        raise TimeoutError(f"{self.name} did not answer within {self.timeout} s:\n{self.log_text()}")

    def log_text(self):
        return self.log_path.read_text(errors="replace")[-4000:]

    def __exit__(self, *exc):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


class JupyterLabServer(LocalServer):
    """JupyterLab serving ``root``, no token, with quiet user settings."""

    name = "JupyterLab"

    def command(self):
        for plugin, values in LAB_SETTINGS.items():
            path = Path(self.env["JUPYTERLAB_SETTINGS_DIR"]) / f"{plugin}.jupyterlab-settings"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(values))
        cmd = [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--allow-root",
               "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={self.port}",
               "--ServerApp.port_retries=0", "--IdentityProvider.token=",
               "--PasswordIdentityProvider.hashed_password=",
               f"--ServerApp.root_dir={self.root}",
               "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
        return cmd


class CoursePresentServer(LocalServer):
    """``python3 course.py present <chapter>``: Voila showing one chapter without its code."""

    name = "Voila (course.py present)"
    ready_path = "/voila/static/voila.js"

    def __init__(self, chapter, base, timeout=60):
        super().__init__(REPO, base, timeout)
        self.chapter = chapter

    def command(self):
        return [sys.executable, str(REPO / "course.py"), "present", self.chapter, "--no-browser",
                f"--port={self.port}", "--Voila.ip=127.0.0.1"]


def launch_chromium(playwright, base):
    """A headless Chromium context with its own profile and XDG folders under ``base``."""
    env = isolated_environment(base)
    return playwright.chromium.launch_persistent_context(
        str(base / "chromium-profile"), executable_path=CHROMIUM, headless=True,
        args=CHROMIUM_FLAGS, env=env, viewport={"width": 1280, "height": 900})


def _poll(check, timeout, what, interval=0.25, describe=None):
    """Call ``check()`` until it returns something truthy; TimeoutError naming ``what``
    (and, if given, ``describe()``: the state it was stuck in)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(interval)
    state = f"; last seen: {describe()}" if describe else ""
    raise TimeoutError(f"gave up after {timeout} s waiting for {what}{state}")


def kernel_idle(page):
    return page.locator(".jp-StatusBar-TextItem", has_text=IDLE).count() > 0


def prompts(page):
    """The input prompts of the open notebook's code cells, e.g. ['[1]:', '[*]:', '[ ]:']."""
    return page.eval_on_selector_all(
        ".jp-CodeCell .jp-InputPrompt", "els => els.map(e => e.textContent.trim())")


def open_notebook(page, server, name, timeout):
    """Open ``name`` (relative to the server root) and wait for its kernel to be idle."""
    page.goto(f"{server.url}/lab/tree/{name}")
    page.locator(".jp-Notebook").first.wait_for(timeout=timeout * 1000)
    _poll(lambda: kernel_idle(page), timeout, "the kernel to start ('(ipykernel) | Idle')")


def run_all(page, timeout):
    """Menu Run > Run All Cells; wait until every code cell has run and the kernel is idle.

    Returns the prompts; a cell that never ran (an error stopped the run) keeps '[ ]:'.
    """
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click()
    _poll(lambda: any(p != "[ ]:" for p in prompts(page)), timeout, "Run All to start")
    return wait_until_settled(page, timeout, lambda: tuple(prompts(page)),
                              "all cells to finish")


def wait_until_settled(page, timeout, read, what, quiet=1.0, changed_from=None):
    """Wait until the kernel is idle, no cell is running and ``read()`` stays the same
    (and differs from ``changed_from``, if given) for ``quiet`` seconds; return it."""
    state = {"value": None, "since": time.monotonic()}

    def settled():
        if not kernel_idle(page) or any("*" in p for p in prompts(page)):
            state["value"] = None
            return None
        value = read()
        if value != state["value"]:
            state["value"], state["since"] = value, time.monotonic()
            return None
        if changed_from is not None and value == changed_from:
            return None
        return time.monotonic() - state["since"] >= quiet and (value,)

    describe = lambda: f"kernel idle={kernel_idle(page)}, prompts={prompts(page)}"  # noqa: E731
    return _poll(settled, timeout, what, describe=describe)[0]


IMAGE_DIGESTS_JS = """
async () => {
  const digests = [];
  for (const img of document.querySelectorAll('.jp-OutputArea-output img')) {
    try {
      const bytes = await (await fetch(img.src)).arrayBuffer();
      const hash = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
      digests.push(Array.from(hash, b => b.toString(16).padStart(2, '0')).join(''));
    } catch (e) {
      digests.push('unreadable');  // a blob URL replaced while we read it: read again later
    }
  }
  return digests;
}
"""


def image_digests(page):
    """SHA-256 of the bytes of every picture in the outputs (data: and blob: URLs alike)."""
    return tuple(page.evaluate(IMAGE_DIGESTS_JS))


def slider_handle(page, index):
    """The ``index``-th slider handle in the outputs (a range slider has two)."""
    return page.locator(".jp-OutputArea-output .noUi-handle").nth(index)


def slider_readout(handle):
    """The value text shown beside the slider that ``handle`` belongs to."""
    slider = handle.locator("xpath=ancestor::div[contains(@class, 'widget-slider')][1]")
    return slider.locator(".widget-readout").first.text_content().strip()


def press_slider(handle, key="ArrowRight"):
    """Focus a slider handle and press ``key`` (one step of the slider)."""
    handle.scroll_into_view_if_needed()
    handle.focus()
    handle.press(key)


SCREENSHOTS = REPO / "docs" / "screenshots"
SCREENSHOT_BYTES = 150_000  # README pictures stay small


def readme_screenshot(png_bytes, name):
    """With ``MLCORE_SCREENSHOTS=1``, keep a screenshot for the README as docs/screenshots/NAME.

    Saved as a 256-colour PNG when the full-colour one is over the budget.
    Returns the path, or None when the variable is not set.
    """
    if os.environ.get("MLCORE_SCREENSHOTS", "") in ("", "0"):
        return None
    import io

    from PIL import Image

    if len(png_bytes) > SCREENSHOT_BYTES:
        image = Image.open(io.BytesIO(png_bytes)).convert("RGB").quantize(256)
        buffer = io.BytesIO()
        image.save(buffer, format="png", optimize=True)
        png_bytes = buffer.getvalue()
    path = SCREENSHOTS / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(png_bytes)
    print(f"saved {path} ({len(png_bytes) // 1024} KB)")
    return path


def widget_labels(page):
    """The text of every ipywidgets Label in the outputs, joined (a widget's readout line)."""
    labels = page.locator(".jp-OutputArea-output .widget-label")
    return " ".join(labels.all_text_contents())


def playground_output(page, index):
    """The ``index``-th Playground in the outputs: an output with a Play button and an
    optimizer menu (the gradient-descent explorer has a Play button but no optimizer)."""
    return (page.locator(".jp-OutputArea-output")
            .filter(has=page.locator(".widget-play")).filter(has_text="optimizer").nth(index))


def count_changes(read, seconds, interval=0.05):
    """How many times ``read()`` returned a new value within ``seconds``."""
    last, count, end = read(), 0, time.monotonic() + seconds
    while time.monotonic() < end:
        time.sleep(interval)
        now = read()
        count += now != last
        last = now
    return count


@contextmanager
def screenshot_on_failure(page, folder, server):
    """On an exception inside the block: save ``folder/failure.png`` and print JupyterLab's log."""
    try:
        yield
    except Exception:
        page.screenshot(path=folder / "failure.png")
        print(f"screenshot of the failure: {folder / 'failure.png'}\n"
              f"JupyterLab log:\n{server.log_text()}")
        raise
