"""Which rows of the token table a statistic counts: content tokens (no stopwords, no punctuation), a selection of
articles (``token_mask``: doc_ids, masks, group specs such as ``{"month": "2019-03"}``), one article per story, and
the article columns (and periods) that grouped counts join on ``doc_id``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from helpers.frames import codes_of, label_mask

PERIODS = {"year": "Y", "quarter": "Q", "month": "M", "week": "W", "day": "D"}
STORY_MODES = ("all", "once", "once_per_source")


def content_tokens(tokens: pd.DataFrame, *, drop_stop: bool = True, drop_punct: bool = True) -> pd.DataFrame:
    """The rows of the token table that keyword counts use: by default no stopwords and no punctuation.

    >>> t = pd.DataFrame({"term": ["the", "drug", "."], "is_stop": [True, False, False], "is_punct": [False, False, True]})
    >>> content_tokens(t)["term"].tolist()
    ['drug']
    """
    return tokens.loc[content_mask(tokens, drop_stop=drop_stop, drop_punct=drop_punct)]


def content_mask(tokens: pd.DataFrame, *, drop_stop: bool, drop_punct: bool) -> np.ndarray:
    keep = np.ones(len(tokens), dtype=bool)
    for flag, column in ((drop_stop, "is_stop"), (drop_punct, "is_punct")):
        if flag:
            if column not in tokens.columns:
                option = "drop_stop" if column == "is_stop" else "drop_punct"
                raise ValueError(f"the token table has no {column!r} column; pass {option}=False "
                                 "or build it with helpers.tokenize")
            keep &= ~tokens[column].to_numpy(dtype=bool)
    return keep


def article_columns(articles: pd.DataFrame, names: list[str]) -> pd.DataFrame:
    """``doc_id`` plus ``names`` from the articles frame; ``year``/``quarter``/``month``/``week``/``day`` are
    derived from ``date`` (the start of the period, a timezone-naive Timestamp) when not columns themselves.

    >>> a = pd.DataFrame({"doc_id": ["a"], "date": pd.to_datetime(["2019-03-15"], utc=True)})
    >>> article_columns(a, ["month"])["month"].tolist()
    [Timestamp('2019-03-01 00:00:00')]
    """
    out = pd.DataFrame({"doc_id": articles["doc_id"].astype(str).to_numpy()})
    for name in names:
        if name in articles.columns:
            out[name] = articles[name].to_numpy()
        elif name in PERIODS and "date" in articles.columns:
            dates = pd.to_datetime(articles["date"], utc=True).dt.tz_convert(None)
            out[name] = dates.dt.to_period(PERIODS[name]).dt.start_time.to_numpy()
        else:
            raise ValueError(f"{name!r} is neither a column of the articles frame nor a period "
                             f"({', '.join(PERIODS)}) derived from its 'date'")
    return out


def doc_mask(tokens: pd.DataFrame, doc_ids) -> np.ndarray:
    codes, labels = codes_of(tokens["doc_id"])
    return label_mask(codes, labels.isin(pd.Index(doc_ids).astype(str)))


def _naive(stamp: pd.Timestamp) -> pd.Timestamp:
    return stamp.tz_convert(None) if stamp.tzinfo else stamp


def _match_values(column: pd.Series, value) -> np.ndarray:
    """Rows of ``column`` matching ``value``: a scalar, a list, or for dates a period string or (start, end)."""
    if pd.api.types.is_datetime64_any_dtype(column):
        dates = column.dt.tz_convert(None) if getattr(column.dt, "tz", None) is not None else column
        if isinstance(value, tuple) and len(value) == 2:
            start, end = (_naive(pd.Timestamp(v)) for v in value)
            return ((dates >= start) & (dates < end)).to_numpy()
        if isinstance(value, str):
            period = pd.Period(value)
            return ((dates >= period.start_time) & (dates <= period.end_time)).to_numpy()
    if isinstance(value, (list, set, frozenset, tuple, pd.Index, np.ndarray, pd.Series)):
        return column.isin(list(value)).to_numpy()
    return (column == value).fillna(False).to_numpy(dtype=bool)


def token_mask(tokens: pd.DataFrame, spec, *, articles: pd.DataFrame | None = None) -> np.ndarray:
    """The rows of the token table that ``spec`` selects, as a boolean array.

    ``spec`` is one of: a boolean mask over the token rows; a boolean mask over the ``articles`` rows; a
    ``doc_id`` or a list of them; or a group spec ``{column: value}`` over token or article columns (values may
    be lists; ``year``/``month``/``week``/``day`` are derived from ``date``, and a date column matches a period
    string such as ``"2019-03"`` or a ``(start, end)`` pair). Several keys must all match.

    >>> t = pd.DataFrame({"doc_id": ["a", "a", "b"], "term": ["x", "y", "x"]})
    >>> a = pd.DataFrame({"doc_id": ["a", "b"], "collection": ["articles", "wikinews"]})
    >>> token_mask(t, {"collection": "articles"}, articles=a).tolist()
    [True, True, False]
    >>> token_mask(t, ["b"]).tolist()
    [False, False, True]
    """
    if isinstance(spec, dict):
        if not spec:
            raise ValueError("an empty group spec {} selects nothing; name a column and a value")
        mask = np.ones(len(tokens), dtype=bool)
        article_keys = [k for k in spec if k not in tokens.columns]
        for key in (k for k in spec if k in tokens.columns):
            mask &= _match_values(tokens[key], spec[key])
        if article_keys:
            if articles is None:
                raise ValueError(f"{article_keys} are not columns of the token table; pass articles= holding them")
            columns = article_columns(articles, article_keys)
            doc_keep = np.ones(len(columns), dtype=bool)
            for key in article_keys:
                doc_keep &= _match_values(columns[key], spec[key])
            mask &= doc_mask(tokens, columns.loc[doc_keep, "doc_id"])
        return mask
    if isinstance(spec, str):
        spec = [spec]
    values = np.asarray(spec.to_numpy() if isinstance(spec, (pd.Series, pd.Index)) else list(spec)
                        if not isinstance(spec, np.ndarray) else spec)
    if values.dtype == bool:
        if len(values) == len(tokens):
            return values.copy()
        if articles is not None and len(values) == len(articles):
            return doc_mask(tokens, articles.loc[values, "doc_id"])
        raise ValueError(f"a boolean mask must have one value per token ({len(tokens)}) or per article "
                         f"({'no articles given' if articles is None else len(articles)}); it has {len(values)}")
    doc_ids = pd.Index(values).astype(str)
    known = codes_of(tokens["doc_id"])[1]
    unknown = doc_ids.difference(known)
    if len(unknown):
        raise ValueError(f"{len(unknown)} doc_id(s) not in the token table, e.g. {list(unknown[:3])}")
    return doc_mask(tokens, doc_ids)


def select_stories(tokens: pd.DataFrame, articles: pd.DataFrame | None, stories: str) -> pd.DataFrame:
    """Keep one article per syndicated story (``story_id``), or one per story and outlet."""
    if stories not in STORY_MODES:
        raise ValueError(f"stories={stories!r} is invalid; use one of {STORY_MODES}")
    if stories == "all":
        return tokens
    if articles is None or "story_id" not in articles.columns:
        raise ValueError(f"stories={stories!r} needs articles= with a 'story_id' column (from load_articles)")
    keys = ["story_id"] if stories == "once" else ["story_id", "source"]
    has_story = articles["story_id"].notna()
    first = ~articles.duplicated(subset=keys, keep="first") | ~has_story
    return tokens.loc[doc_mask(tokens, articles.loc[first, "doc_id"])]
