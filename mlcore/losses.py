"""Loss functions C(y, y_hat) and their gradients dC/dy_hat.

Every loss follows Keras: a per-sample loss over the last axis, then the
mean over all samples (and any other leading axes). ``loss(y_true, y_pred)``
returns that mean as a float; ``loss.gradient(y_true, y_pred)`` returns
dC/dy_pred with the shape of ``y_pred``.

Probability-based losses clip predictions to [eps, 1 - eps] with
eps = 1e-7 (Keras' epsilon) so log(0) never happens, and the categorical ones
first renormalise each row to sum to 1, as Keras does.

Cross-entropy after the model's own softmax or sigmoid is not computed that
way during training. A clipped probability passes no gradient, so a
confidently wrong output (logits (50, 0, 0) for class 2) would never learn;
instead ``loss.fused_with(activation)`` gives the same loss on the logits z
(log-sum-exp for softmax, log-sigmoid for sigmoid, no clipping), and the model
(``fit``, ``evaluate``, ``train_on_batch``) computes it from its last layer's z
and starts the backward pass at dC/dz = (p - y) / n, skipping the activation's
own slope. Keras does the same on its TensorFlow backend (the ``_keras_logits``
of a softmax or sigmoid output) and PyTorch asks for logits
(``CrossEntropyLoss``, ``BCEWithLogitsLoss``). Keras' torch and JAX backends
clip instead: the two agree except where a probability is clipped, e.g. a
saturated wrong answer costs -log(1e-7) = 16.1 and moves no weight there, but
50 with gradient p - y here. A loss called directly on probabilities, as in
chapter 03's hand computations, keeps the clipped form.
"""
import numpy as np

from . import activations
from .arguments import lookup, valid_names

EPSILON = 1e-7


def _as_float(a):
    a = np.asarray(a)
    return a if np.issubdtype(a.dtype, np.floating) else a.astype(np.float64)


class Loss:
    """Base class. Subclasses define ``per_element`` and ``element_gradient``
    (element-wise losses averaged over the last axis) or override
    ``per_sample`` and ``gradient``."""

    name = None
    fuses_with = None  # the activation class whose logits this loss can start from

    def __call__(self, y_true, y_pred):
        """The loss: mean over samples of ``per_sample``, as a float."""
        return self.value(*self.prepare(y_true, _as_float(y_pred)))

    def gradient(self, y_true, y_pred):
        """dC/dy_pred for C = the loss, same shape as ``y_pred``."""
        return self.grad(*self.prepare(y_true, _as_float(y_pred)))

    def value(self, y, p):
        """The loss for targets already passed through ``prepare``."""
        return float(np.mean(self.per_sample(y, p)))

    def prepare(self, y_true, y_pred):
        """Check the targets against the predictions and convert them to the
        form ``value`` and ``grad`` use (e.g. class indices to one-hot rows).
        Raises a clear error on a mismatch."""
        y_true = np.asarray(y_true, dtype=y_pred.dtype)
        if y_true.shape != y_pred.shape:
            if y_true.size == y_pred.size:
                y_true = y_true.reshape(y_pred.shape)
            else:
                raise ValueError(
                    f"{self.name}: targets must have the shape of the predictions "
                    f"{y_pred.shape}, got {y_true.shape}"
                )
        return y_true, y_pred

    def per_sample(self, y_true, y_pred):
        """Loss of each sample: shape ``y_pred.shape[:-1]``."""
        return self.per_element(y_true, y_pred).mean(axis=-1)

    def grad(self, y, p):
        """The gradient for targets already passed through ``prepare``."""
        return self.element_gradient(y, p) / p.size

    def fused_with(self, activation):
        """This loss computed from the logits of ``activation``, or None if it has none.

        Cross-entropy after its own activation (categorical after softmax,
        binary after sigmoid) is returned as its ``from_logits=True`` twin:
        called on the pre-activations z it gives the same value without
        clipping, and its gradient with respect to z is (p - y) / n. Every
        other pairing, and a loss already taking logits, returns None (Keras'
        TensorFlow backend also swaps in the logits for a mismatched pair,
        such as categorical cross-entropy after a sigmoid, which would change
        what the loss means).

        Parameters
        ----------
        activation : ActivationFunction or None
            The model's last activation.
        """
        if (self.fuses_with is not None and isinstance(activation, self.fuses_with)
                and not self.from_logits):
            return type(self)(from_logits=True)
        return None

    def __repr__(self):
        return f"<loss {self.name}>"


class MeanSquaredError(Loss):
    """mean((y_hat - y)^2): the course's MSE."""

    name = "mean_squared_error"

    def per_element(self, y, p):
        return (p - y) ** 2

    def element_gradient(self, y, p):
        """d/dy_hat (y_hat - y)^2 = 2 (y_hat - y); ``grad`` divides by the element count."""
        return 2 * (p - y)


class MeanAbsoluteError(Loss):
    """mean|y_hat - y|."""

    name = "mean_absolute_error"

    def per_element(self, y, p):
        return np.abs(p - y)

    def element_gradient(self, y, p):
        """d/dy_hat |y_hat - y| = sign(y_hat - y) (0 where they are equal)."""
        return np.sign(p - y)


class MeanAbsolutePercentageError(Loss):
    """100 * mean|(y - y_hat) / y|, with |y| floored at eps."""

    name = "mean_absolute_percentage_error"

    def per_element(self, y, p):
        return 100 * np.abs((y - p) / np.maximum(np.abs(y), EPSILON))

    def element_gradient(self, y, p):
        return 100 * np.sign(p - y) / np.maximum(np.abs(y), EPSILON)


class MeanSquaredLogarithmicError(Loss):
    """mean((log(1 + y_hat) - log(1 + y))^2), values floored at eps."""

    name = "mean_squared_logarithmic_error"

    def per_element(self, y, p):
        return (np.log1p(np.maximum(p, EPSILON)) - np.log1p(np.maximum(y, EPSILON))) ** 2

    def element_gradient(self, y, p):
        diff = np.log1p(np.maximum(p, EPSILON)) - np.log1p(np.maximum(y, EPSILON))
        return 2 * diff / (1 + np.maximum(p, EPSILON)) * (p > EPSILON)


class LogCosh(Loss):
    """mean(log(cosh(y_hat - y))): like MSE near 0, like MAE far away."""

    name = "log_cosh"

    def per_element(self, y, p):
        d = p - y
        # log(cosh(d)) = d + softplus(-2d) - log 2, stable for large |d|
        return d + np.logaddexp(0, -2 * d) - np.log(2.0)

    def element_gradient(self, y, p):
        return np.tanh(p - y)


def _signed_labels(y):
    """Hinge losses take labels in {-1, 1}; like Keras, map {0, 1} to them."""
    if np.all((y == 0) | (y == 1)):
        return 2 * y - 1
    return y


class Hinge(Loss):
    """mean(max(0, 1 - y * y_hat)) with y in {-1, 1} (0/1 labels are converted)."""

    name = "hinge"

    def per_element(self, y, p):
        return np.maximum(0, 1 - _signed_labels(y) * p)

    def element_gradient(self, y, p):
        y = _signed_labels(y)
        return -y * (1 - y * p > 0)


class SquaredHinge(Loss):
    """mean(max(0, 1 - y * y_hat)^2) with y in {-1, 1}."""

    name = "squared_hinge"

    def per_element(self, y, p):
        return np.maximum(0, 1 - _signed_labels(y) * p) ** 2

    def element_gradient(self, y, p):
        y = _signed_labels(y)
        return -2 * y * np.maximum(0, 1 - y * p)


class CategoricalHinge(Loss):
    """max(0, 1 + max_{wrong} y_hat - y_hat_{true}) per sample, y one-hot."""

    name = "categorical_hinge"

    def per_sample(self, y, p):
        pos = (y * p).sum(axis=-1)
        neg = ((1 - y) * p).max(axis=-1)
        return np.maximum(0, 1 + neg - pos)

    def grad(self, y, p):
        wrong = (1 - y) * p
        arg = wrong.argmax(axis=-1)
        active = (1 + wrong.max(axis=-1) - (y * p).sum(axis=-1)) > 0
        grad = -y * active[..., None]
        np.put_along_axis(grad, arg[..., None],
                          np.take_along_axis(grad, arg[..., None], -1) + active[..., None], -1)
        return grad / active.size


class Poisson(Loss):
    """mean(y_hat - y * log(y_hat + eps))."""

    name = "poisson"

    def per_element(self, y, p):
        return p - y * np.log(p + EPSILON)

    def element_gradient(self, y, p):
        return 1 - y / (p + EPSILON)


class KLDivergence(Loss):
    """sum y * log(y / y_hat) over the last axis, both clipped to [eps, 1]."""

    name = "kl_divergence"

    def per_sample(self, y, p):
        y, p = np.clip(y, EPSILON, 1), np.clip(p, EPSILON, 1)
        return (y * np.log(y / p)).sum(axis=-1)

    def grad(self, y, p):
        inside = (p >= EPSILON) & (p <= 1)
        grad = -np.clip(y, EPSILON, 1) / np.clip(p, EPSILON, 1) * inside
        return grad / (p.size // p.shape[-1])


class CosineSimilarity(Loss):
    """-cos(y, y_hat) over the last axis: -1 when the vectors point the same way."""

    name = "cosine_similarity"

    def per_sample(self, y, p):
        yn = y / np.maximum(np.linalg.norm(y, axis=-1, keepdims=True), EPSILON)
        pn = p / np.maximum(np.linalg.norm(p, axis=-1, keepdims=True), EPSILON)
        return -(yn * pn).sum(axis=-1)

    def grad(self, y, p):
        yn = y / np.maximum(np.linalg.norm(y, axis=-1, keepdims=True), EPSILON)
        norm = np.maximum(np.linalg.norm(p, axis=-1, keepdims=True), EPSILON)
        pn = p / norm
        grad = -(yn - (yn * pn).sum(axis=-1, keepdims=True) * pn) / norm
        return grad / (p.size // p.shape[-1])


class BinaryCrossentropy(Loss):
    """-mean(y log y_hat + (1 - y) log(1 - y_hat)) for probabilities y_hat.

    Parameters
    ----------
    from_logits : bool
        If True, ``y_pred`` are raw scores z and y_hat = sigmoid(z) is
        computed inside, in a numerically stable way.
    """

    name = "binary_crossentropy"
    fuses_with = activations.Sigmoid

    def __init__(self, from_logits=False):
        self.from_logits = from_logits

    def per_element(self, y, p):
        if self.from_logits:
            # log(1 + e^z) - y z, stable for any z
            return np.logaddexp(0, p) - y * p
        p = np.clip(p, EPSILON, 1 - EPSILON)
        return -(y * np.log(p) + (1 - y) * np.log(1 - p))

    def element_gradient(self, y, p):
        """d/dy_hat = (y_hat - y) / (y_hat (1 - y_hat)), 0 where y_hat is clipped;
        from logits z, d/dz = sigmoid(z) - y (the sigmoid's slope cancels)."""
        if self.from_logits:
            return activations.sigmoid(p) - y
        inside = (p > EPSILON) & (p < 1 - EPSILON)
        p = np.clip(p, EPSILON, 1 - EPSILON)
        return (p - y) / (p * (1 - p)) * inside


class CategoricalCrossentropy(Loss):
    """-sum_j y_j log y_hat_j per sample, y one-hot (or a distribution).

    Parameters
    ----------
    from_logits : bool
        If True, ``y_pred`` are raw scores and softmax is applied inside.
    """

    name = "categorical_crossentropy"
    fuses_with = activations.Softmax

    def __init__(self, from_logits=False):
        self.from_logits = from_logits

    def log_probs(self, p):
        """log y_hat: log-softmax of logits, or log of renormalised, clipped probabilities."""
        if self.from_logits:
            shifted = p - p.max(axis=-1, keepdims=True)
            return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))
        return np.log(np.clip(p / p.sum(axis=-1, keepdims=True), EPSILON, 1 - EPSILON))

    def per_sample(self, y, p):
        return -(y * self.log_probs(p)).sum(axis=-1)

    def grad(self, y, p):
        """dC/dy_hat_j = -y_j / y_hat_j per sample (through the renormalisation
        q = y_hat / sum y_hat, and 0 where clipped), averaged over samples;
        from logits z, dC/dz = softmax(z) - y (for one-hot y)."""
        n_samples = p.size // p.shape[-1]
        if self.from_logits:
            return (activations.softmax(p) * y.sum(axis=-1, keepdims=True) - y) / n_samples
        total = p.sum(axis=-1, keepdims=True)
        q = p / total
        inside = (q > EPSILON) & (q < 1 - EPSILON)
        g_q = -y / np.clip(q, EPSILON, 1 - EPSILON) * inside
        # back through the renormalisation q = p / sum(p)
        grad = (g_q - (g_q * q).sum(axis=-1, keepdims=True)) / total
        return grad / n_samples


class SparseCategoricalCrossentropy(CategoricalCrossentropy):
    """Categorical cross-entropy with integer class labels instead of one-hot rows.

    ``y_true`` holds class indices of shape ``y_pred.shape[:-1]`` (or with a
    trailing axis of size 1); each must be an integer in [0, n_classes).
    """

    name = "sparse_categorical_crossentropy"

    def prepare(self, y_true, y_pred):
        labels = np.asarray(y_true)
        if labels.ndim == y_pred.ndim and labels.shape[-1] == 1:
            labels = labels[..., 0]  # Keras also accepts a trailing axis of size 1
        if labels.shape != y_pred.shape[:-1]:
            raise ValueError(
                f"{self.name}: expected integer labels of shape {y_pred.shape[:-1]} "
                f"for predictions of shape {y_pred.shape}, got {labels.shape}"
            )
        check_class_labels(self.name, labels, y_pred.shape[-1])
        one_hot = np.zeros_like(y_pred)
        np.put_along_axis(one_hot, labels.astype(np.intp)[..., None], 1, axis=-1)
        return one_hot, y_pred


def check_class_labels(where, labels, n_classes):
    """Raise unless ``labels`` are whole numbers in [0, n_classes)."""
    labels = np.asarray(labels)
    if labels.size == 0:
        return
    if not np.issubdtype(labels.dtype, np.integer) and not np.all(np.mod(labels, 1) == 0):
        raise ValueError(f"{where}: labels must be whole numbers (class indices), got e.g. "
                         f"{labels[np.mod(labels, 1) != 0].ravel()[0]!r}")
    low, high = labels.min(), labels.max()
    if low < 0 or high >= n_classes:
        raise ValueError(
            f"{where}: labels must be in [0, {n_classes}) for {n_classes} output units, "
            f"got labels from {low:g} to {high:g}"
        )


_CLASSES = (MeanSquaredError, MeanAbsoluteError, MeanAbsolutePercentageError,
            MeanSquaredLogarithmicError, LogCosh, Hinge, SquaredHinge, CategoricalHinge,
            Poisson, KLDivergence, CosineSimilarity, BinaryCrossentropy,
            CategoricalCrossentropy, SparseCategoricalCrossentropy)
_REGISTRY = {cls.name: cls for cls in _CLASSES}
_ALIASES = {"mse": "mean_squared_error", "mae": "mean_absolute_error",
            "mape": "mean_absolute_percentage_error", "msle": "mean_squared_logarithmic_error",
            "logcosh": "log_cosh", "kullback_leibler_divergence": "kl_divergence",
            "cosine_proximity": "cosine_similarity"}

mean_squared_error = MeanSquaredError()
mean_absolute_error = MeanAbsoluteError()
binary_crossentropy = BinaryCrossentropy()
categorical_crossentropy = CategoricalCrossentropy()
sparse_categorical_crossentropy = SparseCategoricalCrossentropy()


def names():
    """Every name ``get`` accepts (Keras names and their short aliases)."""
    return valid_names(_REGISTRY, _ALIASES)


def get(identifier):
    """Return a loss for a name (e.g. ``'mse'``), a ``Loss`` class or instance."""
    return lookup("loss", identifier, _REGISTRY, Loss, aliases=_ALIASES)
