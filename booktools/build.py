"""Build the course book: one HTML page per chapter notebook plus an index.

    python3 course.py book                     # builds book/ (set-up as for `lab`)
    .venv/bin/python booktools/build.py --out DIR

Every chapter is rendered from its stored outputs (nothing is executed) by
nbconvert with ``nbconvert_config.py``: widget pictures, MathML formulas,
folded solutions, no network needed to read. The chapter list is the
``NN_*.ipynb`` files present in ``notebooks/``; their one-line descriptions
come from the chapter table in README.md.
"""
import argparse
import html
import re
import shutil
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))  # run as a script: booktools itself must import

import nbformat  # noqa: E402
from nbconvert import HTMLExporter  # noqa: E402
from traitlets.config.loader import PyFileConfigLoader  # noqa: E402

from booktools.mathml import FormulaError  # noqa: E402

HERE = Path(__file__).resolve().parent
NOTEBOOKS = REPO / "notebooks"
README = REPO / "README.md"
CHAPTER_GLOB = "[0-9][0-9]_*.ipynb"
# A row of README's chapter table: | 9 | [Convolution](notebooks/09_convolution.ipynb) | line |
TABLE_ROW = re.compile(r"^\|\s*\d+\s*\|\s*\[([^\]]+)\]\((?:notebooks/)?(\d\d_\w+)\.ipynb\)\s*\|(.*)\|\s*$",
                       re.MULTILINE)
HEADING = re.compile(r'<h([23]) id="([^"]+)"[^>]*>(.*?)<a class="anchor-link"', re.DOTALL)


def chapter_table(readme=README):
    """{notebook stem: (title, one-line description)} from the README's chapter table."""
    return {stem: (title.strip(), line.strip())
            for title, stem, line in TABLE_ROW.findall(readme.read_text(encoding="utf-8"))}


def chapters(notebooks=NOTEBOOKS, readme=README):
    """The chapters present, in order: dicts with stem, path, title, line, href.

    Raises
    ------
    ValueError
        If a notebook has no row in the README's chapter table (its one line
        would be missing from the index).
    """
    table = chapter_table(readme)
    found = []
    for path in sorted(notebooks.glob(CHAPTER_GLOB)):
        if path.stem not in table:
            raise ValueError(f"{path.name} has no row in the chapter table of {readme}: "
                             f"expected a line like '| N | [Title](notebooks/{path.name}) | one line |'")
        title, line = table[path.stem]
        found.append({"stem": path.stem, "path": path, "title": title, "line": line,
                      "href": f"{path.stem}.html", "number": int(path.stem[:2])})
    if not found:
        raise ValueError(f"no chapter notebooks ({CHAPTER_GLOB}) in {notebooks}")
    return found


def exporter():
    """An HTMLExporter set up by nbconvert_config.py (the same settings as a chapter export)."""
    config = PyFileConfigLoader("nbconvert_config.py", path=str(HERE)).load_config()
    return HTMLExporter(config=config)


def table_of_contents(page):
    """Insert the list of the page's h2/h3 headings where the template left <!--book-toc-->."""
    entries = [f'<li class="level-{level}"><a href="#{anchor}">{re.sub(r"<[^>]+>", "", text).strip()}</a></li>'
               for level, anchor, text in HEADING.findall(page)]
    toc = ('<nav class="book-toc" aria-label="In this chapter"><strong>In this chapter</strong><ul>'
           + "".join(entries) + "</ul></nav>") if entries else ""
    return page.replace("<!--book-toc-->", toc, 1)


def chapter_page(html_exporter, chapter, previous, following):
    notebook = nbformat.read(chapter["path"], as_version=4)
    book = {"previous": previous and {"href": previous["href"], "title": previous["title"]},
            "next": following and {"href": following["href"], "title": following["title"]}}
    resources = {"book": book, "metadata": {"name": chapter["title"],
                                            "path": str(chapter["path"].parent)}}
    try:
        page, _ = html_exporter.from_notebook_node(notebook, resources=resources)
    except FormulaError as error:
        raise FormulaError(f"{chapter['path'].name}: {error}") from error
    return table_of_contents(page)


def index_page(book_chapters, title):
    css = (HERE / "templates" / "course" / "book.css").read_text(encoding="utf-8")
    rows = "\n".join(
        f'<tr><td>{c["number"]}</td><td><a href="{c["href"]}">{html.escape(c["title"])}</a></td>'
        f'<td>{html.escape(c["line"])}</td></tr>' for c in book_chapters)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>{html.escape(title)}</title>
<style type="text/css">
body {{ font-family: system-ui, sans-serif; line-height: 1.5; color: #222; }}
{css}
</style>
</head>
<body class="jp-Notebook">
<main>
<h1>{html.escape(title)}</h1>
<p>The chapters of the course with their stored outputs, to read in a browser without
installing anything. Pictures of the interactive widgets show them as the notebooks were
saved; to drag the sliders, run the notebooks in JupyterLab (<code>python3 course.py lab</code>).
Exercise solutions are folded: click "Solution" to open one.</p>
<table class="book-chapters">
<thead><tr><th>#</th><th>Chapter</th><th>In one line</th></tr></thead>
<tbody>
{rows}
</tbody>
</table>
</main>
</body>
</html>
"""


def book_title(readme=README):
    match = re.search(r"^# (.+)$", readme.read_text(encoding="utf-8"), re.MULTILINE)
    return match.group(1).split(":")[0].strip() if match else "The course"


def build(out, notebooks=NOTEBOOKS, readme=README):
    """Write the book into ``out`` (replaced if it exists); return the pages written."""
    book_chapters = chapters(notebooks, readme)
    out = Path(out)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    html_exporter = exporter()
    written = [out / "index.html"]
    written[0].write_text(index_page(book_chapters, book_title(readme)), encoding="utf-8")
    for i, chapter in enumerate(book_chapters):
        previous = book_chapters[i - 1] if i > 0 else None
        following = book_chapters[i + 1] if i + 1 < len(book_chapters) else None
        path = out / chapter["href"]
        path.write_text(chapter_page(html_exporter, chapter, previous, following),
                        encoding="utf-8")
        written.append(path)
    return written


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(REPO / "book"), help="folder to write (default: book/)")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    try:
        pages = build(args.out)
    except ValueError as error:  # a chapter without a README row, a formula that cannot be typeset
        sys.exit(f"booktools: {error}")
    print(f"booktools: wrote {len(pages)} pages to {args.out} in {time.perf_counter() - start:.1f} s; "
          f"open {Path(args.out) / 'index.html'} in a browser")


if __name__ == "__main__":
    main()
