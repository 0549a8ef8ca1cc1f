#!/usr/bin/env python3
"""Compares two libtorch operator profiles (Chrome traces) of the same training step, per step.

The Java side's trace comes from DJL's JniUtils.startProfile/stopProfile (TrainingStepBenchmark
-Dprofile=...), the Python side's from torch.autograd.profiler (training_step_torch.py --profile).
Operators nest (aten::conv2d calls aten::convolution calls the kernel); each call's *self* time is
its duration less that of the calls nested in it on the same thread, so the self times add up to the
time spent in operators. Prints, per step, the self time and call count of each operator on both
sides, largest difference first, and the totals.

    op_profile.py <djl-trace.json> <djl-steps> <torch-trace.json> <torch-steps> [rows]
"""
import collections
import json
import sys


def self_times(path):
    """{operator name: [self microseconds, calls]} over the trace's complete ("X") events."""
    with open(path) as f:
        data = json.load(f)
    events = data["traceEvents"] if isinstance(data, dict) else data
    by_thread = collections.defaultdict(list)
    for e in events:
        if e.get("ph") == "X" and "dur" in e and e.get("cat", "cpu_op") in ("cpu_op", "operator", "Operator"):
            by_thread[(e.get("pid"), e.get("tid"))].append((float(e["ts"]), float(e["dur"]), e["name"]))
    totals = collections.defaultdict(lambda: [0.0, 0])
    for calls in by_thread.values():
        calls.sort(key=lambda c: (c[0], -c[1]))
        stack = []  # [end, name, child time]
        for ts, dur, name in calls:
            while stack and stack[-1][0] <= ts:
                end, n, child = stack.pop()
                totals[n][0] -= child
            if stack:
                stack[-1][2] += dur
            totals[name][0] += dur
            totals[name][1] += 1
            stack.append([ts + dur, name, 0.0])
        while stack:
            end, n, child = stack.pop()
            totals[n][0] -= child
    return totals


def main():
    djl_path, djl_steps, torch_path, torch_steps = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
    rows = int(sys.argv[5]) if len(sys.argv) > 5 else 30
    djl = self_times(djl_path)
    torch = self_times(torch_path)
    names = set(djl) | set(torch)
    per_step = []
    for n in names:
        d = djl.get(n, [0.0, 0])
        t = torch.get(n, [0.0, 0])
        per_step.append((n, d[0] / djl_steps / 1000, d[1] / djl_steps, t[0] / torch_steps / 1000, t[1] / torch_steps))
    per_step.sort(key=lambda r: -abs(r[1] - r[3]))
    print("| operator | DJL self ms/step | DJL calls/step | torch self ms/step | torch calls/step | DJL - torch ms |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for n, dm, dc, tm, tc in per_step[:rows]:
        print(f"| `{n}` | {dm:.2f} | {dc:.0f} | {tm:.2f} | {tc:.0f} | {dm - tm:+.2f} |")
    dt = sum(r[1] for r in per_step)
    tt = sum(r[3] for r in per_step)
    dc = sum(r[2] for r in per_step)
    tc = sum(r[4] for r in per_step)
    print(f"| **all operators** | **{dt:.1f}** | {dc:.0f} | **{tt:.1f}** | {tc:.0f} | {dt - tt:+.1f} |")


if __name__ == "__main__":
    main()
