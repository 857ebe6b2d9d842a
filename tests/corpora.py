"""Small inline token tables for unit tests, written as sentences of words so the expected values can be worked out
by hand."""

from __future__ import annotations

import pandas as pd


def sentence_tokens(documents: dict[str, list[list[str]]], *, stopwords=frozenset(), **columns) -> pd.DataFrame:
    """A token table (doc_id, sentence, position, term, is_stop, is_punct, plus ``columns`` as constants) with one
    row per word: ``documents`` maps each doc_id to its sentences, each a list of terms; ``stopwords`` are flagged
    ``is_stop``; nothing is punctuation."""
    rows = [{"doc_id": doc_id, "sentence": sentence, "term": term, "is_stop": term in stopwords}
            for doc_id, sentences in documents.items()
            for sentence, words in enumerate(sentences) for term in words]
    table = pd.DataFrame(rows, columns=["doc_id", "sentence", "term", "is_stop"])
    table.insert(2, "position", table.groupby("doc_id").cumcount())
    return table.assign(is_punct=False, **columns)
