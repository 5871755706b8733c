"""What an answer is and how it is compared with the reference: judging only, nothing shown.

The blank a notebook hands out (:data:`ANSWER`, spelt ``____``) and how to
recognise one; then each ``compare_*`` returns None when the learner's value
agrees with the reference and otherwise a message that names the difference
(type, shape, dtype, sign, a constant offset, the first entry that differs)
without printing the reference value itself. Texts are compared as words
(:func:`normalise_text`), so "Over-fitting." and "overfitting" are the same answer.
"""
import numbers
import re

import numpy as np


class _Placeholder:
    """The blank a notebook hands out: equal only to itself, shown as ``____``."""

    def __repr__(self):
        return "____"


ANSWER = _Placeholder()


def _stub():
    pass


def is_placeholder(answer):
    """True for ``None``, ``...``, :data:`ANSWER`, a tuple or list of nothing but those, and
    functions whose body is only ``pass``/``...``."""
    if answer is None or answer is Ellipsis or isinstance(answer, _Placeholder):
        return True
    if isinstance(answer, (tuple, list)) and answer:
        return all(is_placeholder(item) for item in answer)
    code = getattr(answer, "__code__", None)
    return code is not None and code.co_code == _stub.__code__.co_code


def without_addresses(text):
    """``text`` without memory addresses (" at 0x7f..."), which change on every run."""
    return re.sub(r" at 0x[0-9a-fA-F]+", "", text)


def describe(value, width=70):
    """A short one-line text for ``value`` (arrays with their shape), for messages."""
    if isinstance(value, np.ndarray):
        body = np.array2string(value, precision=4, threshold=12, edgeitems=2, separator=", ",
                               suppress_small=True).replace("\n", "")
        text = f"array of shape {value.shape}: {body}"
    elif isinstance(value, (float, np.floating)):
        text = f"{float(value):.6g}"
    elif callable(value) and hasattr(value, "__name__"):
        text = f"the function {value.__name__}"
    else:
        text = without_addresses(repr(value))        # stored outputs must not vary
    text = " ".join(text.split())
    return text if len(text) <= width else text[:width - 3] + "..."


def what(value):
    """``describe`` preceded by the type's name, unless the description already says it."""
    if is_placeholder(value) and not callable(value):
        return f"a blank ({value!r}): fill it in"
    text = describe(value)
    return text if isinstance(value, np.ndarray) else f"{type(value).__name__} {text}"


def is_number(value):
    """True for int, float and NumPy scalars (not bool), and size-1 arrays of numbers."""
    if isinstance(value, (bool, np.bool_)):
        return False
    if isinstance(value, np.ndarray):
        return value.size == 1 and np.issubdtype(value.dtype, np.number)
    return isinstance(value, numbers.Real)


def _not_a_number(got, wanted="a number"):
    if isinstance(got, (bool, np.bool_)):
        return f"expected {wanted}, got {got} (a True/False value)"
    if isinstance(got, str):
        return f"expected {wanted}, got the text {got!r}: write the number without quotes"
    if isinstance(got, np.ndarray) or isinstance(got, (list, tuple)):
        return (f"expected {wanted}, got {what(got)}; "
                f"give one number (e.g. the_array.item() or a sum)")
    return f"expected {wanted}, got {what(got)}"


def compare_number(expected, got, rtol=1e-6, atol=1e-9, integer=False):
    """None if ``got`` is a number within tolerance of ``expected``, else a message.

    ``integer=True`` asks for an exact whole number (a count).
    """
    if isinstance(got, (list, tuple)) and len(got) == 1 and is_number(got[0]):
        got = got[0]                            # [0.2] is the number 0.2, as np.array([0.2]) is
    if not is_number(got):
        return _not_a_number(got, "a whole number" if integer else "a number")
    got = float(np.asarray(got).item())
    expected = float(expected)
    if np.isnan(got):
        return "your answer is nan (not a number): something divided 0 by 0 or took log of 0"
    if integer:
        if got != round(got):
            return f"a count is a whole number, got {got:g}"
        if got == expected:
            return None
    elif np.isclose(got, expected, rtol=rtol, atol=atol):
        return None
    if expected != 0 and np.isclose(got, -expected, rtol=rtol, atol=atol):
        return "right size, wrong sign: check the direction of a difference or a minus sign"
    direction = f"{got:g} is too {'large' if got > expected else 'small'}"
    if not integer and np.isclose(got, expected, rtol=1e-2, atol=0):
        return direction + ", but close: keep more decimals, or look for a small term left out"
    return direction


def compare_array(expected, got, rtol=1e-5, atol=1e-8):
    """None if ``got`` has ``expected``'s shape and close values, else a message.

    Shape is checked before dtype, dtype before values, so the first message
    names the most basic difference.
    """
    expected = np.asarray(expected)
    if is_number(got) and not isinstance(got, np.ndarray) and expected.ndim > 0:
        return f"expected an array of shape {expected.shape}, got the single number {describe(got)}"
    try:
        got = np.asarray(got)
    except ValueError as error:                 # ragged nested lists
        return f"could not turn your answer into an array ({error})"
    if got.dtype == object:
        return "your array holds Python objects (dtype=object): nested lists of different lengths?"
    if got.shape != expected.shape:
        return _shape_message(expected.shape, got.shape)
    if got.dtype.kind == "b" and expected.dtype.kind != "b":
        return "your array holds True/False values; expected numbers"
    if not np.issubdtype(got.dtype, np.number) and got.dtype.kind != "b":
        return f"expected numbers, got an array of dtype {got.dtype}"
    if got.dtype.kind == "c":
        return "your array holds complex numbers; expected real ones"
    problem = _value_message(expected.astype(float), got.astype(float), rtol, atol)
    if problem and got.dtype.kind in "iu" and not np.allclose(expected, np.round(expected)):
        problem += f" (your array holds integers, dtype {got.dtype}: did something round?)"
    return problem


def _shape_message(expected, got):
    message = f"shape {got}, expected shape {expected}"
    if len(got) == len(expected) >= 2 and got == expected[::-1]:
        return message + ": rows and columns are swapped (a transpose?)"
    if tuple(n for n in got if n != 1) == tuple(n for n in expected if n != 1):
        return message + ": the same entries with an extra or missing axis of length 1"
    if int(np.prod(got)) == int(np.prod(expected)):
        return message + ": the right number of entries in the wrong arrangement"
    return message


def _value_message(expected, got, rtol, atol):
    bad_nan = np.isnan(got) & ~np.isnan(expected)
    if bad_nan.any():
        first = tuple(int(i) for i in np.argwhere(bad_nan)[0])
        return f"{int(bad_nan.sum())} entries are nan, the first at index {first}"
    close = np.isclose(got, expected, rtol=rtol, atol=atol, equal_nan=True)
    if close.all():
        return None
    if np.allclose(got, -expected, rtol=rtol, atol=atol):
        return "every entry has the wrong sign"
    offset = got - expected
    if np.allclose(offset, offset.flat[0], rtol=0, atol=max(atol, 1e-6)) and expected.size > 1:
        return "every entry is off by the same amount: a bias or constant added or left out?"
    first = tuple(int(i) for i in np.argwhere(~close)[0])
    return (f"{int((~close).sum())} of {got.size} entries differ; the first at index {first}, "
            f"where you have {got[first]:.6g}")


def compare_sequence(expected, got, rtol=1e-6, atol=1e-9):
    """None if ``got`` is a tuple, list or 1-D array of the same numbers, else a message."""
    if isinstance(got, np.ndarray) and got.ndim >= 1:
        got = list(got)         # rows of a 2-D array are the values, e.g. shapes written as an array
    if not isinstance(got, (tuple, list)):
        return f"expected {len(expected)} values such as (a, b, ...), got {describe(got)}"
    if len(got) != len(expected):
        return f"expected {len(expected)} values, got {len(got)}"
    for i, (e, g) in enumerate(zip(expected, got)):
        problem = compare(e, g, rtol=rtol, atol=atol)
        if problem:
            return f"value {i + 1} of {len(expected)}: {problem}"
    return None


def normalise_text(text):
    """``text`` as a key of its words, so that spellings of the same answer compare equal.

    Case, surrounding quotes, spaces, hyphens and underscores, punctuation at the end
    (a full stop) or after a word, a leading article, a plural -s and "×" for "x" do
    not count: "The moving averages from training." reads as "moving average from
    training", "Over-fitting" as "overfitting", "learning rate ×100" as "learning rate x100".
    """
    text = str(text).strip().strip("'\"").lower().replace("×", "x")
    words = [w for w in re.split(r"[\s_\-]+|[,;:!?]|\.(?!\d)", text) if w]
    if len(words) > 1 and words[0] in ("the", "a", "an"):
        words = words[1:]
    return "".join(_singular(word) for word in words)


def _singular(word):
    """``word`` without a plural -s (not "class", not short words such as "is")."""
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def compare(expected, got, rtol=1e-6, atol=1e-9):
    """Dispatch on the reference's type: number, array (or tuple/list), text, or equality."""
    if isinstance(expected, (tuple, list)):
        return compare_sequence(expected, got, rtol=rtol, atol=atol)
    if isinstance(expected, np.ndarray):
        return compare_array(expected, got, rtol=rtol, atol=atol)
    if isinstance(expected, (bool, np.bool_)):
        return None if got is expected or got == expected else f"got {describe(got)}"
    if is_number(expected):
        return compare_number(expected, got, rtol=rtol, atol=atol,
                              integer=isinstance(expected, (int, np.integer)))
    if isinstance(expected, str):
        if not isinstance(got, str):
            return f"expected text, got {what(got)}"
        return None if normalise_text(got) == normalise_text(expected) else f"got {got!r}"
    return None if got == expected else f"got {describe(got)}"
