"""Topics: non-negative matrix factorisation (NMF) of the articles' TF-IDF matrix (scikit-learn).

NMF factorises the article × term TF-IDF matrix X ≈ W·H (Lee & Seung 1999; for topics e.g. O'Callaghan et al.
2015): each row of H is a topic (weights over terms), each row of W says how much of each topic an article holds.
Initialisation is NNDSVD (deterministic), and ``random_state`` is fixed, so the same articles give the same topics.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd
from sklearn.decomposition import NMF
from sklearn.feature_extraction.text import TfidfVectorizer

from .keywords import content_tokens


class Topics(NamedTuple):
    """The two tables of a topic model: ``topic_terms`` (topic, rank, term, weight) and ``doc_topics``
    (doc_id, topic, weight, share)."""

    topic_terms: pd.DataFrame
    doc_topics: pd.DataFrame


def _documents(tokens: pd.DataFrame) -> pd.Series:
    counted = content_tokens(tokens)
    if "is_alpha" in counted.columns:
        counted = counted[counted["is_alpha"].astype(bool)]
    return counted.groupby(counted["doc_id"].astype(str), sort=False)["term"].agg(lambda t: t.astype(str).tolist())


def topics(tokens: pd.DataFrame, *, n_topics: int = 8, n_terms: int = 10, min_df: int = 2, max_df: float = 0.5,
           max_features: int | None = 10_000, random_state: int = 0) -> Topics:
    """NMF topics of the token table's content words: ``(topic_terms, doc_topics)``.

    TF-IDF as scikit-learn's ``TfidfVectorizer`` (smooth idf, l2 norm) over alphabetic content tokens, keeping
    terms in at least ``min_df`` articles and at most ``max_df`` of them. ``topic_terms``: ``topic`` (1..n),
    ``rank``, ``term``, ``weight`` (the term's weight in H), the top ``n_terms`` per topic, plus ``label`` (its top
    three terms). ``doc_topics``: ``doc_id, topic, weight`` (W) and ``share`` (weight / the article's total, NaN
    when an article has no weight at all), one row per article × topic.

    >>> t = pd.DataFrame({"doc_id": list("aabbccdd"), "term": ["drug", "police", "drug", "police", "rain", "storm",
    ...                   "rain", "storm"], "is_stop": False, "is_punct": False})
    >>> model = topics(t, n_topics=2, n_terms=2, min_df=1, max_df=1.0)
    >>> sorted(model.topic_terms.groupby("topic")["term"].apply(lambda t: " ".join(sorted(t))))
    ['drug police', 'rain storm']
    """
    documents = _documents(tokens)
    if len(documents) < n_topics:
        raise ValueError(f"{len(documents)} articles cannot hold {n_topics} topics: pass a smaller n_topics")
    vectorizer = TfidfVectorizer(analyzer=lambda terms: terms, min_df=min_df, max_df=max_df,
                                 max_features=max_features)
    try:
        matrix = vectorizer.fit_transform(documents.tolist())
    except ValueError as error:
        raise ValueError(f"no terms left for topics with min_df={min_df}, max_df={max_df}: {error}") from None
    model = NMF(n_components=n_topics, init="nndsvd", random_state=random_state, max_iter=500)
    weights = model.fit_transform(matrix)
    vocabulary = vectorizer.get_feature_names_out()
    rows = []
    for topic, component in enumerate(model.components_, start=1):
        best = np.argsort(-component, kind="stable")[:n_terms]
        rows += [(topic, rank, vocabulary[i], float(component[i])) for rank, i in enumerate(best, start=1)]
    topic_terms = pd.DataFrame(rows, columns=["topic", "rank", "term", "weight"])
    labels = topic_terms[topic_terms["rank"] <= 3].groupby("topic")["term"].agg(" · ".join)
    topic_terms["label"] = topic_terms["topic"].map(labels)
    totals = weights.sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        shares = np.where(totals > 0, weights / totals, np.nan)
    doc_topics = pd.DataFrame({
        "doc_id": np.repeat(documents.index.to_numpy(), n_topics),
        "topic": np.tile(np.arange(1, n_topics + 1), len(documents)),
        "weight": weights.ravel(), "share": shares.ravel()})
    return Topics(topic_terms, doc_topics)
