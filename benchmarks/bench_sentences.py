"""Sentence boundaries and word tokens against a hand-checked gold, the kit beside NLTK's peers in one run.

Gold: tests/data/sentence_gold.tsv (U.S. presidents' addresses from NLTK's state_union and inaugural corpora,
public domain; one sentence per line, tokens the Penn way; how it was made is in its header). It stands in for the
WSJ sample of NLTK's treebank corpus, which is not available here. Its "test" part is held out: the sentence
rules were tuned on "dev" only.

Measured, per part and overall:
- sentence F1: the boundaries between sentences of a document (a sentence's end offset, the document's last left
  out), predicted against gold;
- token F1: token (start, end) offsets in the document text, predicted against gold.

Systems:
- newskit: ``helpers.sentence_model`` of the documents (Punkt trained on them plus the kit's rules and lists when
  ``punkt_tab`` is absent) and the token table of ``helpers.tokenize``;
- peer: Punkt trained on the same text (``nltk.tokenize.punkt.PunktTrainer``), NLTK's ``TreebankWordTokenizer``
  on its sentences;
- with ``punkt_tab`` present, also NLTK's pretrained English Punkt + Treebank, and the kit with it.

    python benchmarks/bench_sentences.py
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import helpers  # noqa: E402
from helpers.resources import has_resource  # noqa: E402

sys.path.insert(0, str(ROOT / "benchmarks"))
from timing import machine_load  # noqa: E402

GOLD_PATH = ROOT / "tests" / "data" / "sentence_gold.tsv"


def gold_documents(path: Path = GOLD_PATH) -> pd.DataFrame:
    """One row per document: set, doc, text, gold boundaries and gold token spans."""
    rows = pd.read_csv(path, sep="\t", comment="#", header=None, quoting=3, keep_default_na=False,
                       names=["set", "doc", "paragraph", "sentence", "tokens"], dtype=str)
    documents = []
    for (part, doc), sentences in rows.groupby(["set", "doc"], sort=False):
        paragraphs = [" ".join(group["sentence"]) for _, group in sentences.groupby("paragraph", sort=False)]
        text = "\n\n".join(paragraphs)
        ends, spans, offset = [], set(), 0
        for sentence, tokens in zip(sentences["sentence"], sentences["tokens"]):
            start = text.index(sentence, offset)
            position = start
            for token in tokens.split(" "):
                position = text.index(token, position)
                spans.add((position, position + len(token)))
                position += len(token)
            offset = start + len(sentence)
            ends.append(offset)
        documents.append({"set": part, "doc": doc, "text": text, "boundaries": set(ends[:-1]), "tokens": spans})
    return pd.DataFrame(documents)


def _f1(predicted: set, gold: set) -> tuple[int, int, int]:
    tp = len(predicted & gold)
    return tp, len(predicted) - tp, len(gold) - tp


def scores(documents: pd.DataFrame, boundaries: list[set], tokens: list[set]) -> pd.DataFrame:
    """Sentence and token precision/recall/F1 per part (dev, test) and overall."""
    rows = []
    for row, predicted_ends, predicted_tokens in zip(documents.itertuples(), boundaries, tokens):
        rows.append((row.set, "sentences", *_f1(predicted_ends, row.boundaries)))
        rows.append((row.set, "tokens", *_f1(predicted_tokens, row.tokens)))
    table = pd.DataFrame(rows, columns=["set", "measure", "tp", "fp", "fn"])
    table = pd.concat([table, table.assign(set="all")]).groupby(["measure", "set"])[["tp", "fp", "fn"]].sum()
    table["precision"] = table["tp"] / (table["tp"] + table["fp"])
    table["recall"] = table["tp"] / (table["tp"] + table["fn"])
    table["f1"] = 2 * table["precision"] * table["recall"] / (table["precision"] + table["recall"])
    return table


def _ends(spans) -> set:
    """Sentence ends, the last one (the document's end) left out."""
    ends = sorted(end for _, end in spans)
    return set(ends[:-1])


def newskit(documents: pd.DataFrame, *, pretrained: bool) -> tuple[list[set], list[set], str]:
    texts = documents["text"].tolist()
    model = helpers.sentence_model(texts, pretrained=pretrained)
    articles = pd.DataFrame({"doc_id": documents["doc"], "text": texts})
    table = helpers.tokenize(articles, sentence_model=model)
    tokens = [set(zip(group["start"].tolist(), group["end"].tolist()))
              for _, group in table.groupby("doc_id", sort=False, observed=True)]
    order = {doc: i for i, doc in enumerate(table["doc_id"].astype(str).unique())}
    tokens = [tokens[order[doc]] for doc in documents["doc"]]
    return [_ends(model.spans(text)) for text in texts], tokens, model.source


def nltk_peer(documents: pd.DataFrame, *, pretrained: bool) -> tuple[list[set], list[set], str]:
    from nltk.tokenize import TreebankWordTokenizer
    from nltk.tokenize.punkt import PunktSentenceTokenizer, PunktTrainer

    texts = documents["text"].tolist()
    if pretrained:
        from nltk.tokenize.punkt import PunktTokenizer

        splitter, source = PunktTokenizer("english"), "NLTK's pretrained English Punkt (punkt_tab)"
    else:
        trainer = PunktTrainer()
        trainer.train("\n\n".join(texts), finalize=True)
        splitter = PunktSentenceTokenizer(trainer.get_params())
        source = f"Punkt trained on the same {sum(map(len, texts)):,} characters"
    words = TreebankWordTokenizer()
    boundaries, tokens = [], []
    for text in texts:
        spans = list(splitter.span_tokenize(text))
        boundaries.append(_ends(spans))
        tokens.append({(start + a, start + b) for start, end in spans
                       for a, b in words.span_tokenize(text[start:end])})
    return boundaries, tokens, source + " + Treebank words"


def main() -> None:
    documents = gold_documents()
    print(f"gold: {len(documents)} documents, {sum(map(len, documents['boundaries'])) + len(documents)} sentences "
          f"({', '.join(f'{part} {n}' for part, n in documents.groupby('set').size().items())} documents), "
          f"{sum(map(len, documents['tokens'])):,} tokens")
    print("before:", machine_load())
    runs = [("peer", False), ("newskit", False)]
    if has_resource("punkt_tab"):
        runs += [("peer (pretrained)", True), ("newskit (pretrained)", True)]
    else:
        print("punkt_tab is absent: the pretrained models are not measured")
    results = {}
    for name, pretrained in runs:
        system = newskit if name.startswith("newskit") else nltk_peer
        boundaries, tokens, source = system(documents, pretrained=pretrained)
        results[name] = table = scores(documents, boundaries, tokens)
        print(f"== {name}: {source}")
        print(table.round(4).to_string())
    summary = pd.DataFrame({name: table["f1"] for name, table in results.items()})
    print("== F1 side by side")
    print(summary.round(4).to_string())
    print("after:", machine_load())
    if "--errors" in sys.argv:
        part = sys.argv[-1]
        boundaries, _, _ = newskit(documents, pretrained=False)
        for row, predicted in zip(documents.itertuples(), boundaries):
            if row.set != part:
                continue
            for kind, offsets in (("missed", row.boundaries - predicted), ("spurious", predicted - row.boundaries)):
                for offset in sorted(offsets):
                    print(f"{kind:8} {row.doc:28} {row.text[max(0, offset - 40):offset + 30]!r}")


if __name__ == "__main__":
    main()
