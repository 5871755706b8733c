"""NetworkOverview in a real browser: JupyterLab 4 + headless Chromium, driven by Playwright.

A notebook made in a temporary folder builds the overview on the shipped
digits CNN; after Run All, choosing a map in the page's "open map" dropdown
must redraw the picture and name the chosen map in the readout.

With ``MLCORE_SCREENSHOTS=1`` the widget's screenshot is saved to
``docs/screenshots/network_overview.png`` (the README shows it).
"""
import re

import pytest

import browser_helpers as lab

pytestmark = [pytest.mark.browser, pytest.mark.slow]

TIMEOUT = 90  # seconds per step (page load, kernel start, one redraw) on a loaded machine
NOTEBOOK = "network_overview.ipynb"
CHOSEN = "conv2d_1 · map 5"
CELLS = ["from mlcore.teaching.pretrained import load_digits_0to4\n"
         "from mlcore.widgets import NetworkOverview\n"
         "\n"
         "overview = NetworkOverview(load_digits_0to4())\n"
         "overview"]


def test_choosing_a_map_opens_its_convolution(tmp_path_factory, playwright_chromium, tmp_path):
    with lab.notebook_in_lab(CELLS, NOTEBOOK, tmp_path_factory, playwright_chromium,
                             TIMEOUT) as page:
        try:
            assert page.get_by_text("Loading widget").count() == 0, "the widget did not render"
            before = lab.wait_until_settled(page, TIMEOUT, lambda: lab.image_digests(page),
                                            "the overview to be drawn")
            assert len(before) == 1 and "unreadable" not in before, before
            assert "open: conv2d · map 0" in lab.widget_labels(page)

            chooser = page.locator(".jp-OutputArea-output .widget-dropdown",
                                   has_text="open map").locator("select")
            chooser.scroll_into_view_if_needed()
            chooser.select_option(label=CHOSEN)
            after = lab.wait_until_settled(page, TIMEOUT, lambda: lab.image_digests(page),
                                           "the picture to change", changed_from=before)
            assert after != before
            lab._poll(lambda: f"open: {CHOSEN}" in lab.widget_labels(page), TIMEOUT,
                      f"the readout to name {CHOSEN!r}", describe=lambda: lab.widget_labels(page))
            labels = lab.widget_labels(page)
            assert re.search(r"predicted: \d \(\d+\.\d%\)", labels), labels
            # one input channel's numbers: the picture changes again
            channel = page.locator(".jp-OutputArea-output .widget-dropdown",
                                   has_text="input channel").locator("select")
            channel.select_option(label="2")
            lab.wait_until_settled(page, TIMEOUT, lambda: lab.image_digests(page),
                                   "the picture to change", changed_from=after)
            widget = page.locator(".jp-OutputArea-output").first
            shot = widget.screenshot(path=tmp_path / "after.png")
            print(f"screenshot: {tmp_path / 'after.png'}")
            lab.readme_screenshot(shot, "network_overview.png")
        except Exception:
            page.screenshot(path=tmp_path / "failure.png")
            print(f"screenshot of the failure: {tmp_path / 'failure.png'}")
            raise
