"""Save and load a model's weights as ``.npz`` (plain NumPy arrays, no pickle).

The file holds every layer's weights under ``'<layer index>/<weight name>'``
and, under ``'__layers__'``, one signature per layer (its type and weight
shapes, e.g. ``'Dense[kernel(2, 3),bias(3,)]'``), so loading into another
architecture fails with a message showing both.
"""
from pathlib import Path

import numpy as np


def layer_signature(layer):
    """``'Dense[kernel(2, 3),bias(3,)]'``: a layer's type and weight shapes."""
    shapes = ",".join(f"{n}{tuple(w.shape)}" for n, w in zip(layer.weight_names, layer.get_weights()))
    return f"{type(layer).__name__}[{shapes}]"


def save_weights(model, path):
    """Write all of ``model``'s weights (trainable or not) to the ``.npz`` file ``path``."""
    arrays = {"__layers__": np.array([layer_signature(layer) for layer in model.layers])}
    for i, layer in enumerate(model.layers):
        for name, value in zip(layer.weight_names, layer.get_weights()):
            arrays[f"{i}/{name}"] = value
    np.savez(Path(path), **arrays)


def load_weights(model, path):
    """Overwrite ``model``'s weights from a file written by :func:`save_weights`.

    Raises
    ------
    ValueError
        If the file was saved from a different architecture (layer types or
        weight shapes); the message lists both.
    """
    with np.load(Path(path), allow_pickle=False) as data:
        if "__layers__" not in data.files:
            raise ValueError(f"{model.name}.load_weights: {path} was not written by save_weights "
                             f"(it has no '__layers__' entry; it holds {data.files[:5]})")
        saved = [str(s) for s in data["__layers__"]]
        mine = [layer_signature(layer) for layer in model.layers]
        if saved != mine:
            raise ValueError(
                f"{model.name}.load_weights: the file holds a different architecture.\n"
                f"  file:  {saved}\n  model: {mine}")
        for i, layer in enumerate(model.layers):
            layer.set_weights([data[f"{i}/{name}"] for name in layer.weight_names])
