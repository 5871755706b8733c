"""Chapters 10 and 11: feedback a learner needs that the generic exercise tests cannot name."""
import numpy as np

from mlcore import exercises, ops
from mlcore.exercises.feedback import CORRECT, INCORRECT


def test_padding_q4_second_layer_built_on_the_image_channels_names_c_in_8():
    q4 = exercises.load(10).q4
    shapes = [(28, 28, 8), (14, 14, 16)]
    feedback = q4.assess(shapes, [608, 4 * 4 * 3 * 16 + 16])     # 784: C_in = 3 in layer 2
    assert feedback.outcome == INCORRECT and "C_in = 8" in feedback.message
    assert q4.assess(shapes, (608, 2064)).outcome == CORRECT


def test_pooling_q4_gradient_through_overlapping_windows():
    q4 = exercises.load(11).q4
    right = [[0, 1, 0, 0], [0, 0, 0, 0], [1, 0, 0, 0], [0, 0, 2, 0]]   # a list, not an array
    assert q4.assess(right).outcome == CORRECT
    once = np.array(right, dtype=float)
    once[3, 2] = 1                                                    # the double winner counted once
    feedback = q4.assess(once)
    assert feedback.outcome == INCORRECT and "add up" in feedback.message
    spread = ops.average_pool2d_backward(np.ones((1, 2, 2, 1)), (1, 4, 4, 1), 3, 1)[0, :, :, 0]
    assert "average pooling" in q4.assess(spread).message
