"""Markdown to HTML with every formula typeset as MathML at build time.

nbconvert normally leaves ``$...$`` in the page for MathJax, which it loads
from a CDN, so an exported chapter read offline shows raw LaTeX. Here the
LaTeX is converted by ``latex2mathml`` while the page is built; browsers draw
MathML themselves (Chromium, Firefox, Safari), so the page needs no script and
no network, and printing to PDF keeps the formulas.
"""
import html

from jinja2 import pass_context
from latex2mathml.converter import convert
from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath


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
        If latex2mathml cannot parse the formula (the build must not ship raw LaTeX).
    """
    try:
        mathml = convert(latex.strip(), display=display)
    except Exception as error:  # latex2mathml raises a variety of exception types
        raise FormulaError(f"cannot typeset the formula ${latex}$: "
                           f"{type(error).__name__}: {error}") from error
    # keep the source for copy-paste and screen readers that prefer it
    return mathml.replace("<math ", f'<math alttext="{html.escape(latex.strip())}" ', 1)


class MathMLRenderer(IPythonRenderer):
    """nbconvert's Markdown renderer, with formulas as MathML instead of text for MathJax."""

    def block_math(self, body):
        return to_mathml(body, "block")

    def inline_math(self, body):
        return to_mathml(body, "inline")

    def latex_environment(self, name, body):
        return to_mathml(f"\\begin{{{name}}}{body}\\end{{{name}}}", "block")


@pass_context
def markdown2html(context, source):
    """Jinja filter replacing HTMLExporter's ``markdown2html`` (same signature)."""
    cell = context.get("cell", {})
    path = context.get("resources", {}).get("metadata", {}).get("path", "")
    renderer = MathMLRenderer(escape=False, attachments=cell.get("attachments", {}), path=path)
    return MarkdownWithMath(renderer=renderer).render(source)
