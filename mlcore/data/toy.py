"""The course's small data sets: the drug trial, weight and height, sentiment headlines.

Generators take ``seed``; without one they draw from the engine's generator,
``mlcore.backend.rng()``.
"""
import re

import numpy as np

from .. import backend
from ..arguments import check_int, is_int


def _generator(seed):
    """A fresh generator for an explicit seed, else the engine's shared one."""
    return backend.rng() if seed is None else np.random.default_rng(seed)


def side_effects_data(n=2100, *, outlier_fraction=0.05, seed=None):
    """The drug-trial data: did a patient (aged 13-100) have side effects?

    Half the patients are under 65 (ages 13-64), half 65 or older (65-100),
    ages drawn uniformly as whole years. Within each half, ``outlier_fraction``
    (rounded to whole patients) goes against the trend: 95 % of the younger
    patients had no side effects (label 0) and 95 % of the older ones had side
    effects (label 1). Rows come in random order.

    Parameters
    ----------
    n : int, default 2100
        Number of patients, even (half per age group).
    outlier_fraction : float in [0, 0.5), default 0.05
    seed : int, optional
        Own seed; default draws from the engine's generator (``mlcore.set_seed``).

    Returns
    -------
    ages : int64 array of shape (n,)
        Ages in years, 13..100. Scale them to [0, 1] before training
        (e.g. ``minmax_scale(ages)`` or ``(ages - 13) / 87``).
    labels : int64 array of shape (n,)
        1 = side effects, 0 = none.
    """
    if not (is_int(n) and n >= 2 and n % 2 == 0):
        raise ValueError(f"side_effects_data: n must be an even int >= 2, got {n!r}")
    if not 0 <= outlier_fraction < 0.5:
        raise ValueError(f"side_effects_data: outlier_fraction must be in [0, 0.5), "
                         f"got {outlier_fraction!r}")
    rng = _generator(seed)
    half = n // 2
    outliers = round(half * outlier_fraction)
    young = rng.integers(13, 65, size=half)   # 13..64
    old = rng.integers(65, 101, size=half)    # 65..100
    young_labels = np.r_[np.ones(outliers), np.zeros(half - outliers)]
    old_labels = np.r_[np.zeros(outliers), np.ones(half - outliers)]
    ages = np.concatenate([young, old]).astype(np.int64)
    labels = np.concatenate([young_labels, old_labels]).astype(np.int64)
    order = rng.permutation(n)
    return ages[order], labels[order]


def weight_height_data():
    """The course's six labelled people for supervised learning.

    Returns
    -------
    samples : int64 array of shape (6, 2)
        Column 0: weight in pounds, column 1: height in inches.
    labels : int64 array of shape (6,)
        0 = male, 1 = female (the course's encoding).
    """
    samples = np.array([[150, 67], [130, 60], [200, 65], [125, 52], [230, 72], [181, 70]],
                       dtype=np.int64)
    labels = np.array([1, 1, 0, 1, 0, 0], dtype=np.int64)
    return samples, labels


# The hand-written rule's vocabulary (a programmer's guess, as in the course's
# traditional-programming example); a learned classifier finds its own words.
POSITIVE_WORDS = ("happy", "thankful", "amazing", "great", "success", "wins")
NEGATIVE_WORDS = ("can't", "won't", "sorry", "unfortunately", "fails", "worst")

# Chapter 00's headlines: subject + reaction + topic. Every reaction comes as a
# (positive, negative) pair differing only in its sentiment words, and each sampled
# (subject, reaction, topic) yields both, so the subjects, topics and linking words
# ("is", "for", "with", ...) occur equally often in both classes: only the sentiment
# words tell the classes apart. Some pairs defeat the word-count rule on purpose:
# "can't wait" (a listed negative word in a positive headline), "not happy"
# (negation), and words nobody put on the lists ("thrilled", "fined").
HEADLINE_SUBJECTS = (
    "The city hospital", "Our local bakery", "The football club", "The village school",
    "The car factory", "The river ferry", "The county museum", "A tech startup",
    "The farmers' market", "The public library", "The town council", "The bus company",
)
HEADLINE_REACTIONS = (
    ("celebrates", "cancels"), ("welcomes", "scraps"),
    ("is praised for", "is blamed for"), ("is thankful for", "is sorry for"),
    ("can't wait for", "can't stand"), ("is rewarded for", "is fined for"),
    ("is thrilled with", "is disappointed with"), ("is happy with", "is not happy with"),
    ("is delighted by", "is shaken by"), ("is proud of", "is ashamed of"),
    ("applauds", "is criticised for"), ("is excited about", "complains about"),
)
HEADLINE_TOPICS = (
    "the summer festival", "the new timetable", "the winter menu", "this year's budget",
    "the building work", "the road repairs", "the school trip", "the price changes",
    "the late opening hours", "the staff training day",
)


def sentiment_headlines(n_pairs=160, seed=0):
    """Labelled news headlines for the sentiment example, generated deterministically.

    Draws ``n_pairs`` distinct (subject, reaction, topic) triples from
    ``HEADLINE_SUBJECTS`` x ``HEADLINE_REACTIONS`` x ``HEADLINE_TOPICS`` and
    writes each twice, with the reaction's positive and its negative wording,
    e.g. "The river ferry is praised for the road repairs" (1) and "The river
    ferry is blamed for the road repairs" (0).

    Parameters
    ----------
    n_pairs : int, default 160
        Number of headline pairs, 1 to 1,440 (every triple).
    seed : int, default 0
        Seed of the draw (its own generator: the engine's is left alone).

    Returns
    -------
    texts : list of str
        ``2 * n_pairs`` headlines; ``texts[2 * i]`` is positive and
        ``texts[2 * i + 1]`` its negative twin.
    labels : int64 array of shape (2 * n_pairs,)
        1 = positive, 0 = negative: ``[1, 0, 1, 0, ...]``.

    See Also
    --------
    sentiment_cue_words : the words that tell the classes apart.
    POSITIVE_WORDS, NEGATIVE_WORDS : the hand-written rule's word lists.
    bag_of_words : turn the texts into count features a model can learn from.
    """
    shape = (len(HEADLINE_SUBJECTS), len(HEADLINE_REACTIONS), len(HEADLINE_TOPICS))
    n_triples = int(np.prod(shape))
    check_int("sentiment_headlines", "n_pairs", n_pairs, 1, n_triples)
    picks = np.random.default_rng(seed).choice(n_triples, size=int(n_pairs), replace=False)
    texts = []
    for subject, reaction, topic in zip(*np.unravel_index(picks, shape)):
        for wording in HEADLINE_REACTIONS[reaction]:
            texts.append(f"{HEADLINE_SUBJECTS[subject]} {wording} {HEADLINE_TOPICS[topic]}")
    labels = np.tile(np.array([1, 0], dtype=np.int64), int(n_pairs))
    return texts, labels


def sentiment_cue_words():
    """The words of ``HEADLINE_REACTIONS`` found only in positive, or only in negative, wordings.

    Returns
    -------
    positive, negative : tuple of str, sorted
        e.g. 'thrilled' and 'wait' are positive cues, 'fined' and 'not' negative ones;
        'happy' and 'can't' are neither (they occur in both wordings).
    """
    in_positive = {word for wording, _ in HEADLINE_REACTIONS for word in tokenize(wording)}
    in_negative = {word for _, wording in HEADLINE_REACTIONS for word in tokenize(wording)}
    return tuple(sorted(in_positive - in_negative)), tuple(sorted(in_negative - in_positive))


def tokenize(text):
    """Lower-case words of ``text`` (letters and apostrophes): ``"Can't wait!"`` -> ``["can't", "wait"]``."""
    return re.findall(r"[a-z']+", text.lower().replace("\u2019", "'"))


def bag_of_words(texts, vocabulary=None):
    """Count how often each vocabulary word occurs in each text.

    Parameters
    ----------
    texts : list of str
    vocabulary : sequence of str, optional
        Columns of the result; default every word in ``texts``, sorted.

    Returns
    -------
    counts : array of shape (len(texts), len(vocabulary)), dtype ``mlcore.floatx()``
    vocabulary : tuple of str
    """
    tokens = [tokenize(text) for text in texts]
    if vocabulary is None:
        vocabulary = sorted({word for words in tokens for word in words})
    vocabulary = tuple(vocabulary)
    column = {word: j for j, word in enumerate(vocabulary)}
    counts = np.zeros((len(texts), len(vocabulary)), dtype=backend.floatx())
    for i, words in enumerate(tokens):
        for word in words:
            if word in column:
                counts[i, column[word]] += 1
    return counts, vocabulary
