"""Speed of a small dense model: mlcore against a plain PyTorch CPU loop.

The course's side-effects model (1-16-32-2, Adam 1e-4, batch 10, 30 epochs,
2,100 samples). Each engine runs in its own fresh process, alternating, and
the median wall time of the training loop is compared, and its CPU time (of
the process; the steadier figure when other work shares the machine).

    python benchmarks/bench_dense.py [--repeats 5] [--threads 2]
"""
import statistics
import time

import compare  # this folder: run engines in alternating processes

EPOCHS, BATCH, LR = 30, 10, 1e-4


def data():
    from mlcore.data import side_effects_data

    ages, labels = side_effects_data(seed=0)
    return ((ages - 13) / 87).astype("float32").reshape(-1, 1), labels


def run_mlcore():
    import mlcore
    from mlcore import Adam, Dense, Sequential

    x, y = data()
    mlcore.set_seed(0)
    model = Sequential([Dense(16, input_shape=(1,), activation="relu"),
                        Dense(32, activation="relu"), Dense(2, activation="softmax")])
    model.compile(Adam(learning_rate=LR), "sparse_categorical_crossentropy", ["accuracy"])
    start, cpu = time.perf_counter(), time.process_time()
    history = model.fit(x, y, batch_size=BATCH, epochs=EPOCHS, verbose=0)
    return {"seconds": time.perf_counter() - start, "cpu": time.process_time() - cpu,
            "accuracy": history.history["accuracy"][-1]}


def run_torch():
    import numpy as np
    import torch

    torch.set_num_threads(compare.torch_threads())
    torch.manual_seed(0)
    x, y = data()
    xt, yt = torch.tensor(x), torch.tensor(y.astype(np.int64))
    model = torch.nn.Sequential(torch.nn.Linear(1, 16), torch.nn.ReLU(), torch.nn.Linear(16, 32),
                                torch.nn.ReLU(), torch.nn.Linear(32, 2))
    optimizer = torch.optim.Adam(model.parameters(), lr=LR, eps=1e-7)
    loss_fn = torch.nn.CrossEntropyLoss()
    start, cpu = time.perf_counter(), time.process_time()
    for _ in range(EPOCHS):
        correct = compare.torch_train_epoch(model, optimizer, loss_fn, xt, yt, BATCH)
    return {"seconds": time.perf_counter() - start, "cpu": time.process_time() - cpu,
            "accuracy": correct / len(xt)}


def report(engine, result):
    print(f"{engine:7s} {result['seconds']:.3f} s wall, {result['cpu']:.3f} s cpu  "
          f"final train accuracy {result['accuracy']:.3f}")


def summarize(runs, args):
    steps = EPOCHS * -(-2100 // BATCH)
    print(f"\n{args.threads} thread(s), median of {args.repeats}:")
    for clock, key in (("wall", "seconds"), ("cpu", "cpu")):
        m = statistics.median(r[key] for r in runs["mlcore"])
        t = statistics.median(r[key] for r in runs["torch"])
        print(f"  {clock:4s}: mlcore {m:.3f} s ({m / steps * 1e6:.0f} us/step), torch {t:.3f} s "
              f"({t / steps * 1e6:.0f} us/step), ratio mlcore / torch = {m / t:.2f} (target <= 0.25)")


if __name__ == "__main__":
    compare.main(__doc__, __file__, {"mlcore": run_mlcore, "torch": run_torch}, report, summarize,
                 repeats=5)
