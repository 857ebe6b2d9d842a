"""Entity mentions against hand-marked names: exact-mention precision, recall and F1 of `helpers.entities`,
with a bare run of NNP tags (method="nnp") as the peer measured in the same run. F1 is given pooled over the
mentions of a set and per document (each passage's F1, averaged: the issue's measure on IEER). The "test" set is
held out: it was marked before the rules ran on it and no rule was tuned on it.

Gold: tests/data/entity_gold.yml (the seed article, Wikinews 2019 passages located by title, and constructed
sentences with misleading capitalisation). Needs the Wikinews sample (make sample-data).

    python benchmarks/bench_entities.py
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import pandas as pd
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import helpers  # noqa: E402
from helpers.settings import ARTICLES_DIR, SAMPLE_PATH  # noqa: E402

sys.path.insert(0, str(ROOT / "benchmarks"))
from timing import how_timed, machine_load, timed  # noqa: E402

GOLD_PATH = ROOT / "tests" / "data" / "entity_gold.yml"


def gold_passages(articles: pd.DataFrame) -> pd.DataFrame:
    """One row per gold passage: set, doc_id, end (offset where the passage stops), mentions."""
    passages = yaml.safe_load(GOLD_PATH.read_text(encoding="utf-8"))["passages"]
    by_title = dict(zip(articles["title"], zip(articles["doc_id"], articles["text"])))
    rows = []
    for number, passage in enumerate(passages):
        if "text" in passage:
            doc_id, text = f"constructed-{number}", passage["text"]
        elif passage["title"] in by_title:
            doc_id, text = by_title[passage["title"]]
        else:
            raise LookupError(f"gold passage {number}: no article titled {passage['title']!r}")
        end = len(text)
        if passage.get("until"):
            found = text.find(passage["until"])
            if found < 0:
                raise LookupError(f"gold passage {number}: {passage['until']!r} not in {passage.get('title')!r}")
            end = found + len(passage["until"])
        rows.append({"set": passage["set"], "doc_id": doc_id, "text": text, "end": end,
                     "mentions": passage["mentions"]})
    return pd.DataFrame(rows)


def evaluation_corpus() -> tuple[pd.DataFrame, pd.DataFrame]:
    """The seed article, the Wikinews sample and the constructed passages as one articles frame, plus the gold."""
    articles = helpers.load_articles(ARTICLES_DIR, SAMPLE_PATH)
    gold = gold_passages(articles)
    constructed = gold[gold["doc_id"].str.startswith("constructed-")]
    extra = pd.DataFrame({"doc_id": constructed["doc_id"], "title": "", "text": constructed["text"]})
    return pd.concat([articles, extra], ignore_index=True), gold


def score(mentions: pd.DataFrame, gold: pd.DataFrame) -> pd.DataFrame:
    """True positives, false positives and false negatives per gold set, by exact mention string (as a multiset)."""
    found = mentions.groupby("doc_id")[["end", "entity"]]
    groups = dict(list(found))
    rows = []
    for row in gold.itertuples():
        system = groups.get(row.doc_id, pd.DataFrame(columns=["end", "entity"]))
        predicted = Counter(system.loc[system["end"] <= row.end, "entity"])
        expected = Counter(row.mentions)
        tp = sum((predicted & expected).values())
        rows.append({"set": row.set, "tp": tp, "fp": sum(predicted.values()) - tp, "fn": sum(expected.values()) - tp})
    passages = pd.DataFrame(rows)
    # per document, as the issue measures IEER: F1 of each passage, averaged (a passage with no mentions either
    # side counts 1)
    passages["doc_f1"] = (2 * passages["tp"] / (2 * passages["tp"] + passages["fp"] + passages["fn"])).fillna(1.0)
    table = passages.groupby("set")[["tp", "fp", "fn"]].sum()
    table.loc["all"] = table.sum()
    table["precision"] = table["tp"] / (table["tp"] + table["fp"])
    table["recall"] = table["tp"] / (table["tp"] + table["fn"])
    table["f1"] = 2 * table["precision"] * table["recall"] / (table["precision"] + table["recall"])
    per_document = passages.groupby("set")["doc_f1"].mean()
    per_document.loc["all"] = passages["doc_f1"].mean()
    table["f1_per_document"] = per_document
    return table


def errors(mentions: pd.DataFrame, gold: pd.DataFrame, subset: str) -> pd.DataFrame:
    """Missed and spurious mentions per passage, for reading what the rules get wrong."""
    rows = []
    for row in gold[gold["set"] == subset].itertuples():
        system = mentions[(mentions["doc_id"] == row.doc_id) & (mentions["end"] <= row.end)]
        predicted, expected = Counter(system["entity"]), Counter(row.mentions)
        rows += [{"doc_id": row.doc_id, "kind": "missed", "entity": e} for e in (expected - predicted).elements()]
        rows += [{"doc_id": row.doc_id, "kind": "spurious", "entity": e} for e in (predicted - expected).elements()]
    return pd.DataFrame(rows)


def main() -> None:
    if not SAMPLE_PATH.exists():
        sys.exit("the Wikinews sample is absent: make sample-data")
    articles, gold = evaluation_corpus()
    tokens = helpers.tokenize(articles)
    results = {}
    print("before:", machine_load())
    for method in ("nnp", "capitalisation", "auto"):
        try:
            seconds, mentions = timed(lambda: helpers.entities(tokens, articles, method=method), repeat=3)
        except ValueError as reason:
            print(f"== method={method}: not measured ({reason})")
            continue
        results[method] = score(mentions, gold)
        print(f"== method={method} ({seconds:.2f} s for {len(tokens):,} tokens, {len(mentions):,} mentions; "
              f"{how_timed(3)})")
        print(results[method].round(3).to_string())
    if "nnp" not in results:
        return
    baseline = results["nnp"].loc["test", "f1"]
    for method in ("capitalisation", "auto"):
        print(f"test-set F1, {method} / nnp baseline: {results[method].loc['test', 'f1'] / baseline:.2f}x")
    print("after:", machine_load())
    if "--errors" in sys.argv:
        print(errors(helpers.entities(tokens, articles), gold, sys.argv[-1]).to_string())


if __name__ == "__main__":
    main()
