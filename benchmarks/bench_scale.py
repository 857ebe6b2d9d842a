"""Scale benchmark: peak memory of streaming tokenise+count, Dask throughput with 1 and 2 workers, and a cost model.

    python benchmarks/bench_scale.py                    # the full run: >= 2 GB streamed (about 20 minutes here)
    python benchmarks/bench_scale.py --gb 0.2 --quick   # a smoke run

1. Memory. A corpus of at least ``--gb`` GB of UTF-8 text is generated as partitioned Parquet by repeating the
   Wikinews sample with new doc ids and dates (copy k: ``<doc_id>-k``, dates shifted by k weeks). A child process
   streams it through ``helpers.tokenize`` + ``helpers.frequencies`` partition by partition and reports its peak RSS (``ru_maxrss``); the counts
   must equal k × the counts of one copy (frequency and docfreq, every term). The kit's tokenizer
   (``helpers.tokenize``, NLTK Treebank rules) is measured on two corpus sizes to show that memory does not grow
   with the corpus; the multi-GB run uses ``--big-tokenizer`` (default ``kit``; ``arrow`` is pyarrow's vectorised
   regex split standing in for a fast tokenizer on the same counting path, for a kit tokenizer too slow to stream
   gigabytes in a benchmark's time).
2. Throughput. The same tokenise+count on a Dask ``LocalCluster`` with 1 and with 2 single-threaded worker
   processes; the ratio is the speed-up. The sentence model is trained once on the driver and timed apart.
3. Overheads and a cost model: scheduler round trip per task, reduction cost per partial table, the serial
   sentence-model training; projected wall time for 1 M and 10 M articles on 8, 64 and 512 cores.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import helpers  # noqa: E402
from helpers.scale import partitions, reduce  # noqa: E402
from helpers.text import partitioned  # noqa: E402
from helpers.settings import ARTICLES_DIR, SAMPLE_PATH  # noqa: E402


def sample_articles() -> pd.DataFrame:
    if not SAMPLE_PATH.exists():
        sys.exit("bench_scale: the Wikinews sample is missing; run `make sample-data` first")
    articles = helpers.load_articles(ARTICLES_DIR, SAMPLE_PATH)
    articles.attrs = {}
    return articles[["doc_id", "title", "text", "date", "source"]]


def copy_of(articles: pd.DataFrame, k: int) -> pd.DataFrame:
    return articles.assign(doc_id=articles["doc_id"] + f"-{k}", date=articles["date"] + pd.Timedelta(weeks=k))


def make_corpus(folder: Path, gigabytes: float, partition_chars: int) -> tuple[int, int]:
    """Write the repeated sample (>= ``gigabytes`` GB of UTF-8 text); return (copies, bytes of text)."""
    articles = sample_articles()
    copy_bytes = int(articles["text"].str.encode("utf-8").str.len().sum())
    copies = max(1, math.ceil(gigabytes * 1e9 / copy_bytes))
    partitions.write_parquet((copy_of(articles, k) for k in range(copies)), folder, partition_chars=partition_chars,
                        replace=True)
    return copies, copies * copy_bytes


def arrow_tokenize(articles: pd.DataFrame) -> pd.DataFrame:
    """Stand-in fast tokenizer: lower-cased runs of letters/digits (pyarrow, vectorised), the token table's
    counting columns (``doc_id, sentence, position, token, term, is_stop, is_punct, is_alpha``)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    texts = pa.array(articles["text"], type=pa.large_string())
    words = pc.split_pattern_regex(pc.utf8_lower(texts), r"[^\p{L}\p{N}_]+")
    flat, parents = pc.list_flatten(words), pc.list_parent_indices(words)
    keep = pc.not_equal(flat, "")
    terms, parents = flat.filter(keep), parents.filter(keep).to_numpy()
    doc_ids = pa.array(articles["doc_id"].astype(str).tolist()).dictionary_encode()
    stops = pa.array(sorted(helpers.stopword_list()))
    first = np.searchsorted(parents, parents, side="left")
    term_categories = terms.dictionary_encode().to_pandas()
    return pd.DataFrame({
        "doc_id": pd.Categorical.from_codes(np.asarray(doc_ids.indices)[parents],
                                            categories=doc_ids.dictionary.to_pandas()),
        "sentence": np.zeros(len(terms), dtype="int32"),
        "position": (np.arange(len(terms)) - first).astype("int32"),
        "token": term_categories, "term": term_categories,
        "is_stop": pc.is_in(terms, value_set=stops).to_numpy(zero_copy_only=False),
        "is_punct": np.zeros(len(terms), dtype=bool),
        "is_alpha": pc.utf8_is_alpha(terms).to_numpy(zero_copy_only=False),
    })


# ------------------------------------------------------------------------------------------------ memory (child)

def measure_memory(folder: Path, copies: int, tokenizer: str) -> dict:
    """Stream tokenise+count over ``folder`` in this process; check the sum of parts; report peak RSS."""
    started = time.perf_counter()
    if tokenizer == "kit":
        splitter = partitioned.shared_sentence_model(t for part in partitions.iter_parquet(folder, columns=["text"])
                                        for t in part["text"].tolist())
        trained = time.perf_counter() - started
        tokens = (partitioned.tokenize_partition(p, tokenizer=helpers.tokenize, splitter=splitter) for p in partitions.iter_parquet(folder))
        one_copy = partitioned.tokenize_partition(copy_of(sample_articles(), 0), tokenizer=helpers.tokenize,
                                                  splitter=splitter)
    else:
        trained = 0.0
        tokens = (arrow_tokenize(p) for p in partitions.iter_parquet(folder, columns=["doc_id", "text"]))
        one_copy = arrow_tokenize(copy_of(sample_articles(), 0))
    total = helpers.frequencies(tokens)
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    part = helpers.frequencies(one_copy)
    expected = part.assign(frequency=part["frequency"] * copies, docfreq=part["docfreq"] * copies)
    merged = total.merge(expected, on="term", how="outer", suffixes=("", "_parts"), indicator=True)
    exact = bool((merged["_merge"] == "both").all()
                 and (merged["frequency"] == merged["frequency_parts"]).all()
                 and (merged["docfreq"] == merged["docfreq_parts"]).all())
    return {"peak_rss_mb": peak_mb, "seconds": seconds, "train_seconds": trained, "terms": len(total),
            "tokens_counted": int(total["frequency"].sum()), "exact": exact}


def run_child(folder: Path, copies: int, tokenizer: str) -> dict:
    command = [sys.executable, __file__, "--child", str(folder), "--copies", str(copies), "--tokenizer", tokenizer]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode:
        sys.exit(f"bench_scale: the memory child failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# ------------------------------------------------------------------------------------------------ throughput

def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _import_kit() -> None:
    import helpers.stats.counts  # noqa: F401  (the workers import the kit before the clock starts)
    import helpers.text.tokenizer  # noqa: F401


def dask_throughput(folder: Path, splitter, workers: int) -> tuple[float, dict]:
    """Wall time of tokenise+count on a fresh LocalCluster, and the CPU seconds its workers spent (on a shared
    machine a slow wall time with the same CPU seconds means the cores were busy with other work)."""
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster, \
            Client(cluster) as client:
        client.run(_import_kit)
        cpu_before = sum(client.run(_cpu_seconds).values())
        started = time.perf_counter()
        table = helpers.frequencies(helpers.tokenize(partitions.read_parquet(folder), sentence_model=splitter))
        seconds = time.perf_counter() - started
        worker_cpu = sum(client.run(_cpu_seconds).values()) - cpu_before
        overheads = {}
        if workers == 2:
            n = 2000
            started = time.perf_counter()
            client.gather(client.map(lambda i: i, range(n), pure=False))
            overheads["task_ms"] = 1000 * (time.perf_counter() - started) / n
    return seconds, {"table": table, "worker_cpu": worker_cpu, **overheads}


def reduction_ms(table: pd.DataFrame) -> float:
    """Time to add two partial frequency tables of the corpus vocabulary (one combine step of the tree)."""
    partial = table[["term", "frequency", "docfreq"]]
    combine = reduce.sum_tables(["term"], ["frequency", "docfreq"])
    started = time.perf_counter()
    for _ in range(5):
        combine([partial, partial])
    return 1000 * (time.perf_counter() - started) / 5


def cost_table(per_core_mb_s: float, chars_per_article: float, serial_s: float, task_ms: float,
               combine_ms: float, partition_mb: float) -> pd.DataFrame:
    rows = []
    for articles in (1_000_000, 10_000_000):
        megabytes = articles * chars_per_article / 1e6
        partitions = math.ceil(megabytes / partition_mb)
        for cores in (8, 64, 512):
            compute = megabytes / (per_core_mb_s * cores)
            scheduling = partitions * task_ms / 1000 * 2  # tokenise+count and one combine input per partition
            reduction = math.ceil(math.log(max(partitions, 2), reduce.FAN_IN)) * combine_ms / 1000 + \
                partitions / reduce.FAN_IN * combine_ms / 1000 / cores
            idle = max(0.0, 1 - (partitions / cores) / math.ceil(partitions / cores))
            wall = serial_s + compute / (1 - idle) + scheduling + reduction
            rows.append({"articles": f"{articles:,}", "cores": cores, "text_GB": round(megabytes / 1000, 1),
                         "partitions": partitions, "compute_min": round(compute / 60, 1),
                         "overhead_s": round(serial_s + scheduling + reduction, 1), "wall_min": round(wall / 60, 1)})
    return pd.DataFrame(rows)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gb", type=float, default=2.0, help="size of the big streamed corpus, GB of text")
    parser.add_argument("--big-tokenizer", choices=["arrow", "kit"], default="kit")
    parser.add_argument("--kit-mb", type=float, default=8.0, help="larger kit-tokenizer memory corpus, MB")
    parser.add_argument("--dask-mb", type=float, default=4.0, help="corpus for the 1 vs 2 worker run, MB")
    parser.add_argument("--partition-mb", type=float, default=4.0, help="text per partition, MB")
    parser.add_argument("--workdir", help="where the generated corpora go (default: a temporary folder)")
    parser.add_argument("--quick", action="store_true", help="small kit and Dask corpora (smoke run)")
    parser.add_argument("--sections", default="memory,dask", help="memory, dask or both (comma-separated)")
    parser.add_argument("--repeats", type=int, default=2, help="alternating 1- and 2-worker runs (best kept)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--copies", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--tokenizer", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(measure_memory(Path(args.child), args.copies, args.tokenizer)))
        return 0
    if args.quick:
        args.kit_mb, args.dask_mb = 2.0, 2.0
    work = Path(args.workdir or tempfile.mkdtemp(prefix="newskit-bench-scale-"))
    partition_chars = int(args.partition_mb * 1e6)
    sample = sample_articles()
    chars_per_article = float(sample["text"].str.len().mean())
    print(f"bench_scale: {os.cpu_count()} cores; sample {len(sample)} articles, {chars_per_article:.0f} characters "
          f"per article; partitions of {args.partition_mb:g} MB of text; corpora in {work}; "
          f"load average {os.getloadavg()[0]:.1f} (the CPU is shared: absolute speeds vary, ratios less)")

    if "memory" in args.sections:
        memory_section(args, work, partition_chars)
    if "dask" in args.sections:
        dask_section(args, work, partition_chars, chars_per_article)
    print(f"\nload average at the end: {os.getloadavg()[0]:.1f}")
    return 0


def memory_section(args, work: Path, partition_chars: int) -> None:
    print("\n== 1. Peak memory of streaming tokenise+count (child process, ru_maxrss)")
    results = []
    for label, gigabytes, tokenizer, chars in [
            ("kit tokenizer, small", args.kit_mb / 4000, "kit", partition_chars // 4),
            ("kit tokenizer, 4x", args.kit_mb / 1000, "kit", partition_chars // 4),
            (f"{args.big_tokenizer} tokenizer, 1/10", args.gb / 10, args.big_tokenizer, partition_chars),
            (f"{args.big_tokenizer} tokenizer, full", args.gb, args.big_tokenizer, partition_chars)]:
        folder = work / label.replace(" ", "-").replace(",", "").replace("/", "of")
        started = time.perf_counter()
        copies, n_bytes = make_corpus(folder, gigabytes, chars)
        generated = time.perf_counter() - started
        result = run_child(folder, copies, tokenizer)
        results.append({"run": label, "text_MB": round(n_bytes / 1e6, 1), "copies": copies,
                        "partition_MB": chars / 1e6, "peak_rss_MB": round(result["peak_rss_mb"]),
                        "seconds": round(result["seconds"], 1), "MB_per_s": round(n_bytes / 1e6 / result["seconds"], 2),
                        "tokens_counted": result["tokens_counted"], "exact_sum_of_parts": result["exact"],
                        "generate_s": round(generated, 1)})
        print(pd.DataFrame(results[-1:]).to_string(index=False), flush=True)
        if "full" in label or "1/10" in label:
            for old in folder.glob("*.parquet"):
                old.unlink()
    memory = pd.DataFrame(results)
    kit_small, kit_big, big_tenth, big_full = memory.to_dict("records")
    print("\n" + memory.to_string(index=False))
    print(f"peak RSS, kit tokenizer, 4x corpus / 1x corpus: {kit_big['peak_rss_MB'] / kit_small['peak_rss_MB']:.2f}")
    print(f"peak RSS, {args.big_tokenizer} tokenizer, full / tenth: "
          f"{big_full['peak_rss_MB'] / big_tenth['peak_rss_MB']:.2f}")
    print(f"{big_full['text_MB'] / 1000:.2f} GB streamed with peak RSS {big_full['peak_rss_MB']} MB "
          f"(bound 1500 MB: {'met' if big_full['peak_rss_MB'] < 1500 else 'NOT met'}); counts equal the sum of parts: "
          f"{big_full['exact_sum_of_parts'] and kit_big['exact_sum_of_parts']}")



def dask_section(args, work: Path, partition_chars: int, chars_per_article: float) -> None:
    print("\n== 2. Dask throughput, kit tokenizer, LocalCluster 1 vs 2 worker processes")
    folder = work / "dask"
    copies, n_bytes = make_corpus(folder, args.dask_mb / 1000, max(partition_chars // 16, 100_000))
    started = time.perf_counter()
    splitter = partitioned.shared_sentence_model(t for part in partitions.iter_parquet(folder, columns=["text"])
                                    for t in part["text"].tolist())
    train_s = time.perf_counter() - started
    n_partitions = partitions.read_parquet(folder).npartitions
    print(f"{n_bytes / 1e6:.1f} MB in {n_partitions} partitions; sentence model trained once in {train_s:.1f} s; "
          f"runs alternate 1, 2, 1, 2 workers, best of each kept")
    runs = {1: [], 2: []}
    for workers in (1, 2) * args.repeats:
        seconds, result = dask_throughput(folder, splitter, workers)
        runs[workers].append((seconds, result))
        print(f"  {workers} worker(s): {seconds:.1f} s wall, {result['worker_cpu']:.1f} s worker CPU, "
              f"load average {os.getloadavg()[0]:.1f}", flush=True)
    (one_s, one), (two_s, two) = min(runs[1], key=lambda r: r[0]), min(runs[2], key=lambda r: r[0])
    pd.testing.assert_frame_equal(one["table"], two["table"])
    print(f"1 worker: {one_s:.1f} s ({n_bytes / 1e6 / one_s:.2f} MB/s); 2 workers: {two_s:.1f} s "
          f"({n_bytes / 1e6 / two_s:.2f} MB/s); speed-up 2 vs 1 workers: {one_s / two_s:.2f}x (target 1.7x); "
          f"worker CPU 2 vs 1: {two['worker_cpu'] / one['worker_cpu']:.2f}x (1.00 = no parallel overhead)")

    print("\n== 3. Overheads and cost model (kit tokenizer's measured per-core throughput, 1 worker)")
    # Worker CPU seconds, not wall time: on a shared machine the wall time measures the other users too.
    per_core = n_bytes / 1e6 / one["worker_cpu"]
    combine = reduction_ms(two["table"])
    train_per_mb = train_s / min(n_bytes / 1e6, partitioned.TRAIN_CHARS / 1e6)
    serial = train_per_mb * partitioned.TRAIN_CHARS / 1e6
    print(f"per-core throughput {per_core:.2f} MB per CPU second (wall-clock {n_bytes / 1e6 / one_s:.2f} MB/s); scheduler round trip {two['task_ms']:.2f} ms per task; "
          f"one combine of two {len(two['table'])}-term partials {combine:.1f} ms; sentence model on "
          f"{partitioned.TRAIN_CHARS / 1e6:.0f} MB (serial) ~{serial:.0f} s")
    print(f"scheduler share at {args.partition_mb:g} MB partitions: "
          f"{two['task_ms'] / 1000 / (args.partition_mb / per_core):.2e} of compute")
    print(cost_table(per_core, chars_per_article, serial, two["task_ms"], combine, args.partition_mb).to_string(
        index=False))


if __name__ == "__main__":
    sys.exit(main())
