"""Units of an article whose quotation rows depend on nothing outside them, so that :func:`helpers.quotes` runs its
rules once per distinct unit of the corpus, however many articles repeat it (one wire story in many outlets, a
story's updated versions, press-release boilerplate, a release issued by two offices).

A unit is a run of whole paragraphs (non-blank lines). The lines of all articles are counted first; an article is
cut only where the number of articles holding its lines changes, around a run of repeated lines long enough to
spare the rules some work (``MIN_SHARED_CHARS``, ``MIN_SAVED_CHARS``); an article with no such run is read whole,
as before. A break between two paragraphs is a cut only when no rule of :mod:`helpers.stats.quotations` or
:mod:`helpers.stats.indirect_quotes` reads across it:

- the paragraph after it does not open with a quotation mark (a quotation opening its paragraph without an
  attribution takes the speaker of the paragraph before; a paragraph ending with a colon or "… released the
  following statement" introduces it; an open quotation runs on into a paragraph that reopens it);
- no quotation left open before it can run on past it (:func:`helpers.stats.quotation_marks.may_run_into`: the next
  mark of the article does not close);
- no reporting verb can be read across it: the paragraph before does not end in the first word of a verb of two
  words ("pointed | out"), the paragraph after does not open with *are/were/have* (read after an -s verb: a noun)
  nor with a verb form after a determiner or pronoun ending the paragraph before ("its | claims");
- no sentence of the token table runs over it, the paragraph's first sentence starts at its first character and the
  unit before it holds a sentence (a position's sentence is looked up among the sentences starting before it).

A unit's key is its text, its sentences (offsets relative to the unit) and whether its article counts single
marks (only an article without double marks does). Speakers are resolved to the entity mentions afterwards, per
article (:func:`helpers.stats.quote_speakers.resolve_speakers`): a pronoun's entity is the nearest mention before it
in the whole article. Nothing is kept from one call to the next.
"""

from __future__ import annotations

import bisect
import collections
import functools
import itertools
import operator

import numpy as np
import pandas as pd

from helpers.frames import codes_of, strings
from helpers.stats.quotation_marks import DOUBLE_MARKS, SINGLE_MARKS, may_run_into
from helpers.stats.quote_speakers import DocumentEntities
from helpers.stats.reporting_verbs import PRONOUNS, pattern_forms, verb_pattern

# A run of repeated lines becomes a unit when it is this long and its repeats spare the rules this many characters:
# a unit costs about as much as reading a few hundred characters (its cut, its own call of the rules)
MIN_SHARED_CHARS = 400
MIN_SAVED_CHARS = 4000
_MARKS = DOUBLE_MARKS + SINGLE_MARKS
_OPENING_MARKS = _MARKS + "'"
_BEFORE_A_NOUN = frozenset("the a an this these those its his their our my your whose every each".split()) | PRONOUNS


@functools.cache
def _two_word_starts() -> tuple[str, ...]:
    """The first words of the reporting verbs of two words ("pointed" of "pointed out"), lower case."""
    return tuple(sorted({form.split()[0].lower() for form in pattern_forms(True) if " " in form}))


class Units:
    """Cuts articles into units (:meth:`cut`) and keeps, for one call of :func:`helpers.quotes`, each distinct
    unit's rows (``rows``, filled by the caller for the keys of :meth:`missing`).

    A unit ends only where the number of articles holding a line changes (a run of lines repeated together, or of
    lines seen once, stays whole: cutting it would find nothing more to share), and only at a break no rule reads
    across; an article without a line seen elsewhere is one unit and is not cut at all."""

    def __init__(self, texts: list[str]):
        self.rows: dict[tuple, list] = {}
        self._pending: dict[tuple, tuple[str, list[tuple[int, int]], bool]] = {}
        self._split = [text.split("\n") for text in texts]
        # how many articles hold a line (C-level loops: every line is counted)
        self._held = collections.Counter(filter(None, itertools.chain.from_iterable(self._split)))
        # an article is worth cutting when enough of its characters are in (non-blank) lines held elsewhere too
        repeated = {line: len(line) for line, count in self._held.items() if count > 1 and not line.isspace()}
        held_length = repeated.get
        self._worth = [bool(repeated) and sum(map(held_length, lines, itertools.repeat(0))) >= MIN_SHARED_CHARS
                       for lines in self._split]
        self._two_word_starts = _two_word_starts()

    def cut(self, index: int, text: str, starts: np.ndarray, ends: np.ndarray) -> list[tuple[int, tuple]] | None:
        """The units of article ``index`` (of the texts given), in order, as (offset of the unit in ``text``,
        key), or None when it shares no run of lines worth a unit; ``starts``/``ends``: its sentences from the
        token table, in order of their starts."""
        if not self._worth[index]:
            return None
        lines = self._split[index]
        counts = [self._held[line] if line.strip() else 0 for line in lines]  # a blank line is no paragraph
        # (C-level loops: this runs for every article with a line seen elsewhere)
        lengths = list(itertools.accumulate(map(len, lines), initial=0))  # line i starts at lengths[i] + i
        paragraph = list(itertools.compress(range(len(lines)), counts))
        held = list(itertools.compress(counts, counts))
        # runs of paragraphs held by as many articles; a run held by more than one, long enough, is worth a unit
        edges = list(itertools.compress(range(1, len(held)), map(operator.ne, held[1:], held[:-1])))
        wanted = set()
        for a, b in zip([0, *edges], [*edges, len(paragraph)]):
            first, last = paragraph[a], paragraph[b - 1]
            size = lengths[last + 1] + last - lengths[first] - first
            if held[a] > 1 and size >= MIN_SHARED_CHARS and (held[a] - 1) * size >= MIN_SAVED_CHARS:
                wanted.update(k for k in (a, b) if 0 < k < len(paragraph))
        if not wanted:
            return None
        single = not any(mark in text for mark in DOUBLE_MARKS)  # single marks count only then
        start_list, end_list = starts.tolist(), ends.tolist()
        starts_at = [lengths[line] + line for line in paragraph]
        ends_at = [lengths[line + 1] + line for line in paragraph]
        cuts, firsts = [0], [0]  # the paragraphs that start a unit, and the unit's first sentence
        for j in sorted(wanted):
            k = self._clean_break(text, (starts_at[j - 1], ends_at[j - 1]), starts_at[j], single, start_list,
                                  end_list, firsts[-1])
            if k is not None:
                cuts.append(j)
                firsts.append(k)
        bounds = [starts_at[j] for j in cuts]
        unit_ends = [ends_at[j - 1] for j in cuts[1:]] + [ends_at[-1]]
        firsts.append(len(start_list))
        # a unit's sentences, keyed without its offset: its first start, then the steps between starts and the lengths
        steps, widths = starts[1:] - starts[:-1], ends - starts
        step_size, width_size = steps.itemsize, widths.itemsize
        steps, widths = steps.tobytes(), widths.tobytes()
        units = []
        for u, (offset, end) in enumerate(zip(bounds, unit_ends)):
            a, b = firsts[u], firsts[u + 1]
            piece = text[offset:end]
            key = (piece, single, start_list[a] - offset, steps[a * step_size:(b - 1) * step_size],
                   widths[a * width_size:b * width_size])
            if key not in self.rows and key not in self._pending:
                self._pending[key] = (piece, [(s - offset, e - offset) for s, e in zip(start_list[a:b],
                                                                                        end_list[a:b])], single)
            units.append((offset, key))
        return units

    def _clean_break(self, text: str, before: tuple[int, int], p_start: int, single: bool, starts: list[int],
                     ends: list[int], unit_first: int) -> int | None:
        """The index of the first sentence of the paragraph at ``p_start`` when no rule reads across the break
        between it and the paragraph ``before`` and the unit being built (from sentence ``unit_first``) holds a
        sentence (see the module's docstring), else None."""
        first = p_start
        while text[first].isspace():
            first += 1
        if text[first] in _OPENING_MARKS or may_run_into(text, p_start, single) or \
                text.startswith(("are", "were", "have"), first):
            return None
        if text[before[0]:before[1]].rsplit(None, 1)[-1].lower().endswith(self._two_word_starts):
            return None
        if verb_pattern(True).match(text, first) is not None:
            previous = text[max(0, first - 8):first].split()
            if previous and previous[-1].lower() in _BEFORE_A_NOUN:
                return None
        k = bisect.bisect_left(starts, p_start)
        if k <= unit_first or k == len(starts) or starts[k] != first or max(ends[unit_first:k]) > before[1]:
            return None
        return k

    def missing(self) -> list[tuple[tuple, str, list[tuple[int, int]], bool]]:
        """The units cut since the last call whose rows are not known: (key, text, sentences, single)."""
        found = [(key, *value) for key, value in self._pending.items()]
        self._pending = {}
        return found


def sentences_by_doc(tokens: pd.DataFrame) -> dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Each article's sentences from the token table: (sentence numbers, starts, ends), in reading order; columns
    read as stored (int32, int16 codes): int64 copies of millions of rows cost more than the rest."""
    if len(tokens) == 0:
        return {}
    codes, names = _doc_codes(tokens["doc_id"])
    sentence, start, end = (tokens[c].to_numpy() for c in ("sentence", "start", "end"))
    change = codes[1:] != codes[:-1]
    change |= sentence[1:] != sentence[:-1]
    runs = np.concatenate(([0], np.flatnonzero(change) + 1))
    run_docs, run_sentence = codes[runs], sentence[runs]
    run_start, run_end = np.minimum.reduceat(start, runs), np.maximum.reduceat(end, runs)
    blocks = np.cumsum(np.r_[True, run_docs[1:] != run_docs[:-1]])  # an article's runs, block by block
    order = np.lexsort((run_start, blocks))  # stable: runs starting together keep their order
    run_docs, run_sentence, run_start, run_end = (a[order] for a in (run_docs, run_sentence, run_start, run_end))
    edges = np.flatnonzero(np.r_[True, blocks[order][1:] != blocks[order][:-1], True]).tolist()
    doc_names = [names[code] for code in run_docs[edges[:-1]].tolist()]
    # a later block of the same article replaces an earlier one, as before
    return {name: (run_sentence[left:right], run_start[left:right], run_end[left:right])
            for name, left, right in zip(doc_names, edges[:-1], edges[1:])}


def mentions_by_doc(mentions: pd.DataFrame):
    """Each article's entity mentions, in order of their starts, as :class:`DocumentEntities`."""
    if mentions is None or len(mentions) == 0:
        return {}
    codes, labels = _doc_codes(mentions["doc_id"])
    starts, ends = mentions["start"].to_numpy(np.int64), mentions["end"].to_numpy(np.int64)
    names = strings(mentions["canonical"] if "canonical" in mentions.columns else mentions["entity"])
    kinds = strings(mentions["label"])
    if (np.diff(codes.astype(np.int64) * (int(starts.max()) + 1) + starts) < 0).any():  # not by article and start
        order = np.lexsort((starts, codes))  # stable: mentions starting together keep their order
        codes, starts, ends, names, kinds = (column[order] for column in (codes, starts, ends, names, kinds))
    edges = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1], True]).tolist()
    starts, ends, names, kinds = (column.tolist() for column in (starts, ends, names, kinds))
    return {labels[code]: DocumentEntities(starts, ends, names, kinds, (a, b))
            for code, a, b in zip(codes[edges[:-1]].tolist(), edges[:-1], edges[1:])}


def _doc_codes(doc_ids: pd.Series) -> tuple[np.ndarray, list[str]]:
    """Integer codes of the doc_id column (a categorical's own, not widened) and each code's id as str (ids equal
    as text share a code)."""
    categorical = isinstance(doc_ids.dtype, pd.CategoricalDtype)
    codes, labels = (doc_ids.cat.codes.to_numpy(), doc_ids.cat.categories.astype(str)) if categorical else \
        codes_of(doc_ids)
    names = np.asarray(labels, dtype=object).astype(str).tolist()
    if len(codes) and codes.min() < 0 or len(set(names)) < len(names):  # missing or look-alike ids
        codes, labels = codes_of(pd.Series(strings(doc_ids), dtype=object))
        names = np.asarray(labels, dtype=object).astype(str).tolist()
    return codes, names
