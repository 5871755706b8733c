"""Exercises for chapter 06: one weight's three factors, the sum over j, a layer's backward pass."""
import numpy as np

from ..backend import float_precision
from ..layers import Dense
from ..model import Sequential
from .prediction import Prediction
from .questions import Case, Function, Mistake, Value

TITLE = "The mathematics of backpropagation"

# Layer L-1 has 3 nodes, layer L has 2 sigmoid nodes, no biases (the chapter's notation).
A_PREV = np.array([[0.2, 0.9, 0.4]])
KERNEL = np.array([[0.5, -0.3], [-1.2, 0.8], [0.7, 0.1]])     # kernel[k, j] = w_jk^(L)
Y = np.array([[1.0, 0.0]])
DATA = {"a_prev": A_PREV, "kernel": KERNEL, "y": Y}


def _sigmoid_layer(kernel):
    layer = Dense(kernel.shape[1], input_shape=(kernel.shape[0],), activation="sigmoid",
                  use_bias=False)
    Sequential([layer]).set_weights([kernel])
    return layer


def sigmoid_dense_backward(a_prev, kernel, grad_a):
    """(dC/dkernel, dC/da_prev) from the engine's Dense(sigmoid, use_bias=False), in float64."""
    with float_precision("float64"):
        layer = _sigmoid_layer(np.asarray(kernel, dtype=float))
        layer.forward(np.asarray(a_prev, dtype=float))
        grad_prev = layer.backward(np.asarray(grad_a, dtype=float))
        return layer.grads["kernel"].copy(), grad_prev


def _kernel_gradient(grad_a=None):
    """dC0/dw_jk^(L) for C0 = sum_j (a_j - y_j)^2 on the sample above, from the engine."""
    with float_precision("float64"):
        layer = _sigmoid_layer(KERNEL)
        a = layer.forward(A_PREV)
        layer.backward(2 * (a - Y) if grad_a is None else grad_a(a))
        return layer.grads["kernel"].copy()


def _identity_backward(a_prev, kernel, grad_a):
    return a_prev.T @ grad_a, grad_a @ kernel.T


def _transposed_backward(a_prev, kernel, grad_a):
    grad_kernel, grad_prev = sigmoid_dense_backward(a_prev, kernel, grad_a)
    z = a_prev @ kernel
    delta = grad_a * (1 / (1 + np.exp(-z))) * (1 - 1 / (1 + np.exp(-z)))
    return grad_kernel.T, delta @ kernel


def questions():
    return [
        Value(
            "dC0/dw_12^(L) from three factors",
            "Layer L-1 outputs a^(L-1) = ex.data['a_prev'] = [0.2, 0.9, 0.4]; layer L has two "
            "sigmoid nodes, no biases, kernel ex.data['kernel'] (kernel[k, j] = w_jk^(L)), and the "
            "target is y = [1, 0]. With C0 = sum_j (a_j^(L) - y_j)^2, what is dC0/dw_12^(L), the "
            "weight from node 2 of layer L-1 to node 1 of layer L? Nodes are counted from 0, as in "
            "the chapter, so y_1 = 0. (4 significant digits are enough.)",
            lambda: float(_kernel_gradient()[2, 1]), rtol=5e-3,   # 0.118 or 0.119: fair roundings
            mistakes=[Mistake("the middle factor is missing: multiply by g'(z_1^(L)), the sigmoid's "
                              "slope, which is sigmoid(z)(1 - sigmoid(z)).",
                              value=lambda: float(_kernel_gradient(lambda a: 2 * (a - Y) / (a * (1 - a)))[2, 1])),
                      Mistake("the first factor is 2(a_1 - y_1): the derivative of a square brings "
                              "a 2.", value=lambda: float(_kernel_gradient()[2, 1]) / 2),
                      Mistake("the last factor is the activation the weight multiplies: a_2^(L-1), "
                              "not a_1^(L-1).", value=lambda: float(_kernel_gradient()[1, 1]))],
            hints=["z_1 = sum_k kernel[k, 1] * a_prev[k]; a_1 = sigmoid(z_1).",
                   "dC0/dw_12 = 2 (a_1 - y_1) * a_1 (1 - a_1) * a_prev[2]."],
            solution="z_1 = sum_k w_1k a_k, a_1 = sigmoid(z_1); the product 2(a_1 - y_1) · "
                     "a_1(1 - a_1) · a_2^(L-1).",
            solution_code="a_prev, kernel = ex.data['a_prev'][0], ex.data['kernel']\n"
                          "z_1 = a_prev @ kernel[:, 1]\n"
                          "a_1 = 1 / (1 + np.exp(-z_1))\n"
                          "gradient = 2 * (a_1 - 0.0) * a_1 * (1 - a_1) * a_prev[2]",
            solution_name="gradient",
            variants=[0.118, 0.119, 0.1185],
        ),
        Value(
            "How many terms in dC0/da_3^(L-2)?",
            "In the chapter's network (layers of 5, 6 and 4 sigmoid nodes), section 5 wrote "
            "dC0/da_2^(L-1) as a sum over the nodes j of layer L. One layer further back, "
            "dC0/da_3^(L-2) is a sum too. How many terms does it have?",
            lambda: Sequential([Dense(5, input_shape=(3,)), Dense(6), Dense(4)]).layers[-2].units,
            mistakes=[Mistake("that is the size of layer L-2 itself; the sum runs over the nodes "
                              "that a_3^(L-2) feeds, those of layer L-1.", value=5),
                      Mistake("that is the output layer; a_3^(L-2) feeds the nodes of the layer "
                              "right after it, layer L-1.", value=4),
                      Mistake("a_3^(L-2) feeds EVERY node of layer L-1, so each contributes a path "
                              "to the loss.", value=1)],
            hints=["Which nodes does a_3^(L-2) send its value to?"],
            solution="6: one term per node of layer L-1, since a_3^(L-2) feeds all six, and each "
                     "path adds to the loss (each term is delta_j^(L-1) w_j3^(L-1)).",
            solution_code="terms = 6",
            solution_name="terms",
        ),
        Function(
            "Write the backward pass of a sigmoid layer",
            "Write sigmoid_dense_backward(a_prev, kernel, grad_a) for a Dense sigmoid layer without "
            "bias, on a batch: a_prev (N, n_in), kernel (n_in, n_out), grad_a = dC/da (N, n_out). "
            "Return (dC/dkernel, dC/da_prev), shapes (n_in, n_out) and (N, n_in). Compute "
            "z = a_prev @ kernel yourself.",
            "sigmoid_dense_backward", sigmoid_dense_backward,
            cases=[Case(np.array([[0.5, -1.0], [2.0, 0.3]]), np.array([[0.4, -0.6], [1.1, 0.2]]),
                        np.array([[1.0, -0.5], [0.3, 0.8]])),
                   Case(A_PREV, KERNEL, np.array([[0.6, -0.9]])),
                   Case(np.arange(12.0).reshape(4, 3) / 10, KERNEL, np.ones((4, 2)))],
            rtol=1e-6, atol=1e-9,
            mistakes=[Mistake("the sigmoid's slope is missing: delta = grad_a * a * (1 - a), "
                              "with a = sigmoid(z), before both products.", value=_identity_backward),
                      Mistake("both results are transposed: dC/dkernel = a_prev.T @ delta and "
                              "dC/da_prev = delta @ kernel.T.", value=_transposed_backward)],
            hints=["delta = dC/dz = grad_a * a * (1 - a).",
                   "dC/dkernel = a_prev.T @ delta (sums over the batch); dC/da_prev = delta @ kernel.T."],
            solution="First the slope: delta = grad_a * a(1 - a). Then two matrix products, the "
                     "first summing over the samples, the second over the layer's nodes.",
            solution_code="def sigmoid_dense_backward(a_prev, kernel, grad_a):\n"
                          "    a = 1 / (1 + np.exp(-(a_prev @ kernel)))\n"
                          "    delta = grad_a * a * (1 - a)\n"
                          "    return a_prev.T @ delta, delta @ kernel.T",
            solution_name="sigmoid_dense_backward",
        ),
    ]


BIAS_OPTIONS = ["delta_j", "delta_j * a_k", "1"]


def predictions():
    return [
        Prediction(
            "The gradient of a bias",
            "Give node j a bias: z_j = sum_k w_jk a_k + b_j. With delta_j = dC0/dz_j as in section 6, "
            f"what is dC0/db_j? One of {BIAS_OPTIONS}.",
            kind="choice", options=BIAS_OPTIONS,
            explain="delta_j: b_j enters z_j with the factor 1 (the local gradient dz_j/db_j = 1), so "
                    "the upstream gradient delta_j passes through unchanged. A weight's local gradient "
                    "is its input a_k, which is why dC0/dw_jk = delta_j * a_k.",
        ),
        Prediction(
            "Which way w_12^(L) moves",
            "In the animator's update frame, does w_12^(L) (from node 2 of layer L-1 to output node 1) "
            "go 'up' or 'down'?",
            kind="choice", options=["up", "down"],
            explain="Up: its gradient dC/dw_12^(L) is negative, and the update moves every weight against "
                    "its gradient, by learning rate times the gradient's size.",
        ),
    ]
