"""The rules that find names in one article's tokens: segments (sentences cut at line breaks) and their kind
(running text, title-case heading, ALL-CAPS line), which words are names, runs of them, titles dropped, weak words
trimmed (see :mod:`helpers.stats.names`, steps 1-3).
"""

from __future__ import annotations

import re

import pandas as pd

from helpers.stats.name_evidence import _Evidence
from helpers.stats.name_lists import (_ACRONYM, _DOTTED, _HEADS, _PARTICLE_NAME, _PROPER_TAGS, CALENDAR, OPENERS,
                                      ORG_HEADS, ORG_JOINERS, PARTICLES, PERSON_TITLES, PLACE_HEADS, TIME_ZONES,
                                      _has_letter)


STRONG, WEAK, TITLE, PARTICLE = "strong", "weak", "title", "particle"
_LONE_INITIAL = re.compile(r"^[A-Z]\.$")


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


def _classify(word: str, tag, *, initial: bool, kind: str, evidence: _Evidence, stops: frozenset[str]):
    if not _has_letter(word):
        return None
    low = word.lower()
    if _PARTICLE_NAME.match(word):
        return STRONG
    if not word[:1].isupper():
        return PARTICLE if low in PARTICLES else None
    if low in CALENDAR or low in TIME_ZONES:
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
    if len(piece) == 1 and _LONE_INITIAL.match(words[piece[0]]):
        return []  # "E. coli": an initial is a name only with the name it abbreviates
    strong = [i for i in piece if classes[i] == STRONG]
    # "Minister of Information Moammar al-Eryani": the weak words after a title's "of" belong to the title
    after_title_of = piece[0] >= 2 and words[piece[0] - 1] == "of" and classes[piece[0] - 2] == TITLE
    if strong:
        lead = piece[:piece.index(strong[0])]
        if kind != "normal" or after_title_of or any(i in initial or classes[i] != WEAK for i in lead):
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


def _abbreviation_definitions(words: list[str]) -> list[tuple[str, int, int]]:
    """Abbreviations a segment defines, as ``(abbreviation, first, last)``: the words ``first..last`` spell its
    letters ("memorandum of understanding (MoU)", "Drug Enforcement Administration (DEA)").

    >>> _abbreviation_definitions("a memorandum of understanding ( MoU )".split())
    [('MoU', 1, 3)]
    """
    found = []
    for i in range(2, len(words) - 1):
        word = words[i]
        if words[i - 1] != "(" or words[i + 1] != ")" or not word[:1].isupper() or not word.isalpha():
            continue
        letters = word.lower().removesuffix("s") if len(word) > 2 else word.lower()
        first = i - 1 - len(letters)
        before = words[max(0, first):i - 1]
        if len(before) == len(letters) >= 2 and all(w.isalpha() for w in before) \
                and "".join(w[0] for w in before).lower() == letters:
            found.append((word, first, i - 2))
    return found
