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

``Explorer`` adds the protocol every view follows: named controls → a
memoised ``compute(**values)`` → ``draw(state)``; a view that reads a
learner's model also keys its memory on the model's weights
(``follow_weights``), so training between two looks shows the change.
"""
import base64
import struct
import zlib
from collections import OrderedDict
from contextlib import contextmanager

import ipywidgets as widgets
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from .toolkit import PIXEL_COLOR


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
        return encode_png(np.asarray(canvas.buffer_rgba()))

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


def encode_png(rgba):
    """An RGBA uint8 picture, shape (H, W, 4), as the bytes of an RGB PNG (alpha dropped).

    Rows are stored unfiltered and compressed with zlib at level 1: for
    figures of flat colours that is as small as PIL's adaptively filtered
    PNG and takes about half the time (the filter costs more than the
    compression), which counts when a view redraws many times a second.
    """
    height, width, _ = rgba.shape
    rows = np.zeros((height, 1 + 3 * width), np.uint8)  # each row: filter type 0, then RGB
    rows[:, 1:].reshape(height, width, 3)[...] = rgba[..., :3]

    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data)))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB, no interlace
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(rows, 1)) + chunk(b"IEND", b""))


class Explorer(WidgetView):
    """A view whose picture is a pure function of its controls.

    The protocol: named controls → ``compute(**values)`` (memoised) →
    ``draw(state)``. A subclass

    1. calls ``super().__init__(figsize)`` and builds its axes and artists;
    2. registers its controls with ``add_controls(name=widget, ...)``; the
       names are ``compute``'s keyword arguments. Controls that only change
       what is shown of the same state (a Play step through a computed
       path) are registered with ``recompute=False``: ``draw`` reads them;
    3. implements ``compute(**values)``: calls the module's pure state
       function and returns its state (no drawing, no widget access);
    4. implements ``draw(state)``: updates artists in place; returns True
       when it changed something not registered with ``animate`` (limits,
       titles of still axes), so the whole figure is redrawn.
       ``changed(*names)`` says whether those values moved since the last
       draw: the way to redraw the still parts only when they change;
    5. ends its ``__init__`` with ``self.update()``.

    To set several controls with one update at the end (one control that
    moves another), change them inside ``with self.quietly():``.

    A ``ValueError`` from ``compute`` (settings that make no sense, such as
    a window larger than its input) is shown by ``show_error`` instead of
    raised: a widget never raises on a slider position. The constructor's
    own arguments are checked as a function's are: a ``ValueError`` in the
    first ``update`` is raised, unless ``show_first_error`` is True (for
    views whose starting settings may be a lesson in what does not fit).

    Attributes
    ----------
    state : object
        What ``compute`` returned for the current control values (None while
        the settings give an error).
    inputs : dict of str -> ipywidgets widget
        The registered controls, by name.
    cache : OrderedDict
        The remembered states, oldest first, keyed by the sorted
        ``(name, value)`` pairs.
    cache_size : int
        How many states to remember (class attribute; 0 turns memoising off:
        for states that also follow something no control holds and no
        fingerprint sees).
    models : tuple of Sequential
        The models whose weights the state depends on (``follow_weights``).
    """

    cache_size = 32
    show_first_error = False

    def __init__(self, figsize=(8, 3), dpi=80):
        super().__init__(figsize=figsize, dpi=dpi)
        self.inputs = {}
        self.state = None
        self.cache = OrderedDict()
        self._error_text = None
        self._draw_only = {}   # controls registered with recompute=False
        self._drawn = None     # every registered control's value at the last draw
        self._started = False  # whether an update has run (errors are shown from then on)
        self._quiet = False
        self.models = ()
        self._cache_weights = None  # the weights' fingerprint when the cached states were made

    def follow_weights(self, *models):
        """Say that the state depends on these models' weights, not only on the controls.

        Before every update the view takes the weights' fingerprint
        (``weights_fingerprint``); when it differs from the one the cached
        states were computed with (the model was trained, or its weights
        set), the cache is emptied and the state recomputed, even after a
        control registered with ``recompute=False``. ``changed('weights')``
        then says so to ``draw``.
        """
        self.models = tuple(models)

    def add_controls(self, show=True, recompute=True, **controls):
        """Register named controls: observed, and passed to ``compute`` by name.

        With ``show=False`` they are not added to ``self.controls``: for
        controls the subclass lays out in its own boxes. With
        ``recompute=False`` a change redraws the current state without
        computing (``draw`` reads the control; ``compute`` does not get it).
        """
        for name, control in controls.items():
            (self.inputs if recompute else self._draw_only)[name] = control
            control.observe(lambda change: self.update(recompute), names="value")
        if show:
            self.controls.extend(controls.values())

    @property
    def values(self):
        """The current settings, by name: the controls' values.

        A subclass may add settings that are no single control (e.g. a
        filter typed into a grid of boxes, as a tuple: values must hash).
        """
        return {name: control.value for name, control in self.inputs.items()}

    def compute(self, **values):
        """The state for these control values (override; pure, no drawing)."""
        raise NotImplementedError

    def draw(self, state):
        """Show ``state`` by updating artists in place (override).

        Returns
        -------
        bool
            True if non-animated artists changed (a full redraw is needed).
        """
        raise NotImplementedError

    def changed(self, *names):
        """Whether the named settings (all, if none is named) differ from the last draw's.

        Names are those of ``values`` and of the controls registered with
        ``recompute=False``, and ``'weights'`` for a view that
        ``follow_weights``: True after the model's weights changed.
        """
        if self._drawn is None:
            return True
        settings = self._settings()
        return any(settings[name] != self._drawn.get(name) for name in (names or settings))

    def _settings(self):
        settings = {**self.values, **{name: c.value for name, c in self._draw_only.items()}}
        if self.models:
            settings["weights"] = self._cache_weights
        return settings

    @contextmanager
    def quietly(self):
        """Change several controls without an update per change: ``with view.quietly(): ...``."""
        quiet, self._quiet = self._quiet, True
        try:
            yield
        finally:
            self._quiet = quiet

    def show_error(self, message):
        """Show why the current settings give no picture; '' clears it.

        Override to place the message better. Returns True (a full redraw).
        """
        if self._error_text is None:
            self._error_text = self.figure.text(0.5, 0.5, "", ha="center", va="center",
                                                fontsize=10, wrap=True,
                                                bbox=dict(fc="white", ec=PIXEL_COLOR))
        self._error_text.set_text(message)
        self._error_text.set_visible(bool(message))
        return True

    def cached_compute(self, **values):
        """``compute(**values)``, remembered for the last ``cache_size`` settings."""
        key = tuple(sorted(values.items()))
        if key in self.cache:
            self.cache.move_to_end(key)
            return self.cache[key]
        state = self.compute(**values)
        if self.cache_size:
            self.cache[key] = state
            while len(self.cache) > self.cache_size:
                self.cache.popitem(last=False)
        return state

    def update(self, recompute=True):
        """Recompute (or recall) the state for the current controls and redraw.

        ``recompute=False`` redraws the current state (after a control that
        ``compute`` does not read moved).
        """
        if self._quiet:
            return
        if self.models:
            weights = weights_fingerprint(*self.models)
            if weights != self._cache_weights:  # trained since: every cached state is stale
                self.cache.clear()
                self._cache_weights, recompute = weights, True
        if recompute or self._drawn is None:
            try:
                self.state = self.cached_compute(**self.values)
            except ValueError as error:  # settings that make no sense: say so, don't raise
                if not (self._started or self.show_first_error):
                    raise  # a bad constructor argument
                self._started = True
                self.state, self._drawn = None, None
                self.refresh(full=bool(self.show_error(str(error))))
                return
        full = self.draw(self.state)
        if self._error_text is not None and self._error_text.get_visible():
            full = self.show_error("")
        self._drawn, self._started = self._settings(), True
        self.refresh(full=bool(full))


def weights_fingerprint(*models):
    """A cheap number that changes when any weight of the models changes.

    The CRC-32 of every layer's weights (trainable and not, e.g. batch-norm
    moving averages), with the layers' identities and the weights' names
    and shapes: a step of training, ``set_weights`` or an edit in place
    changes it, and so does adding or removing a layer. A checksum, not a
    sum: one SGD step on a softmax layer keeps its weights' sum unchanged.
    A few milliseconds per megabyte of weights.
    """
    crc = 0
    for model in models:
        for layer in model.layers:
            crc = zlib.crc32(f"{id(layer)}".encode(), crc)
            for name, weight in (*layer.params.items(), *layer.state.items()):
                crc = zlib.crc32(f"{name}{weight.shape}{weight.dtype}".encode(), crc)
                crc = zlib.crc32(np.ascontiguousarray(weight).data, crc)
    return crc


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
