"""Keyphrases: candidate phrases scored by TextRank (Mihalcea & Tarau 2004), per article or for the corpus.

Candidates: with part-of-speech tags (the token table's ``pos`` column, or the perceptron tagger when
``averaged_perceptron_tagger_eng`` is present), maximal runs of adjectives and nouns that end in a noun
("bilateral cooperation", "drug trafficking"); without tags, maximal runs of content words between stopwords and
punctuation, as in RAKE (Rose et al. 2010). Candidates longer than ``max_words`` are not phrases but lists and are
dropped.

Scoring: a graph whose nodes are the words of candidates, linked when they occur within ``window`` tokens of each
other in the article (stopwords and punctuation skipped); PageRank (damping 0.85, networkx) gives each word a
score; a phrase scores the sum of its words' scores (the common TextRank variant, as in pke), so longer specific
phrases rank above their parts. Corpus keyphrases sum each phrase's scores over the articles (each article its own
graph), so a phrase central in many articles ranks above one that is long but occurs once.
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd

from helpers.frames import article_runs, article_sorted, codes_of, typed_empty
from helpers.stats.name_evidence import _pos_tags
from helpers.stats.name_lists import CALENDAR
from helpers.resources import has_resource
from helpers.scale.reduce import require_whole
from helpers.text.stopwords import stopword_list

KEYPHRASE_COLUMNS = ["doc_id", "phrase", "score", "frequency", "n_words", "rank"]
_NOUN = ("NN",)
_ADJECTIVE_OR_NOUN = ("NN", "JJ")


def _candidates(words: list[str], tags: list | None, stops: frozenset[str], max_words: int) -> list[tuple[int, int]]:
    """Spans (start, end) of candidate phrases in one sentence."""
    spans, start = [], None

    def eligible(i):
        word = words[i]
        if not any(ch.isalpha() for ch in word) or word in stops or len(word) < 2:
            return False
        return tags is None or tags[i].startswith(_ADJECTIVE_OR_NOUN)

    for i in range(len(words) + 1):
        if i < len(words) and eligible(i):
            start = i if start is None else start
            continue
        if start is not None:
            end = i
            if tags is not None:
                while end > start and not tags[end - 1].startswith(_NOUN):
                    end -= 1
            if end > start and end - start <= max_words:
                spans.append((start, end))
        start = None
    return spans


def _textrank(sequence: list[str], window: int) -> dict[str, float]:
    graph = nx.Graph()
    graph.add_nodes_from(sequence)
    for offset in range(1, window):
        graph.add_edges_from(zip(sequence[:-offset], sequence[offset:]))
    graph.remove_edges_from(nx.selfloop_edges(graph))
    return nx.pagerank(graph, alpha=0.85) if graph.number_of_nodes() else {}


def keyphrases(tokens: pd.DataFrame, *, by: str | None = "doc_id", top: int = 10, window: int = 2,
               max_words: int = 4, use_pos: bool | None = None, cache=None) -> pd.DataFrame:
    """Top keyphrases per article (``by="doc_id"``) or for the whole corpus (``by=None``).

    Columns: ``doc_id`` (``"corpus"`` when ``by=None``), ``phrase`` (normalised words), ``score`` (sum of the
    words' TextRank scores), ``frequency`` (occurrences of the phrase as a candidate), ``n_words``, ``rank``.
    Corpus rows add ``docfreq`` (articles holding the phrase). ``attrs["candidates"]`` says how candidates were
    found ("pos" or "stopwords"); ``use_pos=False`` forces the stopword-delimited candidates even when the tagger is
    present. Phrases made only of weekdays, months and words like "yesterday" (news datelines) are not candidates.
    ``cache`` (``True`` for the kit's cache folder, or a folder) keeps each article's POS tags and scored phrases
    between calls and runs, so a rerun scores only new or changed articles; the table is the same either way.

    >>> words = "drug trafficking is a crime . drug trafficking grows .".split()
    >>> t = pd.DataFrame({"doc_id": "a", "sentence": [0] * 6 + [1] * 4, "position": range(10), "term": words,
    ...                   "is_stop": [w in ("is", "a") for w in words], "is_punct": [w == "." for w in words]})
    >>> keyphrases(t, use_pos=False, top=2)[["phrase", "frequency"]].values.tolist()
    [['drug trafficking grows', 1], ['drug trafficking', 1]]
    """
    require_whole(tokens, "keyphrases")
    ordered = _articles_together(tokens)
    if use_pos is True and "pos" not in ordered.columns and not has_resource("averaged_perceptron_tagger_eng"):
        raise ValueError("use_pos=True needs POS tags: averaged_perceptron_tagger_eng is absent")
    with_pos = use_pos is not False and ("pos" in ordered.columns or has_resource("averaged_perceptron_tagger_eng"))
    columns = [c for c in ("doc_id", "sentence", "term", "token", "pos") if c in ordered.columns]
    options = {"window": window, "max_words": max_words, "with_pos": with_pos}
    if cache:
        options["tag_cache"] = True if cache is True else str(cache)
        from helpers.store.per_article import cached_per_article

        # Each article's phrases and TextRank scores depend on that article alone, so only new ones are scored.
        table = cached_per_article(_phrase_scores, ordered[columns].reset_index(drop=True), progress=False,
                                   cache=None if cache is True else cache, options=options)
    else:
        table = _phrase_scores(ordered[columns], **options)
    if by is None:
        if ordered is tokens and "position" in tokens.columns:
            table = _in_doc_id_order(table, tokens["doc_id"])
        table = (table.groupby(["phrase", "n_words"], as_index=False)
                 .agg(score=("score", "sum"), frequency=("frequency", "sum"), docfreq=("doc_id", "nunique"))
                 .assign(doc_id="corpus"))
    table = table.sort_values(["doc_id", "score", "phrase"], ascending=[True, False, True], kind="stable")
    table["rank"] = table.groupby("doc_id").cumcount() + 1
    columns = KEYPHRASE_COLUMNS + (["docfreq"] if by is None else [])
    table = table[table["rank"] <= top][columns].reset_index(drop=True)
    table = typed_empty(table, {"doc_id": "str", "phrase": "str", "score": "float64", "frequency": "int64",
                                "n_words": "int64", "rank": "int64", "docfreq": "int64"} if by is None else
                        {"doc_id": "str", "phrase": "str", "score": "float64", "frequency": "int64",
                         "n_words": "int64", "rank": "int64"})
    table.attrs["candidates"] = "pos" if with_pos else "stopwords"
    return table


def _articles_together(tokens: pd.DataFrame) -> pd.DataFrame:
    """The token table with each article's rows together and in reading order. A table already so (as tokenize
    makes it) is used as it is: the result is sorted by doc_id at the end, so the articles' order does not matter.
    """
    if "position" not in tokens.columns or article_runs(tokens) is not None:
        return tokens
    return article_sorted(tokens, [c for c in ("doc_id", "sentence", "position", "term", "token", "pos")
                                   if c in tokens.columns])


def _in_doc_id_order(table: pd.DataFrame, doc_ids: pd.Series) -> pd.DataFrame:
    """``table``'s rows with its articles in the order of the token table's doc_id categories (stable), the order
    :func:`~helpers.frames.article_sorted` gives them: the corpus sums add each phrase's scores in that order."""
    _, labels = codes_of(doc_ids)
    rows, seen = pd.factorize(table["doc_id"])  # each article looked up once, not each row
    rank = labels.get_indexer(pd.Index(seen).astype(str))[rows]
    return table if np.all(rank[1:] >= rank[:-1]) else table.take(np.argsort(rank, kind="stable"))


def _phrase_scores(ordered: pd.DataFrame, *, window: int, max_words: int, with_pos: bool,
                   tag_cache=None) -> pd.DataFrame:
    """Every candidate phrase of each article with its TextRank score and count (articles in table order)."""
    stops = stopword_list()
    tags = _pos_tags(ordered, cache=tag_cache) if with_pos else None
    terms = ordered["term"].astype(str).to_numpy()
    doc_ids = ordered["doc_id"].astype(str).to_numpy()
    sentences = ordered["sentence"].to_numpy() if "sentence" in ordered.columns else np.zeros(len(ordered), int)
    boundaries = np.flatnonzero((doc_ids[1:] != doc_ids[:-1]) | (sentences[1:] != sentences[:-1])) + 1
    groups: dict[str, dict] = {}
    starts = np.r_[0, boundaries] if len(terms) else boundaries  # no tokens: no sentence to start
    for start, end in zip(starts, np.r_[boundaries, len(terms)]):
        words = terms[start:end].tolist()
        sentence_tags = None if tags is None else [str(t) for t in tags[start:end]]
        group = groups.setdefault(doc_ids[start], {"sequence": [], "phrases": {}})
        group["sequence"] += [w for w in words if w not in stops and any(ch.isalpha() for ch in w)]
        for a, b in _candidates(words, sentence_tags, stops, max_words):
            phrase = tuple(words[a:b])
            if all(w in CALENDAR for w in phrase):
                continue
            group["phrases"][phrase] = group["phrases"].get(phrase, 0) + 1
    scored = []
    for key, group in groups.items():
        scores = _textrank(group["sequence"], window)
        scored += [(key, " ".join(phrase), sum(scores.get(w, 0.0) for w in phrase), count, len(phrase))
                   for phrase, count in group["phrases"].items()]
    return typed_empty(pd.DataFrame(scored, columns=["doc_id", "phrase", "score", "frequency", "n_words"]),
                       {"doc_id": "str", "phrase": "str", "score": "float64", "frequency": "int64", "n_words": "int64"})
