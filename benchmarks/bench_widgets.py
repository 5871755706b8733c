"""How long a widget takes to redraw after one control moves.

Each entry of ``WIDGETS`` builds a view at its default size and moves one
control the way a learner would; the script times every move (wall clock
and process CPU time, the latter less sensitive to other processes on a
shared machine) and prints the medians. The target is < 100 ms per move
(< ~500 ms for sliders that retrain a model, which act on release).

    python benchmarks/bench_widgets.py [--repeats 15] [--only NAME]

To add a widget, append one ``register(...)`` call below: a name, a
factory that builds the view, and ``move(view, i)`` that changes one control
for the i-th time (each call must change the value, or nothing is redrawn).
"""
import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

WIDGETS = []  # (name, what moves, factory, move)


def register(name, moves, factory, move):
    """Add a widget: ``factory()`` builds the view, ``move(view, i)`` moves one control."""
    WIDGETS.append((name, moves, factory, move))


def cycle(control, values):
    """A ``move`` that sets ``view.<control>.value`` to the next of ``values`` (in turn)."""
    def move(view, i):
        getattr(view, control).value = values[i % len(values)]
    return move


# -- dense chapters (00-08) ---------------------------------------------------
def _neuron():
    from mlcore.widgets import NeuronExplorer
    return NeuronExplorer(inputs=[1, 2], weights=[-0.55, 0.10])


def _descent(dim, surface):
    from mlcore.widgets import GradientDescentExplorer
    return lambda: GradientDescentExplorer(dim=dim, surface=surface)


def _dashboard():
    from mlcore.widgets import TrainingDashboard
    dash = TrainingDashboard()
    dash._repr_mimebundle_()  # shown, as in a notebook: every epoch redraws
    dash.on_train_begin()
    return dash


def _dashboard_epoch(dash, i):
    loss = 1 / (1 + 0.1 * i)
    dash.on_epoch_end(len(dash.epochs), {"loss": loss, "accuracy": 1 - loss / 2,
                                         "val_loss": loss * 1.1, "val_accuracy": 0.9 - loss / 2})


def _animator(sizes):
    def factory():
        import mlcore
        from mlcore import SGD, Dense, Sequential
        from mlcore.widgets import WeightUpdateAnimator

        mlcore.set_seed(0)
        model = Sequential([Dense(sizes[1], input_shape=(sizes[0],), activation="relu")] +
                           [Dense(n, activation="relu") for n in sizes[2:-1]] +
                           [Dense(sizes[-1], activation="softmax")])
        model.compile(SGD(0.1), "sparse_categorical_crossentropy")
        x = np.random.default_rng(0).standard_normal((4, sizes[0]))
        return WeightUpdateAnimator(model, x, np.arange(4) % sizes[-1])
    return factory


def _initialization():
    from mlcore.widgets import InitializationExplorer
    return InitializationExplorer()


def _regularization():
    from mlcore.widgets import RegularizationExplorer
    return RegularizationExplorer()


register("NeuronExplorer", "bias slider", _neuron, cycle("bias_slider", [1.0, 0.0, 0.5, -0.5]))
register("NeuronExplorer", "activation", _neuron,
         cycle("activation_picker", ["sigmoid", "tanh", "relu"]))
register("GradientDescentExplorer 1-D", "learning rate", _descent(1, "quadratic"),
         cycle("lr_slider", [0.3, 0.9, 1.05, 0.01]))
register("GradientDescentExplorer 1-D", "step (Play)", _descent(1, "quadratic"),
         cycle("step_slider", list(range(31))))
register("GradientDescentExplorer 2-D", "learning rate", _descent(2, "valley"),
         cycle("lr_slider", [0.3, 0.45, 0.6, 0.01]))
register("TrainingDashboard", "one epoch", _dashboard, _dashboard_epoch)
register("WeightUpdateAnimator 2-3-2", "step (Play)", _animator((2, 3, 2)),
         cycle("step_slider", [1, 2, 3, 4, 5, 0]))
register("WeightUpdateAnimator 8-6-6-4", "step (Play)", _animator((8, 6, 6, 4)),
         cycle("step_slider", [1, 2, 3, 4, 5, 6, 7, 0]))
register("InitializationExplorer", "std slider", _initialization,
         cycle("std_slider", [0.5, 0.1, 2.0, 1.0]))
register("InitializationExplorer", "activation", _initialization,
         cycle("activation_picker", ["tanh", "relu", "sigmoid"]))
register("RegularizationExplorer", "lambda (retrains)", _regularization,
         cycle("l2_slider", [0.001, 0.01, 0.0]))


def _playground(**settings):
    def factory():
        from mlcore.widgets import Playground
        return Playground(**settings)
    return factory


def _play_tick(view, i):
    view.tick()  # what one tick of the Play button does: train one epoch, redraw


# One tick = one epoch (25 updates of batch 10 on the 250 training points of 500), the
# grid forward pass and the redraw; the targets: <= 50 ms for 2-4-4-1, <= 100 ms at 6x8.
register("Playground 2-4-4-1", "Play tick (epoch)", _playground(hidden=(4, 4)), _play_tick)
register("Playground 7-8x6-1 spiral", "Play tick (epoch)",
         _playground(hidden=(8,) * 6, dataset="spiral",
                     features=("x1", "x2", "x1sq", "x2sq", "x1x2", "sinx1", "sinx2")), _play_tick)



def _capacity():
    from mlcore.widgets.capacity import CapacityExplorer
    return CapacityExplorer(units=128, n_train=100)


def _capacity_retrain(settings):
    def move(view, i):
        view.cache.clear()  # time the retrain, not the cache
        units, n_train = settings[i % len(settings)]
        view.units_slider.value, view.samples_slider.value = units, n_train
    return move


def _denoising():
    import mlcore
    from mlcore import Adam, Dense, Sequential
    from mlcore.data import load_mnist
    from mlcore.widgets.denoising import DenoisingExplorer

    mlcore.set_seed(0)  # a briefly trained autoencoder: predicting costs the same
    images = load_mnist(normalize=True)[0][::5]
    model = Sequential([Dense(32, input_shape=(784,), activation="relu"),
                        Dense(784, activation="sigmoid")])
    model.compile(Adam(0.002), "binary_crossentropy")
    model.fit(images.reshape(-1, 784), images.reshape(-1, 784), batch_size=64, epochs=1, verbose=0)
    return DenoisingExplorer(model, images[:8])


# CapacityExplorer retrains one model per move (units changes alone would hit the cache
# after one round, so the move clears it): the worst settings are the largest net on 1,000.
register("CapacityExplorer", "retrain 128 u/1000", _capacity,
         _capacity_retrain([(128, 1000), (64, 1000)]))
register("CapacityExplorer", "retrain 16 u/200", _capacity,
         _capacity_retrain([(16, 200), (8, 200)]))
register("DenoisingExplorer", "noise slider", _denoising,
         cycle("slider", [0.5, 0.1, 0.8, 0.3]))

# -- convolution chapters (09-13) ------------------------------------------------
def _convolution():
    from mlcore.widgets import ConvolutionAnimator
    return ConvolutionAnimator()  # the MNIST 7 and the top-edge filter


def _edit_filter(view, i):
    view.kernel_inputs[4].value = [2.0, 1.0, 0.5, 1.5][i % 4]


def _pooling():
    from mlcore.widgets import PoolingAnimator
    return PoolingAnimator()  # the course's 4x4 example


def _batchnorm():
    import mlcore
    from mlcore.widgets import BatchNormExplorer

    mlcore.set_seed(0)
    return BatchNormExplorer()


def _gallery():
    import mlcore
    from mlcore import Flatten, Sequential
    from mlcore.data import load_mnist
    from mlcore.layers import Conv2D, MaxPooling2D
    from mlcore.widgets import FilterGallery

    mlcore.set_seed(0)  # untrained weights: drawing costs the same
    model = Sequential([Conv2D(8, 3, activation="relu", input_shape=(28, 28, 1)), MaxPooling2D(2),
                        Conv2D(16, 3, padding="same", activation="relu"), Flatten()])
    images = load_mnist(normalize=True, channel_axis=True)[0][::250]  # 20 digits, two of each
    return FilterGallery(model, images)


def _gallery_layer(view, i):
    view.layer.value = view.layer.options[(i + 1) % len(view.layer.options)]


def _fine_tuning():
    from mlcore.widgets import FineTuningExplorer
    return FineTuningExplorer()  # the shipped pretrained CNN, digits 5-9


def _overview():
    import mlcore
    from mlcore import Conv2D, Dense, Flatten, MaxPooling2D, Sequential
    from mlcore.widgets import NetworkOverview

    mlcore.set_seed(9)  # chapter 09's CNN, untrained: the forward pass and drawing cost the same
    cnn = Sequential([Conv2D(8, 3, activation="relu", input_shape=(28, 28, 1), name="conv1"),
                      MaxPooling2D(2, name="pool1"), Conv2D(16, 3, activation="relu", name="conv2"),
                      MaxPooling2D(2, name="pool2"), Flatten(name="flatten"),
                      Dense(10, activation="softmax", name="digits")])
    view = NetworkOverview(cnn)
    view.cache_size = 0  # time the forward pass and drawing on every move, not the memo
    return view




register("ConvolutionAnimator", "step (Play)", _convolution, cycle("step", list(range(1, 60))))
register("ConvolutionAnimator", "filter value", _convolution, _edit_filter)
register("ConvolutionAnimator", "padding", _convolution, cycle("padding", ["same", "valid"]))
register("PoolingAnimator", "step (Play)", _pooling, cycle("step", [1, 2, 3, 0]))
register("PoolingAnimator", "max / average", _pooling, cycle("mode", ["average", "max"]))
register("BatchNormExplorer", "gamma slider", _batchnorm, cycle("gamma", [1.5, 0.5, 2.0, 1.0]))
register("BatchNormExplorer", "batch size", _batchnorm, cycle("batch_size", [8, 64, 2, 32]))
register("FilterGallery", "sample", _gallery, cycle("sample", list(range(1, 20))))
register("FilterGallery", "layer", _gallery, _gallery_layer)
# Every move is a new number of examples, so each one retrains (nothing comes from the cache).
register("FineTuningExplorer", "labeled (retrains)", _fine_tuning,
         cycle("slider", list(range(2, 51))))
register("NetworkOverview ch09 CNN", "digit", _overview,
         cycle("digit", list(range(1, 10)) + [0]))
register("NetworkOverview ch09 CNN", "pixel row", _overview, cycle("row", list(range(13))))

# -- measuring ----------------------------------------------------------------
def measure(factory, move, repeats, warmup=2):
    """Median wall and CPU milliseconds of ``move`` over ``repeats`` calls (after warm-up)."""
    view = factory()
    for i in range(warmup):
        move(view, i)
    wall, cpu = [], []
    for i in range(warmup, warmup + repeats):
        w0, c0 = time.perf_counter(), time.process_time()
        move(view, i)
        wall.append(1000 * (time.perf_counter() - w0))
        cpu.append(1000 * (time.process_time() - c0))
    return statistics.median(wall), statistics.median(cpu), max(wall)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--only", help="run only widgets whose name contains this text")
    args = parser.parse_args(argv)
    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores; "
          f"OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS', 'unset')}")
    print(f"{'widget':<30} {'control moved':<20} {'median wall ms':>15} {'median cpu ms':>14} "
          f"{'max wall ms':>12}")
    failed = []
    for name, moves, factory, move in WIDGETS:
        if args.only and args.only.lower() not in name.lower():
            continue
        try:
            wall, cpu, worst = measure(factory, move, args.repeats)
        except Exception as error:  # one broken widget must not hide the others' numbers
            failed.append(name)
            print(f"{name:<30} {moves:<20} FAILED: {type(error).__name__}: {error}", flush=True)
            continue
        print(f"{name:<30} {moves:<20} {wall:>15.1f} {cpu:>14.1f} {worst:>12.1f}", flush=True)
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
