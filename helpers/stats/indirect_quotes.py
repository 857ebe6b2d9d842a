"""Indirect quotations: reported speech without quotation marks.

Three patterns, each within one sentence, each needing a speaker phrase (see :mod:`helpers.stats.reporting_verbs`):

- a speaker, a reporting verb and a clause: "Officials said (that) the road was closed", "She told reporters
  that …" (a verb that takes an object needs *that*; a verb such as *confirmed* or *announced* needs *that* too,
  since "confirmed the deaths" is an object, not speech);
- a clause closed by its attribution: "The road was closed, officials said." / "…, said the minister." (and a
  parenthetical one: "The fuel, officials said, spilled and ignited.");
- *according to*: "According to the police, …" / "…, according to the police."

The row spans the reported clause (without a leading *that* and the sentence's final punctuation).
"""

from __future__ import annotations

import bisect
import re

from helpers.stats.reporting_verbs import ACCORDING_TO, OBJECT_VERBS, Span, SpanSet, speaker_after, speaker_before
from helpers.stats.speech_words import iter_words, words
from helpers.stats.verb_positions import VerbFinder

MIN_CLAUSE_WORDS = 3
# Words after a bare-clause verb that show it is not followed by a clause ("said to be", "said in 2019").
FINITE = frozenset("""
is are was were has have had will would can could may might must shall should did does do am be been being
died took made gave found saw told said knew thought began ran left kept held brought felt stood lost paid met sent
built fell led won cut put set hit shut went came became got
""".split()) - {"be", "been", "being"}
NOT_A_CLAUSE = frozenset("""
to in on at of for by about with from into goodbye so yes no nothing something anything this little much more less
and but or as during after before when while if than
""".split())
_ADVERBIAL_STARTS = frozenset({"in", "on", "at", "during", "last", "this", "earlier", "yesterday", "today",
                               "recently", "previously", "later", "also", "again", "then", "after", "before"})
_END = ".!?;"
# one sentence adverb before "according to X, clause" ("However,", "Meanwhile,", "Previously,"): the clause follows X
_SENTENCE_ADVERB = re.compile(r"(?i:however|meanwhile|moreover|furthermore|instead|still|yet|now|also|indeed|thus|"
                              r"therefore|nevertheless|nonetheless|today|yesterday|[a-z]+ly),")
_NARRATOR = re.compile(r";|,\s+(?:which|but|while|although|though|whereas)\b|\s+despite\b")


def _trim_end(text: str, start: int, end: int) -> int:
    while end > start and (text[end - 1] in _END + " \n,:—–\"”’" or text[end - 1].isspace()):
        end -= 1
    return end


def finite(text: str, start: int, end: int) -> bool:
    """Whether the words from ``start`` look like a finite clause: an auxiliary, a past form or a common irregular
    past among its first words, not at its start ("the road was closed", "three people died"; not "to be dead",
    "the death of", "investigating itself").

    >>> t = "the road was closed"; finite(t, 0, len(t)), finite("three days of mourning", 0, 21)
    (True, False)
    """
    found = (w.lower() for w, _, _ in iter_words(text, start, min(end, start + 120), first=9))  # read as needed
    head = next(found, "")
    if not head or head in NOT_A_CLAUSE or head.endswith("ing") or not head[:1].isalnum():
        return False
    for word in found:
        if word in (",", ";", ".", ":") or word in ("that", "which", "who"):
            return False
        if word in FINITE or (word.endswith("ed") and len(word) > 3) or word.endswith("n't"):
            return True
    return False


def _clause_start(text: str, start: int, end: int, verb: str) -> int | None:
    """Where the reported clause after a verb starts: after *that* (past an object or an adverbial), or, for a
    finite clause, right after the verb, its object ("told NPR …") or an adverbial ("said on Friday …")."""
    following = words(text, start, min(end, start + 160), first=12)
    if not following:
        return None
    for k, (word, left, right) in enumerate(following[:8]):
        if word.lower() == "that":
            if any(w in ('"', "“", "”", ";", ".") for w, _, _ in following[:k]):
                return None
            return following[k + 1][1] if k + 1 < len(following) else None
        if word in (".", ";", ":", "!", "?", '"', "“", "”"):
            break
    skip = 0
    if verb.lower() in OBJECT_VERBS:  # "told NPR", "told the press", "told state media"
        while skip < min(3, len(following) - 1) and (following[skip][0][:1].isupper() or following[skip][0].lower()
                                                      in ("the", "a", "an", "press", "reporters", "media", "state",
                                                          "local", "journalists", "news")):
            skip += 1
            if following[skip - 1][0][:1].isupper() and not following[skip][0][:1].isupper():
                break
        if skip == 0:
            return None
    if skip < len(following) and following[skip][0].lower() in ("on", "in", "at", "during", "last", "this"):
        # "said on Friday …": an adverbial of up to three words before the clause
        for width in (2, 3, 1):
            if skip + width < len(following) and finite(text, following[skip + width][1], end):
                skip += width
                break
    if skip >= len(following):
        return None
    clause = following[skip][1]
    return clause if finite(text, clause, end) else None


def indirect_quotes(text: str, sentences: list[tuple[int, int]], taken: list[tuple[int, int]],
                    verbs: VerbFinder | None = None) -> list[dict]:
    """One article's indirect quotations, leaving out verbs inside or next to the ``taken`` spans (direct and
    mixed quotations and their attributions). Rows as :func:`helpers.stats.quotations.direct_quotes` gives;
    ``verbs``: where the article's reporting verbs may start (all found when None)."""
    rows = []
    if not sentences:
        return rows
    matches = (verbs or VerbFinder(text)).matches(sentences[0][0], max(e for _, e in sentences))
    if not matches:
        return rows
    starts = [a for a, _ in sentences]
    taken = SpanSet(taken)
    for match in matches:
        at = bisect.bisect_right(starts, match.start()) - 1
        s_start, s_end = sentences[at]
        if at < 0 or match.end() > s_end:
            continue
        if taken.holds(match.start()) or any(r["start"] <= match.start() < r["end"] for r in rows):
            continue
        row = _reported(text, match, s_start, s_end)
        if row is None or taken.holds(row["start"]) or len(row["quote"].split()) < MIN_CLAUSE_WORDS:
            continue
        if any(mark in row["quote"] for mark in '"“”'):
            continue
        rows.append(row)
    return rows


def _row(text: str, start: int, end: int, speaker: Span, verb: Span, parts=None) -> dict:
    quoted = text[start:end]
    return {"start": start, "end": end, "quote": quoted, "kind": "indirect", "speaker": speaker, "verb": verb,
            "inherited": False, "opened": start}


def _reported(text: str, match, s_start: int, s_end: int) -> dict | None:
    verb = Span(match.start(), match.end())
    form = match.group()
    end = _trim_end(text, s_start, s_end)
    if form.lower() == ACCORDING_TO:
        comma = text.find(",", verb.end, end)
        speaker = speaker_after(text, verb.end, s_end) or (
            Span(verb.end + 1, comma) if comma > verb.end + 1 else None)  # "according to eyewitnesses,"
        if speaker is None:
            return None
        before = text[s_start:verb.start].strip()
        if not before or _SENTENCE_ADVERB.fullmatch(before):  # "(However,) according to X, clause."
            if comma < 0:
                return None
            start = comma + 1
            while start < end and text[start].isspace():
                start += 1
            return _row(text, start, _clause_end(text, start, end), speaker, verb)
        if before.endswith(","):  # "clause, according to X[, …]."
            return _row(text, s_start, _trim_end(text, s_start, verb.start), speaker, verb)
        return None
    after_verb = text[verb.end:s_end].strip()
    if form.lower() in OBJECT_VERBS:  # "…, officials told state media, adding …"
        after_verb = re.sub(r"^(?:(?:the|a|an|[A-Z][\w.'’-]*|state|local|news|media|press|reporters)\s*){1,4}", "",
                            after_verb)
    comma_before = text.find(",", s_start, verb.start) >= 0
    after_comma = comma_before and text[s_start:verb.start].rstrip().endswith(",")
    if not after_comma and not (comma_before and (after_verb.strip(" .!?\"”") == "" or after_verb.startswith(","))):
        # neither "…, said X" nor "clause, X said" can hold, only "X said (that) clause": its clause is looked
        # for first, since most verbs have none and their speaker is then not needed
        start = _clause_start(text, verb.end, end, form)
        speaker = speaker_before(text, verb.start, s_start) if start is not None and start < end else None
        return None if speaker is None else _row(text, start, _clause_end(text, start, end), speaker, verb)
    speaker = speaker_before(text, verb.start, s_start)
    if speaker is None:
        # "…, said the minister."
        inverted = speaker_after(text, verb.end, s_end) if after_comma else None
        if inverted and text[inverted.end:s_end].strip(" .!?\"”") == "":
            return _row(text, s_start, _trim_end(text, s_start, verb.start), inverted, verb)
        return None
    before_speaker = text[s_start:speaker.start].rstrip()
    if before_speaker.endswith(",") and before_speaker[:-1].strip():
        if after_verb.strip(" .!?\"”") == "" or after_verb.startswith(", adding"):  # "clause, officials said."
            return _row(text, s_start, _trim_end(text, s_start, speaker.start), speaker, verb)
        if after_verb.startswith(","):  # "The fuel, officials said, spilled."
            rest = text.index(",", verb.end) + 1
            return _row(text, s_start, end, speaker, verb,
                        parts=[(s_start, _trim_end(text, s_start, speaker.start)), (rest, end)])
    start = _clause_start(text, verb.end, end, form)
    if start is None or start >= end:
        return None
    return _row(text, start, _clause_end(text, start, end), speaker, verb)


def _clause_end(text: str, start: int, end: int) -> int:
    """The reported clause stops at a semicolon and before the narrator's own addition (", which", ", but",
    " despite" …)."""
    cut = _NARRATOR.search(text, start, end)
    return _trim_end(text, start, cut.start() if cut else end)
