"""Exercises for chapter 07: the spread of z, He's standard deviation, Glorot's uniform limit."""

import numpy as np

from .. import initializers
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
            lambda: _std(initializers.HeNormal(), N_INPUTS), rtol=1e-3,
            mistakes=[Mistake("that is the variance 2/n; the standard deviation is its square root.",
                              value=2 / N_INPUTS),
                      Mistake("variance 1/n is the sigmoid/tanh choice (Xavier in the course, LeCun "
                              "in Keras); relu zeroes half the sums, so He doubles it to 2/n.",
                              value=np.sqrt(1 / N_INPUTS))],
            hints=["He: variance 2 / n_in."],
            solution="Variance 2/784, standard deviation sqrt(2/784) = 0.0505.",
            solution_code="std = np.sqrt(2 / 784)",
            solution_name="std",
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
