"""Lecture mode in a real browser (issue 25): ``python3 course.py present 02`` serves chapter 02
in Voila; the page shows no code, and pressing Play on its Playground changes the picture."""
import pytest

from browser_helpers import CoursePresentServer, _poll, launch_chromium
from conftest import require_module

pytestmark = [pytest.mark.browser, pytest.mark.slow]
TIMEOUT = 180          # Voila runs the whole chapter before it shows the page


@pytest.fixture(scope="module")
def playwright(playwright_chromium):
    """The session's one Playwright (a second sync instance cannot start beside it), once
    Voila is known to be installed."""
    require_module("voila", "Voila is not installed; lecture mode needs voila==0.5.13: "
                            "run `MLCORE_TEST_CLASSROOM=1 python3 course.py test`")
    return playwright_chromium


def test_chapter_02_is_presented_without_code_and_its_playground_plays(playwright, tmp_path_factory):
    with CoursePresentServer("02", tmp_path_factory.mktemp("voila"), timeout=TIMEOUT) as server:
        context = launch_chromium(playwright, tmp_path_factory.mktemp("chromium"))
        page = context.new_page()
        try:
            page.goto(server.url, timeout=TIMEOUT * 1000)
            # the Playground's output: the one with a "new sample" button
            playground = page.locator(".jp-Cell-outputWrapper").filter(
                has=page.get_by_role("button", name="new sample")).first
            play = playground.locator(".widget-play button").first
            play.wait_for(timeout=TIMEOUT * 1000)
            assert page.locator(".jp-CodeCell .jp-InputArea, .cm-editor, .jp-CodeMirrorEditor").count() == 0
            text = page.inner_text("body")
            assert "import mlcore" not in text and "Playground(" not in text
            picture = playground.locator("img").first
            before = picture.get_attribute("src")
            play.click()
            _poll(lambda: picture.get_attribute("src") != before, 30,
                  "the Playground's picture to change after Play")
        except Exception:
            print(f"Voila log:\n{server.log_text()}")
            raise
        finally:
            context.close()
