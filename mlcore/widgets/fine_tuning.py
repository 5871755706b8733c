"""Fine-tuning explorer: reuse a CNN trained on digits 0-4 to recognize digits 5-9.

``fine_tune`` is the pure state: it freezes the layers you name, trains the
rest on a few labeled examples and scores the result on a test set.
``FineTuningExplorer`` only draws it: a slider for the number of labeled
examples per digit, one checkbox per pre-trained layer ("frozen"), and the
per-digit test accuracy and training loss of the fine-tuned model.

A frozen layer's output never changes during training, so when the bottom
``k`` layers are all frozen ``fine_tune`` computes their output once and
trains only the layers above on it: the same arithmetic as training the
whole model (tests hold the two equal), several times faster.
"""
import copy

import ipywidgets as widgets
import numpy as np

from .. import data
from ..arguments import check_int
from ..backend import seeded
from ..layers import Dense, Dropout
from ..layers.base import private_layer_names
from ..model import Sequential
from ..optimizers import Adam
from .base.toolkit import BLUE, ORANGE
from .base.view import Explorer

#: The digits the pre-trained model has never seen; label j means digit 5 + j.
NEW_DIGITS = (5, 6, 7, 8, 9)
HEAD_NAME = "new_head"


def digits_5to9():
    """Digits 5-9 of MNIST-5k with labels 0-4 (label j = digit 5 + j).

    Split as ``scripts/pretrain_digits.py`` splits digits 0-4
    (``load_mnist(test_split=0.2, seed=0)``), so nothing here was used to
    pre-train the model.

    Returns
    -------
    ((x_pool, y_pool), (x_test, y_test))
        2,000 training images to draw labeled examples from and 500 test
        images; images ``(N, 28, 28, 1)`` in [0, 1], labels int ``(N,)``.
    """
    (x_train, y_train), (x_test, y_test) = data.load_mnist(
        test_split=0.2, normalize=True, channel_axis=True, seed=0)
    keep_train, keep_test = y_train >= NEW_DIGITS[0], y_test >= NEW_DIGITS[0]
    return ((x_train[keep_train], y_train[keep_train] - NEW_DIGITS[0]),
            (x_test[keep_test], y_test[keep_test] - NEW_DIGITS[0]))


def labeled_subset(x, y, per_class, seed=0):
    """``per_class`` randomly chosen examples of every class in ``y``.

    Parameters
    ----------
    x : array, shape (N, ...)
    y : int array, shape (N,)
    per_class : int
        Examples kept per class, at least 1 and at most the smallest class size.
    seed : int
        The choice is drawn with ``backend.seeded(seed)``: the same seed gives the
        same examples, and the engine's own random sequence is left untouched.

    Returns
    -------
    (x_subset, y_subset)
        ``per_class * n_classes`` samples, grouped by class.
    """
    classes, counts = np.unique(y, return_counts=True)
    check_int("labeled_subset", "per_class", per_class, 1, int(counts.min()),
              note=" (the smallest class)")
    with seeded(seed) as generator:
        index = np.concatenate([generator.choice(np.flatnonzero(y == c), per_class, replace=False)
                                for c in classes])
    return x[index], y[index]


def with_new_head(model, num_classes):
    """A copy of ``model`` whose last layer is replaced by a fresh softmax layer.

    The other layers are deep copies, so training the result leaves ``model``
    (and its weights) as they were. The new layer is called ``'new_head'``.

    Parameters
    ----------
    model : Sequential
        A built model, e.g. ``mlcore.pretrained.load_digits_0to4()``.
    num_classes : int
        Nodes of the new ``Dense(num_classes, activation='softmax')`` head.
    """
    if len(model.layers) < 2:
        raise ValueError(f"with_new_head: the model needs at least 2 layers to keep one, "
                         f"got {len(model.layers)}")
    kept = [copy.deepcopy(layer) for layer in model.layers[:-1]]
    return Sequential(kept + [Dense(num_classes, activation="softmax", name=HEAD_NAME)],
                      name=f"{model.name}_new_head")


def fine_tune(model, x_train, y_train, x_test, y_test, frozen=(), steps=100,
              learning_rate=0.01, batch_size=32):
    """Freeze the named layers, train the others, and score the model on a test set.

    Parameters
    ----------
    model : Sequential
        Trained in place (pass a copy, e.g. from :func:`with_new_head`).
    x_train, y_train : arrays, shapes (N, ...) and (N,)
        The labeled examples; labels are class indices.
    x_test, y_test : arrays, shapes (M, ...) and (M,)
    frozen : iterable of str
        Names of the layers to freeze (``trainable = False``); every other
        layer is made trainable.
    steps : int, default 100
        About this many weight updates: ``epochs = max(1, round(steps * batch / N))``
        with ``batch = min(batch_size, N)``.
    learning_rate : float, default 0.01
        Adam's step size.
    batch_size : int, default 32

    Returns
    -------
    dict
        ``accuracy`` (float) and ``class_accuracy`` (one per class) on the test
        set; ``loss``: training loss per epoch; ``trainable`` and
        ``non_trainable``: parameter counts; ``epochs``; ``model``.

    Draws from the engine's generator (shuffling), so seed it for
    reproducible results.
    """
    names = [layer.name for layer in model.layers]
    unknown = sorted(set(frozen) - set(names))
    if unknown:
        raise ValueError(f"fine_tune: no layer named {unknown} to freeze; layers are {names}")
    for layer in model.layers:
        layer.trainable = layer.name not in frozen
    batch = min(batch_size, len(x_train))
    epochs = max(1, round(steps * batch / len(x_train)))

    bottom = _frozen_bottom(model)
    if bottom:
        fixed = Sequential(model.layers[:bottom], name="frozen_bottom")
        x_train, x_test = fixed.predict(x_train), fixed.predict(x_test)
    trained = Sequential(model.layers[bottom:], name="trained_top") if bottom else model
    trained.compile(Adam(learning_rate=learning_rate), loss="sparse_categorical_crossentropy",
                    metrics=["accuracy"])
    history = trained.fit(x_train, y_train, batch_size=batch, epochs=epochs, verbose=0).history
    predicted = trained.predict(x_test).argmax(axis=1)
    classes = np.arange(model.layers[-1].output_shape[-1])
    class_accuracy = np.array([np.mean(predicted[y_test == c] == c) if np.any(y_test == c)
                               else np.nan for c in classes])
    return dict(accuracy=float(np.mean(predicted == y_test)), class_accuracy=class_accuracy,
                loss=np.asarray(history["loss"]), trainable=model.count_trainable_params(),
                non_trainable=model.count_params() - model.count_trainable_params(),
                epochs=epochs, model=model)


def _frozen_bottom(model):
    """How many layers from the input up give the same output in every epoch.

    Those are frozen layers and layers without weights (pooling, flatten),
    except Dropout, which is random while training. The last layer is never
    counted: something must be trained.
    """
    count = 0
    for layer in model.layers[:-1]:
        if isinstance(layer, Dropout) or (layer.trainable and layer.params):
            break
        count += 1
    return count


class FineTuningExplorer(Explorer):
    """Fine-tune a pre-trained CNN on a few labeled digits 5-9, live.

    A slider sets the labeled examples per digit; a checkbox per pre-trained
    layer (those with weights) freezes it. Every change retrains a copy of the
    model with a new head (results are cached) and shows the test accuracy per
    digit and the training loss.

    Parameters
    ----------
    pretrained : Sequential, optional
        Default: ``mlcore.pretrained.load_digits_0to4()``.
    examples_per_class : int, default 5
    frozen : iterable of str, optional
        Layers frozen at the start; default: every convolution.
    steps, learning_rate
        As in :func:`fine_tune`.
    data : ((x_pool, y_pool), (x_test, y_test)), optional
        Default: :func:`digits_5to9`.
    seed : int, default 0
        Seeds the choice of examples, the new head and the shuffling.
    max_examples : int, default 50
    """

    title = "Fine-tuning explorer"

    def __init__(self, pretrained=None, examples_per_class=5, frozen=None, steps=100,
                 learning_rate=0.01, data=None, seed=0, max_examples=50):
        super().__init__(figsize=(9, 3.4))
        if pretrained is None:
            from ..teaching.pretrained import load_digits_0to4
            with private_layer_names():
                pretrained = load_digits_0to4()
        self.pretrained = pretrained
        self.follow_weights(pretrained)  # the learner may train it between two looks
        (self.x_pool, self.y_pool), (self.x_test, self.y_test) = data or digits_5to9()
        self.num_classes = len(np.unique(self.y_pool))
        self.steps, self.learning_rate, self.seed = steps, learning_rate, seed
        layers = [layer for layer in pretrained.layers[:-1] if layer.count_params()]
        if frozen is None:
            frozen = [layer.name for layer in layers if type(layer).__name__ == "Conv2D"]
        self.slider = widgets.IntSlider(
            value=examples_per_class, min=1, max=max_examples, description="labeled per digit",
            continuous_update=False, style={"description_width": "initial"})
        self.boxes = {layer.name: widgets.Checkbox(
            value=layer.name in frozen, description=f"freeze {layer.name}", indent=False,
            layout=widgets.Layout(width="auto")) for layer in layers}
        self.controls = [self.slider, widgets.HBox(list(self.boxes.values()))]
        self._draw_axes()
        self.add_controls(show=False, per_class=self.slider, **self.boxes)
        self.update()

    def _draw_axes(self):
        self.ax_acc, self.ax_loss = self.figure.subplots(1, 2)
        labels = [str(NEW_DIGITS[0] + c) for c in range(self.num_classes)] \
            if self.num_classes == len(NEW_DIGITS) else [str(c) for c in range(self.num_classes)]
        self.bars = self.ax_acc.bar(labels, np.zeros(self.num_classes), color=BLUE)
        self.ax_acc.set(xlabel="digit", ylabel="test accuracy", ylim=(0, 1.05))
        self.acc_title = self.ax_acc.set_title("", fontsize=10)
        (self.loss_line,) = self.ax_loss.plot([], [], color=ORANGE, marker=".")
        self.ax_loss.set(xlabel="epoch", ylabel="training loss", yscale="log")
        self.loss_title = self.ax_loss.set_title("", fontsize=10)

    def frozen(self):
        """Names of the layers whose box is ticked."""
        return tuple(name for name, box in self.boxes.items() if box.value)

    def compute(self, per_class, **freeze):
        """:func:`fine_tune` with ``per_class`` examples per digit and the ticked layers frozen."""
        x, y = labeled_subset(self.x_pool, self.y_pool, per_class, seed=self.seed)
        with seeded(self.seed):
            model = with_new_head(self.pretrained, self.num_classes)
            return fine_tune(model, x, y, self.x_test, self.y_test,
                             frozen=tuple(name for name in self.boxes if freeze[name]),
                             steps=self.steps, learning_rate=self.learning_rate)

    def draw(self, result):
        for bar, value in zip(self.bars, np.nan_to_num(result["class_accuracy"])):
            bar.set_height(value)
        loss = np.clip(result["loss"], 1e-4, None)
        self.loss_line.set_data(np.arange(1, len(loss) + 1), loss)
        self.ax_loss.set_xlim(0.5, len(loss) + 0.5)
        self.ax_loss.set_ylim(loss.min() / 2, max(loss.max() * 2, 1))
        self.acc_title.set_text(f"test accuracy {result['accuracy']:.2f} "
                                f"({self.slider.value} labeled per digit)")
        self.loss_title.set_text(f"trainable {result['trainable']:,} · "
                                 f"frozen {result['non_trainable']:,} parameters")
        return True

    def describe(self):
        result = self.state
        frozen = ", ".join(self.frozen()) or "nothing"
        return (f"{self.slider.value} labeled examples per digit, frozen: {frozen} -> test "
                f"accuracy {result['accuracy']:.3f} ({result['trainable']:,} trainable, "
                f"{result['non_trainable']:,} frozen parameters)")
