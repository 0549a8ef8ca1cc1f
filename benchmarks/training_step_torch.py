#!/usr/bin/python3
"""The PyTorch peer of TrainingStepBenchmark.java (benchmarks/training-step.sh): one training step of
the same network, batch, losses and optimizer, on CPU, timed by process CPU time and wall time.

Network (ReidTrainer's `small` config): SmallBackbone (3x3 conv-BN-ReLU 32/s2, 64/s2, 128/s2, 128,
256/s2, 256), global average pooling, BNNeck (BatchNorm1d, shift frozen at 0), classifier Linear
without bias over the training identities; train mode (batch statistics).
Losses: batch-hard triplet on the pre-BNNeck feature (Euclidean distance sqrt(max(d2, 1e-12)), margin
0.3, hinge, mean over the anchors with a non-zero loss: AvgNonZeroReducer), plus BoT's label-smoothed
cross-entropy (0.1) on the logits, weight 1.
Optimizer: Adam lr 3.5e-4, betas 0.9/0.999, eps 1e-8, L2 weight decay 5e-4 on conv/linear weights only
(not BatchNorm, as FusedAdam.allButWeights()).
Batch: P16 x K4 = 64 crops of 128x64; the input is a random tensor (the Java side's data loading is
timed apart and left out of its forward/backward/update figure).

  training_step_torch.py --threads 1 --classes 50 --warmup 5 --steps 20
prints `torch_step_cpu_ms=`, `torch_step_wall_ms=` and images/s lines.
"""
import argparse
import contextlib
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def conv_bn_relu(cin, cout, stride):
    return [nn.Conv2d(cin, cout, 3, stride, 1, bias=False), nn.BatchNorm2d(cout, eps=1e-5, momentum=0.1),
            nn.ReLU(inplace=True)]


class ReidNet(nn.Module):
    def __init__(self, classes):
        super().__init__()
        layers, cin = conv_bn_relu(3, 32, 2), 32
        for cout, s in ((64, 2), (128, 2), (128, 1), (256, 2), (256, 1)):
            layers += conv_bn_relu(cin, cout, s)
            cin = cout
        self.backbone = nn.Sequential(*layers)
        self.neck = nn.BatchNorm1d(cin, eps=1e-5, momentum=0.1)
        self.neck.bias.requires_grad_(False)  # BNNeck: shift frozen at 0
        self.classifier = nn.Linear(cin, classes, bias=False)

    def forward(self, x):
        feature = self.backbone(x).mean((2, 3))
        return feature, self.classifier(self.neck(feature))


def batch_hard(feature, labels, margin=0.3):
    sq = (feature * feature).sum(1, keepdim=True)
    d2 = (sq + sq.t() - 2 * feature @ feature.t()).clamp_min(0)
    d = d2.clamp_min(1e-12).sqrt()
    same = labels[:, None] == labels[None, :]
    eye = torch.eye(len(labels), dtype=torch.bool)
    hardest_pos = d.masked_fill(~(same & ~eye), float("-inf")).max(1).values
    hardest_neg = d.masked_fill(same, float("inf")).min(1).values
    losses = F.relu(hardest_pos - hardest_neg + margin)
    nonzero = (losses > 0).sum()
    return losses.sum() / nonzero.clamp_min(1)


def label_smoothing_ce(logits, labels, smoothing=0.1):
    log_p = F.log_softmax(logits, 1)
    q = torch.full_like(log_p, smoothing / logits.shape[1])
    q.scatter_(1, labels[:, None], 1 - smoothing + smoothing / logits.shape[1])
    return -(q * log_p).sum(1).mean()


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--classes", type=int, default=50)
    p.add_argument("--warmup", type=int, default=5)
    p.add_argument("--steps", type=int, default=20)
    p.add_argument("--profile", help="write a Chrome trace of the measured steps' operators (torch.autograd.profiler)")
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(1)
    torch.manual_seed(1)
    net = ReidNet(args.classes).train()
    decay = [m.weight for m in net.modules() if isinstance(m, (nn.Conv2d, nn.Linear))]
    decay_ids = {id(t) for t in decay}
    rest = [t for t in net.parameters() if t.requires_grad and id(t) not in decay_ids]
    opt = torch.optim.Adam([{"params": decay, "weight_decay": 5e-4}, {"params": rest, "weight_decay": 0}],
                           lr=3.5e-4, betas=(0.9, 0.999), eps=1e-8)
    labels = torch.arange(16).repeat_interleave(4)
    x = torch.randn(64, 3, 128, 64)

    def step():
        opt.zero_grad(set_to_none=True)
        feature, logits = net(x)
        loss = label_smoothing_ce(logits, labels) + 1.0 * batch_hard(feature, labels)
        loss.backward()
        opt.step()
        return loss.item()

    for _ in range(args.warmup):
        step()
    walls = []
    profiler = torch.autograd.profiler.profile() if args.profile else contextlib.nullcontext()
    cpu0 = time.process_time()
    with profiler:
        for _ in range(args.steps):
            t0 = time.perf_counter()
            step()
            walls.append((time.perf_counter() - t0) * 1000)
    cpu = (time.process_time() - cpu0) * 1000 / args.steps
    if args.profile:
        profiler.export_chrome_trace(args.profile)
    wall = statistics.mean(walls)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} intra-op thread(s), {args.classes} classes, "
          f"{args.steps} steps after {args.warmup} warm-up")
    print(f"torch_step_cpu_ms={cpu:.1f}")
    print(f"torch_step_wall_ms={wall:.1f}")
    print(f"torch: {64 * 1000 / wall:.1f} images/s by wall, {64 * 1000 / cpu:.1f} images per CPU-second")


if __name__ == "__main__":
    main()
