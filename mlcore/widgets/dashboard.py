"""Training dashboard: loss and accuracy curves, train and validation, per epoch.

A ``Callback`` and a view at once: pass it to ``fit`` and it records every
epoch's logs; show it and it draws them.
"""
import re
import textwrap

import ipywidgets as widgets
import numpy as np
from matplotlib.ticker import MaxNLocator

from ..arguments import check_int
from ..training.callbacks import Callback
from .base.toolkit import OKABE_ITO, format_number
from .base.view import WidgetView

TRAIN_COLOR, VAL_COLOR = OKABE_ITO[0], OKABE_ITO[5]  # blue and vermilion
LIVE_TEXT = "Training dashboard: loss and accuracy per epoch, train and validation"


class TrainingDashboard(WidgetView, Callback):
    """Live train/validation curves while ``fit`` runs, a static summary after.

    Parameters
    ----------
    metrics : sequence of str, default ('loss', 'accuracy')
        One panel per name; each shows the logged ``name`` (train) and
        ``val_name`` (validation) per epoch, whichever ``fit`` logs.
    update_every : int, default 1
        Redraw the live figure every this many epochs (drawing costs a few
        tens of ms, so use e.g. 5 for long runs).
    live : bool, default False
        Show the dashboard itself as soon as ``fit`` starts (see below).

    Notes
    -----
    Two ways to use it, both safe for executed notebooks (nbval):

    1. Default: make it the last expression of the cell that trains::

           dash = TrainingDashboard()
           model.fit(x, y, epochs=20, validation_split=0.2, callbacks=[dash], verbose=0)
           dash

       The output is the final curves as a live widget in JupyterLab and,
       for a headless run or GitHub, a static PNG plus a text summary of
       the final values (no timings, so it re-executes identically). While
       nothing displays it, it does not draw at all, so it costs ``fit``
       nothing.

    2. ``TrainingDashboard(live=True)`` displays itself when ``fit`` starts
       and redraws as epochs end (a progress display in JupyterLab). Its
       text stays a fixed line (so nbval compares equal), its stored image
       is replaced by the final curves when training ends, and the summary
       is printed as one line. Do not also end the cell with ``dash``.

    One dashboard can watch several ``fit`` calls; each call starts the
    curves afresh, as ``History`` does.

    Attributes
    ----------
    history : dict of str -> list of float
        Every logged value per epoch, as ``History.history``.
    epochs : list of int
        The epoch numbers (1-based) recorded.
    """

    title = "Training dashboard"

    def __init__(self, metrics=("loss", "accuracy"), update_every=1, live=False):
        if isinstance(metrics, str):
            metrics = (metrics,)
        if not metrics:
            raise ValueError("TrainingDashboard: give at least one metric name, e.g. 'loss'")
        check_int("TrainingDashboard", "update_every", update_every, 1)
        super().__init__(figsize=(4.2 * len(metrics), 3.2))
        self.metrics, self.update_every, self.live = tuple(metrics), int(update_every), live
        self.history, self.epochs, self.stop_reason = {}, [], None
        self._shown, self._handle = False, None
        self.axes = np.atleast_1d(self.figure.subplots(1, len(self.metrics)))
        self.lines, self.readouts = {}, []
        for i, (ax, name) in enumerate(zip(self.axes, self.metrics)):
            self.lines[name], = ax.plot([], [], "-o", ms=3, color=TRAIN_COLOR, label="train")
            self.lines["val_" + name], = ax.plot([], [], "--s", ms=3, color=VAL_COLOR,
                                                 label="validation")
            ax.set(xlabel="epoch", ylabel=name, title=name)
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
            ax.grid(alpha=0.3)
            rising = "acc" in name  # accuracy climbs: keep the bottom right free for text
            if i == 0:
                ax.legend(loc="lower left" if rising else "upper right", fontsize=8)
            self.readouts.append(ax.text(0.97 if rising else 0.03, 0.04, "",
                                         transform=ax.transAxes, va="bottom",
                                         ha="right" if rising else "left",
                                         fontsize=8, family="monospace"))
        self.suptitle = self.figure.suptitle("waiting for fit(...)", fontsize=10)
        self.animate(*self.lines.values(), *self.readouts, self.suptitle)
        self.controls = [widgets.HTML(value="<b>Training dashboard</b>: train (solid) and "
                                            "validation (dashed) after each epoch")]

    # -- callback hooks ----------------------------------------------------
    def on_train_begin(self, logs=None):
        self.history, self.epochs, self.stop_reason = {}, [], None
        if self.live:
            self._show_live()

    def on_epoch_end(self, epoch, logs=None):
        self.epochs.append(epoch + 1)
        for key, value in (logs or {}).items():
            self.history.setdefault(key, []).append(float(value))
        if self._shown and len(self.epochs) % self.update_every == 0:
            self.update()

    def on_train_end(self, logs=None):
        self.stop_reason = getattr(self.model, "stop_reason", None)
        if self._shown:
            self.update(final=True)
        if self.live and self._handle is not None:
            self._handle.update(self._bundle(LIVE_TEXT), raw=True)  # stored image: final curves
            print(self.describe())

    # -- drawing -------------------------------------------------------------
    def update(self, final=False):
        """Redraw every curve from the recorded history.

        While training, the axes keep headroom (x doubles, y grows by 15 %
        when the data reach the edge), so most epochs only blit the curves;
        ``final=True`` fits the limits to the data exactly.
        """
        epochs = np.array(self.epochs)
        rescaled = final
        for ax, name, readout in zip(self.axes, self.metrics, self.readouts):
            parts, shown = [], []
            for key, label in ((name, "train"), ("val_" + name, "val")):
                values = np.asarray(self.history.get(key, []), dtype=float)
                line = self.lines[key]
                if values.size == 0:
                    line.set_data([], [])
                    continue
                line.set_data(epochs[:values.size], values)
                shown.append(values[np.isfinite(values)])
                parts.append(f"{label:>5} {_value(values[-1])}")
            readout.set_text("\n".join(parts))
            values = np.concatenate(shown) if shown else np.array([])
            rescaled |= self._set_limits(ax, name, values, final)
        if self.epochs:
            title = f"after epoch {self.epochs[-1]}"
            if self.stop_reason:
                title = textwrap.fill(f"{title}, stopped early: {first_sentence(self.stop_reason)}",
                                      width=int(45 * len(self.metrics)))
        else:
            title = "waiting for fit(...)"
        self.suptitle.set_text(title)
        self.refresh(full=rescaled)

    def _set_limits(self, ax, name, values, final):
        """Widen (or, if ``final``, fit) the limits to the data; True if they changed."""
        old = ax.get_xlim(), ax.get_ylim()
        last = self.epochs[-1] if self.epochs else 1
        if final:
            ax.set_xlim(0.5, max(last, 2) + 0.5)
        elif last + 0.5 > ax.get_xlim()[1]:
            ax.set_xlim(0.5, max(10, 2 * last) + 0.5)
        if "acc" in name:
            ax.set_ylim(0, 1.02)
        elif values.size:
            low, high = min(0.0, float(values.min())), float(values.max())
            # Values spanning many decades (a blow-up) only read on a log scale.
            spread = values.min() > 0 and high / values.min() > 1e3
            if spread and ax.get_yscale() != "log":
                ax.set_yscale("log")
            if spread and (final or high > ax.get_ylim()[1]):
                ax.set_ylim(0.5 * float(values.min()), 2 * high)
            elif not spread and (final or high > ax.get_ylim()[1] or low < ax.get_ylim()[0]):
                ax.set_yscale("linear")
                ax.set_ylim(low, high * 1.15 if high > 0 else 1.0)
        return (ax.get_xlim(), ax.get_ylim()) != old

    def describe(self):
        """Deterministic one-line summary: epochs and final values, no timings."""
        if not self.epochs:
            return "TrainingDashboard: no epochs recorded yet"
        keys = [k for name in self.metrics for k in (name, "val_" + name) if k in self.history]
        values = ", ".join(f"{k} {_value(self.history[k][-1])}" for k in keys)
        text = f"TrainingDashboard: {len(self.epochs)} epochs; final {values}"
        if self.stop_reason:
            text += f"; stopped early: {self.stop_reason}"
        return text

    # -- display -------------------------------------------------------------
    def _repr_mimebundle_(self, include=None, exclude=None):
        self._shown = True
        self.update(final=True)
        return super()._repr_mimebundle_(include=include, exclude=exclude)

    def _bundle(self, text):
        bundle = dict(super()._repr_mimebundle_())
        bundle["text/plain"] = text
        return bundle

    def _show_live(self):
        from IPython.core.interactiveshell import InteractiveShell
        from IPython.display import display

        self._shown = True
        self.update()
        if not InteractiveShell.initialized():
            return  # plain Python: nothing to display into; the figure still follows fit
        self._handle = display(self._bundle(LIVE_TEXT), raw=True, display_id=True)


def first_sentence(text):
    """``text`` up to its first full stop: a '.' that ends the text or precedes a space.

    Examples
    --------
    >>> first_sentence("with learning rate 0.05 (SGD). Try a smaller one.")
    'with learning rate 0.05 (SGD)'
    """
    return re.split(r"\.(?:\s|$)", text, maxsplit=1)[0]


def _value(v):
    """Four decimals, or scientific notation once a value has blown up."""
    return format_number(v, "{:.4f}" if abs(v) < 1e4 else "{:.3e}")
