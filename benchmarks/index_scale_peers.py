#!/usr/bin/env python3
"""Peers of benchmarks/index-scale.sh on the same files as the Java side, one thread each:
hnswlib (M=16, ef_construction=100), FAISS IndexHNSWFlat and IndexHNSWSQ (8-bit and 4-bit scalar
quantisation), all inner product on unit vectors. One configuration per process, so that the
memory measured is that configuration's.

  index_scale_peers.py truth <dataDir> <size>                      exact top-10 (numpy) -> truth-<size>.i32
  index_scale_peers.py run <dataDir> <out.jsonl> <size> <impl> <efs> [M] [efConstruction]
        impl: hnswlib | faiss-hnsw | faiss-hnsw-sq8 | faiss-hnsw-sq4
  index_scale_peers.py report <results.jsonl>                      markdown tables
"""
import gc
import json
import os
import sys
import tempfile
import time

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = "1"

import numpy as np  # noqa: E402

K = 10
WARMUP = 50
ERASURES = 10


def read_matrix(path, dtype):
    rows, cols = np.fromfile(path, dtype="<i4", count=2)
    return np.fromfile(path, dtype=dtype, count=rows * cols, offset=8).reshape(rows, cols)


def write_matrix(path, m):
    with open(path, "wb") as f:
        np.array(m.shape, dtype="<i4").tofile(f)
        m.astype("<i4").tofile(f)


def status(field):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    return -1


def truth(data, size):
    gallery = read_matrix(f"{data}/gallery-{size}.f32", "<f4")
    queries = read_matrix(f"{data}/queries-{size}.f32", "<f4")
    out = np.zeros((len(queries), K), dtype=np.int32)
    for start in range(0, len(queries), 100):
        scores = queries[start:start + 100] @ gallery.T
        top = np.argpartition(-scores, K, axis=1)[:, :K]
        order = np.argsort(-np.take_along_axis(scores, top, axis=1), axis=1)
        out[start:start + 100] = np.take_along_axis(top, order, axis=1)
    write_matrix(f"{data}/truth-{size}.i32", out)
    print(f"truth-{size}.i32: exact top-{K} of {len(queries)} queries over {size} x {gallery.shape[1]}")


class Hnswlib:
    def __init__(self, dim, size, m, efc):
        import hnswlib
        self.index = hnswlib.Index(space="ip", dim=dim)
        self.index.init_index(max_elements=size, M=m, ef_construction=efc)
        self.index.set_num_threads(1)

    def add(self, vectors, ids):
        self.index.add_items(vectors, ids, num_threads=1)

    def set_ef(self, ef):
        self.index.set_ef(ef)

    def search(self, q):
        return self.index.knn_query(q, k=K, num_threads=1)[0][0]

    def save(self, path):
        self.index.save_index(path)

    def erase(self, label):
        """Hidden from answers at once; the vector stays in memory and in every saved file (0.6.2
        cannot reuse a deleted slot; later versions can, with allow_replace_deleted)."""
        self.index.mark_deleted(int(label))


class FaissHnsw:
    def __init__(self, dim, size, m, efc, sq=None):
        import faiss
        faiss.omp_set_num_threads(1)
        self.faiss = faiss
        if sq is None:
            self.index = faiss.IndexHNSWFlat(dim, m, faiss.METRIC_INNER_PRODUCT)
        else:
            qtype = {8: faiss.ScalarQuantizer.QT_8bit, 4: faiss.ScalarQuantizer.QT_4bit}[sq]
            self.index = faiss.IndexHNSWSQ(dim, qtype, m, faiss.METRIC_INNER_PRODUCT)
        self.index.hnsw.efConstruction = efc
        self.sq = sq

    def add(self, vectors, ids):
        if self.sq is not None and not self.index.is_trained:
            self.index.train(vectors[:min(len(vectors), 100_000)])
        self.index.add(vectors)  # ids are row numbers, as added in order

    def set_ef(self, ef):
        self.index.hnsw.efSearch = ef

    def search(self, q):
        return self.index.search(q.reshape(1, -1), K)[1][0]

    def save(self, path):
        self.faiss.write_index(self.index, path)

    def erase(self, label):
        # IndexHNSW does not implement remove_ids (FAISS 1.7): the only erasure is a rebuild
        raise NotImplementedError("IndexHNSW has no remove_ids")


def make(impl, dim, size, m, efc):
    if impl == "hnswlib":
        return Hnswlib(dim, size, m, efc)
    if impl == "faiss-hnsw":
        return FaissHnsw(dim, size, m, efc)
    if impl == "faiss-hnsw-sq8":
        return FaissHnsw(dim, size, m, efc, sq=8)
    if impl == "faiss-hnsw-sq4":
        return FaissHnsw(dim, size, m, efc, sq=4)
    raise SystemExit(f"unknown impl {impl}")


def pct(values_s, p):
    return float(np.percentile(np.array(values_s) * 1e3, p)) if values_s else float("nan")


def run(data, out_path, size, impl, efs, m, efc):
    queries = read_matrix(f"{data}/queries-{size}.f32", "<f4")
    truth_rows = read_matrix(f"{data}/truth-{size}.i32", "<i4")
    dim = queries.shape[1]
    anon_before = status("RssAnon")
    gallery = read_matrix(f"{data}/gallery-{size}.f32", "<f4")
    index = make(impl, dim, size, m, efc)
    t0 = time.perf_counter()
    for start in range(0, size, 2000):
        index.add(gallery[start:start + 2000], np.arange(start, min(size, start + 2000)))
    build_s = time.perf_counter() - t0
    victims = {int(r): gallery[r].copy() for r in np.random.default_rng(99).choice(size, ERASURES, replace=False)}
    del gallery
    gc.collect()
    with tempfile.NamedTemporaryFile(dir=data, suffix=".idx") as f:
        t = time.perf_counter()
        index.save(f.name)
        save_s = time.perf_counter() - t
        disk = os.path.getsize(f.name)
    common = dict(side="python", impl=impl, dim=dim, size=size, M=m, efConstruction=efc)
    rows = [dict(common, kind="build", build_s=build_s, disk_bytes_per_entry=disk / size,
                 index_anon_mb=(status("RssAnon") - anon_before) / 1e6, rss_mb=status("VmRSS") / 1e6, save_s=save_s)]
    print(f"{impl} dim={dim} n={size}: built in {build_s:.1f} s, {disk / size:.0f} B/entry saved, "
          f"index anon memory {rows[0]['index_anon_mb']:.0f} MB, RSS {rows[0]['rss_mb']:.0f} MB", flush=True)
    for ef in efs:
        index.set_ef(ef)
        for i in range(WARMUP):
            index.search(queries[i % len(queries)])
        lat, found = [], 0
        for q, t_rows in zip(queries, truth_rows):
            s = time.perf_counter()
            ans = index.search(q)
            lat.append(time.perf_counter() - s)
            found += len(set(map(int, ans)) & set(map(int, t_rows)))
        recall = found / (K * len(queries))
        rows.append(dict(common, kind="search", ef=ef, queries=len(queries), recall10=recall, p50_ms=pct(lat, 50),
                         p99_ms=pct(lat, 99), rss_mb=status("VmRSS") / 1e6))
        print(f"  ef={ef} recall@10 {recall:.4f} p50 {pct(lat, 50):.3f} ms p99 {pct(lat, 99):.3f} ms", flush=True)
    index.set_ef(100)
    lat = []
    try:
        for row, v in victims.items():
            s = time.perf_counter()
            index.erase(row)
            lat.append(time.perf_counter() - s)
            if row in set(map(int, index.search(v))):
                raise SystemExit(f"{impl}: row {row} still answered after erasure")
        rows.append(dict(common, kind="erase", erasures=len(lat), delete_visible_p50_ms=pct(lat, 50),
                         delete_visible_max_ms=pct(lat, 100), purge="never: marked deleted, the vector stays in memory and in saved files"))
        print(f"  erase: mark_deleted p50 {pct(lat, 50):.3f} ms; never purged (marked only)", flush=True)
    except NotImplementedError as e:
        rows.append(dict(common, kind="erase", erasures=0, purge=f"not supported ({e}): rebuild"))
        print(f"  erase: not supported ({e})", flush=True)
    with open(out_path, "a") as out:
        for r in rows:
            out.write(json.dumps(r) + "\n")


def report(path):
    rows = [json.loads(line) for line in open(path)]
    key = lambda r: (r["dim"], r["size"], r["side"] != "java", r["impl"])  # noqa: E731
    builds = sorted((r for r in rows if r["kind"] == "build"), key=key)
    print("### Build, size and memory (one configuration per process)\n")
    print("| dim | entries | implementation | build s | segments | disk B/entry | heap after GC MB | index anon MB | RSS MB |")
    print("| ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in builds:
        print(f"| {r['dim']} | {r['size']:,} | {r['impl']} | {r['build_s']:.0f} | {r.get('segments', '-')} | "
              f"{r['disk_bytes_per_entry']:.0f} | {fmt(r.get('heap_after_gc_mb'))} | {fmt(r.get('index_anon_mb'))} | {r['rss_mb']:.0f} |")
    print("\n### Search, one thread, top-10 (recall against the exact top-10)\n")
    print("| dim | entries | implementation | ef | recall@10 | p50 ms | p99 ms |")
    print("| ---: | ---: | --- | ---: | ---: | ---: | ---: |")
    for r in sorted((r for r in rows if r["kind"] == "search"), key=lambda r: key(r) + (r["ef"],)):
        print(f"| {r['dim']} | {r['size']:,} | {r['impl']} | {r['ef']} | {r['recall10']:.4f} | {r['p50_ms']:.2f} | {r['p99_ms']:.2f} |")
    print("\n### Erasure (10 single-entry erasures, then one purge)\n")
    print("| dim | entries | implementation | delete, invisible p50 / max ms | gone from disk | search during purge p50 / p99 ms |")
    print("| ---: | ---: | --- | ---: | --- | ---: |")
    for r in sorted((r for r in rows if r["kind"] == "erase"), key=key):
        vis = (f"{r['delete_visible_p50_ms']:.2f} / {r['delete_visible_max_ms']:.2f}"
               if "delete_visible_p50_ms" in r else "-")
        if "purge_s" in r:
            gone = f"purge {r['purge_s']:.1f} s (rewrote {r['purge_rewrote_entries']:,} entries; {r['segments_after']} segments after)"
            during = f"{r['search_during_purge_p50_ms']:.2f} / {r['search_during_purge_p99_ms']:.2f}"
        else:
            gone, during = r["purge"], "-"
        print(f"| {r['dim']} | {r['size']:,} | {r['impl']} | {vis} | {gone} | {during} |")


def fmt(v):
    return "-" if v is None else f"{v:.0f}"


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "truth":
        truth(sys.argv[2], int(sys.argv[3]))
    elif cmd == "run":
        extra = sys.argv[7:]
        run(sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5], [int(e) for e in sys.argv[6].split(",")],
            int(extra[0]) if extra else 16, int(extra[1]) if len(extra) > 1 else 100)
    elif cmd == "report":
        report(sys.argv[2])
    else:
        raise SystemExit(__doc__)
