"""mlcore.data: MNIST-5k with its checksum, splits, one-hot, scaling, the course's toy sets."""
import shutil
from pathlib import Path

import numpy as np
import pytest

import mlcore
from mlcore import backend, data

REPO = Path(__file__).resolve().parent.parent


# -- MNIST ----------------------------------------------------------------------
def test_mnist_is_found_in_the_repository_data_folder():
    assert data.data_dir() == REPO / "data"
    assert data.data_path(data.MNIST_FILE) == REPO / "data" / "mnist_5k.npz"


def test_mnist_contents():
    images, labels = data.load_mnist()
    assert images.shape == (5000, 28, 28) and images.dtype == np.uint8
    assert labels.shape == (5000,) and labels.dtype == np.int64
    assert np.bincount(labels).tolist() == [500] * 10
    assert np.all(np.diff(labels) >= 0)  # the file is sorted by label
    assert images.min() == 0 and images.max() == 255


def test_mnist_normalize_and_channel_axis():
    images, _ = data.load_mnist(normalize=True, channel_axis=True)
    assert images.shape == (5000, 28, 28, 1) and images.dtype == np.float32
    assert images.min() == 0.0 and images.max() == 1.0
    raw, _ = data.load_mnist()
    np.testing.assert_allclose(images[..., 0], raw / 255, rtol=1e-6)
    with mlcore.float_precision("float64"):
        assert data.load_mnist(normalize=True)[0].dtype == np.float64


@pytest.fixture
def data_copy(tmp_path, monkeypatch):
    """A private copy of data/ that a test may damage, used through MLCORE_DATA_DIR."""
    shutil.copy(REPO / "data" / "mnist_5k.npz", tmp_path / "mnist_5k.npz")
    monkeypatch.setenv("MLCORE_DATA_DIR", str(tmp_path))
    return tmp_path


def test_checksum_catches_a_single_changed_byte(data_copy):
    assert data.load_mnist()[0].shape == (5000, 28, 28)  # the intact copy loads
    path = data_copy / "mnist_5k.npz"
    raw = bytearray(path.read_bytes())
    raw[len(raw) // 2] ^= 0xFF
    path.write_bytes(bytes(raw))
    with pytest.raises(ValueError, match=r"mnist_5k\.npz is corrupted.*expected 246e0c30"):
        data.load_mnist()


def test_missing_file_says_where_it_looked(data_copy):
    (data_copy / "mnist_5k.npz").unlink()
    with pytest.raises(FileNotFoundError, match=r"mnist_5k\.npz not found in .*MLCORE_DATA_DIR"):
        data.load_mnist()


def test_mnist_split_is_stratified_disjoint_and_complete():
    (x_tr, y_tr), (x_val, y_val), (x_te, y_te) = data.load_mnist(validation_split=0.1,
                                                                 test_split=0.2)
    assert np.bincount(y_tr).tolist() == [350] * 10
    assert np.bincount(y_val).tolist() == [50] * 10
    assert np.bincount(y_te).tolist() == [100] * 10
    assert x_tr.shape == (3500, 28, 28) and x_val.shape == (500, 28, 28)
    # every image lands in exactly one part, with its own label
    images, labels = data.load_mnist()
    key = {img.tobytes(): lab for img, lab in zip(images, labels)}
    parts = np.concatenate([x_tr, x_val, x_te])
    assert len(parts) == 5000 and len({img.tobytes() for img in parts}) == len(key)
    assert all(key[img.tobytes()] == lab for img, lab in
               zip(parts, np.concatenate([y_tr, y_val, y_te])))
    # the parts are shuffled, not sorted by label
    assert np.any(np.diff(y_tr) < 0) and np.any(np.diff(y_te) < 0)


def test_mnist_split_is_deterministic_and_ignores_the_engine_seed():
    mlcore.set_seed(1)
    (_, first), (_, test_first) = data.load_mnist(test_split=0.1)
    mlcore.set_seed(2)
    backend.rng().random(100)
    (_, again), (_, test_again) = data.load_mnist(test_split=0.1)
    np.testing.assert_array_equal(first, again)
    np.testing.assert_array_equal(test_first, test_again)
    (_, other), _ = data.load_mnist(test_split=0.1, seed=1)
    assert not np.array_equal(first, other)


def test_mnist_split_shapes_follow_the_requested_parts():
    (x_tr, _), (x_val, _) = data.load_mnist(validation_split=0.2, channel_axis=True)
    assert x_tr.shape == (4000, 28, 28, 1) and x_val.shape == (1000, 28, 28, 1)


# -- train_val_test_split ------------------------------------------------------------
def test_split_sizes_and_rows_stay_paired():
    x = np.arange(100)
    y = -np.arange(100)
    (x_tr, y_tr), (x_val, y_val), (x_te, y_te) = data.train_val_test_split(x, y, val=0.15,
                                                                          test=0.25, seed=3)
    assert (len(x_tr), len(x_val), len(x_te)) == (60, 15, 25)
    np.testing.assert_array_equal(np.sort(np.concatenate([x_tr, x_val, x_te])), x)
    for xs, ys in [(x_tr, y_tr), (x_val, y_val), (x_te, y_te)]:
        np.testing.assert_array_equal(ys, -xs)
    assert not np.array_equal(x_tr, np.sort(x_tr))


def test_split_without_shuffle_takes_the_last_rows_like_keras():
    x = np.arange(10)
    (x_tr, _), (x_val, _) = data.train_val_test_split(x, x, val=0.2, shuffle=False)
    np.testing.assert_array_equal(x_tr, np.arange(8))
    np.testing.assert_array_equal(x_val, [8, 9])
    (x_tr, _), (x_val, _), (x_te, _) = data.train_val_test_split(x, x, val=0.2, test=0.3,
                                                                 shuffle=False)
    assert x_tr.tolist() == [0, 1, 2, 3, 4] and x_val.tolist() == [5, 6]
    assert x_te.tolist() == [7, 8, 9]


def test_stratified_split_keeps_class_shares():
    y = np.repeat([0, 1, 2], [20, 40, 140])
    (_, y_tr), (_, y_te) = data.train_val_test_split(np.zeros((200, 3)), y, test=0.25,
                                                     stratify=True)
    assert np.bincount(y_te).tolist() == [5, 10, 35]
    assert np.bincount(y_tr).tolist() == [15, 30, 105]


def test_split_labelled_keeps_a_share_of_labels_per_class():
    x, y = np.arange(200), np.repeat([0, 1, 2, 3], 50)
    (x_l, y_l), (x_u, y_u) = data.split_labelled(x, y, labelled=0.1, seed=1)
    assert np.bincount(y_l).tolist() == [5, 5, 5, 5] and len(x_u) == 180
    np.testing.assert_array_equal(np.sort(np.concatenate([x_l, x_u])), x)
    np.testing.assert_array_equal(y_l, y[x_l])
    np.testing.assert_array_equal(y_u, y[x_u])


@pytest.mark.parametrize("labelled", [0, 1, 1.5, True, "0.1"])
def test_split_labelled_bad_fraction(labelled):
    with pytest.raises(ValueError, match=r"split_labelled: labelled must be a number in \(0, 1\)"):
        data.split_labelled(np.arange(10), np.arange(10), labelled=labelled)


@pytest.mark.parametrize("kwargs, match", [
    (dict(val=1.0), r"val must be a number in \[0, 1\), got 1\.0"),
    (dict(test=-0.1), r"test must be a number in \[0, 1\)"),
    (dict(val="0.1"), r"val must be a number in \[0, 1\)"),
    (dict(val=0.6, test=0.4), r"val \+ test must leave samples for training"),
    (dict(stratify=True, shuffle=False), r"stratify=True needs shuffle=True"),
])
def test_split_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match="train_val_test_split: " + match):
        data.train_val_test_split(np.arange(10), np.arange(10), **kwargs)


def test_split_needs_matching_lengths():
    with pytest.raises(ValueError, match=r"same number of samples.*\(10,\) and \(9,\)"):
        data.train_val_test_split(np.arange(10), np.arange(9), test=0.2)


# -- to_categorical -----------------------------------------------------------------
def test_to_categorical_matches_a_hand_written_table():
    # cat = 0, dog = 1, lizard = 2, llama = 3
    expected = np.array([[0, 1, 0, 0],
                         [1, 0, 0, 0],
                         [0, 0, 0, 1],
                         [0, 0, 1, 0],
                         [0, 1, 0, 0]], dtype=np.float32)
    one_hot = data.to_categorical([1, 0, 3, 2, 1])
    assert one_hot.dtype == np.float32
    np.testing.assert_array_equal(one_hot, expected)


def test_to_categorical_keras_shapes():
    assert data.to_categorical([[1], [0]]).shape == (2, 2)  # trailing axis of 1 dropped
    assert data.to_categorical([[0, 1], [2, 1]]).shape == (2, 2, 3)
    wide = data.to_categorical([0, 1], num_classes=5)
    assert wide.shape == (2, 5) and wide[1].tolist() == [0, 1, 0, 0, 0]
    assert data.to_categorical(np.array([2.0, 0.0])).argmax(axis=1).tolist() == [2, 0]
    assert data.to_categorical([], num_classes=3).shape == (0, 3)
    assert data.to_categorical([1], dtype="int64").dtype == np.int64


@pytest.mark.parametrize("labels, kwargs, match", [
    ([0, -1], {}, r"labels must be >= 0 \(class indices\), got -1"),
    ([0.5, 1], {}, r"labels must be whole numbers"),
    ([0, np.nan], {}, r"labels contain nan or inf"),
    (["cat", "dog"], {}, r"labels must be whole numbers, got dtype <U3"),
    ([0, 3], dict(num_classes=3), r"labels must be in \[0, 3\)"),
    ([0, 1], dict(num_classes=0), r"num_classes must be a positive int, got 0"),
    ([], {}, r"cannot infer num_classes from empty labels"),
])
def test_to_categorical_errors(labels, kwargs, match):
    with pytest.raises(ValueError, match="to_categorical: " + match):
        data.to_categorical(labels, **kwargs)


# -- scaling ----------------------------------------------------------------------
def test_minmax_scale_by_hand_and_reused_on_test_data():
    train = data.minmax_scale(np.array([[13, 0.0], [100, 5.0], [56.5, 10.0]]))
    np.testing.assert_allclose(train.values, [[0, 0], [1, 0.5], [0.5, 1]])
    np.testing.assert_array_equal(train.data_min, [[13, 0]])
    test = data.minmax_scale([[34.75, 20.0]], data_min=train.data_min, data_max=train.data_max)
    np.testing.assert_allclose(test.values, [[0.25, 2.0]])  # outside [0, 1] is allowed for new data
    ranged = data.minmax_scale([0, 5, 10], feature_range=(-1, 1))
    np.testing.assert_allclose(ranged.values, [-1, 0, 1])


def test_minmax_scale_constant_feature_and_global_axis():
    scaled = data.minmax_scale([[3.0, 1.0], [3.0, 2.0]]).values
    np.testing.assert_array_equal(scaled[:, 0], [0, 0])
    images = np.array([[[0, 51]], [[102, 255]]], dtype=np.uint8)
    global_ = data.minmax_scale(images, axis=None)
    assert global_.values.dtype == np.float32
    np.testing.assert_allclose(global_.values, images / 255, rtol=1e-6)


def test_standardize_statistics_and_reuse():
    rng = np.random.default_rng(0)
    x = rng.normal([5.0, -3.0], [2.0, 0.5], size=(1000, 2))
    train = data.standardize(x)
    np.testing.assert_allclose(train.values.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(train.values.std(axis=0), 1, rtol=1e-12)
    np.testing.assert_allclose(train.mean, x.mean(axis=0, keepdims=True))
    z, mean, std = data.standardize([[5.0, -3.0]], train.mean, train.std)
    np.testing.assert_allclose(z, (np.array([[5.0, -3.0]]) - x.mean(0)) / x.std(0))
    assert mean is train.mean and std is train.std


def test_standardize_constant_feature_is_only_centred():
    z = data.standardize([[1.0, 7.0], [3.0, 7.0]]).values
    np.testing.assert_array_equal(z, [[-1, 0], [1, 0]])


@pytest.mark.parametrize("call, match", [
    (lambda: data.minmax_scale([1.0, np.nan]), r"minmax_scale: input contains nan or inf at index \(1,\)"),
    (lambda: data.minmax_scale([1, 2], feature_range=(1, 0)), r"minmax_scale: feature_range must be"),
    (lambda: data.minmax_scale([1, 2], data_min=[0]), r"minmax_scale: pass both data_min and data_max"),
    (lambda: data.standardize([[np.inf]]), r"standardize: input contains nan or inf"),
    (lambda: data.standardize(["a"]), r"standardize: expected numbers, got dtype <U1"),
    (lambda: data.standardize([1.0], std=[1.0]), r"standardize: pass both mean and std"),
])
def test_scaling_errors(call, match):
    with pytest.raises(ValueError, match=match):
        call()


# -- the course's toy sets ----------------------------------------------------------------
def test_side_effects_data_follows_the_errata():
    ages, labels = data.side_effects_data(seed=0)
    assert ages.shape == labels.shape == (2100,)
    assert ages.min() == 13 and ages.max() == 100
    young = ages < 65
    assert young.sum() == 1050
    assert set(np.unique(labels)) == {0, 1}
    assert (labels[young] == 0).mean() == pytest.approx(0.95, abs=0.005)
    assert (labels[~young] == 1).mean() == pytest.approx(0.95, abs=0.005)
    assert np.any(np.diff(labels) != 0)  # shuffled, not grouped


def test_side_effects_data_is_seeded():
    a = data.side_effects_data(seed=5)
    b = data.side_effects_data(seed=5)
    np.testing.assert_array_equal(a[0], b[0])
    mlcore.set_seed(7)
    c = data.side_effects_data(n=100)
    mlcore.set_seed(7)
    d = data.side_effects_data(n=100)
    np.testing.assert_array_equal(c[0], d[0])
    assert not np.array_equal(c[0], data.side_effects_data(n=100)[0])


@pytest.mark.parametrize("kwargs, match", [
    (dict(n=7), r"n must be an even int >= 2, got 7"),
    (dict(n=2.0), r"n must be an even int"),
    (dict(outlier_fraction=0.5), r"outlier_fraction must be in \[0, 0\.5\)"),
])
def test_side_effects_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match="side_effects_data: " + match):
        data.side_effects_data(**kwargs)


def test_weight_height_data_is_the_course_table():
    samples, labels = data.weight_height_data()
    np.testing.assert_array_equal(samples, [[150, 67], [130, 60], [200, 65],
                                            [125, 52], [230, 72], [181, 70]])
    np.testing.assert_array_equal(labels, [1, 1, 0, 1, 0, 0])


def test_sentiment_headlines_come_in_twins_that_differ_only_in_cue_words():
    texts, labels = data.sentiment_headlines(n_pairs=50, seed=3)
    assert len(texts) == len(set(texts)) == 100 and labels.tolist() == [1, 0] * 50
    assert data.sentiment_headlines(n_pairs=50, seed=3)[0] == texts       # deterministic
    assert data.sentiment_headlines(n_pairs=50, seed=4)[0] != texts
    positive_cues, negative_cues = data.sentiment_cue_words()
    for positive, negative in zip(texts[0::2], texts[1::2]):
        twins = [(p, n) for p, n in data.HEADLINE_REACTIONS
                 if positive.replace(f" {p} ", f" {n} ") == negative]
        assert len(twins) == 1                  # same subject and topic, the reaction's two wordings
        differ = set(data.tokenize(positive)) ^ set(data.tokenize(negative))
        assert differ & set(positive_cues + negative_cues)


def test_sentiment_cue_words():
    positive, negative = data.sentiment_cue_words()
    assert {"thrilled", "wait", "celebrates"} <= set(positive) and {"fined", "not"} <= set(negative)
    assert not {"happy", "can't", "is", "for"} & set(positive + negative)   # in both wordings
    # every other word of a reaction is as frequent in the positive wordings as in the negative
    plus = [w for p, _ in data.HEADLINE_REACTIONS for w in data.tokenize(p) if w not in positive]
    minus = [w for _, n in data.HEADLINE_REACTIONS for w in data.tokenize(n) if w not in negative]
    assert sorted(plus) == sorted(minus)


def test_word_count_rule_is_barely_better_than_a_coin_on_the_headlines():
    texts, labels = data.sentiment_headlines(n_pairs=len(data.HEADLINE_REACTIONS) * 120)
    positive, _ = data.bag_of_words(texts, data.POSITIVE_WORDS)
    negative, _ = data.bag_of_words(texts, data.NEGATIVE_WORDS)
    rule = (positive.sum(axis=1) > negative.sum(axis=1)).astype(int)
    # right on 2 of 12 positive and 11 of 12 negative reactions: 13 / 24
    assert np.isclose((rule == labels).mean(), 13 / 24)


@pytest.mark.parametrize("n_pairs", [0, 1441, 2.5, True])
def test_sentiment_headlines_bad_size_is_named(n_pairs):
    with pytest.raises(ValueError, match="sentiment_headlines: n_pairs must be an int in \\[1, 1440\\]"):
        data.sentiment_headlines(n_pairs=n_pairs)


def test_tokenize_and_bag_of_words():
    assert data.tokenize("Fans can\u2019t WAIT!") == ["fans", "can't", "wait"]
    counts, vocabulary = data.bag_of_words(["a b a", "b c"])
    assert vocabulary == ("a", "b", "c")
    np.testing.assert_array_equal(counts, [[2, 1, 0], [0, 1, 1]])
    counts, _ = data.bag_of_words(["x y"], vocabulary=["y", "z"])
    np.testing.assert_array_equal(counts, [[1, 0]])
