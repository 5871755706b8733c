"""Where mlcore's time goes in one training step of the reference CNN.

Times each layer's forward and backward pass, the loss and the optimizer
step on one batch of 32 (the same work ``fit`` does, including skipping
dC/dx of the first layer), and prints the median microseconds of each part
and its share of the step. The model is bench_cnn.py's.

    python benchmarks/profile_cnn.py [--steps 300] [--threads 1]

``--threads`` sets the BLAS threads (default 1, as the course runs).
"""
import argparse
import os
import statistics
import sys
import time


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--steps", type=int, default=300)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    if "numpy" not in sys.modules:  # BLAS reads its thread count when NumPy loads
        for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
            os.environ[name] = str(args.threads)
    import bench_cnn  # this folder: the model and data

    (x, y), _ = bench_cnn.data()
    model = bench_cnn.mlcore_model()
    xb = x[:bench_cnn.BATCH]
    yb = model._prepare_y(y[:bench_cnn.BATCH], xb, "profile")
    parts = {}

    def timed(name, fn, *fn_args, **fn_kwargs):
        start = time.perf_counter()
        result = fn(*fn_args, **fn_kwargs)
        parts.setdefault(name, []).append(time.perf_counter() - start)
        return result

    for _ in range(args.steps):
        out = xb
        for layer in model.layers:
            out = timed(f"{layer.name} forward", layer.forward, out, training=True)
        grad = timed("loss and its gradient",
                     lambda: (model.loss.value(yb, out), model.loss.grad(yb, out))[1])
        for i, layer in reversed(list(enumerate(model.layers))):
            kwargs = {} if i else {"input_gradient": False}
            grad = timed(f"{layer.name} backward", layer.backward, grad, **kwargs)
        timed("optimizer step", model.optimizer.apply_gradients, model._trainable_pairs())
    medians = {name: statistics.median(times) * 1e6 for name, times in parts.items()}
    total = sum(medians.values())
    print(f"{args.threads} BLAS thread(s), median over {args.steps} steps of batch "
          f"{bench_cnn.BATCH}:")
    for name, us in medians.items():
        print(f"  {name:32s} {us:7.0f} us  {us / total:5.1%}")
    print(f"  {'step':32s} {total:7.0f} us")


if __name__ == "__main__":
    main()
