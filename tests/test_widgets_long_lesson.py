"""A whole lesson in one kernel: every widget's controls moved 50 times each.

For every Explorer and animator in ``mlcore.widgets.__all__`` (the Playground
has its own long-lesson test): the number of live ipywidgets ends within 5 of
where it started (a view rebuilds nothing it does not close), no pyplot
figure piles up, the number of Python objects (arrays, artists, closures) stops
growing once the caches are full,
and the picture still changes at the end.

The first moves of each control and the last ones are drawn into the image as in
a notebook; the moves between compute and draw as usual but are not rendered
to PNG (``unrendered``), which costs most and holds nothing between moves.
"""
import gc
import zlib
from contextlib import contextmanager

import ipywidgets as widgets
import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import mlcore  # noqa: E402
from mlcore import SGD, Conv2D, Dense, Flatten, MaxPooling2D, Sequential  # noqa: E402
from mlcore import widgets as views  # noqa: E402

MOVES = 50
SHOWN = 3  # moves of each control rendered in each half: whether it changes the picture
FRACTIONS = (0.0, 1.0, 0.5, 0.25, 0.75)  # where a slider goes on its i-th move, in turn
NUMBERS = (1.0, -1.0, 0.5, 2.0, 0.0)       # what a free number box gets


def live_widgets():
    """How many ipywidgets the kernel holds (ipywidgets 8 keeps them in ``_instances``)."""
    registry = getattr(widgets.widget, "_instances", None)
    return len(registry if registry is not None else widgets.Widget.widgets)


def controls_of(view):
    """The controls a learner can move, found in the view's boxes (Play is linked to its
    slider, so moving the slider covers it)."""
    found = []

    def walk(widget):
        if isinstance(widget, widgets.Box):
            for child in widget.children:
                walk(child)
        elif isinstance(widget, (widgets.Button, widgets.ValueWidget)) and not isinstance(
                widget, (widgets.Play, widgets.Label, widgets.HTML, widgets.Image)):
            found.append(widget)

    for control in view.controls:
        walk(control)
    return found


def move(control, i):
    """Move ``control`` for the ``i``-th time to a value it did not have."""
    if isinstance(control, widgets.Button):
        control.click()
    elif isinstance(control, (widgets.Checkbox, widgets.ToggleButton)):
        control.value = not control.value
    elif getattr(control, "options", None) is not None:
        control.index = ((control.index or 0) + 1) % len(control.options)
    elif isinstance(control, widgets.FloatLogSlider):
        control.value = control.base ** (control.min + FRACTIONS[i % 5] * (control.max -
                                                                           control.min))
    elif hasattr(control, "max"):
        value = control.min + FRACTIONS[i % 5] * (control.max - control.min)
        control.value = round(value) if isinstance(control.value, int) else value
    else:
        control.value = NUMBERS[i % 5]


def picture(view):
    return zlib.crc32(bytes(view.image.value))


@contextmanager
def unrendered(view):
    """Moves that compute the state and update the figure's artists as usual, but skip
    rendering the figure to PNG; the picture is rendered in full afterwards."""
    view.refresh = lambda full=False: None
    try:
        yield
    finally:
        del view.refresh  # the class's own again
        view.refresh(full=True)


# -- the views, small enough to move every control 50 times ---------------------------
def dense_model(sizes=(2, 3, 2)):
    mlcore.set_seed(0)
    model = Sequential([Dense(sizes[1], input_shape=(sizes[0],), activation="relu")] +
                       [Dense(sizes[-1], activation="softmax")])
    model.compile(SGD(0.1), "sparse_categorical_crossentropy")
    return model


def small_cnn():
    mlcore.set_seed(0)
    return Sequential([Conv2D(3, 3, activation="relu", input_shape=(10, 10, 1)), MaxPooling2D(2),
                       Conv2D(4, 3, padding="same", activation="relu"), Flatten(),
                       Dense(3, activation="softmax")])


def images(n=4):
    return np.random.default_rng(0).random((n, 10, 10, 1)).astype("float32")


def autoencoder():
    mlcore.set_seed(0)
    return Sequential([Dense(8, input_shape=(36,), activation="relu"),
                       Dense(36, activation="sigmoid")])


def fine_tuning():
    from test_widgets_fine_tuning import tiny_cnn, tiny_data

    mlcore.set_seed(1)
    pretrained = tiny_cnn()
    x, y = tiny_data(n=90, seed=1)
    return views.FineTuningExplorer(pretrained=pretrained, examples_per_class=2,
                                    data=((x, y), tiny_data(n=30, seed=2)), steps=5,
                                    max_examples=10)


def blobs(n=60, seed=0):
    """Two classes of points in 4-d, split 40 / 20 into training and validation."""
    r = np.random.default_rng(seed)
    y = np.arange(n) % 2
    x = r.standard_normal((n, 4)) + y[:, None]
    return x[:40], y[:40], x[40:], y[40:]


def dashboard():
    view = views.TrainingDashboard()
    view.on_train_begin()
    return view


FACTORIES = {
    "NeuronExplorer": lambda: views.NeuronExplorer(),
    "WeightUpdateAnimator": lambda: views.WeightUpdateAnimator(
        dense_model(), np.random.default_rng(0).standard_normal((4, 2)), np.arange(4) % 2),
    "GradientDescentExplorer": lambda: views.GradientDescentExplorer(dim=2, surface="valley"),
    "TrainingDashboard": dashboard,
    "InitializationExplorer": lambda: views.InitializationExplorer(depth=4, width=20),
    "RegularizationExplorer": lambda: views.RegularizationExplorer(),
    "ConvolutionAnimator": lambda: views.ConvolutionAnimator(),
    "PoolingAnimator": lambda: views.PoolingAnimator(),
    "BatchNormExplorer": lambda: views.BatchNormExplorer(),
    "FilterGallery": lambda: views.FilterGallery(small_cnn(), images()),
    "NetworkOverview": lambda: views.NetworkOverview(small_cnn(), images()),
    "ActivationBoundaryExplorer": lambda: views.ActivationBoundaryExplorer(),
    "BatchSizeExplorer": lambda: views.BatchSizeExplorer(updates=50),
    "LossExplorer": lambda: views.LossExplorer(),
    "CapacityExplorer": lambda: views.CapacityExplorer(epochs=3),
    "DenoisingExplorer": lambda: views.DenoisingExplorer(
        autoencoder(), np.random.default_rng(0).random((4, 6, 6)).astype("float32")),
    "FineTuningExplorer": fine_tuning,
    "LearningRateExplorer": lambda: views.LearningRateExplorer(
        *blobs(), rates=(0.001, 0.01, 0.1, 1.0), range_test=([0.001, 1.0], [1.0, 2.0]), epochs=2),
}


def test_every_widget_has_a_long_lesson():
    shown = {name for name in views.__all__ if isinstance(getattr(views, name), type) and
             issubclass(getattr(views, name), views.WidgetView)}
    assert shown - {"WidgetView", "Explorer", "Playground"} == set(FACTORIES)


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(FACTORIES))
def test_fifty_moves_of_every_control_leak_nothing(name):
    figures = plt.get_fignums()
    view = FACTORIES[name]()
    start = live_widgets()
    controls = controls_of(view)
    if name == "TrainingDashboard":  # no controls: its moves are epochs
        for i in range(MOVES):
            view.on_epoch_end(i, {"loss": 1 / (i + 1), "accuracy": 1 - 1 / (i + 2)})
    assert controls or name == "TrainingDashboard"
    last_change = {}
    objects = []
    for half in (range(MOVES // 2), range(MOVES // 2, MOVES)):
        for control in controls:
            for i in half[:SHOWN]:
                before = picture(view)
                move(control, i)
                if picture(view) != before:
                    last_change[id(control)] = control
            with unrendered(view):
                for i in half[SHOWN:]:
                    move(control, i)
        gc.collect()
        objects.append(len(gc.get_objects()))
    after = live_widgets()
    assert abs(after - start) <= 5, f"{after - start:+d} live widgets after the lesson"
    assert plt.get_fignums() == figures
    if controls:
        # Caches are full after the first 25 moves of every control: the other 25 may
        # not add more than a few per cent objects (a leak adds some with every move).
        assert objects[1] < 1.05 * objects[0], objects
        assert last_change, "no control changed the picture"
        assert still_changes(view, last_change.values()), "the picture no longer changes"


def still_changes(view, controls):
    """Whether moving one of ``controls`` (each changed the picture before) still does.

    A control may sit where its next move puts it (a step slider that another button
    set back to 0), so each gets a few moves."""
    for control in controls:
        for i in range(MOVES, MOVES + 5):
            before = picture(view)
            move(control, i)
            if picture(view) != before:
                return True
    return False
