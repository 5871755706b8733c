"""The value judging returns: one message to the learner (:class:`Feedback`), never shown here.

A question judges an answer into a ``Feedback``; :mod:`.present` shows it.

The plain text carries the whole message (it is what nbval compares and what a
terminal prints); the HTML only adds colour. Neither holds memory addresses
or times, so stored notebook outputs re-execute identically.
"""
import html

CORRECT, INCORRECT, UNANSWERED, ERROR, HINT, SOLUTION, INFO = (
    "correct", "incorrect", "unanswered", "error", "hint", "solution", "info")
FAILED = (INCORRECT, UNANSWERED, ERROR)          # what graded mode counts as not passed

_LABELS = {CORRECT: "Correct", INCORRECT: "Incorrect", UNANSWERED: "Not answered yet",
           ERROR: "Your function raised an error", HINT: "Hint", SOLUTION: "Solution", INFO: ""}
_COLOURS = {CORRECT: "#1a7f37", INCORRECT: "#b35900", UNANSWERED: "#57606a", ERROR: "#b35900",
            HINT: "#0969da", SOLUTION: "#6f42c1", INFO: "#57606a"}


class Feedback:
    """One message to the learner.

    Attributes
    ----------
    outcome : str
        'correct', 'incorrect', 'unanswered', 'error', 'hint', 'solution' or 'info'.
    message : str
        The explanation, plain text.
    code : str or None
        Code shown as a code block (a code solution), or None.
    label : str
        The heading, e.g. 'Correct' or 'Hint 1 of 2'.
    block : bool
        Start the message on a line of its own (a list, e.g. one line per part).
    """

    def __init__(self, outcome, message, code=None, label=None, block=False):
        self.outcome, self.message, self.code, self.block = outcome, message, code, block
        self.label = _LABELS[outcome] if label is None else label

    @property
    def passed(self):
        """True when the answer was right."""
        return self.outcome == CORRECT

    def __bool__(self):
        return self.passed

    def text(self):
        """The whole message as plain text."""
        gap = "\n" if self.block else " "
        head = f"{self.label}:{gap}{self.message}" if self.label else self.message
        if self.code:
            head += "\n\n" + "\n".join("    " + line for line in self.code.splitlines())
        return head

    def __repr__(self):
        return self.text()

    def _repr_html_(self):
        colour = _COLOURS[self.outcome]
        label = f'<b style="color:{colour}">{html.escape(self.label)}:</b> ' if self.label else ""
        body = html.escape(self.message).replace("\n", "<br>")
        code = (f'<pre style="background:#f6f8fa;padding:6px"><code>{html.escape(self.code)}'
                f"</code></pre>" if self.code else "")
        return f'<div style="border-left:3px solid {colour};padding-left:8px">{label}{body}{code}</div>'

