"""N-gram counts and collocations (bigrams, trigrams) with NLTK's association measures, vectorised.

Both work on the token table in reading order, never across article boundaries and, by default, never across
sentence boundaries (``within="document"`` allows the latter). Stopwords and punctuation stay in the running text,
so no n-gram bridges a gap; n-grams containing them are dropped afterwards (what NLTK's ``apply_word_filter`` does).
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd

from helpers import association
from helpers.frames import codes_of, in_reading_order
from helpers.scale.reduce import is_partitioned, reduce_partitions, sum_tables
from helpers.stats.selection import content_mask

RUNNING_COLUMNS = ["doc_id", "term", "is_stop", "is_punct", "sentence", "position"]  # what they read
SCORES = ["pmi", "likelihood_ratio", "t_score", "chi_sq", "dice", "log_dice"]


def ngram_columns(n: int) -> list[str]:
    """The columns of :func:`ngrams` for n-grams of ``n`` words.

    >>> ngram_columns(2)
    ['ngram', 'w1', 'w2', 'frequency', 'docfreq', 'per_10k', 'rank']
    """
    return ["ngram", *(f"w{i}" for i in range(1, n + 1)), "frequency", "docfreq", "per_10k", "rank"]


def collocation_columns(n: int) -> list[str]:
    """The columns of :func:`collocations` for ``n`` = 2 (bigrams) or 3 (trigrams).

    >>> collocation_columns(2)[:6]
    ['ngram', 'w1', 'w2', 'frequency', 'w1_freq', 'w2_freq']
    """
    words = [f"w{i}" for i in range(1, n + 1)]
    return ["ngram", *words, "frequency", *(f"{w}_freq" for w in words), *SCORES]


def _running_text(tokens: pd.DataFrame, within: str) -> tuple[np.ndarray, pd.Index, np.ndarray, np.ndarray, np.ndarray]:
    """Term codes in reading order, their labels, a segment id per token, a drop flag per token, doc codes."""
    if within not in ("sentence", "document"):
        raise ValueError(f"within={within!r} is invalid; use 'sentence' or 'document'")
    needed = ["doc_id", "term", "position"] + (["sentence"] if within == "sentence" else [])
    missing = [c for c in needed if c not in tokens.columns]
    if missing:
        raise ValueError(f"the token table has no column {missing}; build it with helpers.tokenize")
    doc, _ = codes_of(tokens["doc_id"])
    position = tokens["position"].to_numpy()
    terms, vocab = codes_of(tokens["term"])
    sentence = tokens["sentence"].to_numpy() if within == "sentence" else None
    if in_reading_order(doc, position):
        order = np.arange(len(tokens))  # the table's own order: no copy of its columns
    else:
        order = np.lexsort((position, doc))
        terms, doc = terms[order], doc[order]
        sentence = sentence[order] if sentence is not None else None
    segment_keys = [doc] + ([sentence] if sentence is not None else [])
    changed = np.zeros(len(terms), dtype=bool)
    for key in segment_keys:
        changed[1:] |= key[1:] != key[:-1]
    segment = np.cumsum(changed)
    return terms, vocab, segment, order, doc


def _dropped(tokens: pd.DataFrame, order: np.ndarray, drop_stop: bool, drop_punct: bool) -> np.ndarray:
    return ~content_mask(tokens, drop_stop=drop_stop, drop_punct=drop_punct)[order]


def _count(columns: list[np.ndarray], size: int) -> tuple[np.ndarray, np.ndarray]:
    """Unique rows of integer code columns (as one int64 key) and their counts."""
    return np.unique(_count_key(columns, size), return_counts=True)


def _split_key(key: np.ndarray, size: int, n: int) -> list[np.ndarray]:
    parts = []
    for _ in range(n):
        parts.append(key % size)
        key = key // size
    return parts[::-1]


def ngrams(tokens: pd.DataFrame, *, n: int = 2, min_freq: int = 1, drop_stop: bool = True, drop_punct: bool = True,
           within: str = "sentence") -> pd.DataFrame:
    """Counts of the n-grams (runs of ``n`` adjacent tokens) in the token table.

    An n-gram never crosses an article (nor, by default, a sentence) boundary; those containing a stopword or
    punctuation are dropped (``drop_stop``/``drop_punct``), and those seen fewer than ``min_freq`` times.

    Columns: ``ngram`` (terms joined by a space), ``w1``, ``w2`` … ``wn``, ``frequency``, ``docfreq`` (articles),
    ``per_10k`` (per 10,000 n-grams kept), ``rank`` (1 = most frequent, ties share the lowest rank).

    >>> t = pd.DataFrame({"doc_id": "a", "sentence": 0, "position": range(5),
    ...                   "term": ["drug", "trafficking", "and", "drug", "trafficking"],
    ...                   "is_stop": [False, False, True, False, False], "is_punct": False})
    >>> ngrams(t)[["ngram", "frequency"]].values.tolist()
    [['drug trafficking', 2]]
    """
    if n < 1:
        raise ValueError(f"n must be at least 1, not {n}")
    count = functools.partial(ngram_counts, n=n, drop_stop=drop_stop, drop_punct=drop_punct, within=within)
    finish = functools.partial(finish_ngrams, n=n, min_freq=min_freq)
    if is_partitioned(tokens):  # n-grams never cross an article, and an article lies in one partition
        words = [f"w{i + 1}" for i in range(n)]
        return reduce_partitions(tokens, count, sum_tables(["ngram", *words], ["frequency", "docfreq"]),
                                 finish=finish, step="ngrams", columns=RUNNING_COLUMNS,
                                 settings={"n": n, "drop_stop": drop_stop, "drop_punct": drop_punct, "within": within})
    return finish(count(tokens))


def ngram_counts(tokens: pd.DataFrame, *, n: int, drop_stop: bool, drop_punct: bool, within: str) -> pd.DataFrame:
    """The additive part of :func:`ngrams`: ``ngram, w1 … wn, frequency, docfreq`` of every n-gram kept.

    >>> t = pd.DataFrame({"doc_id": "a", "sentence": 0, "position": range(2), "term": ["drug", "deal"],
    ...                   "is_stop": False, "is_punct": False})
    >>> ngram_counts(t, n=2, drop_stop=True, drop_punct=True, within="sentence").values.tolist()
    [['drug deal', 'drug', 'deal', 1, 1]]
    """
    terms, vocab, segment, order, doc = _running_text(tokens, within)
    drop = _dropped(tokens, order, drop_stop, drop_punct)
    starts = np.flatnonzero(segment[: len(segment) - n + 1] == segment[n - 1:]) if len(segment) >= n \
        else np.array([], dtype=np.int64)
    keep = np.ones(len(starts), dtype=bool)
    for k in range(n):
        keep &= ~drop[starts + k]
    starts = starts[keep]
    size = max(len(vocab), 1)
    columns = [terms[starts + k] for k in range(n)]
    keys, counts = _count(columns, size)
    n_docs = int(doc.max()) + 1 if len(doc) else 1
    in_docs = np.unique(np.searchsorted(keys, _count_key(columns, size)) * n_docs + doc[starts])
    docfreq = np.bincount(in_docs // n_docs, minlength=len(keys))
    table = _ngram_frame(keys, size, n, vocab)
    table["frequency"] = counts
    table["docfreq"] = docfreq
    return table


def finish_ngrams(table: pd.DataFrame, *, n: int, min_freq: int) -> pd.DataFrame:
    """The last step of :func:`ngrams` on the counts of :func:`ngram_counts` (of one table, or added up)."""
    table = table[table["frequency"] >= min_freq]
    table["per_10k"] = 10_000 * table["frequency"] / max(table["frequency"].sum(), 1)
    table["rank"] = table["frequency"].rank(method="min", ascending=False).astype(int)
    return table.sort_values(["rank", "ngram"]).reset_index(drop=True)[ngram_columns(n)]


def _count_key(columns: list[np.ndarray], size: int) -> np.ndarray:
    key = np.zeros(len(columns[0]), dtype=np.int64)
    for column in columns:
        key = key * size + column
    return key


def _ngram_frame(keys: np.ndarray, size: int, n: int, vocab: pd.Index) -> pd.DataFrame:
    words = [pd.array(vocab.take(part), dtype="str") for part in _split_key(keys, size, n)]
    frame = pd.DataFrame({f"w{i + 1}": w for i, w in enumerate(words)})
    joined = frame["w1"]
    for i in range(2, n + 1):
        joined = joined + " " + frame[f"w{i}"]
    frame.insert(0, "ngram", joined)
    return frame


def _lookup(keys: np.ndarray, counts: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    at = np.searchsorted(keys, wanted)
    at = np.clip(at, 0, max(len(keys) - 1, 0))
    found = keys[at] == wanted if len(keys) else np.zeros(len(wanted), dtype=bool)
    return np.where(found, counts[at] if len(keys) else 0, 0)


def collocations(tokens: pd.DataFrame, *, n: int = 2, window: int | None = None, min_freq: int = 1,
                 drop_stop: bool = True, drop_punct: bool = True, within: str = "sentence",
                 sort_by: str = "likelihood_ratio") -> pd.DataFrame:
    """Bigram (``n=2``) or trigram (``n=3``) collocations scored as NLTK's ``BigramAssocMeasures`` /
    ``TrigramAssocMeasures`` score them with a ``BigramCollocationFinder`` / ``TrigramCollocationFinder``.

    Counts: N = tokens in the running text (stopwords and punctuation included, as NLTK counts words);
    f(w) = occurrences of w; for bigrams ``frequency`` = times w2 follows w1 within ``window`` tokens
    (``window=2``: adjacent) and o = frequency / (window − 1) the observed count NLTK scores. With the 2×2 table
    o11 = o, o12 = f(w1) − o, o21 = f(w2) − o, o22 = N − o11 − o12 − o21 and e_ij = row_i · col_j / N:

    - ``pmi`` = log2(o · N / (f(w1) f(w2))) (Church & Hanks 1990);
    - ``likelihood_ratio`` = 2 Σ o_ij ln(o_ij / e_ij) (Dunning 1993);
    - ``t_score`` = (o − f(w1) f(w2) / N) / √o (Church et al. 1991; Manning & Schütze 1999 §5.3.1);
    - ``chi_sq`` = N (o11 o22 − o12 o21)² / ((o11 + o12)(o11 + o21)(o12 + o22)(o21 + o22)) (Manning & Schütze §5.3.3);
    - ``dice`` = 2 o / (f(w1) + f(w2)); ``log_dice`` = 14 + log2(dice) (Rychlý 2008, *RASLAN*).

    Trigrams (window 3 only) use the 2×2×2 table from f(w1 w2), f(w1 _ w3), f(w2 w3) and the three word counts,
    with N² in place of N in pmi and t-score, exactly as NLTK; Dice is defined for bigrams only (NaN for trigrams).
    N-grams with a stopword or punctuation (``drop_stop``/``drop_punct``) or a ``frequency`` below ``min_freq``
    are dropped after counting, as NLTK's ``apply_word_filter`` and ``apply_freq_filter`` do.

    Columns: ``ngram, w1, w2[, w3], frequency, w1_freq, w2_freq[, w3_freq], pmi, likelihood_ratio, t_score, chi_sq,
    dice, log_dice``, sorted by ``sort_by`` (descending).

    >>> t = pd.DataFrame({"doc_id": "a", "sentence": 0, "position": range(6),
    ...                   "term": ["drug", "trafficking", "drug", "trafficking", "in", "libya"],
    ...                   "is_stop": False, "is_punct": False})
    >>> collocations(t)[["ngram", "frequency", "pmi"]].round(3).values.tolist()[0]
    ['drug trafficking', 2, 1.585]
    """
    window = _check_options(n, window, sort_by)
    if is_partitioned(tokens):  # counts summed over the partitions, scored once on the sums
        return partitioned_collocations(tokens, n=n, window=window, min_freq=min_freq, drop_stop=drop_stop,
                                        drop_punct=drop_punct, within=within, sort_by=sort_by)
    terms, vocab, segment, order, _ = _running_text(tokens, within)
    drop = _dropped(tokens, order, drop_stop, drop_punct)
    size = max(len(vocab), 1)
    word_freq = np.bincount(terms, minlength=len(vocab)).astype(float)
    total = float(len(terms))
    if n == 2:
        keys, counts = _pair_counts(terms, segment, range(1, window), size, drop)
        table = _ngram_frame(keys, size, 2, vocab)
        table["frequency"] = counts
        table = table[table["frequency"] >= min_freq].reset_index(drop=True)
        w1, w2 = (vocab.get_indexer(table[c]) for c in ("w1", "w2"))
        table = _scored(table, total, [word_freq[w1], word_freq[w2]], window)
    else:
        # Only pairs of terms a kept trigram can hold are looked up: count those (all their tokens, as before).
        content_terms = np.zeros(size, dtype=bool)
        content_terms[terms[~drop]] = True
        bigram_keys, bigram_counts = _pair_counts(terms, segment, [1], size, ~content_terms[terms])
        skip_keys, skip_counts = _pair_counts(terms, segment, [2], size, ~content_terms[terms])
        keys, counts = _trigram_counts(terms, segment, size, drop)
        table = _ngram_frame(keys, size, 3, vocab)
        table["frequency"] = counts
        table = table[table["frequency"] >= min_freq].reset_index(drop=True)
        w1, w2, w3 = (vocab.get_indexer(table[c]) for c in ("w1", "w2", "w3"))
        pairs = [_lookup(bigram_keys, bigram_counts, w1 * size + w2), _lookup(skip_keys, skip_counts, w1 * size + w3),
                 _lookup(bigram_keys, bigram_counts, w2 * size + w3)]
        table = _scored(table, total, [word_freq[w1], word_freq[w2], word_freq[w3]], window, pairs)
    return table.sort_values([sort_by, "ngram"], ascending=[False, True]).reset_index(drop=True)[collocation_columns(n)]


def _check_options(n: int, window: int | None, sort_by: str) -> int:
    """The window (default: ``n``), after checking the options of :func:`collocations`."""
    if n not in (2, 3):
        raise ValueError(f"collocations are bigrams (n=2) or trigrams (n=3), not n={n}")
    window = window or n
    if window < n or (n == 3 and window != 3):
        raise ValueError(f"window={window} is invalid for n={n}: bigrams need window >= 2, trigrams window = 3")
    if sort_by not in SCORES + ["frequency"]:
        raise ValueError(f"sort_by={sort_by!r} is invalid; use one of {SCORES + ['frequency']}")
    return window


def _pair_counts(terms: np.ndarray, segment: np.ndarray, distances, size: int, drop: np.ndarray | None = None):
    """Counts of (term, the term ``k`` tokens later in the same segment) over the ``distances`` k, keyed as
    :func:`_count` keys them; pairs touching a ``drop``ped token are not counted."""
    keys = []
    for k in distances:
        if k >= len(terms):
            continue
        pair = segment[:-k] == segment[k:]
        if drop is not None:  # masks over the tokens, then one gather of the pairs kept
            pair &= ~(drop[:-k] | drop[k:])
        first = np.flatnonzero(pair)
        keys.append(_count_key([terms[first], terms[first + k]], size))
    return np.unique(np.concatenate(keys) if keys else np.array([], dtype=np.int64), return_counts=True)


def _trigram_counts(terms: np.ndarray, segment: np.ndarray, size: int, drop: np.ndarray):
    """Counts of three consecutive terms of a segment, none of them ``drop``ped, keyed as :func:`_count` keys them."""
    if len(terms) < 3:
        return _count([terms[:0]] * 3, size)
    kept = (segment[:-2] == segment[2:]) & ~(drop[:-2] | drop[1:-1] | drop[2:])
    j1 = np.flatnonzero(kept)
    return _count([terms[j1], terms[j1 + 1], terms[j1 + 2]], size)


def _scored(table: pd.DataFrame, total: float, word_freqs: list[np.ndarray], window: int,
            pair_freqs: list[np.ndarray] | None = None) -> pd.DataFrame:
    """``table`` (``ngram, w1 … wn, frequency``) with the word frequencies and the association scores of
    :func:`collocations`, from the counts alone: the pandas and the partitioned (helpers.scale) paths share it, so
    their scores are equal. ``pair_freqs`` (trigrams): f(w1 w2), f(w1 _ w3), f(w2 w3)."""
    table = table.copy()
    if len(word_freqs) == 2:
        f1, f2 = (np.asarray(f, dtype=float) for f in word_freqs)
        o = table["frequency"].to_numpy(dtype=float) / (window - 1)
        cont = np.vstack([o, f2 - o, f1 - o, total - f1 - f2 + o])
        table["w1_freq"], table["w2_freq"] = f1.astype(np.int64), f2.astype(np.int64)
        table["pmi"] = association.pmi(o, f1 * f2, total, nltk=True)
        table["likelihood_ratio"] = association.log_likelihood(cont, association.expected_counts(cont, 2),
                                                               guard=association.NLTK_GUARD)
        table["t_score"] = association.t_score(o, f1 * f2 / total)
        table["chi_sq"] = association.chi_squared_2x2(o, f2 - o, f1, total - f1)
        table["dice"] = association.dice(o, f1, f2)
        table["log_dice"] = association.log_dice(o, f1, f2)
        return table
    f1, f2, f3 = (np.asarray(f, dtype=float) for f in word_freqs)
    n_iix, n_ixi, n_xii = (np.asarray(f, dtype=float) for f in pair_freqs)
    o = table["frequency"].to_numpy(dtype=float)
    n_oii, n_ioi, n_iio = n_xii - o, n_ixi - o, n_iix - o
    n_ooi = f3 - o - n_oii - n_ioi
    n_oio = f2 - o - n_oii - n_iio
    n_ioo = f1 - o - n_ioi - n_iio
    n_ooo = total - o - n_oii - n_ioi - n_iio - n_ooi - n_oio - n_ioo
    cont = np.vstack([o, n_oii, n_ioi, n_ooi, n_iio, n_oio, n_ioo, n_ooo])
    expected = association.expected_counts(cont, 3)
    table["w1_freq"], table["w2_freq"], table["w3_freq"] = (f.astype(np.int64) for f in (f1, f2, f3))
    table["pmi"] = association.pmi(o, f1 * f2 * f3, total ** 2, nltk=True)
    table["likelihood_ratio"] = association.log_likelihood(cont, expected, guard=association.NLTK_GUARD)
    table["t_score"] = association.t_score(o, f1 * f2 * f3 / total ** 2)
    table["chi_sq"] = association.chi_squared(cont, expected)
    table["dice"] = np.nan
    table["log_dice"] = np.nan
    return table


def collocation_counts(tokens: pd.DataFrame, *, n: int, window: int, drop_stop: bool, drop_punct: bool,
                       within: str) -> dict:
    """The additive part of :func:`collocations` for one token table (or partition): ``total`` (tokens),
    ``words`` (``term, frequency``, every token), ``grams`` (``ngram, w1 … wn, frequency``, the n-grams kept) and,
    for trigrams, ``bigrams`` and ``skips`` (``w1, w2, frequency``: adjacent terms, and terms two apart).

    >>> t = pd.DataFrame({"doc_id": "a", "sentence": 0, "position": range(3), "term": ["drug", "trade", "fell"],
    ...                   "is_stop": False, "is_punct": False})
    >>> counts = collocation_counts(t, n=2, window=2, drop_stop=True, drop_punct=True, within="sentence")
    >>> counts["grams"][["ngram", "frequency"]].values.tolist()
    [['drug trade', 1], ['trade fell', 1]]
    """
    terms, vocab, segment, order, _ = _running_text(tokens, within)
    drop = _dropped(tokens, order, drop_stop, drop_punct)
    size = max(len(vocab), 1)
    counted = np.bincount(terms, minlength=len(vocab))
    words = pd.DataFrame({"term": pd.array(np.asarray(vocab, dtype=object), dtype="str"), "frequency": counted})
    parts = {"total": len(terms), "words": words[words["frequency"] > 0]}

    def frame(keys_counts, k):
        keys, counts = keys_counts
        return _ngram_frame(keys, size, k, vocab).assign(frequency=counts)

    if n == 2:
        parts["grams"] = frame(_pair_counts(terms, segment, range(1, window), size, drop), 2)
    else:
        parts["grams"] = frame(_trigram_counts(terms, segment, size, drop), 3)
        parts["bigrams"] = frame(_pair_counts(terms, segment, [1], size), 2).drop(columns="ngram")
        parts["skips"] = frame(_pair_counts(terms, segment, [2], size), 2).drop(columns="ngram")
    return parts


def partitioned_collocations(tokens, *, n: int, window: int, min_freq: int, drop_stop: bool, drop_punct: bool,
                             within: str, sort_by: str) -> pd.DataFrame:
    """:func:`collocations` of a token table in partitions: the counts of :func:`collocation_counts` summed, then
    ``min_freq`` applied and the scores computed once by :func:`_scored`, as on one table."""
    words = [f"w{i + 1}" for i in range(n)]
    tables = {"words": ["term"], "grams": ["ngram", *words]} | ({"bigrams": ["w1", "w2"], "skips": ["w1", "w2"]}
                                                                if n == 3 else {})

    def combine(items: list[dict]) -> dict:
        return {"total": sum(item["total"] for item in items),
                **{name: sum_tables(keys, ["frequency"])([item[name] for item in items])
                   for name, keys in tables.items()}}

    count = functools.partial(collocation_counts, n=n, window=window, drop_stop=drop_stop, drop_punct=drop_punct,
                              within=within)
    counts = reduce_partitions(tokens, count, combine, step="collocations", columns=RUNNING_COLUMNS, settings={
        "n": n, "window": window, "drop_stop": drop_stop, "drop_punct": drop_punct, "within": within})
    word_freq = counts["words"].set_index("term")["frequency"]
    table = counts["grams"].astype({**{c: "str" for c in ["ngram", *words]}, "frequency": "int64"})
    table = table[table["frequency"] >= min_freq].reset_index(drop=True)
    freqs = [word_freq.reindex(table[w]).to_numpy(dtype=float) for w in words]
    pairs = None
    if n == 3:
        def pair_freq(name, a, b):
            found = counts[name].set_index(["w1", "w2"])["frequency"]
            return found.reindex(pd.MultiIndex.from_arrays([table[a], table[b]])).fillna(0).to_numpy(dtype=float)

        pairs = [pair_freq("bigrams", "w1", "w2"), pair_freq("skips", "w1", "w3"), pair_freq("bigrams", "w2", "w3")]
    table = _scored(table, float(counts["total"]), freqs, window, pairs)
    return table.sort_values([sort_by, "ngram"], ascending=[False, True]).reset_index(drop=True)[collocation_columns(n)]
