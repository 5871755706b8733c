"""Default layer names (mlcore/layers/base.py): Keras' counters, clear_session, and
widgets that never shift the names a notebook prints."""
import numpy as np
import pytest

import mlcore
from mlcore import BatchNormalization, Conv2D, Dense, clear_session
from mlcore.layers.base import private_layer_names


def test_default_names_count_per_type_as_keras():
    clear_session()
    names = [Dense(1).name, Dense(1).name, BatchNormalization().name, Conv2D(1, 1).name,
             Dense(1, name="mine").name, Dense(1).name]
    assert names == ["dense", "dense_1", "batch_normalization", "conv2d", "mine", "dense_2"]


def test_clear_session_starts_the_names_again():
    Dense(1)
    Dense(1)
    mlcore.clear_session()
    assert Dense(1).name == "dense"
    model = mlcore.Sequential([Dense(2, input_shape=(3,)), Dense(1)])
    assert [layer.name for layer in model.layers] == ["dense_1", "dense_2"]


def test_private_layer_names_leave_the_outer_counter_as_it_was():
    clear_session()
    Dense(1)
    with private_layer_names():
        assert [Dense(1).name, Dense(1).name] == ["dense", "dense_1"]
        with private_layer_names():
            assert Dense(1).name == "dense"
        assert Dense(1).name == "dense_2"
    assert Dense(1).name == "dense_1"


def test_private_layer_names_restores_the_counter_after_an_error_and_as_a_decorator():
    clear_session()

    @private_layer_names()
    def build():
        return Dense(1).name

    with pytest.raises(RuntimeError):
        with private_layer_names():
            Dense(1)
            raise RuntimeError("a widget failed")
    assert build() == "dense"
    assert Dense(1).name == "dense"


# Every widget state function (and view default) that builds layers of its own.
def _train_boundary():
    from mlcore.widgets.activation_boundary import train_boundary

    train_boundary("relu", epochs=1)


def _batch_size_run():
    from mlcore.widgets.batch_size import batch_size_run

    rng = np.random.default_rng(0)
    batch_size_run(rng.standard_normal((20, 2)), rng.integers(0, 2, 20), 5, updates=3)


def _capacity_curves():
    from mlcore.widgets.capacity import capacity_curves

    rng = np.random.default_rng(0)
    x, y = rng.standard_normal((30, 4)), rng.integers(0, 10, 30)
    capacity_curves(x[:20], y[:20], x[20:], y[20:], units=3, n_train=20, epochs=1)


def _batchnorm_states():
    from mlcore.widgets.batchnorm import batch_mean_spread, batchnorm_state, moving_statistics

    population = np.random.default_rng(0).standard_normal(500)
    batchnorm_state(population[:8])
    batch_mean_spread(population, batch_sizes=(2, 4), n_batches=3)
    moving_statistics(population, batch_size=4, steps=3)


def _layer_statistics():
    from mlcore.widgets.initialization import layer_statistics

    layer_statistics(depth=2, width=4, n_samples=5)


def _train_regularized():
    from mlcore.widgets.regularization import train_regularized

    train_regularized(dropout=0.2, epochs=1)


def _neuron_state():
    from mlcore.widgets.neuron import neuron_state

    neuron_state([1.0, 2.0], [0.5, -0.5], 0.1, "relu")


def _fine_tuning_explorer():
    from mlcore.widgets.fine_tuning import FineTuningExplorer

    rng = np.random.default_rng(0)
    images, labels = rng.random((12, 28, 28, 1)), np.arange(12) % 5
    FineTuningExplorer(examples_per_class=1, steps=1, data=((images, labels), (images, labels)))


def _playground():
    from mlcore.widgets import Playground

    Playground(hidden=(2,), dataset="xor").state.step(1)


def _network_overview():
    from mlcore.widgets import NetworkOverview

    model = mlcore.Sequential([Conv2D(2, 3, input_shape=(6, 6, 1), name="c"),
                               mlcore.Flatten(name="f"), Dense(3, name="d")])
    NetworkOverview(model, np.zeros((6, 6, 1)))


@pytest.mark.parametrize("build", [_train_boundary, _batch_size_run, _capacity_curves,
                                   _batchnorm_states, _layer_statistics, _train_regularized,
                                   _neuron_state, _fine_tuning_explorer, _playground,
                                   _network_overview],
                         ids=lambda build: build.__name__.strip("_"))
def test_widgets_leave_the_next_default_layer_name_unchanged(build):
    clear_session()
    Dense(1), BatchNormalization(), Conv2D(1, 1)  # the notebook's own layers so far
    build()
    assert [Dense(1).name, BatchNormalization().name, Conv2D(1, 1).name] == \
        ["dense_1", "batch_normalization_1", "conv2d_1"]
