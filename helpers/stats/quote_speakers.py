"""Speakers resolved to entities: the speaker phrase as written ("he", "Thompson", "Congressman Bennie Thompson",
"officials") to the entity of :func:`helpers.entities` it names, and that entity's type.

- A phrase holding entity mentions takes its last one of a person, else of an organisation, else of any name
  (the head of "Transportation official Troy Roberts" is Troy Roberts); the mention's ``canonical`` name is the
  entity, so a surname after a full name in the article is the full name (the entities table resolves it).
- A name the entities table missed takes the full name of an earlier mention of the article that ends in it.
- *he, she, I* resolve to the nearest person mentioned before the attribution, outside quotation marks (a name
  inside the quotation is the one spoken of, not the speaker); *it* to the nearest organisation; *they, we* stay
  unresolved (a group).
- A common noun ("officials", "the ministry") has no entity: its ``speaker_label`` is OTHER.

``speaker_label`` is the entity's label (PERSON, ORGANIZATION, PLACE, GROUP, NAME); a NAME of two words or more
that speaks, without an organisation head, is a PERSON (people are quoted; an untyped "Troy Roberts" speaks).
"""

from __future__ import annotations

import bisect
import re


from helpers.stats.name_lists import ORG_HEADS
from helpers.stats.reporting_verbs import SpanSet, is_name, speaker_nouns

_MODIFIED = re.compile(r"(?<![\w'’-])[a-z][\w'’-]* (?:of|for|at|from|with) ")
PERSON_PRONOUNS = frozenset({"he", "she", "i", "him", "her"})
ORG_PRONOUNS = frozenset({"it"})
PREFERENCE = {"PERSON": 0, "ORGANIZATION": 1, "NAME": 2, "GROUP": 3, "PLACE": 4}
UNKNOWN, OTHER = "UNKNOWN", "OTHER"


def _speaking_label(label: str, name: str) -> str:
    if label != "NAME":  # asked of every mention near a speaker: the name is split only when it matters
        return label
    words = name.split()
    return "PERSON" if len(words) >= 2 and not any(w.lower() in ORG_HEADS for w in words) else label


class DocumentEntities:
    """One article's entity mentions (start, end, canonical, label arrays in reading order)."""

    def __init__(self, starts, ends, canonical, labels, span: tuple[int, int] | None = None):
        # lists of int, not arrays: read one by one, and bisect searches as numpy's searchsorted does. ``span``:
        # this article's rows [lo, hi) of lists holding every article's (no copy per article)
        if not isinstance(starts, list) or not isinstance(ends, list):
            starts, ends = list(map(int, starts)), list(map(int, ends))
        self.starts, self.ends = starts, ends
        self.canonical = canonical if isinstance(canonical, list) else list(canonical)
        self.labels = labels if isinstance(labels, list) else list(labels)
        self.lo, self.hi = span if span is not None else (0, len(starts))

    def inside(self, start: int, end: int) -> list[int]:
        starts, ends, lo, hi = self.starts, self.ends, self.lo, self.hi
        left = bisect.bisect_right(ends, start, lo, hi)
        stop = bisect.bisect_left(starts, end, lo, hi)  # mentions are in order of their starts
        return [i for i in range(max(lo, left - 3), stop) if ends[i] > start and starts[i] >= start - 1]

    def before(self, position: int, labels: frozenset, quoted: SpanSet) -> tuple[str, str] | None:
        """The nearest mention with one of ``labels`` ending before ``position`` and outside the ``quoted``
        spans."""
        last = bisect.bisect_right(self.ends, position, self.lo, self.hi)
        for i in range(last - 1, self.lo - 1, -1):
            label = _speaking_label(self.labels[i], self.canonical[i])
            if label in labels and not quoted.holds(self.starts[i]):
                return self.canonical[i], label
        return None


def _common_noun_phrase(phrase: str) -> bool:
    nouns = speaker_nouns()
    for word in phrase.lower().split():
        singular = word[:-1] if word.endswith("s") and not word.endswith("ss") else word
        if word not in ("the", "a", "an") and word not in nouns and singular not in nouns:
            return False
    return True


def _surname_match(name: str, entities: DocumentEntities, position: int) -> tuple[str, str] | None:
    last = name.split()[-1]
    for i in range(entities.hi - 1, entities.lo - 1, -1):
        if entities.starts[i] >= position:
            continue
        words = entities.canonical[i].split()
        if len(words) >= 2 and words[-1] == last:
            return entities.canonical[i], _speaking_label(entities.labels[i], entities.canonical[i])
    return None


def resolve(text: str, speaker, position: int, entities: DocumentEntities, quoted: SpanSet) -> tuple[str, str]:
    """(speaker_entity, speaker_label) of a speaker span; ("", UNKNOWN) for no speaker."""
    if speaker is None:
        return "", UNKNOWN
    phrase = text[speaker.start:speaker.end]
    low = phrase.lower()
    if low in PERSON_PRONOUNS:
        found = entities.before(position, frozenset({"PERSON"}), quoted)
        return found if found else ("", UNKNOWN)
    if low in ORG_PRONOUNS:
        found = entities.before(position, frozenset({"ORGANIZATION"}), quoted)
        return found if found else ("", UNKNOWN)
    if low in ("they", "we", "you"):
        return "", UNKNOWN
    if _common_noun_phrase(phrase):  # "Officials" at a sentence's start is not a name
        return "", OTHER
    people = [i for i in entities.inside(speaker.start, speaker.end)
              if _speaking_label(entities.labels[i], entities.canonical[i]) == "PERSON"]
    if people:  # "The mayor of Paris, Anne Hidalgo", "Transportation official Troy Roberts"
        return entities.canonical[people[-1]], "PERSON"
    # "the mayor of London", "a spokesman for the ministry": the head is the common noun, not the name after it
    modifier = _MODIFIED.search(phrase)
    end = speaker.start + modifier.start() if modifier else speaker.end
    inside = entities.inside(speaker.start, end)
    if modifier and not inside:
        return "", OTHER
    if inside:
        best = min(inside, key=lambda i: (PREFERENCE.get(_speaking_label(entities.labels[i], entities.canonical[i]),
                                                         9), -entities.starts[i]))
        return entities.canonical[best], _speaking_label(entities.labels[best], entities.canonical[best])
    names = [w for w in phrase.split() if is_name(w)]
    if names and phrase.split()[-1] == names[-1]:
        found = _surname_match(phrase, entities, speaker.start)
        if found:
            return found
        tail = []
        for word in reversed(phrase.split()):
            if not is_name(word):
                break
            tail.insert(0, word)
        name = " ".join(tail)
        return name, ("PERSON" if len(tail) >= 2 else "NAME")
    return "", OTHER


def resolve_speakers(text: str, rows: list[tuple], entities: DocumentEntities) -> list[tuple[str, str]]:
    """(speaker_entity, speaker_label) of each row of an article; a row starts (start, end, kind, speaker span or
    None, offset of its opening mark or start)."""
    quoted = SpanSet((row[0], row[1]) for row in rows if row[2] != "indirect")
    return [resolve(text, row[3], min(row[4], row[0] if row[3] is None else row[3].start), entities, quoted)
            for row in rows]
