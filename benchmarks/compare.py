"""What every mlcore-vs-PyTorch benchmark shares: each engine runs in its own
fresh process, the two alternate, and each process prints its result as JSON.

A benchmark script defines ``run_mlcore()`` and ``run_torch()`` (each returns
a JSON-able dict) and calls ``main(__doc__, __file__, runners, report,
summarize)``.
"""
import argparse
import json
import os
import subprocess
import sys

THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def main(doc, script, runners, report, summarize, repeats=3):
    """Parse ``--repeats`` / ``--threads``; run each engine ``repeats`` times.

    Parameters
    ----------
    runners : dict
        ``{'mlcore': run_mlcore, 'torch': run_torch}``.
    report : callable(engine, result)
        Prints one run.
    summarize : callable(runs, args)
        Prints the medians and ratios; ``runs`` maps engine -> list of results.
    """
    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=repeats)
    parser.add_argument("--threads", type=int, default=2,
                        help="BLAS/OpenMP threads of both engines (default 2, one per core)")
    parser.add_argument("--engine", choices=sorted(runners), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.engine:  # the child process: one run, one JSON line
        print(json.dumps(runners[args.engine]()))
        return
    env = dict(os.environ, **{name: str(args.threads) for name in THREAD_VARIABLES})
    runs = {engine: [] for engine in runners}
    for _ in range(args.repeats):
        for engine, results in runs.items():
            out = subprocess.run([sys.executable, script, "--engine", engine], env=env,
                                 capture_output=True, text=True, check=True)
            results.append(json.loads(out.stdout))
            report(engine, results[-1])
    summarize(runs, args)


def torch_threads():
    """The thread count the parent chose, for ``torch.set_num_threads``."""
    return int(os.environ.get("OMP_NUM_THREADS", "2"))


def torch_train_epoch(model, optimizer, loss_fn, x, y, batch_size):
    """One PyTorch epoch over shuffled mini-batches; returns how many predictions were right.

    Counting them is the same work as mlcore's accuracy metric, so both engines do it.
    """
    import torch

    correct = 0
    for index in torch.randperm(len(x)).split(batch_size):
        out = model(x[index])
        loss = loss_fn(out, y[index])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        correct += (out.argmax(1) == y[index]).sum().item()
    return correct
