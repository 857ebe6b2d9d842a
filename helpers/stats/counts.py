"""Keyword statistics on the token table: frequencies, dispersion, TF-IDF and the document-term matrix.

Every function takes the token table first (see ``helpers.tokenize``) and returns a tidy DataFrame with the
columns its docstring lists. Counting works on integer codes (numpy/scipy), never on a Python loop over tokens.
Keyness lives in :mod:`helpers.keyness`, n-grams and collocations in :mod:`helpers.collocations`, concordances
in :mod:`helpers.kwic`; the selection of articles they share (``token_mask``) is defined here.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import sparse

from helpers.text.term_matrix import DocumentTermMatrix

PERIODS = {"year": "Y", "quarter": "Q", "month": "M", "week": "W", "day": "D"}
STORY_MODES = ("all", "once", "once_per_source")
FREQUENCY_COLUMNS = ["term", "frequency", "docfreq", "per_10k", "rank"]  # after the ``by`` columns
TFIDF_COLUMNS = ["doc_id", "term", "tf", "df", "idf", "tfidf", "rank"]
DISPERSION_COLUMNS = ["term", "frequency", "range", "dp", "dp_norm", "juilland_d"]


def content_tokens(tokens: pd.DataFrame, *, drop_stop: bool = True, drop_punct: bool = True) -> pd.DataFrame:
    """The rows of the token table that keyword counts use: by default no stopwords and no punctuation.

    >>> t = pd.DataFrame({"term": ["the", "drug", "."], "is_stop": [True, False, False], "is_punct": [False, False, True]})
    >>> content_tokens(t)["term"].tolist()
    ['drug']
    """
    return tokens.loc[_content_mask(tokens, drop_stop=drop_stop, drop_punct=drop_punct)]


def _content_mask(tokens: pd.DataFrame, *, drop_stop: bool, drop_punct: bool) -> np.ndarray:
    keep = np.ones(len(tokens), dtype=bool)
    for flag, column in ((drop_stop, "is_stop"), (drop_punct, "is_punct")):
        if flag:
            if column not in tokens.columns:
                option = "drop_stop" if column == "is_stop" else "drop_punct"
                raise ValueError(f"the token table has no {column!r} column; pass {option}=False "
                                 "or build it with helpers.tokenize")
            keep &= ~tokens[column].to_numpy(dtype=bool)
    return keep


def _codes(values: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """Integer codes and their labels; categorical columns (as ``tokenize`` makes them) cost nothing."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        return values.cat.codes.to_numpy(dtype=np.int64), pd.Index(values.cat.categories.astype(str))
    codes, uniques = pd.factorize(values)
    return codes.astype(np.int64), pd.Index(pd.Index(uniques).astype(str))


def _in_reading_order(codes: np.ndarray, within: np.ndarray) -> bool:
    """Whether each article's rows (``codes``: its doc_id codes) are together and ``within`` (position) rises inside
    it, as a token table keeps them: one change per new code, counted with ``bincount`` rather than ``np.unique``'s
    sort of every token."""
    if len(codes) < 2:
        return True
    same = codes[1:] == codes[:-1]
    changes = len(same) - np.count_nonzero(same)
    return (changes == np.count_nonzero(np.bincount(codes + 1)) - 1  # + 1: a missing value's code is -1
            and bool(np.all(within[1:][same] > within[:-1][same])))


def _article_sorted(tokens: pd.DataFrame, columns: list[str], *, by: str = "position") -> pd.DataFrame:
    """``tokens[columns]`` sorted by ``doc_id`` then ``by`` as a stable ``sort_values`` sorts them, index reset.
    A token table keeps each article's tokens together and in order, so whole articles are moved instead of every
    token sorted (on 10,000 articles 0.27-0.33 s instead of 0.46-0.51 s), and nothing when they are in order."""
    table = tokens[columns]
    by_columns = ["doc_id", by]
    if not isinstance(tokens["doc_id"].dtype, pd.CategoricalDtype):
        return table.sort_values(by_columns, kind="stable").reset_index(drop=True)
    codes, _ = _codes(tokens["doc_id"])
    if len(codes) < 2 or codes.min() < 0 or not _in_reading_order(codes, tokens[by].to_numpy()):
        return table.sort_values(by_columns, kind="stable").reset_index(drop=True)
    starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]])
    lengths = np.diff(np.r_[starts, len(codes)])
    order = np.argsort(codes[starts], kind="stable")  # categories in their own order, as sort_values orders them
    if np.all(order[1:] > order[:-1]):
        return table.reset_index(drop=True)
    shift = np.repeat(starts[order] - np.r_[0, np.cumsum(lengths[order])[:-1]], lengths[order])
    return table.take(np.arange(len(codes)) + shift).reset_index(drop=True)


def _strings(values: pd.Series) -> np.ndarray:
    """A column as an object array of str, through its codes: each distinct value is turned into str once."""
    codes, labels = _codes(values)
    if len(codes) and codes.min() < 0:  # missing values: str() of each, as astype(str) gives
        return values.astype(str).to_numpy(dtype=object)
    return np.asarray(labels, dtype=object)[codes]


def _text_ranked_codes(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Each row's rank among the column's distinct values as text, and those texts sorted: grouping or sorting on
    the ranks orders rows as on ``values.astype(str)``.

    >>> _text_ranked_codes(pd.Series(["b", "a", "b"], dtype="category"))
    (array([1, 0, 1]), array(['a', 'b'], dtype=object))
    """
    codes, labels = _codes(values)
    if len(codes) and codes.min() < 0:  # missing values: as astype(str) writes them
        codes, labels = _codes(values.astype(str))
    texts, rank = np.unique(np.asarray(labels, dtype=object).astype(str).astype(object), return_inverse=True)
    return rank.reshape(-1)[codes].astype(np.int64), texts


def _take_text(texts: np.ndarray, rows: np.ndarray) -> pd.api.extensions.ExtensionArray:
    """``texts[rows]`` as a str column, taken by Arrow (no Python string per row)."""
    import pyarrow as pa

    return pd.array(pa.array(texts.tolist(), type=pa.large_string()).take(pa.array(rows)), dtype="str")


def typed_empty(table: pd.DataFrame, dtypes: dict[str, str]) -> pd.DataFrame:
    """``table`` with ``dtypes`` when it has no rows, so an empty result filters, sorts and takes ``.str`` as a full
    one does (an empty column is otherwise ``object`` or ``float``); a table with rows is returned as it is.

    >>> empty = typed_empty(pd.DataFrame(columns=["term", "significant"]), {"term": "str", "significant": "bool"})
    >>> empty[empty["significant"]]["term"].str.upper().tolist()
    []
    """
    return table.astype(dtypes) if table.empty else table


def _require(frame: pd.DataFrame, columns: list[str], what: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{what} has no column {missing}; it has {list(frame.columns)}")


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


def _doc_mask(tokens: pd.DataFrame, doc_ids) -> np.ndarray:
    codes, labels = _codes(tokens["doc_id"])
    return _label_mask(codes, labels.isin(pd.Index(doc_ids).astype(str)))


def _label_mask(codes: np.ndarray, chosen: np.ndarray) -> np.ndarray:
    """Rows whose code is a chosen label (``chosen``: one bool per label; code -1, a missing value, is never
    chosen): one gather, where ``np.isin`` on millions of codes sorted them and took ~60 ms a call.

    >>> _label_mask(np.array([0, 2, -1, 1]), np.array([True, False, True])).tolist()
    [True, True, False, False]
    """
    return np.append(np.asarray(chosen, dtype=bool), False)[codes]


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
            mask &= _doc_mask(tokens, columns.loc[doc_keep, "doc_id"])
        return mask
    if isinstance(spec, str):
        spec = [spec]
    values = np.asarray(spec.to_numpy() if isinstance(spec, (pd.Series, pd.Index)) else list(spec)
                        if not isinstance(spec, np.ndarray) else spec)
    if values.dtype == bool:
        if len(values) == len(tokens):
            return values.copy()
        if articles is not None and len(values) == len(articles):
            return _doc_mask(tokens, articles.loc[values, "doc_id"])
        raise ValueError(f"a boolean mask must have one value per token ({len(tokens)}) or per article "
                         f"({'no articles given' if articles is None else len(articles)}); it has {len(values)}")
    doc_ids = pd.Index(values).astype(str)
    known = _codes(tokens["doc_id"])[1]
    unknown = doc_ids.difference(known)
    if len(unknown):
        raise ValueError(f"{len(unknown)} doc_id(s) not in the token table, e.g. {list(unknown[:3])}")
    return _doc_mask(tokens, doc_ids)


def _select_stories(tokens: pd.DataFrame, articles: pd.DataFrame | None, stories: str) -> pd.DataFrame:
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
    return tokens.loc[_doc_mask(tokens, articles.loc[first, "doc_id"])]


def frequencies(tokens: pd.DataFrame, *, by: str | list[str] | None = None, articles: pd.DataFrame | None = None,
                drop_stop: bool = True, drop_punct: bool = True, stories: str = "all") -> pd.DataFrame:
    """Term frequency, document frequency, frequency per 10,000 tokens and rank, optionally per group.

    ``by`` names columns of the token table, or of ``articles`` (joined on ``doc_id``), or a period
    (``year``, ``month``, ``week``, ``day``) derived from the articles' ``date``.
    ``stories="once"`` counts a syndicated story (articles sharing ``story_id``) once, ``"once_per_source"`` once
    per outlet; the first article of each story is kept.

    Columns: ``[by...], term, frequency, docfreq, per_10k, rank``. ``frequency`` f = occurrences; ``docfreq`` =
    articles containing the term; ``per_10k`` = 10,000 × f / N with N the tokens counted in the group;
    ``rank`` 1 is the most frequent (ties share the lowest rank).

    >>> t = pd.DataFrame({"doc_id": ["a", "a", "b"], "term": ["drug", "drug", "libya"],
    ...                   "is_stop": False, "is_punct": False})
    >>> frequencies(t)[["term", "frequency", "docfreq", "rank"]].values.tolist()
    [['drug', 2, 1, 1], ['libya', 1, 1, 2]]
    """
    from helpers.scale.driver import is_dask

    if is_dask(tokens):  # partial counts per partition, summed on the cluster
        from helpers.scale.driver import driver as scale

        if stories != "all":
            raise ValueError("stories= needs the pandas path; on Dask count per outlet with by=")
        return scale.frequencies(tokens, by=by, articles=articles, drop_stop=drop_stop, drop_punct=drop_punct)
    tokens = _select_stories(tokens, articles, stories)
    counted = content_tokens(tokens, drop_stop=drop_stop, drop_punct=drop_punct)
    groups = [by] if isinstance(by, str) else list(by or [])
    term_codes, vocab = _codes(counted["term"])
    doc_codes, _ = _codes(counted["doc_id"])
    frame = pd.DataFrame({"term": term_codes, "doc": doc_codes})
    labels: dict[str, pd.Index] = {}
    joined = [g for g in groups if g not in counted.columns]
    extra = article_columns(articles, joined) if joined and articles is not None else None
    if joined and articles is None:
        raise ValueError(f"by={joined} names no column of the token table; pass articles= holding it")
    doc_labels = _codes(counted["doc_id"])[1]
    for g in groups:
        if g in counted.columns:
            codes, uniques = pd.factorize(pd.Series(np.asarray(counted[g])), use_na_sentinel=False)
        else:
            per_doc = extra.drop_duplicates("doc_id").set_index("doc_id")[g].reindex(doc_labels)
            doc_group, uniques = pd.factorize(pd.Series(per_doc.to_numpy()), use_na_sentinel=False)
            codes = doc_group[doc_codes]
        frame[g] = codes
        labels[g] = pd.Index(uniques)
    keys = [*groups, "term"]
    frequency = frame.groupby(keys, sort=False).size().rename("frequency")
    docfreq = frame.drop_duplicates([*keys, "doc"]).groupby(keys, sort=False).size().rename("docfreq")
    table = pd.concat([frequency, docfreq], axis=1).reset_index()
    for g in groups:
        table[g] = labels[g].take(table[g].to_numpy())
    table["term"] = pd.array(vocab.take(table["term"].to_numpy()), dtype="str")
    if table.empty:  # the group columns typed as their source columns, not as the labels of nothing (object)
        sources = {g: counted[g] if g in counted.columns else articles[g] if g in articles.columns else extra[g]
                   for g in groups}
        table = typed_empty(table, {g: s.dtype.categories.dtype if isinstance(s.dtype, pd.CategoricalDtype)
                                    else s.dtype for g, s in sources.items()})
    return _finish_frequencies(table, groups)


def _finish_frequencies(table: pd.DataFrame, groups: list[str]) -> pd.DataFrame:
    """``per_10k`` and ``rank`` within each group, rows in rank order: the last step of the pandas and the
    partitioned (helpers.scale) frequency tables, shared so the two stay equal."""
    totals = table.groupby(groups, dropna=False)["frequency"].transform("sum") if groups else table["frequency"].sum()
    table["per_10k"] = 10_000 * table["frequency"] / totals
    ranked = table.groupby(groups, dropna=False)["frequency"] if groups else table["frequency"]
    table["rank"] = ranked.rank(method="min", ascending=False).astype(int)
    return table.sort_values([*groups, "rank", "term"]).reset_index(drop=True)[[*groups, *FREQUENCY_COLUMNS]]


def document_term_matrix(tokens: pd.DataFrame, *, drop_stop: bool = True, drop_punct: bool = True,
                         min_df: int = 1) -> DocumentTermMatrix:
    """Counts of each term in each article as a scipy CSR matrix, its ``vocabulary`` and ``doc_ids``.

    Rows follow the token table's documents in order of first appearance (articles whose tokens are all filtered
    out keep an empty row); columns are terms sorted alphabetically, as scikit-learn's ``CountVectorizer`` sorts
    them, so ``matrix`` can go straight into scikit-learn. ``min_df`` drops terms in fewer articles.

    >>> t = pd.DataFrame({"doc_id": ["a", "a", "b"], "term": ["drug", "libya", "drug"],
    ...                   "is_stop": False, "is_punct": False})
    >>> dtm = document_term_matrix(t)
    >>> dtm.matrix.toarray().tolist(), list(dtm.vocabulary), list(dtm.doc_ids)
    ([[1, 1], [1, 0]], ['drug', 'libya'], ['a', 'b'])
    """
    doc_codes, doc_labels = _codes(tokens["doc_id"])
    appearing = pd.unique(doc_codes[doc_codes >= 0])
    doc_ids = pd.Index(doc_labels.take(appearing), name="doc_id")
    doc_row = np.full(len(doc_labels), -1, dtype=np.int64)
    doc_row[appearing] = np.arange(len(appearing))
    keep = _content_mask(tokens, drop_stop=drop_stop, drop_punct=drop_punct)
    term_codes, vocab = _codes(tokens["term"])
    term_codes, doc_codes = term_codes[keep], doc_codes[keep]
    valid = term_codes >= 0
    term_codes, doc_codes = term_codes[valid], doc_codes[valid]
    used = np.unique(term_codes)
    order = np.argsort(vocab.take(used).to_numpy(dtype=str), kind="stable")
    column_of = np.full(len(vocab), -1, dtype=np.int64)
    column_of[used[order]] = np.arange(len(used))
    vocabulary = pd.Index(vocab.take(used[order]), name="term")
    row, col = doc_row[doc_codes], column_of[term_codes]
    matrix = sparse.csr_matrix((np.ones(len(col), dtype=np.int64), (row, col)),
                               shape=(len(doc_ids), len(vocabulary)))
    matrix.sum_duplicates()
    if min_df > 1:
        df = np.bincount(matrix.indices, minlength=matrix.shape[1])
        kept = np.flatnonzero(df >= min_df)
        matrix, vocabulary = matrix[:, kept], vocabulary[kept]
    return DocumentTermMatrix(matrix.tocsr(), vocabulary, doc_ids)


def tfidf(tokens: pd.DataFrame, *, norm: str | None = "l2", use_idf: bool = True, smooth_idf: bool = True,
          sublinear_tf: bool = False, drop_stop: bool = True, drop_punct: bool = True, top: int | None = None
          ) -> pd.DataFrame:
    """TF-IDF of each term in each article, computed as scikit-learn's ``TfidfVectorizer`` does.

    With n the number of articles and df(t) the articles containing t:
    ``idf = ln((1 + n) / (1 + df)) + 1`` (``smooth_idf=True``) or ``ln(n / df) + 1``;
    ``tf`` = count of t in the article (``1 + ln(count)`` when ``sublinear_tf``);
    ``tfidf = tf × idf``, then divided by the article's Euclidean norm (``norm="l2"``), sum (``"l1"``) or kept
    (``None``). Reference: Spärck Jones (1972) *J. Documentation* 28(1); scikit-learn user guide §6.2.3.4.

    Columns: ``doc_id, term, tf, df, idf, tfidf, rank``; ``tf`` is the raw count, ``rank`` 1 is the article's
    highest tfidf (ties share the lowest rank). ``top`` keeps the best ``top`` ranks of each article.

    >>> t = pd.DataFrame({"doc_id": ["a", "a", "b"], "term": ["drug", "libya", "drug"],
    ...                   "is_stop": False, "is_punct": False})
    >>> tfidf(t, norm=None)[["doc_id", "term", "idf", "tfidf"]].round(3).values.tolist()
    [['a', 'libya', 1.405, 1.405], ['a', 'drug', 1.0, 1.0], ['b', 'drug', 1.0, 1.0]]
    """
    from helpers.scale.driver import is_dask

    if is_dask(tokens):  # idf from the reduced document frequencies, then applied partition by partition
        from helpers.scale.driver import driver as scale

        if (norm, use_idf, smooth_idf, sublinear_tf) != ("l2", True, True, False):
            raise ValueError("on Dask, tfidf has scikit-learn's default weighting only (norm='l2', smooth idf)")
        return scale.tfidf(tokens, drop_stop=drop_stop, drop_punct=drop_punct, top=top)
    if norm not in ("l1", "l2", None):
        raise ValueError(f"norm={norm!r} is invalid; use 'l2', 'l1' or None")
    dtm = document_term_matrix(tokens, drop_stop=drop_stop, drop_punct=drop_punct)
    counts = dtm.matrix.tocoo()
    n_docs = dtm.matrix.shape[0]
    df = np.bincount(counts.col, minlength=dtm.matrix.shape[1])
    if use_idf:
        idf = np.log((1 + n_docs) / (1 + df)) + 1 if smooth_idf else np.log(n_docs / df) + 1
    else:
        idf = np.ones(len(df))
    tf = counts.data.astype(float)
    weight = (1 + np.log(tf) if sublinear_tf else tf) * idf[counts.col]
    if norm is not None:
        per_doc = np.bincount(counts.row, weights=weight ** 2 if norm == "l2" else np.abs(weight), minlength=n_docs)
        scale = np.sqrt(per_doc) if norm == "l2" else per_doc
        weight = weight / scale[counts.row]
    # Order by article, then descending weight, then term (columns are alphabetical); ties share the lowest rank.
    order = np.lexsort((counts.col, -weight, counts.row))
    row, col, weight, tf = counts.row[order], counts.col[order], weight[order], counts.data[order]
    index = np.arange(len(order))
    new_doc = np.r_[True, row[1:] != row[:-1]]
    new_value = new_doc | np.r_[True, weight[1:] != weight[:-1]]
    doc_start = np.maximum.accumulate(np.where(new_doc, index, 0))
    tie_start = np.maximum.accumulate(np.where(new_value, index, 0))
    table = pd.DataFrame({
        "doc_id": pd.array(dtm.doc_ids, dtype="str").take(row),
        "term": pd.array(dtm.vocabulary, dtype="str").take(col),
        "tf": tf.astype(np.int64),
        "df": df[col],
        "idf": idf[col],
        "tfidf": weight,
        "rank": tie_start - doc_start + 1,
    })
    table = table[TFIDF_COLUMNS]
    return table[table["rank"] <= top].reset_index(drop=True) if top else table


def dispersion(tokens: pd.DataFrame, *, terms: list[str] | None = None, parts: str = "doc_id",
               articles: pd.DataFrame | None = None, drop_stop: bool = True, drop_punct: bool = True
               ) -> pd.DataFrame:
    """How evenly each term spreads over the corpus parts (articles by default, or any grouping column).

    With n parts, s_i the share of the corpus tokens in part i, f_i the term's count in part i and f = Σ f_i:

    - ``range``: the number of parts with f_i > 0;
    - ``dp`` (Gries' deviation of proportions): DP = ½ Σ_i |f_i / f − s_i|; 0 = spread exactly as the parts' sizes,
      near 1 = concentrated in one small part (Gries 2008, *Int. J. Corpus Linguistics* 13(4): 403–437);
      ``dp_norm`` = DP / (1 − min_i s_i) (Lijffijt & Gries 2012, *IJCL* 17(1): 147–149);
    - ``juilland_d``: D = 1 − V / √(n − 1), V = σ(p) / mean(p) the coefficient of variation (population σ) of the
      per-part relative frequencies p_i = f_i / size_i; 1 = perfectly even, 0 = all in one part
      (Juilland & Chang-Rodríguez 1964; relative frequencies for unequal parts as in Gries 2008).

    Columns: ``term, frequency, range, dp, dp_norm, juilland_d``, sorted by frequency. ``terms`` limits the rows.

    >>> t = pd.DataFrame({"doc_id": ["a", "a", "b", "b"], "term": ["x", "y", "x", "z"],
    ...                   "is_stop": False, "is_punct": False})
    >>> dispersion(t, terms=["x", "y"])[["term", "range", "dp", "juilland_d"]].values.tolist()
    [['x', 2, 0.0, 1.0], ['y', 1, 0.5, 0.0]]
    """
    keep = _content_mask(tokens, drop_stop=drop_stop, drop_punct=drop_punct)
    counted = tokens.loc[keep]
    if parts in counted.columns:
        part_values = counted[parts]
    elif articles is not None:
        extra = article_columns(articles, [parts]).set_index("doc_id")[parts]
        part_values = counted["doc_id"].astype(str).map(extra)
    else:
        raise ValueError(f"parts={parts!r} is not a token column; pass articles= holding it")
    part_codes, part_labels = pd.factorize(pd.Series(np.asarray(part_values)), use_na_sentinel=False)
    term_codes, vocab = _codes(counted["term"])
    n_parts, n_terms = len(part_labels), len(vocab)
    sizes = np.bincount(part_codes, minlength=n_parts).astype(float)
    shares = sizes / sizes.sum()
    cells = sparse.csr_matrix((np.ones(len(term_codes)), (term_codes, part_codes)), shape=(n_terms, n_parts))
    cells.sum_duplicates()
    coo = cells.tocoo()
    freq = np.asarray(cells.sum(axis=1)).ravel()
    v = coo.data / freq[coo.row]
    s = shares[coo.col]
    # Σ over all parts of |v - s| = Σ over parts holding the term of (|v - s| - s) + Σ s (= 1).
    dp = 0.5 * (np.bincount(coo.row, weights=np.abs(v - s) - s, minlength=n_terms) + 1.0)
    rel = coo.data / sizes[coo.col]
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.bincount(coo.row, weights=rel, minlength=n_terms) / n_parts
        var = np.bincount(coo.row, weights=rel ** 2, minlength=n_terms) / n_parts - mean ** 2
        juilland = 1 - np.sqrt(np.clip(var, 0, None)) / mean / np.sqrt(n_parts - 1) if n_parts > 1 \
            else np.full(n_terms, np.nan)
    table = pd.DataFrame({
        "term": pd.array(vocab, dtype="str"),
        "frequency": freq.astype(np.int64),
        "range": np.bincount(coo.row, minlength=n_terms),
        "dp": np.round(dp, 12),
        "dp_norm": np.round(dp / (1 - shares.min()), 12) if n_parts > 1 else np.nan,
        "juilland_d": np.round(juilland, 12),
    })
    table = table[table["frequency"] > 0]
    if terms is not None:
        wanted = pd.Index([str(t) for t in ([terms] if isinstance(terms, str) else terms)])
        table = table[table["term"].isin(wanted)]
    return table.sort_values(["frequency", "term"], ascending=[False, True]).reset_index(drop=True)[DISPERSION_COLUMNS]
