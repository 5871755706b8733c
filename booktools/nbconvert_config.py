"""nbconvert settings for a chapter that reads offline, pictures and formulas included.

    .venv/bin/jupyter nbconvert --config booktools/nbconvert_config.py --to html notebooks/09_convolution.ipynb

The course book (booktools/build.py) loads this same file. Plain
``jupyter nbconvert --to html`` would draw each widget with JavaScript from a
CDN and the formulas with MathJax from a CDN, so offline a reader sees empty
outputs and raw LaTeX. With these settings:

- a widget output shows the PNG the notebook stores beside the widget view
  (``mlcore.widgets.WidgetView`` saves both), with a note that it is interactive
  in JupyterLab;
- formulas become MathML when the page is built (latex2mathml), which the
  browser draws without any script;
- no script is loaded from anywhere; the page is one self-contained file;
- solution cells are folded until the reader opens them.
"""
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE.parent) not in sys.path:
    sys.path.insert(0, str(HERE.parent))  # so that nbconvert can import booktools.mathml

c = get_config()  # noqa: F821 (provided by traitlets when it loads this file)
c.HTMLExporter.extra_template_basedirs = [str(HERE / "templates")]
c.HTMLExporter.template_name = "course"
c.HTMLExporter.filters = {"markdown2html": "booktools.mathml.markdown2html"}
# nbconvert's HTML default puts the widget view first; without it the stored PNG wins.
c.NbConvertBase.display_data_priority = [
    "application/javascript",
    "text/html",
    "text/markdown",
    "image/svg+xml",
    "text/latex",
    "image/png",
    "image/jpeg",
    "text/plain",
]
