"""mlcore.cluster.kmeans: a hand-worked example, separable blobs, restarts, errors."""
import numpy as np
import pytest

import mlcore
from mlcore.teaching.cluster import assign, kmeans

# Six numbers on a line, started from centroids 1 and 2. By hand:
#   step 1: {1} | {2, 3, 8, 9, 20}  -> centroids 1, 8.4
#   step 2: {1, 2, 3} | {8, 9, 20}  -> centroids 2, 37/3
#   step 3: same groups             -> stop
# inertia = (1 + 0 + 1) + ((8 - 37/3)^2 + (9 - 37/3)^2 + (20 - 37/3)^2) = 2 + 266/3.
LINE = np.array([[1.0], [2.0], [3.0], [8.0], [9.0], [20.0]])


def test_hand_worked_example_step_by_step():
    result = kmeans(LINE, 2, init=[[1.0], [2.0]])
    assert np.allclose(result.path[:, :, 0], [[1, 2], [1, 8.4], [2, 37 / 3]])
    assert result.n_iter == 2
    assert list(result.labels) == [0, 0, 0, 1, 1, 1]
    assert np.isclose(result.inertia, 2 + 266 / 3)


def test_restarts_find_the_better_local_minimum():
    # {1, 2, 3, 8, 9} | {20}: means 4.6 and 20, inertia 53.2 < 90.67 above.
    result = kmeans(LINE, 2, n_init=10, seed=0)
    assert np.isclose(result.inertia, 53.2)
    assert np.allclose(sorted(result.centroids[:, 0]), [4.6, 20.0])


def test_separable_blobs_are_recovered_exactly():
    rng = np.random.default_rng(0)
    centres = np.array([[0.0, 0.0], [10.0, 0.0], [0.0, 10.0]])
    truth = np.repeat(np.arange(3), 50)
    x = centres[truth] + rng.normal(0, 0.5, (150, 2))
    result = kmeans(x, 3, seed=1)
    # the same partition up to renaming the clusters
    mapping = {t: result.labels[truth == t][0] for t in range(3)}
    assert len(set(mapping.values())) == 3
    assert all((result.labels[truth == t] == mapping[t]).all() for t in range(3))
    for t in range(3):
        assert np.allclose(result.centroids[mapping[t]], x[truth == t].mean(axis=0))


def test_inertia_never_increases_along_the_path():
    x = np.random.default_rng(3).normal(size=(200, 2))
    result = kmeans(x, 4, init=x[:4])
    inertias = [assign(x, c)[1].min(axis=1).sum() for c in result.path]
    assert all(b <= a + 1e-9 for a, b in zip(inertias, inertias[1:]))


def test_seed_none_uses_the_engine_generator():
    x = np.random.default_rng(4).normal(size=(60, 2))
    mlcore.set_seed(7)
    a = kmeans(x, 3, n_init=1)
    mlcore.set_seed(7)
    b = kmeans(x, 3, n_init=1)
    assert np.array_equal(a.centroids, b.centroids)


def test_k_equal_n_gives_zero_inertia_and_identical_points_work():
    assert kmeans(LINE, 6, seed=0).inertia == 0
    assert kmeans(np.ones((5, 2)), 2, seed=0).inertia == 0


def test_bad_input_gives_clear_errors():
    with pytest.raises(ValueError, match=r"kmeans: k must be an int in \[1, 6\]"):
        kmeans(LINE, 7)
    with pytest.raises(ValueError, match=r"kmeans: x must have shape \(N, d\)"):
        kmeans(np.arange(5.0), 2)
    with pytest.raises(ValueError, match="NaN"):
        kmeans(np.array([[1.0], [np.nan]]), 1)
    with pytest.raises(ValueError, match=r"kmeans: init must have shape \(2, 1\)"):
        kmeans(LINE, 2, init=[[1.0, 2.0]])
