"""The offline book (`python3 course.py book`) and chapter exports that keep their pictures.

The book is built once per module from the notebooks' stored outputs. Its
pages are checked as files (chapters present, links resolve, nothing loaded
from the network) and then read in headless Chromium with every request that
is not a local file aborted: pictures shown, formulas typeset, solutions
folded. A screenshot of one chapter is kept in pytest's temporary folder
(the path is printed; run with ``-s`` to see it).
"""
import html
import importlib.util
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import nbformat
import pytest

import browser_helpers

REPO = Path(__file__).resolve().parent.parent
NOTEBOOKS = REPO / "notebooks"
BUILD = REPO / "booktools" / "build.py"
EXPORT_CONFIG = REPO / "booktools" / "nbconvert_config.py"
CHAPTERS = sorted(p.stem for p in NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
WIDGET = "application/vnd.jupyter.widget-view+json"
EXPORTED = "09_convolution"  # the chapter the issue exported: two widgets, formulas

pytestmark = pytest.mark.slow


def load_build_module():
    spec = importlib.util.spec_from_file_location("booktools_build", BUILD)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def stored_pictures(stem):
    """(image outputs, widget outputs) a reader sees without opening anything: outside solution
    cells and folded reveals (``outputs_hidden``), which the book shows only when clicked."""
    notebook = nbformat.read(NOTEBOOKS / f"{stem}.ipynb", as_version=4)
    images = widgets = 0
    for cell in notebook.cells:
        folded = cell.metadata.get("jupyter", {}).get("outputs_hidden")
        if cell.cell_type != "code" or "solution" in cell.metadata.get("tags", []) or folded:
            continue
        for output in cell.outputs:
            data = output.get("data", {})
            images += "image/png" in data or "image/jpeg" in data
            widgets += WIDGET in data
    return images, widgets


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    """The book built by booktools/build.py (what `course.py book` runs).

    Its build time is measured with benchmarks (see benchmarks/README.md), not asserted here:
    on a shared machine a wall-clock bound fails under load without anything being wrong."""
    out = tmp_path_factory.mktemp("book") / "book"
    result = subprocess.run([sys.executable, str(BUILD), "--out", str(out)],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, f"the book build failed:\n{result.stdout}\n{result.stderr}"
    return out


def nbconvert_html(out, *options):
    """Export chapter EXPORTED to HTML in ``out`` with ``jupyter nbconvert``; the page's path."""
    result = subprocess.run(
        [sys.executable, "-m", "jupyter", "nbconvert", *options, "--to", "html",
         "--output-dir", str(out), str(NOTEBOOKS / f"{EXPORTED}.ipynb")],
        capture_output=True, text=True, timeout=300, cwd=REPO)
    assert result.returncode == 0, f"nbconvert failed:\n{result.stderr}"
    return out / f"{EXPORTED}.html"


@pytest.fixture(scope="module")
def export(tmp_path_factory):
    """One chapter exported with the README's nbconvert command."""
    return nbconvert_html(tmp_path_factory.mktemp("export"), "--config", str(EXPORT_CONFIG))


# -- the pages as files ------------------------------------------------------------------
class PageLinks(HTMLParser):
    """The ids a page defines and the URLs it refers to (href, src)."""

    def __init__(self):
        super().__init__()
        self.ids, self.urls, self.scripts = set(), [], 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        self.scripts += tag == "script"
        for name in ("href", "src"):
            if attrs.get(name):
                self.urls.append((tag, attrs[name]))


def parse(page):
    parser = PageLinks()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def test_the_book_has_an_index_and_one_page_per_chapter(book):
    out = book
    pages = sorted(p.name for p in out.glob("*.html"))
    assert pages == sorted(["index.html"] + [f"{stem}.html" for stem in CHAPTERS])


def test_index_has_one_line_per_chapter_in_order(book):
    out = book
    index = (out / "index.html").read_text(encoding="utf-8")
    build = load_build_module()
    linked = re.findall(r'<td><a href="(\d\d_\w+)\.html">', index)
    assert linked == CHAPTERS
    for stem, (_, line) in build.chapter_table().items():
        if stem in CHAPTERS:
            assert line and html.escape(line) in index, stem


def broken_links(name, parsed, pages):
    """What is wrong with the links of page ``name``: scripts, resources from the network,
    links to files not in ``pages`` or to ids the target does not have."""
    problems = [f"{name} has a script: the book needs none"] if parsed.scripts else []
    for tag, url in parsed.urls:
        parts = urlsplit(url)
        if parts.scheme in ("http", "https"):
            if tag != "a":
                problems.append(f"{name}: <{tag}> loads {url} from the network")
            continue
        if parts.scheme == "data":
            continue
        target = unquote(parts.path) or name
        if parts.scheme or target not in pages:
            problems.append(f"{name}: link to {url}, which is not in the book")
        # a browser looks the id up as written, then decoded
        elif parts.fragment and not {parts.fragment, unquote(parts.fragment)} & pages[target].ids:
            problems.append(f"{name}: link to {url}, but {target} has no such id")
    return problems


def test_every_internal_link_resolves_and_nothing_comes_from_the_network(book):
    out = book
    pages = {page.name: parse(page) for page in out.glob("*.html")}
    assert [p for name, parsed in pages.items() for p in broken_links(name, parsed, pages)] == []


def test_exported_chapter_links_like_the_book(book, export):
    """An export's links to other chapters name their exports: chapters exported into one
    folder link to each other, as in the book."""
    out = book
    pages = {page.name: parse(page) for page in out.glob("*.html")}
    pages[export.name] = parse(export)
    assert broken_links(export.name, pages[export.name], pages) == []


def test_chapters_link_to_previous_next_and_contents(book):
    out = book
    for i, stem in enumerate(CHAPTERS):
        page = (out / f"{stem}.html").read_text(encoding="utf-8")
        previous = [f"{CHAPTERS[i - 1]}.html"] * 2 if i > 0 else []
        following = [f"{CHAPTERS[i + 1]}.html"] * 2 if i + 1 < len(CHAPTERS) else []
        # the navigation bar is at the top and at the bottom of every chapter
        assert re.findall(r'class="book-previous" href="([^"]+)"', page) == previous, stem
        assert re.findall(r'class="book-next" href="([^"]+)"', page) == following, stem
        assert re.findall(r'class="book-contents" href="([^"]+)"', page) == ["index.html"] * 2
        assert 'class="book-toc"' in page and '<a href="#' in page, f"{stem} has no table of contents"


def test_every_heading_is_in_the_table_of_contents_formulas_included(book):
    """A heading with a formula ($\\lambda$) is listed too, and its formula is MathML the
    browser draws (nbconvert's anchor step used to leave it as <ns0:math>)."""
    out = book
    for stem in CHAPTERS:
        notebook = nbformat.read(NOTEBOOKS / f"{stem}.ipynb", as_version=4)
        headings = [line for cell in notebook.cells if cell.cell_type == "markdown"
                    for line in cell.source.splitlines() if re.match(r"#{2,3} ", line)]
        page = (out / f"{stem}.html").read_text(encoding="utf-8")
        toc = re.search(r'<nav class="book-toc"[^>]*>.*?</nav>', page, re.DOTALL).group(0)
        assert toc.count("<li") == len(headings), stem
        assert "ns0:" not in page, stem


def test_chapter_list_follows_the_notebooks_present(tmp_path):
    """A new chapter appears once its notebook and its README row exist; without the row the
    build says which notebook lacks one."""
    build = load_build_module()
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    for stem in ("00_first", "14_babysitting"):
        nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(
            f"# {stem}\n\nSee $\\frac{{1}}{{2}}$ and [the next one](14_babysitting.ipynb).")]),
            notebooks / f"{stem}.ipynb")
    readme = tmp_path / "README.md"
    readme.write_text("# Course\n\n| # | Notebook | In one line |\n|---|---|---|\n"
                      "| 0 | [First](notebooks/00_first.ipynb) | The first one. |\n")
    with pytest.raises(ValueError, match="14_babysitting.ipynb has no row"):
        build.build(tmp_path / "book", notebooks, readme)
    with readme.open("a") as file:
        file.write("| 14 | [Babysitting](notebooks/14_babysitting.ipynb) | Watch training. |\n")
    pages = build.build(tmp_path / "book", notebooks, readme)
    assert [p.name for p in pages] == ["index.html", "00_first.html", "14_babysitting.html"]
    first = pages[1].read_text(encoding="utf-8")
    assert 'href="14_babysitting.html"' in first and "<mfrac>" in first and "$\\frac" not in first
    assert "Watch training." in pages[0].read_text(encoding="utf-8")


def test_a_reveal_cell_is_folded_like_a_solution(tmp_path):
    """A prediction's reveal (stored with outputs_hidden) is folded; the guess before it is not."""
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    guess = nbformat.v4.new_code_cell("ex.p1.predict(3)", outputs=[nbformat.v4.new_output(
        "stream", text="Noted: your guess is 3.\n")])
    reveal = nbformat.v4.new_code_cell("ex.p1.reveal(10)", metadata={"jupyter": {"outputs_hidden": True}},
                                       outputs=[nbformat.v4.new_output("stream", text="What happened: 10\n")])
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# One"), guess, reveal]),
                   notebooks / "00_one.ipynb")
    readme = tmp_path / "README.md"
    readme.write_text("| 0 | [One](notebooks/00_one.ipynb) | The only one. |\n")
    page = load_build_module().build(tmp_path / "book", notebooks, readme)[1].read_text(encoding="utf-8")
    folded = re.findall(r'<details class="reveal">.*?</details>', page, re.DOTALL)
    assert len(folded) == 1 and "What happened: 10" in folded[0]
    assert "Noted: your guess is 3." in page and "Noted" not in folded[0]


@pytest.mark.parametrize("formula, message", [
    ("$x^$", r"\$x\^\$: MissingSuperScript"),
    (r"$$a + \nosuchcommand{b}$$", r"\$a \+ \\nosuchcommand\{b\}\$: latex2mathml does not know \\nosuchcommand"),
])
def test_a_formula_that_cannot_be_typeset_fails_the_build_naming_it(tmp_path, formula, message):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(f"# One\n\n{formula}")]),
                   notebooks / "00_one.ipynb")
    readme = tmp_path / "README.md"
    readme.write_text("| 0 | [One](notebooks/00_one.ipynb) | The only one. |\n")
    with pytest.raises(ValueError, match=rf"^00_one.ipynb: cannot typeset the formula {message}"):
        load_build_module().build(tmp_path / "book", notebooks, readme)


# -- the pages in a browser, offline -----------------------------------------------------
@pytest.fixture(scope="module")
def offline_browser(tmp_path_factory, playwright_chromium):
    """Chromium in which every request but file: and data: URLs is aborted and recorded."""
    context = browser_helpers.launch_chromium(playwright_chromium, tmp_path_factory.mktemp("chromium"))
    blocked = []

    def only_local(route):
        if route.request.url.split(":", 1)[0] in ("file", "data"):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    context.route("**/*", only_local)
    yield context, blocked
    context.close()


# What a reader sees: pictures that loaded and are on screen (not inside a folded
# solution), widget notes, typeset formulas, and the markdown text outside code.
PAGE_STATE_JS = """
() => {
  const visible = e => e.checkVisibility() && e.getBoundingClientRect().width > 0;
  const prose = [...document.querySelectorAll('.jp-RenderedMarkdown')].map(cell => {
    const copy = cell.cloneNode(true);
    copy.querySelectorAll('code, pre').forEach(e => e.remove());
    return copy.textContent;
  }).join('\\n');
  // formulas folded inside a closed <details> (an answer paragraph) are drawn when opened
  const maths = [...document.querySelectorAll('math')].filter(m => !m.closest('details:not([open])'));
  return {
    images: [...document.images].filter(i => i.complete && i.naturalWidth > 0 && visible(i)).length,
    widgetNotes: [...document.querySelectorAll('.widget-note')].filter(visible).length,
    maths: maths.length,
    mathsLaidOut: maths.filter(m => visible(m) && getComputedStyle(m).display.includes('math')).length,
    prose: prose,
    solutionsOpen: [...document.querySelectorAll('details.solution')].filter(d => d.open).length,
    solutions: document.querySelectorAll('details.solution').length,
  };
}
"""
RAW_MATH = re.compile(r"\$[^$\n]+\$|\\[A-Za-z]+")  # $...$ or any \command


def read_offline(offline_browser, path):
    context, blocked = offline_browser
    blocked.clear()
    page = context.new_page()
    page.goto(path.as_uri(), wait_until="load")
    return page, page.evaluate(PAGE_STATE_JS), list(blocked)


def check_offline_page(state, blocked, stem):
    images, widgets = stored_pictures(stem)
    assert blocked == [], f"{stem}: the page asked the network for {blocked}"
    assert state["images"] >= images, f"{stem}: {state['images']} pictures shown, the notebook stores {images}"
    assert state["widgetNotes"] == widgets, f"{stem}: {widgets} widgets, {state['widgetNotes']} notes"
    assert state["mathsLaidOut"] == state["maths"], f"{stem}: a formula is not drawn as MathML"
    raw = RAW_MATH.findall(state["prose"])
    assert raw == [], f"{stem}: LaTeX shown as text: {raw[:5]}"


@pytest.mark.browser
@pytest.mark.parametrize("stem", CHAPTERS)
def test_chapter_reads_offline(book, offline_browser, stem):
    out = book
    page, state, blocked = read_offline(offline_browser, out / f"{stem}.html")
    try:
        check_offline_page(state, blocked, stem)
        notebook = nbformat.read(NOTEBOOKS / f"{stem}.ipynb", as_version=4)
        if any("$" in c.source for c in notebook.cells if c.cell_type == "markdown"):
            assert state["maths"] > 0, f"{stem} has formulas but shows none"
        solutions = sum("solution" in c.metadata.get("tags", []) for c in notebook.cells)
        assert state["solutions"] == solutions and state["solutionsOpen"] == 0, \
            f"{stem}: {solutions} solution cells, {state['solutions']} folded solutions on the page"
        if solutions:
            solution = page.locator("details.solution .jp-InputArea-editor").first
            assert not solution.is_visible()
            page.locator("details.solution > summary").first.click()
            assert solution.is_visible(), "clicking 'Solution' does not show it"
    finally:
        page.close()


@pytest.mark.browser
def test_a_chapter_page_looks_right(book, offline_browser, tmp_path):
    """A screenshot of the first widget of chapter 9, for a person to look at."""
    out = book
    page, _, _ = read_offline(offline_browser, out / f"{EXPORTED}.html")
    try:
        note = page.locator(".widget-note").first
        note.scroll_into_view_if_needed()
        page.evaluate("window.scrollBy(0, 200)")
        path = tmp_path / f"{EXPORTED}.png"
        page.screenshot(path=path)
        print(f"screenshot: {path}")
        assert path.stat().st_size > 10_000
    finally:
        page.close()


@pytest.mark.browser
def test_exported_chapter_shows_its_widget_pictures_offline(export, offline_browser):
    page, state, blocked = read_offline(offline_browser, export)
    try:
        check_offline_page(state, blocked, EXPORTED)
        assert stored_pictures(EXPORTED)[1] == 2  # the FilterGallery and the ConvolutionAnimator
    finally:
        page.close()


AXE_BLOCKING = ("serious", "critical")   # WCAG 2.2 AA failures a reader runs into


def blocking_accessibility_violations(page):
    """axe-core's serious and critical findings on ``page`` (axe runs from the installed package,
    no network): ``[(rule, impact, count, first element)]``."""
    from axe_playwright_python.sync_playwright import Axe

    violations = Axe().run(page).response["violations"]
    return [(v["id"], v["impact"], len(v["nodes"]), v["nodes"][0]["target"])
            for v in violations if v["impact"] in AXE_BLOCKING]


@pytest.mark.browser
@pytest.mark.parametrize("name", ["index"] + CHAPTERS)
def test_book_page_has_no_serious_accessibility_violation(book, offline_browser, name):
    page, _, _ = read_offline(offline_browser, book / f"{name}.html")
    try:
        assert blocking_accessibility_violations(page) == []
    finally:
        page.close()


@pytest.mark.browser
def test_exported_chapter_has_no_serious_accessibility_violation(export, offline_browser):
    page, _, _ = read_offline(offline_browser, export)
    try:
        assert blocking_accessibility_violations(page) == []
    finally:
        page.close()


@pytest.mark.browser
def test_plain_export_needs_the_network(offline_browser, tmp_path):
    """Without the course's config nbconvert's page fetches widgets and MathJax from CDNs and,
    offline, misses the widget pictures: what the offline checks above are there to catch."""
    page, state, blocked = read_offline(offline_browser, nbconvert_html(tmp_path))
    page.close()
    assert blocked, "the plain export asked for nothing from the network"
    assert state["images"] < stored_pictures(EXPORTED)[0]
