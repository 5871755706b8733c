"""mlcore.data.text: chapter 00's generated headlines, cue words, tokenizer and word counts."""
import numpy as np
import pytest

from mlcore import data


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
    with pytest.raises(ValueError, match="sentiment_headlines: n_pairs must be an int from 1 to 1440"):
        data.sentiment_headlines(n_pairs=n_pairs)


def test_tokenize_and_bag_of_words():
    assert data.tokenize("Fans can\u2019t WAIT!") == ["fans", "can't", "wait"]
    counts, vocabulary = data.bag_of_words(["a b a", "b c"])
    assert vocabulary == ("a", "b", "c")
    np.testing.assert_array_equal(counts, [[2, 1, 0], [0, 1, 1]])
    counts, _ = data.bag_of_words(["x y"], vocabulary=["y", "z"])
    np.testing.assert_array_equal(counts, [[1, 0]])
