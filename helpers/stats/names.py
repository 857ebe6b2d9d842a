"""Named entities (the who and where of news) found in the token table, and their counts.

How a mention is found, in order:

1. **Which words are names.** A capitalised word in the middle of a sentence is a name when the corpus (plus the
   Brown corpus as a prior, when present) writes it capitalised mid-sentence more than half of the time ("Libya",
   "Directorate"); a capitalised common word ("Embassy", "Security", "Director") is *weak*. ALL-CAPS acronyms (DEA,
   AFRICOM) are names. Sentence-initial words, and every word of a title-case heading or an ALL-CAPS line, carry no
   capitalisation evidence of their own, so they are judged by how the corpus writes them elsewhere; a
   sentence-initial word the corpus never shows elsewhere is a name when the perceptron tagger calls it NNP
   (``averaged_perceptron_tagger_eng``), else only when a name follows (on an ALL-CAPS line, an unknown word of
   up to four letters is taken for an acronym).
2. **Runs.** Consecutive capitalised words form a run (name particles such as *al*, *bin*, *van* may sit inside).
   A run holding an organisation head (*Directorate*, *Committee*, *University* …) continues across *of*/*for*,
   and across *and* when a capitalised common word follows ("General Directorate for Combating Narcotics and
   Psychotropic Substances"). Person titles (*Ambassador*, *Major General*, *Representative* …) split a run and are
   dropped; calendar words (weekdays, months) never belong to a name.
3. **Trimming.** Weak words are dropped from the end of a run unless they are a name head ("Libyan Embassy",
   "Red Sea"); from its start they are kept only when a name follows directly in running text ("Hurricane Dorian").
   A run is kept when it holds a name, or two or more words ending in a name head ("Supreme Court"). Common
   words after a title's "of" go with the title ("Minister of Information Moammar al-Eryani"); a lone initial
   ("E. coli"), a time zone ("0040 UTC") and an abbreviation the article defines by words that are no name
   ("Memorandum of Understanding (MoU)") are no names.

Typed labels PERSON / ORGANIZATION / GPE come from NLTK's ``ne_chunk`` when ``maxent_ne_chunker_tab`` is present;
without it (``label_source == "rule"``) rules and small lists shipped in ``helpers/data/`` type them: PERSON
(after a person title, a full name starting with a common given name, the surname of such a person), ORGANIZATION
(an organisation head, an acronym), PLACE (a country, region or city of ``places.txt``, a place head such as *Sea*),
GROUP (nationality, religious and political group words: *Libyan*, *Americans*, *Sunni*), else NAME.

4. **One name per entity.** Each mention gets a ``canonical`` name: spellings of ``entity_aliases.txt`` take the
   list's first name (U.S., US -> United States; UN -> United Nations), an acronym right after a name whose
   initials it spells takes that name ("Drug Enforcement Administration (DEA)"), and a surname or initials after
   a full name in the same article take that name ("Ambassador Abdel-Mutalib Thabet" ... "Thabet").
   :func:`entity_counts` counts an entity once, listing its ``variants``.

Measured on the hand-marked sentences in ``tests/data/entity_gold.yml`` (the seed article and Wikinews sentences;
see ``docs/entities-trends-themes.md``): exact-mention F1 well above a bare run of NNP tags (``method="nnp"``).
"""

from __future__ import annotations

import hashlib
import os
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd

from helpers.frames import (article_runs as _article_runs, article_sorted as _article_sorted, codes_of as _codes_of,
                            strings as _strings, typed_empty)
from helpers.resources import has_resource
from helpers.stats.mention_store import article_digests, mention_table_path, read_mention_table, write_mention_table
from helpers.stats.name_evidence import (_ConsultedEvidence, _corpus_counts, _count_capitalisation, _Evidence,
                                         _pos_tags, _verdict, tagger_settings)
from helpers.stats.name_lists import _PROPER_TAGS
from helpers.stats.name_rules import (_abbreviation_definitions, _chunk_labels, _classify, _initial_positions,
                                      _mention_text, _pieces, _rule_label, _runs, _segment_kind, _segments, _trim)
from helpers.stats.name_types import _resolve
from helpers.text.stopwords import stopword_list

MENTION_COLUMNS = ["doc_id", "sentence", "start", "end", "entity", "label", "label_source", "n_tokens", "canonical"]
MENTION_DTYPES = {"doc_id": "str", "sentence": "int64", "start": "int64", "end": "int64", "entity": "str",
                  "label": "str", "label_source": "str", "n_tokens": "int64", "canonical": "str"}

ENTITY_INPUTS = ("doc_id", "sentence", "position", "token", "start", "end", "pos")


def _nnp_mentions(tokens: pd.DataFrame, tags: np.ndarray, texts: dict) -> list[tuple]:
    """The baseline: every maximal run of NNP/NNPS tags within a sentence is a mention."""
    rows = []
    proper = np.isin(tags, list(_PROPER_TAGS))
    doc_ids, sentences = tokens["doc_id"].astype(str).to_numpy(), tokens["sentence"].to_numpy()
    starts, ends, words = tokens["start"].to_numpy(), tokens["end"].to_numpy(), tokens["token"].astype(str).to_numpy()
    i = 0
    while i < len(tokens):
        if not proper[i]:
            i += 1
            continue
        j = i
        while (j + 1 < len(tokens) and proper[j + 1] and doc_ids[j + 1] == doc_ids[i]
               and sentences[j + 1] == sentences[i]):
            j += 1
        text = texts.get(doc_ids[i])
        entity = text[starts[i]:ends[j]] if text is not None else " ".join(words[i:j + 1])
        rows.append((doc_ids[i], int(sentences[i]), int(starts[i]), int(ends[j]), entity, "NAME", "nnp", j - i + 1))
        i = j + 1
    return rows


def entities(tokens: pd.DataFrame, articles: pd.DataFrame | None = None, *, method: str = "auto",
             cache: bool | str | os.PathLike | None = None) -> pd.DataFrame:
    """Entity mentions: one row per proper-name phrase, with its character offsets into the article text.

    ``method``: ``"auto"`` (the rules in this module's docstring, using POS tags for sentence-initial words when the
    tagger is present), ``"capitalisation"`` (the same rules without POS tags) or ``"nnp"`` (a bare run of NNP tags,
    the baseline). ``articles`` (optional) gives the texts, so mention strings are exact and line breaks end a
    mention. Columns: ``doc_id, sentence, start, end, entity, label, label_source, n_tokens, canonical``;
    ``start``/``end`` are offsets into ``text``, so every mention drills back to its sentence; ``canonical`` is the
    entity's one name (see the module docstring, step 4). ``attrs["method"]`` says what was used.
    ``cache`` (``True`` for the kit's cache folder, or a folder) keeps each article's POS tags, capitalisation
    counts and mentions, so a rerun tags only new or changed articles and redoes the rules only for articles whose
    consulted evidence changed verdict; the mentions are the same with or without it.

    >>> import helpers
    >>> articles = pd.DataFrame({"doc_id": ["a"], "text": [
    ...     "Officials said Ambassador Abdel Thabet met the Libyan Embassy staff in Cairo on Thursday."]})
    >>> entities(helpers.tokenize(articles), articles, method="capitalisation")[["entity", "label"]].values.tolist()
    [['Abdel Thabet', 'PERSON'], ['Libyan Embassy', 'ORGANIZATION'], ['Cairo', 'PLACE']]
    """
    if method not in ("auto", "capitalisation", "nnp"):
        raise ValueError(f"method={method!r} is not one of 'auto', 'capitalisation', 'nnp'")
    missing = {"doc_id", "sentence", "token", "start", "end"} - set(tokens.columns)
    if missing:
        raise ValueError(f"entities needs a token table (helpers.tokenize); missing columns {sorted(missing)}")
    texts = {} if articles is None else dict(zip(articles["doc_id"].astype(str), articles["text"].astype(str)))
    inputs = [c for c in ENTITY_INPUTS if c in tokens.columns]
    by = "position" if "position" in tokens.columns else "start"
    positions = None if method == "nnp" else _article_rows(tokens, by)
    if positions is None:
        from helpers.store.per_article import doc_blocks as _doc_blocks

        tokens = _article_sorted(tokens, inputs, by=by)
        positions = {doc_id: np.arange(start, end) for doc_id, start, end in _doc_blocks(tokens)}  # sorted above
    else:
        tokens = tokens[inputs]
    # Columns taken out once: slicing the frame per article cost more than finding the names.
    columns = (_strings(tokens["token"]), tokens["start"].to_numpy(),
               tokens["end"].to_numpy(), tokens["sentence"].to_numpy())
    digests = corpus_file = None
    if cache and method != "nnp":
        digests = article_digests(positions, columns, texts)
    if digests is not None and "pos" not in tokens.columns:  # what an earlier notebook found in these tokens
        corpus_file = mention_table_path(_entity_folder(cache), digests, _corpus_settings(method))
        kept = read_mention_table(corpus_file, MENTION_DTYPES)
        if kept is not None:
            return kept
    if cache and method == "auto" and "pos" not in tokens.columns and has_resource("averaged_perceptron_tagger_eng"):
        tags = _TagsByNeed(tokens, positions, cache)
    else:
        tags = _pos_tags(tokens, cache=cache or None) if method != "capitalisation" else None
    if method == "nnp":
        if tags is None:
            raise ValueError("method='nnp' needs POS tags: the averaged_perceptron_tagger_eng resource is absent")
        frame = pd.DataFrame(_nnp_mentions(tokens, tags, texts), columns=MENTION_COLUMNS[:-1])
        frame["canonical"] = frame["entity"]
        frame = typed_empty(frame, MENTION_DTYPES)
        frame.attrs["method"] = "nnp: maximal runs of NNP/NNPS tags"
        return frame
    stops = stopword_list()
    typed = tags is not None and has_resource("maxent_ne_chunker_tab")

    def segments_of(doc_id, index):
        doc_columns = tuple(column[index].tolist() for column in columns)
        doc_tags = None if tags is None else tags[doc_id] if isinstance(tags, _TagsByNeed) else tags[index]
        segments = _segments(doc_columns, doc_tags, texts.get(doc_id))
        return [(s, _segment_kind(s, stops), _initial_positions(s)) for s in segments]

    if cache:
        rows = _cached_mentions(positions, digests, tags, segments_of, texts, stops, typed, method, cache)
    else:
        documents = [(doc_id, segments_of(doc_id, index)) for doc_id, index in positions.items()]
        capitalised, lowercase = Counter(), Counter()
        for _, segments in documents:
            _count_capitalisation(segments, capitalised, lowercase)
        evidence = _Evidence(capitalised, lowercase)
        rows = [row for doc_id, segments in documents
                for row in _document_mentions(doc_id, segments, texts.get(doc_id), evidence, stops, typed)]
    frame = typed_empty(_resolve(pd.DataFrame(rows, columns=MENTION_COLUMNS[:-1])), MENTION_DTYPES)
    used = "POS tags for unseen sentence-initial words" if tags is not None else "no POS tags"
    frame.attrs["method"] = (f"rules on corpus capitalisation ({used}); labels from "
                             + ("ne_chunk" if typed else "rules (maxent_ne_chunker_tab absent)"))
    if corpus_file is not None:
        write_mention_table(corpus_file, frame)
    return frame


def _article_rows(tokens: pd.DataFrame, by: str) -> dict[str, np.ndarray] | None:
    """Each article's rows, articles in ``doc_id`` order as :func:`helpers.frames.article_sorted` puts them, when
    the table keeps each article's rows together and in ``by`` order (else None): the articles are then read where
    they are instead of copied in order (0.3-0.5 s for the 10k corpus's 10 M rows, in notebooks 06 and 11 each)."""
    runs = _article_runs(tokens, by=by)
    if runs is None:
        return None
    starts, run_codes = runs
    ends = np.r_[starts[1:], len(tokens)]
    _, labels = _codes_of(tokens["doc_id"])
    return {str(labels[run_codes[i]]): np.arange(starts[i], ends[i]) for i in np.argsort(run_codes, kind="stable")}


class _TagsByNeed:
    """The POS tags of the articles asked for only, each article's read from the tag store (or tagged and added to
    it): a rerun needs the tags of its new articles and of those whose mentions are found again, not all of them."""

    def __init__(self, tokens: pd.DataFrame, positions: dict, cache):
        self.tokens, self.positions, self.cache, self.known = tokens, positions, cache, {}

    def fetch(self, doc_ids: list[str]) -> None:
        wanted = [doc_id for doc_id in doc_ids if doc_id not in self.known]
        if wanted:
            tags = _pos_tags(self.tokens.iloc[np.concatenate([self.positions[d] for d in wanted])], cache=self.cache)
            edges = np.cumsum([len(self.positions[d]) for d in wanted])[:-1]
            self.known.update(zip(wanted, np.split(tags, edges)))

    def __getitem__(self, doc_id: str) -> np.ndarray:
        self.fetch([doc_id])
        return self.known[doc_id]


def _entity_folder(cache) -> Path:
    from helpers.settings import cache_dir

    return Path(cache_dir() if cache is True else cache) / "entities"


def _corpus_settings(method: str) -> dict:
    """Everything besides the articles that decides :func:`entities`' table: method, tagger, chunker, stopwords,
    the code."""
    tagged = method != "capitalisation" and has_resource("averaged_perceptron_tagger_eng")
    typed = tagged and has_resource("maxent_ne_chunker_tab")
    return {**_rule_settings(method, typed, stopword_list()), "tags": tagged and tagger_settings()}


def _rule_settings(method: str, typed: bool, stops: frozenset[str]) -> dict:
    """What decides the rules' verdicts besides the articles and their tags."""
    from helpers.store.keys import code_fingerprint

    return {"method": method, "typed": typed, "code": code_fingerprint(entities),
            "stops": hashlib.sha256("\n".join(sorted(stops)).encode()).hexdigest()[:16]}


def _document_mentions(doc_id: str, segments, text: str | None, evidence, stops: frozenset[str],
                       typed: bool) -> list[tuple]:
    """One article's mention rows, given its segments and the corpus's capitalisation evidence."""
    rows, common = [], set()
    for segment, kind, initial in segments:
        words = [u[0] for u in segment]
        classes = [_classify(u[0], u[4], initial=i in initial, kind=kind, evidence=evidence, stops=stops)
                   for i, u in enumerate(segment)]
        chunk_labels = _chunk_labels(segment) if typed else None
        named: set[int] = set()
        for run in _runs(classes, words):
            for piece, after_title in _pieces(run, classes, words):
                piece = _trim(piece, classes, words, initial, kind)
                if not piece:
                    continue
                named.update(range(piece[0], piece[-1] + 1))
                first, last = piece[0], piece[-1]
                label, source = _rule_label(words[first:last + 1], after_title), "rule"
                if chunk_labels is not None and chunk_labels[first]:
                    label, source = chunk_labels[first], "ne_chunk"
                rows.append((doc_id, int(segment[first][3]), int(segment[first][1]), int(segment[last][2]),
                             _mention_text(segment, first, last, text), label, source, last - first + 1))
        # an abbreviation of words that are no name ("Memorandum of Understanding (MoU)") is none either
        common.update(short for short, first, last in _abbreviation_definitions(words)
                      if not named & set(range(first, last + 1)))
    return [row for row in rows if not (row[-1] == 1 and row[4] in common)] if common else rows


def _cached_mentions(positions: dict, digests: dict, tags, segments_of, texts: dict, stops: frozenset[str],
                     typed: bool, method: str, cache) -> list[tuple]:
    """:func:`entities`' rows with each article's evidence counts and mentions kept (see ``cache`` there).

    An article's mentions depend on the corpus only through the verdicts of the evidence on the words its rules
    consulted, so its stored rows are reused while every one of those verdicts is unchanged, and computed again
    otherwise: the result always equals the uncached one."""
    from helpers.store.article_values import ArticleObjects
    from helpers.store.keys import settings_key

    # tags read by need are the tagger's on the article's words and sentences (in its digest): the tagger's
    # settings stand for them; tags given with the tokens are hashed into each article's key
    by_need = isinstance(tags, _TagsByNeed)
    settings = {**_rule_settings(method, typed, stops), "tags": tagger_settings() if by_need else tags is not None}
    store = ArticleObjects(_entity_folder(cache) / settings_key("entities", settings))
    # apart from the mentions: a rerun needs only the added and dropped articles' counts (reading all 10,000
    # articles' counts was 0.41 s of the 0.81 s the store took)
    count_store = ArticleObjects(store.folder / "counts")
    keys = {}
    for doc_id, index in positions.items():
        digest = digests[doc_id].copy()
        if tags is not None and not by_need:
            digest.update("\x1f".join(map(str, tags[index])).encode())
        keys[doc_id] = digest.hexdigest()[:32]
    doc_of = {key: doc_id for doc_id, key in keys.items()}
    stored = store.get(list(keys.values()))
    segments, fresh_counts = {}, {}

    def count(doc_id: str) -> tuple[dict, dict]:
        if doc_id not in segments:
            segments[doc_id] = segments_of(doc_id, positions[doc_id])
        capitalised, lowercase = Counter(), Counter()
        _count_capitalisation(segments[doc_id], capitalised, lowercase)
        return dict(capitalised), dict(lowercase)

    added = [doc_id for doc_id in positions if keys[doc_id] not in stored]
    if by_need:
        tags.fetch(added)
    for doc_id in added:
        fresh_counts[keys[doc_id]] = count(doc_id)

    def counts_of(wanted: list[str]) -> dict[str, tuple[dict, dict]]:
        """Counts of these article keys: fresh, kept, or (this corpus's articles only) counted again."""
        found = {k: fresh_counts[k] for k in wanted if k in fresh_counts}
        kept = count_store.get([k for k in wanted if k not in found])
        found.update({k: (entry["capitalised"], entry["lowercase"]) for k, entry in kept.items()})
        for key in wanted:
            if key not in found and key in doc_of:
                found[key] = fresh_counts[key] = count(doc_of[key])
        return found

    evidence = _Evidence(*_corpus_counts(store.folder, set(keys.values()), counts_of))
    verdicts: dict[str, bool | None] = {}

    def unchanged(consulted: dict) -> bool:
        for word, before in consulted.items():
            if word not in verdicts:
                verdicts[word] = _verdict(evidence.share(word))
            if verdicts[word] != before:
                return False
        return True

    redo = {doc_id for doc_id in positions
            if keys[doc_id] not in stored or not unchanged(stored[keys[doc_id]]["consulted"])}
    if by_need:
        tags.fetch([doc_id for doc_id in positions if doc_id in redo])
    rows, fresh = [], {}
    for doc_id, index in positions.items():
        if doc_id not in redo:
            rows.extend(stored[keys[doc_id]]["rows"])
            continue
        consulted = _ConsultedEvidence(evidence)
        found = _document_mentions(doc_id, segments.get(doc_id) or segments_of(doc_id, index), texts.get(doc_id),
                                   consulted, stops, typed)
        rows.extend(found)
        fresh[keys[doc_id]] = {"consulted": consulted.seen, "rows": found}
    count_store.put({key: {"capitalised": upper, "lowercase": lower} for key, (upper, lower) in fresh_counts.items()})
    store.put(fresh)
    return rows
