"""Keyword statistics on the token table; every result is a tidy DataFrame."""

from __future__ import annotations

import pandas as pd


def content_tokens(tokens: pd.DataFrame, *, drop_stop: bool = True, drop_punct: bool = True) -> pd.DataFrame:
    """The rows of the token table that keyword counts use: by default no stopwords and no punctuation.

    >>> t = pd.DataFrame({"term": ["the", "drug", "."], "is_stop": [True, False, False], "is_punct": [False, False, True]})
    >>> content_tokens(t)["term"].tolist()
    ['drug']
    """
    keep = pd.Series(True, index=tokens.index)
    if drop_stop:
        keep &= ~tokens["is_stop"].astype(bool)
    if drop_punct:
        keep &= ~tokens["is_punct"].astype(bool)
    return tokens.loc[keep]


def frequencies(tokens: pd.DataFrame, *, by: str | list[str] | None = None, articles: pd.DataFrame | None = None,
                drop_stop: bool = True, drop_punct: bool = True) -> pd.DataFrame:
    """Term frequency, document frequency, frequency per 10,000 tokens and rank, optionally per group.

    ``by`` names columns of the token table, or of ``articles`` (joined on ``doc_id``).
    Columns: ``[by...], term, frequency, docfreq, per_10k, rank``; ``per_10k`` = 10,000 × frequency / tokens
    counted in the group; rank 1 is the most frequent (ties share the lowest rank).

    >>> t = pd.DataFrame({"doc_id": ["a", "a", "b"], "term": ["drug", "drug", "libya"],
    ...                   "is_stop": False, "is_punct": False})
    >>> frequencies(t)[["term", "frequency", "docfreq", "rank"]].values.tolist()
    [['drug', 2, 1, 1], ['libya', 1, 1, 2]]
    """
    counted = content_tokens(tokens, drop_stop=drop_stop, drop_punct=drop_punct)
    groups = [by] if isinstance(by, str) else list(by or [])
    joined = [g for g in groups if g not in counted.columns]
    if joined:
        if articles is None or any(g not in articles.columns for g in joined):
            raise ValueError(f"by={joined} names no column of the token table; pass articles= holding it")
        counted = counted.merge(articles[["doc_id", *joined]], on="doc_id", how="left")
    counted = counted.assign(term=counted["term"].astype(str), doc_id=counted["doc_id"].astype(str))
    keys = [*groups, "term"]
    table = counted.groupby(keys, observed=True, dropna=False).agg(
        frequency=("term", "size"), docfreq=("doc_id", "nunique")).reset_index()
    totals = table.groupby(groups, dropna=False)["frequency"].transform("sum") if groups else table["frequency"].sum()
    table["per_10k"] = 10_000 * table["frequency"] / totals
    ranked = table.groupby(groups, dropna=False)["frequency"] if groups else table["frequency"]
    table["rank"] = ranked.rank(method="min", ascending=False).astype(int)
    return table.sort_values([*groups, "rank", "term"]).reset_index(drop=True)
