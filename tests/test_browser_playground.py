"""The Playground in a real browser: JupyterLab 4 + headless Chromium, driven by Playwright.

A notebook with one cell, a 2-4-4-1 ``Playground``, is run; pressing the
Play button must change the picture at least 15 times in 5 s (each change
is a tick trained and drawn by the kernel, driven by the browser's Play
widget; the page itself counts them, so none is missed between two polls),
and pressing Pause must stop it: no change for 2 s after one tick's grace.
The rate and the machine's load are printed (the target is 20 pictures a
second; the floor is low because the machine is shared).

With the environment variable ``MLCORE_SCREENSHOTS=1`` the test also saves
``docs/screenshots/playground.png`` (the README shows it).
"""
import os
import time

import pytest

import browser_helpers as lab

pytestmark = [pytest.mark.browser, pytest.mark.slow]

TIMEOUT = 60
NOTEBOOK = "playground.ipynb"
CELLS = ["from mlcore.widgets import Playground\n"
         "pg = Playground(dataset='xor', hidden=(4, 4), features=('x1', 'x2', 'x1x2'))\n"
         "pg"]


@pytest.fixture(scope="module")
def page(tmp_path_factory, playwright_chromium):
    """The notebook opened and run in JupyterLab (one kernel for the module)."""
    with lab.notebook_in_lab(CELLS, NOTEBOOK, tmp_path_factory, playwright_chromium,
                             TIMEOUT) as opened:
        yield opened


def picture(page):
    """The ``src`` of the output's picture: a new blob URL for every new image."""
    sources = page.eval_on_selector_all(".jp-OutputArea-output img", "els => els.map(e => e.src)")
    assert len(sources) == 1, f"expected the Playground's one picture, found {len(sources)}"
    return sources[0]


def changes_during(page, seconds, interval=0.05):
    """How many times the picture changed within ``seconds``."""
    last, count, end = picture(page), 0, time.monotonic() + seconds
    while time.monotonic() < end:
        time.sleep(interval)
        now = picture(page)
        count += now != last
        last = now
    return count


def changes_counted_by_the_page(page, seconds):
    """How many times the picture's ``src`` changed within ``seconds``, counted in the page."""
    page.evaluate("""() => {
        const image = document.querySelector('.jp-OutputArea-output img');
        window.pictureChanges = 0;
        window.pictureObserver = new MutationObserver(records => {
            window.pictureChanges += records.length;
        });
        window.pictureObserver.observe(image, {attributes: true, attributeFilter: ['src']});
    }""")
    time.sleep(seconds)
    return page.evaluate("() => { window.pictureObserver.disconnect(); "
                         "return window.pictureChanges; }")


def play_pause(page):
    """The Play widget's first button: play, and pause while playing (ipywidgets 8)."""
    return page.locator(".jp-OutputArea-output .widget-play button").first


def epoch(page):
    return page.locator(".jp-OutputArea-output .widget-html-content b").first.text_content()


def test_play_animates_and_pause_stops(page, tmp_path):
    try:
        assert page.get_by_text("Loading widget").count() == 0, "the widget did not render"
        lab.wait_until_settled(page, TIMEOUT, lambda: picture(page), "the picture to be drawn")
        assert epoch(page) == "0"
        play_pause(page).click()
        time.sleep(1.0)  # the first ticks warm up
        load = os.getloadavg()[0]
        changes = changes_counted_by_the_page(page, 5.0)
        print(f"{changes / 5:.1f} pictures a second while playing (load average {load:.2f} "
              f"on {os.cpu_count()} cores)")
        assert changes >= 15, f"the picture changed {changes} times in 5 s of Play"
        panel = page.locator(".jp-NotebookPanel").first.bounding_box()
        lab.readme_screenshot(page.screenshot(clip=panel), "playground.png")
        play_pause(page).click()  # pause
        time.sleep(0.5)  # one tick may be under way when Pause is pressed
        stopped_at = epoch(page)
        assert changes_during(page, 2.0) == 0, "the picture still changed after Pause"
        assert epoch(page) == stopped_at and int(stopped_at) >= 5
        page.screenshot(path=tmp_path / "paused.png")
        print(f"screenshot: {tmp_path / 'paused.png'}; {changes} changes in 5 s, "
              f"paused at epoch {stopped_at}")
    except Exception:
        page.screenshot(path=tmp_path / "failure.png")
        print(f"screenshot of the failure: {tmp_path / 'failure.png'}")
        raise
