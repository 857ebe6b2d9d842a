"""Training Punkt on the articles: the statistics NLTK's ``PunktTrainer`` gathers token by token (type counts,
abbreviation scores, orthographic contexts, sentence starters, collocations), gathered per distinct token and with
numpy over the token sequence, so no Python object is built per token. :func:`train_parameters` gives the
``PunktParameters`` that ``PunktTrainer().train(text)`` gives (``tests/test_sentence_training.py`` compares them on
several corpora), about five times faster than NLTK's trainer. What is trained on is :mod:`helpers.text.sentences`.

Reference: Kiss, T. & Strunk, J. (2006). Unsupervised multilingual sentence boundary detection.
Computational Linguistics 32(4), 485-525.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np
import pandas as pd

from helpers.text.sentence_boundaries import punkt_patterns

MAX_TRAINING_CHARS = 500_000
_NLTK_NAMES = ("punkt", "PunktParameters", "PunktTrainer", "_NUMERIC", "_ELLIPSIS", "_INITIAL", "_ALPHA", "_NON_PUNCT",
               "_SENT_END", "_INTERNAL_PUNCTUATION", "_ORTHO_FLAGS")


def _unguarded(pattern):
    """NLTK's pattern run by the regex module directly, not through NLTK's ReDoS guard (a timeout wrapper around
    the same engine): Punkt's own patterns are linear, so the guard has nothing to catch."""
    return getattr(pattern, "_rx", pattern)


# The context a token leaves for the next one (_get_orthography_data), and Punkt's flag per (context, case).
_INTERNAL, _INITIAL_CONTEXT, _UNKNOWN = 0, 1, 2
_LOWER, _UPPER, _NO_CASE = 0, 1, 2


def _load_punkt() -> None:
    """Bind NLTK's Punkt names of this module when training first needs them (a kernel that reads its tokens from
    the cache trains nothing, and importing NLTK would cost it ~1 s)."""
    global punkt, PunktParameters, PunktTrainer, _NUMERIC, _ELLIPSIS, _INITIAL, _ALPHA, _NON_PUNCT, _SENT_END
    global _INTERNAL_PUNCTUATION, _ORTHO_FLAGS
    if "_ORTHO_FLAGS" in globals():
        return
    from nltk.tokenize import punkt
    from nltk.tokenize.punkt import PunktLanguageVars, PunktParameters, PunktToken, PunktTrainer

    lang = PunktLanguageVars()
    _NUMERIC = _unguarded(PunktToken._RE_NUMERIC)
    _ELLIPSIS = _unguarded(PunktToken._RE_ELLIPSIS)
    _INITIAL = _unguarded(PunktToken._RE_INITIAL)
    _ALPHA = _unguarded(PunktToken._RE_ALPHA)
    _NON_PUNCT = _unguarded(punkt._re_non_punct)
    _SENT_END = frozenset(lang.sent_end_chars)
    _INTERNAL_PUNCTUATION = lang.internal_punctuation
    flags = np.zeros((3, 3), dtype=np.int64)
    for (context, case), flag in punkt._ORTHO_MAP.items():
        flags[{"internal": 0, "initial": 1, "unknown": 2}[context], {"lower": 0, "upper": 1}[case]] = flag
    _ORTHO_FLAGS = flags


def __getattr__(name: str):
    if name in _NLTK_NAMES:
        _load_punkt()
        return globals()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _punkt_tokens(text: str) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Punkt's word tokens of ``text`` line by line (``PunktBaseClass._tokenize_words``): the tokens and, per
    token, whether it opens a line and whether it opens a paragraph (a blank line before its line)."""
    tokens: list[str] = []
    line_starts: list[int] = []
    para_starts: list[int] = []
    after_blank = False
    findall = punkt_patterns()[0].findall  # Punkt's word pattern, for the standard engine (faster, same tokens)
    for line in text.split("\n"):
        if not line.strip():
            after_blank = True
            continue
        found = findall(line)
        if not found:
            continue
        if after_blank:
            para_starts.append(len(tokens))
        after_blank = False
        line_starts.append(len(tokens))
        tokens += found
    linestart = np.zeros(len(tokens), dtype=bool)
    linestart[line_starts] = True
    parastart = np.zeros(len(tokens), dtype=bool)
    parastart[para_starts] = True
    return tokens, linestart, parastart


def _abbreviation_types(counts: dict[str, int], n_period_tokens: int, n_tokens: int) -> set[str]:
    """``_reclassify_abbrev_types`` over every type, as training from scratch applies it."""
    abbreviations: set[str] = set()
    types: set[str] = set()
    for typ in counts:  # added one by one, as NLTK builds its set of types: the same order of iteration
        types.add(typ)
    for typ in types:
        if typ.endswith("."):
            if typ in abbreviations or not _NON_PUNCT.search(typ) or typ == "##number##":
                continue
            typ, is_add = typ[:-1], True
        else:
            if typ not in abbreviations or not _NON_PUNCT.search(typ) or typ == "##number##":
                continue
            is_add = False
        periods = typ.count(".") + 1
        non_periods = len(typ) - periods + 1
        with_period, without_period = counts.get(typ + ".", 0), counts.get(typ, 0)
        log_likelihood = PunktTrainer._dunning_log_likelihood(with_period + without_period, n_period_tokens,
                                                              with_period, n_tokens)
        penalty = int(PunktTrainer.IGNORE_ABBREV_PENALTY) or math.pow(non_periods, -without_period)
        score = log_likelihood * math.exp(-non_periods) * periods * penalty
        if score >= PunktTrainer.ABBREV:
            if is_add:
                abbreviations.add(typ)
        elif not is_add:
            abbreviations.remove(typ)
    return abbreviations


def _distinct_token_table(distinct: list[str], types: list[str], abbreviations: set[str]) -> dict[str, np.ndarray]:
    """What Punkt's first pass and its token properties say about each distinct token (``types``: each one's type),
    as arrays indexed by the token's code. Only a token ending in an end mark can break a sentence, be an
    abbreviation, an ellipsis or an initial, or have a type ending in a period: those few are read one by one."""
    n = len(distinct)
    table = {"type": np.array(types, dtype=object)}
    table["no_period"], table["no_sentperiod"] = table["type"].copy(), table["type"].copy()
    for name in ("sentbreak", "abbr", "ellipsis"):
        table[name] = np.zeros(n, dtype=bool)
    table["case"] = np.fromiter((_LOWER if t[0].islower() else _UPPER if t[0].isupper() else _NO_CASE
                                 for t in distinct), dtype=np.int64, count=n)
    table["number_or_initial"] = np.fromiter((t.startswith("##number##") for t in types), dtype=bool, count=n)
    for i in [i for i, tok in enumerate(distinct) if tok[-1] in _SENT_END]:
        tok, typ = distinct[i], types[i]
        period_final = tok.endswith(".")
        if tok in _SENT_END:
            table["sentbreak"][i] = True
        elif period_final and len(tok) > 1 and not tok.strip("."):  # _RE_ELLIPSIS: two or more periods only
            table["ellipsis"][i] = True
        elif period_final and not tok.endswith(".."):
            stem = tok[:-1].lower()
            table["abbr"][i] = stem in abbreviations or stem.split("-")[-1] in abbreviations
            table["sentbreak"][i] = not table["abbr"][i]
        no_period = typ[:-1] if len(typ) > 1 and typ[-1] == "." else typ
        table["no_period"][i] = no_period
        table["no_sentperiod"][i] = no_period if table["sentbreak"][i] else typ
        # _RE_INITIAL (a letter and a period) can only match a token of two characters ending in a period.
        table["number_or_initial"][i] |= len(tok) == 2 and period_final and _INITIAL.match(tok) is not None
    return table


def _where_true(test, strings: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """``test`` of the strings of the given codes (the others False): the properties asked of a few tokens only."""
    result = np.zeros(len(strings), dtype=bool)
    wanted = np.unique(codes)
    result[wanted] = [test(string) is not None for string in strings[wanted].tolist()]
    return result


def _orthographic_context(table: dict, codes: np.ndarray, linestart: np.ndarray,
                          parastart: np.ndarray) -> dict[str, int]:
    """``_get_orthography_data``: the context of each token follows from the token before it and where its line
    stands, so every token's flag is found at once and the flags are or-ed per type."""
    sentbreak, number_or_initial = table["sentbreak"], table["number_or_initial"]
    leaves = np.where(sentbreak, np.where(number_or_initial, _UNKNOWN, _INITIAL_CONTEXT),
                      np.where(table["ellipsis"] | table["abbr"], _UNKNOWN, _INTERNAL))
    context = np.empty(len(codes), dtype=np.int64)
    context[:1] = _INTERNAL
    context[1:] = leaves[codes[:-1]]
    context[parastart & (context != _UNKNOWN)] = _INITIAL_CONTEXT
    context[linestart & (context == _INTERNAL)] = _UNKNOWN
    flags = _ORTHO_FLAGS[context, table["case"][codes]]
    type_codes, types = pd.factorize(table["no_sentperiod"])
    keys = type_codes[codes]
    flagged = flags != 0
    combined = np.zeros(len(types), dtype=np.int64)
    np.bitwise_or.at(combined, keys[flagged], flags[flagged])
    seen = np.zeros(len(types), dtype=bool)
    seen[keys[flagged]] = True
    return dict(zip(types[seen].tolist(), combined[seen].tolist()))


def train_parameters(text: str):
    """The Punkt parameters ``PunktTrainer().train(text, finalize=True)`` learns from ``text``.

    >>> params = train_parameters("Dr. Smith left. Dr. Jones came. Dr. Brown stayed. Dr. White spoke. " * 3)
    >>> sorted(params.abbrev_types), sorted(params.sent_starters)
    (['dr'], [])
    """
    _load_punkt()
    params = PunktParameters()
    tokens, linestart, parastart = _punkt_tokens(text)
    if not tokens:
        return params
    codes, distinct = pd.factorize(np.array(tokens, dtype=object))
    distinct = distinct.tolist()
    # Punkt's number pattern can only match a token opening with a digit, "-", "." or ",": the others skip it.
    # (Beyond the BMP the regex module knows digits newer than this Python's Unicode: those go through it.)
    types = [_NUMERIC.sub("##number##", low) if low[0] in "-.," or low[0].isdecimal() or low[0] > "\uffff"
             else low for low in map(str.lower, distinct)]
    type_codes, type_names = pd.factorize(np.array(types, dtype=object))
    type_counts = np.bincount(type_codes[codes], minlength=len(type_names))
    counts = dict(zip(type_names.tolist(), type_counts.tolist()))
    n_tokens = len(tokens)
    period_final = np.fromiter((t.endswith(".") for t in distinct), dtype=bool, count=len(distinct))
    abbreviations = _abbreviation_types(counts, int(period_final[codes].sum()), n_tokens)
    table = _distinct_token_table(distinct, types, abbreviations)
    params.abbrev_types = abbreviations
    params.ortho_context.update(_orthographic_context(table, codes, linestart, parastart))
    sentbreak, number_or_initial = table["sentbreak"], table["number_or_initial"]
    n_breaks = int(sentbreak[codes].sum())
    first, second = codes[:-1], codes[1:]
    after_break = period_final[first] & sentbreak[first]
    _add_rare_abbreviations(params, table, counts, tokens, codes, np.flatnonzero(after_break))
    starter = after_break & ~number_or_initial[first]
    starter &= _where_true(_ALPHA.match, np.array(distinct, dtype=object), second[starter])[second]
    starter_counts = pd.Series(table["type"][second[starter]], dtype=object).value_counts()
    params.sent_starters = _frequent_sentence_starters(starter_counts, counts, n_breaks, n_tokens)
    pair = period_final[first] & (PunktTrainer.INCLUDE_ALL_COLLOCS
                                  | (PunktTrainer.INCLUDE_ABBREV_COLLOCS & table["abbr"][first])
                                  | (sentbreak[first] & number_or_initial[first]))
    non_punct = _where_true(_NON_PUNCT.search, table["type"], np.concatenate([first[pair], second[pair]]))
    pair &= non_punct[first] & non_punct[second]
    pairs = pd.Series(list(zip(table["no_period"][first[pair]], table["no_sentperiod"][second[pair]])),
                      dtype=object).value_counts()
    params.collocations = _collocations(pairs, counts, params.sent_starters, n_tokens)
    return params


def _add_rare_abbreviations(params, table, counts, tokens, codes, candidates) -> None:
    """``_is_rare_abbrev_type`` at each sentence-breaking period-final token, in order (each one added changes the
    next decisions, and looking up a type's context records it with no flag, as NLTK's defaultdict does)."""
    no_sentperiod = table["no_sentperiod"]
    ortho = params.ortho_context
    for i in candidates.tolist():
        typ = no_sentperiod[codes[i]]
        if typ in params.abbrev_types or counts.get(typ, 0) + counts.get(typ[:-1], 0) >= PunktTrainer.ABBREV_BACKOFF:
            continue
        following = tokens[i + 1]
        if following[:1] in _INTERNAL_PUNCTUATION:
            params.abbrev_types.add(typ)
        elif following[0].islower():
            context = ortho[no_sentperiod[codes[i + 1]]]
            if context & punkt._ORTHO_BEG_UC and not context & punkt._ORTHO_MID_UC:
                params.abbrev_types.add(typ)


def _frequent_sentence_starters(starter_counts: pd.Series, counts: dict, n_breaks: int, n_tokens: int) -> set[str]:
    starters = set()
    for typ, at_break in starter_counts.items():
        total = counts.get(typ, 0) + counts.get(typ + ".", 0)
        if not typ or total < at_break:
            continue
        log_likelihood = PunktTrainer._col_log_likelihood(n_breaks, total, at_break, n_tokens)
        if log_likelihood >= PunktTrainer.SENT_STARTER and n_tokens / n_breaks > total / at_break:
            starters.add(typ)
    return starters


def _collocations(pairs: pd.Series, counts: dict, starters: set[str], n_tokens: int) -> set[tuple[str, str]]:
    found = set()
    for (typ1, typ2), together in pairs.items():
        if typ2 in starters:
            continue
        count1 = counts.get(typ1, 0) + counts.get(typ1 + ".", 0)
        count2 = counts.get(typ2, 0) + counts.get(typ2 + ".", 0)
        if count1 > 1 and count2 > 1 and PunktTrainer.MIN_COLLOC_FREQ < together <= min(count1, count2):
            log_likelihood = PunktTrainer._col_log_likelihood(count1, count2, together, n_tokens)
            if log_likelihood >= PunktTrainer.COLLOCATION and n_tokens / count1 > count2 / together:
                found.add((typ1, typ2))
    return found


def training_chunks(texts: Iterable[str], *, max_training_chars: int = MAX_TRAINING_CHARS) -> list[str]:
    """The text Punkt is trained on without ``punkt_tab``: the articles in order, empty ones skipped, up to
    ``max_training_chars`` characters (the last one cut). A model trained on equal chunks is the same model.

    >>> training_chunks(["One. Two.", " ", "Three."], max_training_chars=12)
    ['One. Two.', 'Thr']
    """
    chunks, size = [], 0
    for text in texts:
        if size >= max_training_chars:
            break
        if isinstance(text, str) and text.strip():
            chunks.append(text[: max_training_chars - size])
            size += len(chunks[-1])
    return chunks
