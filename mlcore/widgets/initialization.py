"""Initialization explorer: how the first weights shape every layer's signal.

A deep stack of ``Dense(width)`` layers is built with the chosen
initializer, a batch of unit-normal inputs goes forward and the gradient of
a simple loss comes back. Per layer, histograms of the activations and of
log10 |dC/dW| show the signal dying out (vanishing), blowing up (exploding)
or piling up at the flat ends of sigmoid/tanh (saturation).
"""
import ipywidgets as widgets
import numpy as np
from matplotlib.colors import PowerNorm

from .. import initializers, losses
from ..arguments import check_int
from ..backend import float_precision, seeded
from ..layers.core import Dense
from ..model import Sequential
from .base.view import Explorer

INITIALIZERS = ("random_normal", "glorot_uniform", "glorot_normal", "he_uniform", "he_normal",
                "lecun_normal")
ACTIVATIONS = ("sigmoid", "tanh", "relu", "leaky_relu", "linear")
ACTIVATION_RANGE = {"sigmoid": (0.0, 1.0), "tanh": (-1.0, 1.0), "relu": (0.0, 4.0)}
UNBOUNDED_RANGE = (-4.0, 4.0)   # leaky_relu, linear: values outside land in the edge bins
GRADIENT_RANGE = (-16.0, 8.0)   # log10 |dC/dW|; exact zeros land in the lowest bin
BINS = 40
EXPLODED = 1e6                  # |activation| beyond this counts as exploded
DRIFT = 10.0                    # last layer's std over layer 1's beyond this (or below 1/this)


def activation_range(activation):
    """The (low, high) the activation histograms cover."""
    return ACTIVATION_RANGE.get(activation, UNBOUNDED_RANGE)


def build_network(initializer, stddev, depth, width, activation):
    """``depth`` layers ``Dense(width, activation)`` with the given kernel initializer.

    ``stddev`` is used by 'random_normal' only (N(0, stddev^2)); the others
    take their scale from the fans. Layers get explicit names, so building
    one never shifts the default layer names of a notebook's own models.
    """
    if initializer not in INITIALIZERS:
        raise ValueError(f"initialization explorer: initializer must be one of {INITIALIZERS}, "
                         f"got {initializer!r}")
    if activation not in ACTIVATIONS:
        raise ValueError(f"initialization explorer: activation must be one of {ACTIVATIONS}, "
                         f"got {activation!r}")
    for what, value in (("depth", depth), ("width", width)):
        check_int("initialization explorer", what, value, 1)
    init = (initializers.RandomNormal(stddev=stddev) if initializer == "random_normal"
            else initializers.get(initializer))
    return Sequential([Dense(width, activation=activation, kernel_initializer=init,
                             input_shape=(width,) if i == 0 else None, name=f"init_dense_{i + 1}")
                       for i in range(depth)], name="initialization_explorer")


def layer_statistics(initializer="random_normal", stddev=1.0, depth=10, width=100,
                     activation="sigmoid", seed=0, n_samples=200):
    """Per-layer activation and gradient statistics of a freshly initialized deep net.

    Builds ``build_network(...)`` in float64 with its own seed (the
    notebook's random sequence is left where it was), feeds
    ``x ~ N(0, 1)`` of shape (n_samples, width) forward, takes the
    mean-squared error against targets ``y ~ N(0, 1)`` and runs the
    backward pass. Overflow never raises: it is reported as 'exploded'.

    Returns
    -------
    dict
        - ``activation_bins`` (BINS + 1,), ``activation_hist`` (depth, BINS):
          fraction of the layer's activations a^(l) per bin (values outside
          the range counted in the edge bins);
        - ``gradient_bins`` (BINS + 1,), ``gradient_hist`` (depth, BINS):
          the same for log10 |dC/dW^(l)|;
        - ``activation_mean``, ``activation_std``, ``gradient_rms``: (depth,);
        - ``saturated`` (depth,): fraction of sigmoid/tanh outputs within
          0.02 of their limits; ``dead`` (depth,): fraction of exact zeros;
        - ``labels``: list of str, e.g. ['saturated', 'vanishing gradients'];
          ['healthy'] if none applies. 'exploded': an activation beyond 1e6
          or a non-finite gradient; 'saturated': over half the sigmoid/tanh
          outputs at their limits; 'dead relu': over 90 % zeros in the last
          layer; 'vanishing activations': last-layer std below 1e-3;
          'shrinking activations' / 'growing activations': the last layer's
          std is below 1/10 / above 10 times layer 1's (the signal drifts);
          'vanishing gradients': most of layer 1's |dC/dW| below 1e-15, its
          rms below 1e-8, or under 1 % of the last layer's; 'exploding gradients':
          layer 1's rms over 100 times the last layer's.
    """
    with seeded(seed) as generator, float_precision("float64"), np.errstate(all="ignore"):
        model = build_network(initializer, stddev, depth, width, activation)
        x = generator.standard_normal((n_samples, width))
        y = generator.standard_normal((n_samples, width))
        output = model.forward(x, training=True)
        mse = losses.get("mean_squared_error")
        model.backward(mse.grad(y, output))
        acts = [layer.a for layer in model.layers]
        grads = [layer.grads["kernel"] for layer in model.layers]
        low, high = activation_range(activation)
        a_bins = np.linspace(low, high, BINS + 1)
        g_bins = np.linspace(*GRADIENT_RANGE, BINS + 1)
        stats = {
            "activation_bins": a_bins, "gradient_bins": g_bins,
            "activation_hist": np.array([_histogram(a, a_bins) for a in acts]),
            "gradient_hist": np.array([_histogram(np.log10(np.abs(g)), g_bins) for g in grads]),
            "activation_mean": np.array([np.mean(a) for a in acts]),
            "activation_std": np.array([np.std(a) for a in acts]),
            "gradient_rms": np.array([np.sqrt(np.mean(g * g)) for g in grads]),
            "saturated": np.array([_saturated(a, activation) for a in acts]),
            "dead": np.array([np.mean(a == 0) for a in acts]),
        }
        exploded = any(not np.all(np.abs(a) < EXPLODED) for a in acts) or \
            any(not np.all(np.isfinite(g)) for g in grads)
    stats["labels"] = _labels(stats, activation, exploded)
    return stats


def histogram_image(ax, hist, bins):
    """Draw per-layer histograms as the rows of an image, layer 1 at the top.

    Parameters
    ----------
    ax : matplotlib Axes
    hist : array, shape (depth, BINS)
        Fractions per bin, e.g. ``layer_statistics(...)['activation_hist']``.
    bins : array, shape (BINS + 1,)
        The bin edges along x.

    Returns
    -------
    AxesImage
        Coloured on a square-root scale from 0 to 1 (small fractions still
        show), the same for every call, so one colour bar
        (``figure.colorbar(image, label='fraction of values')``) serves many.
    """
    hist = np.asarray(hist)
    return ax.imshow(hist, aspect="auto", cmap="viridis", norm=PowerNorm(0.5, vmin=0, vmax=1),
                     interpolation="nearest", extent=(bins[0], bins[-1], len(hist) + 0.5, 0.5))


def _histogram(values, bins):
    """Fractions per (equal-width) bin; values beyond the range, and non-finite
    ones, count in the nearer edge bin (nan and -inf low, +inf high)."""
    flat = np.clip(np.nan_to_num(values.ravel(), nan=bins[0], posinf=bins[-1], neginf=bins[0]),
                   bins[0], bins[-1])
    index = np.minimum(((flat - bins[0]) / (bins[1] - bins[0])).astype(np.int64), len(bins) - 2)
    return np.bincount(index, minlength=len(bins) - 1) / max(flat.size, 1)


def _saturated(a, activation):
    if activation == "sigmoid":
        return float(np.mean((a < 0.02) | (a > 0.98)))
    if activation == "tanh":
        return float(np.mean(np.abs(a) > 0.98))
    return 0.0


def _labels(stats, activation, exploded):
    labels = []
    if exploded:
        labels.append("exploded")
    if stats["saturated"].mean() > 0.5:
        labels.append("saturated")
    if activation == "relu" and stats["dead"][-1] > 0.9:
        labels.append("dead relu")
    std = stats["activation_std"]
    if np.isfinite(std[-1]) and std[-1] < 1e-3:
        labels.append("vanishing activations")
    elif not exploded and std[0] > 0 and std[-1] < std[0] / DRIFT:
        labels.append("shrinking activations")
    elif not exploded and std[-1] > DRIFT * std[0]:
        labels.append("growing activations")
    rms = stats["gradient_rms"]
    if not exploded and (stats["gradient_hist"][0, 0] > 0.5 or rms[0] < 1e-8):
        labels.append("vanishing gradients")  # layer 1's gradients are ~0: it cannot learn
    elif np.all(np.isfinite(rms)) and len(rms) > 1:
        # The first layer's gradients against the last layer's: how the signal
        # changed on its way back through the network.
        first, last = rms[0], rms[-1]
        if first == 0 or (last > 0 and first / last < 1e-2):
            labels.append("vanishing gradients")
        elif last == 0 or first / last > 1e2:
            labels.append("exploding gradients")
    return labels or ["healthy"]


class InitializationExplorer(Explorer):
    """Pick an initializer, its std, the depth, width and activation; see every layer.

    Left: a histogram of each layer's activations, one row per layer
    (layer 1 at the top), brighter = more values in that bin. Right: the
    same for log10 |dC/dW|, the gradients that would update each layer's
    weights. Labels name what goes wrong: 'saturated', 'dead relu',
    'vanishing gradients', 'exploding gradients', 'exploded'.

    Parameters
    ----------
    initializer : str, default 'random_normal'
        One of 'random_normal', 'glorot_uniform', 'glorot_normal',
        'he_uniform', 'he_normal', 'lecun_normal'.
    stddev : float, default 1.0
        Standard deviation for 'random_normal' (slider 0.001 ... 100).
    depth : int, default 10
    width : int, default 100
    activation : str, default 'sigmoid'
        'sigmoid', 'tanh', 'relu', 'leaky_relu' or 'linear'.
    n_samples : int, default 200
        Inputs per forward pass.
    seed : int, default 0
        The same seed gives the same weights for every setting.
    """

    title = "Initialization explorer"

    def __init__(self, initializer="random_normal", stddev=1.0, depth=10, width=100,
                 activation="sigmoid", n_samples=200, seed=0):
        build_network(initializer, stddev, depth, width, activation)  # validate first
        super().__init__(figsize=(9, 3.8))
        self.n_samples, self.seed = n_samples, seed
        self.init_picker = widgets.Dropdown(options=INITIALIZERS, value=initializer,
                                            description="initializer")
        self.std_slider = widgets.FloatLogSlider(value=stddev, base=10, min=-3, max=2, step=0.1,
                                                 description="std (normal)", readout_format=".3g")
        self.depth_slider = widgets.IntSlider(value=depth, min=1, max=max(20, depth),
                                              description="depth")
        self.width_slider = widgets.IntSlider(value=width, min=10, max=max(200, width), step=10,
                                              description="width")
        self.activation_picker = widgets.Dropdown(options=ACTIVATIONS, value=activation,
                                                  description="activation")
        self.controls = [widgets.HBox([self.init_picker, self.std_slider]),
                         widgets.HBox([self.depth_slider, self.width_slider,
                                       self.activation_picker])]
        self.ax_act, self.ax_grad = self.figure.subplots(1, 2)
        empty, edges = np.zeros((depth, BINS)), np.linspace(0, 1, BINS + 1)
        self.act_image = histogram_image(self.ax_act, empty, edges)
        self.grad_image = histogram_image(self.ax_grad, empty, edges)
        colorbar = self.figure.colorbar(self.grad_image, ax=[self.ax_act, self.ax_grad],
                                        shrink=0.8, pad=0.01)
        colorbar.set_label("fraction of values")
        self.ax_grad.set_xlabel("log10 |dC/dW| (gradient size)")
        for ax in (self.ax_act, self.ax_grad):
            ax.set_ylabel("layer")
        self.ax_act.set_title("activations a per layer", fontsize=10)
        self.ax_grad.set_title("weight gradients per layer", fontsize=10)
        self.status = self.figure.suptitle(" ", fontsize=10, fontweight="bold")
        self.act_note = self.ax_act.text(0.98, 0.02, "", transform=self.ax_act.transAxes,
                                         ha="right", va="bottom", fontsize=8, color="white")
        self.grad_note = self.ax_grad.text(0.98, 0.02, "", transform=self.ax_grad.transAxes,
                                           ha="right", va="bottom", fontsize=8, color="white")
        self.animate(self.act_image, self.grad_image, self.status, self.act_note, self.grad_note)
        self.add_controls(show=False, initializer=self.init_picker, stddev=self.std_slider,
                          depth=self.depth_slider, width=self.width_slider,
                          activation=self.activation_picker)
        self.update()

    def compute(self, initializer, stddev, depth, width, activation):
        """``layer_statistics`` at these settings."""
        return layer_statistics(initializer, stddev, depth, width, activation, self.seed,
                                self.n_samples)

    def draw(self, stats):
        """Redraw the histograms (and the axes when depth, width or activation changed)."""
        self.std_slider.disabled = self.init_picker.value != "random_normal"
        depth = self.depth_slider.value
        layout = self.changed("depth", "width", "activation")
        if layout:
            a_bins, g_bins = stats["activation_bins"], stats["gradient_bins"]
            self.act_image.set_extent((a_bins[0], a_bins[-1], depth + 0.5, 0.5))
            self.grad_image.set_extent((g_bins[0], g_bins[-1], depth + 0.5, 0.5))
            for ax in (self.ax_act, self.ax_grad):
                ax.set_yticks(range(1, depth + 1, max(1, depth // 10)))
            name = self.activation_picker.value
            edge = "" if name in ("sigmoid", "tanh") else " (edge bins include all beyond)"
            self.ax_act.set_xlabel(f"activation a = {name}(z){edge}")
        self.act_image.set_data(stats["activation_hist"])
        self.grad_image.set_data(stats["gradient_hist"])
        labels = stats["labels"]
        init = self.init_picker.value
        if init == "random_normal":
            init += f"(std {self.std_slider.value:.3g})"
        self.status.set_text(f"{init}, {depth} x {self.width_slider.value} "
                             f"{self.activation_picker.value}: {', '.join(labels)}")
        self.status.set_color("#00704f" if labels == ["healthy"] else "#b34700")
        self.act_note.set_text(self._activation_note(stats))
        rms = stats["gradient_rms"]
        self.grad_note.set_text("exploded" if not np.all(np.isfinite(rms)) else
                                f"rms: layer 1 {rms[0]:.1e}, layer {depth} {rms[-1]:.1e}")
        return layout

    def _activation_note(self, stats):
        name = self.activation_picker.value
        if name in ("sigmoid", "tanh"):
            return f"saturated: {100 * stats['saturated'][-1]:.0f} % in the last layer"
        if name == "relu":
            return f"zeros: {100 * stats['dead'][-1]:.0f} % in the last layer"
        std = stats["activation_std"][-1]
        return "last layer std: " + ("exploded" if not np.isfinite(std) else f"{std:.2g}")

    def describe(self):
        return f"InitializationExplorer: {self.status.get_text()}"
