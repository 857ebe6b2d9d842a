"""Keyword statistics on the token table: frequencies, dispersion, TF-IDF and the document-term matrix.

Every function takes the token table first (see ``helpers.tokenize``) and returns a tidy DataFrame with the
columns its docstring lists. Counting works on integer codes (numpy/scipy), never on a Python loop over tokens.
Keyness lives in :mod:`helpers.keyness`, n-grams and collocations in :mod:`helpers.collocations`, concordances
in :mod:`helpers.kwic`; the selection of articles they share (``token_mask``) in :mod:`helpers.stats.selection`.
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd
from scipy import sparse

from helpers.frames import codes_of, label_mask, typed_empty
from helpers.scale.client import is_dask
from helpers.scale.reduce import (is_partitioned, map_partitions, partition_digest, reduce_partitions, require_whole,
                                  sum_tables)
from helpers.stats.selection import article_columns, content_mask, select_stories
from helpers.text.term_matrix import DocumentTermMatrix

FREQUENCY_COLUMNS = ["term", "frequency", "docfreq", "per_10k", "rank"]  # after the ``by`` columns
TFIDF_COLUMNS = ["doc_id", "term", "tf", "df", "idf", "tfidf", "rank"]
DISPERSION_COLUMNS = ["term", "frequency", "range", "dp", "dp_norm", "juilland_d"]
CONTENT_COLUMNS = ["doc_id", "term", "is_stop", "is_punct"]  # what counting reads of a token partition


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
    groups = [by] if isinstance(by, str) else list(by or [])
    count = functools.partial(term_counts, groups=groups, articles=articles, drop_stop=drop_stop,
                              drop_punct=drop_punct, stories=stories)
    finish = functools.partial(finish_frequencies, groups=groups)
    if is_partitioned(tokens):  # each partition counted, the counts added, finished once
        settings = {"by": groups, "drop_stop": drop_stop, "drop_punct": drop_punct, "stories": stories,
                    "articles": None if articles is None else partition_digest(articles)}
        return reduce_partitions(tokens, count, sum_tables([*groups, "term"], ["frequency", "docfreq"]),
                                 finish=finish, step="frequencies", settings=settings,
                                 columns=[*CONTENT_COLUMNS, *groups])
    return finish(count(tokens))


def term_counts(tokens: pd.DataFrame, *, groups: list[str], articles: pd.DataFrame | None, drop_stop: bool,
                drop_punct: bool, stories: str) -> pd.DataFrame:
    """The additive part of :func:`frequencies`: ``[groups...], term, frequency, docfreq`` of one token table
    (a whole corpus or one partition; sums over partitions give the corpus's counts).

    >>> t = pd.DataFrame({"doc_id": ["a", "b"], "term": ["drug", "drug"], "is_stop": False, "is_punct": False})
    >>> term_counts(t, groups=[], articles=None, drop_stop=True, drop_punct=True, stories="all").values.tolist()
    [['drug', 2, 2]]
    """
    tokens = select_stories(tokens, articles, stories)
    # The counted rows as positions over the table's codes: no copy of the token table (its largest cost once).
    counted = np.flatnonzero(content_mask(tokens, drop_stop=drop_stop, drop_punct=drop_punct))
    term_codes, vocab = _counted_codes(tokens["term"], counted)
    doc_codes, doc_labels = _counted_codes(tokens["doc_id"], counted)
    group_codes: dict[str, np.ndarray] = {}
    labels: dict[str, pd.Index] = {}
    joined = [g for g in groups if g not in tokens.columns]
    extra = article_columns(articles, joined) if joined and articles is not None else None
    if joined and articles is None:
        raise ValueError(f"by={joined} names no column of the token table; pass articles= holding it")
    for g in groups:
        if g in tokens.columns:
            codes, uniques = pd.factorize(pd.Series(np.asarray(tokens[g])[counted]), use_na_sentinel=False)
        else:
            per_doc = extra.drop_duplicates("doc_id").set_index("doc_id")[g].reindex(doc_labels)
            doc_group, uniques = pd.factorize(pd.Series(per_doc.to_numpy()), use_na_sentinel=False)
            codes = doc_group[doc_codes]
        group_codes[g] = codes
        labels[g] = pd.Index(uniques)
    keys = [*groups, "term"]
    if not groups and len(term_codes) and min(term_codes.min(), doc_codes.min()) >= 0:
        table = _ungrouped_counts(term_codes, doc_codes, len(vocab), len(doc_labels))
    else:  # a frame of the codes only here: building it copies them (a few ms on a million rows)
        frame = pd.DataFrame({"term": term_codes, "doc": doc_codes, **group_codes})
        frequency = frame.groupby(keys, sort=False).size().rename("frequency")
        docfreq = frame.drop_duplicates([*keys, "doc"]).groupby(keys, sort=False).size().rename("docfreq")
        table = pd.concat([frequency, docfreq], axis=1).reset_index()
    for g in groups:
        table[g] = labels[g].take(table[g].to_numpy())
    table["term"] = pd.array(vocab.take(table["term"].to_numpy()), dtype="str")
    if table.empty:  # the group columns typed as their source columns, not as the labels of nothing (object)
        sources = {g: tokens[g] if g in tokens.columns else articles[g] if g in articles.columns else extra[g]
                   for g in groups}
        table = typed_empty(table, {g: s.dtype.categories.dtype if isinstance(s.dtype, pd.CategoricalDtype)
                                    else s.dtype for g, s in sources.items()})
    return table


def _ungrouped_counts(term_codes: np.ndarray, doc_codes: np.ndarray, n_terms: int, n_docs: int) -> pd.DataFrame:
    """``term`` (codes), ``frequency``, ``docfreq`` of one corpus by counting codes (bincount, and the distinct
    term-article pairs of a sort of their keys) rather than grouping a frame: the same counts in about half the time.
    numpy's sort of integers beats a hash pass (``pd.unique``) on them: 9 against 28 ms for 770,000 pairs."""
    frequency = np.bincount(term_codes, minlength=n_terms)
    pairs = np.sort(term_codes * n_docs + doc_codes)
    last_of_pair = np.ones(len(pairs), dtype=bool)
    np.not_equal(pairs[1:], pairs[:-1], out=last_of_pair[:-1])
    pairs = pairs[last_of_pair]
    docfreq = np.bincount(pairs // n_docs, minlength=n_terms)
    present = np.flatnonzero(frequency)
    return pd.DataFrame({"term": present, "frequency": frequency[present], "docfreq": docfreq[present]})


def _counted_codes(column: pd.Series, counted: np.ndarray) -> tuple[np.ndarray, pd.Index]:
    """:func:`codes_of` the counted rows (``counted``: their positions); a categorical's codes are taken whole, then
    the rows (no copy of the column). Taking positions is 4x faster than a boolean mask on int16 codes (numpy)."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        return column.cat.codes.to_numpy().take(counted).astype(np.int64), pd.Index(column.cat.categories.astype(str))
    return codes_of(column.iloc[counted])


def finish_frequencies(table: pd.DataFrame, groups: list[str]) -> pd.DataFrame:
    """``per_10k`` and ``rank`` within each group, rows in rank order: the last step of :func:`frequencies`, on the
    counts of :func:`term_counts` (of the whole table, or summed over partitions)."""
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
    require_whole(tokens, "document_term_matrix")
    doc_codes, doc_labels = codes_of(tokens["doc_id"])
    appearing = pd.unique(doc_codes[doc_codes >= 0])
    doc_ids = pd.Index(doc_labels.take(appearing), name="doc_id")
    doc_row = np.full(len(doc_labels), -1, dtype=np.int64)
    doc_row[appearing] = np.arange(len(appearing))
    keep = content_mask(tokens, drop_stop=drop_stop, drop_punct=drop_punct)
    term_codes, vocab = codes_of(tokens["term"])
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
    if norm not in ("l1", "l2", None):
        raise ValueError(f"norm={norm!r} is invalid; use 'l2', 'l1' or None")
    weighting = {"norm": norm, "use_idf": use_idf, "smooth_idf": smooth_idf, "sublinear_tf": sublinear_tf, "top": top}
    if is_partitioned(tokens):  # document frequencies summed over the partitions, then each partition weighed
        if not (is_dask(tokens) or isinstance(tokens, (list, tuple))):
            raise TypeError("tfidf reads the tokens twice (document frequencies, then weights): pass a Dask "
                            "DataFrame or a list of frames, not a one-shot generator")
        df, n_docs = reduce_partitions(
            tokens, functools.partial(document_frequencies, drop_stop=drop_stop, drop_punct=drop_punct),
            _add_document_frequencies, step="tfidf-df", settings={"drop_stop": drop_stop, "drop_punct": drop_punct},
            columns=CONTENT_COLUMNS)
        df_by_term = pd.Series(df["df"].to_numpy(), index=df["term"].astype(str).to_numpy())
        weigh = functools.partial(_weigh_partition, df_by_term=df_by_term, n_docs=n_docs, drop_stop=drop_stop,
                                  drop_punct=drop_punct, weighting=weighting)
        parts = map_partitions(tokens, weigh)
        parts = parts.compute() if is_dask(parts) else pd.concat(parts, ignore_index=True)
        return parts.reset_index(drop=True)
    dtm = document_term_matrix(tokens, drop_stop=drop_stop, drop_punct=drop_punct)
    df = np.bincount(dtm.matrix.tocoo().col, minlength=dtm.matrix.shape[1])
    return _weighted(dtm, df, dtm.matrix.shape[0], **weighting)


def document_frequencies(tokens: pd.DataFrame, *, drop_stop: bool = True, drop_punct: bool = True
                         ) -> tuple[pd.DataFrame, int]:
    """The additive part of :func:`tfidf`: ``term, df`` (articles holding the term) and the number of articles.

    >>> t = pd.DataFrame({"doc_id": ["a", "a", "b"], "term": ["x", "x", "x"], "is_stop": False, "is_punct": False})
    >>> table, n = document_frequencies(t)
    >>> table.values.tolist(), n
    ([['x', 2]], 2)
    """
    dtm = document_term_matrix(tokens, drop_stop=drop_stop, drop_punct=drop_punct)
    df = np.bincount(dtm.matrix.tocoo().col, minlength=dtm.matrix.shape[1]).astype(np.int64)
    return pd.DataFrame({"term": pd.array(dtm.vocabulary, dtype="str"), "df": df}), dtm.matrix.shape[0]


def _add_document_frequencies(items: list) -> tuple[pd.DataFrame, int]:
    return sum_tables(["term"], ["df"])([table for table, _ in items]), sum(n for _, n in items)


def _weigh_partition(tokens: pd.DataFrame, *, df_by_term: pd.Series, n_docs: int, drop_stop: bool,
                     drop_punct: bool, weighting: dict) -> pd.DataFrame:
    """The tfidf rows of one partition's articles, with the corpus's document frequencies and article count."""
    dtm = document_term_matrix(tokens, drop_stop=drop_stop, drop_punct=drop_punct)
    df = df_by_term.reindex(dtm.vocabulary.astype(str)).to_numpy(dtype=np.int64)
    return _weighted(dtm, df, n_docs, **weighting)


def _weighted(dtm: DocumentTermMatrix, df: np.ndarray, n_docs: int, *, norm, use_idf, smooth_idf, sublinear_tf,
              top) -> pd.DataFrame:
    """The tfidf table of :func:`tfidf` from counts ``dtm`` and each column's document frequency ``df`` among
    ``n_docs`` articles: every weight depends on its own article and on the corpus only through df and n."""
    counts = dtm.matrix.tocoo()
    if use_idf:
        idf = np.log((1 + n_docs) / (1 + df)) + 1 if smooth_idf else np.log(n_docs / df) + 1
    else:
        idf = np.ones(len(df))
    tf = counts.data.astype(float)
    weight = (1 + np.log(tf) if sublinear_tf else tf) * idf[counts.col]
    if norm is not None:
        per_doc = np.bincount(counts.row, weights=weight ** 2 if norm == "l2" else np.abs(weight),
                              minlength=dtm.matrix.shape[0])
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
    rank = tie_start - doc_start + 1
    if top:  # the rows kept before their text is made
        kept = np.flatnonzero(rank <= top)
        row, col, weight, tf, rank = row[kept], col[kept], weight[kept], tf[kept], rank[kept]
    table = pd.DataFrame({
        "doc_id": pd.array(dtm.doc_ids, dtype="str").take(row),
        "term": pd.array(dtm.vocabulary, dtype="str").take(col),
        "tf": tf.astype(np.int64),
        "df": df[col],
        "idf": idf[col],
        "tfidf": weight,
        "rank": rank,
    })
    return table[TFIDF_COLUMNS]


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
    if is_partitioned(tokens):  # each part's term counts and size added over the partitions
        count = functools.partial(dispersion_counts, parts=parts, articles=articles, drop_stop=drop_stop,
                                  drop_punct=drop_punct)
        cells, sizes = reduce_partitions(tokens, count, _add_dispersion_counts)
        part_labels = pd.Index(sizes["part"].to_numpy(dtype=object))
        term_codes, vocab = pd.factorize(cells["term"].to_numpy(dtype=object))
        return _dispersion_table(term_codes, part_labels.get_indexer(cells["part"].to_numpy(dtype=object)),
                                 cells["count"].to_numpy(dtype=float), pd.Index(vocab),
                                 sizes["n"].to_numpy(dtype=float), terms)
    counted, part_values = _counted_parts(tokens, parts, articles, drop_stop, drop_punct)
    if isinstance(part_values.dtype, pd.CategoricalDtype):  # its codes, numbered as its values first appear
        part_codes, part_labels = pd.factorize(part_values.cat.codes.to_numpy())
    else:
        part_codes, part_labels = pd.factorize(pd.Series(np.asarray(part_values)), use_na_sentinel=False)
    term_codes, vocab = codes_of(counted["term"])
    sizes = np.bincount(part_codes, minlength=len(part_labels)).astype(float)
    if terms is not None:  # the parts' sizes count every token; the cells only the wanted terms' (rows alone)
        wanted = vocab.isin([str(t) for t in ([terms] if isinstance(terms, str) else terms)])
        chosen = label_mask(term_codes, wanted)
        term_codes, part_codes = term_codes[chosen], part_codes[chosen]
    return _dispersion_table(term_codes, part_codes, np.ones(len(term_codes)), vocab, sizes, terms)


def _counted_parts(tokens: pd.DataFrame, parts: str, articles, drop_stop: bool, drop_punct: bool):
    keep = content_mask(tokens, drop_stop=drop_stop, drop_punct=drop_punct)
    # only the columns read below: copying every column of the content tokens took most of the time
    counted = tokens.loc[keep, list(dict.fromkeys(["term", parts if parts in tokens.columns else "doc_id"]))]
    if parts in counted.columns:
        return counted, counted[parts]
    if articles is not None:
        extra = article_columns(articles, [parts]).set_index("doc_id")[parts]
        return counted, counted["doc_id"].astype(str).map(extra)
    raise ValueError(f"parts={parts!r} is not a token column; pass articles= holding it")


def dispersion_counts(tokens: pd.DataFrame, *, parts: str, articles, drop_stop: bool, drop_punct: bool):
    """The additive part of :func:`dispersion`: ``term, part, count`` and each part's size ``part, n``, parts in
    order of first appearance."""
    counted, part_values = _counted_parts(tokens, parts, articles, drop_stop, drop_punct)
    frame = pd.DataFrame({"term": counted["term"].astype(str).to_numpy(dtype=object),
                          "part": np.asarray(part_values, dtype=object)})
    cells = frame.groupby(["term", "part"], sort=False, dropna=False).size().rename("count").reset_index()
    sizes = frame.groupby("part", sort=False, dropna=False).size().rename("n").reset_index()
    return cells, sizes


def _add_dispersion_counts(items: list) -> tuple[pd.DataFrame, pd.DataFrame]:
    return (sum_tables(["term", "part"], ["count"])([c for c, _ in items]),
            sum_tables(["part"], ["n"])([s for _, s in items]))


def _dispersion_table(term_codes: np.ndarray, part_codes: np.ndarray, counts: np.ndarray, vocab: pd.Index,
                      sizes: np.ndarray, terms) -> pd.DataFrame:
    """The table of :func:`dispersion` from each (term, part) count (repeated pairs are added) and the parts'
    sizes."""
    n_parts, n_terms = len(sizes), len(vocab)
    shares = sizes / sizes.sum()
    cells = sparse.csr_matrix((counts, (term_codes, part_codes)), shape=(n_terms, n_parts))
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
