"""Speed of trends, keyness over time, co-occurrence, dictionary (theme) counts and NMF topics on ~40 MB of news.

The corpus is the seed article plus the Wikinews sample, repeated until the text reaches ``--mb`` megabytes: it is
tokenised once and the token table replicated with new doc_ids (dates kept), so only the statistics are timed.
Peers timed in the same run on the same tokens: ``helpers.frequencies`` (the kit's basic count) for trends, themes
and keyness over time; for sentence co-occurrence, scikit-learn's CountVectorizer(binary) on each sentence's terms
followed by XᵀX (the same counts; building the term lists is not timed); for topics, scikit-learn's TfidfVectorizer +
NMF called directly on pre-built term lists (the kit's overhead is the difference). Every path is timed the same way
(benchmarks/timing.py: imports before the clock, one warm-up run, best of ``--repeat``), printed beside each figure.

    python benchmarks/bench_themes.py [--mb 40] [--topics-mb 40] [--repeat 3]
"""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.decomposition import NMF
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import helpers  # noqa: E402
from timing import how_timed, machine_load, timed  # noqa: E402

# the kit's modules load on first use: touched here, so their imports happen before any clock
TIMED_KIT = (helpers.frequencies, helpers.trends, helpers.themes, helpers.keyness_over_time, helpers.cooccurrence,
             helpers.topics)


def corpus(megabytes: float) -> tuple[pd.DataFrame, pd.DataFrame]:
    articles = helpers.load_articles(*helpers.default_sources())
    tokens = helpers.tokenize(articles)
    size = articles["text"].str.len().sum()
    copies = max(1, int(np.ceil(megabytes * 1e6 / size)))
    labels = tokens["doc_id"].cat.categories
    new_ids = [f"{d}-{c}" for c in range(copies) for d in labels]
    codes = (np.tile(tokens["doc_id"].cat.codes.to_numpy(), copies).reshape(copies, -1)
             + np.arange(copies)[:, None] * len(labels)).ravel()
    big = pd.DataFrame({"doc_id": pd.Categorical.from_codes(codes, categories=new_ids)})
    for column in tokens.columns.drop("doc_id"):
        values = tokens[column]
        if isinstance(values.dtype, pd.CategoricalDtype):
            big[column] = pd.Categorical.from_codes(np.tile(values.cat.codes.to_numpy(), copies),
                                                    categories=values.cat.categories)
        else:
            big[column] = np.tile(values.to_numpy(), copies)
    dates = articles.set_index("doc_id")["date"]
    big_articles = pd.DataFrame({"doc_id": new_ids, "date": [dates[d] for c in range(copies) for d in labels]})
    print(f"corpus: {copies} copies of {len(labels)} articles = {copies * size / 1e6:.1f} MB of text, "
          f"{len(big):,} tokens, {len(new_ids):,} articles")
    return big, big_articles


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=40.0)
    parser.add_argument("--topics-mb", type=float, default=40.0)
    parser.add_argument("--repeat", type=int, default=3, help="best of N timed runs after a warm-up (default 3)")
    options = parser.parse_args()

    def measure(function, *args, **kwargs) -> tuple[float, object]:
        return timed(lambda: function(*args, **kwargs), repeat=options.repeat)

    print("before:", machine_load())
    warnings.simplefilter("ignore", UserWarning)
    tokens, articles = corpus(options.mb)
    rows = []
    peer, _ = measure(helpers.frequencies, tokens)
    rows.append(("frequencies (peer)", peer, "1.00"))
    seconds, table = measure(helpers.trends, tokens, articles, terms=["drug*", "libya*", "security", "election*",
                                                                    "hurricane*", "protest*"], freq="W")
    rows.append(("trends, 6 terms/patterns, weekly", seconds, f"{seconds / peer:.2f} x frequencies"))
    seconds, table = measure(helpers.themes, tokens)
    rows.append(("themes per article (data/themes.yml)", seconds, f"{seconds / peer:.2f} x frequencies"))
    seconds, table = measure(helpers.themes, tokens, articles=articles, freq="M")
    rows.append(("themes per month", seconds, f"{seconds / peer:.2f} x frequencies"))
    seconds, table = measure(helpers.keyness_over_time, tokens, articles, freq="M")
    rows.append(("keyness_over_time, monthly vs rest", seconds, f"{seconds / peer:.2f} x frequencies"))

    content = helpers.content_tokens(tokens)
    content = content[content["is_alpha"].astype(bool)]
    sentences = content.groupby(["doc_id", "sentence"], observed=True, sort=False)["term"].agg(
        lambda s: s.astype(str).tolist()).tolist()

    def sklearn_cooccurrence():
        matrix = CountVectorizer(analyzer=lambda terms: terms, binary=True, max_features=2000).fit_transform(sentences)
        return (matrix.T @ matrix).tocoo()

    sklearn_seconds, _ = measure(sklearn_cooccurrence)
    seconds, table = measure(helpers.cooccurrence, tokens, unit="sentence", min_count=3)
    rows.append(("sklearn CountVectorizer + XᵀX (peer)", sklearn_seconds, "1.00"))
    rows.append(("cooccurrence, sentences, top 2000 terms", seconds, f"{seconds / sklearn_seconds:.2f} x sklearn"))
    seconds, table = measure(helpers.cooccurrence, tokens, unit="window", window=5, min_count=3)
    rows.append(("cooccurrence, window 5", seconds, f"{seconds / sklearn_seconds:.2f} x sklearn"))

    if options.topics_mb < options.mb:
        keep = max(1, int(len(articles) * options.topics_mb / options.mb))
        topic_tokens = tokens[tokens["doc_id"].cat.codes < keep]
    else:
        topic_tokens = tokens
    docs = helpers.content_tokens(topic_tokens)
    docs = docs[docs["is_alpha"].astype(bool)].groupby("doc_id", observed=True, sort=False)["term"].agg(
        lambda s: s.astype(str).tolist()).tolist()

    def sklearn_nmf():
        tfidf = TfidfVectorizer(analyzer=lambda terms: terms, min_df=2, max_df=0.5,
                                max_features=10_000).fit_transform(docs)
        return NMF(n_components=8, init="nndsvd", random_state=0, max_iter=500).fit_transform(tfidf)

    sklearn_topics, _ = measure(sklearn_nmf)
    seconds, model = measure(helpers.topics, topic_tokens)
    rows.append(("sklearn TfidfVectorizer + NMF (peer)", sklearn_topics, "1.00"))
    rows.append((f"topics, 8 NMF topics ({topic_tokens['doc_id'].nunique():,} articles)", seconds,
                 f"{seconds / sklearn_topics:.2f} x sklearn"))
    width = max(len(r[0]) for r in rows)
    timing = how_timed(options.repeat)
    for name, seconds, ratio in rows:
        print(f"{name:{width}}  {seconds:7.2f} s   {ratio:22}  {timing}")
    print("after:", machine_load())


if __name__ == "__main__":
    main()
