"""Widgets in a real browser: JupyterLab 4 + headless Chromium, driven by Playwright.

For each case (notebook, slider index): open a copy of the notebook with its
outputs cleared, Run All, press ArrowRight on that slider's handle and check
that the slider's value and a picture in the outputs changed.

Chapter authors: add ``("NN_name.ipynb", slider_index)`` to ``CHAPTER_CASES``
for a slider whose move redraws a picture, and ``("NN_name.ipynb", playground_index)``
to ``PLAY_CASES`` for a Playground whose Play button must train it live. Screenshots of every case are kept
in pytest's temporary folder (the path is printed; run with ``-s`` to see it).
"""
from pathlib import Path

import nbformat
import pytest

import browser_helpers as lab

pytestmark = [pytest.mark.browser, pytest.mark.slow]

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
TIMEOUT = 60  # seconds per step (page load, kernel start, one slider move)
# Run All: chapters are budgeted at 30 s, but a loaded 2-core CI machine runs them slower
RUN_ALL_TIMEOUT = 240
FIXTURE = "widget_fixture.ipynb"
README_CHAPTER = "09_convolution.ipynb"  # its screenshot shows a chapter in README
# The fixture notebook's two sliders: matplotlib via interactive_output (a data: URL
# <img>) and an mlcore WidgetView (an ipywidgets.Image, a blob: URL <img>).
FIXTURE_CASES = [(FIXTURE, 0), (FIXTURE, 1)]
CHAPTER_CASES = [
    ("00_neural_networks.ipynb", 1),                # NeuronExplorer: weight w1
    ("01_activations.ipynb", 1),                    # NeuronExplorer: weight w1
    ("02_training.ipynb", 0),                       # GradientDescentExplorer 1-D: learning rate
    ("03_loss.ipynb", 0),                           # LossExplorer: predicted probability p
    ("04_datasets_and_generalization.ipynb", 1),   # CapacityExplorer: training samples
    ("05_learning_paradigms.ipynb", 0),             # DenoisingExplorer: noise std
    ("06_backprop_math.ipynb", 0),                  # WeightUpdateAnimator: step
    ("07_initialization.ipynb", 7),                 # InitializationExplorer: weight std (after the Playground's 7)
    ("08_regularization.ipynb", 7),                 # RegularizationExplorer: L2 lambda (after the Playground's 7)
    ("09_convolution.ipynb", 5),                    # NetworkOverview: row of the opened pixel
    ("10_padding.ipynb", 3),                        # ConvolutionAnimator: filter size
    ("11_pooling.ipynb", 2),                        # PoolingAnimator: window size
    ("12_batch_norm.ipynb", 1),                     # BatchNormExplorer: gamma
    ("13_fine_tuning.ipynb", 0),                    # FineTuningExplorer: labelled per digit
]
# (notebook, index of the Playground among the notebook's Playgrounds) after Run All:
# pressing Play must redraw its picture several times (one epoch per tick).
PLAY_CASES = [
    ("02_training.ipynb", 0),                       # Playground: the learning-rate question
    ("08_regularization.ipynb", 0),                 # Playground: over-fitting on the noisy circle
]
PLAY_SECONDS, PLAY_CHANGES = 6.0, 3
# Chapters with a NetworkOverview: (notebook, a map to choose in its "open map" dropdown).
OVERVIEW_CASES = [
    ("11_pooling.ipynb", "conv2d · map 1"),   # opens on max_pooling2d · map 1
]


def fixture_notebook():
    """A FloatSlider + interactive_output plot, and a minimal mlcore WidgetView."""
    cells = [
        "%matplotlib inline\n"
        "import ipywidgets as widgets\n"
        "import matplotlib.pyplot as plt\n"
        "import numpy as np\n"
        "from mlcore.widgets import WidgetView\n"
        "t = np.linspace(0, 2 * np.pi, 200)",

        "frequency = widgets.FloatSlider(value=1.0, min=0.5, max=3.0, step=0.25,\n"
        "                                description='frequency')\n"
        "\n"
        "def draw(frequency):\n"
        "    fig, ax = plt.subplots(figsize=(4, 2.5))\n"
        "    ax.plot(t, np.sin(frequency * t))\n"
        "    ax.set(xlabel='t', ylabel='sin(f t)', title=f'f = {frequency:.2f}')\n"
        "    plt.show()\n"
        "\n"
        "display(frequency, widgets.interactive_output(draw, {'frequency': frequency}))",

        "class Wave(WidgetView):\n"
        "    def __init__(self):\n"
        "        super().__init__(figsize=(4, 2.5))\n"
        "        ax = self.figure.add_subplot(xlabel='t', ylabel='sin(f t)')\n"
        "        (self.line,) = ax.plot(t, np.sin(t))\n"
        "        self.slider = widgets.IntSlider(value=1, min=1, max=5, description='f')\n"
        "        self.slider.observe(self.update, 'value')\n"
        "        self.controls = [self.slider]\n"
        "        self.animate(self.line)  # redrawn on every refresh()\n"
        "        self.refresh()\n"
        "\n"
        "    def update(self, change):\n"
        "        self.line.set_ydata(np.sin(change['new'] * t))\n"
        "        self.refresh()\n"
        "\n"
        "Wave()",
    ]
    return lab.code_notebook(cells)


def cleared_copy(source, target):
    """Copy a chapter notebook without outputs, so everything shown comes from the live kernel."""
    notebook = nbformat.read(source, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    nbformat.write(notebook, target)


@pytest.fixture(scope="module")
def server(tmp_path_factory, playwright_chromium):
    """JupyterLab serving a temporary folder that holds the fixture and copied chapters."""
    root = tmp_path_factory.mktemp("lab-root")
    nbformat.write(fixture_notebook(), root / FIXTURE)
    for name in {name for name, _ in CHAPTER_CASES + PLAY_CASES + OVERVIEW_CASES}:
        cleared_copy(NOTEBOOKS / name, root / name)
    with lab.JupyterLabServer(root, tmp_path_factory.mktemp("lab-home"), TIMEOUT) as running:
        yield running


@pytest.fixture(scope="module")
def browser(tmp_path_factory, playwright_chromium):
    context = lab.launch_chromium(playwright_chromium, tmp_path_factory.mktemp("chromium"))
    yield context
    context.close()


@pytest.fixture(scope="module")
def opened(server, browser):
    """open(notebook) -> a page showing it after Run All; each notebook is opened and run once."""
    pages = {}

    def open_and_run(notebook, screenshot_dir):
        if notebook not in pages:
            page = browser.new_page()
            try:
                lab.open_notebook(page, server, notebook, TIMEOUT)
                pages[notebook] = (page, lab.run_all(page, RUN_ALL_TIMEOUT))
            except Exception:
                page.screenshot(path=screenshot_dir / "failure.png")
                print(f"screenshot of the failure: {screenshot_dir / 'failure.png'}")
                page.close()
                raise
        return pages[notebook]

    yield open_and_run
    for page, _ in pages.values():
        page.close()


@pytest.mark.parametrize("notebook, slider", FIXTURE_CASES + CHAPTER_CASES,
                         ids=[f"{n}-slider{i}" for n, i in FIXTURE_CASES + CHAPTER_CASES])
def test_slider_redraws_picture(server, opened, notebook, slider, tmp_path):
    page, ran = opened(notebook, tmp_path)
    with lab.screenshot_on_failure(page, tmp_path, server):
        assert "[ ]:" not in ran, f"some cells did not run (an error stopped Run All): {ran}"
        assert page.get_by_text("Loading widget").count() == 0, "a widget did not render"
        handle = lab.slider_handle(page, slider)
        assert handle.count() == 1, f"{notebook} shows fewer than {slider + 1} slider handles"
        before = lab.wait_until_settled(page, TIMEOUT, lambda: lab.image_digests(page),
                                        "the pictures to be drawn")
        assert before and "unreadable" not in before, f"no readable picture in the outputs: {before}"
        value_before = lab.slider_readout(handle)
        page.screenshot(path=tmp_path / "before.png")

        lab.press_slider(handle)
        after = lab.wait_until_settled(page, TIMEOUT, lambda: lab.image_digests(page),
                                       "a picture to change", changed_from=before)
        shot = page.screenshot(path=tmp_path / "after.png")
        print(f"screenshots: {tmp_path}")
        if notebook == README_CHAPTER:
            lab.readme_screenshot(shot, "chapter.png")
        assert lab.slider_readout(handle) != value_before, "the slider did not move"
        assert len(after) == len(before)
        assert sum(a != b for a, b in zip(before, after)) >= 1


@pytest.mark.parametrize("notebook, chosen", OVERVIEW_CASES,
                         ids=[f"{n}-overview" for n, _ in OVERVIEW_CASES])
def test_choosing_a_map_in_the_overview_opens_it(server, opened, notebook, chosen, tmp_path):
    page, ran = opened(notebook, tmp_path)
    with lab.screenshot_on_failure(page, tmp_path, server):
        assert "[ ]:" not in ran, f"some cells did not run (an error stopped Run All): {ran}"
        chooser = page.locator(".jp-OutputArea-output .widget-dropdown",
                               has_text="open map").locator("select")
        assert chooser.count() == 1, f"{notebook} shows {chooser.count()} 'open map' dropdowns"
        before = lab.wait_until_settled(page, TIMEOUT, lambda: lab.image_digests(page),
                                        "the pictures to be drawn")
        assert f"open: {chosen}" not in lab.widget_labels(page)
        chooser.scroll_into_view_if_needed()
        chooser.select_option(label=chosen)
        after = lab.wait_until_settled(page, TIMEOUT, lambda: lab.image_digests(page),
                                       "the overview to redraw", changed_from=before)
        lab._poll(lambda: f"open: {chosen}" in lab.widget_labels(page), TIMEOUT,
                  f"the readout to name {chosen!r}", describe=lambda: lab.widget_labels(page))
        page.screenshot(path=tmp_path / "after.png")
        print(f"screenshot: {tmp_path / 'after.png'}")
        assert sum(a != b for a, b in zip(before, after)) == 1   # only the overview redrew


@pytest.mark.parametrize("notebook, playground", PLAY_CASES,
                         ids=[f"{n}-playground{i}" for n, i in PLAY_CASES])
def test_play_trains_playground(server, opened, notebook, playground, tmp_path):
    page, ran = opened(notebook, tmp_path)
    with lab.screenshot_on_failure(page, tmp_path, server):
        assert "[ ]:" not in ran, f"some cells did not run (an error stopped Run All): {ran}"
        output = lab.playground_output(page, playground)
        assert output.count() == 1, f"{notebook} shows fewer than {playground + 1} Playgrounds"
        output.scroll_into_view_if_needed()
        picture = lambda: output.locator("img").first.get_attribute("src")  # noqa: E731
        lab.wait_until_settled(page, TIMEOUT, picture, "the Playground's picture to be drawn")
        play_pause = output.locator(".widget-play button").first
        play_pause.click()
        changes = lab.count_changes(picture, PLAY_SECONDS)
        page.screenshot(path=tmp_path / "playing.png")
        play_pause.click()  # pause, so the kernel is free for the next case
        print(f"screenshot: {tmp_path / 'playing.png'}; {changes} changes in {PLAY_SECONDS} s")
        assert changes >= PLAY_CHANGES, (f"the Playground's picture changed {changes} times in "
                                         f"{PLAY_SECONDS} s of Play")
