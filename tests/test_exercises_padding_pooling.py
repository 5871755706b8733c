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


def test_pooling_names_the_likeliest_slips():
    ex = exercises.load(11)
    course_grid = np.array([[1, 9, 3, 4], [5, 2, 8, 1], [6, 1, 2, 5], [3, 4, 4, 1]], float)
    assert "chapter's grid" in ex.q1.assess([[9, 8], [6, 5]]).message        # section 1's grid
    assert ex.q1.assess(np.array([[7, 6], [8, 9]])).outcome == CORRECT

    def zero_start(x, size):                                                 # max starts at 0
        rows, cols = x.shape[0] // size, x.shape[1] // size
        return np.array([[max(0, x[i * size:(i + 1) * size, j * size:(j + 1) * size].max())
                          for j in range(cols)] for i in range(rows)])

    def partial_windows(x, size):                                            # ceil, not floor
        rows, cols = -(-x.shape[0] // size), -(-x.shape[1] // size)
        return np.array([[x[i * size:(i + 1) * size, j * size:(j + 1) * size].max()
                          for j in range(cols)] for i in range(rows)])

    assert "starts at 0" in ex.q2.assess(zero_start).message
    assert "partial windows" in ex.q2.assess(partial_windows).message
    assert "one bias per node" in ex.q3.assess(263).message
    assert ex.q3.assess(265.0).outcome == CORRECT
    assert "75" not in " ".join(ex.q3.hints)                                 # hints leave the sum to the learner
    to_course = ops.max_pool2d_backward(np.ones((1, 2, 2, 1)), ops.max_pool2d_forward(
        course_grid[None, :, :, None], 3, 1)[1], (1, 4, 4, 1), 3, 1)[0, :, :, 0]
    assert "chapter's grid" in ex.q4.assess(to_course).message
    assert "3 filters" in ex.q3.assess(215).message                        # the first conv's 2 maps flattened
    right = np.zeros((4, 4)); right[2, 0] = right[0, 1] = 1; right[3, 2] = 2
    assert "swapped" in ex.q4.assess(right.T).message


def test_pooling_predictions_take_fair_forms_of_an_answer():
    ex = exercises.load(11)
    for guess in ([3, 4], (4, 3), "3, 4", "4 and 3", "3 and 4", "three and four", "f=3 and f=4",
                  "3x3 and 4x4"):
        assert ex.p2.read(guess) == ((3, 4), None), guess
    for guess in ("Top right", "top-right", "the top-right"):
        assert ex.p5.read(guess) == ("top-right", None), guess
    for guess in ("the same", "Same", "same."):
        assert ex.p3.read(guess) == ("same", None), guess
    for guess in ("the next window", "Next window"):
        assert ex.p4.read(guess) == ("next window", None), guess


def test_pooling_p1_refuses_a_count_outside_the_16_pixels():
    p1 = exercises.load(11).p1
    for impossible in (17, -1):
        assert p1.noting(impossible)[1] is None
    assert p1.noting(4)[1] == 4


def test_padding_q2_q3_name_the_slip_instead_of_nested_positions():
    ex = exercises.load(10)
    for sizes, zeros, words in [((14, 20), ((1, 1), (1, 1)), "The rows' zeros"),
                                ((14, 20), ((1, 2), (0, 1)), "The columns' zeros"),
                                ((13, 20), ((1, 2), (1, 1)), "The rows: 'same' at stride 2")]:
        message = ex.q2.assess(sizes, zeros).message
        assert words in message and "value 1 of" not in message.lower(), message
    assert "not a multiple of 3" in ex.q3.assess((2, 12)).message
    assert "The p is right" in ex.q3.assess((1, 12)).message
    assert "too large" not in ex.q3.assess((2, 11)).message


def test_padding_predictions_name_the_slip_and_hint_at_no_bound():
    ex = exercises.load(10)
    ex.p4.predict(1)
    assert "Likely slip: 1 is the left side" in ex.p4.revealing(2)[0].text()
    assert ex.p4.noting(4)[1] == 4                       # no upper bound that would hint at 2
    ex.p8.predict(1.9)
    assert "Likely slip: that is the 'same' result" in ex.p8.revealing(0.0)[0].text()


def test_padding_q3_names_total_zeros_and_swapped_order_and_hides_its_condition():
    q3 = exercises.load(10).q3
    assert "you gave the total of both sides" in q3.assess((2, 11)).message
    assert "you gave the two swapped" in q3.assess((11, 1)).message
    assert "is whole" not in q3.prompt and "multiple" not in q3.prompt


def test_padding_p3_p4_name_same_and_no_zeros_slips():
    ex = exercises.load(10)
    for guess, words in [(16, "16 is what 'same' keeps"), (4, "4 is the side of the 'same' output")]:
        ex = exercises.load(10)
        ex.p3.predict(guess)
        assert words in ex.p3.revealing(1)[0].text()
    ex.p4.predict(0)
    assert "without zeros the 4x4 window fits only once" in ex.p4.revealing(2)[0].text()


def test_padding_p7_asks_for_a_sign_that_reasoning_can_give():
    ex = exercises.load(10)
    assert ex.p7.read("Positive") == ("positive", None)
    ex.p7.predict("zero")
    assert "the -1 row lies on the zeros" in ex.p7.revealing("positive")[0].text()
