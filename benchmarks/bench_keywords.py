"""Speed of frequencies, TF-IDF, keyness (and the document-term matrix) on ~40 MB of news text.

The corpus is the seed article plus the Wikinews sample, repeated until the text reaches ``--mb`` megabytes. It is
tokenised once and the token table is replicated (new doc_ids per copy), so only the statistics are timed. Peers,
timed in the same run on the same tokens: scikit-learn's CountVectorizer and TfidfVectorizer given each article's
content terms as a pre-tokenised list (``analyzer=identity``; building those lists is not timed); and on a smaller
copy (``--nltk-mb``) NLTK's BigramCollocationFinder (likelihood ratio, frequency >= 2) for collocations and
``nltk.Text.concordance_list`` for KWIC (both given the term lists; the stopword filter is not applied to NLTK, so it
does slightly less work).

Every path, the kit's and each peer's, is timed the same way (benchmarks/timing.py): its imports done before the
clock, one untimed warm-up run, then the best of ``--repeat`` runs; each figure is printed with that description.

    python benchmarks/bench_keywords.py [--mb 40] [--repeat 3] [--nltk-mb 4]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nltk
import numpy as np
import pandas as pd
from nltk.collocations import BigramAssocMeasures, BigramCollocationFinder
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

sys.path.insert(0, str(Path(__file__).resolve().parent))

import helpers  # noqa: E402
from helpers.stats.distinctive import KeynessOptions  # noqa: E402
from timing import how_timed, machine_load, timed  # noqa: E402

# the kit's modules load on first use: touched here, so their imports happen before any clock
TIMED_KIT = (helpers.frequencies, helpers.document_term_matrix, helpers.tfidf, helpers.keyness, helpers.collocations,
             helpers.kwic)


def corpus(megabytes: float) -> tuple[pd.DataFrame, pd.DataFrame]:
    articles = helpers.load_articles(*helpers.default_sources())
    tokens = helpers.tokenize(articles)
    size = articles["text"].str.len().sum()
    copies = max(1, int(np.ceil(megabytes * 1e6 / size)))
    n_docs = len(articles)
    doc_codes, doc_labels = tokens["doc_id"].cat.codes.to_numpy(), tokens["doc_id"].cat.categories
    new_ids = [f"{d}-{c}" for c in range(copies) for d in doc_labels]
    replicated = {column: np.tile(tokens[column].to_numpy(), copies) for column in tokens.columns if column != "doc_id"}
    codes = (np.tile(doc_codes, copies).reshape(copies, -1) + np.arange(copies)[:, None] * len(doc_labels)).ravel()
    big = pd.DataFrame({"doc_id": pd.Categorical.from_codes(codes, categories=new_ids), **replicated})
    for column in ("token", "term"):
        big[column] = pd.Categorical.from_codes(np.tile(tokens[column].cat.codes.to_numpy(), copies),
                                                categories=tokens[column].cat.categories)
    label_of = dict(zip(articles["doc_id"], articles["collection"]))
    big_articles = pd.DataFrame({"doc_id": new_ids, "collection": [label_of[d] for c in range(copies) for d in doc_labels]})
    print(f"corpus: {copies} copies of {n_docs} articles = {copies * size / 1e6:.1f} MB of text, "
          f"{len(big):,} tokens, {len(new_ids):,} articles")
    return big, big_articles


def nltk_bigrams(sentences):
    finder = BigramCollocationFinder.from_documents(sentences)
    finder.apply_freq_filter(2)
    return finder.score_ngrams(BigramAssocMeasures.likelihood_ratio)


def _texts(articles: pd.DataFrame) -> list[str]:
    originals = helpers.load_articles(*helpers.default_sources()).set_index("doc_id")["text"]
    return [originals[doc_id.rsplit("-", 1)[0]] for doc_id in articles["doc_id"]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=40.0)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--nltk-mb", type=float, default=4.0, help="corpus size for the NLTK peers (slower)")
    options = parser.parse_args()

    def best_of(function, *args, **kwargs) -> float:
        return timed(lambda: function(*args, **kwargs), repeat=options.repeat)[0]

    print("before:", machine_load())
    tokens, articles = corpus(options.mb)
    content = helpers.content_tokens(tokens)
    docs = content.groupby("doc_id", observed=True, sort=False)["term"].agg(lambda s: s.astype(str).tolist()).tolist()

    def identity(doc):
        return doc

    peer_count = best_of(CountVectorizer(analyzer=identity).fit_transform, docs)
    peer_tfidf = best_of(TfidfVectorizer(analyzer=identity).fit_transform, docs)
    rows = [
        ("frequencies", best_of(helpers.frequencies, tokens), "CountVectorizer", peer_count),
        ("frequencies by collection", best_of(helpers.frequencies, tokens, by="collection",
                                              articles=articles), "CountVectorizer", peer_count),
        ("document_term_matrix", best_of(helpers.document_term_matrix, tokens), "CountVectorizer",
         peer_count),
        ("tfidf", best_of(helpers.tfidf, tokens), "TfidfVectorizer", peer_tfidf),
        ("keyness (seed copies vs rest)", best_of(helpers.keyness, tokens,
                                                  target={"collection": "articles"}, articles=articles,
                                                  options=KeynessOptions(correction="fdr_bh")), "CountVectorizer",
         peer_count),
    ]
    small, small_articles = corpus(options.nltk_mb)
    ordered = small.sort_values(["doc_id", "position"])
    sentences = ordered.groupby(["doc_id", "sentence"], observed=True, sort=False)["term"].agg(
        lambda s: s.astype(str).tolist()).tolist()
    words = [w for sentence in sentences for w in sentence]
    rows += [
        (f"collocations ({options.nltk_mb:g} MB)", best_of(helpers.collocations, small, min_freq=2),
         "NLTK finder", best_of(nltk_bigrams, sentences)),
        (f"kwic 'president' ({options.nltk_mb:g} MB)",
         best_of(helpers.kwic, small, small_articles.assign(text=_texts(small_articles)), "president"),
         "NLTK concordance", best_of(lambda: nltk.Text(words).concordance_list("president", lines=10**9))),
    ]
    timing = how_timed(options.repeat)
    print(f"\n{'statistic':32} {'newskit s':>10} {'peer':>16} {'peer s':>8} {'ratio':>7}  timed (both paths)")
    for name, ours, peer, theirs in rows:
        print(f"{name:32} {ours:10.3f} {peer:>16} {theirs:8.3f} {ours / theirs:7.2f}  {timing}")
    print("\nratio = newskit time / peer time (below 1: faster than the peer)")
    print("after:", machine_load())


if __name__ == "__main__":
    main()
