"""Train mlcore.pretrained.digits_cnn on MNIST digits 0-4 and write its weights to data/.

Uses only the training part of ``load_mnist(test_split=0.2, seed=0)`` (the
stratified 4,000 / 1,000 split), digits 0-4 only: 2,000 images. Seeded, so
re-running on the same machine writes the same bytes; another CPU's BLAS may
round differently, which is why the shipped file's checksum is recorded in
``mlcore/teaching/pretrained.py`` and verified on load.

    python scripts/pretrain_digits.py [--out data/digits_0to4_cnn.npz]

Prints the accuracy on the held-out digits 0-4 and the file's SHA-256 (paste
it into ``mlcore/teaching/pretrained.py`` and data/README.md when the file changes).
"""
import argparse
from pathlib import Path

import numpy as np

import mlcore
from mlcore.data import load_mnist
from mlcore.teaching.pretrained import DIGITS_CLASSES, DIGITS_FILE, digits_cnn
from weights_report import evaluate_and_save  # scripts/weights_report.py

SEED, EPOCHS, BATCH, LEARNING_RATE = 13, 6, 32, 1e-3


def digits_subset(images, labels):
    keep = np.isin(labels, DIGITS_CLASSES)
    return images[keep], labels[keep]


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path,
                        default=Path(__file__).resolve().parent.parent / "data" / DIGITS_FILE)
    args = parser.parse_args()

    (x_train, y_train), (x_test, y_test) = load_mnist(test_split=0.2, normalize=True,
                                                      channel_axis=True, seed=0)
    x_train, y_train = digits_subset(x_train, y_train)
    x_test, y_test = digits_subset(x_test, y_test)
    mlcore.set_seed(SEED)
    model = digits_cnn(len(DIGITS_CLASSES))
    model.compile(mlcore.Adam(learning_rate=LEARNING_RATE), "sparse_categorical_crossentropy",
                  ["accuracy"])
    model.fit(x_train, y_train, batch_size=BATCH, epochs=EPOCHS, verbose=2)
    evaluate_and_save(model, x_test, y_test, args.out, "held-out digits 0-4")


if __name__ == "__main__":
    main()
