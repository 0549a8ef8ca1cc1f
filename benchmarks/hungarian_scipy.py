#!/usr/bin/env python3
"""SciPy's linear_sum_assignment on the same kinds of matrices as HungarianBenchmark (same
distributions and forbidden-cell patterns, P x K batches with K = 4). Prints microseconds per call."""
import sys
import timeit

import numpy as np
from scipy.optimize import linear_sum_assignment


def matrix(kind, n, rng, k=4):
    d = rng.random((n, n))
    ids = np.arange(n) // k
    same = ids[:, None] == ids[None, :]
    if kind == "uniform":
        return d, False
    if kind == "mvp-positive":
        return np.where(same, np.maximum(0, d - 0.3), -np.inf), True
    if kind == "mvp-negative":
        return np.where(same, -np.inf, np.maximum(0, 0.5 - d)), True
    raise ValueError(kind)


def main():
    rng = np.random.default_rng(42)
    print(f"scipy {__import__('scipy').__version__}")
    for kind in ("uniform", "mvp-positive", "mvp-negative"):
        for n in (64, 128):
            m, maximize = matrix(kind, n, rng)
            timer = timeit.Timer(lambda: linear_sum_assignment(m, maximize=maximize))
            loops, _ = timer.autorange()
            best = min(timer.repeat(repeat=5, number=loops)) / loops
            print(f"scipy.linear_sum_assignment {kind:13s} n={n:4d} {best * 1e6:10.1f} us/op")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
