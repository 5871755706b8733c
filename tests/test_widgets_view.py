"""The Explorer protocol: controls -> memoised compute -> draw."""
import ipywidgets as widgets
import numpy as np
import pytest

from mlcore.widgets.base.view import Explorer


class Square(Explorer):
    cache_size = 2

    def __init__(self, x=1):
        super().__init__(figsize=(2, 2))
        self.calls = []
        self.ax = self.figure.subplots()
        self.line, = self.ax.plot([0], [0], 'o')
        self.ax.set_ylim(0, 30)
        self.animate(self.line)
        self.add_controls(x=widgets.IntSlider(value=x, min=-5, max=5))
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


def test_value_error_is_shown_not_raised_except_from_the_constructor():
    with pytest.raises(ValueError, match="x must be at least 0"):
        Square(x=-1)  # a bad constructor argument raises, as a function's would

    view = Square()
    view.inputs["x"].value = -1
    assert view.state is None and "at least 0" in view._error_text.get_text()
    view.inputs["x"].value = 2
    assert view.state == 4 and not view._error_text.get_visible()


class Path(Explorer):
    """A computed path (compute reads `rate`) shown up to a step (draw-only)."""

    def __init__(self):
        super().__init__(figsize=(2, 2))
        self.calls, self.full_draws = [], 0
        self.ax = self.figure.subplots()
        self.line, = self.ax.plot([], [])
        self.animate(self.line)
        self.add_controls(rate=widgets.IntSlider(value=1, min=1, max=3))
        self.step = widgets.IntSlider(value=2, min=0, max=4)
        self.add_controls(recompute=False, step=self.step)
        self.update()

    def compute(self, rate):
        self.calls.append(rate)
        return [rate * k for k in range(5)]

    def draw(self, state):
        k = self.step.value
        self.line.set_data(range(k + 1), state[:k + 1])
        full = self.changed("rate")
        self.full_draws += full
        return full


def test_draw_only_controls_changed_and_quietly():
    view = Path()
    assert view.values == {"rate": 1} and view.full_draws == 1   # the first draw is full
    view.step.value = 4          # draw-only: no compute, not a full redraw
    assert view.calls == [1] and list(view.line.get_ydata()) == [0, 1, 2, 3, 4]
    assert view.full_draws == 1
    view.inputs["rate"].value = 2       # a setting: computed, and changed('rate') is True
    assert view.calls == [1, 2] and view.full_draws == 2
    assert list(view.line.get_ydata()) == [0, 2, 4, 6, 8]
    with view.quietly():                # several changes, no update until the end
        view.inputs["rate"].value = 3
        view.step.value = 1
    assert view.calls == [1, 2] and list(view.line.get_ydata()) == [0, 2, 4, 6, 8]
    view.update()
    assert view.calls == [1, 2, 3] and list(view.line.get_ydata()) == [0, 3]


def test_encode_png_is_the_picture_as_pil_reads_it():
    import io

    from PIL import Image

    from mlcore.widgets.base.view import encode_png

    rgba = np.random.default_rng(0).integers(0, 256, size=(7, 5, 4), dtype=np.uint8)
    rgba[2:5] = (10, 200, 30, 255)  # flat rows, as a figure has
    png = encode_png(rgba)
    with Image.open(io.BytesIO(png)) as image:
        assert image.format == "PNG" and image.mode == "RGB" and image.size == (5, 7)
        image.load()  # checks every chunk's CRC and the zlib stream
        assert np.array_equal(np.asarray(image), rgba[..., :3])
