"""Who is quoted, per outlet, period or group: counts, shares and their Wilson intervals (docs/quotes.md).

A share is k / n (a speaker's quotations among the group's quotations). Its Wilson score interval at confidence
1 - α, with z the normal quantile 1 - α/2 (1.96 for 95 %):

    centre = (p + z²/2n) / (1 + z²/n),  half = z / (1 + z²/n) · sqrt(p(1 - p)/n + z²/4n²),  p = k/n

The difference between a group's share and the rest's (p₁ - p₂) has Newcombe's interval from the two Wilson
intervals (l, u): [d - sqrt((p₁ - l₁)² + (u₂ - p₂)²), d + sqrt((u₁ - p₁)² + (p₂ - l₂)²)]; when it excludes 0,
the group quotes that speaker (or type) more, or less, than the other groups do.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from helpers.frames import typed_empty

GROUP_COLUMNS = ["group", "n_articles", "n_quotes", "n_words_quoted", "n_speakers", "quotes_per_article",
                 "quoted_share"]
SPEAKER_COLUMNS = ["group", "speaker_entity", "speaker_label", "n_quotes", "n_words_quoted", "share", "ci_low",
                   "ci_high", "diff_vs_rest", "diff_low", "diff_high"]
TYPE_COLUMNS = ["group", "speaker_label", "n_quotes", "share", "ci_low", "ci_high", "diff_vs_rest", "diff_low",
                "diff_high"]
ARTICLE_COLUMNS = ["doc_id", "group", "n_quotes", "n_words", "n_words_quoted", "quoted_share"]
_FLOATS = ("share", "ci_low", "ci_high", "diff_vs_rest", "diff_low", "diff_high", "quotes_per_article",
           "quoted_share")
WHAT = {"groups": GROUP_COLUMNS, "speakers": SPEAKER_COLUMNS, "types": TYPE_COLUMNS, "articles": ARTICLE_COLUMNS}


def _dtypes(columns: list[str]) -> dict[str, str]:
    return {c: ("float64" if c in _FLOATS else "str" if c in ("group", "speaker_entity", "speaker_label", "doc_id")
                else "int64") for c in columns}


def wilson(k, n, confidence: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval (low, high) of the share k / n; NaN where n is 0.

    >>> low, high = wilson(8, 10)
    >>> round(float(low), 3), round(float(high), 3)
    (0.49, 0.943)
    """
    from helpers.association import normal_quantile  # scipy.stats's norm.ppf without its ~0.5 s import

    k, n = np.asarray(k, dtype=float), np.asarray(n, dtype=float)
    z = normal_quantile(1 - (1 - confidence) / 2)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = k / n
        denominator = 1 + z * z / n
        centre = (p + z * z / (2 * n)) / denominator
        half = z / denominator * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return centre - half, centre + half


def _words(text: str) -> int:
    return len(str(text).split())


def _group_of(articles: pd.DataFrame, by: str | None) -> pd.Series:
    """Each article's group (by doc_id): the column ``by``, a period of ``date`` ("month", "year"), or "all"."""
    ids = articles["doc_id"].astype(str)
    if by is None:
        return pd.Series("all", index=ids.to_numpy(), dtype="str")
    if by in ("month", "year", "week") and by not in articles.columns:
        if "date" not in articles.columns:
            raise ValueError(f"sources_quoted: by={by!r} needs a date column")
        dates = pd.to_datetime(articles["date"], errors="coerce", utc=True).dt.tz_convert(None)
        periods = dates.dt.to_period({"month": "M", "year": "Y", "week": "W"}[by]).astype(str)
        values = periods.where(dates.notna(), "undated")
    elif by in articles.columns:
        values = articles[by].astype(str).where(articles[by].notna())  # no value: in no group
    else:
        raise ValueError(f"sources_quoted: by={by!r} is neither a column of the articles nor month, week or year")
    return pd.Series(values.to_numpy(), index=ids.to_numpy(), dtype="str")


def _shares(table: pd.DataFrame, keys: list[str], confidence: float) -> pd.DataFrame:
    """Shares of each key within its group, with Wilson intervals and the difference from the other groups."""
    totals = table.groupby("group")["n_quotes"].transform("sum")
    low, high = wilson(table["n_quotes"], totals, confidence)
    table = table.assign(share=table["n_quotes"] / totals, ci_low=low, ci_high=high)
    all_k = table.groupby(keys)["n_quotes"].transform("sum")
    all_n = table["n_quotes"].sum()
    rest_k, rest_n = all_k - table["n_quotes"], all_n - totals
    rest_low, rest_high = wilson(rest_k, rest_n, confidence)
    with np.errstate(invalid="ignore", divide="ignore"):
        rest_p = rest_k / rest_n
    diff = table["share"] - rest_p
    table["diff_vs_rest"] = diff
    table["diff_low"] = diff - np.sqrt((table["share"] - table["ci_low"]) ** 2 + (rest_high - rest_p) ** 2)
    table["diff_high"] = diff + np.sqrt((table["ci_high"] - table["share"]) ** 2 + (rest_p - rest_low) ** 2)
    return table


def sources_quoted(quotes: pd.DataFrame, articles: pd.DataFrame, *, by: str | None = None, what: str = "speakers",
                   top: int | None = None, confidence: float = 0.95) -> pd.DataFrame:
    """Who is quoted in each group of articles (``by``: a column such as ``source`` or ``member.party``, or
    ``month``/``week``/``year`` of the date; ``None`` for the whole corpus as group ``all``).

    ``what`` chooses the table:

    - ``"speakers"``: ``group, speaker_entity, speaker_label, n_quotes, n_words_quoted, share`` (of the group's
      attributed quotations), ``ci_low, ci_high`` (Wilson interval of the share), ``diff_vs_rest, diff_low,
      diff_high`` (the share minus the other groups' share, Newcombe's interval); ``top`` keeps each group's
      most quoted.
    - ``"types"``: the same by ``speaker_label`` (PERSON, ORGANIZATION, OTHER …; UNKNOWN for no speaker):
      ``group, speaker_label, n_quotes, share, ci_low, ci_high, diff_vs_rest, diff_low, diff_high``.
    - ``"groups"``: ``group, n_articles, n_quotes, n_words_quoted, n_speakers, quotes_per_article,
      quoted_share`` (words inside quotations over the words of the group's texts).
    - ``"articles"``: ``doc_id, group, n_quotes, n_words, n_words_quoted, quoted_share`` per article.

    Articles without a value of ``by`` are in no group. Words are runs of non-space characters; ``n_words_quoted`` counts the words inside quotation marks (direct
    and mixed quotations; an indirect one is the writer's words). Formulas: :mod:`helpers.stats.quoted_sources` and docs/quotes.md.
    Raises ValueError for an unknown ``what`` or ``by``.

    >>> q = pd.DataFrame({"doc_id": ["a", "a", "b"], "quote": ["We won", "It rained", "No"], "kind": "direct",
    ...                   "speaker_entity": ["Ann Lee", "Ann Lee", "Bo Li"], "speaker_label": "PERSON"})
    >>> arts = pd.DataFrame({"doc_id": ["a", "b"], "text": ["We won, she said. It rained.", "No, he said."],
    ...                      "source": ["x", "y"]})
    >>> sources_quoted(q, arts, by="source")[["group", "speaker_entity", "n_quotes", "share"]].values.tolist()
    [['x', 'Ann Lee', 2, 1.0], ['y', 'Bo Li', 1, 1.0]]
    """
    if what not in WHAT:
        raise ValueError(f"sources_quoted: what={what!r}; use one of {sorted(WHAT)}")
    groups = _group_of(articles, by)
    docs = quotes["doc_id"].astype(str)
    quoted = quotes.assign(doc_id=docs.to_numpy(), group=groups.reindex(docs.to_numpy()).to_numpy(),
                           n_words_quoted=[_words(q) if kind != "indirect" else 0
                                           for q, kind in zip(quotes["quote"].tolist(), quotes["kind"].tolist())])
    quoted = quoted[quoted["group"].notna()]
    if what == "articles" or what == "groups":
        texts = articles.assign(doc_id=articles["doc_id"].astype(str))
        per_article = pd.DataFrame({"doc_id": texts["doc_id"].to_numpy(),
                                    "group": groups.reindex(texts["doc_id"].to_numpy()).to_numpy(),
                                    "n_words": [_words(t) if isinstance(t, str) else 0 for t in texts["text"]]})
        counts = quoted.groupby("doc_id").agg(n_quotes=("quote", "size"), n_words_quoted=("n_words_quoted", "sum"))
        per_article = per_article[per_article["group"].notna()].join(counts, on="doc_id").fillna({"n_quotes": 0, "n_words_quoted": 0})
        per_article["n_words_quoted"] = np.minimum(per_article["n_words_quoted"], per_article["n_words"])
        with np.errstate(invalid="ignore", divide="ignore"):
            per_article["quoted_share"] = per_article["n_words_quoted"] / per_article["n_words"].replace(0, np.nan)
        if what == "articles":
            return _typed(per_article[ARTICLE_COLUMNS], ARTICLE_COLUMNS)
        speakers = quoted[quoted["speaker_entity"].astype(str) != ""].groupby("group")["speaker_entity"].nunique()
        table = per_article.groupby("group").agg(n_articles=("doc_id", "size"), n_quotes=("n_quotes", "sum"),
                                                 n_words_quoted=("n_words_quoted", "sum"),
                                                 n_words=("n_words", "sum")).reset_index()
        table["n_speakers"] = table["group"].map(speakers).fillna(0)
        table["quotes_per_article"] = table["n_quotes"] / table["n_articles"]
        with np.errstate(invalid="ignore", divide="ignore"):
            table["quoted_share"] = table["n_words_quoted"] / table["n_words"].replace(0, np.nan)
        return _typed(table[GROUP_COLUMNS], GROUP_COLUMNS)
    if what == "types":
        table = quoted.groupby(["group", "speaker_label"]).agg(n_quotes=("quote", "size")).reset_index()
        table = _shares(table, ["speaker_label"], confidence) if len(table) else table
        return _typed(table.reindex(columns=TYPE_COLUMNS), TYPE_COLUMNS, ["group", "n_quotes"])
    named = quoted[quoted["speaker_entity"].astype(str) != ""]
    table = named.groupby(["group", "speaker_entity"]).agg(
        speaker_label=("speaker_label", lambda s: s.mode().iloc[0]), n_quotes=("quote", "size"),
        n_words_quoted=("n_words_quoted", "sum")).reset_index()
    table = _shares(table, ["speaker_entity"], confidence) if len(table) else table
    table = _typed(table.reindex(columns=SPEAKER_COLUMNS), SPEAKER_COLUMNS, ["group", "n_quotes"])
    if top is not None:
        table = table.groupby("group", sort=False).head(top).reset_index(drop=True)
    return table


def _typed(table: pd.DataFrame, columns: list[str], order: list[str] | None = None) -> pd.DataFrame:
    if order:
        name = "speaker_entity" if "speaker_entity" in columns else "speaker_label"
        table = table.sort_values(["group", "n_quotes", name], ascending=[True, False, True], kind="stable")
    return table.reset_index(drop=True).astype(_dtypes(columns))
