"""Exercises for chapter 13: trainable counts, the freeze-and-replace recipe, what to keep."""
from functools import lru_cache

import numpy as np

from ..layers import Conv2D, Dense
from ..model import Sequential
from ..teaching.pretrained import digits_cnn, load_digits_0to4
from .questions import Behaviour, Choice, Mistake, Value

TITLE = "Fine-tuning"


def recipe(freeze=(Conv2D,), pop=True, head_units=5, pretrained=True):
    """The chapter's recipe, with knobs for the typical slips: drop the head, add a new one,
    freeze the layers of the types in ``freeze``."""
    model = load_digits_0to4() if pretrained else digits_cnn(5)
    if pop:
        model.pop()
    for layer in model.layers:
        layer.trainable = not isinstance(layer, freeze)
    model.add(Dense(head_units, activation="softmax", name="new_head"))
    return model


def _counts(model):
    trainable = model.count_trainable_params()
    return trainable, model.count_params() - trainable


@lru_cache(maxsize=None)       # read the weights file once per session
def _pretrained_kernels():
    return tuple(layer.params["kernel"].copy() for layer in load_digits_0to4().layers
                 if isinstance(layer, Conv2D))


def _convolutions(model):
    return [layer for layer in model.layers if isinstance(layer, Conv2D)]


def _layer_types(model):
    return [type(layer).__name__ for layer in model.layers]


def follows_recipe(model):
    """None if ``model`` is the pre-trained CNN with a new 5-way head and frozen convolutions."""
    if not isinstance(model, Sequential):
        return f"expected an mlcore Sequential model, got {type(model).__name__}"
    expected = _layer_types(recipe())
    if _layer_types(model) != expected:
        return f"the layers should be {expected}, got {_layer_types(model)}"
    head = model.layers[-1]
    if head.activation.name != "softmax" or not head.trainable:
        return "the new head should be a trainable Dense(5, activation='softmax')"
    if model.layers[-2].trainable is False:
        return "keep the Dense(32) layer trainable: only the convolutions are frozen here"
    return None


def questions():
    return [
        Value(
            "Trainable and frozen",
            "Take the pre-trained digits CNN (load_digits_0to4()), replace its head by "
            "Dense(5, softmax) and freeze both Conv2D layers only. How many parameters are "
            "trainable and how many frozen? Answer (trainable, frozen).",
            lambda: _counts(recipe()),
            mistakes=[Mistake("that freezes nothing: the two convolutions' parameters should be "
                              "frozen.", value=lambda: _counts(recipe(freeze=()))),
                      Mistake("that freezes every kept layer, the Dense(32) too; here only the "
                              "convolutions are frozen.", value=lambda: _counts(recipe(freeze=(Conv2D, Dense)))),
                      Mistake("the two numbers are swapped: trainable first.",
                              value=lambda: _counts(recipe())[::-1])],
            hints=["Conv2D(8, 3) on 1 channel: 3*3*1*8 + 8; Conv2D(16, 3) on 8 channels: 3*3*8*16 + 16.",
                   "Everything else trains: the Dense(32) on 400 inputs and the new head on 32."],
            solution="Frozen: 80 + 1,168 = 1,248. Trainable: 400*32 + 32 = 12,832 plus the head's "
                     "32*5 + 5 = 165, so 12,997.",
            solution_code="frozen = (3 * 3 * 1 * 8 + 8) + (3 * 3 * 8 * 16 + 16)\n"
                          "trainable = (400 * 32 + 32) + (32 * 5 + 5)\n"
                          "counts = (trainable, frozen)",
            solution_name="counts",
        ),
        Behaviour(
            "Freeze and replace",
            "Starting from mlcore.pretrained.load_digits_0to4(), build the model for digits 5-9: "
            "remove the old head, add Dense(5, activation='softmax'), and freeze both Conv2D "
            "layers (keep Dense(32) trainable). Pass the model.",
            follows_recipe, expects="your model",
            mistakes=[Mistake("the old 0-4 head is still there: pop() it before adding the new one.",
                              when=lambda m: len(m.layers) == len(recipe().layers) + 1,
                              example=lambda: recipe(pop=False)),
                      Mistake("the digits 5-9 are 5 classes: the new head needs 5 nodes.",
                              when=lambda m: m.layers[-1].units != 5,
                              example=lambda: recipe(head_units=10)),
                      Mistake("the convolutions still train: set layer.trainable = False on both "
                              "Conv2D layers.",
                              when=lambda m: any(layer.trainable for layer in _convolutions(m)),
                              example=lambda: recipe(freeze=())),
                      Mistake("these convolutions do not hold the pre-trained weights: start from "
                              "load_digits_0to4(), not from a fresh digits_cnn().",
                              when=lambda m: not all(np.array_equal(layer.params["kernel"], kernel)
                                                     for layer, kernel in zip(_convolutions(m),
                                                                              _pretrained_kernels())),
                              example=lambda: recipe(pretrained=False))],
            hints=["model.pop() removes the last layer; model.add(...) appends one.",
                   "for layer in model.layers: if isinstance(layer, Conv2D): layer.trainable = False"],
            solution="Load, pop, freeze the convolutions, add the new head.",
            solution_code="import mlcore\nfrom mlcore import Conv2D, Dense\n"
                          "model = mlcore.pretrained.load_digits_0to4()\n"
                          "model.pop()\n"
                          "for layer in model.layers:\n"
                          "    if isinstance(layer, Conv2D):\n"
                          "        layer.trainable = False\n"
                          "model.add(Dense(5, activation='softmax'))",
            solution_name="model",
        ),
        Choice(
            "What to keep frozen with few labels",
            "You have only a handful of labelled examples of the new task. Which layers of the "
            "pre-trained network are most worth keeping frozen?",
            "the first layers",
            ["the first layers", "the last layers", "none: train from scratch"],
            mistakes=[Mistake("the last layers are the most specific to the old task; those are "
                              "the ones to replace or retrain.", value="the last layers"),
                      Mistake("with few labels, training from scratch has too little data to learn "
                              "general features; reusing them is the point of pre-training.",
                              value="none: train from scratch")],
            hints=["Which layers learn edges and strokes that any digit task needs?"],
            solution="The first layers: they learn general features (edges, strokes) that transfer. "
                     "Later layers are specific to the old classes. With plenty of labels, training "
                     "from scratch catches up.",
            solution_code="answer = 'the first layers'",
            solution_name="answer",
        ),
    ]
