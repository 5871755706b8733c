"""Loss explorer: drag a predicted probability, watch each loss and its slope.

One sample of a two-class problem: the true label ``y`` is 0 or 1 and the
model predicts ``p``, its probability for class 1. Every number comes from
``mlcore.losses`` (values and gradients dC/dp); nothing is recomputed here.
"""
import ipywidgets as widgets
import numpy as np

from .. import losses
from .base.toolkit import OKABE_ITO
from .base.view import Explorer

DEFAULT_LOSSES = ("mean_squared_error", "mean_absolute_error", "binary_crossentropy")
SHORT = {"mean_squared_error": "MSE", "mean_absolute_error": "MAE",
         "binary_crossentropy": "cross-entropy"}
GRADIENT_LIMIT = 10.0  # the gradient panel shows [-10, 10]; larger slopes are labelled


def loss_state(p, label, loss_names=DEFAULT_LOSSES):
    """Loss and gradient of one prediction for each loss.

    Parameters
    ----------
    p : float or array of shape (n,)
        Predicted probability of class 1, in [0, 1].
    label : {0, 1}
        The true class.
    loss_names : sequence of str
        Names ``mlcore.losses.get`` accepts.

    Returns
    -------
    dict
        ``{name: (loss, gradient)}``; each an array of shape (n,) (or a
        float for scalar ``p``), the loss C(y, p) of that single sample and
        dC/dp, both computed by ``mlcore.losses``.
    """
    if label not in (0, 1):
        raise ValueError(f"loss_state: label must be 0 or 1, got {label!r}")
    p_arr = np.atleast_1d(np.asarray(p, dtype=np.float64))
    if p_arr.ndim != 1 or np.any(p_arr < 0) or np.any(p_arr > 1):
        raise ValueError(f"loss_state: p must be probabilities in [0, 1], got {p!r}")
    y = np.full((len(p_arr), 1), float(label))
    out = {}
    for name in loss_names:
        loss = losses.get(name)
        y_ready, p_ready = loss.prepare(y, p_arr[:, None])
        values = loss.per_sample(y_ready, p_ready)
        # gradient() averages over the n samples; undo that to get each one's own slope
        slopes = loss.gradient(y, p_arr[:, None])[:, 0] * len(p_arr)
        if np.ndim(p) == 0:
            values, slopes = float(values[0]), float(slopes[0])
        out[name] = (values, slopes)
    return out


class LossExplorer(Explorer):
    """Drag the predicted probability ``p``; see every loss and its gradient dC/dp.

    Parameters
    ----------
    p : float, default 0.25
        Starting prediction (the course's cat example: label 0, output 0.25).
    label : {0, 1}, default 0
    loss_names : sequence of str
        Losses to compare (``mlcore.losses`` names).
    """

    title = "Loss explorer"

    def __init__(self, p=0.25, label=0, loss_names=DEFAULT_LOSSES):
        super().__init__(figsize=(10, 3.2))
        self.loss_names = tuple(loss_names)
        self.grid = np.linspace(0.001, 0.999, 400)
        self.p_slider = widgets.FloatSlider(value=p, min=0.0, max=1.0, step=0.01,
                                            description="prediction p", readout_format=".2f")
        self.label_buttons = widgets.ToggleButtons(options=[("label y = 0", 0), ("label y = 1", 1)],
                                                   value=label, description="true class")
        self.controls = [self.p_slider, self.label_buttons]
        self.ax_loss, self.ax_grad, self.ax_text = self.figure.subplots(
            1, 3, gridspec_kw={"width_ratios": [1, 1, 0.75]})
        self.ax_text.axis("off")
        self.curves, self.dots, self.slope_curves, self.slope_dots = {}, {}, {}, {}
        for name, color in zip(self.loss_names, OKABE_ITO):
            label_text = SHORT.get(name, name)
            self.curves[name], = self.ax_loss.plot([], [], color=color, label=label_text)
            self.dots[name], = self.ax_loss.plot([], [], "o", color=color)
            self.slope_curves[name], = self.ax_grad.plot([], [], color=color, label=label_text)
            self.slope_dots[name], = self.ax_grad.plot([], [], "o", color=color)
        self.ax_loss.set(xlabel="predicted probability p of class 1", ylabel="loss C",
                         xlim=(0, 1), ylim=(0, 4))
        self.ax_grad.set(xlabel="predicted probability p of class 1", ylabel="gradient dC/dp",
                         xlim=(0, 1), ylim=(-GRADIENT_LIMIT, GRADIENT_LIMIT))
        self.ax_grad.axhline(0, color="gray", lw=0.8)
        self.ax_loss.legend(loc="upper right", fontsize=8)
        self.marker_loss = self.ax_loss.axvline(p, color="gray", ls=":")
        self.marker_grad = self.ax_grad.axvline(p, color="gray", ls=":")
        self.readout = self.ax_text.text(0.0, 0.95, "", transform=self.ax_text.transAxes,
                                         va="top", fontsize=9, family="monospace")
        self.animate(self.marker_loss, self.marker_grad, self.readout,
                     *self.dots.values(), *self.slope_dots.values())
        self.add_controls(show=False, p=self.p_slider, label=self.label_buttons)
        self.update()

    def compute(self, p, label):
        """Every loss and its gradient at ``p`` (``at_p``) and along the curves (``curves``)."""
        return {"at_p": loss_state(p, label, self.loss_names),
                "curves": loss_state(self.grid, label, self.loss_names)}

    def draw(self, state):
        """Redraw for the current p (and the whole curves if the label changed)."""
        p, label = self.p_slider.value, self.label_buttons.value
        curves = self.changed("label")
        if curves:
            for name, (values, slopes) in state["curves"].items():
                self.curves[name].set_data(self.grid, values)
                self.slope_curves[name].set_data(self.grid, np.clip(slopes, -50, 50))
            self.ax_loss.set_title(f"Losses of one sample whose true class is {label}", fontsize=10)
            self.ax_grad.set_title("Their gradients: how hard training pushes p", fontsize=10)
        lines = [f"p = {p:.2f}, y = {label}"]
        for name, (value, slope) in state["at_p"].items():
            self.dots[name].set_data([p], [min(value, 4.0)])
            self.slope_dots[name].set_data([p], [np.clip(slope, -GRADIENT_LIMIT, GRADIENT_LIMIT)])
            note = " (off chart)" if abs(slope) > GRADIENT_LIMIT or value > 4 else ""
            lines.append(f"{SHORT.get(name, name)}:\n  C = {value:.4g}\n  dC/dp = {slope:.4g}{note}")
        self.marker_loss.set_xdata([p, p])
        self.marker_grad.set_xdata([p, p])
        self.readout.set_text("\n".join(lines))
        return curves

    def describe(self):
        parts = [f"{SHORT.get(n, n)} {v:.4f} (slope {g:.3f})"
                 for n, (v, g) in self.state["at_p"].items()]
        return (f"LossExplorer: label {self.label_buttons.value}, p = {self.p_slider.value:.2f}: "
                + ", ".join(parts))
