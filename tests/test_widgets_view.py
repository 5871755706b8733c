"""The Explorer protocol: controls -> memoised compute -> draw."""
import ipywidgets as widgets
import pytest

from mlcore.widgets.view import Explorer


class Square(Explorer):
    cache_size = 2

    def __init__(self):
        super().__init__(figsize=(2, 2))
        self.calls = []
        self.ax = self.figure.subplots()
        self.line, = self.ax.plot([0], [0], 'o')
        self.ax.set_ylim(0, 30)
        self.animate(self.line)
        self.add_controls(x=widgets.IntSlider(value=1, min=-5, max=5))
        self.update()

    def compute(self, x):
        self.calls.append(x)
        if x < 0:
            raise ValueError("x must be at least 0")
        return x * x

    def draw(self, state):
        self.line.set_data([0], [state])


def test_controls_compute_draw_and_memo():
    view = Square()
    assert view.state == 1 and view.values == {"x": 1}
    before = bytes(view.image.value)
    view.inputs["x"].value = 3
    assert view.state == 9 and view.line.get_ydata()[0] == 9
    assert bytes(view.image.value) != before  # the picture really changed
    view.inputs["x"].value = 1
    assert view.calls == [1, 3]  # 1 came from the cache
    view.inputs["x"].value = 2
    view.inputs["x"].value = 4   # cache_size 2: the state for 1 is forgotten
    view.inputs["x"].value = 1
    assert view.calls == [1, 3, 2, 4, 1]


def test_value_error_is_shown_not_raised():
    view = Square()
    view.inputs["x"].value = -1
    assert view.state is None and "at least 0" in view._error_text.get_text()
    view.inputs["x"].value = 2
    assert view.state == 4 and not view._error_text.get_visible()
