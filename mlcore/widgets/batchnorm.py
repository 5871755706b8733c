"""Batch-norm explorer: a wide-scale feature before and after batch normalisation.

Every number comes from ``mlcore``'s ``BatchNormalization`` layer in training
mode: the batch statistics, ``x_hat``, ``y = gamma * x_hat + beta`` and the
moving averages the layer uses at inference.
"""
import ipywidgets as widgets
import numpy as np
from matplotlib.ticker import FuncFormatter, MaxNLocator

from .. import backend
from ..layers import BatchNormalization
from ..layers.base import private_layer_names
from .base.toolkit import PIXEL_COLOR, WINDOW_COLOR, format_number
from .base.view import Explorer

RAW_COLOR, NORMAL_COLOR, REFERENCE_COLOR = "#0072B2", "#009E73", "0.55"
BATCH_SIZES = (2, 4, 8, 16, 32, 64, 128, 256)
Y_LIMIT = 6.0  # normalised values are drawn on [-6, 6]


def miles_driven(n=10_000):
    """The chapter's wide-scale feature: miles driven in the last five years.

    Uniform on 1,000 to 100,000 miles, the range chapter 12's section 1 uses
    for its drivers, drawn from the engine's seeded generator. Shape ``(n,)``,
    float64.
    """
    return backend.rng().uniform(1_000.0, 100_000.0, size=n)


def _normalize(batch, gamma, beta, epsilon, momentum=0.99):
    """A fresh float64 BatchNormalization layer after one training forward pass on ``batch`` (N, F)."""
    with backend.float_precision("float64"), private_layer_names():
        layer = BatchNormalization(momentum=momentum, epsilon=epsilon)
        layer.build(batch.shape[1:])
    layer.params["gamma"][...] = gamma
    layer.params["beta"][...] = beta
    layer.forward(batch, training=True)
    return layer


def batchnorm_state(batch, gamma=1.0, beta=0.0, epsilon=1e-3):
    """Batch normalisation of one batch, as ``BatchNormalization`` computes it while training.

    ``mu_B = mean(x)``, ``var_B = mean((x - mu_B)^2)`` (the biased variance),
    ``x_hat = (x - mu_B) / sqrt(var_B + epsilon)``, ``y = gamma * x_hat + beta``.

    Parameters
    ----------
    batch : array of shape (m,) or (m, features)
        ``m`` values of each feature.
    gamma, beta : float or array of shape (features,)
    epsilon : float, default 1e-3 (Keras' default)

    Returns
    -------
    dict
        ``mean``, ``variance``: the batch statistics, shape (features,) (a
        float for 1-D input); ``x_hat``, ``y``: shape of ``batch``;
        ``moving_mean``, ``moving_variance``: the layer's moving averages
        after this one step from their start (0 and 1), momentum 0.99.
    """
    batch = np.asarray(batch, dtype=np.float64)
    if batch.ndim not in (1, 2) or batch.shape[0] < 1:
        raise ValueError(f"batchnorm_state: batch must have shape (m,) or (m, features), "
                         f"got {batch.shape}")
    layer = _normalize(batch.reshape(len(batch), -1), gamma, beta, epsilon)
    one = batch.ndim == 1
    pick = (lambda a: float(a[0])) if one else np.array
    return dict(mean=pick(layer.batch_mean), variance=pick(layer.batch_variance),
                x_hat=layer.x_hat.reshape(batch.shape), y=layer.a.reshape(batch.shape),
                moving_mean=pick(layer.state["moving_mean"]),
                moving_variance=pick(layer.state["moving_variance"]))


def sample_batches(population, batch_size, n_batches):
    """``n_batches`` batches of ``batch_size`` values drawn from ``population``: shape (n_batches, batch_size)."""
    population = np.asarray(population, dtype=np.float64)
    return population[backend.rng().integers(0, len(population), size=(n_batches, batch_size))]


def batch_mean_spread(population, batch_sizes=BATCH_SIZES, n_batches=200, epsilon=1e-3):
    """How much the batch mean and variance vary from batch to batch, per batch size.

    For each batch size ``B``, ``n_batches`` batches are drawn and passed
    through ``BatchNormalization`` (each batch one column, so the layer's
    per-feature statistics are the per-batch ones).

    Returns
    -------
    dict
        ``batch_sizes`` (K,); ``mean_spread`` (K,): standard deviation of the
        batch means; ``variance_spread`` (K,): of the batch variances;
        ``expected`` (K,): ``sigma / sqrt(B)``, the textbook spread of a mean.
    """
    sizes = np.asarray(batch_sizes, dtype=int)
    if sizes.ndim != 1 or sizes.size == 0 or sizes.min() < 1:
        raise ValueError(f"batch_mean_spread: batch_sizes must be positive ints, got {batch_sizes!r}")
    means, variances = [], []
    for size in sizes:
        layer = _normalize(sample_batches(population, size, n_batches).T, 1.0, 0.0, epsilon)
        means.append(layer.batch_mean.std())
        variances.append(layer.batch_variance.std())
    return dict(batch_sizes=sizes, mean_spread=np.array(means), variance_spread=np.array(variances),
                expected=np.std(population) / np.sqrt(sizes))


def moving_statistics(population, batch_size=32, steps=300, momentum=0.99, epsilon=1e-3):
    """Batch statistics vs the moving averages over ``steps`` training steps.

    One ``BatchNormalization`` layer sees a new batch each step (training
    mode); after each it has ``moving = momentum * moving + (1 - momentum) * batch_stat``,
    starting from 0 (mean) and 1 (variance) as in Keras.

    Returns
    -------
    dict of arrays of shape (steps,)
        ``batch_mean``, ``moving_mean``, ``batch_variance``, ``moving_variance``.
    """
    batches = sample_batches(population, batch_size, steps)
    with backend.float_precision("float64"), private_layer_names():
        layer = BatchNormalization(momentum=momentum, epsilon=epsilon)
        layer.build((1,))
    record = {name: np.empty(steps) for name in
              ("batch_mean", "moving_mean", "batch_variance", "moving_variance")}
    for step, batch in enumerate(batches):
        layer.forward(batch[:, None], training=True)
        record["batch_mean"][step] = layer.batch_mean[0]
        record["batch_variance"][step] = layer.batch_variance[0]
        record["moving_mean"][step] = layer.state["moving_mean"][0]
        record["moving_variance"][step] = layer.state["moving_variance"][0]
    return record


class BatchNormExplorer(Explorer):
    """A batch of a wide-scale feature before and after batch normalisation.

    Four panels: the raw batch (miles driven) with its mean and standard
    deviation; the same batch normalised, ``x_hat`` and ``y = gamma x_hat + beta``;
    how much the batch mean varies from batch to batch against the batch
    size; and the batch mean vs the moving mean over training steps (what
    the layer uses at inference). Controls: batch size, gamma, beta,
    momentum, and a button that draws a new batch.

    Parameters
    ----------
    batch_size : int, default 32
    gamma, beta : float, default 1.0 and 0.0
    momentum : float, default 0.99 (Keras' default)
    epsilon : float, default 1e-3
    feature : array of shape (n,), optional
        The population batches are drawn from; default ``miles_driven()``.
    unit : str, default 'miles'
    steps : int, default 300
        Training steps in the moving-average panel.

    Attributes
    ----------
    state : dict
        ``batchnorm_state`` of the current batch.
    batch : array (batch_size,)
    batch_size, gamma, beta, momentum : ipywidgets sliders
    new_batch : ipywidgets.Button
    """

    title = "batch-norm explorer"
    cache_size = 0  # the state follows the drawn batch, which the controls redraw; it is cheap

    def __init__(self, batch_size=32, gamma=1.0, beta=0.0, momentum=0.99, epsilon=1e-3,
                 feature=None, unit="miles", steps=300):
        super().__init__(figsize=(10, 5.6))
        self.population = miles_driven() if feature is None else np.asarray(feature, float).ravel()
        if self.population.size < 2 or not np.all(np.isfinite(self.population)):
            raise ValueError("BatchNormExplorer: feature must hold at least 2 finite values, "
                             f"got shape {np.shape(feature)}")
        self.epsilon, self.unit, self.steps = epsilon, unit, steps
        self.batch_size = widgets.IntSlider(value=batch_size, min=2, max=256,
                                            description="batch size")
        self.gamma = widgets.FloatSlider(value=gamma, min=0.0, max=2.5, step=0.05,
                                         description="γ (gamma)")
        self.beta = widgets.FloatSlider(value=beta, min=-2.5, max=2.5, step=0.05,
                                        description="β (beta)")
        self.momentum = widgets.SelectionSlider(options=[0.5, 0.9, 0.99, 0.999], value=momentum,
                                                description="momentum")
        self.new_batch = widgets.Button(description="new batch")
        self.batch_size.observe(lambda change: self.resample(), "value")
        self.new_batch.on_click(lambda button: self.resample())
        self.momentum.observe(lambda change: self.resample(), "value")
        self.add_controls(show=False, gamma=self.gamma, beta=self.beta)
        self.controls = [widgets.HBox([self.batch_size, self.new_batch]),
                         widgets.HBox([self.gamma, self.beta, self.momentum])]
        self._build_axes()
        self.resample()

    # -- drawing ---------------------------------------------------------
    def _build_axes(self):
        (self.ax_raw, self.ax_norm), (self.ax_spread, self.ax_moving) = self.figure.subplots(2, 2)
        population = self.population
        mu, sigma = population.mean(), population.std()
        high = np.quantile(population, 0.995)
        low = min(0.0, population.min())
        self.raw_edges = np.linspace(low, high, 31)
        self.norm_edges = np.linspace(-Y_LIMIT, Y_LIMIT, 49)
        # Fixed y-limits (so a slider move only redraws the bars): the
        # population's fullest bin, with room for the lumpiness of a batch
        # (3 of 32 values in one bin) and for the legend above the bars.
        shares = self._shares(population, self.raw_edges)
        self.raw_bars = self.ax_raw.stairs(np.zeros(30), self.raw_edges, fill=True, color=RAW_COLOR,
                                           alpha=0.8, label="this batch")
        self.ax_raw.stairs(shares, self.raw_edges, color=REFERENCE_COLOR, lw=1.2,
                           label="all samples")
        self.ax_raw.set_ylim(0, 4.5 * shares.max())
        self.ax_raw.xaxis.set_major_locator(MaxNLocator(5))
        self.ax_raw.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v / 1000:g}k"))
        self.raw_mean = self.ax_raw.axvline(0, color=PIXEL_COLOR, lw=2, label="batch mean μ_B")
        self.raw_band = self.ax_raw.axvspan(0, 1, color=WINDOW_COLOR, alpha=0.25,
                                            label="μ_B ± σ_B")
        self.ax_raw.set_xlabel(f"{self.unit} (raw feature x)")
        self.ax_raw.set_ylabel("share of the batch")
        self.ax_raw.legend(fontsize=8, loc="upper center", ncol=2)
        self.raw_text = self.ax_raw.text(0.98, 0.76, "", transform=self.ax_raw.transAxes,
                                         ha="right", va="top", fontsize=9,
                                         bbox=dict(facecolor="white", edgecolor="none", alpha=0.8))

        self.hat_bars = self.ax_norm.stairs(np.zeros(48), self.norm_edges, color=REFERENCE_COLOR,
                                            lw=1.2, label="x̂ = (x − μ_B) / √(σ_B² + ε)")
        self.y_bars = self.ax_norm.stairs(np.zeros(48), self.norm_edges, fill=True,
                                          color=NORMAL_COLOR, alpha=0.7, label="y = γ x̂ + β")
        self.ax_norm.set_xlim(-Y_LIMIT, Y_LIMIT)
        self.ax_norm.set_ylim(0, 0.6)
        self.ax_norm.set_xlabel("normalised value")
        self.ax_norm.set_ylabel("share of the batch")
        self.ax_norm.legend(fontsize=8, loc="upper left")
        self.norm_text = self.ax_norm.text(0.98, 0.95, "", transform=self.ax_norm.transAxes,
                                           ha="right", va="top", fontsize=9)

        spread = batch_mean_spread(population, epsilon=self.epsilon)
        self.ax_spread.plot(spread["batch_sizes"], spread["mean_spread"], "o-", color=RAW_COLOR,
                            label="measured (200 batches each)")
        self.ax_spread.plot(spread["batch_sizes"], spread["expected"], "--",
                            color=REFERENCE_COLOR, label="σ / √B")
        self.ax_spread.set_xscale("log")
        if spread["expected"].min() > 0:  # a constant feature has no spread to put on a log axis
            self.ax_spread.set_yscale("log")
        self.spread = spread
        self.spread_marker = self.ax_spread.axvline(BATCH_SIZES[0], color=PIXEL_COLOR, lw=2)
        self.ax_spread.set_xlabel("batch size B")
        self.ax_spread.set_ylabel(f"spread of μ_B ({self.unit})")
        self.ax_spread.set_title("small batches: noisy statistics", fontsize=10)
        self.ax_spread.legend(fontsize=8, loc="lower left")

        steps = np.arange(1, self.steps + 1)
        self.batch_line, = self.ax_moving.plot(steps, np.zeros(self.steps), color=RAW_COLOR,
                                               lw=0.8, alpha=0.7, label="μ_B (training)")
        self.moving_line, = self.ax_moving.plot(steps, np.zeros(self.steps), color=PIXEL_COLOR,
                                                lw=2, label="moving mean (inference)")
        self.ax_moving.axhline(mu, color=REFERENCE_COLOR, ls="--", lw=1, label="true mean")
        self.ax_moving.set_xlim(1, self.steps)
        self.ax_moving.set_ylim(0, mu + 4 * sigma)
        self.ax_moving.yaxis.set_major_formatter(self.ax_raw.xaxis.get_major_formatter())
        self.ax_moving.set_xlabel("training step")
        self.ax_moving.set_ylabel(self.unit)
        self.ax_moving.legend(fontsize=8, loc="upper left")
        self.ax_moving.set_title("training uses μ_B, inference the moving mean", fontsize=10)
        self.moving_text = self.ax_moving.text(0.98, 0.72, "", transform=self.ax_moving.transAxes,
                                               ha="right", va="top", fontsize=9)
        self.animate(self.raw_bars, self.raw_band, self.raw_mean, self.raw_text, self.hat_bars,
                     self.y_bars, self.norm_text, self.spread_marker, self.batch_line,
                     self.moving_line, self.moving_text)

    def resample(self):
        """Draw a new batch (and a new run of training steps) from the population; redraw."""
        self.batch = sample_batches(self.population, self.batch_size.value, 1)[0]
        self.history = moving_statistics(self.population, self.batch_size.value, self.steps,
                                         self.momentum.value, self.epsilon)
        self.update()

    def compute(self, gamma, beta):
        """``batchnorm_state`` of the current batch."""
        return batchnorm_state(self.batch, gamma, beta, self.epsilon)

    def draw(self, state):
        mean, std = state["mean"], np.sqrt(state["variance"])
        self.raw_bars.set_data(self._shares(self.batch, self.raw_edges))
        self.raw_mean.set_xdata([mean, mean])
        self.raw_band.set_x(mean - std)
        self.raw_band.set_width(2 * std)
        self.raw_text.set_text(f"μ_B = {mean:,.0f}\nσ_B = {std:,.0f}")
        self.hat_bars.set_data(self._shares(state["x_hat"], self.norm_edges))
        self.y_bars.set_data(self._shares(state["y"], self.norm_edges))
        self.norm_text.set_text(f"mean(y) = {format_number(state['y'].mean())}   "
                                f"(β = {self.beta.value:.2f})\n"
                                f"std(y) = {format_number(state['y'].std())}   "
                                f"(γ = {self.gamma.value:.2f})")
        self.spread_marker.set_xdata([self.batch_size.value] * 2)
        self.batch_line.set_ydata(self.history["batch_mean"])
        self.moving_line.set_ydata(self.history["moving_mean"])
        gap = self.history["moving_mean"][-1] / self.population.mean()
        self.moving_text.set_text(f"after {self.steps} steps (momentum {self.momentum.value}):\n"
                                  f"moving mean = {gap:.0%} of the true mean")

    @staticmethod
    def _shares(values, edges):
        """Share of ``values`` in each bin; values beyond the edges land in the end bins."""
        return np.histogram(np.clip(values, edges[0], edges[-1]), edges)[0] / len(values)

    def describe(self):
        s = self.state
        return (f"Batch norm of a batch of {self.batch_size.value} values of {self.unit}: "
                f"mu_B = {s['mean']:,.0f}, sigma_B = {np.sqrt(s['variance']):,.0f}; y = "
                f"{self.gamma.value:.2f} * x_hat + {self.beta.value:.2f} has mean "
                f"{format_number(s['y'].mean())} and std {format_number(s['y'].std())}")
