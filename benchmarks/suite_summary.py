#!/usr/bin/env python3
"""Mean +- sample std over seeds of the generalisation suite's rank-1 / mAP, per loss, label noise and world.

    python3 benchmarks/suite_summary.py EXP/suite/table

Model names must read LOSS-noiseNOISE-sSEED (as benchmarks/mvp-generalisation.sh names them).
"""
import json
import re
import statistics
import sys
from collections import defaultdict

NAME = re.compile(r"^(?P<loss>.+)-noise(?P<noise>[0-9.]+)-s(?P<seed>\d+)$")


def fmt(values):
    if len(values) < 2:
        return f"{values[0]:.3f}"
    return f"{statistics.mean(values):.3f} +- {statistics.stdev(values):.3f}"


def main(table_dir):
    rows = json.load(open(f"{table_dir}/evaluation.json"))["rows"]
    cells = defaultdict(lambda: defaultdict(list))
    worlds = []
    for r in rows:
        m = NAME.match(r["model"])
        if not m:
            continue
        if r["dataset"] not in worlds:
            worlds.append(r["dataset"])
        key = (m["loss"], m["noise"])
        cells[key][r["dataset"]].append((int(m["seed"]), r["rank1"], r["mAP"]))
    print("| loss | label noise | n | " + " | ".join(f"{w} rank-1 / mAP" for w in worlds) + " | mean over worlds rank-1 / mAP |")
    print("| --- | --- | --- | " + " | ".join("---" for _ in worlds) + " | --- |")
    for (loss, noise) in sorted(cells, key=lambda k: (float(k[1]), k[0])):
        per = cells[(loss, noise)]
        n = len(per[worlds[0]])
        out = []
        for w in worlds:
            out.append(fmt([x[1] for x in per[w]]) + " / " + fmt([x[2] for x in per[w]]))
        # The mean over worlds is taken per seed first, so its spread is the seed spread.
        seeds = sorted({x[0] for w in worlds for x in per[w]})
        r1 = [statistics.mean(x[1] for w in worlds for x in per[w] if x[0] == s) for s in seeds]
        mp = [statistics.mean(x[2] for w in worlds for x in per[w] if x[0] == s) for s in seeds]
        print(f"| {loss} | {noise} | {n} | " + " | ".join(out) + f" | {fmt(r1)} / {fmt(mp)} |")
    print()
    print("Per seed (mean over worlds, rank-1 / mAP):")
    for (loss, noise) in sorted(cells, key=lambda k: (float(k[1]), k[0])):
        per = cells[(loss, noise)]
        seeds = sorted({x[0] for w in worlds for x in per[w]})
        vals = []
        for s in seeds:
            r1 = statistics.mean(x[1] for w in worlds for x in per[w] if x[0] == s)
            mp = statistics.mean(x[2] for w in worlds for x in per[w] if x[0] == s)
            vals.append(f"s{s} {r1:.3f} / {mp:.3f}")
        print(f"- {loss}, noise {noise}: " + ", ".join(vals))


if __name__ == "__main__":
    main(sys.argv[1])
