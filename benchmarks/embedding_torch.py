#!/usr/bin/python3
"""Inference throughput of reid-core's embedding networks in PyTorch, the peer of EmbeddingBenchmark.java.

The modules below are written from reid-core's blocks (org.reid.core.model): SmallBackbone (3x3
conv-BN-ReLU 32/s2, 64/s2, 128/s2, 128, 256/s2, 256), ResNet50 (torchvision "v1.5" bottlenecks, the
stride on the 3x3 conv, last stride 1), global average pooling and the BNNeck (BatchNorm1d, bias
frozen at 0). Each run checks the architecture against the DJL side: equal parameter counts, then
the DJL weights (exported as raw float32 by WeightExport.java, in DJL's order, shapes checked one by
one) are loaded and the embeddings of DJL's reference inputs must agree.

Timed paths, same rule as RepeatedTiming.java (warm-up >= 1 call and `--warmup` seconds, at most 5;
then ceil(budget / last warm-up call) calls, clamped to [3, 20]; median wall time, and median process
CPU time, which on a shared machine leaves out the time spent waiting for a core; CPU time is taken
over all timed calls and divided by their number, as the JVM only gives it in 10 ms ticks):
  network     model(x) on a ready [B, 3, H, W] float tensor, eval mode, no grad, output copied out
  preprocess  decoded uint8 [B, h, w, 3] crops -> float, bilinear resize (align_corners=False),
              ImageNet normalisation: what ImagePreprocessor does in Java
  embed       preprocess + network

  embedding_torch.py run --case small|resnet50 --dir OUT/CASE --threads N --batches 1,8,32,64 --results TSV
  embedding_torch.py table --results TSV
  embedding_torch.py profile --case small --dir OUT/CASE --threads N --batch B     (torch op profile)
  embedding_torch.py trace --trace FILE --calls 20       (summarise EmbeddingProfile.java's libtorch trace)
  embedding_torch.py export --case resnet50 --dir OUT/CASE --out model.pt
              the same network with DJL's weights as TorchScript (torch.jit.trace), the file a
              torchreid user would export: imported-embedding.sh imports it and times it against ours
"""
import argparse
import math
import statistics
import sys
import time

MEAN = (0.485, 0.456, 0.406)
STD = (0.229, 0.224, 0.225)
MIN_REPS = 3
MAX_WARMUP = 5  # --max-warmup, like -Dbench.maxWarmup
MAX_REPS = 20  # --max-reps, like -Dbench.maxReps on the Java side


def build(case, torch):
    nn = torch.nn

    def conv_bn_relu(cin, cout, k, s):
        return [nn.Conv2d(cin, cout, k, s, k // 2, bias=False), nn.BatchNorm2d(cout, eps=1e-5, momentum=0.1),
                nn.ReLU(inplace=True)]

    class Bottleneck(nn.Module):
        expansion = 4

        def __init__(self, cin, width, stride, project):
            super().__init__()
            self.main = nn.Sequential(*conv_bn_relu(cin, width, 1, 1), *conv_bn_relu(width, width, 3, stride),
                                      nn.Conv2d(width, width * 4, 1, 1, 0, bias=False), nn.BatchNorm2d(width * 4))
            self.shortcut = nn.Sequential(nn.Conv2d(cin, width * 4, 1, stride, 0, bias=False),
                                          nn.BatchNorm2d(width * 4)) if project else None

        def forward(self, x):
            y = self.main(x)
            return torch.relu(y + (x if self.shortcut is None else self.shortcut(x)))

    def small():
        layers, cin = conv_bn_relu(3, 32, 3, 2), 32
        for cout, s in ((64, 2), (128, 2), (128, 1), (256, 2), (256, 1)):
            layers += conv_bn_relu(cin, cout, 3, s)
            cin = cout
        return nn.Sequential(*layers), cin

    def resnet50(last_stride=1):
        layers = conv_bn_relu(3, 64, 7, 2) + [nn.MaxPool2d(3, 2, 1)]
        cin = 64
        for stage, (units, width) in enumerate(zip((3, 4, 6, 3), (64, 128, 256, 512))):
            stride = 1 if stage == 0 else last_stride if stage == 3 else 2
            for unit in range(units):
                s = stride if unit == 0 else 1
                layers.append(Bottleneck(cin, width, s, unit == 0 and (s != 1 or cin != width * 4)))
                cin = width * 4
        return nn.Sequential(*layers), cin

    class EmbeddingNet(nn.Module):
        def __init__(self, backbone, channels):
            super().__init__()
            self.backbone = backbone
            self.neck = nn.BatchNorm1d(channels, eps=1e-5, momentum=0.1)
            self.neck.bias.requires_grad_(False)  # BoT's BNNeck: shift frozen at 0 (DJL: optCenter(false))

        def forward(self, x):
            f = self.backbone(x)
            return self.neck(f.flatten(2).mean(2))

    backbone, channels = {"small": small, "resnet50": resnet50}[case]()
    return EmbeddingNet(backbone, channels).eval()


def read_meta(path):
    with open(path) as f:
        return {k: int(v) for k, v in (line.split() for line in f if line.strip())}


def counts(model):
    state = [t for name, t in model.state_dict().items() if not name.endswith("num_batches_tracked")]
    return (len(state), sum(t.numel() for t in state),
            sum(p.numel() for p in model.parameters() if p.requires_grad))


def load_djl_weights(model, directory, torch, np):
    specs = []
    with open(f"{directory}/params.txt") as f:
        for line in f:
            fields = line.split()
            specs.append((fields[0], tuple(int(d) for d in fields[3:])))
    flat = np.fromfile(f"{directory}/params.f32", dtype="<f4")
    targets = [(n, t) for n, t in model.state_dict().items() if not n.endswith("num_batches_tracked")]
    if len(targets) != len(specs):
        sys.exit(f"{len(specs)} DJL tensors but {len(targets)} torch tensors")
    offset = 0
    with torch.no_grad():
        for (djl_name, shape), (name, tensor) in zip(specs, targets):
            if tuple(tensor.shape) != shape:
                sys.exit(f"shape mismatch: DJL {djl_name} {shape} vs torch {name} {tuple(tensor.shape)}")
            n = tensor.numel()
            tensor.copy_(torch.from_numpy(flat[offset:offset + n].copy()).reshape(shape))
            offset += n
    if offset != flat.size:
        sys.exit(f"params.f32 holds {flat.size} floats, the shapes {offset}")


def preprocess(crops_u8, height, width, torch):
    x = crops_u8.permute(0, 3, 1, 2).float().div_(255)
    x = torch.nn.functional.interpolate(x, size=(height, width), mode="bilinear", align_corners=False)
    mean = torch.tensor(MEAN).view(1, 3, 1, 1)
    std = torch.tensor(STD).view(1, 3, 1, 1)
    return (x - mean) / std


def agreement(label, got, ref):
    diff = (got - ref).abs().max().item()
    scale = ref.abs().max().item()
    print(f"  {label}: max |torch - djl| = {diff:.3g}, max |djl| = {scale:.3g}, relative {diff / scale:.3g}")
    return diff, diff / scale


def time_call(call, warmup, budget):
    start = time.perf_counter()
    warm = 0
    while True:
        t0 = time.perf_counter()
        call()
        last = (time.perf_counter() - t0) * 1000
        warm += 1
        if warm >= MAX_WARMUP or time.perf_counter() - start >= warmup:
            break
    reps = int(max(MIN_REPS, min(MAX_REPS, math.ceil(budget * 1000 / max(last, 1e-3)))))
    ms = []
    cpu0 = time.process_time()
    for _ in range(reps):
        t0 = time.perf_counter()
        call()
        ms.append((time.perf_counter() - t0) * 1000)
    return statistics.median(ms), min(ms), (time.process_time() - cpu0) * 1000 / reps, reps


def run(args):
    global MAX_REPS, MAX_WARMUP
    MAX_REPS, MAX_WARMUP = args.max_reps, args.max_warmup
    import numpy as np
    import torch
    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(1)
    torch.manual_seed(1)
    meta = read_meta(f"{args.dir}/meta.txt")
    h, w, ch, cw, n, dim = (meta[k] for k in ("height", "width", "crop_height", "crop_width", "images", "dim"))
    model = build(args.case, torch)
    tensors, total, trainable = counts(model)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} intra-op threads, mkldnn "
          f"{torch.backends.mkldnn.is_available()}")
    print(f"{args.case}: torch {tensors} tensors, {total} elements (running statistics included), {trainable} "
          f"trainable; DJL {meta['djl_tensors']} tensors, {meta['djl_params_all']} elements, "
          f"{meta['djl_params_trainable']} trainable")
    if (tensors, total, trainable) != (meta["djl_tensors"], meta["djl_params_all"], meta["djl_params_trainable"]):
        sys.exit("parameter counts differ: not the same architecture")
    load_djl_weights(model, args.dir, torch, np)
    with torch.no_grad():
        ref_in = torch.from_numpy(np.fromfile(f"{args.dir}/ref-input.f32", dtype="<f4")).reshape(n, 3, h, w)
        ref_out = torch.from_numpy(np.fromfile(f"{args.dir}/ref-output.f32", dtype="<f4")).reshape(n, dim)
        crops = torch.from_numpy(np.fromfile(f"{args.dir}/ref-crops.u8", dtype=np.uint8)).reshape(n, ch, cw, 3)
        ref_embed = torch.from_numpy(np.fromfile(f"{args.dir}/ref-embed.f32", dtype="<f4")).reshape(n, dim)
        net_diff = agreement("network on DJL's input tensors", model(ref_in), ref_out)
        emb_diff = agreement("preprocess + network on the crops vs Embedder.embed",
                             model(preprocess(crops, h, w, torch)), ref_embed)
    with open(args.agreement, "a") as f:
        f.write("\t".join([args.case, str(total), str(trainable), f"{net_diff[0]:.3g}", f"{net_diff[1]:.3g}",
                           f"{emb_diff[0]:.3g}", f"{emb_diff[1]:.3g}", torch.__version__]) + "\n")

    rows = []
    with torch.no_grad():
        for b in (int(s) for s in args.batches.split(",")):
            x = torch.randn(b, 3, h, w)
            u8 = torch.randint(0, 256, (b, ch, cw, 3), dtype=torch.uint8)
            paths = (("network", lambda: model(x).numpy().copy()),
                     ("preprocess", lambda: preprocess(u8, h, w, torch)),
                     ("embed", lambda: model(preprocess(u8, h, w, torch)).numpy().copy()))
            for path, call in paths:
                med, low, cpu, reps = time_call(call, args.warmup, args.budget)
                row = "\t".join([args.case, "torch", path, str(args.threads), str(b), f"{med:.3f}",
                                 f"{b * 1000 / med:.1f}", f"{low:.3f}", f"{cpu:.3f}", str(reps)])
                print(row)
                rows.append(row)
    with open(args.results, "a") as f:
        f.write("".join(r + "\n" for r in rows))


def table(args):
    rows = {}
    with open(args.results) as f:
        for line in f:
            case, side, path, threads, batch, med, ips, low, cpu, reps = line.split("\t")
            rows[(case, side, path, int(threads), int(batch))] = (float(med), float(ips), float(cpu), float(low))
    keys = sorted({(c, t, b) for c, _, _, t, b in rows}, key=lambda k: (k[0] != "small", k[0], k[1], k[2]))

    def ips(case, side, path, t, b):
        r = rows.get((case, side, path, t, b))
        return r[1] if r else float("nan")

    def ms(case, side, path, t, b, column=0):
        r = rows.get((case, side, path, t, b))
        return r[column] if r else float("nan")

    def cpu_ratio(case, path, t, b):
        """DJL/torch throughput per CPU second: torch CPU ms / DJL CPU ms."""
        return ms(case, "torch", path, t, b, 2) / ms(case, "djl", path, t, b, 2)

    def min_ratio(case, path, t, b):
        """DJL/torch throughput from the fastest call of each side."""
        return ms(case, "torch", path, t, b, 3) / ms(case, "djl", path, t, b, 3)

    print("DJL/torch = throughput ratio from median wall time; by min = from the fastest call; by CPU = from mean "
          "process CPU time per call.")
    print()
    print("| case | threads | batch | network DJL img/s | network torch img/s | DJL/torch | by min | by CPU "
          "| embed DJL img/s | embed torch img/s | DJL/torch | by min | by CPU | preprocess DJL ms "
          "| preprocess torch ms | DJL preprocess / embed |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for case, t, b in keys:
        nd, nt = ips(case, "djl", "network", t, b), ips(case, "torch", "network", t, b)
        ed, et = ips(case, "djl", "embed", t, b), ips(case, "torch", "embed", t, b)
        pd, pt = ms(case, "djl", "preprocess", t, b), ms(case, "torch", "preprocess", t, b)
        share = pd / ms(case, "djl", "embed", t, b)
        print(f"| {case} | {t} | {b} | {nd:.1f} | {nt:.1f} | **{nd / nt:.2f}x** | {min_ratio(case, 'network', t, b):.2f}x "
              f"| {cpu_ratio(case, 'network', t, b):.2f}x | {ed:.1f} | {et:.1f} | **{ed / et:.2f}x** "
              f"| {min_ratio(case, 'embed', t, b):.2f}x | {cpu_ratio(case, 'embed', t, b):.2f}x | {pd:.2f} | {pt:.2f} "
              f"| {share:.0%} |")


def rounds(args):
    """Per round and median over rounds: DJL/torch throughput per CPU second, by path and batch."""
    per = {}
    with open(args.results) as f:
        lines = [line.split("\t") for line in f if line.strip()]
    seen = {}
    for case, side, path, threads, batch, med, ips, low, cpu, reps in lines:
        key = (case, side, path, int(threads), int(batch))
        seen[key] = seen.get(key, 0) + 1  # the n-th row of a key is round n
        per.setdefault((case, path, int(threads), int(batch)), {}).setdefault(seen[key], {})[side] = float(cpu)
    sides = sorted({l[1] for l in lines} - {"torch"})
    print("| case | path | threads | batch | side | torch CPU ms/call | side CPU ms/call | side/torch by CPU, per round "
          "| median |")
    print("| --- | --- | ---: | ---: | --- | ---: | ---: | --- | ---: |")
    for (case, path, t, b), by_round in sorted(per.items(), key=lambda kv: (kv[0][0] != "small", kv[0])):
        for side in sides:
            ratios, torch_ms, side_ms = [], [], []
            for n in sorted(by_round):
                r = by_round[n]
                if "torch" in r and side in r:
                    ratios.append(r["torch"] / r[side])
                    torch_ms.append(r["torch"])
                    side_ms.append(r[side])
            if ratios:
                print(f"| {case} | {path} | {t} | {b} | {side} | {statistics.median(torch_ms):.3f} "
                      f"| {statistics.median(side_ms):.3f} | {', '.join(f'{x:.2f}x' for x in ratios)} "
                      f"| **{statistics.median(ratios):.2f}x** |")


def profile(args):
    """Per-op libtorch time of the network forward (torch.autograd.profiler), to set beside the DJL trace."""
    import torch
    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(1)
    meta = read_meta(f"{args.dir}/meta.txt")
    model = build(args.case, torch)
    x = torch.randn(args.batch, 3, meta["height"], meta["width"])
    with torch.no_grad():
        for _ in range(3):
            model(x)
        with torch.autograd.profiler.profile() as prof:
            t0 = time.perf_counter()
            for _ in range(args.calls):
                model(x).numpy().copy()
            wall = (time.perf_counter() - t0) * 1000
    print(f"{args.calls} forwards, batch {args.batch}: {wall / args.calls:.3f} ms wall per call (profiled)")
    print(prof.key_averages().table(sort_by="self_cpu_time_total", row_limit=12))


def summarize_trace(args):
    """Top-level op time of a libtorch chrome trace (DJL's JniUtils.stopProfile) per forward, by op."""
    import json
    with open(args.trace) as f:
        data = json.load(f)
    events = data["traceEvents"] if isinstance(data, dict) else data
    events = sorted((e for e in events if e.get("ph") == "X" and "dur" in e), key=lambda e: (e["ts"], -e["dur"]))
    top, end, by_name = [], -1, {}
    for e in events:  # an event inside the previous top-level one is nested: count it once
        if e["ts"] >= end:
            top.append(e)
            end = e["ts"] + e["dur"]
            by_name[e["name"]] = by_name.get(e["name"], 0) + e["dur"]
    total = sum(e["dur"] for e in top) / 1000
    print(f"{len(top)} top-level ops over {args.calls} forwards: {total / args.calls:.3f} ms per forward inside libtorch "
          f"({len(top) / args.calls:.0f} ops per forward)")
    for name, us in sorted(by_name.items(), key=lambda kv: -kv[1])[:10]:
        print(f"  {name}: {us / 1000 / args.calls:.3f} ms per forward")
    kernels = {}
    for e in events:  # which convolution kernels libtorch picked (nested events)
        if "conv" in e["name"] and e["name"] not in ("aten::conv2d", "aten::convolution", "aten::_convolution"):
            n, us = kernels.get(e["name"], (0, 0))
            kernels[e["name"]] = (n + 1, us + e["dur"])
    for name, (n, us) in sorted(kernels.items(), key=lambda kv: -kv[1][1]):
        print(f"  kernel {name}: {n / args.calls:.0f} calls, {us / 1000 / args.calls:.3f} ms per forward")


def export(args):
    """Traces the case's network, with the DJL weights, to TorchScript, after checking it agrees with DJL."""
    import numpy as np
    import torch
    meta = read_meta(f"{args.dir}/meta.txt")
    model = build(args.case, torch)
    load_djl_weights(model, args.dir, torch, np)
    h, w = meta["height"], meta["width"]
    x = torch.from_numpy(np.fromfile(f"{args.dir}/ref-input.f32", dtype="<f4").copy()).reshape(-1, 3, h, w)
    ref = torch.from_numpy(np.fromfile(f"{args.dir}/ref-output.f32", dtype="<f4").copy()).reshape(x.shape[0], -1)
    with torch.no_grad():
        diff, relative = agreement("network before export", model(x), ref)
        if relative > 1e-4:
            sys.exit("the torch network does not compute what DJL's does; not exporting")
        traced = torch.jit.trace(model, torch.zeros(1, 3, h, w))
        agreement("traced network", traced(x), ref)
    traced.save(args.out)
    print(f"wrote {args.out} (torch {torch.__version__}, input 1x3x{h}x{w}, {ref.shape[1]}-d output)")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run")
    r.add_argument("--case", required=True, choices=("small", "resnet50"))
    r.add_argument("--dir", required=True, help="what EmbeddingBenchmark.java wrote for the case")
    r.add_argument("--threads", type=int, default=1)
    r.add_argument("--batches", default="1,8,32,64")
    r.add_argument("--warmup", type=float, default=1.0)
    r.add_argument("--budget", type=float, default=3.0)
    r.add_argument("--max-reps", type=int, default=20, help="most timed calls per row (-Dbench.maxReps)")
    r.add_argument("--max-warmup", type=int, default=5, help="most warm-up calls per row (-Dbench.maxWarmup)")
    r.add_argument("--results", required=True)
    r.add_argument("--agreement", required=True)
    t = sub.add_parser("table")
    t.add_argument("--results", required=True)
    ro = sub.add_parser("rounds")
    ro.add_argument("--results", required=True)
    ro.add_argument("--rounds", type=int, default=1)
    pr = sub.add_parser("profile")
    pr.add_argument("--case", required=True, choices=("small", "resnet50"))
    pr.add_argument("--dir", required=True)
    pr.add_argument("--threads", type=int, default=1)
    pr.add_argument("--batch", type=int, default=1)
    pr.add_argument("--calls", type=int, default=20)
    tr = sub.add_parser("trace")
    tr.add_argument("--trace", required=True, help="chrome trace written by EmbeddingProfile.java")
    tr.add_argument("--calls", type=int, default=20)
    ex = sub.add_parser("export")
    ex.add_argument("--case", required=True, choices=("small", "resnet50"))
    ex.add_argument("--dir", required=True, help="what EmbeddingBenchmark.java wrote for the case")
    ex.add_argument("--out", required=True, help="TorchScript file to write")
    args = p.parse_args()
    {"run": run, "table": table, "rounds": rounds, "profile": profile, "trace": summarize_trace, "export": export}[args.cmd](args)


if __name__ == "__main__":
    main()
