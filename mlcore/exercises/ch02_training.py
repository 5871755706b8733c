"""Exercises for chapter 02: updates per epoch, one SGD step, one momentum step, a learning rate that trains."""
import numpy as np

from .. import data
from ..training.callbacks import LambdaCallback
from ..layers import Dense
from ..model import Sequential
from ..optimizers import SGD, Adam
from .behaviours import loss_falls
from .prediction import Prediction
from .questions import Behaviour, Case, Function, Mistake, Value

TITLE = "Training"

_AGES, _LABELS = data.side_effects_data(n=200, seed=0)
DATA = {"x": data.minmax_scale(_AGES.reshape(-1, 1)).values, "y": _LABELS}
STEPS, REQUIRED_FALL = 50, 0.4


def _count_updates(n=2100, epochs=5):
    """Count the weight updates fit makes, with a callback, on n samples with the default batch size."""
    updates = []
    model = Sequential([Dense(2, input_shape=(1,), activation="softmax")])
    model.compile(SGD(learning_rate=0.01), loss="sparse_categorical_crossentropy")
    model.fit(np.zeros((n, 1)), np.zeros(n, dtype=int), epochs=epochs, verbose=0,
              callbacks=[LambdaCallback(on_train_batch_end=lambda batch, logs: updates.append(batch))])
    return len(updates)


def sgd_step(weights, gradient, learning_rate):
    """New weights after one plain SGD step, taken by the engine's optimizer on a copy."""
    new = np.array(weights, dtype=float)
    SGD(learning_rate=learning_rate).apply_gradients([(new, np.asarray(gradient, dtype=float))])
    return new


def momentum_step(weights, velocity, gradient, learning_rate, momentum):
    """(new weights, new velocity) after one step of the engine's SGD with momentum (Keras' form)."""
    optimizer = SGD(learning_rate=learning_rate, momentum=momentum)
    new = np.array(weights, dtype=float)
    slots = optimizer.new_slots(new)
    slots["velocity"][...] = velocity                # carry the velocity of the steps before
    optimizer.update(new, np.asarray(gradient, dtype=float), slots)
    return new, slots["velocity"]


def side_effects_model(optimizer, loss="sparse_categorical_crossentropy"):
    """The chapter's 1-16-32-2 network compiled with ``optimizer`` and ``loss``."""
    model = Sequential([Dense(16, input_shape=(1,), activation="relu"),
                        Dense(32, activation="relu"),
                        Dense(2, activation="softmax")])
    model.compile(optimizer, loss=loss)
    return model


def _learning_rate(model):
    return model.optimizer.learning_rate


LAYERS = [(16, "relu"), (32, "relu"), (2, "softmax")]


def _layers(model):
    """(units, activation) of each layer, or None for anything that is not a stack of Dense."""
    layers = getattr(model, "layers", None)
    if not layers or any(type(layer) is not Dense for layer in layers):
        return None
    return [(layer.units, getattr(layer.activation, "name", None)) for layer in layers]


def _uncompiled(model):
    return hasattr(model, "train_on_batch") and (getattr(model, "loss", None) is None
                                                 or getattr(model, "optimizer", None) is None)


def _compiled(model):
    return hasattr(model, "train_on_batch") and not _uncompiled(model)


def _compiled_alone():
    """A model that trains but is not the chapter's network: one softmax layer."""
    model = Sequential([Dense(2, input_shape=(1,), activation="softmax")])
    model.compile(SGD(learning_rate=0.5), loss="sparse_categorical_crossentropy")
    return model


def _copy_trains():
    """``loss_falls`` on a copy (same weights, a fresh optimizer of the same settings), so the
    learner's model is left untouched and running the check twice gives the same verdict."""
    falls = loss_falls(DATA["x"], DATA["y"], STEPS, REQUIRED_FALL)

    def test(model):
        if not _compiled(model):
            return falls(model)                      # its own message for these
        copy = side_effects_model(SGD(learning_rate=_learning_rate(model),
                                      momentum=model.optimizer.momentum), loss=model.loss)
        copy.set_weights(model.get_weights())
        return falls(copy)
    return test


def questions():
    return [
        Value(
            "Weight updates in 5 epochs",
            "fit uses batch_size=32 unless told otherwise, and the last batch of an epoch may be "
            "smaller. How many weight updates does fit make on 2,100 samples in 5 epochs?",
            _count_updates,
            mistakes=[Mistake("the last, smaller batch of each epoch is a batch too: round up.",
                              value=5 * (2100 // 32)),
                      Mistake("that is one epoch; fit runs 5.", value=lambda: _count_updates(epochs=1)),
                      Mistake("2100 / 32 is not a whole number of batches: count the batches, "
                              "rounding up.", value=5 * 2100 / 32),
                      Mistake("that is batch size 10, as in the chapter's fit; fit's default is 32.",
                              value=5 * 2100 // 10)],
            hints=["Batches per epoch = ceil(samples / batch size).",
                   "65 full batches of 32 hold 2,080 samples; 20 are left over."],
            solution="ceil(2100 / 32) = 66 batches per epoch (65 of 32 and one of 20), "
                     "times 5 epochs = 330 updates.",
            solution_code="import math\nupdates = 5 * math.ceil(2100 / 32)",
            solution_name="updates",
        ),
        Function(
            "Write one SGD step",
            "Write sgd_step(weights, gradient, learning_rate) that returns the new weights "
            "w - learning_rate * dC/dw (arrays of any shape; return a new array).",
            "sgd_step", sgd_step,
            cases=[Case(np.array([0.8]), np.array([2.5]), 0.01),
                   Case(np.array([[1.0, -2.0], [0.5, 0.0]]), np.array([[0.1, -0.4], [2.0, -1.0]]), 0.1),
                   Case(np.linspace(-1, 1, 5), np.linspace(3, -3, 5), 0.5)],
            mistakes=[Mistake("that steps uphill: subtract the gradient to go down the loss.",
                              value=lambda w, g, lr: w + lr * g),
                      Mistake("the learning rate is missing: the step is learning_rate * gradient.",
                              value=lambda w, g, lr: w - g),
                      Mistake("multiply the gradient by the learning rate, do not divide by it.",
                              value=lambda w, g, lr: w - g / lr)],
            hints=["new weight = old weight - learning rate * gradient, element by element."],
            solution="Subtract the learning rate times the gradient: NumPy does it for every "
                     "weight at once.",
            solution_code="def sgd_step(weights, gradient, learning_rate):\n"
                          "    return weights - learning_rate * gradient",
            solution_name="sgd_step",
        ),
        Function(
            "Write one momentum step",
            "Write momentum_step(weights, velocity, gradient, learning_rate, momentum) that "
            "returns (new_weights, new_velocity) for SGD with momentum in Keras' form: "
            "v <- momentum * v - learning_rate * gradient, then w <- w + v.",
            "momentum_step", momentum_step,
            cases=[Case(np.array([0.8]), np.array([0.0]), np.array([2.5]), 0.1, 0.9),
                   Case(np.array([1.0, -2.0]), np.array([-0.3, 0.2]), np.array([0.5, -1.0]), 0.1, 0.9),
                   Case(np.linspace(-1, 1, 4), np.linspace(0.1, -0.1, 4), np.ones(4), 0.05, 0.5)],
            mistakes=[Mistake("the old velocity must shrink by the momentum factor before the "
                              "new gradient is added: v <- momentum * v - learning_rate * gradient.",
                              value=lambda w, v, g, lr, mu: (w + v - lr * g, v - lr * g)),
                      Mistake("the velocity points downhill: subtract learning_rate * gradient, "
                              "do not add it.",
                              value=lambda w, v, g, lr, mu: (w + mu * v + lr * g, mu * v + lr * g)),
                      Mistake("the learning rate is missing from the velocity: in Keras' form v "
                              "carries whole steps, v <- momentum * v - learning_rate * gradient.",
                              value=lambda w, v, g, lr, mu: (w + mu * v - g, mu * v - g)),
                      Mistake("that is PyTorch's form (b <- momentum * b + gradient, w <- w - lr * b): "
                              "the weights agree, but Keras' velocity is v = -lr * b, a whole step.",
                              value=lambda w, v, g, lr, mu: (w - lr * (mu * v + g), mu * v + g)),
                      Mistake("the order is (new_weights, new_velocity): you returned them swapped.",
                              value=lambda w, v, g, lr, mu: (mu * v - lr * g, w + mu * v - lr * g))],
            hints=["Update the velocity first, then add it to the weights.",
                   "With velocity 0 the first step is the plain SGD step."],
            solution="The velocity keeps a decaying sum of past steps; the weights move by it. "
                     "(PyTorch keeps b <- momentum * b + gradient and steps w <- w - lr * b: the "
                     "same path for a constant learning rate, with v = -lr * b.)",
            solution_code="def momentum_step(weights, velocity, gradient, learning_rate, momentum):\n"
                          "    velocity = momentum * velocity - learning_rate * gradient\n"
                          "    return weights + velocity, velocity",
            solution_name="momentum_step",
        ),
        Behaviour(
            "Pick a learning rate that trains",
            f"Build the chapter's 1-16-32-2 network (relu, relu, softmax) for the drug data, "
            f"compile it with SGD(learning_rate=...) of your choice and "
            f"loss='sparse_categorical_crossentropy', and pass the model. The check trains it for "
            f"{STEPS} full-batch steps on ex.data['x'], ex.data['y'] (200 patients) and expects the "
            f"loss to fall by at least {REQUIRED_FALL:.0%}.",
            _copy_trains(), expects="your compiled model",
            # Compiled first, then the network, then the optimizer (Adam(0.01) would otherwise
            # hear that 0.01 is too small), then its rate.
            mistakes=[Mistake("compile the model first: model.compile(SGD(learning_rate=...), "
                              "loss='sparse_categorical_crossentropy').", when=_uncompiled,
                              example=lambda: Sequential([Dense(2, input_shape=(1,),
                                                                activation="softmax")])),
                      Mistake("that is not the chapter's network: it has Dense layers of 16 (relu), "
                              "32 (relu) and 2 (softmax) units, in that order.",
                              when=lambda m: hasattr(m, "train_on_batch") and _layers(m) != LAYERS,
                              example=lambda: _compiled_alone()),
                      Mistake("use plain SGD here: the exercise is about its learning rate.",
                              when=lambda m: _compiled(m) and type(m.optimizer) is not SGD,
                              example=lambda: side_effects_model(Adam(learning_rate=0.01))),
                      Mistake("that learning rate is too small: 50 steps barely move the weights.",
                              when=lambda m: _compiled(m) and _learning_rate(m) <= 0.02,
                              example=lambda: side_effects_model(SGD(learning_rate=0.001))),
                      Mistake("that learning rate is too large: the first steps throw the loss up, and "
                              "then this network gives every patient the same 50/50 answer (loss "
                              "ln 2 = 0.693) or a saturated one, and stops learning.",
                              when=lambda m: _compiled(m) and _learning_rate(m) >= 2,
                              example=lambda: side_effects_model(SGD(learning_rate=10.0)))],
            hints=["Try learning rates a factor of 10 apart: 0.01, 0.1, 1, 10.",
                   "This small network on scaled ages tolerates a larger step than Keras' default 0.01."],
            solution="A learning rate between about 0.3 and 1 cuts the loss by more than 40 % in "
                     "50 steps (measured over 4 seeds); 0.1 is still too slow, 1.5 passes on some seeds only, "
                     "and at 2 or more the loss jumps up and then sticks at a constant answer.",
            solution_code="import mlcore\nfrom mlcore import Sequential, Dense, SGD\n"
                          "mlcore.set_seed(0)\n"
                          "model = Sequential([Dense(16, input_shape=(1,), activation='relu'),\n"
                          "                    Dense(32, activation='relu'),\n"
                          "                    Dense(2, activation='softmax')])\n"
                          "model.compile(SGD(learning_rate=0.5), loss='sparse_categorical_crossentropy')",
            solution_name="model",
        ),
    ]


def predictions():
    return [
        Prediction(
            "The largest rate that does not diverge on w squared",
            "Gradient descent on L(w) = w^2 from w = 2.5 for 30 steps. What is the largest learning rate "
            "at which it does not diverge (w does not run away from the minimum)?",
            kind="number", tolerance=0.05, bounds=(0, None),
            explain="Each step multiplies w by 1 - 2*lr. Below lr = 0.5 the factor is positive: w walks "
                    "down one side. Between 0.5 and 1 it is negative but smaller than 1 in size: every step "
                    "overshoots, jumping across the minimum, and |w| still shrinks, so descent converges "
                    "while it oscillates. At 1 the factor is -1 (w bounces between 2.5 and -2.5 for ever), "
                    "and past 1 |w| grows: divergence. The limit is 2 / curvature, with curvature 2 for w^2.",
        ),
        Prediction(
            "The largest safe rate in the narrow valley",
            "On the valley L = 0.02 w1^2 + 2 w2^2, what is the largest learning rate at which descent "
            "does not diverge?",
            kind="number", tolerance=0.06, bounds=(0, None),
            explain="The steep direction w2 has curvature 4, so each step multiplies w2 by 1 - 4*lr: past "
                    "lr = 0.5 = 2/4 that factor is below -1 and w2 grows. The flat direction (curvature 0.04) "
                    "would tolerate 50 but gets no say: the steepest direction sets the largest safe rate for "
                    "all weights, and at 0.49 w1 has moved only from -2.7 to -1.49 in 30 steps.",
        ),
        Prediction(
            "Which learning rate makes the Playground stop",
            "Twenty epochs on the circle at learning rates 0.001, 0.3, 3 and 10. At which one does the "
            "Playground stop by itself with a 'diverged' message?",
            kind="choice", options=[0.001, 0.3, 3, 10],
            explain="10 diverges: within a few epochs the loss shoots far above where it started, and the "
                    "Playground stops rather than train on nonsense. 0.001 crawls (the loss stays near "
                    "ln 2 = 0.69, a coin toss), 0.3 learns (the lowest loss on every seed), and 3 is too large: "
                    "the loss jumps around, and over its last 10 epochs it stays more than 0.25 above 0.3's on the "
                    "same seed.",
        ),
        Prediction(
            "The smoothest batch size",
            "200 updates with batch size 1, 10 or 200: which one draws the smoothest whole-set loss curve?",
            kind="choice", options=[1, 10, 200],
            explain="A batch's gradient estimates the gradient over all data; the more samples, the better the "
                    "estimate and the smaller the jumps. Batch size 200 (all patients) is smoothest but reads "
                    "200 epochs of data for its 200 updates; batch size 1 reads one epoch and zigzags the most.",
        ),
        Prediction(
            "The best momentum in the valley",
            "The valley L = 0.02 w1^2 + 2 w2^2 at learning rate 0.5, 30 steps: which momentum "
            "(0 to 0.95) gives the lowest loss?",
            kind="number", tolerance=0.05, bounds=(0, 0.99),
            explain="At 0.5 plain descent bounces across the valley for ever (the factor on w2 is -1). "
                    "Momentum adds up the steps along the flat floor, where the gradients agree, and cancels "
                    "the ones across it, where they alternate: 0.75 is best, and the optimum is sharp (0.7 and "
                    "0.8 end several times higher). Too much (0.95) swings past the minimum in a slow spiral.",
        ),
        Prediction(
            "Epochs to a loss of 0.2 with momentum",
            "Plain SGD at learning rate 0.01 does not bring the circle's train loss below 0.2 within 40 "
            "epochs. How many epochs will SGD with momentum 0.9 need (averaged over three seeds)?",
            kind="number", tolerance=8, bounds=(0, None),
            explain=lambda epochs: f"Momentum needs {epochs:.0f} epochs on average, Adam about as many, and "
                                   "plain SGD at a 10 times larger rate (0.1) about as many too. Momentum's "
                                   "steps add up to about 10 times the plain step where the gradient keeps "
                                   "its direction (1 + 0.9 + 0.9^2 + ... = 10). Adam's cause is another: it "
                                   "divides by the root of the squared gradient's running mean, so each step "
                                   "is about the learning rate, while plain SGD's is the rate times a "
                                   "gradient and shrinks with it.",
        ),
    ]
