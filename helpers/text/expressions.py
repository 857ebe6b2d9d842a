"""Multi-word expressions in the token table: the strongest two-word collocations, and joining expressions into one
row each."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from helpers.association import expected_counts, log_likelihood


def strongest_collocations(tokens: pd.DataFrame, *, n: int = 20, min_count: int = 3) -> list[str]:
    """The ``n`` two-word sequences of content words most strongly associated, as space-joined terms.

    Adjacent pairs within a sentence, both words neither stopwords nor punctuation nor numbers, seen at least
    ``min_count`` times, ranked by Dunning's log-likelihood G² (Dunning 1993, Computational Linguistics 19(1)).

    >>> from helpers.text.tokenizer import tokenize
    >>> t = tokenize(pd.DataFrame({"doc_id": ["a"], "text": ["Drug trafficking rose. Drug trafficking fell. "
    ...                                                         "Drug trafficking stayed."]}))
    >>> strongest_collocations(t, n=1, min_count=2)
    ['drug trafficking']
    """
    content = ~(tokens["is_stop"].to_numpy() | tokens["is_punct"].to_numpy() | tokens["is_number"].to_numpy())
    codes = tokens["term"].cat.codes.to_numpy().astype(np.int64)
    same = ((tokens["doc_id"].cat.codes.to_numpy()[1:] == tokens["doc_id"].cat.codes.to_numpy()[:-1])
            & (tokens["sentence"].to_numpy()[1:] == tokens["sentence"].to_numpy()[:-1])
            & (tokens["position"].to_numpy()[1:] == tokens["position"].to_numpy()[:-1] + 1)
            & content[1:] & content[:-1])
    if not same.any():
        return []
    size = len(tokens["term"].cat.categories)
    pair_keys = codes[:-1][same] * size + codes[1:][same]
    keys, pair_counts = np.unique(pair_keys, return_counts=True)
    frequent = pair_counts >= min_count
    keys, pair_counts = keys[frequent], pair_counts[frequent]
    if not len(keys):
        return []
    first_counts = np.bincount(codes[:-1][same], minlength=size)
    second_counts = np.bincount(codes[1:][same], minlength=size)
    o11 = pair_counts.astype(float)
    o12 = first_counts[keys // size] - o11
    o21 = second_counts[keys % size] - o11
    # G² is symmetric in the two one-sided cells; putting them in one order gives a pair and its mirror image
    # (o12 and o21 swapped) the same G² to the bit, so the key, not rounding, decides their rank
    cells = np.stack([o11, np.minimum(o12, o21), np.maximum(o12, o21), same.sum() - o11 - o12 - o21])
    g2 = log_likelihood(cells, expected_counts(cells, 2))
    order = np.lexsort((keys, -g2))[:n]
    categories = tokens["term"].cat.categories
    return [f"{categories[keys[i] // size]} {categories[keys[i] % size]}" for i in order]


def join_expressions(tokens: pd.DataFrame, expressions: Iterable[str], *, texts: dict[str, str],
                     lowercase: bool = True) -> pd.DataFrame:
    """Join each occurrence of a multi-word expression within a sentence into one row.

    An expression is matched on the normalised terms of consecutive tokens (``"United States"`` matches
    ``united``, ``states`` after case folding). The joined row keeps the first word's ``position``, ``start`` and
    flags, ends where the last word ends, has ``token`` = the text as written and ``term`` = the words joined with
    spaces. Longer expressions win over shorter ones, and of two as long, the one given first; occurrences do not
    overlap.

    >>> from helpers.text.tokenizer import tokenize
    >>> text = "The United States and Libya. The United States signed."
    >>> from helpers.text.tokenizer import tokenize
    >>> t = tokenize(pd.DataFrame({"doc_id": ["a"], "text": [text]}))
    >>> joined = join_expressions(t, ["united states"], texts={"a": text})
    >>> joined["term"].tolist()
    ['the', 'united states', 'and', 'libya', '.', 'the', 'united states', 'signed', '.']
    """
    # Ties in length go to the expression given first (a set's order would change with each process's hash seed).
    given = dict.fromkeys(tuple((e.lower() if lowercase else e).split()) for e in expressions if len(e.split()) > 1)
    words_of = sorted(given, key=len, reverse=True)
    if not words_of or not len(tokens):
        return tokens
    categories = tokens["term"].cat.categories
    lookup = {str(term): i for i, term in enumerate(categories)}
    codes = tokens["term"].cat.codes.to_numpy()
    doc = tokens["doc_id"].cat.codes.to_numpy()
    sentence = tokens["sentence"].to_numpy()
    taken = np.zeros(len(tokens), dtype=bool)
    heads, lasts, terms = [], [], []
    for words in words_of:
        if any(w not in lookup for w in words):
            continue
        k = len(words)
        n = len(tokens) - k + 1
        if n <= 0:
            continue
        match = np.ones(n, dtype=bool)
        for offset, word in enumerate(words):
            match &= codes[offset:offset + n] == lookup[word]
            match &= doc[offset:offset + n] == doc[:n]
            match &= sentence[offset:offset + n] == sentence[:n]
        last_end = -1
        for i in np.flatnonzero(match):
            if i <= last_end or taken[i:i + k].any():
                continue
            taken[i:i + k] = True
            heads.append(i)
            lasts.append(i + k - 1)
            terms.append(" ".join(words))
            last_end = i + k - 1
    if not heads:
        return tokens
    heads, lasts = np.array(heads), np.array(lasts)
    keep = ~taken
    keep[heads] = True
    table = tokens.copy()
    end = table["end"].to_numpy().copy()
    end[heads] = end[lasts]
    table["end"] = end
    doc_ids = table["doc_id"].astype(str).to_numpy()[heads]
    starts = table["start"].to_numpy()[heads]
    written = [texts[d][s:e] for d, s, e in zip(doc_ids, starts, end[heads])]
    token = table["token"].astype(object).to_numpy().copy()
    term = table["term"].astype(object).to_numpy().copy()
    token[heads] = written
    term[heads] = terms
    table["token"] = pd.Categorical(token)
    table["term"] = pd.Categorical(term)
    for flag in ("is_stop", "is_punct", "is_number"):
        values = table[flag].to_numpy().copy()
        values[heads] = False
        table[flag] = values
    alpha = table["is_alpha"].to_numpy().copy()
    alpha[heads] = [all(part.isalpha() for part in t.split()) for t in terms]
    table["is_alpha"] = alpha
    return table.loc[keep].reset_index(drop=True)

