"""Markdown to HTML with every formula typeset as MathML at build time.

nbconvert normally leaves ``$...$`` in the page for MathJax, which it loads
from a CDN, so an exported chapter read offline shows raw LaTeX. Here the
LaTeX is converted by ``latex2mathml`` while the page is built; browsers draw
MathML themselves (Chromium, Firefox, Safari), so the page needs no script and
no network, and printing to PDF keeps the formulas.

Links between chapter notebooks (``09_convolution.ipynb``) are pointed at their
HTML pages, so chapters exported into one folder link to each other.
"""
import html
import re

from jinja2 import pass_context
from latex2mathml.converter import convert
from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath


CHAPTER_NOTEBOOK = re.compile(r"^(\d\d_\w+)\.ipynb(?=$|#)")
# latex2mathml writes a command it does not know as text: <mi>\foo</mi>
UNKNOWN_COMMAND = re.compile(r">(\\[A-Za-z]+)<")
# nbconvert adds a heading's anchor through ElementTree, which writes the MathML
# namespace of a formula in the heading as a prefix (<ns0:math>): not MathML to a browser.
MATHML_PREFIX = re.compile(r' xmlns:(ns\d+)="http://www\.w3\.org/1998/Math/MathML"|(?<=<)(/?)ns\d+:')


class FormulaError(ValueError):
    """A formula latex2mathml cannot convert; the message quotes it."""


def to_mathml(latex, display):
    """``latex`` (without its $ delimiters) as a ``<math>`` element.

    Parameters
    ----------
    latex : str
    display : {"inline", "block"}

    Raises
    ------
    FormulaError
        If latex2mathml cannot parse the formula or does not know one of its
        commands (the book must not show raw LaTeX).
    """
    try:
        mathml = convert(latex.strip(), display=display)
    except Exception as error:  # latex2mathml raises a variety of exception types
        raise FormulaError(f"cannot typeset the formula ${latex}$: "
                           f"{type(error).__name__}: {error}") from error
    unknown = UNKNOWN_COMMAND.findall(mathml)
    if unknown:
        raise FormulaError(f"cannot typeset the formula ${latex}$: latex2mathml does not know "
                           f"{', '.join(unknown)}")
    # keep the source for copy-paste and screen readers that prefer it
    return mathml.replace("<math ", f'<math alttext="{html.escape(latex.strip())}" ', 1)


class MathMLRenderer(IPythonRenderer):
    """nbconvert's Markdown renderer, with formulas as MathML instead of text for MathJax
    and chapter links pointing at .html pages."""

    def block_math(self, body):
        return to_mathml(body, "block")

    def inline_math(self, body):
        return to_mathml(body, "inline")

    def latex_environment(self, name, body):
        return to_mathml(f"\\begin{{{name}}}{body}\\end{{{name}}}", "block")

    def heading(self, text, level, **attrs):
        return MATHML_PREFIX.sub(lambda m: m.group(2) or "", super().heading(text, level, **attrs))

    def link(self, text, url, title=None):
        return super().link(text, CHAPTER_NOTEBOOK.sub(r"\1.html", url), title)


@pass_context
def markdown2html(context, source):
    """Jinja filter replacing HTMLExporter's ``markdown2html`` (same signature)."""
    cell = context.get("cell", {})
    path = context.get("resources", {}).get("metadata", {}).get("path", "")
    renderer = MathMLRenderer(escape=False, attachments=cell.get("attachments", {}), path=path)
    return MarkdownWithMath(renderer=renderer).render(source)
