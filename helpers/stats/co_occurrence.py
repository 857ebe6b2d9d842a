"""Which terms (or entities) appear together: counts within a sentence, an article or a window of tokens, with an
association score, and a networkx graph of the strongest pairs."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
from scipy import sparse

from helpers import association
from helpers.frames import codes_of
from helpers.scale.reduce import require_whole
from helpers.stats.selection import content_tokens

COOCCURRENCE_COLUMNS = ["term_a", "term_b", "count", "score", "measure", "freq_a", "freq_b", "pmi", "log_dice"]
MEASURES = ("log_dice", "pmi", "count")
MAX_TERMS = 2000  # the most frequent terms paired (a 2,000 × 2,000 sparse matrix); pass terms= for others


def _filtered(tokens: pd.DataFrame, column: str, drop_stop: bool) -> pd.DataFrame:
    if column not in tokens.columns:
        raise ValueError(f"column={column!r} is not in the table (columns: {list(tokens.columns)})")
    if {"is_stop", "is_punct"} <= set(tokens.columns):
        tokens = content_tokens(tokens, drop_stop=drop_stop)
    if "is_alpha" in tokens.columns and column == "term":
        tokens = tokens[tokens["is_alpha"].astype(bool)]
    return tokens


def cooccurrence(tokens: pd.DataFrame, *, unit: str = "sentence", window: int = 5, column: str = "term",
                 terms: list[str] | None = None, min_count: int = 2, measure: str = "log_dice",
                 drop_stop: bool = True) -> pd.DataFrame:
    """Pairs of terms that occur together, with how often and how strongly.

    ``unit``: ``"sentence"`` or ``"document"`` (a pair counts once per sentence/article holding both) or
    ``"window"`` (every pair of tokens at most ``window`` content tokens apart in an article). Works on the token
    table or on any table with ``doc_id`` [, ``sentence``] and ``column`` — e.g. ``column="entity"`` on
    :func:`helpers.entities` mentions for co-mentions. Only the ``MAX_TERMS`` (2,000) most frequent terms (plus
    ``terms``) are paired; with ``terms``, only pairs involving one of them are returned.

    Columns: ``term_a, term_b`` (alphabetical within a pair), ``count``, ``score`` (the chosen ``measure``),
    ``measure``, ``freq_a, freq_b`` (units holding the term; tokens for windows), ``pmi`` = log2(count · N /
    (freq_a · freq_b)) with N the number of units (for windows N = tokens and the expectation is multiplied by
    2·window), ``log_dice`` = 14 + log2(2 · count / (freq_a + freq_b)) (Rychlý 2008; at most 14).

    >>> t = pd.DataFrame({"doc_id": "a", "sentence": [0, 0, 1, 1, 2],
    ...                   "term": ["drug", "libya", "drug", "libya", "rain"]})
    >>> cooccurrence(t, min_count=1)[["term_a", "term_b", "count", "log_dice"]].values.tolist()
    [['drug', 'libya', 2, 14.0]]
    """
    require_whole(tokens, "cooccurrence")
    if unit not in ("sentence", "document", "window"):
        raise ValueError(f"unit={unit!r} is not 'sentence', 'document' or 'window'")
    if measure not in MEASURES:
        raise ValueError(f"measure={measure!r} is not one of {MEASURES}")
    table = _filtered(tokens, column, drop_stop)
    raw_codes, labels = codes_of(table[column])
    frequency = np.bincount(raw_codes[raw_codes >= 0], minlength=len(labels))
    labels = pd.Index(labels.astype(str))
    keep = labels[np.argsort(-frequency, kind="stable")[:MAX_TERMS]]
    if terms:
        keep = keep.union(pd.Index([str(t) for t in terms]))
    vocabulary = pd.Index(sorted(set(keep)), dtype="str")
    code_of_label = vocabulary.get_indexer(labels)
    codes = np.where(raw_codes >= 0, code_of_label[np.maximum(raw_codes, 0)], -1)
    if unit == "window":
        order = ["doc_id", "position"] if "position" in table.columns else ["doc_id"]
        ranked = table.assign(_code=codes).sort_values(order, kind="stable") if "position" in table.columns \
            else table.assign(_code=codes)
        code, docs = ranked["_code"].to_numpy(), ranked["doc_id"].astype(str).to_numpy()
        rows, cols = [], []
        for offset in range(1, window + 1):
            same = (docs[offset:] == docs[:-offset]) & (code[offset:] >= 0) & (code[:-offset] >= 0)
            rows.append(code[:-offset][same])
            cols.append(code[offset:][same])
        rows, cols = np.concatenate(rows), np.concatenate(cols)
        size = len(vocabulary)
        pairs = sparse.coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(size, size)).tocsr()
        pairs = pairs + pairs.T
        freq = np.bincount(code[code >= 0], minlength=size).astype(float)
        n_units, expectation_factor = float(len(code)), 2.0 * window
    else:
        unit_keys = ["doc_id", "sentence"] if unit == "sentence" else ["doc_id"]
        missing = [k for k in unit_keys if k not in table.columns]
        if missing:
            raise ValueError(f"unit={unit!r} needs column(s) {missing}")
        doc_codes, _ = codes_of(table["doc_id"])
        if unit == "sentence":
            sentence = table["sentence"].to_numpy().astype(np.int64)
            n_sentences = int(sentence.max()) + 1 if len(sentence) else 1  # no tokens: no units, no pairs
            unit_ids = pd.factorize(doc_codes.astype(np.int64) * n_sentences + sentence)[0]
        else:
            unit_ids = pd.factorize(doc_codes)[0]
        present = codes >= 0
        incidence = sparse.coo_matrix((np.ones(present.sum()), (unit_ids[present], codes[present])),
                                      shape=(unit_ids.max() + 1 if len(unit_ids) else 0, len(vocabulary))).tocsr()
        incidence.data[:] = 1.0
        incidence.sum_duplicates()
        incidence.data[:] = 1.0
        pairs = (incidence.T @ incidence).tocsr()
        freq = pairs.diagonal().copy()
        n_units, expectation_factor = float(incidence.shape[0]), 1.0
    upper = sparse.triu(pairs, k=1).tocoo()
    selected = upper.data >= min_count
    a, b, count = upper.row[selected], upper.col[selected], upper.data[selected]
    result = pd.DataFrame({"term_a": vocabulary[a], "term_b": vocabulary[b], "count": count.astype(int),
                           "freq_a": freq[a].astype(int), "freq_b": freq[b].astype(int)})
    if terms:
        focus = {str(t) for t in terms}
        result = result[result["term_a"].isin(focus) | result["term_b"].isin(focus)]
    freq_a, freq_b, together = (result[c].to_numpy() for c in ("freq_a", "freq_b", "count"))
    result["pmi"] = association.pmi(together, freq_a * freq_b * expectation_factor, n_units)
    result["log_dice"] = association.log_dice(together, freq_a, freq_b)
    result["score"] = result[measure].astype(float)
    result["measure"] = measure
    result = result.sort_values(["score", "count", "term_a", "term_b"], ascending=[False, False, True, True])
    return result[COOCCURRENCE_COLUMNS].reset_index(drop=True)


def cooccurrence_graph(table: pd.DataFrame, *, n: int = 30, by: str = "score") -> nx.Graph:
    """A networkx graph of the ``n`` strongest pairs of a :func:`cooccurrence` table (by ``score`` or ``count``):
    nodes are terms (attribute ``frequency``), edges carry ``count``, ``score`` and ``weight`` (= score).

    >>> table = pd.DataFrame({"term_a": ["drug"], "term_b": ["libya"], "count": [2], "score": [14.0],
    ...                       "freq_a": [2], "freq_b": [2]})
    >>> sorted(cooccurrence_graph(table).edges(data="count"))
    [('drug', 'libya', 2)]
    """
    graph = nx.Graph()
    for row in table.nlargest(n, [by, "count"]).itertuples(index=False):
        graph.add_node(row.term_a, frequency=int(row.freq_a))
        graph.add_node(row.term_b, frequency=int(row.freq_b))
        graph.add_edge(row.term_a, row.term_b, count=int(row.count), score=float(row.score), weight=float(row.score))
    return graph
