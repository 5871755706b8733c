"""The shared machinery of every widget view.

A view owns a matplotlib figure (Agg, not managed by pyplot, so nothing is
drawn twice in a notebook), an ``ipywidgets.Image`` that shows it, and the
controls. After a control changes, the subclass updates its artists in place
(``set_data``, ``set_height``, ...) and calls ``self.refresh()``, which
re-renders the figure into the image.

Displayed in a notebook, a view offers two representations: the live widget
(JupyterLab shows it) and a PNG of the current state plus a one-line text
(GitHub, PDF and nbval see those). So an executed notebook still shows what
the slider would.
"""
import base64
import io

import ipywidgets as widgets
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image


class WidgetView:
    """Base class for views: a figure, an image widget and a control box.

    Subclasses call ``super().__init__(figsize)``, create their axes on
    ``self.figure``, build controls, put them in ``self.controls`` (a list of
    widgets shown above the image), draw the first state and call
    ``self.refresh()``.

    Attributes
    ----------
    figure : matplotlib.figure.Figure
    image : ipywidgets.Image
        The rendered figure (PNG bytes in ``image.value``).
    widget : ipywidgets.VBox
        Controls above the image; what the notebook displays.
    """

    title = "interactive figure"

    def __init__(self, figsize=(8, 3), dpi=80):
        self.figure = Figure(figsize=figsize, dpi=dpi, layout="constrained")
        FigureCanvasAgg(self.figure)  # draw off-screen, whatever the notebook's backend
        self.image = widgets.Image(format="png")
        # Keep the picture at its own size: stretched to the controls' width
        # in JupyterLab it turns blurry.
        self.image.layout.align_self = "flex-start"
        self.controls = []
        self._widget = None
        self._animated = []
        self._background = None

    @property
    def widget(self):
        if self._widget is None:
            self._widget = widgets.VBox(list(self.controls) + [self.image])
        return self._widget

    def animate(self, *artists):
        """Mark artists that change on every frame.

        ``refresh()`` then redraws only these over a cached background
        (blitting), which is several times faster than a full draw. Call
        ``refresh(full=True)`` after changing anything else (limits, titles
        of non-animated axes, ...).
        """
        for artist in artists:
            artist.set_animated(True)
            self._animated.append(artist)
        self._background = None

    def refresh(self, full=False):
        """Render the figure into the image widget.

        Only artists registered with ``animate`` are redrawn over the cached
        background; after changing anything else, pass ``full=True`` or the
        old picture of it stays.
        """
        if full:
            self._background = None
        self.image.value = self.png()

    def png(self):
        """The figure as PNG bytes (fast, lightly compressed)."""
        canvas = self.figure.canvas
        if self._background is None:
            engine = self.figure.get_layout_engine()
            if engine is not None:
                # Lay out once, then keep positions: constrained layout costs
                # more than the whole redraw. One pass leaves titles clipped
                # next to fixed-aspect images and colour bars; three settle.
                for _ in range(2):
                    engine.execute(self.figure)
            canvas.draw()  # everything but the animated artists
            if engine is not None:
                self.figure.set_layout_engine("none")
            self._background = canvas.copy_from_bbox(self.figure.bbox)
        else:
            canvas.restore_region(self._background)
        for artist in self._animated:
            self.figure.draw_artist(artist)
        rgba = np.asarray(canvas.buffer_rgba())
        buffer = io.BytesIO()
        Image.fromarray(rgba[..., :3]).save(buffer, format="png", compress_level=1)
        return buffer.getvalue()

    def describe(self):
        """One line for the text fallback: what the picture shows."""
        return self.title

    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = self.widget._repr_mimebundle_(include=include, exclude=exclude)
        data = bundle[0] if isinstance(bundle, tuple) else bundle
        data = dict(data or {})
        data["text/plain"] = f"{self.describe()} (interactive; the image shows its current state)"
        data["image/png"] = base64.b64encode(self.png()).decode("ascii")
        return data


def play_controls(steps, interval=400, description="step"):
    """A Play button linked to a step slider: play, pause, step, speed.

    Returns
    -------
    (ipywidgets.Play, ipywidgets.IntSlider, ipywidgets.HBox)
        Observe the slider's ``value``; the box holds both for display.
    """
    play = widgets.Play(value=0, min=0, max=max(steps - 1, 0), step=1, interval=interval)
    slider = widgets.IntSlider(value=0, min=0, max=max(steps - 1, 0), description=description)
    widgets.link((play, "value"), (slider, "value"))
    speed = widgets.FloatLogSlider(value=1.0, base=10, min=-1, max=1, description="speed")
    widgets.link((speed, "value"), (play, "interval"), transform=(
        lambda s: int(interval / s), lambda ms: interval / max(ms, 1)))
    return play, slider, widgets.HBox([play, slider, speed])
