"""Text for chapter 00's sentiment example: headlines, word lists and word counts.

``sentiment_headlines`` generates labelled headlines deterministically;
``POSITIVE_WORDS`` / ``NEGATIVE_WORDS`` are the hand-written rule's guesses;
``tokenize`` and ``bag_of_words`` turn text into count features a model can
learn from.
"""
import re

import numpy as np

from .. import backend

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
    if isinstance(n_pairs, bool) or not isinstance(n_pairs, (int, np.integer)) \
            or not 1 <= n_pairs <= n_triples:
        raise ValueError(f"sentiment_headlines: n_pairs must be an int from 1 to {n_triples}, "
                         f"got {n_pairs!r}")
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

