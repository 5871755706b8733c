"""Speed of one Conv2D layer, forward + backward, mlcore against PyTorch CPU (float32).

Input (32, 14, 14, 16), kernel (3, 3, 16, 32), padding 'same', stride 1: the
second convolution of a small MNIST CNN. Both compute the output, dC/dx,
dC/dkernel and dC/dbias for a fixed dC/d(output). Each engine runs in its own
process (PyTorch in its native NCHW layout), alternating; each process
reports, after 20 warm-up steps, the median wall time of 200 timed steps and
the mean CPU time of the process over them.

    python benchmarks/bench_conv_layer.py [--repeats 3] [--threads 2]

``--threads`` sets the BLAS/OpenMP threads of both engines (default 2, one
per core). On a machine busy with other work, wall times of multi-threaded
code swing wildly; ``--threads 1`` and the CPU-time ratio are then the
steadier comparison.

Target (issue 3): mlcore <= 2.5x PyTorch.
"""
import statistics
import time

import compare  # this folder: run engines in alternating processes

N, H, W, C_IN, C_OUT, K = 32, 14, 14, 16, 32, 3
WARMUP, STEPS = 20, 200


def median_step(step):
    """Median wall and mean CPU seconds of one step: ``{'wall': ..., 'cpu': ...}``."""
    for _ in range(WARMUP):
        step()
    wall = []
    start_cpu = time.process_time()
    for _ in range(STEPS):
        start = time.perf_counter()
        step()
        wall.append(time.perf_counter() - start)
    # CPU time over all steps: the kernel updates other threads' CPU time only now and
    # then, so per-step CPU readings of a multi-threaded process are too coarse.
    return {"wall": statistics.median(wall), "cpu": (time.process_time() - start_cpu) / STEPS}


def run_mlcore():
    import numpy as np

    import mlcore
    from mlcore import Conv2D

    mlcore.set_seed(0)
    rng = np.random.default_rng(0)
    x = rng.standard_normal((N, H, W, C_IN)).astype("float32")
    grad = rng.standard_normal((N, H, W, C_OUT)).astype("float32")
    layer = Conv2D(C_OUT, K, padding="same", input_shape=(H, W, C_IN))
    layer.build((H, W, C_IN))

    def step():
        layer.forward(x, training=True)
        layer.backward(grad)

    return median_step(step)


def run_torch():
    import torch

    torch.set_num_threads(compare.torch_threads())
    torch.manual_seed(0)
    x = torch.randn(N, C_IN, H, W)
    grad = torch.randn(N, C_OUT, H, W)
    conv = torch.nn.Conv2d(C_IN, C_OUT, K, padding=K // 2)

    def step():
        xr = x.detach().requires_grad_()  # dC/dx too, as mlcore computes it
        conv.zero_grad()
        conv(xr).backward(grad)

    return median_step(step)


def report(engine, result):
    print(f"{engine:7s} wall {result['wall'] * 1e3:6.2f} ms, "
          f"cpu {result['cpu'] * 1e3:6.2f} ms per forward+backward")


def summarize(runs, args):
    print(f"\n{args.threads} thread(s), median of {args.repeats} processes:")
    for clock in ("wall", "cpu"):
        m = statistics.median(r[clock] for r in runs["mlcore"])
        t = statistics.median(r[clock] for r in runs["torch"])
        print(f"  {clock:4s}: mlcore {m * 1e3:.2f} ms, torch {t * 1e3:.2f} ms, "
              f"ratio mlcore / torch = {m / t:.2f} (target <= 2.5)")


if __name__ == "__main__":
    compare.main(__doc__, __file__, {"mlcore": run_mlcore, "torch": run_torch}, report, summarize)
