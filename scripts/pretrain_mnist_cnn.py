"""Train mlcore.pretrained.mnist_cnn on MNIST-5k and write its weights to data/.

The convolution chapter (09) loads these weights instead of training for
minutes in the notebook. Uses only the 4,000 training digits of
``load_mnist(test_split=0.2, seed=0)`` (stratified split); the 1,000 test
digits are used once, at the end, to report the accuracy.

Recipe (chosen so the first layer's filters read as strokes and edges and
the test accuracy is clearly above 0.97; see data/README.md):

- L2 penalty 0.03 on conv1's kernel (in the architecture): smooth filters;
- every epoch sees a freshly augmented copy of the training digits: random
  rotation up to 10 degrees, shift up to 2 pixels, zoom up to 10 %;
- Adam, learning rate 2e-3, batch 32, 20 epochs, the last 4 at 2e-4.

    python scripts/pretrain_mnist_cnn.py [--out data/mnist_cnn.npz]

About 17 s of CPU time with one BLAS thread (``/usr/bin/time`` on the
course's 2-core machine; longer in wall-clock time when the machine is busy). Seeded: re-running on the
same machine with the same number of BLAS threads writes the same bytes;
another BLAS may round differently, which is why the shipped file's checksum
is recorded in ``mlcore/teaching/pretrained.py`` and verified on load. Prints the test
accuracy and the file's SHA-256 (paste it into ``mlcore/teaching/pretrained.py`` and
data/README.md when the file changes).
"""
import argparse
from pathlib import Path

import mlcore
from mlcore import augment
from mlcore.data import load_mnist
from mlcore.teaching.pretrained import MNIST_CNN_FILE, mnist_cnn
from weights_report import evaluate_and_save  # scripts/weights_report.py

SEED, BATCH, LEARNING_RATE = 9, 32, 2e-3
EPOCHS, SLOW_EPOCHS = 20, 4            # the last SLOW_EPOCHS run at LEARNING_RATE / 10
ROTATION, SHIFT, ZOOM = 10.0, 2.0, 0.1  # degrees, pixels, fraction


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path,
                        default=Path(__file__).resolve().parent.parent / "data" / MNIST_CNN_FILE)
    parser.add_argument("--seed", type=int, default=SEED,
                        help="mlcore.set_seed value (default %(default)s; others measure the spread)")
    args = parser.parse_args()

    (x_train, y_train), (x_test, y_test) = load_mnist(test_split=0.2, normalize=True,
                                                      channel_axis=True, seed=0)
    mlcore.set_seed(args.seed)
    model = mnist_cnn()
    model.compile(mlcore.Adam(learning_rate=LEARNING_RATE), "sparse_categorical_crossentropy",
                  ["accuracy"])
    for epoch in range(EPOCHS):
        if epoch == EPOCHS - SLOW_EPOCHS:
            model.optimizer.learning_rate = LEARNING_RATE / 10
        augmented = augment.random_transform(x_train, rotation_range=ROTATION,
                                             shift_range=SHIFT, zoom_range=ZOOM)
        logs = model.fit(augmented, y_train, batch_size=BATCH, epochs=1, verbose=0).history
        print(f"epoch {epoch + 1:2d}: loss {logs['loss'][0]:.4f}, "
              f"accuracy on augmented training digits {logs['accuracy'][0]:.4f}", flush=True)
    evaluate_and_save(model, x_test, y_test, args.out, "test digits")


if __name__ == "__main__":
    main()
