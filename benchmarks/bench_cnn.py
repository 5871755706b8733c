"""Speed of the reference CNN: mlcore against the same model in PyTorch CPU.

Conv2D(8, 3, same, relu) -> MaxPooling2D(2) -> Conv2D(16, 3, same, relu) ->
MaxPooling2D(2) -> Flatten -> Dense(10, softmax); Adam 1e-3, batch 32, on
MNIST-5k split 4,000 train / 1,000 test (stratified, seed 0), 5 epochs.
Each engine runs in its own fresh process, the two alternating; every epoch
is timed (the training loop only, no evaluation) as wall time and as CPU
time of the process, and the medians are compared. Each run also reports its
test accuracy after the 5 epochs and its peak resident memory.

    python benchmarks/bench_cnn.py [--repeats 3] [--threads 2]

``--threads`` sets the BLAS/OpenMP threads of both engines (default 2, one
per core). On a machine busy with other work, wall times of multi-threaded
code swing wildly; ``--threads 1`` and the CPU-time ratio are then the
steadier comparison.

Targets (issue 3): mlcore <= 1.3x PyTorch per epoch, accuracy >= 0.95,
peak memory < 500 MB. The accuracy is the recipe's more than the engine's:
keras_reference.py trains the same recipe in real Keras over several seeds.
"""
import resource
import statistics
import time

import compare  # this folder: run engines in alternating processes

EPOCHS, BATCH, LR = 5, 32, 1e-3


class EpochClock:
    """Wall and CPU seconds of each epoch: ``start()`` then ``stop()`` around each."""

    def __init__(self):
        self.wall, self.cpu = [], []

    def start(self, *args):
        self._wall, self._cpu = time.perf_counter(), time.process_time()

    def stop(self, *args):
        self.wall.append(time.perf_counter() - self._wall)
        self.cpu.append(time.process_time() - self._cpu)


def data():
    from mlcore.data import load_mnist

    return load_mnist(test_split=0.2, normalize=True, channel_axis=True, seed=0)


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def mlcore_model(seed=0):
    """The reference CNN in mlcore, compiled, its weights drawn after ``set_seed(seed)``."""
    import mlcore
    from mlcore import Adam, Conv2D, Dense, Flatten, MaxPooling2D, Sequential

    mlcore.set_seed(seed)
    model = Sequential([
        Conv2D(8, 3, padding="same", activation="relu", input_shape=(28, 28, 1)),
        MaxPooling2D(2),
        Conv2D(16, 3, padding="same", activation="relu"),
        MaxPooling2D(2),
        Flatten(),
        Dense(10, activation="softmax"),
    ])
    model.compile(Adam(learning_rate=LR), "sparse_categorical_crossentropy", ["accuracy"])
    return model


def run_mlcore():
    from mlcore import LambdaCallback

    (x, y), (x_test, y_test) = data()
    model = mlcore_model()
    clock = EpochClock()
    model.fit(x, y, batch_size=BATCH, epochs=EPOCHS, verbose=0,
              callbacks=[LambdaCallback(on_epoch_begin=clock.start, on_epoch_end=clock.stop)])
    accuracy = model.evaluate(x_test, y_test, batch_size=256)[1]
    return clock, accuracy


def run_torch():
    import numpy as np
    import torch

    torch.set_num_threads(compare.torch_threads())
    torch.manual_seed(0)
    (x, y), (x_test, y_test) = data()
    to_nchw = lambda a: torch.tensor(a).permute(0, 3, 1, 2).contiguous()  # noqa: E731
    xt, yt = to_nchw(x), torch.tensor(y)
    nn = torch.nn
    model = nn.Sequential(nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                          nn.Conv2d(8, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                          nn.Flatten(), nn.Linear(16 * 7 * 7, 10))
    optimizer = torch.optim.Adam(model.parameters(), lr=LR, eps=1e-7)
    loss_fn = nn.CrossEntropyLoss()
    clock = EpochClock()
    for _ in range(EPOCHS):
        clock.start()
        compare.torch_train_epoch(model, optimizer, loss_fn, xt, yt, BATCH)
        clock.stop()
    with torch.no_grad():
        accuracy = (model(to_nchw(x_test)).argmax(1).numpy() == np.asarray(y_test)).mean()
    return clock, float(accuracy)


def report(engine, r):
    print(f"{engine:7s} s/epoch wall {' '.join(f'{t:.2f}' for t in r['wall'])}, "
          f"cpu {' '.join(f'{t:.2f}' for t in r['cpu'])}; "
          f"test accuracy {r['accuracy']:.3f}; peak RSS {r['rss']:.0f} MB")


def summarize(runs, args):
    print(f"\n{args.threads} thread(s), median over {args.repeats} runs x {EPOCHS} epochs:")
    for clock in ("wall", "cpu"):
        m = statistics.median(t for r in runs["mlcore"] for t in r[clock])
        t = statistics.median(t for r in runs["torch"] for t in r[clock])
        print(f"  {clock:4s}: mlcore {m:.3f} s/epoch, torch {t:.3f} s/epoch, "
              f"ratio mlcore / torch = {m / t:.2f} (target <= 1.0)")
    for engine, results in runs.items():
        accuracies = ", ".join(f"{r['accuracy']:.3f}" for r in results)
        print(f"  {engine}: test accuracy {accuracies} (same model, data and steps); "
              f"peak RSS {max(r['rss'] for r in results):.0f} MB (target < 500)")


def measured(run):
    """A child's result: per-epoch clocks, test accuracy and peak memory."""
    def child():
        clock, accuracy = run()
        return {"wall": clock.wall, "cpu": clock.cpu, "accuracy": accuracy, "rss": peak_rss_mb()}
    return child


if __name__ == "__main__":
    compare.main(__doc__, __file__, {"mlcore": measured(run_mlcore), "torch": measured(run_torch)},
                 report, summarize)
