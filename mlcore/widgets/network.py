"""The weight-update animator: one training step of a Dense model, frame by frame, on its diagram.

``training_step_frames`` is the pure state (the engine's own forward,
backward and SGD update); ``WeightUpdateAnimator`` steps through it.
"""
import ipywidgets as widgets
import numpy as np

from ..layers.core import Dense
from .base.diagram import draw_network, layer_sizes_of
from .base.toolkit import format_number
from .base.view import Explorer, play_controls


# -- one training step, frame by frame ---------------------------------------
def backpropagate(model, x, y):
    """Forward pass, loss and backward pass of ``model`` on the batch ``(x, y)``.

    Afterwards the model's layers hold ``a``, ``grad_z`` and ``grads`` for
    this batch (call it on a ``twin`` to leave a learner's model alone).

    Returns
    -------
    (float, int)
        The loss (with the weight penalties) and the number of samples.
    """
    output = model.forward(x, training=True)
    y_ready, output = model.loss.prepare(y, output)
    loss = model._loss_value(y_ready, output, model.layers[-1].z)  # as fit computes it
    model._backpropagate_loss(y_ready, output, only_trainable=False)
    return loss, len(output)


def training_step_frames(model, x, y, learning_rate, sample=0):
    """The frames of one gradient-descent step of a Dense model, as the engine computes it.

    Runs the model's own forward pass, loss gradient and backward pass on
    the batch ``(x, y)``, on the model's ``twin``, and reads the teaching
    attributes the twin's layers keep (``layer.a``, ``layer.grad_z``,
    ``layer.grads['kernel']``). The update is ``mlcore.SGD(learning_rate)``
    applied to copies of the kernels, so the model is left as it was: its
    weights, and its own ``a``, ``z`` and ``grads``.

    Parameters
    ----------
    model : Sequential
        Compiled (its loss defines the gradients); weighted layers all Dense.
    x : array, shape (N, n_0)
    y : array
        Targets in the form the model's loss takes.
    learning_rate : float, > 0
    sample : int, default 0
        Which sample of the batch the node values show.

    Returns
    -------
    list of dict
        ``L + 1`` forward frames (layer 0..L, left to right), ``L`` backward
        frames (layer L..1, right to left) and one update frame, for L Dense
        layers. Each frame has

        - ``phase``: 'forward', 'backward' or 'update';
        - ``layer``: the layer index the frame is about (0 = input);
        - ``node_values``: per layer, an array (n_l,) or None (not yet
          computed): activations a^(l) going forward, dC/dz^(l) going back,
          for the chosen sample;
        - ``edge_values``: per edge layer, an array (n_l, n_{l+1}) or None:
          all the weights W in every forward frame, dC/dW (for the whole
          batch) of the layers reached so far going back (None before), the
          new weights W - lr * dC/dW in the update frame;
        - ``loss``: the loss of the batch before the update;
        - ``caption``: one line saying what the frame shows.
    """
    from ..optimizers import SGD

    layer_sizes_of(model)  # raises unless the weighted layers are all Dense
    if model.loss is None:
        raise ValueError(f"training_step_frames: compile model '{model.name}' first; its loss "
                         f"defines the gradients")
    optimizer = SGD(learning_rate=learning_rate)  # validates the learning rate
    twin = model.twin()
    loss, count = backpropagate(twin, x, y)
    if not 0 <= sample < count:
        raise ValueError(f"training_step_frames: sample must be in [0, {count}), "
                         f"got {sample!r}")
    dense = [layer for layer in twin.layers if isinstance(layer, Dense)]

    n_layers = len(dense)
    activations = [np.asarray(x, dtype=np.float64)[sample]] + \
        [layer.a[sample].astype(np.float64) for layer in dense]
    grad_z = [None] + [layer.grad_z[sample].astype(np.float64) for layer in dense]
    kernels = [layer.params["kernel"].astype(np.float64) for layer in dense]
    kernel_grads = [layer.grads["kernel"].astype(np.float64) for layer in dense]
    new_kernels = [k.copy() for k in kernels]
    optimizer.apply_gradients(list(zip(new_kernels, kernel_grads)))

    frames = []
    for l in range(n_layers + 1):
        frames.append({
            "phase": "forward", "layer": l, "loss": loss,
            "node_values": activations[:l + 1] + [None] * (n_layers - l),
            "edge_values": kernels,
            "caption": ("forward: the input x" if l == 0 else
                        f"forward: layer {l} computes z = a W + b and a = g(z)"),
        })
    for l in range(n_layers, 0, -1):
        frames.append({
            "phase": "backward", "layer": l, "loss": loss,
            "node_values": [None] * l + grad_z[l:],
            "edge_values": [None] * (l - 1) + kernel_grads[l - 1:],
            "caption": f"backward: dC/dz at layer {l} and dC/dw of the weights into it",
        })
    k, j = np.unravel_index(np.argmax(np.abs(kernel_grads[0])), kernel_grads[0].shape)
    frames.append({
        "phase": "update", "layer": n_layers, "loss": loss,
        "node_values": [None] * (n_layers + 1), "edge_values": new_kernels,
        # the course's w_jk^(l) joins node k of layer l-1 to node j of layer l: kernel[k, j];
        # like the course, nodes are counted from 0 (chapter 06: w_12^(L) = kernel[2, 1])
        "caption": (f"update: w <- w - {learning_rate:g} * dC/dw, e.g. w_{j}{k}^(1): "
                    f"{format_number(kernels[0][k, j], '{:.3f}')} -> "
                    f"{format_number(new_kernels[0][k, j], '{:.3f}')}"),
    })
    return frames


class WeightUpdateAnimator(Explorer):
    """Step through one training step of a small Dense model on its diagram.

    Forward: activations fill the nodes layer by layer, left to right.
    Backward: dC/dz fills the nodes and dC/dw colours the edges, right to
    left. Update: the edges show the new weights ``w - lr * dC/dw``. The
    button "apply update" makes that step for real and moves on to the next
    batch; the initializer picker redraws the weights from scratch.

    Parameters
    ----------
    model : Sequential
        Compiled, built, weighted layers all Dense (keep it small: <= ~10
        nodes per layer so the diagram stays readable).
    x, y : arrays
        Training samples (N, n_0) and targets in the form the loss takes.
    learning_rate : float, optional
        Default: the model optimizer's learning rate.
    batch_size : int, optional
        Samples per step; default all of ``x`` (one batch).
    """

    title = "Weight-update animator"
    INITIALIZERS = ("glorot_uniform", "glorot_normal", "he_normal", "random_normal", "zeros")
    cache_size = 0  # the frames follow the batch, which no control holds (apply moves it)

    def __init__(self, model, x, y, learning_rate=None, batch_size=None):
        super().__init__(figsize=(8, 4.2))
        self.model, self.x, self.y = model, np.asarray(x), np.asarray(y)
        self.batch_size = len(self.x) if batch_size is None else int(batch_size)
        self.batch = 0
        if learning_rate is None:
            learning_rate = getattr(model.optimizer, "learning_rate", 0.1)
        self.dense = [layer for layer in model.layers if isinstance(layer, Dense)]
        self.follow_weights(model)  # trained elsewhere: the step slider shows the new frames
        steps = len(training_step_frames(model, *self._batch(), learning_rate))  # validates too
        self.play, self.step_slider, play_box = play_controls(steps, interval=700)
        self.lr_slider = widgets.FloatLogSlider(value=learning_rate, base=10, min=-3, max=1,
                                                step=0.1, description="learning rate",
                                                readout_format=".3g")
        self.init_picker = widgets.Dropdown(options=("(current weights)",) + self.INITIALIZERS,
                                            description="initializer")
        self.apply_button = widgets.Button(description="apply update, next batch",
                                           layout=widgets.Layout(width="200px"))
        self.controls = [play_box, widgets.HBox([self.lr_slider, self.init_picker,
                                                 self.apply_button])]
        ax = self.figure.subplots()
        self.drawing = draw_network(ax, model, node_numbers=True)   # chapter 06 names nodes by index
        low, high = ax.get_ylim()
        ax.set_ylim(low - 0.5, high + 0.7)  # room for the caption above and the key below
        self.caption = ax.text(0.5, 1.0, "", transform=ax.transAxes, ha="center", va="top",
                               fontsize=10)
        self.legend = ax.text(0.5, 0.0, "", transform=ax.transAxes, ha="center", va="bottom",
                              fontsize=8, color="#444444")
        self.animate(*self.drawing.artists(), self.caption, self.legend)
        self.add_controls(show=False, learning_rate=self.lr_slider)
        self.add_controls(show=False, recompute=False, step=self.step_slider)
        self.init_picker.observe(lambda change: self.reinitialize(), names="value")
        self.apply_button.on_click(lambda button: self.apply_update())
        self.update()

    def _batch(self):
        start = self.batch * self.batch_size % len(self.x)
        index = np.arange(start, start + self.batch_size) % len(self.x)
        return self.x[index], self.y[index]

    def compute(self, learning_rate):
        """The frames of one step on the current batch, from the current weights."""
        return training_step_frames(self.model, *self._batch(), learning_rate)

    def apply_update(self):
        """Take the step (SGD on every weight, the engine's rule) and go to the next batch."""
        from ..optimizers import SGD

        twin = self.model.twin()  # shares the weights: the update below changes the model's
        backpropagate(twin, *self._batch())
        SGD(self.lr_slider.value).apply_gradients(
            [(layer.params[n], layer.grads[n]) for layer in twin.layers
             if isinstance(layer, Dense) for n in layer.params])
        self.batch += 1
        with self.quietly():
            self.step_slider.value = 0
        self.update()

    def reinitialize(self):
        """Draw fresh weights with the picked initializer (biases back to zero)."""
        from .. import initializers

        name = self.init_picker.value
        if name in self.INITIALIZERS:
            init = initializers.get(name)
            for layer in self.dense:
                kernel = layer.params["kernel"]
                kernel[...] = init(kernel.shape)
                if "bias" in layer.params:
                    layer.params["bias"][...] = 0
        self.update()

    def frame(self):
        """The frame the step slider points at."""
        return self.state[min(self.step_slider.value, len(self.state) - 1)]

    def draw(self, frames):
        frame = self.frame()
        self.drawing.set_edge_values(frame["edge_values"])
        self.drawing.set_node_values(frame["node_values"])
        self.caption.set_text(f"step {self.step_slider.value + 1}/{len(frames)} - "
                              f"{frame['caption']}\nbatch {self.batch + 1}, loss before the "
                              f"update {format_number(frame['loss'], '{:.4f}')}")
        shown = {"forward": "edges: weights w", "backward": "edges: gradients dC/dw",
                 "update": "edges: new weights"}[frame["phase"]]
        nodes = {"forward": "nodes: activations a (sample 1)",
                 "backward": "nodes: dC/dz (sample 1)", "update": ""}[frame["phase"]]
        self.legend.set_text(f"{shown} (blue +, red -, width = size)    {nodes}")

    def describe(self):
        return f"WeightUpdateAnimator: {self.frame()['caption']}"
