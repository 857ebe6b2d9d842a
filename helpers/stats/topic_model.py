"""Topics: non-negative matrix factorisation (NMF) of the articles' TF-IDF matrix (scikit-learn).

NMF factorises the article × term TF-IDF matrix X ≈ W·H (Lee & Seung 1999; for topics e.g. O'Callaghan et al.
2015): each row of H is a topic (weights over terms), each row of W says how much of each topic an article holds.
Initialisation is NNDSVD (deterministic), and ``random_state`` is fixed, so the same articles give the same topics.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.decomposition import NMF
from sklearn.preprocessing import normalize

from helpers.frames import codes_of
from helpers.scale.reduce import require_whole
from helpers.stats.selection import content_mask

TOPIC_TERM_COLUMNS = ["topic", "rank", "term", "weight", "label"]
DOC_TOPIC_COLUMNS = ["doc_id", "topic", "weight", "share"]


class Topics(NamedTuple):
    """The two tables of a topic model: ``topic_terms`` (topic, rank, term, weight) and ``doc_topics``
    (doc_id, topic, weight, share)."""

    topic_terms: pd.DataFrame
    doc_topics: pd.DataFrame


def tfidf_matrix(tokens: pd.DataFrame, *, min_df: int = 2, max_df: float = 0.5,
                 max_features: int | None = 10_000) -> tuple[sparse.csr_matrix, pd.Index, np.ndarray]:
    """The article × term TF-IDF matrix of the alphabetic content tokens, with its doc ids and vocabulary.

    Equal to scikit-learn's ``TfidfVectorizer(min_df=min_df, max_df=max_df, max_features=max_features)`` (smooth
    idf = ln((1 + n) / (1 + df)) + 1, raw counts, l2-normalised rows) given each article's terms, but built from the
    token table's integer codes without making millions of Python strings.

    >>> t = pd.DataFrame({"doc_id": ["a", "a", "b"], "term": ["drug", "drug", "rain"], "is_stop": False,
    ...                   "is_punct": False})
    >>> matrix, doc_ids, vocabulary = tfidf_matrix(t, min_df=1, max_df=1.0)
    >>> list(doc_ids), list(vocabulary), matrix.toarray().tolist()
    (['a', 'b'], ['drug', 'rain'], [[1.0, 0.0], [0.0, 1.0]])
    """
    counted = content_mask(tokens, drop_stop=True, drop_punct=True)
    if "is_alpha" in tokens.columns:
        counted &= tokens["is_alpha"].to_numpy(dtype=bool)
    # the two columns' codes of the rows counted, not a copy of every column of those rows
    doc_codes, doc_labels = _codes_of_rows(tokens["doc_id"], counted)
    term_codes, term_labels = _codes_of_rows(tokens["term"], counted)
    present = (doc_codes >= 0) & (term_codes >= 0)
    doc_codes, term_codes = doc_codes[present], term_codes[present]
    seen = np.zeros(len(doc_labels) + 1, dtype=bool)
    seen[doc_codes] = True
    docs = np.flatnonzero(seen)  # what np.unique gave, without sorting every row
    doc_rows = (np.cumsum(seen) - 1)[doc_codes]
    counts = sparse.csr_matrix((np.ones(len(doc_rows)), (doc_rows, term_codes)),
                               shape=(len(docs), len(term_labels)))
    counts.sum_duplicates()
    n_docs = counts.shape[0]
    df = np.bincount(counts.indices, minlength=counts.shape[1])
    max_count = max_df * n_docs if isinstance(max_df, float) else max_df
    keep = np.flatnonzero((df >= min_df) & (df <= max_count))
    if len(keep) == 0:
        raise ValueError(f"no terms left with min_df={min_df}, max_df={max_df}")
    vocabulary = np.asarray(term_labels.astype(str), dtype=object)[keep]
    order = np.argsort(vocabulary, kind="stable")
    keep, vocabulary = keep[order], vocabulary[order]
    if max_features is not None and len(keep) > max_features:
        # the most frequent terms, chosen exactly as scikit-learn does (same argsort on the same sorted vocabulary)
        totals = np.asarray(counts[:, keep].sum(axis=0)).ravel()
        chosen = np.sort((-totals).argsort()[:max_features])
        keep, vocabulary = keep[chosen], vocabulary[chosen]
    matrix = counts[:, keep]
    idf = np.log((1 + n_docs) / (1 + df[keep])) + 1
    matrix = normalize(matrix.multiply(idf).tocsr(), norm="l2")
    return matrix, pd.Index(np.asarray(doc_labels.astype(str))[docs]), vocabulary


def _codes_of_rows(values: pd.Series, rows: np.ndarray) -> tuple[np.ndarray, pd.Index]:
    """:func:`~helpers.frames.codes_of` of ``values[rows]`` (a boolean mask): a categorical column keeps its
    categories when filtered, so its codes are taken from the whole column's."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        codes, labels = codes_of(values)
        return codes[rows], labels
    return codes_of(values[rows])


def topics(tokens: pd.DataFrame, *, n_topics: int = 8, n_terms: int = 10, min_df: int = 2, max_df: float = 0.5,
           max_features: int | None = 10_000, random_state: int = 0) -> Topics:
    """NMF topics of the token table's content words: ``(topic_terms, doc_topics)``.

    TF-IDF as scikit-learn's ``TfidfVectorizer`` (smooth idf, l2 norm; see :func:`tfidf_matrix`) over alphabetic
    content tokens, keeping terms in at least ``min_df`` articles and at most ``max_df`` of them (a fraction when
    a float). ``topic_terms``: ``topic`` (1..n),
    ``rank``, ``term``, ``weight`` (the term's weight in H), the top ``n_terms`` per topic, plus ``label`` (its top
    three terms). ``doc_topics``: ``doc_id, topic, weight`` (W) and ``share`` (weight / the article's total, NaN
    when an article has no weight at all), one row per article × topic.

    A model needs material: fewer articles than ``n_topics`` raise ``ValueError: ... articles cannot hold ...
    topics``, and no term within ``min_df``/``max_df`` (a very small corpus) ``ValueError: no terms left``.

    >>> t = pd.DataFrame({"doc_id": list("aabbccdd"), "term": ["drug", "police", "drug", "police", "rain", "storm",
    ...                   "rain", "storm"], "is_stop": False, "is_punct": False})
    >>> model = topics(t, n_topics=2, n_terms=2, min_df=1, max_df=1.0)
    >>> sorted(model.topic_terms.groupby("topic")["term"].apply(lambda t: " ".join(sorted(t))))
    ['drug police', 'rain storm']
    """
    require_whole(tokens, "topics")
    matrix, doc_ids, vocabulary = tfidf_matrix(tokens, min_df=min_df, max_df=max_df, max_features=max_features)
    if len(doc_ids) < n_topics:
        raise ValueError(f"{len(doc_ids)} articles cannot hold {n_topics} topics: pass a smaller n_topics")
    model = NMF(n_components=n_topics, init="nndsvd", random_state=random_state, max_iter=500)
    weights = model.fit_transform(matrix)
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
        "doc_id": np.repeat(doc_ids.to_numpy(), n_topics),
        "topic": np.tile(np.arange(1, n_topics + 1), len(doc_ids)),
        "weight": weights.ravel(), "share": shares.ravel()})
    return Topics(topic_terms, doc_topics)
