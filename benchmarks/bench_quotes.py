"""Quotations: speed against tokenising, and accuracy against the hand-marked gold next to a baseline, in one run.

    python benchmarks/bench_quotes.py                 # 10,000 articles for the speed, the gold for the accuracy
    python benchmarks/bench_quotes.py --articles 2000 # a quicker look
    python benchmarks/bench_quotes.py --no-speed      # accuracy only
    python benchmarks/bench_quotes.py --distinct 500  # the speed on the first 500 default articles, no copies

Speed: the seed article and both samples (Wikinews contributors, CC BY 2.5; U.S. congressional press releases,
public domain) repeated to N articles, each copy's text ending in a line of its own (as bench_rerun.py builds its
10,000 articles). ``helpers.tokenize`` (Punkt trained inside) against ``helpers.quotes`` given the entity mentions
(a notebook has them from ``helpers.entities``; here found once on the default articles and copied to the copies).
Timed in alternating rounds (tokenize, then quotes), the best of ``--repeat`` (3) rounds of each after one warm-up
round, with the machine's load printed before and after. ``quotes`` runs its rules once per distinct unit of
repeated paragraphs (``helpers/stats/quote_units.py``): on these copies, once per story body; ``--distinct N``
measures the same on the first N default articles, as they are, where little repeats.

Accuracy: ``tests/data/quotes_gold.jsonl`` (rules in ``tests/data/quotes_gold.md``); every collection it marks is
loaded, tokenised and run through ``helpers.entities`` and ``helpers.quotes`` whole, then the marked articles are
scored. Baseline, measured in the same run: every pair of quotation marks is a direct quotation, its speaker the
nearest PERSON mention before it. Figures:
  direct span F1     gold direct rows against predicted direct rows, exact (same start and end) and with an
                     overlap (intersection over union) of at least 0.8; one-to-one matches
  quoted span F1     the same for every span between marks (direct and mixed together, kind not compared)
  indirect F1        gold indirect rows against predicted indirect rows, overlap of at least 0.5
  speaker accuracy   of the gold direct rows matched (overlap >= 0.8), the share whose predicted speaker_entity is
                     the gold speaker_resolved (or whose speaker is the gold speaker as written): equal ignoring case
                     and punctuation, or one name's words contained in the other's with the same last word
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(1, str(ROOT / "tests"))

import helpers  # noqa: E402
from helpers.stats.quotation_marks import marked_quotations  # noqa: E402
from timing import machine_load  # noqa: E402


def gold_module():
    """``tests/quotes_gold.py`` (branch i20-gold), or None when this checkout lacks it."""
    try:
        import quotes_gold
    except ImportError:
        return None
    return quotes_gold if quotes_gold.GOLD_PATH.exists() else None


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> float:
    inter = min(a[1], b[1]) - max(a[0], b[0])
    union = max(a[1], b[1]) - min(a[0], b[0])
    return max(inter, 0) / union if union > 0 else 0.0


def match(predicted: pd.DataFrame, gold: pd.DataFrame, threshold: float | None) -> list[tuple[int, int]]:
    """One-to-one (predicted index, gold index) pairs: exact spans (threshold None) or by overlap, best first."""
    pairs = []
    for doc_id, gold_doc in gold.groupby("doc_id"):
        found = predicted[predicted["doc_id"] == doc_id]
        candidates = []
        for g in gold_doc.itertuples():
            for p in found.itertuples():
                score = 1.0 if (p.start, p.end) == (g.start, g.end) else (
                    0.0 if threshold is None else _overlap((p.start, p.end), (g.start, g.end)))
                if score >= (threshold or 1.0):
                    candidates.append((score, p.Index, g.Index))
        used_p, used_g = set(), set()
        for score, p, g in sorted(candidates, reverse=True):
            if p not in used_p and g not in used_g:
                used_p.add(p), used_g.add(g)
                pairs.append((p, g))
    return pairs


def prf(n_predicted: int, n_gold: int, n_matched: int) -> dict:
    precision = n_matched / n_predicted if n_predicted else 0.0
    recall = n_matched / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 3), "recall": round(recall, 3), "f1": round(f1, 3),
            "predicted": n_predicted, "gold": n_gold, "matched": n_matched}


def _name(value) -> list[str]:
    return re.sub(r"[^\w\s]", " ", str(value or "").lower().replace("’s", "").replace("'s", "")).split()


def same_speaker(predicted: str, gold: str) -> bool:
    a, b = _name(predicted), _name(gold)
    if not a or not b:
        return False
    return a == b or (a[-1] == b[-1] and (set(a) <= set(b) or set(b) <= set(a)))


def score(predicted: pd.DataFrame, gold: pd.DataFrame) -> pd.DataFrame:
    """The figures of the module docstring, one row each."""
    rows = {}
    direct_p, direct_g = predicted[predicted["kind"] == "direct"], gold[gold["kind"] == "direct"]
    rows["direct span, exact"] = prf(len(direct_p), len(direct_g), len(match(direct_p, direct_g, None)))
    overlapping = match(direct_p, direct_g, 0.8)
    rows["direct span, overlap >= 0.8"] = prf(len(direct_p), len(direct_g), len(overlapping))
    marked_p = predicted[predicted["kind"].isin(["direct", "mixed"])]
    marked_g = gold[gold["kind"].isin(["direct", "mixed"])]
    rows["quoted span (direct + mixed), exact"] = prf(len(marked_p), len(marked_g),
                                                      len(match(marked_p, marked_g, None)))
    indirect_p, indirect_g = predicted[predicted["kind"] == "indirect"], gold[gold["kind"] == "indirect"]
    rows["indirect, overlap >= 0.5"] = prf(len(indirect_p), len(indirect_g),
                                          len(match(indirect_p, indirect_g, 0.5)))
    right = sum(same_speaker(direct_p.loc[p, "speaker_entity"], direct_g.loc[g, "speaker_resolved"])
                or same_speaker(direct_p.loc[p, "speaker"], direct_g.loc[g, "speaker"]) for p, g in overlapping)
    rows["speaker accuracy (direct, matched)"] = {"accuracy": round(right / len(overlapping), 3) if overlapping
                                                  else 0.0, "matched": len(overlapping), "right": right}
    return pd.DataFrame(rows).T


def baseline(articles: pd.DataFrame, mentions: pd.DataFrame) -> pd.DataFrame:
    """Quotation marks alone: every pair a direct quotation; speaker the nearest PERSON mention before it."""
    people = mentions[mentions["label"] == "PERSON"]
    by_doc = {doc: group.sort_values("end") for doc, group in people.groupby("doc_id", observed=True)}
    rows = []
    for doc_id, text in zip(articles["doc_id"].astype(str), articles["text"]):
        if not isinstance(text, str):
            continue
        before = by_doc.get(doc_id)
        for quote in marked_quotations(text):
            start, end = quote.pieces[0][0], quote.pieces[-1][1]
            speaker = ""
            if before is not None:
                earlier = before[before["end"] <= quote.opened]
                speaker = str(earlier["canonical"].iloc[-1]) if len(earlier) else ""
            rows.append({"doc_id": doc_id, "start": start, "end": end, "kind": "direct", "speaker": speaker,
                         "speaker_entity": speaker})
    return pd.DataFrame(rows, columns=["doc_id", "start", "end", "kind", "speaker", "speaker_entity"])


def evaluate() -> tuple[pd.DataFrame, pd.DataFrame] | None:
    """(scores of helpers.quotes, scores of the baseline) on the gold, or None without the gold or its sources."""
    module = gold_module()
    if module is None or module.missing_sources():
        return None
    gold = module.gold_rows()
    marked = module.gold_articles()
    keys = dict(zip(zip(marked["collection"], marked["article_key"]), marked["doc_id"]))
    gold = gold.assign(doc_id=[keys[(c, k)] for c, k in zip(gold["collection"], gold["article_key"])])
    predicted, base = [], []
    for collection in sorted(set(marked["collection"])):
        articles = helpers.load_articles(module.source_path(collection))
        tokens = helpers.tokenize(articles)
        mentions = helpers.entities(tokens, articles)
        wanted = set(marked.loc[marked["collection"] == collection, "doc_id"])
        found = helpers.quotes(tokens, articles, mentions=mentions)
        predicted.append(found[found["doc_id"].isin(wanted)])
        chosen = articles[articles["doc_id"].astype(str).isin(wanted)]
        base.append(baseline(chosen, mentions))
    predicted = pd.concat(predicted, ignore_index=True)
    return score(predicted, gold), score(pd.concat(base, ignore_index=True), gold)


def distinct_corpus(n: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The first ``n`` default articles with a text, as they are, and their entity mentions."""
    sample = helpers.load_articles(*helpers.default_sources())
    sample.attrs = {}
    sample = sample[sample["text"].notna()].head(n).reset_index(drop=True)
    return sample, helpers.entities(helpers.tokenize(sample), sample)


def corpus(n: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``n`` articles: the default articles repeated, each copy's text ending in one line naming the copy (so that
    no two texts are equal, as in bench_rerun.py), and the entity mentions of the copies, found once on the default
    articles and copied (a copy's added line names nobody and quotes nobody)."""
    sample = helpers.load_articles(*helpers.default_sources())
    sample.attrs = {}
    sample = sample[["doc_id", "title", "text", "date", "source", "collection"]]
    sample = sample[sample["text"].notna()].assign(doc_id=lambda f: f["doc_id"].astype(str))
    mentions = helpers.entities(helpers.tokenize(sample), sample)
    mentions = mentions.assign(doc_id=mentions["doc_id"].astype(str))
    copies, copied = [], []
    for k in range(-(-n // len(sample))):
        copies.append(sample.assign(doc_id=sample["doc_id"] + f"-{k}",
                                    text=sample["text"] + f"\n\nThis is copy {k} of the story."))
        copied.append(mentions.assign(doc_id=mentions["doc_id"] + f"-{k}"))
    articles = pd.concat(copies, ignore_index=True).head(n)
    mentions = pd.concat(copied, ignore_index=True)
    return articles, mentions[mentions["doc_id"].isin(set(articles["doc_id"]))].reset_index(drop=True)


def alternating(repeat: int, articles: pd.DataFrame, mentions: pd.DataFrame):
    """Best seconds of tokenize and of quotes over ``repeat`` rounds, each round tokenize then quotes (a load that
    changes during the run weighs on both alike), after one untimed warm-up round; and the last quotes table."""
    tokens = helpers.tokenize(articles)
    found = helpers.quotes(tokens, articles, mentions=mentions)
    tokenize_times, quote_times = [], []
    for _ in range(repeat):
        start = time.perf_counter()
        tokens = helpers.tokenize(articles)
        tokenize_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        found = helpers.quotes(tokens, articles, mentions=mentions)
        quote_times.append(time.perf_counter() - start)
    return min(tokenize_times), min(quote_times), found


def speed(n: int, repeat: int, distinct: bool = False) -> None:
    articles, mentions = distinct_corpus(n) if distinct else corpus(n)
    megabytes = articles["text"].str.len().sum() / 1e6
    load_before = machine_load()
    tokenize_seconds, quote_seconds, found = alternating(repeat, articles, mentions)
    print(f"speed on {len(articles):,} articles ({megabytes:.1f} M characters), best of {repeat} alternating rounds "
          f"(tokenize, then quotes) after one warm-up round; before: {load_before}; after: {machine_load()}")
    print(f"  tokenize                      {tokenize_seconds:8.2f} s")
    print(f"  quotes (given the mentions)   {quote_seconds:8.2f} s   {len(found):,} quotations")
    print(f"  ratio quotes / tokenize       {quote_seconds / tokenize_seconds:8.2f}   (target: below 1)")
    print("  (entities, which quotes needs, are found once per corpus, by notebook 06 or quotes itself; on these "
          "copies they are found on the default articles and copied)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-speed", action="store_true")
    parser.add_argument("--distinct", type=int, default=None, metavar="N",
                        help="time the first N default articles as they are instead of N copies")
    args = parser.parse_args()
    pd.set_option("display.width", 160)
    results = evaluate()
    if results is None:
        print("accuracy: skipped, the gold (tests/data/quotes_gold.jsonl, branch i20-gold) or a sample it marks "
              "is not here (make sample-data)")
    else:
        ours, base = results
        print("accuracy on the hand-marked gold: helpers.quotes")
        print(ours.to_string())
        print("\nbaseline (quotation marks alone, nearest preceding PERSON as speaker), same run")
        print(base.to_string())
    if not args.no_speed:
        print()
        speed(args.distinct or args.articles, args.repeat, distinct=args.distinct is not None)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
