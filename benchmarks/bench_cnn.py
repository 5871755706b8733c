"""Speed of the reference CNN: mlcore against the same model in PyTorch CPU.

Conv2D(8, 3, same, relu) -> MaxPooling2D(2) -> Conv2D(16, 3, same, relu) ->
MaxPooling2D(2) -> Flatten -> Dense(10, softmax); Adam 1e-3, batch 32, on
MNIST-5k split 4,000 train / 1,000 test (stratified, seed 0), 5 epochs.
Each engine runs in its own fresh process (PyTorch with 2 threads), the two
alternating; every epoch is timed (the training loop only, no evaluation)
and the medians are compared. Each run also reports its test accuracy after
the 5 epochs and its peak resident memory.

    python benchmarks/bench_cnn.py [--repeats 3]

Targets (issue 3): mlcore <= 1.3x PyTorch per epoch, accuracy >= 0.95,
peak memory < 500 MB.
"""
import argparse
import json
import resource
import statistics
import subprocess
import sys
import time

EPOCHS, BATCH, LR = 5, 32, 1e-3


def data():
    from mlcore.data import load_mnist

    return load_mnist(test_split=0.2, normalize=True, channel_axis=True, seed=0)


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def run_mlcore():
    import mlcore
    from mlcore import Adam, Conv2D, Dense, Flatten, LambdaCallback, MaxPooling2D, Sequential

    (x, y), (x_test, y_test) = data()
    mlcore.set_seed(0)
    model = Sequential([
        Conv2D(8, 3, padding="same", activation="relu", input_shape=(28, 28, 1)),
        MaxPooling2D(2),
        Conv2D(16, 3, padding="same", activation="relu"),
        MaxPooling2D(2),
        Flatten(),
        Dense(10, activation="softmax"),
    ])
    model.compile(Adam(learning_rate=LR), "sparse_categorical_crossentropy", ["accuracy"])
    epoch_times, start = [], [0.0]
    clock = LambdaCallback(on_epoch_begin=lambda epoch: start.__setitem__(0, time.perf_counter()),
                           on_epoch_end=lambda epoch, logs: epoch_times.append(
                               time.perf_counter() - start[0]))
    model.fit(x, y, batch_size=BATCH, epochs=EPOCHS, verbose=0, callbacks=[clock])
    accuracy = model.evaluate(x_test, y_test, batch_size=256)[1]
    return epoch_times, accuracy


def run_torch():
    import numpy as np
    import torch

    torch.set_num_threads(2)
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
    epoch_times = []
    for _ in range(EPOCHS):
        start = time.perf_counter()
        correct = 0
        for index in torch.randperm(len(xt)).split(BATCH):
            out = model(xt[index])
            loss = loss_fn(out, yt[index])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            correct += (out.argmax(1) == yt[index]).sum().item()  # same work as mlcore's metric
        epoch_times.append(time.perf_counter() - start)
    with torch.no_grad():
        accuracy = (model(to_nchw(x_test)).argmax(1).numpy() == np.asarray(y_test)).mean()
    return epoch_times, float(accuracy)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--engine", choices=["mlcore", "torch"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.engine:
        epoch_times, accuracy = (run_mlcore if args.engine == "mlcore" else run_torch)()
        print(json.dumps({"epochs": epoch_times, "accuracy": accuracy, "rss": peak_rss_mb()}))
        return
    epochs = {"mlcore": [], "torch": []}
    for _ in range(args.repeats):
        for engine in epochs:
            out = subprocess.run([sys.executable, __file__, "--engine", engine],
                                 capture_output=True, text=True, check=True)
            result = json.loads(out.stdout)
            epochs[engine] += result["epochs"]
            print(f"{engine:7s} s/epoch {' '.join(f'{t:.2f}' for t in result['epochs'])}  "
                  f"test accuracy {result['accuracy']:.3f}  peak RSS {result['rss']:.0f} MB")
    m, t = statistics.median(epochs["mlcore"]), statistics.median(epochs["torch"])
    print(f"\nmedian s/epoch over {args.repeats} runs x {EPOCHS} epochs: "
          f"mlcore {m:.3f}, torch {t:.3f}")
    print(f"ratio mlcore / torch = {m / t:.2f} (target <= 1.3)")


if __name__ == "__main__":
    main()
