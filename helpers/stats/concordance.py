"""Keyword in context: every occurrence of a term, phrase or pattern with the words around it.

``kwic`` also takes a row or a frame from any statistic (frequencies, keyness, dispersion, tfidf, collocations,
n-grams…), so every number drills down to the sentences behind it in one call.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from helpers.frames import codes_of, label_mask
from helpers.scale.reduce import require_whole
from helpers.stats.collocation import _running_text
from helpers.stats.over_time import _period_starts
from helpers.stats.selection import PERIODS, article_columns
from helpers.text.words import split_words

KWIC_COLUMNS = ["doc_id", "title", "date", "source", "left", "keyword", "right", "sentence", "start", "end",
                "position", "query"]
QUERY_COLUMNS = ("ngram", "term", "entity", "keyphrase", "phrase")
NOT_FILTERS = {"title", "text", "date", "term", "ngram", "n_chars", "path", "url"}


def _phrase_terms(phrase: str) -> list[str]:
    # the kit's own Treebank split (NLTK's rules, no NLTK import: 1.2 s of a notebook's kernel)
    return [w.lower() for w in split_words(phrase, [(0, len(phrase))])[0]]


def _queries_from_table(query, article_columns_present) -> list[tuple[str, dict]]:
    """(phrase, restrictions) pairs from a statistic's row or frame: its term or n-gram, and for rows that name an
    article (``doc_id``) or a group (e.g. ``collection``), only that article or group."""
    frame = query.to_frame().T if isinstance(query, pd.Series) else query
    column = next((c for c in QUERY_COLUMNS if c in frame.columns), None)
    if column is None:
        raise ValueError(f"kwic needs a term, phrase or pattern, or a table with one of the columns {QUERY_COLUMNS}; "
                         f"this one has {list(frame.columns)}")
    filters = [c for c in frame.columns if c in ("doc_id", "period")
               or (c not in NOT_FILTERS and (c in article_columns_present or c in PERIODS))]
    restrictions = frame[filters].to_dict("records") if filters else [{}] * len(frame)
    return list(zip(frame[column].astype(str).tolist(), restrictions))


def kwic(tokens: pd.DataFrame, articles: pd.DataFrame, query, *, window: int = 8, context: str = "tokens",
         regex: bool = False, case_sensitive: bool = False, sort_by: str | None = None) -> pd.DataFrame:
    """Concordance lines for ``query``: a term, a phrase (``"drug trafficking"``), a regular expression
    (``regex=True``, matched against whole tokens), a list of these, or a row/frame returned by a statistic.

    From a statistic's table the ``term`` (or ``ngram``) of each row is looked up; a row that names an article
    (``doc_id``, as tfidf rows do) or a group of the articles frame (e.g. ``collection`` in
    ``frequencies(..., by="collection")``) only shows lines from there. A row with a ``period`` (from
    :func:`helpers.trends` or :func:`helpers.keyness_over_time`) only shows lines from articles dated in that
    period; its length is the table's ``attrs["freq"]`` (``"D"``, ``"W"``, ``"M"``…), which those functions set (for a
    table read back from a file, set it: ``table.attrs["freq"] = "M"``). For the first lines only, take
    ``.head(n)`` of the result.

    ``window`` is the number of tokens shown each side (``context="tokens"``) or of characters
    (``context="characters"``, cut mid-word if need be, as concordancers with a fixed line width do), or the whole
    sentence is split around the keyword (``context="sentence"``). Left and right context are cut from the
    article's text by the tokens' character offsets, so punctuation is as written (runs of whitespace become one
    space). ``sort_by`` ``"left"`` (nearest word to the left first, as concordancers sort), ``"right"``,
    ``"keyword"`` or ``"date"`` (oldest article first, undated articles last, so the lines read as the story
    unfolded); default: corpus order. Matching uses the normalised ``term`` (lower case) unless
    ``case_sensitive`` (the ``token`` as written).

    Columns: ``doc_id, title, date, source, left, keyword, right, sentence, start, end, position, query``;
    ``start``/``end`` are character offsets of the keyword in the article's text, ``position`` its first token's.
    The display follows the keyword-in-context index (Luhn 1960, *American Documentation* 11(4): 288–295) as
    concordancers such as AntConc show it (Anthony 2005).

    >>> articles = pd.DataFrame({"doc_id": ["a"], "title": ["T"], "date": [pd.NaT], "source": ["s"],
    ...                          "text": ["Libya signed. The drug trade fell."]})
    >>> tokens = pd.DataFrame({"doc_id": "a", "sentence": [0, 0, 0, 1, 1, 1, 1, 1], "position": range(8),
    ...     "token": ["Libya", "signed", ".", "The", "drug", "trade", "fell", "."],
    ...     "start": [0, 6, 12, 14, 18, 23, 29, 33], "end": [5, 12, 13, 17, 22, 28, 33, 34]})
    >>> tokens["term"] = tokens["token"].str.lower()
    >>> kwic(tokens, articles, "drug trade", window=2)[["left", "keyword", "right"]].values.tolist()
    [['. The', 'drug trade', 'fell.']]
    """
    require_whole(tokens, "kwic")
    if context not in ("tokens", "characters", "sentence"):
        raise ValueError(f"context={context!r} is invalid; use 'tokens', 'characters' or 'sentence'")
    if sort_by not in (None, "left", "right", "keyword", "date"):
        raise ValueError(f"sort_by={sort_by!r} is invalid; use 'left', 'right', 'keyword', 'date' or None")
    missing = [c for c in ("doc_id", "sentence", "position", "start", "end", "term") if c not in tokens.columns]
    if missing:
        raise ValueError(f"the token table has no column {missing}; build it with helpers.tokenize")
    if "text" not in articles.columns or "doc_id" not in articles.columns:
        raise ValueError("kwic needs the articles frame (doc_id and text) to cut the context from")
    if isinstance(query, (pd.DataFrame, pd.Series)):
        queries = _queries_from_table(query, set(articles.columns))
        freq = query.attrs.get("freq")
    else:
        freq = None
        queries = [(str(q), {}) for q in ([query] if isinstance(query, str) else list(query))]
    if not queries and not isinstance(query, (pd.DataFrame, pd.Series)):
        raise ValueError("kwic got an empty query")

    terms, vocab, segment, order, doc = _running_text(tokens, "sentence")
    if case_sensitive and "token" not in tokens.columns:
        raise ValueError("case_sensitive=True matches the token as written, but the token table has no 'token' column")
    matched_column = tokens["token"] if case_sensitive else tokens["term"]
    match_codes, match_vocab = codes_of(matched_column)
    match_codes = match_codes[order]
    doc_segment = np.cumsum(np.r_[False, doc[1:] != doc[:-1]])
    fold = (lambda word: word) if case_sensitive else str.lower
    code_of = pd.Series(np.arange(len(match_vocab)), index=match_vocab)
    # A query that is itself a term of the table (e.g. "u.s", "budd.") is one word; others are split as the text was.
    split = [[phrase] if regex or fold(phrase) in code_of.index else
             (phrase.split() if case_sensitive else _phrase_terms(phrase)) for phrase, _ in queries]
    empty = [queries[i][0] for i, parts in enumerate(split) if not parts]
    if empty:
        raise ValueError(f"query {empty[0]!r} has no words")
    # Single words (most rows of a statistic's table) are matched in one pass over the tokens, phrases one by one.
    single = [i for i, parts in enumerate(split) if len(parts) == 1 and not regex]
    found_parts = []
    if single:
        wanted = pd.DataFrame({"query_index": single,
                               "code": code_of.reindex([fold(split[i][0]) for i in single]).to_numpy()}).dropna()
        chosen = np.zeros(len(match_vocab), dtype=bool)
        chosen[wanted["code"].to_numpy(dtype=np.int64)] = True
        rows = np.flatnonzero(label_mask(match_codes, chosen))  # a lookup per token, not np.isin's sort
        hits = pd.DataFrame({"row": rows, "code": match_codes[rows].astype(float)}).merge(wanted, on="code")
        found_parts.append(hits.assign(last=hits["row"])[["query_index", "row", "last"]])
    for i in (i for i, parts in enumerate(split) if len(parts) > 1 or regex):
        parts = split[i]
        for k, part in enumerate(parts):
            chosen = np.zeros(len(match_vocab), dtype=bool)
            if regex:
                flags = 0 if case_sensitive else re.IGNORECASE
                chosen[np.flatnonzero(match_vocab.str.fullmatch(part, flags=flags))] = True
            else:
                chosen[code_of.reindex([fold(part)]).dropna().to_numpy(dtype=np.int64)] = True
            # the first word looked up in every token (one gather), the next ones only after a hit
            hits = np.flatnonzero(label_mask(match_codes[:max(len(terms) - len(parts) + 1, 0)], chosen)) if k == 0 \
                else hits[label_mask(match_codes[hits + k], chosen)]
        hits = hits[segment[hits] == segment[hits + len(parts) - 1]]
        found_parts.append(pd.DataFrame({"query_index": i, "row": hits, "last": hits + len(parts) - 1}))
    described = pd.DataFrame([{"query_index": i, "query": phrase, **{f"_filter_{c}": v for c, v in restriction.items()}}
                              for i, (phrase, restriction) in enumerate(queries)])
    if not queries:  # an empty table of a statistic: no query, no line, the columns as usual
        described = pd.DataFrame({"query_index": np.zeros(0, np.int64), "query": pd.array([], dtype="str")})
        found_parts.append(pd.DataFrame({"query_index": [], "row": [], "last": []}, dtype=np.int64))
    found = pd.concat(found_parts, ignore_index=True).astype({"row": np.int64, "last": np.int64})
    found = found.merge(described, on="query_index").sort_values(["query_index", "row"]).reset_index(drop=True)
    table = _lines(tokens, articles, found, order, segment, doc_segment, window, context)
    table = _restrict(table, articles, found, freq)
    if sort_by == "left":
        key = table["left"].str.lower().str.split().map(lambda words: " ".join(reversed(words)))
        table = table.assign(_key=key).sort_values(["_key", "doc_id", "start"]).drop(columns="_key")
    elif sort_by in ("right", "keyword"):
        key = table[sort_by].str.lower()
        table = table.assign(_key=key).sort_values(["_key", "doc_id", "start"]).drop(columns="_key")
    elif sort_by == "date":
        table = table.sort_values(["date", "doc_id", "start"], na_position="last", kind="stable")
    table = table.reset_index(drop=True)
    return table


def _restrict(table: pd.DataFrame, articles: pd.DataFrame, found: pd.DataFrame, freq: str | None) -> pd.DataFrame:
    """Keep each hit only where its statistic row's article or group columns (doc_id, collection, month, period…)
    agree."""
    names = [c.removeprefix("_filter_") for c in found.columns if c.startswith("_filter_")]
    usable = [c for c in names if c in ("doc_id", "period") or c in articles.columns or c in PERIODS]
    if not usable:
        return table
    by_period = "period" in usable and "period" not in articles.columns
    meta = article_columns(articles, [c for c in usable if c != "doc_id" and not (by_period and c == "period")])
    if by_period:
        if not freq:
            raise ValueError("these rows have a 'period' but kwic does not know how long a period is: set "
                             "table.attrs['freq'] (the freq given to trends or keyness_over_time)")
        if "date" not in articles.columns:
            raise ValueError("these rows have a 'period' but the articles frame has no 'date' to place articles in it")
        meta["period"] = _period_starts(articles["date"], freq).to_numpy()
    hit_meta = meta.drop_duplicates("doc_id").set_index("doc_id").reindex(table["doc_id"].to_numpy())
    keep = np.ones(len(table), dtype=bool)
    for name in usable:
        wanted = found[f"_filter_{name}"].to_numpy()
        actual = table["doc_id"].to_numpy() if name == "doc_id" else hit_meta[name].to_numpy()
        if by_period and name == "period":
            # both sides as timezone-naive period starts, so a period read back from a CSV still matches
            same = pd.to_datetime(pd.Series(actual)).to_numpy() == _period_starts(pd.Series(wanted), freq).to_numpy()
        else:
            same = pd.Series(actual).astype(str).to_numpy() == pd.Series(wanted).astype(str).to_numpy()
        keep &= pd.isna(wanted) | same
    return table[keep]


def _lines(tokens, articles, found, order, segment, doc_segment, window, context) -> pd.DataFrame:
    start = tokens["start"].to_numpy()[order]
    end = tokens["end"].to_numpy()[order]
    position = tokens["position"].to_numpy()[order]
    row, last = found["row"].to_numpy(), found["last"].to_numpy()
    hit_docs = tokens["doc_id"].iloc[order[row]].astype(str).to_numpy() if len(found) else np.array([], dtype=str)
    n = len(start)
    # Sentence bounds of each hit: first and last token index of its segment.
    seg_first = np.searchsorted(segment, segment[row], side="left")
    seg_last = np.searchsorted(segment, segment[row], side="right") - 1
    if context == "tokens":
        doc_first = np.searchsorted(doc_segment, doc_segment[row], side="left")
        doc_last = np.searchsorted(doc_segment, doc_segment[row], side="right") - 1
        left_first = np.maximum(row - window, doc_first)
        right_last = np.minimum(last + window, np.minimum(doc_last, n - 1))
    else:  # the sentence; character windows are cut below
        left_first, right_last = seg_first, seg_last
    shown = [c for c in ("doc_id", "text", "title", "date", "source") if c in articles.columns]  # not every column
    texts = articles[shown].assign(doc_id=articles["doc_id"].astype(str)).drop_duplicates("doc_id").set_index("doc_id")
    # each article's text made a Python string once, not once per line (a line per hit: 41,000 on the 10k corpus)
    article_text = np.append(texts["text"].to_numpy(dtype=object), np.nan)
    text = article_text[texts.index.get_indexer(hit_docs)]  # -1, an article not in the frame: NaN, as reindex gave
    lefts, keywords, rights, sentences = [], [], [], []
    for t, lf, r, la, rl, sf, sl in zip(text, left_first, row, last, right_last, seg_first, seg_last):
        t = str(t)
        if context == "characters":
            lefts.append(" ".join(t[max(0, start[r] - window):start[r]].split()))
            rights.append(" ".join(t[end[la]:end[la] + window].split()))
        else:
            lefts.append(" ".join(t[start[lf]:start[r]].split()))
            rights.append(" ".join(t[end[la]:end[rl]].split()))
        keywords.append(t[start[r]:end[la]])
        sentences.append(" ".join(t[start[sf]:end[sl]].split()))
    meta = texts.drop(columns="text").reindex(hit_docs)
    return pd.DataFrame({
        "doc_id": pd.array(hit_docs, dtype="str"),
        "title": meta["title"].array if "title" in meta else None,
        "date": meta["date"].array if "date" in meta else pd.NaT,
        "source": meta["source"].array if "source" in meta else None,
        "left": pd.array(lefts, dtype="str"), "keyword": pd.array(keywords, dtype="str"),
        "right": pd.array(rights, dtype="str"), "sentence": pd.array(sentences, dtype="str"),
        "start": start[row], "end": end[last], "position": position[row], "query": found["query"].array,
    })
