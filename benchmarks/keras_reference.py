"""Test accuracy of the reference CNN in real Keras and in mlcore, seed by seed.

The recipe is bench_cnn.py's: the same model, Adam 1e-3, batch 32, 5 epochs,
the same MNIST-5k split (4,000 train / 1,000 test), pixels / 255. For each
seed both engines start from their own random weights and shuffles, so what
can be compared is the spread over seeds, not one run against another.

Keras is not a dependency of the course. Keras 3 runs on the PyTorch backend;
give it an environment of its own with the pinned CPU PyTorch:

    python3 -m venv /tmp/keras-env
    /tmp/keras-env/bin/pip install torch==2.13.0 keras
    /tmp/keras-env/bin/python benchmarks/keras_reference.py [--seeds 10]

(mlcore itself needs only NumPy; it is imported from this checkout.)
"""
import argparse
import os
import statistics
import sys
from pathlib import Path

os.environ.setdefault("KERAS_BACKEND", "torch")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # mlcore from this checkout

import bench_cnn  # noqa: E402  (this folder: the recipe)


def keras_accuracy(seed, x, y, x_test, y_test):
    import keras

    keras.utils.set_random_seed(seed)
    layers = keras.layers
    model = keras.Sequential([
        keras.Input((28, 28, 1)),
        layers.Conv2D(8, 3, padding="same", activation="relu"),
        layers.MaxPooling2D(2),
        layers.Conv2D(16, 3, padding="same", activation="relu"),
        layers.MaxPooling2D(2),
        layers.Flatten(),
        layers.Dense(10, activation="softmax"),
    ])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=bench_cnn.LR),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(x, y, batch_size=bench_cnn.BATCH, epochs=bench_cnn.EPOCHS, verbose=0)
    return float(model.evaluate(x_test, y_test, verbose=0)[1])


def mlcore_accuracy(seed, x, y, x_test, y_test):
    model = bench_cnn.mlcore_model(seed)
    model.fit(x, y, batch_size=bench_cnn.BATCH, epochs=bench_cnn.EPOCHS, verbose=0)
    return float(model.evaluate(x_test, y_test, batch_size=256)[1])


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=int, default=10)
    args = parser.parse_args()
    split = [a for pair in bench_cnn.data() for a in pair]  # x, y, x_test, y_test
    for engine, accuracy in (("mlcore", mlcore_accuracy), ("keras", keras_accuracy)):
        results = [accuracy(seed, *split) for seed in range(args.seeds)]
        print(f"{engine:7s} test accuracy, seeds 0-{args.seeds - 1}: "
              f"{' '.join(f'{a:.3f}' for a in results)}")
        print(f"        mean {statistics.mean(results):.4f}, min {min(results):.3f}, "
              f"max {max(results):.3f}, runs >= 0.95: {sum(a >= 0.95 for a in results)}")


if __name__ == "__main__":
    main()
