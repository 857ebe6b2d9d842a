"""External reference frequency lists for keyness: a CSV of ``term,count``, a DataFrame, or an NLTK corpus."""

from __future__ import annotations

import functools
import os
from pathlib import Path

import pandas as pd

NLTK_CORPORA = ("brown", "state_union", "inaugural")


def _filter_terms(table: pd.DataFrame, *, drop_stop: bool, drop_punct: bool) -> pd.DataFrame:
    from helpers.text.stopwords import stopword_list

    keep = pd.Series(True, index=table.index)
    if drop_stop:
        keep &= ~table["term"].isin(stopword_list())
    if drop_punct:  # the token table's rule: punctuation is a token without a letter or digit
        keep &= table["term"].map(lambda term: any(ch.isalnum() for ch in term)).astype(bool)
    return table.loc[keep]


def _nltk_corpus_counts(name: str) -> pd.DataFrame:
    from helpers.resources import has_resource

    if not has_resource(name):
        raise ValueError(f"the NLTK corpus {name!r} is not available here (python -m helpers nltk-data fetches it "
                         "when online); use a group of your corpus or a CSV frequency list as the reference")
    return _read_nltk_corpus(name)


@functools.cache
def _read_nltk_corpus(name: str) -> pd.DataFrame:
    """Term counts of an NLTK corpus, cached in the kit's cache folder (reading Brown takes seconds)."""
    from helpers.settings import CACHE_DIR
    from helpers.resources import find_resource

    cached = CACHE_DIR / f"reference-{name}.csv"
    source = Path(find_resource(name))
    while not source.exists() and source != source.parent:  # inside a zip: date the zip file
        source = source.parent
    if cached.exists() and cached.stat().st_mtime >= source.stat().st_mtime:
        return pd.read_csv(cached, keep_default_na=False, dtype={"term": "str"})
    table = _count_nltk_corpus(name)
    try:
        CACHE_DIR.mkdir(parents=True, exist_ok=True)
        table.to_csv(cached, index=False)
    except OSError:
        pass  # a read-only checkout still works, only without the cache
    return table


def _count_nltk_corpus(name: str) -> pd.DataFrame:
    import nltk

    corpus = getattr(nltk.corpus, name)
    if name == "brown":
        # Brown's files are "word/TAG" pairs: splitting the raw text is what words() does, at twice the speed.
        pairs = pd.Series(" ".join(corpus.raw(f) for f in corpus.fileids()).split(), dtype="str")
        words = pairs.str.rsplit("/", n=1).str[0].str.lower()
    else:
        words = pd.Series(corpus.words(), dtype="str").str.lower()
    counts = words.value_counts()
    return pd.DataFrame({"term": counts.index.astype(str), "frequency": counts.to_numpy()})


def reference_frequencies(source, *, drop_stop: bool = True, drop_punct: bool = True) -> pd.DataFrame:
    """An external reference frequency list as ``term, frequency`` (lower-cased terms, counts summed).

    ``source`` is a CSV path (columns ``term`` and ``count``/``frequency``/``freq``/``n``, else its first two
    columns), a DataFrame of the same shape, or the name of an NLTK corpus (``"brown"``, ``"state_union"``,
    ``"inaugural"``; ``"nltk:brown"`` also works). Stopwords and punctuation are dropped as in the token table
    so that the reference total counts the same kind of tokens as the target's.

    >>> ref = pd.DataFrame({"term": ["Drug", "drug", "the"], "count": [2, 1, 9]})
    >>> reference_frequencies(ref).values.tolist()
    [['drug', 3]]
    """
    if isinstance(source, str) and source.removeprefix("nltk:") in NLTK_CORPORA and not os.path.exists(source):
        table = _nltk_corpus_counts(source.removeprefix("nltk:"))
    elif isinstance(source, pd.DataFrame):
        table = source
    elif isinstance(source, (str, os.PathLike)):
        path = Path(source)
        if not path.is_file():
            raise ValueError(f"reference {str(source)!r} is neither a file nor an NLTK corpus name {NLTK_CORPORA}")
        table = pd.read_csv(path, keep_default_na=False)
    else:
        raise TypeError(f"a reference frequency list must be a CSV path, a DataFrame or an NLTK corpus name, "
                        f"not {type(source).__name__}")
    lowered = {str(c).lower(): c for c in table.columns}
    term_column = lowered.get("term", table.columns[0])
    count_column = next((lowered[c] for c in ("count", "frequency", "freq", "n") if c in lowered),
                        table.columns[1] if len(table.columns) > 1 else None)
    if count_column is None or count_column == term_column:
        raise ValueError("a reference frequency list needs a term column and a count column; "
                         f"it has {list(table.columns)}")
    counts = pd.to_numeric(table[count_column], errors="coerce")
    if counts.isna().any() or (counts < 0).any():
        bad = table.loc[counts.isna() | (counts < 0), term_column].head(3).tolist()
        raise ValueError(f"reference counts must be non-negative numbers; bad rows for terms {bad}")
    table = pd.DataFrame({"term": table[term_column].astype(str).str.lower(), "frequency": counts.to_numpy()})
    table = table.groupby("term", as_index=False, sort=False)["frequency"].sum()
    table = _filter_terms(table, drop_stop=drop_stop, drop_punct=drop_punct)
    return table[table["frequency"] > 0].reset_index(drop=True)


def is_frequency_list(reference) -> bool:
    if isinstance(reference, pd.DataFrame):
        return True
    if isinstance(reference, os.PathLike):
        return True
    return isinstance(reference, str) and (reference.removeprefix("nltk:") in NLTK_CORPORA
                                           or reference.lower().endswith((".csv", ".tsv"))
                                           or os.path.isfile(reference))
