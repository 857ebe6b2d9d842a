"""How a :class:`SentenceModel` applies trained Punkt parameters: the same regular expressions and the same rules as
``nltk.tokenize.punkt.PunktSentenceTokenizer.span_tokenize`` (tests check the spans are identical), without building
a ``PunktToken`` object per candidate boundary, which makes it several times faster. Where the parameters come
from (pretrained, trained on the corpus) is :mod:`helpers.text.sentences`.

Reference: Kiss, T. & Strunk, J. (2006). Unsupervised multilingual sentence boundary detection.
Computational Linguistics 32(4), 485-525.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Iterable

import numpy as np

from helpers.text import characters
from helpers.text.sentence_layout import layout_breaks

# Closed-class words that often open a sentence: after a news abbreviation ("in the U.S. The ..."), a capitalised
# one of these (or one of Punkt's learned frequent sentence starters) means a new sentence.
COMMON_SENTENCE_STARTERS = frozenset("""
a after all also although an and another any as at before both but by despite during each for from he her his
however i if in it its many meanwhile most no not on one our she since so some that the their then there these
they this those though to two under we what when where while who why with yet you
""".split())

def _as_in_regex_module(pattern: str) -> str:
    """A Punkt pattern for the standard engine, with the regex module's meaning of \\s and \\S (the regex module,
    which runs NLTK's Punkt patterns, does not count \\x1c-\\x1f as whitespace; Python's re does)."""
    meaning = {r"\s": r"[^\S\x1c-\x1f]", r"\S": r"[\S\x1c-\x1f]"}
    return re.sub(r"\\[sS]", lambda match: meaning[match.group()], pattern)


def _punkt_word_pattern(lang) -> re.Pattern:
    """Punkt's word pattern (``PunktLanguageVars._word_tokenizer_re``) stated to run twice as fast, with the same
    tokens (group 1): the whitespace before a token is taken inside the match, and a word's characters that cannot
    open one of Punkt's word-end sequences (whitespace, a non-word character, ``--``, ``..``, ``. . .``, a final
    comma) are taken in one run instead of testing the end lookahead after each (``tests/test_sentences.py``
    checks the tokens against NLTK's)."""
    space, non_space = r"[^\S\x1c-\x1f]", r"[\S\x1c-\x1f]"
    non_word = re.fullmatch(r"\(\?:\[(.*)\]\)", lang._re_non_word_chars)
    if non_word is None:  # a language whose non-word characters are no class: NLTK's pattern as it is
        return re.compile(space + "*+" + _as_in_regex_module(lang._word_tokenizer_re().pattern),
                          re.UNICODE | re.VERBOSE)
    multi = _as_in_regex_module(lang._re_multi_char_punct)
    end = (f"(?:{space}|$|{lang._re_non_word_chars}|{multi}"
           f"|,(?=$|{space}|{lang._re_non_word_chars}|{multi}))")
    word = f"(?={lang._re_word_start}){non_space}(?:[^\\s{non_word.group(1)}\\-.,]++|(?!{end}){non_space})*+"
    return re.compile(f"{space}*+({multi}|{word}|{non_space})", re.UNICODE)


@functools.cache
def punkt_patterns() -> tuple[re.Pattern, re.Pattern]:
    """Punkt's word pattern and boundary realignment, built when first needed (a cache hit imports no NLTK). NLTK
    runs them under a ReDoS guard; they are linear, so the standard engine runs the same patterns faster."""
    from nltk.tokenize.punkt import PunktLanguageVars

    lang = PunktLanguageVars()
    return _punkt_word_pattern(lang), re.compile(_as_in_regex_module(lang.re_boundary_realignment.pattern), re.M)


_NUMERIC = re.compile(r"^-?[\.,]?\d[\d,\.-]*\.?$")
_ELLIPSIS = re.compile(r"\.\.+$")
_INITIAL = re.compile(r"[^\W\d]\.$")
_DASHES = re.compile("[\u2013\u2014/]")
_SENT_END = frozenset(".?!")
_PUNCTUATION = frozenset(";:,.!?")
# Punkt's orthographic-context flags (nltk.tokenize.punkt._ORTHO_*).
_BEG_UC, _MID_UC, _UNK_UC, _BEG_LC, _MID_LC, _UNK_LC = (1 << i for i in range(1, 7))
_UC = _BEG_UC | _MID_UC | _UNK_UC
_LC = _BEG_LC | _MID_LC | _UNK_LC


def _normalise_abbreviation(word: str) -> str:
    return word.strip().lower().removesuffix(".")


class SentenceModel:
    """Trained Punkt parameters plus a fast, exact application of them.

    ``source`` says where the parameters came from; ``fingerprint`` identifies them (for cache keys). Two models
    with the same parameters are equal and hash alike. ``spans(text)`` returns ``(start, end)`` character offsets
    exactly as ``PunktSentenceTokenizer(params).span_tokenize(text)`` would; a model with the kit's news titles
    (the kit's rules on) also ends a sentence at a blank line and after a heading's line.

    >>> from helpers.text.sentences import sentence_model
    >>> model = sentence_model(["Maj. Gen. Khaled met Mr. Smith. They talked."], pretrained=False)
    >>> model.split("Maj. Gen. Khaled met Mr. Smith. They talked.")
    ['Maj. Gen. Khaled met Mr. Smith.', 'They talked.']
    """

    def __init__(self, params, *, source: str, titles: Iterable[str] = (),
                 guarded: Iterable[str] = ()):
        self.params = params
        self.source = source
        self.titles = frozenset(titles)
        self.guarded = frozenset(guarded)
        params.abbrev_types |= self.titles | self.guarded
        self._abbrev = frozenset(params.abbrev_types)
        self._collocations = frozenset(params.collocations)
        self._collocation_heads = frozenset(first for first, _ in self._collocations)
        self._decisions: dict[str, bool] = {}
        self._plain_words: dict[str, bool] = {}
        self._starters = frozenset(params.sent_starters)
        self._ortho = dict(params.ortho_context)

    @functools.cached_property
    def fingerprint(self) -> str:
        # Computed when first asked (a cache key, an equality): tokenize never needs it, and hashing the sorted
        # parameters takes ~7 ms of a trained model. The frozen copies above are what it hashes.
        digest = hashlib.sha1()
        for part in (sorted(self._abbrev), sorted(self._collocations), sorted(self._starters),
                     sorted(self._ortho.items()), sorted(self.titles), sorted(self.guarded)):
            digest.update(repr(part).encode())
        if self.titles:
            digest.update(b"paragraph breaks")
        return digest.hexdigest()[:16]

    def __repr__(self) -> str:
        return (f"SentenceModel({self.source}; {len(self._abbrev)} abbreviations, "
                f"{len(self._collocations)} collocations, fingerprint {self.fingerprint})")

    def __eq__(self, other) -> bool:
        return isinstance(other, SentenceModel) and other.fingerprint == self.fingerprint

    def __hash__(self) -> int:
        return hash(self.fingerprint)

    def __getstate__(self):
        return {"params": self.params, "source": self.source, "titles": self.titles, "guarded": self.guarded}

    def __setstate__(self, state):
        self.__init__(state["params"], source=state["source"], titles=state["titles"], guarded=state["guarded"])

    @property
    def abbreviations(self) -> frozenset[str]:
        return self._abbrev

    @property
    def _params(self):
        """The Punkt parameters under the name NLTK's tokenizers use (for code written against them)."""
        return self.params

    def with_abbreviations(self, words: Iterable[str]) -> SentenceModel:
        """A copy that also treats ``words`` (e.g. ``"Brig"`` or ``"approx."``) as abbreviations."""
        from nltk.tokenize.punkt import PunktParameters

        params = PunktParameters()
        params.abbrev_types = set(self._abbrev) | {_normalise_abbreviation(w) for w in words}
        params.collocations = set(self._collocations)
        params.sent_starters = set(self._starters)
        params.ortho_context.update(self._ortho)
        return SentenceModel(params, source=self.source, titles=self.titles, guarded=self.guarded)

    # --- Punkt's decision for one candidate boundary, as PunktSentenceTokenizer.text_contains_sentbreak ---
    def _first_pass(self, tok: str):
        """(type, period_final, sentbreak, abbr, ellipsis) as Punkt's first pass annotates a token."""
        typ = _NUMERIC.sub("##number##", tok.lower())
        period_final = tok.endswith(".")
        if tok in _SENT_END:
            return typ, period_final, True, False, False
        if _ELLIPSIS.match(tok):
            return typ, period_final, False, False, True
        if period_final and not tok.endswith(".."):
            stem = tok[:-1].lower()
            # the kit's rules also read "Libya–U.S." and "EU/U.S." as ending in an abbreviation (Punkt: hyphens only)
            if stem in self._abbrev or stem.split("-")[-1] in self._abbrev \
                    or (self.titles and _DASHES.split(stem)[-1] in self._abbrev):
                return typ, period_final, False, True, False
            return typ, period_final, True, False, False
        return typ, period_final, False, False, False

    def _ortho_heuristic(self, tok: str, next_typ: str):
        if tok in _PUNCTUATION:
            return False
        context = self._ortho.get(next_typ, 0)
        if tok[0].isupper() and (context & _LC) and not (context & _MID_UC):
            return True
        if tok[0].islower() and ((context & _UC) or not (context & _BEG_LC)):
            return False
        return "unknown"

    def _sentbreak_after_second_pass(self, tok1: str, first1, tok2: str, first2) -> bool:
        typ1, period_final, sentbreak, abbr, ellipsis = first1
        if not period_final:
            return sentbreak
        typ = typ1[:-1] if len(typ1) > 1 and typ1[-1] == "." else typ1
        typ2, _, sentbreak2, _, _ = first2
        next_typ = typ2[:-1] if sentbreak2 and len(typ2) > 1 and typ2[-1] == "." else typ2
        is_initial = _INITIAL.match(tok1) is not None
        if (typ, next_typ) in self._collocations:
            return False
        if abbr and typ in self.titles:
            return False
        if abbr and typ in self.guarded:
            return tok2[0].isupper() and (next_typ in self._starters or next_typ in COMMON_SENTENCE_STARTERS)
        if (abbr or ellipsis) and not is_initial:
            if self._ortho_heuristic(tok2, next_typ) is True:
                return True
            if tok2[0].isupper() and next_typ in self._starters:
                return True
        if is_initial or typ == "##number##":
            heuristic = self._ortho_heuristic(tok2, next_typ)
            if heuristic is False:
                return False
            if (heuristic == "unknown" and is_initial and tok2[0].isupper()
                    and not (self._ortho.get(next_typ, 0) & _LC)):
                return False
        return sentbreak

    def _contains_sentbreak(self, context: str) -> bool:
        """Punkt's decision for one candidate: does ``context`` (word, end mark, what follows) hold a break?

        Decisions are remembered per context (a pure function of it): "U.S. President" recurs in news."""
        decision = self._decisions.get(context)
        if decision is None:
            if len(self._decisions) > 200_000:
                self._decisions.clear()
            decision = self._decisions[context] = self._decide_context(context)
        return decision

    def _decide_context(self, context: str) -> bool:
        previous = previous_first = None
        words = punkt_patterns()[0]
        for line in context.split("\n"):
            if not line.strip():
                continue
            for match in words.finditer(line):
                token = match.group(1)
                first = self._first_pass(token)
                # A token followed by another after its second pass is what text_contains_sentbreak looks for;
                # stopping at the first one keeps a megabyte of "!!!!" linear.
                if previous is not None and self._sentbreak_after_second_pass(previous, previous_first, token, first):
                    return True
                previous, previous_first = token, first
        return False

    # --- spans, as PunktSentenceTokenizer.span_tokenize with realign_boundaries=True ---
    def corpus_spans(self, corpus: str, codepoints: np.ndarray, flags: np.ndarray, text_starts: np.ndarray,
                     text_lengths: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Sentence spans of many texts joined into ``corpus``, each followed by whitespace, as ``(bounds,
        per_text)``: an (n, 2) array of start/end offsets into ``corpus`` and each text's number of sentences.
        ``codepoints`` and ``flags`` are :func:`helpers.text.characters.character_flags` of ``corpus``.

        This is Punkt's ``span_tokenize`` for every text at once: candidates (an end mark followed by other
        punctuation, or by whitespace and a token of the same text), the word before each, the overlaps Punkt
        removes, its slices and their realignment are found with numpy; only the decisions that need Punkt's
        parameters run in Python, once per candidate.
        """
        text_starts = np.asarray(text_starts, dtype=np.int64)
        text_ends = text_starts + np.asarray(text_lengths, dtype=np.int64)
        space = (flags & characters.PUNKT_SPACE).astype(bool)
        spaces = np.flatnonzero(space)
        marks = np.flatnonzero((flags & characters.END_MARK).astype(bool))  # bools: flatnonzero is 4x faster
        marks = marks[marks + 1 < len(flags)]
        text_of = np.searchsorted(text_starts, marks, side="right") - 1
        punctuation_after = (flags[marks + 1] & characters.NON_WORD).astype(bool)
        # The next token after a mark and whitespace starts where that run of whitespace ends.
        after = marks + 1
        space_after = space[after]
        run_last = spaces[np.append(np.diff(spaces) != 1, True)] if len(spaces) else spaces
        next_token = after.copy()
        if len(run_last) and space_after.any():
            next_token[space_after] = run_last[np.searchsorted(run_last, after[space_after])] + 1
        token_after = space_after & (next_token < len(flags)) & (next_token < text_ends[text_of])
        candidate = punctuation_after | token_after
        marks, text_of, punctuation_after, next_token = (marks[candidate], text_of[candidate],
                                                         punctuation_after[candidate], next_token[candidate])
        next_token_end = spaces[np.searchsorted(spaces, next_token)] if len(marks) else marks
        after_end = np.where(punctuation_after, marks + 2, next_token_end)
        next_start = np.where(punctuation_after, marks + 1, next_token)
        word_start, first_of_text = self._word_starts(corpus, flags, spaces, marks, text_of, text_starts)
        # A candidate whose word reaches back over the previous candidate ("acting!!!") replaces it.
        kept = np.ones(len(marks), dtype=bool)
        kept[:-1] = first_of_text[1:] | (marks[:-1] <= word_start[1:])
        chosen = np.flatnonzero(kept)
        # Punkt reads a context line by line and skips a line that str.strip empties, so where \\x1c-\\x1f (no
        # whitespace to its patterns, whitespace to strip) stand in a context, the shortcut is not taken.
        odd = (flags & (characters.SPACE | characters.PUNKT_SPACE)) == characters.SPACE  # a flag test, not 4 searches
        odd = np.flatnonzero(odd) if odd.any() else np.zeros(0, dtype=np.int64)
        unsure = (np.searchsorted(odd, after_end[chosen]) > np.searchsorted(odd, word_start[chosen])).tolist() \
            if len(odd) else [False] * len(chosen)
        decisions = self._decide_candidates(corpus, word_start[chosen].tolist(), marks[chosen].tolist(),
                                            after_end[chosen].tolist(), unsure)
        breaks = chosen[np.array(decisions, dtype=bool)] if len(chosen) else chosen
        bounds, per_text = self._slices_to_spans(corpus, flags, text_starts, text_ends, text_of[breaks],
                                                 marks[breaks] + 1, next_start[breaks])
        return layout_breaks(corpus, bounds, per_text, codepoints, flags) if self.titles else (bounds, per_text)


    @staticmethod
    def _word_starts(corpus, flags, spaces, marks, text_of, text_starts):
        """Where Punkt's word before each candidate starts: after the last ASCII whitespace since the previous
        candidate (``_get_last_whitespace_index``), else where the previous candidate's word started."""
        first_of_text = np.ones(len(marks), dtype=bool)
        first_of_text[1:] = text_of[1:] != text_of[:-1]
        previous_stop = np.where(first_of_text, text_starts[text_of], np.roll(marks, 1))
        before = np.searchsorted(spaces, marks) - 1
        last_space = np.where(before >= 0, spaces[np.maximum(before, 0)], -1)
        # Every ASCII whitespace character is whitespace, so the last whitespace is the last ASCII one unless it is
        # another kind (a no-break space): those few are searched in the text.
        other = np.flatnonzero((last_space > previous_stop) & ~(flags[np.maximum(last_space, 0)]
                                                                 & characters.ASCII_SPACE).astype(bool))
        for k in other.tolist():
            floor, end = int(previous_stop[k]), int(marks[k])
            last_space[k] = max(corpus.rfind(c, floor, end) for c in " \t\n\r\x0b\x0c")
        word_start = np.where(last_space > previous_stop, last_space + 1, -1)
        word_start = np.where(first_of_text & (word_start < 0), text_starts[text_of], word_start)
        if len(word_start):
            filled = np.maximum.accumulate(np.where(word_start >= 0, np.arange(len(word_start)), 0))
            word_start = word_start[filled]
        return word_start, first_of_text

    def _decide_candidates(self, corpus: str, word_starts: list, marks: list, after_ends: list,
                           unsure: list) -> list[bool]:
        plain, decide = self._plain_words, self._contains_sentbreak
        decisions = []
        for start, mark, after_end, odd in zip(word_starts, marks, after_ends, unsure):
            word = corpus[start:mark]
            is_plain = plain.get(word)
            if is_plain is None:
                is_plain = plain[word] = self._is_plain_word(word)
            decisions.append(True if is_plain and not odd else decide(corpus[start:after_end]))
        return decisions

    def _is_plain_word(self, word: str) -> bool:
        """A word of 2+ letters is an abbreviation, initial, number or ellipsis for Punkt only when listed, so
        before an end mark followed by a token it always ends a sentence (decided without tokenising)."""
        if len(self._plain_words) > 200_000:
            self._plain_words.clear()
        if len(word) > 1 and word.isalpha():
            lowered = word.lower()
            return lowered not in self._abbrev and lowered not in self._collocation_heads
        return False

    @staticmethod
    def _slices_to_spans(corpus, flags, text_starts, text_ends, break_text, break_end, break_next):
        """Punkt's slices (from the text's start or the previous break's next token to each break; the last to
        the end of the stripped text), realigned as ``_realign_boundaries``: closing quotes and brackets that
        open a slice join the one before."""
        n_texts = len(text_starts)
        per_text = np.bincount(break_text, minlength=n_texts) + 1
        slice_text = np.repeat(np.arange(n_texts), per_text)
        last_of_text = np.cumsum(per_text) - 1
        first_of_text = last_of_text - per_text + 1
        starts = np.empty(len(slice_text), dtype=np.int64)
        ends = np.empty(len(slice_text), dtype=np.int64)
        is_break = np.ones(len(slice_text), dtype=bool)
        is_break[last_of_text] = False
        ends[is_break] = break_end
        starts[first_of_text] = text_starts
        follows_break = np.ones(len(slice_text), dtype=bool)
        follows_break[first_of_text] = False
        starts[follows_break] = break_next
        stripped_end = text_ends.copy()
        trailing = np.flatnonzero((text_ends > text_starts)
                                  & (flags[np.maximum(text_ends - 1, 0)] & characters.SPACE).astype(bool))
        for t in trailing.tolist():
            stripped_end[t] = text_starts[t] + len(corpus[text_starts[t]:text_ends[t]].rstrip())
        ends[last_of_text] = stripped_end
        pairs = np.flatnonzero(is_break)  # every slice but a text's last has a following one
        closing = pairs[(flags[np.minimum(starts[pairs + 1], len(flags) - 1)] & characters.CLOSING).astype(bool)]
        shift = np.zeros(len(slice_text), dtype=np.int64)
        realigned = np.zeros(len(slice_text), dtype=bool)
        realign = punkt_patterns()[1]
        for j in closing.tolist():
            start2, stop2 = int(starts[j + 1]), int(ends[j + 1])
            match = realign.match(corpus, start2, max(start2, stop2))
            if match:
                realigned[j] = True
                ends[j] = start2 + len(match.group(0).rstrip())
                shift[j + 1] = match.end() - start2
        starts += shift
        keep = realigned | (ends > starts)
        return np.column_stack([starts, ends])[keep], np.bincount(slice_text[keep], minlength=n_texts)

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Sentence ``(start, end)`` offsets in ``text``, identical to Punkt's ``span_tokenize``.

        >>> from helpers.text.sentences import sentence_model
        >>> sentence_model(pretrained=False).spans("It rained. Then it stopped.")
        [(0, 10), (11, 27)]
        """
        corpus = text + "\n"
        codepoints, flags = characters.character_flags(corpus)
        bounds, _ = self.corpus_spans(corpus, codepoints, flags, np.zeros(1, dtype=np.int64),
                                      np.array([len(text)], dtype=np.int64))
        return [(start, end) for start, end in bounds.tolist()]

    span_tokenize = spans

    def split(self, text: str) -> list[str]:
        """The sentences of ``text`` as strings."""
        return [text[s:e] for s, e in self.spans(text)]

    tokenize = split
