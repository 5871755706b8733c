"""The Playground's controls: run buttons, data, inputs, network and training settings.

Each settings control is bound to one field of ``PlaygroundSettings``:
moving it calls ``Playground.change(field=value)``. ``sync()`` shows the
state's settings in the controls again (after a settings string was pasted
or a layer added) without feeding the change back.
"""
import ipywidgets as widgets

from ..data.planar import PLANAR_SETS
from .playground_settings import (ACTIVATIONS, FEATURES, INITIALIZERS, MAX_LAYERS, MAX_NEURONS,
                                  OPTIMIZERS, REGULARIZATIONS, PlaygroundSettings)

RATES = (0.0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)  # Playground's penalty rates
SHORT = widgets.Layout(width="auto")
TINY = dict(width="30px", padding="0")  # the one-character +/- buttons


def _slider(kind, description, **options):
    return kind(description=description, continuous_update=False,
                style={"description_width": "initial"}, layout=widgets.Layout(width="280px"),
                **options)


class PlaygroundControls:
    """The widgets of one Playground view, laid out in ``rows``.

    Attributes
    ----------
    play : ipywidgets.Play
        Each tick of its value trains one epoch (``Playground.tick``).
    step_button, reset_button, new_sample_button : Button
    bound : dict
        Settings field -> the control showing it.
    features : dict
        Feature name -> its ToggleButton.
    add_layer_button, remove_layer_button : Button
    neuron_buttons : list of (Button, Button)
        Per hidden layer: remove one neuron, add one.
    show_test, discretize : Checkbox
    edges : Dropdown
        What the edges show: the weights w, or dC/dw of the last batch.
    focus : Dropdown
        What the big picture shows: 'output', or (layer, neuron) of a hidden
        neuron (0-based), as Playground shows a neuron you hover over.
        These choose how the picture is drawn (not settings of the experiment).
    settings_text : Text
        The settings string; edit it (or paste one) to load that experiment.
    status : HTML
        Epoch, losses, and the divergence message if any.
    """

    def __init__(self, view):
        self.view = view
        self.play = widgets.Play(value=0, min=0, max=10 ** 7, step=1, interval=view.tick_ms,
                                 show_repeat=False, description="play")
        self.play.observe(view.tick, names="value")
        self.step_button = widgets.Button(description="one epoch", layout=SHORT)
        self.reset_button = widgets.Button(description="reset", layout=SHORT)
        self.new_sample_button = widgets.Button(description="new sample", layout=SHORT,
                                                tooltip="the next seed: new data, new weights")
        self.step_button.on_click(lambda _: view.step())
        self.reset_button.on_click(lambda _: view.reset())
        self.new_sample_button.on_click(
            lambda _: view.change(seed=view.state.settings.seed + 1))
        self.status = widgets.HTML()

        self.bound = {
            "dataset": widgets.Dropdown(
                options=PLANAR_SETS + (() if view.state.data is None else ("custom",)),
                description="data", layout=widgets.Layout(width="170px")),
            "noise": _slider(widgets.FloatSlider, "noise", min=0, max=0.5, step=0.05),
            "train_ratio": _slider(widgets.FloatSlider, "train share", min=0.1, max=0.9, step=0.1),
            "batch_size": _slider(widgets.IntSlider, "batch size", min=1, max=30),
            "activation": widgets.Dropdown(options=ACTIVATIONS, description="activation",
                                           layout=widgets.Layout(width="200px")),
            "initializer": widgets.Dropdown(options=INITIALIZERS, description="initializer",
                                            layout=widgets.Layout(width="240px")),
            "init_std": _slider(widgets.FloatLogSlider, "init std", base=10, min=-2,
                                max=1, step=0.1, readout_format=".2g"),
            "optimizer": widgets.Dropdown(options=OPTIMIZERS, description="optimizer",
                                          layout=widgets.Layout(width="200px")),
            "learning_rate": _slider(widgets.FloatLogSlider, "learning rate", base=10, min=-5,
                                     max=1, step=0.25, readout_format=".2g"),
            "regularization": widgets.Dropdown(options=REGULARIZATIONS, description="penalty",
                                               layout=widgets.Layout(width="170px")),
            "regularization_rate": _slider(widgets.SelectionSlider, "rate", options=RATES),
            "dropout": _slider(widgets.FloatSlider, "dropout", min=0, max=0.9, step=0.1),
        }
        self.features = {name: widgets.ToggleButton(description=label, layout=SHORT)
                         for name, (label, _) in FEATURES.items()}
        self.add_layer_button = widgets.Button(description="+ layer", layout=SHORT)
        self.remove_layer_button = widgets.Button(description="- layer", layout=SHORT)
        self.add_layer_button.on_click(lambda _: self._resize(view.state.add_layer))
        self.remove_layer_button.on_click(lambda _: self._resize(view.state.remove_layer))
        self.neuron_buttons, self.layers_box = [], widgets.HBox()
        self.show_test = widgets.Checkbox(value=True, description="show test data", indent=False,
                                          layout=SHORT)
        self.discretize = widgets.Checkbox(value=False, description="discretize output",
                                           indent=False, layout=SHORT)
        self.edges = widgets.Dropdown(options=[("weights w", "weights"),
                                               ("gradients dC/dw", "gradients")],
                                      description="edges show",
                                      layout=widgets.Layout(width="240px"))
        for box in (self.show_test, self.discretize):
            box.observe(lambda _: view.update(), names="value")
        self.focus = widgets.Dropdown(options=[("output", "output")], description="big picture",
                                      layout=widgets.Layout(width="260px"))
        for control in (self.edges, self.focus):  # each changes a title: redraw everything
            control.observe(lambda _: self._syncing or view.update(full=True), names="value")
        self.settings_text = widgets.Text(description="settings", layout=widgets.Layout(
            width="100%"), continuous_update=False)
        self.settings_text.observe(self._load, names="value")
        self._syncing = False
        self.sync()
        for name, control in self.bound.items():
            control.observe(lambda change, name=name: self._changed(name, change["new"]),
                            names="value")
        for name, toggle in self.features.items():
            toggle.observe(lambda _: self._features_changed(), names="value")

        b = self.bound
        self.rows = [
            widgets.HBox([self.play, self.step_button, self.reset_button, self.new_sample_button,
                          self.status]),
            widgets.HBox([b["dataset"], b["noise"], b["train_ratio"], b["batch_size"]]),
            widgets.HBox([widgets.Label("inputs"), *self.features.values()]),
            widgets.HBox([widgets.Label("hidden layers"), self.remove_layer_button,
                          self.add_layer_button, self.layers_box]),
            widgets.HBox([b["activation"], b["initializer"], b["init_std"], b["dropout"]]),
            widgets.HBox([b["optimizer"], b["learning_rate"], b["regularization"],
                          b["regularization_rate"]]),
            widgets.HBox([self.show_test, self.discretize, self.edges, self.focus]),
            self.settings_text,
        ]

    # -- from the controls to the state ------------------------------------
    def _changed(self, name, value):
        if not self._syncing:
            self.view.change(**{name: value})

    def _features_changed(self):
        chosen = tuple(name for name, toggle in self.features.items() if toggle.value)
        if self._syncing:
            return
        if not chosen:  # at least one input: switch the last one back on
            self.sync()
            return
        self.view.change(features=chosen)

    def _resize(self, action):
        if action():
            self.view.rebuild()
        self.sync()

    def _resize_layer(self, layer, delta):
        self._resize(lambda: self.view.state.resize_layer(layer, delta))

    def _load(self, change):
        if self._syncing:
            return
        try:
            settings = PlaygroundSettings.parse(change["new"])
            self.view.change(**{name: getattr(settings, name) for name in vars(settings)})
        except ValueError as error:  # shown, not raised: the text box is for anyone to type in
            self.status.value = f"<span style='color:#D55E00'>{error}</span>"

    # -- from the state to the controls -------------------------------------
    def sync(self):
        """Show the state's settings in every control (without acting on them)."""
        settings = self.view.state.settings
        self._syncing = True
        try:
            for name, control in self.bound.items():
                value = getattr(settings, name)
                if name == "regularization_rate" and value not in control.options:
                    control.options = sorted(set(control.options) | {value})
                elif name == "batch_size":
                    control.max = max(30, value)
                control.value = value
            for name, toggle in self.features.items():
                toggle.value = name in settings.features
            self.settings_text.value = str(settings)
            self._layer_buttons(settings.hidden)
        finally:
            self._syncing = False

    def _layer_buttons(self, hidden):
        self.neuron_buttons, boxes = [], []
        for layer, units in enumerate(hidden):
            minus = widgets.Button(description="-", layout=widgets.Layout(**TINY),
                                   disabled=units <= 1,
                                   tooltip=f"one neuron less in layer {layer + 1}")
            plus = widgets.Button(description="+", layout=widgets.Layout(**TINY),
                                  disabled=units >= MAX_NEURONS,
                                  tooltip=f"one neuron more in layer {layer + 1}")
            minus.on_click(lambda _, k=layer: self._resize_layer(k, -1))
            plus.on_click(lambda _, k=layer: self._resize_layer(k, +1))
            self.neuron_buttons.append((minus, plus))
            boxes.append(widgets.HBox([minus, widgets.Label(f"{units}"), plus]))
        self.layers_box.children = boxes
        focus = self.focus.value
        self.focus.options = [("output", "output")] + [
            (f"layer {layer + 1}, neuron {j + 1}", (layer, j))
            for layer, units in enumerate(hidden) for j in range(units)]
        self.focus.value = focus if focus in (v for _, v in self.focus.options) else "output"
        self.add_layer_button.disabled = len(hidden) >= MAX_LAYERS
        self.remove_layer_button.disabled = not hidden

    def show_status(self):
        """Epoch and losses (and why training paused) beside the buttons."""
        state = self.view.state
        h = state.history
        text = (f"epoch <b>{state.epoch:.0f}</b> &nbsp; test loss <b>{h['test_loss'][-1]:.3f}</b>"
                f" &nbsp; train loss <b>{h['loss'][-1]:.3f}</b>")
        if state.diverged:
            text += f"<br><span style='color:#D55E00'>{state.diverged}</span>"
        self.status.value = text
