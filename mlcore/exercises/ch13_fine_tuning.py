"""Exercises for chapter 13: trainable counts, the freeze-and-replace recipe, what to keep."""
from functools import lru_cache

import numpy as np

from ..layers import Conv2D, Dense
from ..model import Sequential
from ..teaching.pretrained import digits_cnn, load_digits_0to4
from .prediction import Prediction
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
            "Which layers to keep frozen",
            "You fine-tune the pre-trained digits CNN for the digits 5-9, with 25 labeled examples "
            "per digit. Which of its layers are worth keeping frozen, as section 8 measured: "
            "'the convolutions', 'the Dense(32) layer' or 'both'?",
            "the convolutions",
            ["the convolutions", "the Dense(32) layer", "both"],
            mistakes=[Mistake("freezing the Dense(32) layer as well cost more than 0.05 of test accuracy "
                              "in every run of section 8: its 32 features were shaped to separate 0-4. "
                              "The early layers hold the general features.",
                              value="the Dense(32) layer"),
                      Mistake("freezing both is feature extraction on the whole base: in section 8, "
                              "freezing the Dense(32) layer on top of the convolutions cost more than "
                              "0.05 of test accuracy in every run.", value="both")],
            hints=["Which layers respond to strokes and edges that any digit has, and which combine "
                   "them into features made for the old classes?"],
            solution="The convolutions: their edge and stroke detectors serve the digits 5-9 as well as "
                     "0-4. The Dense(32) layer is specific to the old classes; freezing it too cost "
                     "more than 0.05 of accuracy in every run.",
            solution_code="answer = 'the convolutions'",
            solution_name="answer",
        ),
    ]


def predictions():
    return [
        Prediction(
            "Fine-tuning against feature extraction",
            "Section 5 gives each strategy its own learning rate and 50 updates. With 25 labeled "
            "examples per digit, how much higher is the test accuracy of fine-tuning every layer "
            "than that of feature extraction (a new head on the frozen network), on average over "
            "the three seeds? A number: 0 means no difference, 0.1 means ten points.",
            kind="number", tolerance=0.05, bounds=(-1, 1), digits=2,
            explain="Feature extraction can only draw a new boundary on the 32 features that were "
                    "shaped to separate 0-4; fine-tuning reshapes them for 5-9.",
        ),
        Prediction(
            "Pre-trained start against random weights, with 1 label per digit",
            "With a single labeled example per digit, each strategy at its own best learning rate: "
            "on how many of the three seeds does fine-tuning every layer of the pre-trained network "
            "beat the same network trained from scratch: 'every seed', 'some seeds' or 'no seed'?",
            kind="choice", options=["every seed", "some seeds", "no seed"],
            explain="This network is small and the digits are easy: from scratch, 5 images already "
                    "give about half right. At one shared rate of 0.01 the pre-trained start wins "
                    "clearly, but only because 0.01 is too high for training from scratch on 5 images; "
                    "at its own rate, from scratch is as good, and which examples were drawn decides.",
        ),
        Prediction(
            "What freezing Dense(32) costs",
            "In the explorer at 25 labeled examples per digit, with both convolutions frozen: how "
            "much test accuracy is lost when the Dense(32) layer is frozen as well? A number, "
            "e.g. 0.3 for thirty points (0 if nothing is lost).",
            kind="number", tolerance=0.05, bounds=(-1, 1), digits=2,
            explain="Frozen, the Dense(32) layer keeps features made to separate 0-4, and the new "
                    "head alone cannot make up for them. Section 8 repeats it on four more seeds.",
        ),
    ]
