"""Gradient-descent explorer: learning-rate and momentum sliders over a 1-D or 2-D loss.

Each step is the engine's own rule, ``new weight = old weight - lr * gradient``
(with momentum mu, Keras' ``v <- mu v - lr * gradient``, ``w <- w + v``),
applied by ``mlcore.optimizers.SGD`` to a weight array. Too large a learning
rate overshoots the minimum or diverges; the figure says which, and never
shows nan.
"""
import ipywidgets as widgets
import numpy as np

from ..arguments import check_int
from ..optimizers import SGD
from .base.toolkit import format_number
from .base.view import Explorer, play_controls

BLOW_UP = 1e6          # |w| beyond this: stop and call it diverged (before any overflow)
SETTLED = 1e-2         # final |gradient| below this fraction of the largest one: converged
LOSS_RANGE = (1e-4, 1e4)  # the loss-per-step panel's log-scale limits, at least
LOSS_FLOOR = 1e-12        # ... extended down to the smallest loss, but never below this


class Surface:
    """A loss ``L(w)`` over ``dim`` weights with its exact gradient.

    Parameters
    ----------
    name, dim : str, int
    loss : callable, array (..., dim) -> array (...)
    gradient : callable, array (..., dim) -> array (..., dim)
    start : tuple of float, the default starting weights
    limit : float, plots show [-limit, limit] on every axis
    formula : str, shown in the title
    """

    def __init__(self, name, dim, loss, gradient, start, limit, formula):
        self.name, self.dim, self.loss, self.gradient = name, dim, loss, gradient
        self.start, self.limit, self.formula = tuple(start), float(limit), formula

    def __repr__(self):
        return f"<surface {self.name} ({self.dim}-D): {self.formula}>"


def _double_well(w):  # two valleys of different depth, a hump between them
    return 0.25 * w ** 4 - w ** 2 + 0.3 * w + 1.5


def _double_well_slope(w):
    return w ** 3 - 2 * w + 0.3


def _curved(w):  # the double well along w1, a valley that bends with sin(2 w1) along w2
    return _double_well(w[..., 0]) + (w[..., 1] - 0.5 * np.sin(2 * w[..., 0])) ** 2


def _curved_gradient(w):
    w1, w2 = w[..., 0], w[..., 1]
    across = 2 * (w2 - 0.5 * np.sin(2 * w1))
    return np.stack([_double_well_slope(w1) - across * np.cos(2 * w1), across], axis=-1)


SURFACES = {
    (1, "quadratic"): Surface("quadratic", 1, lambda w: w[..., 0] ** 2, lambda w: 2 * w,
                              (2.5,), 3.0, "L(w) = w²"),
    (1, "nonconvex"): Surface("nonconvex", 1, lambda w: _double_well(w[..., 0]),
                              lambda w: _double_well_slope(w), (2.2,), 2.5,
                              "L(w) = w⁴/4 − w² + 0.3w + 1.5"),
    (2, "quadratic"): Surface("quadratic", 2, lambda w: (w ** 2).sum(-1), lambda w: 2 * w,
                              (2.5, 2.0), 3.0, "bowl: L = w₁² + w₂²"),
    (2, "valley"): Surface("valley", 2, lambda w: 0.02 * w[..., 0] ** 2 + 2 * w[..., 1] ** 2,
                           lambda w: w * np.array([0.04, 4.0]), (-2.7, 1.5), 3.0,
                           "narrow valley: L = 0.02 w₁² + 2 w₂²"),
    (2, "nonconvex"): Surface("nonconvex", 2, _curved, _curved_gradient, (2.2, -1.5), 2.5,
                              "non-convex: two curved valleys"),
}
SURFACES[(2, "bowl")] = SURFACES[(2, "quadratic")]


def get_surface(surface, dim=None):
    """Look a surface up by name (and dimension); a ``Surface`` passes through."""
    if isinstance(surface, Surface):
        return surface
    dims = (1, 2) if dim is None else (dim,)
    for d in dims:
        if (d, surface) in SURFACES:
            return SURFACES[(d, surface)]
    valid = sorted(f"{name} ({d}-D)" for d, name in SURFACES if d in dims)
    raise ValueError(f"descent: unknown surface {surface!r}; valid surfaces are {valid}")


def descent_path(surface, start, learning_rate, steps, momentum=0.0):
    """Run gradient descent on a surface with the engine's SGD.

    Every step is ``w <- w - learning_rate * dL/dw`` (``mlcore.SGD``); with
    momentum mu, ``SGD(momentum=mu)`` steps ``v <- mu v - learning_rate * dL/dw``,
    ``w <- w + v`` (Keras' form, v starts at 0). Descent stops early once
    |w| exceeds 1e6, so the path never holds inf or nan.

    Parameters
    ----------
    surface : str or Surface
        ``'quadratic'``/``'nonconvex'`` (1-D or 2-D), ``'bowl'``/``'valley'`` (2-D).
        A name in both dimensions is taken in the dimension of ``start``.
    start : float or sequence of float, shape (dim,)
    learning_rate : float, > 0
    steps : int, >= 0
    momentum : float in [0, 1), default 0

    Returns
    -------
    points : ndarray, shape (k + 1, dim)
        The weights before the first step and after each of the k <= steps
        steps taken.
    losses : ndarray, shape (k + 1,)
        L at each point.
    status : str
        ``'converged'`` (the gradient shrank below 1 % of its largest value),
        ``'overshooting'`` (not converged, and the gradient still flips
        direction in at least 2 of the last 4 steps), ``'diverged'`` (the
        loss grew or |w| blew up), or ``'descending'`` (still going down:
        the learning rate is too small for this many steps).
    """
    w = np.array(start, dtype=np.float64).ravel()
    surface = get_surface(surface, w.size)
    if surface.dim != w.size:
        raise ValueError(f"descent_path: surface '{surface.name}' has {surface.dim} weights, "
                         f"start has {w.size}")
    check_int("descent_path", "steps", steps, 0)
    optimizer = SGD(learning_rate=learning_rate, momentum=momentum)  # validates both
    points, blew_up = [w.copy()], False
    for _ in range(steps):
        gradient = surface.gradient(w)
        optimizer.apply_gradients([(w, gradient)])  # w -= lr * gradient, in place
        if not np.all(np.abs(w) < BLOW_UP):
            blew_up = True
            break
        points.append(w.copy())
    points = np.array(points)
    losses = surface.loss(points)
    return points, losses, _status(surface, points, losses, blew_up)


def _status(surface, points, losses, blew_up):
    if blew_up or losses[-1] > losses[0] * (1 + 1e-9) + 1e-12:
        return "diverged"
    gradients = np.linalg.norm(surface.gradient(points), axis=-1)
    if gradients[-1] <= SETTLED * max(gradients.max(), 1e-12):
        return "converged"
    # Still jumping back and forth at the end (2 of the last 4 steps), not just early on.
    return "overshooting" if _reversals(surface, points)[-4:].sum() >= 2 else "descending"


def _reversals(surface, points):
    """For each step, whether it jumped past a minimum: the gradient reversed direction."""
    g = surface.gradient(points)
    return np.einsum("ij,ij->i", g[:-1], g[1:]) < 0


def loss_limits(losses):
    """Log-axis limits for a loss curve: ``LOSS_RANGE``, extended down to the smallest loss.

    The lower limit is the power of ten below the smallest positive loss (at
    least ``LOSS_FLOOR``), so a loss of 9.6e-06 shows on the axis instead of
    being clipped to 1e-4.
    """
    positive = np.asarray(losses, dtype=float)
    positive = positive[positive > 0]
    smallest = max(positive.min(), LOSS_FLOOR) if positive.size else LOSS_FLOOR
    return min(LOSS_RANGE[0], 10.0 ** np.floor(np.log10(smallest))), LOSS_RANGE[1]


def overshoots(surface, points):
    """How many steps jumped past a minimum (the gradient reversed direction)."""
    return int(_reversals(surface, points).sum())


MESSAGES = {
    "converged": "converged",
    "overshooting": "overshooting: jumps across the minimum and does not settle",
    "diverged": "diverged: the loss grows, the learning rate is too large",
    "descending": "still descending: the learning rate is too small for this many steps",
}
# Okabe-Ito hues, darkened so the verdict reads well as text on white.
STATUS_COLORS = {"converged": "#00704f", "overshooting": "#9a5c00", "diverged": "#b34700",
                 "descending": "#005a8c"}


class GradientDescentExplorer(Explorer):
    """Drag the learning rate (log scale), the momentum and the start; watch descent step.

    Left: the loss curve (1-D) or the loss surface as filled contours (2-D)
    with the path of the weights. Right: the loss after each step (log
    scale). Play/step animates the path. The title says whether descent
    converged, overshot, diverged or is still descending.

    Parameters
    ----------
    dim : {1, 2}, default 1
    learning_rate : float, default 0.1
        In [1e-4, 10] (the slider's range).
    start : float or sequence of float, optional
        Default: the surface's own start.
    steps : int, default 30
    surface : str, default 'quadratic'
        1-D: 'quadratic', 'nonconvex'; 2-D: 'quadratic' (= 'bowl'), 'valley', 'nonconvex'.
    momentum : float in [0, 0.99], default 0
        Of the engine's ``SGD(momentum=...)``; 0 is plain gradient descent.
    """

    title = "Gradient-descent explorer"

    def __init__(self, dim=1, learning_rate=0.1, start=None, steps=30, surface="quadratic",
                 momentum=0.0):
        if dim not in (1, 2):
            raise ValueError(f"GradientDescentExplorer: dim must be 1 or 2, got {dim!r}")
        super().__init__(figsize=(9, 3.6))
        self.dim, self.steps = dim, steps
        self.surface = get_surface(surface, dim)
        start = self.surface.start if start is None else np.atleast_1d(np.asarray(start, float))
        descent_path(self.surface, start, learning_rate, steps, momentum)  # validate them
        names = [name for d, name in SURFACES if d == dim]
        self.surface_picker = widgets.Dropdown(options=names, value=self.surface.name,
                                               description="surface")
        self.lr_slider = widgets.FloatLogSlider(value=learning_rate, base=10, min=-4, max=1,
                                                step=0.05, description="learning rate",
                                                readout_format=".4g",
                                                style={"description_width": "initial"})
        self.momentum_slider = widgets.FloatSlider(value=momentum, min=0, max=0.99, step=0.01,
                                                   description="momentum")
        self.start_sliders = [widgets.FloatSlider(value=float(v), min=-3, max=3, step=0.05,
                                                  description=f"start w{k + 1}" if dim == 2
                                                  else "start w")
                              for k, v in enumerate(start)]
        self.play, self.step_slider, play_box = play_controls(steps + 1, interval=200)
        self.step_slider.value = steps  # first view: the whole path
        self.controls = [widgets.HBox([self.lr_slider, self.momentum_slider,
                                       self.surface_picker]),
                         widgets.HBox(self.start_sliders), play_box]

        self.ax_path, self.ax_loss = self.figure.subplots(1, 2, width_ratios=[1.3, 1])
        self.path_line, = self.ax_path.plot([], [], "-o", color="#D55E00", ms=3.5, lw=1.2)
        self.point, = self.ax_path.plot([], [], "o", color="white", mec="black", ms=8, zorder=5)
        self.loss_line, = self.ax_loss.plot([], [], "-o", color="#D55E00", ms=3, lw=1.2)
        self.loss_point, = self.ax_loss.plot([], [], "o", color="white", mec="black", ms=7)
        # The verdict spans the figure; a suptitle so the layout keeps room for it.
        self.status_text = self.figure.suptitle(" ", fontsize=10, fontweight="bold")
        self.readout = self.ax_loss.text(0.03, 0.03, "", transform=self.ax_loss.transAxes,
                                         va="bottom", fontsize=8, family="monospace",
                                         bbox=dict(facecolor="white", alpha=0.85, lw=0))
        self.ax_loss.set(yscale="log", ylim=LOSS_RANGE, xlim=(-0.5, steps + 0.5),
                         xlabel="step", ylabel="loss L (log scale)")
        self.ax_loss.grid(alpha=0.3)
        self._background_artists = []
        self.animate(self.path_line, self.point, self.loss_line, self.loss_point,
                     self.status_text, self.readout)
        # Before the update: a new surface moves the start sliders to its own start first.
        self.surface_picker.observe(lambda change: self._change_surface(), names="value")
        self.add_controls(show=False, learning_rate=self.lr_slider,
                          momentum=self.momentum_slider, surface=self.surface_picker,
                          **{f"w{k + 1}": slider for k, slider in enumerate(self.start_sliders)})
        self.add_controls(show=False, recompute=False, step=self.step_slider)
        self.update()

    def compute(self, learning_rate, momentum, surface, **start):
        """``descent_path`` at these settings: (points, losses, status)."""
        start = [start[f"w{k + 1}"] for k in range(self.dim)]
        return descent_path(get_surface(surface, self.dim), start, learning_rate, self.steps,
                            momentum)

    def draw(self, path):
        """Draw the path up to the current step (and the surface, if it changed)."""
        full = self.changed("surface")
        if full:
            self._draw_surface()
        points, losses, status = path
        limits = loss_limits(losses)
        if limits != self.ax_loss.get_ylim():  # a new path reaching lower: widen the axis
            self.ax_loss.set_ylim(limits)
            full = True
        k = min(self.step_slider.value, len(points) - 1)
        shown = points[:k + 1]
        if self.dim == 1:
            self.path_line.set_data(shown[:, 0], losses[:k + 1])
            self.point.set_data([shown[-1, 0]], [losses[k]])
        else:
            self.path_line.set_data(shown[:, 0], shown[:, 1])
            self.point.set_data([shown[-1, 0]], [shown[-1, 1]])
        steps = np.arange(k + 1)
        self.loss_line.set_data(steps, np.clip(losses[:k + 1], *limits))
        self.loss_point.set_data([k], [np.clip(losses[k], *limits)])
        message = MESSAGES[status]
        if status == "converged":
            message = f"converged within {self.steps} steps"
            jumps = overshoots(self.surface, points)
            if jumps:
                message += f" (overshot the minimum {jumps} times)"
        elif status == "diverged" and len(points) <= self.steps:
            message += f" (|w| passed {BLOW_UP:.0e} at step {len(points)}: stopped)"
        settings = f"learning rate {self.lr_slider.value:.4g}"
        if self.momentum_slider.value:
            settings += f", momentum {self.momentum_slider.value:.2g}"
        self.status_text.set_text(f"{settings}: {message}")
        self.status_text.set_color(STATUS_COLORS[status])
        weights = ", ".join(format_number(v, "{:.3g}") for v in shown[-1])
        loss = format_number(losses[k], "{:.4g}")
        self.readout.set_text(f"step {k}\nw = ({weights})\nL = {loss}")
        return full

    def _change_surface(self):
        self.surface = get_surface(self.surface_picker.value, self.dim)
        with self.quietly():  # set both start sliders; the picker's update follows
            for slider, value in zip(self.start_sliders, self.surface.start):
                slider.value = value

    def _draw_surface(self):
        for artist in self._background_artists:
            artist.remove()
        limit = self.surface.limit
        if self.dim == 1:
            grid = np.linspace(-limit, limit, 400)
            values = self.surface.loss(grid[:, None])
            self._background_artists = self.ax_path.plot(grid, values, color="#0072B2", lw=2)
            self.ax_path.set(xlim=(-limit, limit), ylim=(-0.05 * values.max(), 1.1 * values.max()),
                             xlabel="weight w", ylabel="loss L(w)")
        else:
            axis = np.linspace(-limit, limit, 120)
            w1, w2 = np.meshgrid(axis, axis)
            values = self.surface.loss(np.stack([w1, w2], axis=-1))
            levels = np.quantile(values, np.linspace(0, 1, 16))  # even area per band
            filled = self.ax_path.contourf(w1, w2, values, levels=levels, cmap="viridis")
            lines = self.ax_path.contour(w1, w2, values, levels=levels, colors="white",
                                         linewidths=0.4, alpha=0.6)
            self._background_artists = [filled, lines]
            self.ax_path.set(xlim=(-limit, limit), ylim=(-limit, limit), aspect="equal",
                             xlabel="weight w₁", ylabel="weight w₂")
        self.ax_path.set_title(self.surface.formula, fontsize=10)
        self.ax_loss.set_title("loss after each step", fontsize=10)

    def describe(self):
        points, losses, status = self.state
        return (f"GradientDescentExplorer: {self.surface.name} ({self.dim}-D), learning rate "
                f"{self.lr_slider.value:.4g}, momentum {self.momentum_slider.value:.2g}, "
                f"{len(points) - 1} steps: {status}, final loss "
                f"{format_number(losses[-1], '{:.4g}')}")
