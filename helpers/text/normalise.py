"""The vocabulary table: each distinct token's ``term`` (quotes folded, case, acronyms, contracted stems, stems,
lemmas) and its flags (``is_stop``, ``is_punct``, ``is_alpha``, ``is_number``), computed once per type."""

from __future__ import annotations

import functools
import re

import numpy as np
import pandas as pd

_NUMBER = re.compile(r"[+-]?(?:\d[\d,.:/]*|[.,]\d[\d,.:/]*)(?:st|nd|rd|th|s|%)?")
_UPPER = re.compile(r"[^\W\d_]")
_ALPHANUMERIC = re.compile(r"[^\W_]")  # str.isalnum, character by character
# Typographic quotes and apostrophes count as the plain ones: ``Libya’s`` and ``Libya's`` give the same terms.
QUOTE_FOLDING = str.maketrans({"’": "'", "‘": "'", "‚": "'", "‛": "'", "′": "'", "“": '"', "”": '"',
                               "„": '"', "‟": '"', "″": '"', "«": '"', "»": '"'})
# Clitics are words of their own (Treebank style) but grammar, not content: always stopwords for counting.
CLITICS = frozenset({"'s", "'m", "'d", "'ll", "'re", "'ve", "n't"})
# What Treebank rules leave before n't: can't -> ca n't, won't -> wo n't, shan't -> sha n't, ain't -> ai n't. Counted
# as the words they are, so they are stopwords like them and never a key term of their own (a reference corpus such
# as Brown keeps "can't" whole, which made "ca" and "wo" key for any text with contractions).
CONTRACTED_STEMS = {"ca": "can", "wo": "will", "sha": "shall", "ai": "is"}


def _is_acronym(token: str) -> bool:
    letters = _UPPER.findall(token)
    upper = sum(ch.isupper() for ch in letters)
    return upper >= 2 and upper * 2 >= len(letters) + 1


@functools.cache
def _stemmer(name: str):
    from nltk.stem import PorterStemmer, SnowballStemmer

    if name == "snowball":
        return SnowballStemmer("english").stem
    if name == "porter":
        return PorterStemmer().stem
    raise ValueError(f"stem={name!r}: use None, 'snowball' or 'porter'")


@functools.cache
def _lemmatizer():
    from nltk.stem import WordNetLemmatizer

    return WordNetLemmatizer().lemmatize


def vocabulary_table(tokens: pd.Index, *, lowercase: bool, keep_acronyms: bool, stem: str | None,
                      lemmatize: bool, stops: frozenset) -> pd.DataFrame:
    """Term and flags for each distinct token (computed once per type, then broadcast to the rows).

    >>> table = vocabulary_table(pd.Index(["The", "DEA", "’s"]), lowercase=True, keep_acronyms=True, stem=None,
    ...                          lemmatize=False, stops=frozenset({"the"}))
    >>> table[["term", "is_stop"]].values.tolist()
    [['the', True], ['DEA', False], ["'s", True]]
    """
    words = tokens.tolist()
    folded = [w.translate(QUOTE_FOLDING) for w in words]
    lowered = [w.lower() for w in folded]
    lowered = [CONTRACTED_STEMS.get(low, low) if w.islower() or (w.istitle() and w != "Ai") else low
               for w, low in zip(words, lowered)]  # "CA" (California) and "Ai" (Ai Weiwei) stay names
    clitic = [low in CLITICS for low in lowered]
    acronym = [_is_acronym(w) and not c for w, c in zip(words, clitic)] if keep_acronyms else [False] * len(words)
    terms = [w if a else low for w, low, a in zip(folded, lowered, acronym)] if lowercase else folded
    is_alpha = [w.isalpha() for w in words]
    if lemmatize:
        lemma = _lemmatizer()
        terms = [lemma(t) if alpha and not a else t for t, alpha, a in zip(terms, is_alpha, acronym)]
    if stem:
        stemmer = _stemmer(stem)
        terms = [stemmer(t) if alpha and not a else t for t, alpha, a in zip(terms, is_alpha, acronym)]
    # bool dtypes even without tokens (a chunk of empty articles): the flags are inverted and combined
    return pd.DataFrame({
        "term": terms,
        "is_stop": np.array([c or (not a and low in stops) for low, a, c in zip(lowered, acronym, clitic)],
                            dtype=bool),
        "is_punct": np.array([_ALPHANUMERIC.search(w) is None for w in words], dtype=bool),
        "is_alpha": np.array(is_alpha, dtype=bool),
        "is_number": np.array([_NUMBER.fullmatch(w) is not None for w in words], dtype=bool),
    })

