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

from helpers.stats.reporting_verbs import (ACCORDING_TO, BARE_CLAUSE_VERBS, OBJECT_VERBS, Span, speaker_after,
                                           speaker_before, verb_pattern, words)

MIN_CLAUSE_WORDS = 3
# Words after a bare-clause verb that show it is not followed by a clause ("said to be", "said in 2019").
NOT_A_CLAUSE = frozenset("""
to in on at of for by about with from into goodbye so yes no nothing something anything this little much more less
and but or as during after before when while if than
""".split())
_ADVERBIAL_STARTS = frozenset({"in", "on", "at", "during", "last", "this", "earlier", "yesterday", "today",
                               "recently", "previously", "later", "also", "again", "then", "after", "before"})
_END = ".!?;"


def _inside(position: int, spans) -> bool:
    return any(a <= position < b for a, b in spans)


def _trim_end(text: str, start: int, end: int) -> int:
    while end > start and (text[end - 1] in _END + " \n,:—–\"”’" or text[end - 1].isspace()):
        end -= 1
    return end


def _that_clause(text: str, start: int, end: int, verb: str) -> int | None:
    """Where the reported clause after a verb starts (after *that*, an object, an adverbial), or None."""
    following = words(text, start, end)[:10]
    if not following:
        return None
    for k, (word, left, right) in enumerate(following[:7]):
        if word.lower() == "that":
            between = following[:k]
            if any(w in ('"', "“", "”", ";", ".") for w, _, _ in between):
                return None
            return following[k + 1][1] if k + 1 < len(following) else None
        if word in (".", ";", ":", "!", "?", '"', "“", "”"):
            break
    first = following[0][0].lower()
    if verb.lower() in OBJECT_VERBS or verb.lower() not in BARE_CLAUSE_VERBS:
        return None
    if first in NOT_A_CLAUSE or not following[0][0][:1].isalnum():
        return None
    return following[0][1]


def indirect_quotes(text: str, sentences: list[tuple[int, int]], taken: list[tuple[int, int]]) -> list[dict]:
    """One article's indirect quotations, leaving out verbs inside or next to the ``taken`` spans (direct and
    mixed quotations and their attributions). Rows as :func:`helpers.stats.quotations.direct_quotes` gives."""
    rows = []
    for s_start, s_end in sentences:
        for match in verb_pattern().finditer(text, s_start, s_end):
            if _inside(match.start(), taken) or any(a <= match.start() < b for a, b, *_ in
                                                   [(r["start"], r["end"]) for r in rows]):
                continue
            row = _reported(text, match, s_start, s_end)
            if row is None or _inside(row["start"], taken):
                continue
            if sum(1 for _ in words(text, row["start"], row["end"])) < MIN_CLAUSE_WORDS:
                continue
            if any(mark in text[row["start"]:row["end"]] for mark in '"“”'):
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
        speaker = speaker_after(text, verb.end, s_end)
        if speaker is None:
            return None
        before = text[s_start:verb.start].strip()
        if not before:  # "According to X, clause."
            after = text[speaker.end:end]
            if not after.lstrip().startswith(","):
                return None
            start = speaker.end + len(after) - len(after.lstrip()) + 1
            while start < end and text[start].isspace():
                start += 1
            return _row(text, start, end, speaker, verb)
        if before.endswith(",") and text[speaker.end:s_end].strip(" .!?\"”") == "":  # "clause, according to X."
            return _row(text, s_start, _trim_end(text, s_start, verb.start), speaker, verb)
        return None
    speaker = speaker_before(text, verb.start, s_start)
    if speaker is None:
        # "…, said the minister."
        inverted = speaker_after(text, verb.end, s_end)
        if inverted and text[s_start:verb.start].rstrip().endswith(",") and \
                text[inverted.end:s_end].strip(" .!?\"”") == "":
            return _row(text, s_start, _trim_end(text, s_start, verb.start), inverted, verb)
        return None
    after_verb = text[verb.end:s_end].strip()
    before_speaker = text[s_start:speaker.start].rstrip()
    if before_speaker.endswith(",") and before_speaker[:-1].strip():
        if after_verb.strip(" .!?\"”") == "":  # "clause, officials said."
            return _row(text, s_start, _trim_end(text, s_start, speaker.start), speaker, verb)
        if after_verb.startswith(","):  # "The fuel, officials said, spilled."
            rest = text.index(",", verb.end) + 1
            return _row(text, s_start, end, speaker, verb,
                        parts=[(s_start, _trim_end(text, s_start, speaker.start)), (rest, end)])
    start = _that_clause(text, verb.end, end, form)
    if start is None or start >= end:
        return None
    return _row(text, start, end, speaker, verb)
