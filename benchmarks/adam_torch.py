#!/usr/bin/python3
"""One torch.optim.Adam step on CPU over the parameter shapes written by OptimizerShapes.java.

Same settings as OptimizerStepBenchmark.java: lr 3.5e-4, betas 0.9/0.999, eps 1e-8, L2 weight
decay 5e-4 on WEIGHT parameters only, the MVP alpha at 100x, gradients fixed (step() only, no
zero_grad). Times the calling thread's CPU time and wall time per step, median after warm-up.

  adam_torch.py run --params FILE --label NAME --threads N --warmup W --iterations K --results TSV
  adam_torch.py table --results TSV      (markdown table with ratios, Java and torch rows together)
"""
import argparse
import statistics
import sys
import time

LR = 3.5e-4
WD = 5e-4


def read_specs(path):
    specs = []
    with open(path) as f:
        for line in f:
            fields = line.split()
            if not fields:
                continue
            specs.append((fields[0], fields[1], float(fields[2]), tuple(int(d) for d in fields[3:])))
    if not specs:
        sys.exit(f"no parameters in {path}")
    return specs


def build_groups(specs, torch):
    """Parameters grouped as FusedAdam groups them: by (lr multiplier, decayed)."""
    groups = {}
    gen = torch.Generator().manual_seed(1)
    for name, kind, mult, shape in specs:
        p = torch.nn.Parameter(torch.randn(shape, generator=gen) * 0.05)
        p.grad = torch.randn(shape, generator=gen) * 0.01
        decayed = kind == "WEIGHT"
        groups.setdefault((mult, decayed), []).append(p)
    return [{"params": ps, "lr": LR * mult, "weight_decay": WD if decayed else 0.0}
            for (mult, decayed), ps in groups.items()]


def time_steps(opt, warmup, iterations):
    for _ in range(warmup):
        opt.step()
    cpu, wall = [], []
    for _ in range(iterations):
        c0, w0 = time.thread_time_ns(), time.perf_counter_ns()
        opt.step()
        wall.append((time.perf_counter_ns() - w0) / 1e6)
        cpu.append((time.thread_time_ns() - c0) / 1e6)
    return statistics.median(cpu), statistics.median(wall), min(cpu)


def run(args):
    import torch
    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(1)
    specs = read_specs(args.params)
    elements = sum(int(torch.Size(s[3]).numel()) for s in specs)
    print(f"{args.label}: {len(specs)} tensors, {elements} elements, torch {torch.__version__}, "
          f"{torch.get_num_threads()} intra-op threads")
    rows = []
    # torch 1.13: foreach=None means False (single-tensor loop) unless set; run both.
    for variant, foreach in (("torch-adam-single-tensor(default)", False), ("torch-adam-foreach", True)):
        opt = torch.optim.Adam(build_groups(specs, torch), lr=LR, betas=(0.9, 0.999), eps=1e-8, foreach=foreach)
        cpu, wall, cpu_min = time_steps(opt, args.warmup, args.iterations)
        rows.append("\t".join([args.label, "python", variant, str(len(specs)), str(elements),
                               f"{cpu:.3f}", f"{wall:.3f}", f"{cpu_min:.3f}", str(args.iterations)]))
        del opt
    with open(args.results, "a") as out:
        for r in rows:
            out.write(r + "\n")
    print("\n".join(rows))


def table(args):
    rows = [line.rstrip("\n").split("\t") for line in open(args.results) if line.strip()]
    by_net = {}
    for label, side, variant, tensors, elements, cpu, wall, cpu_min, iters in rows:
        by_net.setdefault(label, {})[variant] = (int(tensors), int(elements), float(cpu), float(wall),
                                                 float(cpu_min), int(iters))
    print("| network | tensors | elements | optimiser step | CPU ms (median) | wall ms (median) "
          "| x torch default | x torch foreach |")
    print("| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: |")
    for label, variants in by_net.items():
        ref_default = variants.get("torch-adam-single-tensor(default)")
        ref_foreach = variants.get("torch-adam-foreach")
        for variant, (tensors, elements, cpu, wall, cpu_min, iters) in variants.items():
            r1 = f"{cpu / ref_default[2]:.2f}" if ref_default else "-"
            r2 = f"{cpu / ref_foreach[2]:.2f}" if ref_foreach else "-"
            print(f"| {label} | {tensors} | {elements:,} | {variant} | {cpu:.2f} | {wall:.2f} | {r1} | {r2} |")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run")
    r.add_argument("--params", required=True)
    r.add_argument("--label", required=True)
    r.add_argument("--threads", type=int, default=1)
    r.add_argument("--warmup", type=int, default=5)
    r.add_argument("--iterations", type=int, default=20)
    r.add_argument("--results", required=True)
    t = sub.add_parser("table")
    t.add_argument("--results", required=True)
    args = ap.parse_args()
    run(args) if args.cmd == "run" else table(args)


if __name__ == "__main__":
    main()
