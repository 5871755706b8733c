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


def test_padding_q1_unread_columns_matches_the_engine_and_names_the_slips():
    q1 = exercises.load(10).q1
    for n, f, s in [(8, 3, 2), (8, 3, 3), (7, 3, 2), (40, 11, 4), (43, 11, 4)]:
        # a column is read if lighting it alone changes the engine's output
        read = [ops.conv2d_forward(np.eye(n)[None, [j] * f, :, None], np.ones((f, f, 1, 1)),
                                   stride=s).any() for j in range(n)]
        unread = n - 1 - max(np.flatnonzero(read))
        assert q1.reference(n, f, s) == unread and not any(read[n - unread:])
    assert q1.assess(lambda n, f, s: (n - f) % s).outcome == CORRECT
    assert "Off by one" in q1.assess(lambda n, f, s: (n - f + 1) % s).message
    assert "Not always s - 1" in q1.assess(lambda n, f, s: s - 1).message
    assert "That counts the jumps" in q1.assess(lambda n, f, s: (n - f) // s).message
    assert "The windows overlap" in q1.assess(lambda n, f, s: n - ((n - f) // s + 1) * f).message


def test_padding_q2_non_square_same_padding():
    q2 = exercises.load(10).q2
    assert q2.assess([14, 20], np.array([[1, 2], [1, 1]])).outcome == CORRECT
    assert (ops.conv2d_forward(np.zeros((1, 28, 20, 1)), np.zeros((5, 3, 1, 4)), stride=(2, 1),
                               padding="same").shape[1:3] == (14, 20))
    assert "rows are halved" in q2.assess((28, 10), ((1, 2), (1, 1))).message
    assert "after the image" in q2.assess((14, 20), ((2, 1), (1, 1))).message
    assert "Rows first" in q2.assess((20, 14), ((1, 2), (1, 1))).message
    assert "top and bottom first" in q2.assess((14, 20), ((1, 1), (1, 2))).message


def test_padding_q3_smallest_p_for_an_exact_fit():
    q3 = exercises.load(10).q3
    assert q3.assess((1, 11)).outcome == CORRECT
    assert ops.conv_output_size(32, 4, 1, 3) == 11 and (32 + 2 - 4) % 3 == 0 != (32 - 4) % 3
    assert "bad fit" in q3.assess((0, 10)).message


def test_padding_q4_names_batch_axis_channels_first_stride_and_outputs():
    q4 = exercises.load(10).q4
    assert "batch axis" in q4.assess([(None, 28, 28, 8), (None, 14, 14, 16)], [608, 2064]).message
    assert "channels last" in q4.assess([(8, 28, 28), (16, 14, 14)], [608, 2064]).message
    wrong = q4.assess([(28, 28, 8), (28, 28, 16)], [608, 14 * 14 * 16]).message
    assert "stride 2 still halves" in wrong and "outputs, not how many parameters" in wrong
    # shapes written as one 2-D array are read row by row
    assert q4.assess(np.array([[28, 28, 8], [14, 14, 16]]), [608, 2064]).outcome == CORRECT


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
