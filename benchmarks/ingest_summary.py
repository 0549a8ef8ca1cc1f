#!/usr/bin/env python3
"""Summarises a log of benchmarks/ingest-throughput.sh: per service jar, over its measured batches
from FIRST on (all rounds), the median ratio to the pure forward pass by CPU and where each crop's
CPU went (medians and means, ms a crop), as docs/benchmarks-service.md reports them.

    python3 benchmarks/ingest_summary.py LOG [FIRST=2]

The ingestion thread is the embedding stage (image check, preprocessing, forward pass with its
OpenMP worker); "outside it" is everything else the service JVM and its PostgreSQL spent.
"""
import re
import statistics
import sys


def parse(path):
    batches, jar, cur = [], None, None
    for line in open(path, encoding="utf-8"):
        m = re.match(r"=== round \d+, (\S+), chunk", line)
        if m:
            jar = m.group(1)
            continue
        m = re.search(r"measured batch (\d+) of \d+", line)
        if m:
            cur = {"jar": jar, "batch": int(m.group(1)), "threads": {}}
            batches.append(cur)
            continue
        if cur is None:
            continue
        m = re.match(r"\{\"total\":(\d+)", line)
        if m:
            cur["crops"] = int(m.group(1))
        m = re.match(r"CPU, service JVM \+ its PostgreSQL: ([\d.]+) s", line)
        if m:
            cur["all"] = float(m.group(1))
        m = re.match(r"  of which the service JVM: ([\d.]+) s, its PostgreSQL: (-?[\d.]+) s", line)
        if m:
            cur["jvm"], cur["pg"] = float(m.group(1)), float(m.group(2))
        m = re.match(r"follower replica's JVM: ([\d.]+) s", line)
        if m:
            cur["follower"] = float(m.group(1))
        m = re.match(r"ratio, crops per CPU-second, .*: (-?[\d.]+)$", line.strip())
        if m:
            cur["ratio"] = float(m.group(1))
        m = re.match(r"  (.+?)\s*\t\s*([\d.]+) s$", line.rstrip("\n"))
        if m and "pg" in cur and "ratio" in cur:  # the JVM's threads, then PostgreSQL's processes
            cur["threads"].setdefault(m.group(1).strip(), float(m.group(2)))
    return [b for b in batches if "ratio" in b and "crops" in b]


THREADS = [("JIT", "C CompilerThre"), ("replica sync and other schedules", "scheduling-"),
           ("index writer thread", "ingestion-write"), ("HTTP", "http-nio--"), ("Lucene merges", "Lucene Merge Th")]


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    first = int(sys.argv[2]) if len(sys.argv) > 2 else 2
    batches = parse(sys.argv[1])
    for jar in dict.fromkeys(b["jar"] for b in batches):
        rows = [b for b in batches if b["jar"] == jar and b["batch"] >= first]
        if not rows:
            continue
        ratios = [b["ratio"] for b in rows]
        print(f"{jar}: {len(rows)} batches (measured batch {first} on, all rounds)")
        print(f"  ratio to the pure forward pass, by CPU: median {statistics.median(ratios):.3f} "
              f"({min(ratios):.3f}-{max(ratios):.3f})")

        def ingestion(b):
            return b["threads"].get("ingestion-", 0.0)

        named = [name for _, name in THREADS] + ["ingestion-"]
        parts = [("all CPU", lambda b: b["all"]), ("the ingestion thread", ingestion),
                 ("outside it", lambda b: b["all"] - ingestion(b)), ("  PostgreSQL", lambda b: b["pg"])]
        parts += [("  " + label, lambda b, n=name: b["threads"].get(n, 0.0)) for label, name in THREADS]
        parts.append(("  the JVM's other threads",
                      lambda b: b["jvm"] - sum(v for k, v in b["threads"].items() if k in named)))
        if all("follower" in b for b in rows):
            parts.append(("a follower replica's JVM (FOLLOWER=1)", lambda b: b["follower"]))
        for label, cpu in parts:
            per_crop = [1000 * cpu(b) / b["crops"] for b in rows]
            print(f"  {label:<36} median {statistics.median(per_crop):6.3f}  mean {statistics.mean(per_crop):6.3f} ms a crop")


if __name__ == "__main__":
    main()
