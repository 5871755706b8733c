"""The Playground's controls: run buttons, data, inputs, network and training settings.

Every settings control is linked (``widgets.link``) to one trait of the
view's ``SettingsTraits``: moving it sets the trait, and setting the trait
(a pasted settings string, ``pg.traits.noise = 0.2``) moves it. The +/-
buttons and the input toggles set ``hidden`` and ``features``; the neuron
buttons of a layer are made when the layer appears and closed when it goes.
"""
import math

import ipywidgets as widgets
from traitlets import TraitError, validate

from ...data.planar import PLANAR_SETS
from .settings import (ACTIVATIONS, FEATURES, INITIALIZERS, MAX_LAYERS, MAX_NEURONS, OPTIMIZERS,
                       REGULARIZATIONS, PlaygroundSettings)

RATES = (0.0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)  # Playground's penalty rates
SHORT = widgets.Layout(width="auto")
TINY = dict(width="30px", padding="0")  # the one-character +/- buttons


def _slider(kind, description, **options):
    return kind(description=description, continuous_update=False,
                style={"description_width": "initial"}, layout=widgets.Layout(width="280px"),
                **options)


class InputToggle(widgets.ToggleButton):
    """A toggle that stays on while disabled: the network keeps at least one input."""

    @validate("value")
    def _stay_on(self, proposal):
        return proposal["value"] or self.disabled


class LayerButtons:
    """One hidden layer's row: remove a neuron, the count, add a neuron."""

    def __init__(self, layer, on_resize):
        self.minus = widgets.Button(description="-", layout=widgets.Layout(**TINY),
                                    tooltip=f"one neuron less in layer {layer + 1}")
        self.plus = widgets.Button(description="+", layout=widgets.Layout(**TINY),
                                   tooltip=f"one neuron more in layer {layer + 1}")
        self.count = widgets.Label()
        self.minus.on_click(lambda _: on_resize(layer, -1))
        self.plus.on_click(lambda _: on_resize(layer, +1))
        self.box = widgets.HBox([self.minus, self.count, self.plus])

    def show(self, units):
        self.count.value = f"{units}"
        self.minus.disabled, self.plus.disabled = units <= 1, units >= MAX_NEURONS

    def close(self):
        """Close the buttons, the count and the box, with their layouts and styles
        (each is a widget of its own, with a comm to the browser)."""
        for widget in (self.minus, self.count, self.plus, self.box):
            for part in (widget, widget.layout, getattr(widget, "style", None)):
                if part is not None:
                    part.close()


class PlaygroundControls:
    """The widgets of one Playground view, laid out in ``rows``.

    Parameters
    ----------
    view : Playground
        Its ``traits`` (the settings) are linked to the controls; its
        ``tick``, ``step`` and ``reset`` are the run buttons' actions.

    Attributes
    ----------
    play : ipywidgets.Play
        Each tick of its value trains one epoch (``Playground.tick``).
    step_button, reset_button, new_sample_button : Button
    bound : dict
        Settings field -> the control linked to it.
    features : dict
        Feature name -> its ToggleButton (the last one on is disabled).
    add_layer_button, remove_layer_button : Button
    layer_buttons : list of LayerButtons
        Per hidden layer: ``minus`` and ``plus`` a neuron, and the ``count``.
    show_test, discretize : Checkbox
    edges : Dropdown
        What the edges show: the weights w, or dC/dw of the last batch.
    focus : Dropdown
        What the big picture shows: 'output', or (layer, neuron) of a hidden
        neuron (0-based), as Playground shows a neuron you hover over.
        These four choose how the picture is drawn (not settings of the experiment).
    settings_text : Text
        The settings string; edit it (or paste one) to load that experiment.
    status : HTML
        Epoch, losses, and the divergence message if any.
    """

    def __init__(self, view):
        self.view = view
        traits = self.traits = view.traits
        self.play = widgets.Play(value=0, min=0, max=10 ** 7, step=1, interval=view.tick_ms,
                                 show_repeat=False, description="play")
        self.play.observe(view.tick, names="value")
        self.step_button = widgets.Button(description="one epoch", layout=SHORT)
        self.reset_button = widgets.Button(description="reset", layout=SHORT)
        self.new_sample_button = widgets.Button(description="new sample", layout=SHORT,
                                                tooltip="the next seed: new data, new weights")
        self.step_button.on_click(lambda _: view.step())
        self.reset_button.on_click(lambda _: view.reset())
        self.new_sample_button.on_click(lambda _: setattr(traits, "seed", traits.seed + 1))
        self.status = widgets.HTML()

        self.bound = {
            "dataset": widgets.Dropdown(
                options=PLANAR_SETS + (("custom",) if traits.custom else ()),
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
        # A value from a settings string may lie beyond a control's range: widen the range
        # first (observers run in the order registered: this one before the links).
        traits.observe(self._widen, names=["batch_size", "init_std", "regularization_rate"])
        self._widen()
        for name, control in self.bound.items():
            widgets.link((traits, name), (control, "value"))

        self.features = {}
        for name, (label, _) in FEATURES.items():
            toggle = self.features[name] = InputToggle(description=label, layout=SHORT)
            # disabled before value: a toggle switched off is never still the locked one
            widgets.dlink((traits, "features"), (toggle, "disabled"),
                          transform=lambda chosen, name=name: chosen == (name,))
            widgets.link((traits, "features"), (toggle, "value"), transform=(
                lambda chosen, name=name: name in chosen,
                lambda on, name=name: self._toggled(name, on)))

        self.add_layer_button = widgets.Button(description="+ layer", layout=SHORT)
        self.remove_layer_button = widgets.Button(description="- layer", layout=SHORT)
        self.add_layer_button.on_click(lambda _: self._set_hidden(traits.hidden + (2,)))
        self.remove_layer_button.on_click(lambda _: self._set_hidden(traits.hidden[:-1]))
        self.layer_buttons, self.layers_box = [], widgets.HBox()
        self.focus = widgets.Dropdown(options=[("output", "output")], description="big picture",
                                      layout=widgets.Layout(width="260px"))
        traits.observe(self._show_layers, names="hidden")
        self._show_layers()

        self.show_test = widgets.Checkbox(value=True, description="show test data", indent=False,
                                          layout=SHORT)
        self.discretize = widgets.Checkbox(value=False, description="discretize output",
                                           indent=False, layout=SHORT)
        self.edges = widgets.Dropdown(options=[("weights w", "weights"),
                                               ("gradients dC/dw", "gradients")],
                                      description="edges show",
                                      layout=widgets.Layout(width="240px"))
        self.settings_text = widgets.Text(value=view.settings, description="settings",
                                          layout=widgets.Layout(width="100%"),
                                          continuous_update=False)
        self.settings_text.observe(self._load, names="value")
        traits.observe(self._show_settings)

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

    # -- from the controls to the settings ----------------------------------
    def _toggled(self, name, on):
        """The features after switching ``name`` on or off (the settings put them in order)."""
        return tuple(f for f in FEATURES if (f == name and on)
                     or (f != name and f in self.traits.features))

    def _set_hidden(self, hidden):
        try:
            self.traits.hidden = hidden
        except TraitError:  # a 7th layer, a 9th neuron: the button is disabled there anyway
            pass

    def _resize_layer(self, layer, delta):
        hidden = list(self.traits.hidden)
        hidden[layer] += delta
        self._set_hidden(tuple(hidden))

    def _load(self, change):
        try:
            settings = PlaygroundSettings.parse(change["new"])
            if settings == self.traits.record():
                return  # the text showing the current settings
            with self.view.quietly():  # one update for all the fields that changed
                self.traits.set_values(**vars(settings))
        except (ValueError, TraitError) as error:  # shown, not raised: anyone may type here
            self.status.value = f"<span style='color:#D55E00'>{error}</span>"
            return
        self.view.update()

    # -- from the settings to the controls -----------------------------------
    def _widen(self, change=None):
        traits, bound = self.traits, self.bound
        bound["batch_size"].max = max(30, traits.batch_size)
        std = bound["init_std"]
        exponent = math.log10(traits.init_std)
        std.min, std.max = min(-2, exponent), max(1, exponent)
        rate = bound["regularization_rate"]
        if traits.regularization_rate not in rate.options:
            rate.options = sorted(set(rate.options) | {traits.regularization_rate})

    def _show_layers(self, change=None):
        """Buttons for new layers, closed for removed ones; counts; the big-picture menu."""
        hidden = self.traits.hidden
        for row in self.layer_buttons[len(hidden):]:
            row.close()
        del self.layer_buttons[len(hidden):]
        for layer in range(len(self.layer_buttons), len(hidden)):
            self.layer_buttons.append(LayerButtons(layer, self._resize_layer))
        for row, units in zip(self.layer_buttons, hidden):
            row.show(units)
        self.layers_box.children = [row.box for row in self.layer_buttons]
        self.add_layer_button.disabled = len(hidden) >= MAX_LAYERS
        self.remove_layer_button.disabled = not hidden
        options = [("output", "output")] + [
            (f"layer {layer + 1}, neuron {j + 1}", (layer, j))
            for layer, units in enumerate(hidden) for j in range(units)]
        focus = self.focus.value
        with self.view.quietly():  # the view redraws once the network follows
            self.focus.options = options
            self.focus.value = focus if focus in (value for _, value in options) else "output"

    def _show_settings(self, change):
        self.settings_text.value = str(self.traits.record())

    def show_status(self):
        """Epoch and losses (and why training paused) beside the buttons."""
        state = self.view.state
        h = state.history
        text = (f"epoch <b>{state.epoch:.0f}</b> &nbsp; test loss <b>{h['test_loss'][-1]:.3f}</b>"
                f" &nbsp; train loss <b>{h['loss'][-1]:.3f}</b>")
        if state.diverged:
            text += f"<br><span style='color:#D55E00'>{state.diverged}</span>"
        self.status.value = text
