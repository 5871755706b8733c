"""Weight penalties added to the loss.

mlcore follows Keras' convention: ``l2(0.01)`` adds ``0.01 * sum(w**2)`` to
the loss, with no 1/2 and no 1/m. The textbook form ``lambda / (2m) * sum(w**2)``
is the same penalty with ``l2(lambda / (2 * m))``.
"""
import numpy as np

from .arguments import check_number, lookup, valid_names


class Regularizer:
    """``penalty(w)`` is added to the loss; ``gradient(w)`` to dC/dw."""

    def penalty(self, w):
        raise NotImplementedError

    def gradient(self, w):
        raise NotImplementedError


class L1L2(Regularizer):
    """penalty = l1 * sum|w| + l2 * sum(w^2).

    Parameters
    ----------
    l1, l2 : float
        Non-negative strengths.
    """

    def __init__(self, l1=0.0, l2=0.0):
        self.l1, self.l2 = (check_number("regularizer", what, value, 0)
                            for what, value in (("l1", l1), ("l2", l2)))

    def penalty(self, w):
        total = 0.0
        if self.l1:
            total += self.l1 * float(np.abs(w).sum())
        if self.l2:
            total += self.l2 * float((w * w).sum())
        return total

    def gradient(self, w):
        grad = np.zeros_like(w)
        if self.l1:
            grad += self.l1 * np.sign(w)
        if self.l2:
            grad += 2 * self.l2 * w
        return grad

    def __repr__(self):
        return f"L1L2(l1={self.l1}, l2={self.l2})"


def l1(l1=0.01):
    """Lasso penalty ``l1 * sum|w|`` (Keras' default strength 0.01)."""
    return L1L2(l1=l1)


def l2(l2=0.01):
    """Weight-decay penalty ``l2 * sum(w^2)`` (Keras' default strength 0.01)."""
    return L1L2(l2=l2)


def l1_l2(l1=0.01, l2=0.01):
    """Both penalties."""
    return L1L2(l1=l1, l2=l2)


_FACTORIES = {"l1": l1, "l2": l2, "l1_l2": l1_l2}


def get(identifier):
    """Return a regularizer for None, a name ('l1', 'l2', 'l1_l2'), a class or an instance.

    Names give Keras' default strength 0.01; the class ``L1L2`` gives no penalty.
    """
    if identifier is None:
        return None
    return lookup("regularizer", identifier, _FACTORIES, Regularizer)
