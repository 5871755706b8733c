"""The blank a notebook hands out (``ANSWER``, spelt ``____``) and how to recognise one."""


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
