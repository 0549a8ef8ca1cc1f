#!/usr/bin/env python3
"""Peers of benchmarks/search.sh on the same files as the Java side, one thread each:
exact top-10 with FAISS IndexFlatIP and numpy/OpenBLAS (gemv + argpartition), HNSW with hnswlib
(M=16, ef_construction=100, like ours). Recall@10 against the Java side's exact ground truth.

  search_peers.py run <dataDir> <results.jsonl> <hnswMaxSize> <exactQueries:size=n,...> <efs> <size>...
  search_peers.py report <java.jsonl> <peers.jsonl>     (markdown tables with ratios)
"""
import json
import os
import sys
import time

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = "1"

import numpy as np  # noqa: E402

K = 10
WARMUP = 30


def read_matrix(path, dtype, max_rows=None):
    rows, cols = np.fromfile(path, dtype="<i4", count=2)
    rows = rows if max_rows is None else min(rows, max_rows)
    return np.fromfile(path, dtype=dtype, count=rows * cols, offset=8).reshape(rows, cols)


def timed(search, queries, n):
    """Per-query latencies (s), total wall and CPU seconds, and the answers."""
    for i in range(WARMUP):
        search(queries[i % len(queries)])
    lat, answers = [], []
    c0, t0 = time.process_time(), time.perf_counter()
    for q in queries[:n]:
        t = time.perf_counter()
        answers.append(search(q))
        lat.append(time.perf_counter() - t)
    return np.array(lat), time.perf_counter() - t0, time.process_time() - c0, answers


def emit(out, impl, kind, size, lat, total, cpu, recall, ef=-1, **extra):
    n = len(lat)
    row = dict(side="python", impl=impl, kind=kind, size=size, queries=n, ms_median=float(np.median(lat) * 1e3),
               ms_mean=float(lat.mean() * 1e3), cpu_ms=cpu * 1e3 / n, qps=n / total, recall10=recall, ef=ef, **extra)
    out.write(json.dumps(row) + "\n")
    out.flush()
    print(f"{impl:26s} {kind:5s} size={size:<8d} ef={ef if ef >= 0 else '-':<4} n={n:<5d} median {row['ms_median']:8.3f} ms"
          f"  mean {row['ms_mean']:8.3f} ms  cpu {row['cpu_ms']:8.3f} ms  {row['qps']:9.1f} QPS  recall@10 {recall:.4f}",
          flush=True)


def recall(answers, truth):
    found = sum(len(set(map(int, a)) & set(map(int, t))) for a, t in zip(answers, truth))
    return found / (K * len(answers))


def run(data_dir, out_path, hnsw_max, exact_spec, efs, sizes):
    import faiss
    import hnswlib
    faiss.omp_set_num_threads(1)
    exact_queries = dict(tuple(map(int, part.split("="))) for part in exact_spec.split(","))
    print(f"numpy {np.__version__}, faiss {getattr(faiss, '__version__', '?')}, hnswlib (Debian)", flush=True)
    np.show_config() if os.environ.get("SHOW_BLAS") else None
    with open(out_path, "w") as out:
        for size in sizes:
            gallery = read_matrix(f"{data_dir}/gallery-{size}.f32", "<f4")
            queries = read_matrix(f"{data_dir}/queries-{size}.f32", "<f4")
            truth = read_matrix(f"{data_dir}/truth-{size}.i32", "<i4")
            n = min(exact_queries[size], len(queries))

            def numpy_search(q):
                scores = gallery @ q
                top = np.argpartition(scores, -K)[-K:]
                return top[np.argsort(-scores[top])]

            lat, total, cpu, answers = timed(numpy_search, queries, n)
            emit(out, "numpy-openblas-gemv", "exact", size, lat, total, cpu,
                 recall(answers, truth[:n]))

            flat = faiss.IndexFlatIP(gallery.shape[1])
            flat.add(gallery)
            lat, total, cpu, answers = timed(lambda q: flat.search(q.reshape(1, -1), K)[1][0], queries, n)
            emit(out, "faiss-IndexFlatIP", "exact", size, lat, total, cpu, recall(answers, truth[:n]))
            del flat

            if size <= hnsw_max:
                index = hnswlib.Index(space="ip", dim=gallery.shape[1])
                t0 = time.perf_counter()
                index.init_index(max_elements=size, M=16, ef_construction=100, random_seed=1)
                index.add_items(gallery, np.arange(size), num_threads=1)
                build = time.perf_counter() - t0
                print(f"hnswlib build {build:.1f} s", flush=True)
                out.write(json.dumps(dict(side="python", impl="hnswlib", kind="hnsw-build", size=size,
                                          build_s=build, M=16, ef_construction=100)) + "\n")
                for ef in efs:
                    index.set_ef(max(ef, K))
                    lat, total, cpu, answers = timed(lambda q: index.knn_query(q, k=K, num_threads=1)[0][0],
                                                     queries, len(truth))
                    emit(out, "hnswlib", "hnsw", size, lat, total, cpu, recall(answers, truth), ef=ef)
                del index


def qps_at_recall(points, target):
    """QPS where the recall/QPS curve crosses target (log-linear between measured ef points)."""
    pts = sorted(points, key=lambda p: p["recall10"])
    for lo, hi in zip(pts, pts[1:]):
        if lo["recall10"] <= target <= hi["recall10"] and hi["recall10"] > lo["recall10"]:
            w = (target - lo["recall10"]) / (hi["recall10"] - lo["recall10"])
            return float(np.exp(np.log(lo["qps"]) * (1 - w) + np.log(hi["qps"]) * w))
    above = [p["qps"] for p in pts if p["recall10"] >= target]
    return max(above) if above else None


def report(java_path, peers_path):
    rows = [json.loads(line) for path in (java_path, peers_path) for line in open(path) if line.strip()]
    sizes = sorted({r["size"] for r in rows})
    print("### Exact top-10, one query at a time, one thread\n")
    print("| gallery | implementation | median ms | mean ms | CPU ms/query | QPS | vs numpy (CPU) | vs FAISS (CPU) | top-10 = truth |")
    print("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for size in sizes:
        exact = [r for r in rows if r["size"] == size and r["kind"] == "exact"]
        base = {r["impl"]: r["cpu_ms"] for r in exact}
        for r in exact:
            np_ratio = r["cpu_ms"] / base["numpy-openblas-gemv"] if "numpy-openblas-gemv" in base else float("nan")
            fa_ratio = r["cpu_ms"] / base["faiss-IndexFlatIP"] if "faiss-IndexFlatIP" in base else float("nan")
            print(f"| {size:,} | {r['impl']} | {r['ms_median']:.2f} | {r['ms_mean']:.2f} | {r['cpu_ms']:.2f} | "
                  f"{r['qps']:.1f} | {np_ratio:.2f}x | {fa_ratio:.2f}x | {r['recall10']:.4f} |")
    print("\n### HNSW (M=16, efConstruction=100), one thread\n")
    print("| gallery | implementation | ef | recall@10 | median ms | CPU ms/query | QPS |")
    print("| ---: | --- | ---: | ---: | ---: | ---: | ---: |")
    for size in sizes:
        for r in [r for r in rows if r["size"] == size and r["kind"] == "hnsw"]:
            print(f"| {size:,} | {r['impl']} | {r['ef']} | {r['recall10']:.4f} | {r['ms_median']:.3f} | "
                  f"{r['cpu_ms']:.3f} | {r['qps']:.0f} |")
    print("\n### HNSW build and QPS at equal recall (interpolated between ef points; CPU-time QPS = 1000 / CPU ms)\n")
    print("| gallery | implementation | build s | CPU-QPS at recall 0.95 | vs hnswlib | CPU-QPS at recall 0.99 | vs hnswlib |")
    print("| ---: | --- | ---: | ---: | ---: | ---: | ---: |")
    for size in sizes:
        builds = {r["impl"]: r["build_s"] for r in rows if r["size"] == size and r["kind"] == "hnsw-build"}
        curves = {}
        for r in rows:
            if r["size"] == size and r["kind"] == "hnsw":
                curves.setdefault(r["impl"], []).append(dict(recall10=r["recall10"], qps=1000.0 / r["cpu_ms"]))
        ref = {t: qps_at_recall(curves.get("hnswlib", []), t) for t in (0.95, 0.99)}
        for impl, pts in curves.items():
            cells = []
            for t in (0.95, 0.99):
                q = qps_at_recall(pts, t)
                cells.append("not reached" if q is None else f"{q:.0f}")
                cells.append("-" if q is None or not ref[t] else f"{q / ref[t]:.2f}x")
            print(f"| {size:,} | {impl} | {builds.get(impl, float('nan')):.1f} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    if sys.argv[1] == "run":
        run(sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5], [int(e) for e in sys.argv[6].split(",")],
            [int(s) for s in sys.argv[7:]])
    elif sys.argv[1] == "report":
        report(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
