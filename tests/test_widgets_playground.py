"""The Playground: its state (data, features, network, training, surfaces, settings)
against hand values and the engine, and its view driven programmatically."""
import warnings

import numpy as np
import pytest

from mlcore import backend
from mlcore.data import make_planar
from mlcore.widgets.playground.state import (GRID_SIZE, PlaygroundState, build_network,
                                             feature_map, grid_points)
from mlcore.widgets.playground.settings import FEATURES, PlaygroundSettings

ALL_FEATURES = tuple(FEATURES)


# -- state ------------------------------------------------------------------------
def test_feature_map_hand_values():
    values = feature_map([[2.0, -1.0]], ALL_FEATURES)[0]
    expected = [2, -1, 4, 1, -2, np.sin(2), np.sin(-1)]
    assert values.dtype == np.float32 and np.allclose(values, expected)
    assert feature_map([[2.0, -1.0], [0, 3]], ("x2sq", "x1")).tolist() == [[1, 2], [9, 0]]


def test_grid_rows_grow_along_x2():
    grid = grid_points(size=3, extent=6)
    assert grid.shape == (9, 2)
    # row i * 3 + j is the point (g[j], g[i])
    assert grid[1].tolist() == [0, -6] and grid[3].tolist() == [-6, 0]


@pytest.mark.parametrize("dataset", ["circle", "xor", "gauss", "spiral"])
def test_data_split_and_inputs(dataset):
    state = PlaygroundState(dataset=dataset, n_samples=200, train_ratio=0.7, noise=0.1, seed=3,
                            features=("x1", "x1x2", "sinx2"))
    x, y = make_planar(dataset, 200, 0.1, 3)
    assert state.x_train.shape == (140, 2) and state.x_test.shape == (60, 2)
    assert np.array_equal(np.concatenate([state.x_train, state.x_test]), x)
    assert np.array_equal(np.concatenate([state.y_train, state.y_test]), y)
    assert set(np.unique(state.y_train)) == {0, 1}
    assert np.allclose(state.inputs_train, feature_map(state.x_train, ("x1", "x1x2", "sinx2")))
    assert state.model.input_shape == (None, 3) and state.model.output_shape == (None, 1)


def test_network_follows_the_settings():
    state = PlaygroundState(hidden=(3, 5), activation="relu", dropout=0.2, regularization="l2",
                            regularization_rate=0.01, optimizer="momentum", learning_rate=0.1)
    names = [layer.name for layer in state.model.layers]
    assert names == ["hidden_1", "dropout_1", "hidden_2", "dropout_2", "output"]
    assert [w.shape for w in state.model.get_weights()] == [(2, 3), (3,), (3, 5), (5,), (5, 1),
                                                            (1,)]
    assert state.model.layers[0].activation.name == "relu"
    assert state.model.layers[-1].activation.name == "sigmoid"
    assert state.model.loss.name == "binary_crossentropy"
    assert state.model.optimizer.momentum == 0.9 and state.model.optimizer.learning_rate == 0.1
    assert state.model.layers[2].kernel_regularizer.l2 == 0.01
    linear = PlaygroundState(hidden=())  # no hidden layer: logistic regression
    assert [w.shape for w in linear.model.get_weights()] == [(2, 1), (1,)]
    wide = PlaygroundState(initializer="random_normal", init_std=3.0, hidden=(8, 8, 8), seed=1)
    assert 2.5 < np.concatenate([w.ravel() for w in wide.model.get_weights()[::2]]).std() < 3.5
    zero = PlaygroundState(initializer="zeros", hidden=(3,), activation="relu")
    assert not any(w.any() for w in zero.model.get_weights())
    zero.step(20)  # symmetry never breaks: the three hidden neurons keep equal weights
    kernel = zero.model.get_weights()[0]
    assert np.array_equal(kernel[:, 0], kernel[:, 1]) and np.array_equal(kernel[:, 1], kernel[:, 2])


def test_one_step_is_one_train_on_batch_of_the_engine():
    settings = PlaygroundSettings(optimizer="adam", batch_size=7, dataset="xor")
    state = PlaygroundState(settings)
    with backend.seeded(settings.seed):
        model = build_network(settings)
    assert all(np.array_equal(a, b) for a, b in zip(model.get_weights(), state.model.get_weights()))
    order = np.random.default_rng((settings.seed, 1)).permutation(len(state.x_train))
    for k in range(3):
        index = order[7 * k:7 * (k + 1)]
        logs = model.train_on_batch(state.inputs_train[index], state.y_train[index])
        assert state.step(1) == 1
        assert all(np.array_equal(a, b) for a, b in zip(model.get_weights(),
                                                        state.model.get_weights()))
    assert state.updates == 3 and state.epoch == pytest.approx(21 / 250)
    loss, accuracy = model.evaluate(state.inputs_train, state.y_train, batch_size=250)
    assert state.history["loss"][-1] == pytest.approx(loss)
    assert state.history["accuracy"][-1] == pytest.approx(accuracy)
    assert logs["loss"] > 0


def test_an_epoch_is_one_pass_and_training_learns():
    state = PlaygroundState(dataset="gauss", batch_size=30)
    assert state.steps_to_epoch_end() == 9  # 250 samples: 8 batches of 30 and one of 10
    assert state.train_epoch() == 9 and state.epoch == 1.0 and state.steps_to_epoch_end() == 9
    for _ in range(20):
        state.train_epoch()
    assert state.history["epoch"] == list(range(22)) and state.history["loss"][-1] < 0.2
    assert state.history["test_accuracy"][-1] > 0.9


def test_surfaces_are_one_forward_pass_of_the_grid():
    state = PlaygroundState(hidden=(3, 2), activation="tanh", features=("x1", "x2", "x1sq"))
    state.step(5)
    surfaces = state.surfaces()
    points = feature_map(grid_points(), ("x1", "x2", "x1sq"))
    predicted = state.model.predict(points, batch_size=len(points))
    assert surfaces["output"].shape == (GRID_SIZE, GRID_SIZE)
    assert np.array_equal(surfaces["output"].ravel(), predicted[:, 0])
    kernel_1, bias_1, kernel_2, bias_2 = state.model.get_weights()[:4]
    hidden_1 = np.tanh(points @ kernel_1 + bias_1)  # the neurons, by hand
    hidden_2 = np.tanh(hidden_1 @ kernel_2 + bias_2)
    assert [h.shape for h in surfaces["hidden"]] == [(3, GRID_SIZE, GRID_SIZE),
                                                     (2, GRID_SIZE, GRID_SIZE)]
    assert np.allclose(surfaces["hidden"][0][1].ravel(), hidden_1[:, 1], atol=1e-5)
    assert np.allclose(surfaces["hidden"][1][0].ravel(), hidden_2[:, 0], atol=1e-5)
    # pixel (row 10, column 70) is the point x1 = g[70], x2 = g[10]; the third input is x1²
    g = np.linspace(-6, 6, GRID_SIZE)
    assert surfaces["inputs"][2][10, 70] == pytest.approx(g[70] ** 2)


def test_settings_string_round_trip_and_replay():
    settings = PlaygroundSettings(dataset="spiral", noise=0.15, train_ratio=0.6, seed=7,
                                  features=("sinx1", "x1", "x2sq"), hidden=(5, 3, 2),
                                  activation="leaky_relu", initializer="he_normal",
                                  optimizer="adam", learning_rate=0.003, batch_size=12,
                                  regularization="l1", regularization_rate=0.001, dropout=0.1)
    text = str(settings)
    assert len(text) < 220 and "seed=7" in text and "net=5-3-2" in text
    assert PlaygroundSettings.parse(text) == settings
    assert PlaygroundSettings.parse("data=xor&lr=0.1") == PlaygroundSettings(dataset="xor",
                                                                              learning_rate=0.1)
    first, second = PlaygroundState(text), PlaygroundState(text)
    first.step(40)
    second.step(40)
    assert all(np.array_equal(a, b) for a, b in zip(first.model.get_weights(),
                                                    second.model.get_weights()))
    assert first.history == second.history
    other = PlaygroundState(settings.replace(seed=8))
    assert not np.array_equal(other.x_train, first.x_train)


@pytest.mark.parametrize("text, message", [
    ("data=moons", "dataset must be one of"),
    ("colour=red", "unknown key 'colour'"),
    ("net=4-9", "up to 6 layers of 1 to 8 neurons"),
    ("lr=20", r"learning_rate must be a number in \[1e-05, 10\]"),
    ("lr=fast", "lr='fast' is not a valid float"),
    ("in=", "features must be a non-empty selection"),
    ("act=softmax", "activation must be one of"),
])
def test_bad_settings_are_named(text, message):
    with pytest.raises(ValueError, match=message):
        PlaygroundState(text)


@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
def test_divergence_pauses_without_raising_or_warning(optimizer):
    state = PlaygroundState(learning_rate=10, optimizer=optimizer)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for _ in range(5):
            state.train_epoch()
    assert caught == []
    assert state.diverged.startswith("diverged at learning rate 10: the loss grew from")
    updates = state.updates
    assert state.step(10) == 0 and state.updates == updates  # paused
    state.change(learning_rate=0.03)  # a live change keeps the pause; reset ends it
    assert state.diverged
    state.reset()
    assert state.diverged is None and state.step(3) == 3


def test_layer_and_neuron_bounds():
    state = PlaygroundState(hidden=(4, 2))
    assert state.add_layer() and state.settings.hidden == (4, 2, 2)
    while state.add_layer():
        pass
    assert state.settings.hidden == (4, 2, 2, 2, 2, 2)
    assert not state.resize_layer(0, +5) and state.resize_layer(0, +4)
    assert state.settings.hidden[0] == 8 and not state.resize_layer(0, +1)
    assert not state.resize_layer(1, -2) and state.resize_layer(1, -1)
    assert not state.resize_layer(6, 1)  # no such layer
    while state.remove_layer():
        pass
    assert state.settings.hidden == () and not state.remove_layer()
    assert len(state.model.layers) == 1 and state.model.layers[0].name == "output"


def test_live_changes_keep_training_others_restart():
    state = PlaygroundState(regularization="l2", regularization_rate=0.001)
    state.step(10)
    weights = state.model.get_weights()
    assert not state.change(learning_rate=0.3, batch_size=5, regularization_rate=0.1)
    assert state.updates == 10 and state.model.optimizer.learning_rate == 0.3
    assert all(np.array_equal(a, b) for a, b in zip(weights, state.model.get_weights()))
    kernels = [w for w in weights if w.ndim == 2]
    assert state.model.regularization_loss() == pytest.approx(
        0.1 * sum(float((k.astype(np.float64) ** 2).sum()) for k in kernels), rel=1e-5)
    assert state.steps_to_epoch_end() == -(-(250 - 100) // 5)
    assert state.change(activation="relu") and state.updates == 0
    assert state.history["epoch"] == [0.0]


# -- view --------------------------------------------------------------------------
@pytest.fixture
def playground():
    from mlcore.widgets import Playground

    return Playground(n_samples=200)


def _picture(pg):
    return pg.image.value


def test_view_shows_the_state(playground):
    pg = playground
    assert pg.model is pg.state.model and pg.settings == str(pg.state.settings)
    before = _picture(pg)
    pg.step()
    assert pg.state.epoch == 1 and _picture(pg) != before
    bundle = pg._repr_mimebundle_()
    assert "image/png" in bundle and "epoch 1" in bundle["text/plain"]
    assert pg.numbers.get_text().split("\n")[0] == "1"
    assert "epoch <b>1</b>" in pg.ui.status.value
    # the surface shows the state's output: a pixel near (x1, x2) = (5, 5) has its colour
    p = pg.state.surfaces()["output"][-5, -5]
    colour = pg.surface_colours[int(p * 255)][:3]
    assert np.abs(pg.surface.pixels[3, -3, :3].astype(int) - colour).max() <= 1


def test_play_ticks_train_and_the_stop_button_does_not(playground):
    pg = playground
    assert pg.ui.play.interval == 20  # up to 50 ticks a second: the kernel sets the pace
    pg.ui.play.value = 1
    assert pg.state.epoch == 1
    pg.ui.play.value = 4  # the browser sends only its newest value while the kernel is busy
    assert pg.state.epoch == 2
    pg.ui.play.value = 0  # the stop button rewinds: no training
    assert pg.state.epoch == 2


def _stored(model):
    """Every layer's record of the last pass: its input, ``z`` and ``a``."""
    return [[None if v is None else v.copy() for v in (layer.last_input, layer.z, layer.a)]
            for layer in model.layers]


def _same_records(first, second):
    return all(a is None and b is None or a is not None and b is not None and a.shape == b.shape
               and np.array_equal(a, b, equal_nan=True)
               for one, two in zip(first, second) for a, b in zip(one, two))


def test_pictures_leave_the_learners_model_alone(playground):
    """The grid readout runs beside ``pg.model``: what ``forward`` stored stays, and a tick
    leaves exactly what its training left (not the 10,000 grid points)."""
    pg = playground
    pg.change(hidden=(3, 2), dropout=0.1)
    pg.model.forward(pg.state.inputs_train[:3])
    stored = _stored(pg.model)
    pg.ui.edges.value = "gradients" if pg.ui.edges.value == "weights" else "weights"
    pg.ui.focus.value = pg.ui.focus.options[1][1]
    pg.update()
    assert _same_records(_stored(pg.model), stored)
    training = PlaygroundState(pg.settings)  # the same seed: the same steps, never drawn
    training.train_epoch()
    pg.tick()
    assert _same_records(_stored(pg.model), _stored(training.model))


SETTING_MOVES = [("dataset", "spiral"), ("noise", 0.2), ("train_ratio", 0.7), ("batch_size", 5),
                 ("activation", "relu"), ("initializer", "random_normal"),
                 ("optimizer", "adam"), ("learning_rate", 0.1), ("regularization", "l2"),
                 ("regularization_rate", 0.3), ("dropout", 0.3)]


@pytest.mark.parametrize("name, value", SETTING_MOVES, ids=[n for n, _ in SETTING_MOVES])
def test_every_setting_control_changes_state_and_picture(playground, name, value):
    pg = playground
    if name == "regularization_rate":  # a rate acts once there is a penalty
        pg.ui.bound["regularization"].value = "l2"
    pg.step()
    before = _picture(pg)
    pg.ui.bound[name].value = value
    assert getattr(pg.state.settings, name) == value
    assert f"{pg.settings}" == pg.ui.settings_text.value
    if name in ("learning_rate", "batch_size", "regularization_rate"):  # live: keep training
        assert pg.state.epoch == 1
        pg.step()
    assert _picture(pg) != before


def test_init_std_control(playground):
    pg = playground
    pg.ui.bound["initializer"].value = "random_normal"
    before = _picture(pg)
    pg.ui.bound["init_std"].value = 3.0
    assert pg.state.settings.init_std == 3.0 and _picture(pg) != before


def test_feature_toggles_and_layer_buttons_redraw_the_network(playground):
    pg = playground
    pg.ui.features["x1sq"].value = True
    assert pg.state.settings.features == ("x1", "x2", "x1sq")
    assert pg.drawing.sizes == [3, 4, 2, 1] and pg.model.input_shape == (None, 3)
    for name in ("x1", "x2"):
        pg.ui.features[name].value = False
    pg.ui.features["x1sq"].value = False  # the last input cannot go: it stays on
    assert pg.state.settings.features == ("x1sq",) and pg.ui.features["x1sq"].value
    before = _picture(pg)
    pg.ui.add_layer_button.click()
    assert pg.state.settings.hidden == (4, 2, 2) and pg.drawing.sizes == [1, 4, 2, 2, 1]
    assert len(pg.ui.layer_buttons) == 3 and _picture(pg) != before
    pg.ui.layer_buttons[0].plus.click()  # + a neuron in layer 1
    assert pg.state.settings.hidden == (5, 2, 2) and pg.drawing.sizes[1] == 5
    pg.ui.layer_buttons[1].minus.click()  # - a neuron in layer 2
    assert pg.state.settings.hidden == (5, 1, 2) and pg.ui.layer_buttons[1].minus.disabled
    for _ in range(4):
        pg.ui.remove_layer_button.click()
    assert pg.state.settings.hidden == () and pg.ui.remove_layer_button.disabled
    assert pg.drawing.sizes == [1, 1]
    for _ in range(7):
        pg.ui.add_layer_button.click()
    assert len(pg.state.settings.hidden) == 6 and pg.ui.add_layer_button.disabled


def test_buttons_and_display_options(playground):
    pg = playground
    pg.ui.step_button.click()
    weights = pg.model.get_weights()
    pg.ui.step_button.click()
    assert pg.state.epoch == 2
    pg.ui.reset_button.click()
    assert pg.state.epoch == 0
    pg.ui.step_button.click()
    assert all(np.array_equal(a, b) for a, b in zip(weights, pg.model.get_weights()))
    before = _picture(pg)
    pg.ui.new_sample_button.click()
    assert pg.state.settings.seed == 1 and pg.state.epoch == 0 and _picture(pg) != before
    for box in (pg.ui.show_test, pg.ui.discretize):
        before = _picture(pg)
        box.value = not box.value
        assert _picture(pg) != before


def test_edges_show_weights_or_gradients(playground):
    pg = playground
    pg.step()
    dense = [layer for layer in pg.model.layers if layer.params]
    first = pg.drawing.edges[0]
    widths = np.array(first.get_linewidths())
    largest = np.argmax(np.abs(dense[0].params["kernel"]).ravel())
    assert widths[largest] == widths.max()  # segment k * n_out + j is kernel[k, j]
    pg.ui.edges.value = "gradients"
    assert "dC/dw" in pg.ax_net.get_title()
    largest = np.argmax(np.abs(dense[0].grads["kernel"]).ravel())
    assert first.get_linewidths()[largest] == max(first.get_linewidths())
    assert not np.array_equal(first.get_linewidths(), widths)


def test_settings_text_loads_an_experiment(playground):
    from mlcore.widgets import Playground

    pg = playground
    pg.ui.settings_text.value = "data=xor&net=3&act=relu&seed=5&n=200"
    assert pg.state.settings == PlaygroundSettings(dataset="xor", hidden=(3,), activation="relu",
                                                   seed=5, n_samples=200)
    assert pg.ui.bound["dataset"].value == "xor" and len(pg.ui.layer_buttons) == 1
    pg.ui.settings_text.value = "data=moons"
    assert "dataset must be one of" in pg.ui.status.value  # shown, not raised
    for _ in range(3):
        pg.step()
    copy = Playground.from_settings(pg.settings)
    for _ in range(3):
        copy.step()
    assert all(np.array_equal(a, b) for a, b in zip(pg.model.get_weights(),
                                                    copy.model.get_weights()))
    assert copy.state.history == pg.state.history


def test_divergence_is_shown_not_raised(playground):
    pg = playground
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        pg.ui.bound["learning_rate"].value = 10.0
        for _ in range(10):  # diverges within 5 epochs
            pg.step()
    assert caught == []
    assert pg.message.get_visible() and pg.message.get_text().startswith(
        "diverged at learning rate 10")
    assert "diverged at learning rate 10" in pg.ui.status.value
    pg.ui.bound["learning_rate"].value = 0.03
    pg.ui.reset_button.click()
    assert not pg.message.get_visible()


def test_your_own_points():
    from mlcore.data import toy_data
    from mlcore.widgets import Playground

    x, y = toy_data("moons", 120, seed=2)
    state = PlaygroundState(data=(x, y), train_ratio=0.75, seed=4)
    assert state.settings.dataset == "custom" and state.settings.n_samples == 120
    assert "data=custom" in str(state.settings)
    order = np.random.default_rng((4, 0)).permutation(120)  # shuffled with the seed, then split
    assert np.array_equal(state.x_train, x[order[:90]]) and np.array_equal(state.y_test,
                                                                           y[order[90:]])
    assert state.extent == pytest.approx(1.1 * np.abs(x).max())
    assert np.abs(state.grid).max() == pytest.approx(state.extent)
    state.step(30)
    replay = PlaygroundState(str(state.settings), data=(x, y))
    replay.step(30)
    assert replay.history == state.history
    with pytest.raises(ValueError, match="no points were given"):
        PlaygroundState(str(state.settings))
    with pytest.raises(ValueError, match=r"shape \(N, 2\)"):
        PlaygroundState(data=(x[:, :1], y))
    with pytest.raises(ValueError, match="labels 0 or 1"):
        PlaygroundState(data=(x, y + 1))
    pg = Playground(data=(x, y))
    assert "custom" in pg.ui.bound["dataset"].options
    assert pg.ax_out.get_xlim() == pytest.approx((-state.extent, state.extent))
    pg.ui.bound["dataset"].value = "circle"
    assert pg.state.extent == 6 and pg.ax_out.get_xlim() == (-6, 6)
    plain = Playground()
    assert "custom" not in plain.ui.bound["dataset"].options
    plain.ui.settings_text.value = str(state.settings)
    assert "needs points" in plain.ui.status.value and plain.state.settings.dataset == "circle"


def test_big_picture_shows_a_chosen_neuron(playground):
    pg = playground
    pg.step()
    assert len(pg.ui.focus.options) == 1 + 4 + 2
    before = _picture(pg)
    pg.ui.focus.value = (0, 2)  # layer 1, neuron 3
    assert pg.ax_out.get_title().startswith("layer 1, neuron 3") and _picture(pg) != before
    layer = pg.state.surfaces()["hidden"][0]
    value = (layer[2][-5, -5] / np.abs(layer).max() + 1) / 2  # scaled as its layer's tiles
    colour = pg.surface_colours[int(value * 255)][:3]
    assert np.abs(pg.surface.pixels[3, -3, :3].astype(int) - colour).max() <= 1
    pg.ui.layer_buttons[0].minus.click()  # layer 1 loses neuron 4: neuron 3 stays
    assert pg.ui.focus.value == (0, 2)
    pg.ui.layer_buttons[0].minus.click()  # ... and now neuron 3: back to the output
    assert pg.ui.focus.value == "output" and pg.ax_out.get_title().startswith("output")


# -- the toolkit pieces the view draws with ------------------------------------------
def test_tile_mosaic_places_tiles_upright_and_pixel_image_draws_them():
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from mlcore.widgets.base.toolkit import CLASS_CMAP, TileMosaic, color_lookup, nearest_resize

    figure = Figure(figsize=(2, 1), dpi=100)  # 200 x 100 pixels
    FigureCanvasAgg(figure)
    ax = figure.add_axes((0, 0, 1, 1), xlim=(0, 2), ylim=(0, 1))
    mosaic = TileMosaic(ax, [(0.5, 0.5), (1.5, 0.5)], 20, CLASS_CMAP)
    assert mosaic.image.shape == (100, 200, 4) and mosaic.corners == [(40, 40), (40, 140)]
    tiles = np.zeros((2, 4, 4))
    tiles[0, -1] = 1  # top row (rows grow upwards) of the first tile: +1, blue
    tiles[1] = -1     # the second tile: -1, orange
    mosaic.show(tiles)
    table = color_lookup(CLASS_CMAP)
    pixels = mosaic.image.pixels
    assert (pixels[40, 50] == table[255]).all() and (pixels[59, 50] == table[127]).all()
    assert (pixels[50, 150] == table[0]).all()
    assert pixels[39, 50, 3] == 255 and pixels[10, 10, 3] == 0  # a frame; transparent elsewhere
    figure.canvas.draw()
    canvas = np.asarray(figure.canvas.buffer_rgba())
    assert (canvas[40, 50] == table[255]).all() and (canvas[50, 150] == table[0]).all()
    assert nearest_resize(np.arange(4).reshape(2, 2), 4, 4).tolist() == [
        [0, 0, 1, 1], [0, 0, 1, 1], [2, 2, 3, 3], [2, 2, 3, 3]]


# -- a long lesson: no leaks ---------------------------------------------------------
def _live_widgets():
    from ipywidgets.widgets.widget import _instances

    return len(_instances)


# Each move sets one control the way a learner would; 21 moves, cycled through the lesson.
LESSON_MOVES = [
    lambda pg, i: setattr(pg.ui.bound["learning_rate"], "value", (0.01, 0.03, 0.1)[i % 3]),
    lambda pg, i: pg.ui.add_layer_button.click(),
    lambda pg, i: setattr(pg.ui.bound["noise"], "value", (0.0, 0.1, 0.2)[i % 3]),
    lambda pg, i: pg.ui.remove_layer_button.click(),
    lambda pg, i: setattr(pg.ui.features["x1sq"], "value", not pg.ui.features["x1sq"].value),
    lambda pg, i: setattr(pg.ui.bound["dataset"], "value", ("xor", "gauss", "circle")[i % 3]),
    lambda pg, i: setattr(pg.ui.bound["batch_size"], "value", (5, 10, 20)[i % 3]),
    lambda pg, i: setattr(pg.ui.bound["activation"], "value", ("relu", "tanh")[i % 2]),
    lambda pg, i: setattr(pg.ui.bound["train_ratio"], "value", (0.5, 0.7)[i % 2]),
    lambda pg, i: setattr(pg.ui.bound["initializer"], "value",
                          ("random_normal", "he_normal", "glorot_uniform")[i % 3]),
    lambda pg, i: setattr(pg.ui.bound["init_std"], "value", (0.3, 1.0)[i % 2]),
    lambda pg, i: setattr(pg.ui.bound["optimizer"], "value", ("adam", "momentum", "sgd")[i % 3]),
    lambda pg, i: setattr(pg.ui.bound["regularization"], "value", ("l2", "l1", "none")[i % 3]),
    lambda pg, i: setattr(pg.ui.bound["regularization_rate"], "value", (0.001, 0.01)[i % 2]),
    lambda pg, i: setattr(pg.ui.bound["dropout"], "value", (0.1, 0.0)[i % 2]),
    lambda pg, i: pg.ui.new_sample_button.click(),
    lambda pg, i: setattr(pg.ui.settings_text, "value", f"n=100&net={'4-2' if i % 2 else '3'}"),
    lambda pg, i: setattr(pg.ui.focus, "value",
                          pg.ui.focus.options[i % len(pg.ui.focus.options)][1]),
    lambda pg, i: setattr(pg.ui.edges, "value", ("gradients", "weights")[i % 2]),
    lambda pg, i: setattr(pg.ui.show_test, "value", not pg.ui.show_test.value),
    lambda pg, i: pg.ui.reset_button.click(),
]


@pytest.mark.slow
def test_a_long_lesson_leaks_no_widgets():
    """1,000 ticks and 200 setting changes: the live widgets stay within 5 of the start."""
    from mlcore.widgets import Playground

    from test_widgets_long_lesson import unrendered

    pg = Playground(n_samples=100)
    start, settings = _live_widgets(), pg.settings
    with unrendered(pg):  # every tick trains and draws; only the PNG is left out
        for tick in range(1000):
            if tick % 5 == 0:
                change = tick // 5
                LESSON_MOVES[change % len(LESSON_MOVES)](pg, change // len(LESSON_MOVES))
            pg.tick()
    # back to the first network (each hidden layer owns its own row of buttons)
    pg.ui.settings_text.value = settings
    assert abs(_live_widgets() - start) <= 5, (start, _live_widgets())
    before = _picture(pg)
    pg.tick()
    assert _picture(pg) != before and pg.state.epoch > 0


def test_settings_are_traits_linked_to_the_controls(playground):
    from traitlets import TraitError

    pg = playground
    pg.traits.noise = 0.2  # in code: the slider follows, the network restarts
    assert pg.ui.bound["noise"].value == 0.2 and pg.state.settings.noise == 0.2
    assert pg.ui.settings_text.value == pg.settings and "noise=0.2" in pg.settings
    pg.ui.bound["activation"].value = "relu"  # on the control: the trait follows
    assert pg.traits.activation == "relu" and pg.state.settings.activation == "relu"
    with pytest.raises(TraitError, match=r"noise must be a number in \[0, 0.5\], got 3"):
        pg.traits.noise = 3
    with pytest.raises(TraitError, match="dataset 'custom' needs points"):
        pg.traits.dataset = "custom"
    assert pg.traits.noise == 0.2 and pg.traits.dataset == "circle"
    pg.traits.batch_size = 50  # beyond the slider: its range widens
    assert pg.ui.bound["batch_size"].value == 50 and pg.state.settings.batch_size == 50
    pg.change(learning_rate=0.3, hidden=(3,))  # several at once: one restart
    assert pg.ui.bound["learning_rate"].value == 0.3 and len(pg.ui.layer_buttons) == 1


def test_nothing_is_rebuilt_that_a_setting_does_not_change(playground):
    pg = playground
    drawing, points, rows = pg.drawing, pg.train_layer, list(pg.ui.layer_buttons)
    pg.ui.bound["learning_rate"].value = 0.1  # live: the network keeps training
    pg.ui.bound["activation"].value = "relu"  # a restart with the same layers and points
    assert pg.drawing is drawing and pg.train_layer is points and pg.ui.layer_buttons == rows
    pg.ui.bound["noise"].value = 0.2  # new points, same diagram
    assert pg.drawing is drawing and pg.train_layer is not points
    closed = rows[1]
    pg.ui.layer_buttons[0].plus.click()  # layer 1 grows: the diagram changes, its row stays
    assert pg.drawing is not drawing and pg.ui.layer_buttons == rows
    assert pg.ui.layer_buttons[0].count.value == "5"
    pg.ui.remove_layer_button.click()  # the second layer's row goes, and is closed
    assert pg.ui.layer_buttons == rows[:1]
    assert closed.plus.comm is None and closed.plus.layout.comm is None


def test_the_last_input_cannot_be_switched_off(playground):
    pg = playground
    pg.ui.features["x1"].value = False
    assert pg.ui.features["x2"].disabled and pg.state.settings.features == ("x2",)
    pg.ui.features["x2"].value = False  # locked: it stays on
    assert pg.ui.features["x2"].value and pg.traits.features == ("x2",)
    pg.ui.settings_text.value = "in=x1"  # a string may still swap it for another
    assert pg.ui.features["x1"].value and not pg.ui.features["x2"].value
    assert pg.ui.features["x1"].disabled and not pg.ui.features["x2"].disabled
