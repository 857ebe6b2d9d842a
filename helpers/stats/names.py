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
   A run is kept when it holds a name, or two or more words ending in a name head ("Supreme Court").

Typed labels PERSON / ORGANIZATION / GPE come from NLTK's ``ne_chunk`` when ``maxent_ne_chunker_tab`` is present;
without it (``label_source == "rule"``) rules and small lists shipped in ``helpers/data/`` type them: PERSON
(after a person title, a full name starting with a common given name, the surname of such a person), ORGANIZATION
(an organisation head, an acronym), PLACE (a country, region or city of ``places.txt``, a place head such as *Sea*),
GROUP (nationality, religious and political group words: *Libyan*, *Americans*, *Sunni*), else NAME.

4. **One name per entity.** Each mention gets a ``canonical`` name: spellings of ``entity_aliases.txt`` take the
   list's first name (U.S., US -> United States; UN -> United Nations), and a surname or initials after a full
   name in the same article take that name ("Ambassador Abdel-Mutalib Thabet" ... "Thabet"). :func:`entity_counts`
   counts an entity once, listing its ``variants``.

Measured on the hand-marked sentences in ``tests/data/entity_gold.yml`` (the seed article and Wikinews sentences;
see ``docs/entities-trends-themes.md``): exact-mention F1 well above a bare run of NNP tags (``method="nnp"``).
"""

from __future__ import annotations

import functools
import hashlib
import inspect
import json
import os
import pickle
import re
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd

from helpers.settings import CACHE_DIR
from helpers.frames import article_sorted as _article_sorted, strings as _strings, typed_empty
from helpers.resources import find_resource, has_resource
from helpers.text.stopwords import stopword_list

MENTION_COLUMNS = ["doc_id", "sentence", "start", "end", "entity", "label", "label_source", "n_tokens", "canonical"]
COUNT_COLUMNS = ["entity", "label", "frequency", "docfreq", "variants"]
MENTION_DTYPES = {"doc_id": "str", "sentence": "int64", "start": "int64", "end": "int64", "entity": "str",
                  "label": "str", "label_source": "str", "n_tokens": "int64", "canonical": "str"}
DATA_DIR = Path(__file__).parents[1] / "data"

PERSON_TITLES = frozenset("""
mr mrs ms miss dr prof professor sir dame lord lady king queen prince princess pope sheikh emir sultan
president presidents vice prime minister ministers secretary chancellor premier governor mayor senator senators
representative representatives congressman congresswoman ambassador envoy judge justice chief commissioner
general gen major maj colonel col captain capt lieutenant lt sergeant sgt admiral commander marshal brigadier
officer inspector director head chairman chairwoman chair spokesman spokeswoman spokesperson leader speaker
deputy acting former late reverend rev father bishop archbishop cardinal saint imam rabbi coach agent
""".split())
ORG_HEADS = frozenset("""
directorate ministry department agency administration organization organisation commission committee council
university institute bank court office league union association coalition party center centre service authority
bureau foundation federation corporation company board assembly parliament senate house congress force forces army
navy police museum school college hospital society fund programme program embassy consulate team club group
network channel tv radio times post news journal airlines airline conference summit forum alliance front movement
""".split())
PLACE_HEADS = frozenset("""
sea ocean river lake island islands mountain mountains mount valley bay gulf strait peninsula desert airport
station bridge street road avenue route square park palace hall stadium province region county state city district
""".split())
CALENDAR = frozenset("""
monday tuesday wednesday thursday friday saturday sunday january february march april may june july august
september october november december jan feb mar apr jun jul aug sep sept oct nov dec today yesterday tomorrow
""".split())
PARTICLES = frozenset("al el bin ibn bint de del della da di du dos das van von der den la le ter".split())
ORG_JOINERS = frozenset({"of", "for", "on"})
OPENERS = frozenset({"“", '"', "‘", "'", "(", "[", "«", "``"})
_ACRONYM = re.compile(r"^(?:[A-Z]\.){1,4}[A-Z]?\.?$|^[A-Z][A-Z0-9&]{1,7}s?$")
_DOTTED = re.compile(r"^[A-Z](?:\.[A-Z])+$")
_PARTICLE_NAME = re.compile(r"^(?:al|el|bin|ibn|de|da|di|van|von|abu|ould)-[A-ZÀ-Þ]")


def _brown_capitalisation() -> dict[str, tuple[int, int]]:
    """Mid-sentence (capitalised, lowercase) counts per lowercased word in the Brown corpus ({} when absent)."""
    location = find_resource("brown")
    return {} if location is None else _brown_counts(location)


@functools.cache
def _brown_counts(location: str) -> dict[str, tuple[int, int]]:
    """The counts for the Brown corpus found at ``location``, cached in memory and on disk."""
    cache = CACHE_DIR / "brown-capitalisation.json"
    try:
        stored = json.loads(cache.read_text())
        if stored.get("source") == location:
            return {w: tuple(c) for w, c in stored["counts"].items()}
    except (OSError, ValueError, KeyError):
        pass
    from nltk.corpus import brown

    capitalised, lowercase = Counter(), Counter()
    for sentence in brown.sents():
        for word in sentence[1:]:
            if word[:1].isupper():
                capitalised[word.lower()] += 1
            elif word[:1].islower():
                lowercase[word] += 1
    counts = {w: (capitalised[w], lowercase[w]) for w in capitalised.keys() | lowercase.keys()}
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        cache.write_text(json.dumps({"source": location, "counts": counts}))
    except OSError:
        pass
    return counts


ENTITY_INPUTS = ("doc_id", "sentence", "position", "token", "start", "end", "pos")


def _pos_tags(tokens: pd.DataFrame, cache=None) -> np.ndarray | None:
    """The token table's ``pos`` column, or perceptron tags per sentence when the tagger is present, else None.

    ``tokens`` must hold each article's rows together. With ``cache`` (see :func:`entities`) each article's tags
    are kept, keyed by its words and sentence breaks, the tagger and the NLTK version: tagging is most of the
    time :func:`entities` takes, and a sentence's tags depend on that sentence alone.
    """
    if "pos" in tokens.columns:
        return tokens["pos"].astype(str).to_numpy()
    if not has_resource("averaged_perceptron_tagger_eng"):
        return None
    from nltk.tag import PerceptronTagger

    words = _strings(tokens["token"])
    keys = _strings(tokens["doc_id"]), tokens["sentence"].to_numpy()
    boundaries = np.flatnonzero((keys[0][1:] != keys[0][:-1]) | (keys[1][1:] != keys[1][:-1])) + 1
    if cache is None:
        sentences = [list(s) for s in np.split(words, boundaries)]
        return np.array([tag for sentence in PerceptronTagger().tag_sents(sentences) for _, tag in sentence],
                        dtype=object)
    store = _tag_store(cache)
    doc_edges = np.r_[0, np.flatnonzero(keys[0][1:] != keys[0][:-1]) + 1, len(words)]
    blocks = list(zip(doc_edges[:-1].tolist(), doc_edges[1:].tolist())) if len(words) else []
    block_keys = []
    for left, right in blocks:
        digest = hashlib.sha256("\x1f".join(words[left:right]).encode())
        digest.update(np.ascontiguousarray(keys[1][left:right], dtype=np.int64).tobytes())
        block_keys.append(digest.hexdigest()[:32])
    known = store.get(block_keys)
    missing = [i for i, key in enumerate(block_keys) if key not in known]
    if missing:
        sentences, owners = [], []
        for i in missing:
            left, right = blocks[i]
            inner = boundaries[np.searchsorted(boundaries, left, side="right"):np.searchsorted(boundaries, right)] - left
            for sentence in np.split(words[left:right], inner):
                sentences.append(list(sentence))
                owners.append(i)
        tagged = PerceptronTagger().tag_sents(sentences)
        fresh: dict[str, list[str]] = {}
        for i, sentence in zip(owners, tagged):
            fresh.setdefault(block_keys[i], []).extend(tag for _, tag in sentence)
        store.put(fresh)
        known.update({k: np.asarray(v, dtype=object) for k, v in fresh.items()})
    parts = [known[key] for key in block_keys]
    return np.concatenate(parts).astype(object) if parts else np.array([], dtype=object)


def _tag_store(cache):
    from importlib import metadata

    from helpers.settings import cache_dir
    from helpers.store.article_values import ArticleLabels
    from helpers.store.keys import settings_key

    settings = {"tagger": find_resource("averaged_perceptron_tagger_eng"), "nltk": metadata.version("nltk"),
                "code": hashlib.sha256(inspect.getsource(_pos_tags).encode()).hexdigest()[:16]}
    folder = Path(cache_dir() if cache is True else cache) / "pos-tags" / settings_key("pos-tags", settings)
    return ArticleLabels(folder)


STRONG, WEAK, TITLE, PARTICLE = "strong", "weak", "title", "particle"
_PROPER_TAGS = frozenset({"NNP", "NNPS"})
_HEADS = ORG_HEADS | PLACE_HEADS


@functools.lru_cache(maxsize=1 << 18)
def _has_letter(word: str) -> bool:
    return any(ch.isalpha() for ch in word)


def _segments(doc_tokens, tags, text: str | None) -> list[list[tuple]]:
    """Split one article's tokens into segments (sentences, cut again at line breaks); each unit is
    ``(word, start, end, sentence, tag)``. ``U.S`` + ``.`` become ``U.S.``, and a sentence break the tokenizer put
    after such an abbreviation is undone when a capitalised word follows on the same line.

    ``doc_tokens``: the article's rows of the token table, or its ``(words, starts, ends, sentences)`` as lists."""
    if isinstance(doc_tokens, pd.DataFrame):
        words = doc_tokens["token"].astype(str).tolist()
        starts, ends = doc_tokens["start"].tolist(), doc_tokens["end"].tolist()
        sentences = doc_tokens["sentence"].tolist()
    else:
        words, starts, ends, sentences = doc_tokens
    tags = list(tags) if tags is not None else [None] * len(words)
    segments: list[list[tuple]] = []
    i, last_sentence, last_end = 0, None, None
    while i < len(words):
        word, start, end, sentence, tag = words[i], starts[i], ends[i], sentences[i], tags[i]
        first_sentence = sentence
        if _DOTTED.match(word) and i + 1 < len(words) and words[i + 1] == "." and starts[i + 1] == end:
            word, end, sentence = word + ".", ends[i + 1], sentences[i + 1]
            i += 1
        newline = text is not None and last_end is not None and "\n" in text[last_end:start]
        if not segments or newline:
            segments.append([])
        elif first_sentence != last_sentence:
            after_abbreviation = _DOTTED.match(segments[-1][-1][0].rstrip(".")) and segments[-1][-1][0].endswith(".")
            if not (after_abbreviation and word[:1].isupper()):
                segments.append([])
        segments[-1].append((word, start, end, first_sentence, tag))
        last_sentence, last_end = sentence, end
        i += 1
    return segments


def _segment_kind(segment: list[tuple], stops: frozenset[str]) -> str:
    """"caps" for an ALL-CAPS line, "title" for a title-case heading (a short line without final punctuation with
    three in four content words capitalised; a sentence dense with names still ends in a full stop), else
    "normal"."""
    lettered = [u[0] for u in segment if _has_letter(u[0]) and len(u[0]) > 1]
    if len(lettered) >= 2 and sum(w.isupper() for w in lettered) >= 0.75 * len(lettered):
        return "caps"
    content = [w for w in lettered if len(w) > 3 and w.lower() not in stops]
    capitalised = sum(w[:1].isupper() for w in content)
    unpunctuated = segment[-1][0] not in (".", "?", "!") and len(segment) <= 20
    if len(content) >= 2 and unpunctuated and capitalised >= 0.75 * len(content):
        return "title"
    return "normal"


def _initial_positions(segment: list[tuple]) -> set[int]:
    """The segment's first word, and the first word of a quotation inside it."""
    initial, seen_word = set(), False
    for index, unit in enumerate(segment):
        if _has_letter(unit[0]):
            if not seen_word or (index and segment[index - 1][0] in OPENERS and segment[index - 1][0] not in "(["):
                initial.add(index)
            seen_word = True
    return initial


class _Evidence:
    """How often each word is written capitalised mid-sentence: share = (c + w·c_Brown) / (n + w·n_Brown)."""

    BROWN_WEIGHT = 0.1

    def __init__(self, capitalised: Counter, lowercase: Counter):
        self.capitalised, self.lowercase = capitalised, lowercase
        self.brown = _brown_capitalisation()

    def share(self, low: str) -> float | None:
        c, n = self.capitalised[low], self.capitalised[low] + self.lowercase[low]
        bc, bl = self.brown.get(low, (0, 0))
        # Brown counts as a tenth of its occurrences, but as at least two when it has the word: one capitalised
        # "Memorandum" in a corpus does not make a word Brown writes in lower case a name. Name heads
        # ("Directorate") keep the tenth: capitalised, they are the head of the name they end.
        weight = self.BROWN_WEIGHT * (bc + bl)
        if low not in _HEADS:
            weight = max(weight, min(bc + bl, 2))
        denominator = n + weight
        return None if denominator == 0 else (c + weight * bc / max(bc + bl, 1)) / denominator


def _classify(word: str, tag, *, initial: bool, kind: str, evidence: _Evidence, stops: frozenset[str]):
    if not _has_letter(word):
        return None
    low = word.lower()
    if _PARTICLE_NAME.match(word):
        return STRONG
    if not word[:1].isupper():
        return PARTICLE if low in PARTICLES else None
    if low in CALENDAR:
        return None
    if kind != "caps" and _ACRONYM.match(word):
        return STRONG
    if kind == "caps" and tag is None and len(word) <= 4 and low not in stops and evidence.share(low) is None:
        return STRONG
    if low in stops:
        return WEAK if (low != "i" and not initial and kind == "normal") else None
    if low.rstrip(".") in PERSON_TITLES:
        return TITLE
    share = evidence.share(low)
    if initial or kind != "normal":
        if share is not None:
            return STRONG if share > 0.5 else WEAK
        return STRONG if tag in _PROPER_TAGS else WEAK
    return STRONG if share is None or share > 0.5 else WEAK


def _runs(classes: list, words: list[str]) -> list[list[int]]:
    """Maximal runs of capitalised words; a particle stays inside a run only between two capitalised words."""
    runs, current = [], []
    for index, cls in enumerate(classes):
        if cls in (STRONG, WEAK, TITLE):
            current.append(index)
        elif cls == PARTICLE and current and index + 1 < len(classes) and classes[index + 1] in (STRONG, WEAK):
            current.append(index)
        else:
            if current:
                runs.append(current)
            current = []
    if current:
        runs.append(current)
    merged: list[list[int]] = []
    for run in runs:
        if merged:
            left = merged[-1]
            gap = [words[i].lower() for i in range(left[-1] + 1, run[0])]
            has_head = any(words[i].lower() in ORG_HEADS for i in left)
            extended = left[-1] - left[0] + 1 > len(left) or any(classes[i] is None for i in left)
            right_continues = classes[run[0]] == WEAK or (extended and not _ACRONYM.match(words[run[0]]))
            joins = (len(gap) in (1, 2) and (len(gap) == 1 or gap[1] == "the")
                     and (gap[0] in ORG_JOINERS or (gap[0] in ("and", "&") and right_continues)))
            if has_head and joins:
                merged[-1] = left + list(range(left[-1] + 1, run[0])) + run
                continue
        merged.append(run)
    return merged


def _pieces(run: list[int], classes: list, words: list[str]) -> list[tuple[list[int], bool]]:
    """Split a run at person titles (dropped); a title word directly before a name head is not a title
    ("General Directorate", "Justice Department"). Returns (indices, follows_a_title)."""
    pieces, current, after_title = [], [], False
    for position, index in enumerate(run):
        cls = classes[index]
        if cls == TITLE:
            following = run[position + 1] if position + 1 < len(run) else None
            if following is not None and words[following].lower() in _HEADS and classes[following] != TITLE:
                classes[index] = WEAK
                cls = WEAK
        if cls == TITLE:
            if current:
                pieces.append((current, after_title))
            current, after_title = [], True
        else:
            current.append(index)
    if current:
        pieces.append((current, after_title))
    return pieces


def _trim(piece: list[int], classes: list, words: list[str], initial: set[int], kind: str) -> list[int]:
    strong = [i for i in piece if classes[i] == STRONG]
    if strong:
        lead = piece[:piece.index(strong[0])]
        if kind != "normal" or any(i in initial or classes[i] != WEAK for i in lead):
            piece = piece[piece.index(strong[0]):]
    elif not (len(piece) >= 2 and words[piece[-1]].lower() in _HEADS and kind == "normal"
              and piece[0] not in initial):
        return []
    joined = any(classes[i] is None for i in piece)
    while piece and not joined and classes[piece[-1]] != STRONG and words[piece[-1]].lower() not in _HEADS:
        piece = piece[:-1]
    return piece


def _chunk_labels(segment: list[tuple]) -> list[str | None]:
    """Per unit, the ``ne_chunk`` label of the chunk holding it (None outside chunks)."""
    import nltk

    tree = nltk.ne_chunk([(u[0], u[4]) for u in segment])
    labels: list[str | None] = []
    for node in tree:
        if isinstance(node, nltk.Tree):
            labels.extend([node.label()] * len(node.leaves()))
        else:
            labels.append(None)
    return labels


def _rule_label(words: list[str], after_title: bool) -> str:
    lowered = [w.lower() for w in words]
    if after_title:
        return "PERSON"
    if any(w in ORG_HEADS for w in lowered):
        return "ORGANIZATION"
    if lowered[-1] in PLACE_HEADS:
        return "PLACE"
    return "NAME"


def _mention_text(segment, first: int, last: int, text: str | None) -> str:
    if text is not None:
        return text[segment[first][1]:segment[last][2]]
    parts = [segment[first][0]]
    for i in range(first + 1, last + 1):
        parts.append((" " if segment[i][1] > segment[i - 1][2] else "") + segment[i][0])
    return "".join(parts)


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
    tokens = _article_sorted(tokens, [c for c in ENTITY_INPUTS if c in tokens.columns],
                             by="position" if "position" in tokens.columns else "start")
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
    from helpers.store.per_article import doc_blocks

    positions = {doc_id: np.arange(start, end) for doc_id, start, end in doc_blocks(tokens)}  # sorted above
    # Columns taken out once: slicing the frame per article cost more than finding the names.
    columns = (_strings(tokens["token"]), tokens["start"].to_numpy(),
               tokens["end"].to_numpy(), tokens["sentence"].to_numpy())

    def segments_of(doc_id, index):
        doc_columns = tuple(column[index].tolist() for column in columns)
        segments = _segments(doc_columns, None if tags is None else tags[index], texts.get(doc_id))
        return [(s, _segment_kind(s, stops), _initial_positions(s)) for s in segments]

    if cache:
        rows = _cached_mentions(positions, columns, tags, texts, segments_of, stops, typed, method, cache)
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
    return frame


def _count_capitalisation(segments, capitalised: Counter, lowercase: Counter) -> None:
    """Add an article's evidence: mid-sentence words of running text, capitalised or not (see :class:`_Evidence`)."""
    for segment, kind, initial in segments:
        if kind != "normal":
            continue
        for index, unit in enumerate(segment):
            word = unit[0]
            if index in initial or not _has_letter(word) or (len(word) > 1 and word.isupper()):
                continue
            if word[:1].isupper():
                capitalised[word.lower()] += 1
            elif word[:1].islower():
                lowercase[word.lower()] += 1


def _document_mentions(doc_id: str, segments, text: str | None, evidence, stops: frozenset[str],
                       typed: bool) -> list[tuple]:
    """One article's mention rows, given its segments and the corpus's capitalisation evidence."""
    rows = []
    for segment, kind, initial in segments:
        words = [u[0] for u in segment]
        classes = [_classify(u[0], u[4], initial=i in initial, kind=kind, evidence=evidence, stops=stops)
                   for i, u in enumerate(segment)]
        chunk_labels = _chunk_labels(segment) if typed else None
        for run in _runs(classes, words):
            for piece, after_title in _pieces(run, classes, words):
                piece = _trim(piece, classes, words, initial, kind)
                if not piece:
                    continue
                first, last = piece[0], piece[-1]
                label, source = _rule_label(words[first:last + 1], after_title), "rule"
                if chunk_labels is not None and chunk_labels[first]:
                    label, source = chunk_labels[first], "ne_chunk"
                rows.append((doc_id, int(segment[first][3]), int(segment[first][1]), int(segment[last][2]),
                             _mention_text(segment, first, last, text), label, source, last - first + 1))
    return rows


class _ConsultedEvidence:
    """The corpus evidence, noting what each word's share told the rules: none, above one half, or not."""

    def __init__(self, evidence: _Evidence):
        self.evidence, self.seen = evidence, {}

    def share(self, low: str) -> float | None:
        value = self.evidence.share(low)
        self.seen[low] = _verdict(value)
        return value


def _verdict(share: float | None) -> bool | None:
    return None if share is None else share > 0.5


def _cached_mentions(positions: dict, columns, tags, texts: dict, segments_of, stops: frozenset[str], typed: bool,
                     method: str, cache) -> list[tuple]:
    """:func:`entities`' rows with each article's evidence counts and mentions kept (see ``cache`` there).

    An article's mentions depend on the corpus only through the verdicts of the evidence on the words its rules
    consulted, so its stored rows are reused while every one of those verdicts is unchanged, and computed again
    otherwise: the result always equals the uncached one."""
    from helpers.settings import cache_dir
    from helpers.store.article_values import ArticleObjects
    from helpers.store.keys import code_fingerprint, settings_key

    settings = {"method": method, "typed": typed, "tags": tags is not None,
                "stops": hashlib.sha256("\n".join(sorted(stops)).encode()).hexdigest()[:16],
                "code": code_fingerprint(entities)}
    store = ArticleObjects(Path(cache_dir() if cache is True else cache) / "entities"
                           / settings_key("entities", settings))
    # apart from the mentions: a rerun needs only the added and dropped articles' counts (reading all 10,000
    # articles' counts was 0.41 s of the 0.81 s the store took)
    count_store = ArticleObjects(store.folder / "counts")
    words, starts, ends, sentences = columns
    keys = {}
    for doc_id, index in positions.items():
        digest = hashlib.sha256(doc_id.encode() + b"\0" + "\x1f".join(words[index].tolist()).encode())
        for column in (starts, ends, sentences):
            digest.update(np.ascontiguousarray(column[index], dtype=np.int64).tobytes())
        if tags is not None:
            digest.update("\x1f".join(map(str, tags[index])).encode())
        digest.update(str(texts.get(doc_id)).encode("utf-8", "surrogatepass"))
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

    for doc_id in positions:
        if keys[doc_id] not in stored:
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

    rows, fresh = [], {}
    for doc_id, index in positions.items():
        entry = stored.get(keys[doc_id])
        if entry is not None and unchanged(entry["consulted"]):
            rows.extend(entry["rows"])
            continue
        consulted = _ConsultedEvidence(evidence)
        found = _document_mentions(doc_id, segments.get(doc_id) or segments_of(doc_id, index), texts.get(doc_id),
                                   consulted, stops, typed)
        rows.extend(found)
        fresh[keys[doc_id]] = {"consulted": consulted.seen, "rows": found}
    count_store.put({key: {"capitalised": upper, "lowercase": lower} for key, (upper, lower) in fresh_counts.items()})
    store.put(fresh)
    return rows


def _corpus_counts(folder: Path, current: set[str], counts_of) -> tuple[Counter, Counter]:
    """The corpus's capitalised and lower-case counts: the sums of ``counts_of(keys)`` (article key -> the
    article's two counts) over the ``current`` article keys. Worked out from the sums kept for the last set of
    articles, plus the added and minus the dropped articles' counts, when few changed (adding 10,000 articles'
    counts took 1.4 s); kept for next time."""
    path = folder / "corpus-counts.pickle"
    try:
        saved = pickle.loads(path.read_bytes())
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError):
        saved = None
    if saved is not None and len(current ^ saved["keys"]) < len(current) // 2:
        dropped = saved["keys"] - current
        dropped_counts = counts_of(sorted(dropped))
        if len(dropped_counts) == len(dropped):
            capitalised, lowercase = saved["capitalised"], saved["lowercase"]
            for upper, lower in counts_of(sorted(current - saved["keys"])).values():
                capitalised.update(upper)
                lowercase.update(lower)
            for upper, lower in dropped_counts.values():
                capitalised.subtract(upper)
                lowercase.subtract(lower)
            if dropped:  # counts that fell to zero are as absent ones
                capitalised, lowercase = +capitalised, +lowercase
            if current != saved["keys"]:
                _save_corpus_counts(path, current, capitalised, lowercase)
            return capitalised, lowercase
    capitalised, lowercase = Counter(), Counter()
    for upper, lower in counts_of(sorted(current)).values():
        capitalised.update(upper)
        lowercase.update(lower)
    _save_corpus_counts(path, current, capitalised, lowercase)
    return capitalised, lowercase


def _save_corpus_counts(path: Path, keys: set[str], capitalised: Counter, lowercase: Counter) -> None:
    from helpers.store.files import atomic_write

    payload = pickle.dumps({"keys": keys, "capitalised": capitalised, "lowercase": lowercase},
                           protocol=pickle.HIGHEST_PROTOCOL)
    atomic_write(path, lambda tmp: tmp.write_bytes(payload))


@functools.cache
def _gazetteer() -> tuple[frozenset, frozenset, frozenset, dict]:
    """Places, group words, given names and aliases (``helpers/data/``): see :func:`_resolve`."""
    from helpers.text.sentences import read_word_list

    places = frozenset(read_word_list(DATA_DIR / "places.txt"))
    groups = frozenset(read_word_list(DATA_DIR / "groups.txt"))
    given = frozenset(read_word_list(DATA_DIR / "given_names.txt"))
    aliases = {}
    for line in read_word_list(DATA_DIR / "entity_aliases.txt"):
        names = [name.strip() for name in line.split("|") if name.strip()]
        aliases.update({name: names[0] for name in names})
    return places, groups, given, aliases


_DEMONYM_ENDINGS = ("ian", "ese", "ish", "an", "n", "i")


def _is_group(name: str, places: frozenset, groups: frozenset) -> bool:
    """A nationality or group word (``Libyan``, ``Iraqis``, ``Sunni``): listed, or a place plus a demonym ending."""
    for word in {name, name[:-1]} if name.endswith("s") else {name}:
        if word in groups:
            return True
        for ending in _DEMONYM_ENDINGS:
            stem = word[:-len(ending)]
            if word.endswith(ending) and len(stem) >= 3 and (stem in places or stem + "a" in places):
                return True
    return False


def _resolve(frame: pd.DataFrame) -> pd.DataFrame:
    """Types and one name per entity for rule-labelled mentions, article by article, in reading order.

    - ``canonical``: the name the entity goes by. Spellings listed in ``helpers/data/entity_aliases.txt`` take the
      list's first name (U.S., US -> United States); a surname, or initials and surname, after a full name in
      the same article takes that name ("Ambassador Abdel-Mutalib Thabet" ... "Thabet"); else the mention itself.
    - ``label`` (when ``ne_chunk`` did not give one): PERSON after a person title, for a full name starting with a
      common given name (``helpers/data/given_names.txt``) and for a surname of such a person; ORGANIZATION with
      an organisation head or for an acronym; PLACE for a name in ``helpers/data/places.txt`` or with a place head;
      GROUP for nationality, religious and political group words (``Libyan``, ``Americans``, ``Sunni``: OntoNotes
      calls them NORP); NAME for the rest.
    """
    places, groups, given, aliases = _gazetteer()
    names = [" ".join(entity.split()) for entity in frame["entity"].tolist()]
    labels, sources, doc_ids = frame["label"].tolist(), frame["label_source"].tolist(), frame["doc_id"].tolist()
    canonical = [aliases.get(name, name) for name in names]
    full_names: dict[str, int] = {}  # last word -> row of the latest full name with it, in the current article
    for i, name in enumerate(names):
        if i and doc_ids[i] != doc_ids[i - 1]:
            full_names = {}
        words = name.split()
        ruled = sources[i] == "rule"
        if ruled and labels[i] == "NAME":
            if canonical[i] in places or name in places:
                labels[i] = "PLACE"
            elif _is_group(name, places, groups):
                labels[i] = "GROUP"
            elif len(words) >= 2 and words[0] in given:
                labels[i] = "PERSON"
            elif len(words) == 1 and _ACRONYM.match(name):
                labels[i] = "ORGANIZATION"
        if labels[i] not in ("PERSON", "NAME") or canonical[i] != name:
            continue
        earlier = full_names.get(words[-1])
        if earlier is not None and len(words) <= len(names[earlier].split()) and name != names[earlier] and \
                all(_DOTTED.match(w.rstrip(".")) or len(w.rstrip(".")) == 1 or w in names[earlier].split()
                    for w in words[:-1]):
            canonical[i] = canonical[earlier]
            if ruled and labels[earlier] == "PERSON":
                labels[i] = "PERSON"
        elif len(words) >= 2 and words[-1][:1].isupper():
            full_names[words[-1]] = i
    return frame.assign(label=labels, canonical=canonical)


def entity_counts(mentions: pd.DataFrame) -> pd.DataFrame:
    """How often each entity is mentioned (``frequency``) and in how many articles (``docfreq``): one row per
    entity, its spellings merged (by the mentions' ``canonical`` name when they have one, see :func:`entities`).

    Columns: ``entity, label, frequency, docfreq, variants``, most frequent first; ``label`` is the entity's most
    frequent type (a typed one before NAME); ``variants`` its spellings met, most frequent first, joined by "; ".

    >>> m = pd.DataFrame({"doc_id": ["a", "a", "b"], "entity": ["United States", "U.S.", "US"],
    ...                   "canonical": "United States", "label": "PLACE"})
    >>> entity_counts(m).values.tolist()
    [['United States', 'PLACE', 3, 2, 'U.S.; US; United States']]
    """
    missing = {"doc_id", "entity", "label"} - set(mentions.columns)
    if missing:
        raise ValueError(f"entity_counts needs entity mentions (helpers.entities); missing columns {sorted(missing)}")
    if len(mentions) == 0:
        return pd.DataFrame({"entity": pd.Series(dtype="str"), "label": pd.Series(dtype="str"),
                             "frequency": pd.Series(dtype="int64"), "docfreq": pd.Series(dtype="int64"),
                             "variants": pd.Series(dtype="str")})
    table = pd.DataFrame({"doc_id": mentions["doc_id"].astype(str).to_numpy(),
                          "name": mentions["entity"].astype(str).to_numpy(),
                          "entity": (mentions["canonical"] if "canonical" in mentions.columns
                                     else mentions["entity"]).astype(str).to_numpy(),
                          "label": mentions["label"].astype(str).to_numpy()})
    grouped = table.groupby("entity", sort=False)
    labels = table.assign(untyped=table["label"] == "NAME").groupby(["entity", "label"], sort=False).agg(
        n=("doc_id", "size"), untyped=("untyped", "first")).reset_index()
    labels = labels.sort_values(["entity", "untyped", "n", "label"], ascending=[True, True, False, True])
    spellings = table.groupby(["entity", "name"], sort=False).size().rename("n").reset_index()
    spellings = spellings.sort_values(["entity", "n", "name"], ascending=[True, False, True])
    counts = pd.DataFrame({
        "label": labels.drop_duplicates("entity").set_index("entity")["label"],
        "frequency": grouped.size(), "docfreq": grouped["doc_id"].nunique(),
        "variants": spellings.groupby("entity", sort=False)["name"].agg("; ".join)}).rename_axis("entity")
    counts = counts.reset_index()[COUNT_COLUMNS].astype({"frequency": "int64", "docfreq": "int64"})
    return counts.sort_values(["frequency", "docfreq", "entity"], ascending=[False, False, True]).reset_index(drop=True)
