"""Data for the course, one module per kind, all re-exported here.

- :mod:`.mnist`: MNIST-5k, real handwritten digits (``load_mnist``);
- :mod:`.toy`: the course's small sets (drug trial, weight and height,
  sentiment headlines and their bag of words);
- :mod:`.planar`: two-class sets in the plane (``make_planar``: circle,
  xor, gauss, spiral; ``ring_data``, ``toy_data``);
- :mod:`.preprocessing`: splits, one-hot labels, min-max scaling and
  standardisation;
- :mod:`.files`: where data files live and their checksums.

Everything here is deterministic: splits and generators take their own
``seed``; toy generators without one draw from ``mlcore.backend.rng()``.
"""
from .files import data_dir, data_path
from .mnist import MNIST_FILE, MNIST_SHA256, load_mnist
from .planar import PLANAR_SETS, make_planar, ring_data, toy_data
from .preprocessing import (MinMaxScaled, Standardized, minmax_scale, split_labelled, standardize,
                            to_categorical, train_val_test_split)
from .toy import (HEADLINE_REACTIONS, HEADLINE_SUBJECTS, HEADLINE_TOPICS, NEGATIVE_WORDS,
                  POSITIVE_WORDS, bag_of_words, sentiment_cue_words, sentiment_headlines,
                  side_effects_data, tokenize, weight_height_data)

__all__ = [
    "data_dir", "data_path", "MNIST_FILE", "MNIST_SHA256", "load_mnist",
    "PLANAR_SETS", "make_planar", "ring_data", "toy_data",
    "train_val_test_split", "split_labelled", "to_categorical", "minmax_scale", "standardize",
    "MinMaxScaled", "Standardized",
    "side_effects_data", "weight_height_data", "sentiment_headlines", "sentiment_cue_words",
    "tokenize", "bag_of_words", "POSITIVE_WORDS", "NEGATIVE_WORDS",
    "HEADLINE_SUBJECTS", "HEADLINE_REACTIONS", "HEADLINE_TOPICS",
]
