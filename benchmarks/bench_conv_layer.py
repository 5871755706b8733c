"""Speed of one Conv2D layer, forward + backward, mlcore against PyTorch CPU (float32).

Input (32, 14, 14, 16), kernel (3, 3, 16, 32), padding 'same', stride 1: the
second convolution of a small MNIST CNN. Both compute the output, dC/dx,
dC/dkernel and dC/dbias for a fixed dC/d(output). Each engine runs in its own
process (PyTorch in its native NCHW layout), alternating; each process
reports the median of 200 timed steps after 20 warm-up steps, as wall time
and as CPU time of the process.

    python benchmarks/bench_conv_layer.py [--repeats 3] [--threads 2]

``--threads`` sets the BLAS/OpenMP threads of both engines (default 2, one
per core). On a machine busy with other work, wall times of multi-threaded
code swing wildly; ``--threads 1`` and the CPU-time ratio are then the
steadier comparison.

Target (issue 3): mlcore <= 2.5x PyTorch.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

N, H, W, C_IN, C_OUT, K = 32, 14, 14, 16, 32, 3
WARMUP, STEPS = 20, 200
THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def median_step(step):
    """Median (wall seconds, CPU seconds) of one step."""
    for _ in range(WARMUP):
        step()
    wall, cpu = [], []
    for _ in range(STEPS):
        start, start_cpu = time.perf_counter(), time.process_time()
        step()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return statistics.median(wall), statistics.median(cpu)


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

    torch.set_num_threads(int(os.environ["OMP_NUM_THREADS"]))
    torch.manual_seed(0)
    x = torch.randn(N, C_IN, H, W)
    grad = torch.randn(N, C_OUT, H, W)
    conv = torch.nn.Conv2d(C_IN, C_OUT, K, padding=K // 2)

    def step():
        xr = x.detach().requires_grad_()  # dC/dx too, as mlcore computes it
        conv.zero_grad()
        conv(xr).backward(grad)

    return median_step(step)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--engine", choices=["mlcore", "torch"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.engine:
        wall, cpu = (run_mlcore if args.engine == "mlcore" else run_torch)()
        print(json.dumps({"wall": wall, "cpu": cpu}))
        return
    env = dict(os.environ, **{name: str(args.threads) for name in THREAD_VARIABLES})
    times = {"mlcore": [], "torch": []}
    for _ in range(args.repeats):
        for engine in times:
            out = subprocess.run([sys.executable, __file__, "--engine", engine], env=env,
                                 capture_output=True, text=True, check=True)
            times[engine].append(json.loads(out.stdout))
            print(f"{engine:7s} wall {times[engine][-1]['wall'] * 1e3:6.2f} ms, "
                  f"cpu {times[engine][-1]['cpu'] * 1e3:6.2f} ms per forward+backward")
    print(f"\n{args.threads} thread(s), median of {args.repeats} processes:")
    for clock in ("wall", "cpu"):
        m = statistics.median(r[clock] for r in times["mlcore"])
        t = statistics.median(r[clock] for r in times["torch"])
        print(f"  {clock:4s}: mlcore {m * 1e3:.2f} ms, torch {t * 1e3:.2f} ms, "
              f"ratio mlcore / torch = {m / t:.2f} (target <= 2.5)")


if __name__ == "__main__":
    main()
