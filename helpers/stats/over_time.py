"""Attention over time: term counts per day/week/month (`trends`) and what each period was about
(`keyness_over_time`).

Periods come from the articles' ``date`` (UTC): ``freq="D"`` days, ``"W"`` weeks starting Monday, ``"M"`` calendar
months (any pandas period alias works, e.g. ``"Q"``). A period is labelled by its first day. Undated articles cannot
be placed in time: they are left out and counted in ``attrs["undated_articles"]`` (with a warning), never guessed.
"""

from __future__ import annotations

import fnmatch
import functools
import re
import warnings

import numpy as np
import pandas as pd

from helpers.frames import codes_of, in_reading_order, text_ranked_codes, typed_empty
from helpers.scale.client import is_dask
from helpers.scale.reduce import is_partitioned, partition_digest, reduce_partitions, require_whole
from helpers.stats.distinctive import KEYNESS_COLUMNS, KeynessOptions, _adjust, keyness_statistics
from helpers.stats.selection import content_mask, content_tokens

TREND_COLUMNS = ["period", "term", "count", "docfreq", "n_articles", "n_tokens", "per_10k", "share_articles"]
TERM_HIT_COLUMNS = ["label", "doc_id", "sentence", "position", "matched"]
KEYNESS_OVER_TIME_COLUMNS = ["period", *KEYNESS_COLUMNS, "n_articles", "rank", "burst"]


def _periods(articles: pd.DataFrame, freq: str) -> tuple[pd.Series, int]:
    """Each dated article's period start (index: doc_id) and the number of undated articles."""
    if "date" not in articles.columns:
        raise ValueError("articles has no 'date' column: trends need article dates (see helpers.load_articles)")
    dates = pd.to_datetime(articles["date"], utc=True, errors="coerce")
    dated = dates.notna()
    if not dated.any():
        raise ValueError("no article has a date: trends over time cannot be computed")
    undated = int((~dated).sum())
    if undated:
        warnings.warn(f"{undated} undated article(s) left out of the time series (their date is unknown)",
                      stacklevel=3)
    periods = _period_starts(dates[dated], freq)
    return pd.Series(periods.to_numpy(), index=articles.loc[dated, "doc_id"].astype(str), name="period"), undated


def _period_starts(dates: pd.Series, freq: str) -> pd.Series:
    """The first day of each date's period (timezone-naive, dates read as UTC); NaT for a missing date."""
    naive = pd.to_datetime(dates, utc=True, errors="coerce").dt.tz_convert(None)
    return naive.dt.to_period(freq).dt.start_time


def _all_periods(periods: pd.Series, freq: str) -> pd.DatetimeIndex:
    span = pd.period_range(periods.min(), periods.max(), freq=freq)
    return pd.DatetimeIndex(span.start_time, name="period")


def _term_groups(terms) -> dict[str, list[str]]:
    """``terms`` as ``{label: [terms or patterns]}``: a single term or pattern is its own label."""
    if isinstance(terms, dict):
        return {str(k): [v] if isinstance(v, str) else [str(x) for x in v] for k, v in terms.items()}
    return {str(t): [str(t)] for t in ([terms] if isinstance(terms, str) else terms)}


def _matching(vocabulary: np.ndarray, pattern: str) -> np.ndarray:
    """Boolean mask over ``vocabulary`` for one word or glob pattern (case-insensitive)."""
    pattern = pattern.lower()
    if "[" in pattern:
        return np.isin(vocabulary, fnmatch.filter(vocabulary.tolist(), pattern))
    if "*" in pattern or "?" in pattern:
        import pyarrow as pa
        import pyarrow.compute as pc

        # * and ? as a regular expression, matched in Arrow's C++ over the vocabulary: fnmatch's loop in Python
        # cost a theme dictionary 0.3 s per call
        regex = ".*".join(".".join(re.escape(piece) for piece in part.split("?")) for part in pattern.split("*"))
        matched = pc.match_substring_regex(pa.array(vocabulary, type=pa.string()), f"^(?s:{regex})$")
        return matched.to_numpy(zero_copy_only=False)
    return vocabulary == pattern


def _reading_order(tokens: pd.DataFrame) -> pd.DataFrame:
    """The token table with each article's tokens together and in position order (sorted only when needed)."""
    if "position" not in tokens.columns or len(tokens) < 2:
        return tokens
    codes, _ = codes_of(tokens["doc_id"])
    if in_reading_order(codes, tokens["position"].to_numpy()):
        return tokens
    return tokens.sort_values(["doc_id", "position"], kind="stable")


def term_hits(tokens: pd.DataFrame, terms) -> pd.DataFrame:
    """Every occurrence of the requested terms: one row per (label, token where the match starts).

    ``terms``: terms, glob patterns (``drug*``), phrases of several words or patterns (``"organi?ed crime"``), or
    ``{label: [...]}``. Single words match any non-punctuation token; phrases match consecutive tokens of a
    sentence; the longest match wins and a word inside a matched phrase is not counted again.
    Columns: ``label, doc_id, sentence, position, matched`` (the words as normalised, for KWIC).

    >>> t = pd.DataFrame({"doc_id": "a", "sentence": 0, "position": range(4),
    ...                   "term": ["organized", "crime", "and", "drugs"], "is_punct": False})
    >>> term_hits(t, {"crime": ["organi?ed crime", "crime", "drug*"]})["matched"].tolist()
    ['organized crime', 'drugs']
    """
    require_whole(tokens, "term_hits")
    table = _reading_order(tokens)
    n = len(table)
    doc_codes, doc_labels = codes_of(table["doc_id"])
    term_codes, vocabulary = codes_of(table["term"])
    vocabulary = np.asarray(vocabulary.astype(str), dtype=object)
    sentences = table["sentence"].to_numpy() if "sentence" in table.columns else np.zeros(n, dtype=int)
    positions = table["position"].to_numpy() if "position" in table.columns else np.arange(n)
    not_punct = ~table["is_punct"].astype(bool).to_numpy() if "is_punct" in table.columns else np.ones(n, bool)
    valid = term_codes >= 0
    safe_codes = np.where(valid, term_codes, 0)

    def matches(pattern: str) -> np.ndarray:
        return _matching(vocabulary, pattern)[safe_codes] & valid

    def hits_with_phrases(phrases: list[str], words: list[str]) -> tuple[np.ndarray, pd.Series]:
        starts = np.zeros(n, dtype=bool)
        lengths = np.zeros(n, dtype=int)
        # single words of a theme are merged over the vocabulary first: one pass over the tokens, not one per word
        grouped = [" ".join(words)] if words else []
        for pattern in sorted(phrases, key=lambda p: -len(p.split())) + grouped:
            parts = pattern.split()
            if pattern in grouped:
                vocabulary_mask = np.logical_or.reduce([_matching(vocabulary, w) for w in words])
                mask = vocabulary_mask[safe_codes] & valid & not_punct
                parts = parts[:1]
            else:
                mask = matches(parts[0]) & not_punct
            if len(parts) > 1:  # the next words checked only after the first word's matches, not at every token
                rows = np.flatnonzero(mask)
                for offset, part in enumerate(parts[1:], start=1):
                    rows = rows[rows + offset < n]
                    after = rows + offset
                    rows = rows[_matching(vocabulary, part)[safe_codes[after]] & valid[after]
                                & (doc_codes[after] == doc_codes[rows]) & (sentences[after] == sentences[rows])]
                mask = np.zeros(n, dtype=bool)
                mask[rows] = True
            new = mask & ~starts
            lengths[new] = len(parts)
            starts |= mask
        covered = np.zeros(n, dtype=bool)
        for r in np.flatnonzero(lengths > 1):
            covered[r + 1:r + lengths[r]] = True
        rows = np.flatnonzero(starts & ~covered)
        matched = pd.Series(vocabulary[term_codes[rows]], dtype=object)
        for r in np.flatnonzero(lengths[rows] > 1):
            row = rows[r]
            matched.iloc[r] = " ".join(vocabulary[term_codes[row:row + lengths[row]]])
        return rows, matched

    frames, doc_texts = [], np.asarray(doc_labels.astype(str))
    for label, patterns in _term_groups(terms).items():
        phrases = [p for p in patterns if len(p.split()) > 1]
        words = [p for p in patterns if len(p.split()) == 1]
        if phrases:
            rows, matched = hits_with_phrases(phrases, words)
        elif words:  # single words only: every match is one token, and none lies inside a phrase
            vocabulary_mask = np.logical_or.reduce([_matching(vocabulary, w) for w in words])
            rows = np.flatnonzero(vocabulary_mask[safe_codes] & valid & not_punct)
            matched = pd.Series(vocabulary[term_codes[rows]], dtype=object)
        else:
            rows, matched = np.zeros(0, dtype=np.intp), pd.Series([], dtype=object)
        frames.append(pd.DataFrame({"label": label, "doc_id": doc_texts[doc_codes[rows]],
                                    "sentence": sentences[rows], "position": positions[rows],
                                    "matched": matched.to_numpy()}))
    hits = pd.concat(frames, ignore_index=True)[TERM_HIT_COLUMNS] if frames else pd.DataFrame(columns=TERM_HIT_COLUMNS)
    hits = hits.astype({"label": "str", "doc_id": "str", "matched": "str"})  # str however many rows were found
    return typed_empty(hits, {"sentence": "int64", "position": "int64"})


def trends(tokens: pd.DataFrame, articles: pd.DataFrame, *, terms=None, freq: str = "M", top: int = 5,
           drop_stop: bool = True, drop_punct: bool = True) -> pd.DataFrame:
    """Counts of terms per period, normalised by the tokens and the articles of that period.

    ``terms``: terms, glob patterns (``"drug*"``) or phrases (see :func:`term_hits`), or
    ``{label: [terms, patterns or phrases]}`` to count term lists together; ``None`` takes the ``top`` most
    frequent content terms. Columns: ``period`` (start of the period), ``term`` (the label), ``count``
    (occurrences), ``docfreq`` (articles using it), ``n_articles`` and ``n_tokens`` (dated articles and content
    tokens, i.e. without stopwords and punctuation, in the period), ``per_10k`` = 10,000 × count / n_tokens,
    ``share_articles`` = docfreq / n_articles. Every period between the first and last date appears; a period
    without articles has ``n_articles == 0`` and NaN counts and rates: a gap, not a zero. Undated articles are left
    out (``attrs["undated_articles"]``); when no article has a date, ``ValueError: no article has a date``.
    Every count drills down to its occurrences with :func:`term_hits` (same ``terms``), then KWIC.

    >>> articles = pd.DataFrame({"doc_id": ["a", "b", "c"], "date": ["2019-01-05", "2019-01-20", "2019-03-02"]})
    >>> tokens = pd.DataFrame({"doc_id": ["a", "a", "b", "c"], "term": ["drug", "libya", "drug", "rain"],
    ...                        "is_stop": False, "is_punct": False})
    >>> trends(tokens, articles, terms=["drug"])[["period", "count", "n_articles", "share_articles"]]
          period  count  n_articles  share_articles
    0 2019-01-01      2           2             1.0
    1 2019-02-01   <NA>           0             NaN
    2 2019-03-01      0           1             0.0
    """
    periods, undated = _periods(_article_dates(articles), freq)
    partitioned = is_partitioned(tokens)
    if terms is None:
        counts = functools.partial(_term_counts, drop_stop=drop_stop, drop_punct=drop_punct)
        found = (reduce_partitions(tokens, counts, _add_term_counts) if partitioned else counts(tokens))
        terms = found.sort_values(ascending=False).head(top).index.tolist()
    labels = list(_term_groups(terms))
    count = functools.partial(trend_counts, terms=terms, periods=periods, drop_stop=drop_stop, drop_punct=drop_punct)
    if partitioned:  # hits and tokens per period added over the partitions
        hits, n_tokens = reduce_partitions(tokens, count, _add_trend_counts)
    else:
        hits, n_tokens = count(tokens)
    grid = pd.MultiIndex.from_product([_all_periods(periods, freq), labels], names=["period", "term"])
    table = hits.rename_axis(["period", "term"]).reindex(grid).reset_index()
    n_articles = periods.groupby(periods).size()
    table["n_articles"] = table["period"].map(n_articles).fillna(0).astype(int)
    table["n_tokens"] = table["period"].map(n_tokens).fillna(0).astype(int)
    has_data = table["n_articles"] > 0
    for column in ("count", "docfreq"):
        table[column] = table[column].where(~has_data, table[column].fillna(0)).astype("Int64")
    table["per_10k"] = 10_000 * table["count"].astype(float) / table["n_tokens"].where(table["n_tokens"] > 0)
    table["share_articles"] = table["docfreq"].astype(float) / table["n_articles"].where(has_data)
    table = table[TREND_COLUMNS].sort_values(["period", "term"]).reset_index(drop=True)
    table.attrs.update(undated_articles=undated, freq=freq)
    return table


def _term_counts(tokens: pd.DataFrame, *, drop_stop: bool, drop_punct: bool) -> pd.Series:
    """Each content term's count, terms in order of first appearance (as ``value_counts`` meets them)."""
    return content_tokens(tokens, drop_stop=drop_stop, drop_punct=drop_punct)["term"].astype(str).value_counts(
        sort=False)


def _add_term_counts(items: list[pd.Series]) -> pd.Series:
    items = [item for item in items if len(item)]
    if len(items) <= 1:
        return items[0] if items else pd.Series([], dtype="int64", index=pd.Index([], dtype="str", name="term"),
                                                name="count")
    return pd.concat(items).groupby(level=0, sort=False).sum()


def trend_counts(tokens: pd.DataFrame, *, terms, periods: pd.Series, drop_stop: bool, drop_punct: bool
                 ) -> tuple[pd.DataFrame, pd.Series]:
    """The additive part of :func:`trends`: ``count`` and ``docfreq`` per (period, label) of the hits of ``terms``,
    and the content tokens per period (``periods``: each dated article's period start, indexed by doc_id).

    >>> t = pd.DataFrame({"doc_id": ["a", "a"], "term": ["drug", "rain"], "is_stop": False, "is_punct": False})
    >>> hits, n_tokens = trend_counts(t, terms=["drug"], periods=pd.Series(pd.to_datetime(["2019-01-01"]), index=["a"]),
    ...                               drop_stop=True, drop_punct=True)
    >>> hits.values.tolist(), n_tokens.tolist()
    ([[1, 1]], [2])
    """
    counted = tokens.loc[content_mask(tokens, drop_stop=drop_stop, drop_punct=drop_punct), ["doc_id"]]  # all it reads
    hits = term_hits(tokens, terms)
    hits["period"] = hits["doc_id"].map(periods)
    table = (hits.dropna(subset=["period"]).groupby(["period", "label"])
             .agg(count=("doc_id", "size"), docfreq=("doc_id", "nunique")))
    per_doc = counted.groupby("doc_id", observed=True).size()
    n_tokens = per_doc.groupby(per_doc.index.astype(str).map(periods)).sum()
    return table, n_tokens


def _add_trend_counts(items: list) -> tuple[pd.DataFrame, pd.Series]:
    items = [item for item in items if len(item[0]) or len(item[1])]
    if len(items) <= 1:
        return items[0] if items else (pd.DataFrame(), pd.Series(dtype="int64"))
    tables = [table for table, _ in items if len(table)]
    table = pd.concat(tables).groupby(level=[0, 1]).sum() if tables else items[0][0]
    sizes = [size for _, size in items if len(size)]
    return table, (pd.concat(sizes).groupby(level=0).sum() if sizes else items[0][1])


def keyness_over_time(tokens: pd.DataFrame, articles: pd.DataFrame, *, freq: str = "M", against: str = "rest",
                      window: int = 1, min_freq: int = 3, top: int | None = 10,
                      options: KeynessOptions = KeynessOptions()) -> pd.DataFrame:
    """For each period with articles, the terms key for it against the rest of the corpus (``against="rest"``) or
    against the previous ``window`` periods with articles (``against="previous"``), with the same statistics and
    columns as :func:`helpers.keyness` (G², p-value, χ², log ratio with CI, %DIFF; formulas in
    :func:`helpers.stats.distinctive.keyness_statistics`); ``options`` (:class:`helpers.stats.distinctive.KeynessOptions`):
    its ``correction`` ("bonferroni", "fdr_bh") adjusts the p-values of each period's terms, ``significant`` is
    ``p_adjusted < alpha``, and ``ci`` is the log ratio's confidence level.

    Only terms used more in the period (``key_for == "target"``) with at least ``min_freq`` occurrences are kept,
    the ``top`` by G² per period (``None``: all). Added columns: ``period``, ``n_articles``, ``rank`` (by G² within
    the period) and ``burst``: significant and at least 2^``options.burst_log_ratio`` times the reference rate
    (log ratio ≥ ``burst_log_ratio``, 1 by default) — a simple keyness-based stand-in for Kleinberg's (2002) burst detection.
    With ``against="previous"`` the first ``window`` periods have no reference and are left out. When no period has
    a key term (a single period, or no term with ``min_freq`` occurrences) the table has no rows but every column,
    typed as usual. Undated articles are left out (``attrs["undated_articles"]``); when no article has a date,
    ``ValueError: no article has a date``.

    >>> articles = pd.DataFrame({"doc_id": ["a", "b"], "date": ["2019-01-05", "2019-02-20"]})
    >>> tokens = pd.DataFrame({"doc_id": ["a"] * 6 + ["b"] * 6, "term": ["drug"] * 5 + ["rain"] + ["rain"] * 6,
    ...                        "is_stop": False, "is_punct": False})
    >>> keyness_over_time(tokens, articles, min_freq=3)[["period", "term", "target_freq", "burst"]].values.tolist()
    [[Timestamp('2019-01-01 00:00:00'), 'drug', 5, True], [Timestamp('2019-02-01 00:00:00'), 'rain', 6, True]]
    """
    if against not in ("rest", "previous"):
        raise ValueError(f"against={against!r} is not 'rest' or 'previous'")
    periods, undated = _periods(_article_dates(articles), freq)
    count = functools.partial(period_term_counts, periods=periods)
    if is_partitioned(tokens):  # each period's counts added over the partitions
        counts = reduce_partitions(tokens, count, _add_period_counts, step="keyness-over-time",
                                   settings={"periods": partition_digest(periods.reset_index())},
                                   columns=["doc_id", "term", "is_stop", "is_punct"])
    else:
        counts = count(tokens)
    n_articles = periods.groupby(periods).size()
    totals = counts.sum(axis=0)
    grand = counts.sum(axis=1)
    results = []
    for position, period in enumerate(counts.columns):
        target = counts[period]
        if against == "rest":
            reference, reference_total = grand - target, totals.sum() - totals[period]
        else:
            if position < window:
                continue
            previous = counts.columns[position - window:position]
            reference, reference_total = counts[previous].sum(axis=1), totals[previous].sum()
        candidates = target[target >= min_freq]
        if reference_total == 0 or candidates.empty:
            continue
        results.append(_period_keyness(period, candidates, reference.reindex(candidates.index), totals[period],
                                       reference_total, n_articles=int(n_articles.get(period, 0)), top=top,
                                       options=options))
    if not results:  # one period, or no term frequent enough: no rows, but every column with its type
        nothing = pd.Series([], dtype="int64", index=pd.Index([], dtype="str"))
        results.append(_period_keyness(pd.Timestamp(0), nothing, nothing, 1, 1, n_articles=0, top=top,
                                       options=options).astype({"period": periods.dtype}))
    result = pd.concat(results, ignore_index=True)
    result["burst"] = result["significant"] & (result["log_ratio"] >= options.burst_log_ratio)
    result.attrs.update(undated_articles=undated, freq=freq, against=against)
    return result[KEYNESS_OVER_TIME_COLUMNS]


def period_term_counts(tokens: pd.DataFrame, *, periods: pd.Series) -> pd.DataFrame:
    """Content-term counts per period (``periods``: each dated article's period start, indexed by doc_id): one row
    per term (sorted as text), one column per period with a count; the additive part of :func:`keyness_over_time`.

    >>> t = pd.DataFrame({"doc_id": ["a", "b"], "term": ["x", "x"], "is_stop": False, "is_punct": False})
    >>> periods = pd.Series(pd.to_datetime(["2019-01-01", "2019-02-01"]), index=["a", "b"])
    >>> period_term_counts(t, periods=periods).values.tolist()
    [[1, 1]]
    """
    counted = content_tokens(tokens)
    # Codes, not a string per token: each article's period looked up once, terms ranked as text (rows sort as
    # they did on the strings).
    doc_codes, doc_labels = codes_of(counted["doc_id"])
    period_of = pd.Index(doc_labels).astype(str).map(periods).to_numpy(dtype=periods.dtype)
    period_of = np.append(period_of, np.array(["NaT"], dtype=period_of.dtype))  # for code -1, a missing doc_id
    term_rows, term_texts = text_ranked_codes(counted["term"])
    frame = pd.DataFrame({"term": term_rows, "period": period_of[doc_codes]})
    counts = (frame.dropna(subset=["period"]).groupby(["period", "term"]).size()
              .unstack("period", fill_value=0).sort_index(axis=1))
    counts.index = pd.Index(term_texts[counts.index.to_numpy()], name="term", dtype="str")
    return counts


def _add_period_counts(items: list[pd.DataFrame]) -> pd.DataFrame:
    items = [item for item in items if item.size]
    if len(items) <= 1:
        return items[0] if items else pd.DataFrame(index=pd.Index([], name="term", dtype="str"))
    summed = pd.concat(items).fillna(0).groupby(level=0).sum().astype("int64")
    summed.index = pd.Index(summed.index, name="term", dtype="str")
    return summed.sort_index(axis=1)


def _article_dates(articles) -> pd.DataFrame:
    """``doc_id`` and ``date`` of the articles: a Dask articles frame is reduced to these two columns here."""
    if is_dask(articles):
        return articles[["doc_id", "date"]].compute().reset_index(drop=True)
    return articles


def _period_keyness(period, candidates: pd.Series, reference: pd.Series, target_total, reference_total, *,
                    n_articles: int, top: int | None, options: KeynessOptions) -> pd.DataFrame:
    """The key terms of one period (``candidates``: its counts of the terms frequent enough, indexed by term)."""
    table = keyness_statistics(candidates.to_numpy(), reference.to_numpy(), target_total, reference_total,
                               ci=options.ci)
    table.insert(0, "term", pd.array(candidates.index.astype(str), dtype="str"))
    table.insert(table.columns.get_loc("chi2"), "p_adjusted", _adjust(table["p_value"].to_numpy(), options.correction))
    table["significant"] = table["p_adjusted"] < options.alpha
    table = table[table["key_for"] == "target"].sort_values(["g2", "term"], ascending=[False, True])
    if top is not None:
        table = table.head(top)
    table.insert(0, "period", period)
    table["n_articles"] = n_articles
    table["rank"] = np.arange(1, len(table) + 1)
    return table
