"""mlcore.experiments: paired comparisons over seeds, claims as sentences, clear errors."""
import matplotlib.pyplot as plt
import numpy as np
import pytest

import mlcore
from mlcore.experiments import ClaimFailed, Runs, _fmt, claim, compare


def table(numbers):
    """A variant that returns ``numbers[seed]``: the test decides every value."""
    return lambda seed: numbers[seed]


def five_seeds(plain, l2):
    return compare({"plain": table(plain), "l2": table(l2)}, seeds=5)


def test_claim_that_holds_prints_one_sentence_with_the_paired_differences(capsys):
    runs = five_seeds([0.50, 0.40, 0.60, 0.45, 0.55], [0.35, 0.28, 0.39, 0.33, 0.36])
    runs.claim("l2 < plain")
    # differences plain - l2: 0.15, 0.12, 0.21, 0.12, 0.19 -> mean 0.158
    assert capsys.readouterr().out == ("\u2713 l2 is lower than plain on 5 of 5 seeds, by 0.16 on average "
                                       "(paired differences 0.12 to 0.21)\n")


def test_pairing_finds_an_effect_smaller_than_the_spread_between_seeds(capsys):
    # seeds differ by up to 0.3 while l2 is 0.02 lower on each: only the pairing shows it
    plain = [0.5, 0.8, 0.6, 0.7, 0.55]
    runs = five_seeds(plain, [p - 0.02 for p in plain])
    runs.claim("l2 < plain")
    assert "by 0.020 on average (paired differences 0.020 to 0.020)" in capsys.readouterr().out


def test_claim_that_fails_on_one_seed_raises_with_every_seed_number():
    runs = five_seeds([0.50, 0.40, 0.60, 0.45, 0.55], [0.35, 0.28, 0.39, 0.47, 0.36])
    with pytest.raises(ClaimFailed) as failure:
        runs.claim("l2 < plain")
    message = str(failure.value)
    assert message.startswith("The claim 'l2 < plain' fails on 1 of 5 seeds: l2 is lower than plain on 4 of 5.")
    assert "plain \u2212 l2" in message
    rows = {line.split()[0]: line.split()[1:] for line in message.splitlines()[2:]}
    assert rows["3"] == ["0.4700", "0.4500", "-0.02000"]           # seed 3: l2 0.47, plain 0.45
    assert rows["0"] == ["0.3500", "0.5000", "0.1500"] and "mean" in rows
    assert isinstance(failure.value, AssertionError)             # nbval and graders see a failed check


def test_greater_than_reads_higher_and_uses_the_label(capsys):
    runs = compare({"sgd": table([0.80, 0.82, 0.79]), "adam": table([0.90, 0.91, 0.95])},
                   seeds=3, label="accuracy")
    with pytest.raises(ClaimFailed):
        runs.claim("adam < sgd")
    runs.claim("adam > sgd")
    assert capsys.readouterr().out.startswith("\u2713 adam gives a higher accuracy than sgd on 3 of 3 seeds")


def test_measure_picks_one_number_from_a_dict(capsys):
    def plain(seed):
        return {"loss": 0.1, "val_loss": 0.5 + seed / 100}

    def l2(seed):
        return {"loss": 0.2, "val_loss": 0.4 + seed / 100}

    runs = compare({"plain": plain, "l2": l2}, seeds=[3, 7], measure="val_loss")
    assert runs.seeds == [3, 7]
    np.testing.assert_allclose(runs.values["plain"], [0.53, 0.57])
    np.testing.assert_allclose(runs.difference("l2", "plain"), [-0.1, -0.1])
    runs.claim("l2 < plain")
    assert capsys.readouterr().out.startswith("\u2713 l2 gives a lower val_loss than plain on 2 of 2 seeds, by 0.10 on average (paired differences 0.10 to 0.10)")
    with pytest.raises(ValueError, match=r"measure='accuracy' is not among the keys variant 'plain' returned "
                                         r"for seed 3: \['loss', 'val_loss'\]"):
        compare({"plain": plain, "l2": l2}, seeds=[3], measure="accuracy")
    with pytest.raises(TypeError, match="returned a dict with keys \\['loss', 'val_loss'\\] for seed 0; pass measure="):
        compare({"plain": plain, "l2": l2}, seeds=1)


def test_a_tie_on_any_seed_fails_and_says_so():
    runs = five_seeds([0.5, 0.4, 0.6, 0.45, 0.55], [0.4, 0.4, 0.5, 0.4, 0.5])
    with pytest.raises(ClaimFailed, match=r"Seed 1: a tie \(equal numbers\), which is not a win"):
        runs.claim("l2 < plain")
    with pytest.raises(ClaimFailed, match="fails on 2 of 2 seeds: a is higher than b on 0 of 2.\nSeeds 0, 1: a tie"):
        compare({"a": table([1.0, 2.0]), "b": table([1.0, 2.0])}, seeds=2).claim("a > b")


def test_one_seed_holds_or_fails_and_says_one_seed_proves_little(capsys):
    runs = compare({"plain": table([0.5]), "l2": table([0.3])}, seeds=1)
    runs.claim("l2 < plain")
    assert capsys.readouterr().out == ("\u2713 l2 is lower than plain on the one seed run, by 0.20 "
                                       "(one seed proves little: run more to see the spread)\n")
    with pytest.raises(ClaimFailed, match="fails on 1 of 1 seed:"):
        runs.claim("l2 > plain")


def test_margin_must_be_exceeded_on_every_seed(capsys):
    runs = five_seeds([0.50, 0.40, 0.60, 0.45, 0.55], [0.35, 0.28, 0.39, 0.33, 0.36])
    runs.claim("l2 < plain", margin=0.1)
    assert capsys.readouterr().out.startswith("\u2713 l2 is lower than plain by more than 0.1 on 5 of 5 seeds: by 0.16")
    with pytest.raises(ClaimFailed, match="fails on 2 of 5 seeds"):
        runs.claim("l2 < plain", margin=0.13)                    # seeds 1 and 3 differ by 0.12
    with pytest.raises(ValueError, match="margin must be a number of at least 0, got -0.1"):
        runs.claim("l2 < plain", margin=-0.1)


def test_digits_sets_the_precision_of_the_sentence(capsys):
    runs = five_seeds([0.50, 0.40, 0.60, 0.45, 0.55], [0.35, 0.28, 0.39, 0.33, 0.36])
    runs.claim("l2 < plain", digits=3)
    assert "by 0.158 on average (paired differences 0.120 to 0.210)" in capsys.readouterr().out
    runs = compare({"a": table([1234.5, 1250.0]), "b": table([1000.0, 1010.0])}, seeds=2, digits=2)
    runs.claim("a > b")
    assert "by 240 on average (paired differences 230 to 240)" in capsys.readouterr().out
    with pytest.raises(ValueError, match="digits must be a whole number of significant digits, at least 1, got 0"):
        runs.claim("a > b", digits=0)
    with pytest.raises(ValueError, match="at least 1, got 2.5"):
        compare({"a": table([1.0]), "b": table([2.0])}, seeds=1, digits=2.5)


def test_numbers_keep_their_significant_digits():
    assert [_fmt(x, 2) for x in (0.09996, 0.01, 1.0, 123.4, -0.0456, 0.000123, 0.0)] == \
        ["0.10", "0.010", "1.0", "120", "-0.046", "0.00012", "0"]
    assert _fmt(0.45, 4) == "0.4500" and _fmt(float("nan"), 2) == "nan"


@pytest.mark.parametrize("statement, error, message", [
    ("l3 < plain", ValueError, r"no variant named 'l3'; the variants are \['plain', 'l2'\]"),
    ("l2 <= plain", ValueError, r"no variant named '= plain'"),
    ("l2 is better than plain", ValueError, r"a claim reads 'a < b' or 'a > b' with two variant names"),
    ("l2 < plain < l2", ValueError, r"a claim reads 'a < b'"),
    ("l2 < l2", ValueError, r"two different variants, got 'l2 < l2'"),
    (None, ValueError, r"a claim reads 'a < b' .*got None"),
])
def test_a_malformed_claim_gets_a_clear_error(statement, error, message):
    runs = five_seeds([1, 2, 3, 4, 5], [0, 1, 2, 3, 4])
    with pytest.raises(error, match=message):
        runs.claim(statement)


@pytest.mark.parametrize("result, message", [
    ("0.5", r"variant 'l2' for seed 0 is '0.5' \(str\); expected a number"),
    (None, r"variant 'l2' for seed 0 is None \(NoneType\); expected a number"),
    (True, r"is True \(bool\); expected a number"),
    (np.array([0.1, 0.2]), r"\(ndarray\); expected a number"),
])
def test_a_variant_that_returns_no_number_gets_a_clear_error(result, message):
    with pytest.raises(TypeError, match=message):
        compare({"plain": lambda seed: 0.5, "l2": lambda seed: result}, seeds=2)


def test_numpy_numbers_are_numbers():
    runs = compare({"a": lambda s: np.float32(1.5), "b": lambda s: np.array([2.0]), "c": lambda s: np.int64(3)},
                   seeds=2)
    assert runs.values["b"].tolist() == [2.0, 2.0] and runs.values["c"].dtype == float


@pytest.mark.parametrize("variants, seeds, error, message", [
    ({"only": lambda s: 1.0}, 3, TypeError, "at least two named variants"),
    ([lambda s: 1.0, lambda s: 2.0], 3, TypeError, "a dict of at least two named variants"),
    ({"a<b": lambda s: 1.0, "c": lambda s: 2.0}, 3, ValueError, "without '<' or '>', got 'a<b'"),
    ({"a": 1.0, "b": lambda s: 2.0}, 3, TypeError, "variant 'a' must be a function of the seed, got 1.0"),
    ({"a": lambda s: 1.0, "b": lambda s: 2.0}, 0, ValueError, "seeds must be at least 1, got 0"),
    ({"a": lambda s: 1.0, "b": lambda s: 2.0}, [1, 1], ValueError, "must not repeat"),
    ({"a": lambda s: 1.0, "b": lambda s: 2.0}, [], ValueError, "non-empty list of non-negative ints"),
    ({"a": lambda s: 1.0, "b": lambda s: 2.0}, 2.5, TypeError, "an int or a list of ints, got 2.5"),
])
def test_bad_compare_arguments_get_clear_errors(variants, seeds, error, message):
    with pytest.raises(error, match=message):
        compare(variants, seeds=seeds)


def test_measure_on_a_plain_number_is_refused():
    with pytest.raises(TypeError, match=r"measure='val_loss' picks a key from a dict, but variant 'a' returned 1.0"):
        compare({"a": lambda s: 1.0, "b": lambda s: 2.0}, seeds=1, measure="val_loss")


def test_each_run_draws_from_its_own_seed_and_leaves_the_notebook_generator_alone():
    def draw(seed):
        return float(mlcore.backend.rng().random())

    mlcore.set_seed(123)
    expected_next = mlcore.backend.rng().random()
    mlcore.set_seed(123)
    runs = compare({"a": draw, "b": draw}, seeds=[4, 9])
    # same seed, same draws, whichever variant ran first: the pairs differ only by the setting
    np.testing.assert_array_equal(runs.values["a"], runs.values["b"])
    assert runs.values["a"][0] == np.random.default_rng(4).random()
    assert mlcore.backend.rng().random() == expected_next


def test_plot_draws_the_paired_differences_per_seed():
    runs = compare({"plain": table([0.5, 0.4, 0.6]), "l2": table([0.3, 0.35, 0.45]),
                    "dropout": table([0.55, 0.38, 0.5])}, seeds=3, measure=None, label="val_loss")
    ax = runs.plot()
    points = [line for line in ax.lines if line.get_marker() == "o"]
    assert [line.get_label().split(":")[0] for line in points] == ["l2 \u2212 plain", "dropout \u2212 plain"]
    np.testing.assert_allclose(points[0].get_ydata(), [-0.2, -0.05, -0.15])
    np.testing.assert_allclose(points[1].get_ydata(), [0.05, -0.02, -0.1])
    np.testing.assert_allclose(points[0].get_xdata(), [-0.06, 0.94, 1.94])    # seeds 0, 1, 2, moved apart
    np.testing.assert_allclose(points[1].get_xdata(), [0.06, 1.06, 2.06])
    flat = [line.get_ydata()[0] for line in ax.lines if line.get_marker() != "o"]
    assert 0 in flat and np.isclose(flat, -0.4 / 3).any()       # the zero line and l2's mean
    assert ax.get_xlabel() == "seed" and "val_loss" in ax.get_ylabel() and "plain" in ax.get_ylabel()
    assert [t.get_text() for t in ax.get_xticklabels()] == ["0", "1", "2"]
    plt.close(ax.figure)


def test_plot_against_another_baseline_into_given_axes():
    runs = five_seeds([0.5, 0.4, 0.6, 0.45, 0.55], [0.35, 0.28, 0.39, 0.33, 0.36])
    fig, ax = plt.subplots()
    assert runs.plot(baseline="l2", ax=ax) is ax
    np.testing.assert_allclose(ax.lines[-2].get_ydata(), [0.15, 0.12, 0.21, 0.12, 0.19])
    with pytest.raises(ValueError, match="no variant named 'l1'"):
        runs.plot(baseline="l1")
    plt.close(fig)


def test_repr_shows_the_table_and_how_to_use_it():
    text = repr(five_seeds([0.5, 0.4, 0.6, 0.45, 0.55], [0.35, 0.28, 0.39, 0.33, 0.36]))
    lines = text.splitlines()
    assert lines[0] == "Runs: 2 variants on the same 5 seeds"
    assert lines[1].split() == ["seed", "plain", "l2", "l2", "\u2212", "plain"]
    assert lines[2].split() == ["0", "0.50", "0.35", "-0.15"]
    assert lines[7].split() == ["mean", "0.50", "0.34", "-0.16"]
    assert "runs.claim('a < b')" in text and "runs.plot()" in text
    assert isinstance(five_seeds([1] * 5, [2] * 5), Runs)


def test_claim_prints_a_true_fact_with_a_check_mark(capsys):
    claim(np.isclose(0.1 + 0.2, 0.3), "0.1 + 0.2 is 0.3 up to rounding")
    assert capsys.readouterr().out == "\u2713 0.1 + 0.2 is 0.3 up to rounding\n"


def test_claim_raises_a_false_fact_with_its_sentence():
    with pytest.raises(ClaimFailed, match="^Does not hold: 3 is even$"):
        claim(3 % 2 == 0, "3 is even")


def test_claim_refuses_arrays_and_missing_sentences():
    with pytest.raises(TypeError, match=r"an array of shape \(3,\).*\.all\(\) or \.any\(\)"):
        claim(np.array([True, True, False]), "all positive")
    with pytest.raises(TypeError, match="expected a sentence"):
        claim(True, "")


def test_using_compares_another_measure_of_the_same_runs_and_results_keep_extras(capsys):
    calls = []

    def run(offset):
        def variant(seed):
            calls.append(seed)
            return {"loss": offset + seed, "accuracy": 0.9 - offset, "curve": np.arange(3) + offset}
        return variant

    runs = compare({"a": run(0.0), "b": run(0.1)}, seeds=2, measure="loss")
    by_accuracy = runs.using("accuracy")
    assert calls == [0, 1, 0, 1]                                  # nothing ran again
    np.testing.assert_allclose(by_accuracy.values["b"], [0.8, 0.8])
    by_accuracy.claim("a > b")
    assert capsys.readouterr().out.startswith("\u2713 a gives a higher accuracy than b on 2 of 2 seeds")
    np.testing.assert_array_equal(runs.results["b"][1]["curve"], [0.1, 1.1, 2.1])
    with pytest.raises(TypeError, match=r"'curve' of variant 'a' for seed 0 is array\(\[0., 1., 2.\]\)"):
        runs.using("curve")
