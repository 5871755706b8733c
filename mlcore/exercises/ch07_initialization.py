"""Exercises for chapter 07: the spread of z, He's standard deviation, Glorot's uniform limit;
predictions: what a deep sigmoid stack keeps of its input, the depth at which N(0, 1) stalls, the
standard deviation that keeps a relu stack steady."""

import numpy as np

from .. import initializers
from .prediction import Prediction
from .questions import Case, Function, Mistake, Value

TITLE = "Weight initialization"

N_INPUTS = 784


def std_of_z(n=N_INPUTS, stddev=1.0):
    """std of z = sum of n weights N(0, stddev^2) times inputs all 1: sqrt(n) * stddev, exactly.

    The variances of the n independent terms add up. (tests/test_exercises.py measures it
    with the engine over 10,000 nodes.)
    """
    return float(np.sqrt(n) * stddev)


def _std(init, fan_in, fan_out=1):
    """The standard deviation a VarianceScaling initializer aims at for these fans."""
    n = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2}[init.mode]
    return float(np.sqrt(init.scale / n))


def glorot_uniform_limit(fan_in, fan_out):
    """The bound L of GlorotUniform's U(-L, L): sqrt(3 * variance)."""
    return float(np.sqrt(3.0) * _std(initializers.GlorotUniform(), fan_in, fan_out))


def questions():
    return [
        Value(
            "How wide is z?",
            "A node has 784 inputs, all equal to 1, and weights drawn from N(0, 1) (standard "
            "deviation 1). What is the standard deviation of its weighted sum z (no bias)?",
            std_of_z,
            mistakes=[Mistake("that is the variance of z (784 * 1); the standard deviation is its "
                              "square root.", value=float(N_INPUTS)),
                      Mistake("each weight has standard deviation 1, but z adds 784 of them, so "
                              "the variances add up.", value=1.0)],
            hints=["Variances of independent terms add: Var(z) = n * Var(w) when every input is 1."],
            solution="Var(z) = 784 * 1 = 784, so the standard deviation is sqrt(784) = 28: far "
                     "into the flat tails of a sigmoid.",
            solution_code="std_z = np.sqrt(784 * 1.0)",
            solution_name="std_z",
            variants=[28, 28.0, np.float32(28.0)],
        ),
        Value(
            "He's standard deviation",
            "He initialization for a relu layer with 784 inputs: what standard deviation should "
            "the weights have?",
            lambda: _std(initializers.HeNormal(), N_INPUTS), rtol=0.02,   # 0.05 and 0.051 are fair roundings
            mistakes=[Mistake("that is the variance 2/n; the standard deviation is its square root.",
                              value=2 / N_INPUTS),
                      Mistake("variance 1/n is the sigmoid/tanh choice (Xavier in the course, LeCun "
                              "in Keras); relu halves the mean square it hands on, so He doubles it to 2/n.",
                              value=np.sqrt(1 / N_INPUTS))],
            hints=["He: variance 2 / n_in."],
            solution="Variance 2/784, standard deviation sqrt(2/784) = 0.0505.",
            solution_code="std = np.sqrt(2 / 784)",
            solution_name="std",
            variants=[0.05, 0.051, 0.0505],
        ),
        Function(
            "Write glorot_uniform_limit",
            "Keras' default, glorot_uniform, draws weights from U(-L, L) with the variance "
            "2 / (fan_in + fan_out) of Glorot's paper. Write glorot_uniform_limit(fan_in, fan_out) "
            "returning L.",
            "glorot_uniform_limit", glorot_uniform_limit,
            cases=[Case(784, 10), Case(250, 250), Case(3, 5)],
            mistakes=[Mistake("the parentheses matter: the variance is 2 / (fan_in + fan_out), not "
                              "2 / fan_in + fan_out.", value=lambda i, o: np.sqrt(3 * (2 / i + o))),
                      Mistake("that is the standard deviation; U(-L, L) has variance L^2 / 3, so "
                              "L = sqrt(3 * variance).", value=lambda i, o: np.sqrt(2 / (i + o))),
                      Mistake("Glorot averages both fans; only fan_in is He's and LeCun's choice.",
                              value=lambda i, o: np.sqrt(6 / i))],
            hints=["A uniform distribution on [-L, L] has variance L^2 / 3.",
                   "Set L^2 / 3 = 2 / (fan_in + fan_out) and solve for L."],
            solution="L^2 / 3 = 2 / (fan_in + fan_out) gives L = sqrt(6 / (fan_in + fan_out)).",
            solution_code="def glorot_uniform_limit(fan_in, fan_out):\n"
                          "    return np.sqrt(6 / (fan_in + fan_out))",
            solution_name="glorot_uniform_limit",
        ),
    ]


COLLAPSE_OPTIONS = ["about 0.1", "about 0.01", "below 0.001"]
NEVER = "never (up to 6)"


def predictions():
    return [
        Prediction(
            "What one neuron of layer 10 still varies",
            "Ten sigmoid layers of 100, Glorot weights, 200 different inputs. Pooled over all its "
            "neurons, layer 10's outputs have a standard deviation of about 0.12. Take one neuron of "
            "layer 10 and look at its 200 outputs, one per input: what is their standard deviation? "
            f"One of {COLLAPSE_OPTIONS}.",
            kind="choice", options=COLLAPSE_OPTIONS,
            explain="Almost nothing: about 5e-7 on average. Each sigmoid layer multiplies the part of a "
                    "neuron's output that depends on the input by its slope, about 0.23, so after ten "
                    "layers 0.23^9 of it is left. The pooled spread survives because every neuron sits at "
                    "its own fixed level, set by the sigmoid's mean output 0.5 times its own weights: "
                    "different across neurons, the same for every input.",
        ),
        Prediction(
            "From which depth on N(0, 1) stalls",
            "Six hidden relu layers of 8 at most, weights from N(0, 1), 20 epochs on the circle. From "
            "which number of hidden layers on does at least one of the seeds 0 to 5 stall (its test loss "
            f"never gets below ln 2)? A depth 1 to 6, or {NEVER!r}.",
            kind="choice", options=[1, 2, 3, 4, 5, 6, NEVER],
            explain="From depth 5 on: depths 1 to 4 train on all six seeds, depth 5 stalls on three of "
                    "them and depth 6 on two. In every stalled run some hidden layer has switched off "
                    "for every training point, so the output no longer depends on the input; He, at the "
                    "same depths and seeds, never stalls.",
        ),
        Prediction(
            "The standard deviation that keeps ten relu layers steady",
            "Ten relu layers of 100 with weights from N(0, std^2). Which std keeps the activations' "
            "spread from drifting between layer 1 and layer 10 (the explorer's title turns green)?",
            kind="choice", options=[1.0, 0.3, 0.2, 0.14, 0.1, 0.05],
            explain="0.14 = sqrt(2/100), He's choice. Each layer multiplies E[a^2] by "
                    "100 * std^2 / 2, so any other std compounds a factor over nine layers: 0.2 grows "
                    "the spread about 20-fold, 0.1 shrinks it about 20-fold.",
        ),
    ]
