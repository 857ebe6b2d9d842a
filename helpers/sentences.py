"""Sentence splitting with NLTK's Punkt: the pretrained English model when ``punkt_tab`` is present, else Punkt
trained unsupervised on the articles themselves and seeded with the kit's news abbreviations.

:class:`SentenceModel` applies Punkt's decisions with the same regular expressions and the same rules as
``nltk.tokenize.punkt.PunktSentenceTokenizer.span_tokenize`` (tests check the spans are identical), without building
a ``PunktToken`` object per candidate boundary, which makes it several times faster.

Reference: Kiss, T. & Strunk, J. (2006). Unsupervised multilingual sentence boundary detection.
Computational Linguistics 32(4), 485-525.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from pathlib import Path

from nltk.tokenize.punkt import PunktLanguageVars, PunktParameters, PunktTrainer

from .resources import has_resource

DATA_DIR = Path(__file__).parent / "data"
ABBREVIATIONS_FILE = DATA_DIR / "news_abbreviations.txt"
TITLES_FILE = DATA_DIR / "news_titles.txt"
# Closed-class words that often open a sentence: after a news abbreviation ("in the U.S. The ..."), a capitalised
# one of these (or one of Punkt's learned frequent sentence starters) means a new sentence.
COMMON_SENTENCE_STARTERS = frozenset("""
a after all also although an and another any as at before both but by despite during each for from he her his
however i if in it its many meanwhile most no not on one our she since so some that the their then there these
they this those though to two under we what when where while who why with yet you
""".split())
MAX_TRAINING_CHARS = 500_000

_LANG = PunktLanguageVars()
# NLTK routes these through its ReDoS guard (the ``regex`` engine under a timeout); they are linear, so the
# standard engine runs the same patterns faster.
_PUNKT_WORDS = re.compile(_LANG._word_tokenizer_re().pattern, re.UNICODE | re.VERBOSE)
_REALIGN = re.compile(_LANG.re_boundary_realignment.pattern, re.MULTILINE)
# Punkt's period context: an end mark followed by a non-word character or by whitespace and a token.
_PERIOD_CONTEXT = re.compile(_LANG.period_context_re().pattern, re.UNICODE | re.VERBOSE)
# Punkt finds the start of the word before an end mark with string.whitespace (ASCII only).
_RARE_ASCII_SPACE = re.compile(r"[\t\r\x0b\x0c]")
_ASCII_SPACE = re.compile(r"[ \t\n\r\x0b\x0c]")
_CLOSING = frozenset("\"')]}\u2018\u2019\u201c\u201d\xab\xbb")  # what re_boundary_realignment starts with
_NUMERIC = re.compile(r"^-?[\.,]?\d[\d,\.-]*\.?$")
_ELLIPSIS = re.compile(r"\.\.+$")
_INITIAL = re.compile(r"[^\W\d]\.$")
_WHITESPACE = re.compile(r"\s")
_SENT_END = frozenset(".?!")
_PUNCTUATION = frozenset(";:,.!?")
# Punkt's orthographic-context flags (nltk.tokenize.punkt._ORTHO_*).
_BEG_UC, _MID_UC, _UNK_UC, _BEG_LC, _MID_LC, _UNK_LC = (1 << i for i in range(1, 7))
_UC = _BEG_UC | _MID_UC | _UNK_UC
_LC = _BEG_LC | _MID_LC | _UNK_LC


def _last_ascii_space(text: str, floor: int, end: int) -> int:
    """Index of the last ASCII whitespace character in ``text[floor:end]``, or -1."""
    last = max(text.rfind(" ", floor, end), text.rfind("\n", floor, end))
    after = last + 1 if last >= 0 else floor
    if _RARE_ASCII_SPACE.search(text, after, end) is None:
        return last
    return max(m.start() for m in _ASCII_SPACE.finditer(text, after, end))


def read_word_list(path: str | Path) -> list[str]:
    """Words from a text file, one per line; blank lines and lines starting with ``#`` are ignored.

    >>> read_word_list(TITLES_FILE)[:3]
    ['mr', 'mrs', 'ms']
    """
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


def news_abbreviations() -> frozenset[str]:
    """The kit's curated news abbreviations (``helpers/data/news_abbreviations.txt``: lower case, no final period).

    >>> {"u.s", "d.c", "inc", "jan", "e.g"} <= news_abbreviations()
    True
    """
    return frozenset(read_word_list(ABBREVIATIONS_FILE))


def news_titles() -> frozenset[str]:
    """Titles and ranks after which a sentence never ends (``helpers/data/news_titles.txt``).

    >>> {"mr", "dr", "maj", "gen", "sen", "gov"} <= news_titles()
    True
    """
    return frozenset(read_word_list(TITLES_FILE))


def _normalise_abbreviation(word: str) -> str:
    return word.strip().lower().removesuffix(".")


class SentenceModel:
    """Trained Punkt parameters plus a fast, exact application of them.

    ``source`` says where the parameters came from; ``fingerprint`` identifies them (for cache keys). Two models
    with the same parameters are equal and hash alike. ``spans(text)`` returns ``(start, end)`` character offsets
    exactly as ``PunktSentenceTokenizer(params).span_tokenize(text)`` would.

    >>> model = sentence_model(["Maj. Gen. Khaled met Mr. Smith. They talked."], pretrained=False)
    >>> model.split("Maj. Gen. Khaled met Mr. Smith. They talked.")
    ['Maj. Gen. Khaled met Mr. Smith.', 'They talked.']
    """

    def __init__(self, params: PunktParameters, *, source: str, titles: Iterable[str] = (),
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
        self._starters = frozenset(params.sent_starters)
        self._ortho = dict(params.ortho_context)
        digest = hashlib.sha1()
        for part in (sorted(self._abbrev), sorted(self._collocations), sorted(self._starters),
                     sorted(self._ortho.items()), sorted(self.titles), sorted(self.guarded)):
            digest.update(repr(part).encode())
        self.fingerprint = digest.hexdigest()[:16]

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
    def _params(self) -> PunktParameters:
        """The Punkt parameters under the name NLTK's tokenizers use (for code written against them)."""
        return self.params

    def with_abbreviations(self, words: Iterable[str]) -> SentenceModel:
        """A copy that also treats ``words`` (e.g. ``"Brig"`` or ``"approx."``) as abbreviations."""
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
            if stem in self._abbrev or stem.split("-")[-1] in self._abbrev:
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
        for line in context.split("\n"):
            if not line.strip():
                continue
            for match in _PUNKT_WORDS.finditer(line):
                token = match.group()
                first = self._first_pass(token)
                # A token followed by another after its second pass is what text_contains_sentbreak looks for;
                # stopping at the first one keeps a megabyte of "!!!!" linear.
                if previous is not None and self._sentbreak_after_second_pass(previous, previous_first, token, first):
                    return True
                previous, previous_first = token, first
        return False

    # --- spans, as PunktSentenceTokenizer.span_tokenize with realign_boundaries=True ---
    def _raw_slices(self, text: str) -> list[tuple[int, int]]:
        """Punkt's ``_slices_from_text`` and ``_match_potential_end_contexts``: end marks not separated by
        whitespace are one candidate ("acting!!!"), decided on the word before, the mark and what follows."""
        slices = []
        last_break = 0
        pending = None
        prev_start = prev_stop = 0
        rare_spaces = _RARE_ASCII_SPACE.search(text) is not None
        for match in _PERIOD_CONTEXT.finditer(text):
            m_start = match.start()
            if rare_spaces:
                last_space = _last_ascii_space(text, prev_stop, m_start)
            else:
                last_space = max(text.rfind(" ", prev_stop, m_start), text.rfind("\n", prev_stop, m_start))
            word_start = last_space + 1 if last_space > prev_stop else prev_start
            if pending is not None and prev_stop <= word_start:
                last_break = self._decide(text, pending, prev_start, slices, last_break)
            pending, prev_start, prev_stop = match, word_start, m_start
        if pending is not None:
            last_break = self._decide(text, pending, prev_start, slices, last_break)
        slices.append((last_break, len(text.rstrip())))
        return slices

    def _decide(self, text, match, word_start, slices, last_break) -> int:
        word = text[word_start:match.start()]
        # The common case without tokenising: a word of 2+ letters before the mark (the pattern guarantees a
        # following token) is an abbreviation, initial, number or ellipsis for Punkt only when listed.
        if len(word) > 1 and word.isalpha():
            lowered = word.lower()
            plain = lowered not in self._abbrev and lowered not in self._collocation_heads
        else:
            plain = False
        if plain or self._contains_sentbreak(word + match.group() + match.group("after_tok")):
            slices.append((last_break, match.end()))
            return match.start("next_tok") if match.group("next_tok") else match.end()
        return last_break

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Sentence ``(start, end)`` offsets in ``text``, identical to Punkt's ``span_tokenize``.

        >>> sentence_model(pretrained=False).spans("It rained. Then it stopped.")
        [(0, 10), (11, 27)]
        """
        slices = self._raw_slices(text)
        result = []
        realign = 0
        for (start1, stop1), following in zip(slices, slices[1:] + [None]):
            start1 += realign
            if following is None:
                if stop1 > start1:
                    result.append((start1, stop1))
                continue
            start2, stop2 = following
            m = _REALIGN.match(text, start2, max(start2, stop2)) if text[start2:start2 + 1] in _CLOSING else None
            if m:
                result.append((start1, start2 + len(m.group(0).rstrip())))
                realign = m.end() - start2
            else:
                realign = 0
                if stop1 > start1:
                    result.append((start1, stop1))
        return result

    span_tokenize = spans

    def split(self, text: str) -> list[str]:
        """The sentences of ``text`` as strings."""
        return [text[s:e] for s, e in self.spans(text)]

    tokenize = split


def as_sentence_model(model) -> SentenceModel:
    """A :class:`SentenceModel` from one, from NLTK's ``PunktSentenceTokenizer`` or from ``PunktParameters``.

    Parameters that hold all the kit's news titles and abbreviations (a model the kit trained, stored as plain
    Punkt parameters) get the kit's rules for them back.

    >>> from nltk.tokenize.punkt import PunktSentenceTokenizer
    >>> as_sentence_model(PunktSentenceTokenizer()).split("One. Two.")
    ['One.', 'Two.']
    """
    if isinstance(model, SentenceModel):
        return model
    params = model if isinstance(model, PunktParameters) else getattr(model, "_params", None)
    if not isinstance(params, PunktParameters):
        raise TypeError(f"sentence_model must be a SentenceModel or an NLTK Punkt tokenizer, not {type(model).__name__}")
    copy = PunktParameters()
    copy.abbrev_types = set(params.abbrev_types)
    copy.collocations = set(params.collocations)
    copy.sent_starters = set(params.sent_starters)
    copy.ortho_context.update(params.ortho_context)
    titles, guarded = news_titles(), news_abbreviations()
    if titles <= copy.abbrev_types and guarded <= copy.abbrev_types:
        return SentenceModel(copy, source="given Punkt model + the kit's news abbreviations and titles",
                             titles=titles, guarded=guarded)
    return SentenceModel(copy, source="given Punkt model")


def _seeded_params(params: PunktParameters, extra: Iterable[str]) -> PunktParameters:
    params.abbrev_types |= {_normalise_abbreviation(w) for w in extra}
    return params


def sentence_model(texts: Iterable[str] = (), *, pretrained: bool | None = None, abbreviations: Iterable[str] = (),
                   news_abbreviations_list: bool = True,
                   max_training_chars: int = MAX_TRAINING_CHARS) -> SentenceModel:
    """The sentence splitter for a corpus.

    ``pretrained=None`` uses NLTK's pretrained English Punkt when ``punkt_tab`` is present, else trains Punkt
    unsupervised on ``texts`` (what Punkt was designed for; the first ``max_training_chars`` characters, taking
    articles in order, so the result is deterministic and training stays bounded on big corpora) and adds the
    kit's news lists (``news_abbreviations_list``): after a title (Mr., Maj., Gen.) a sentence never ends; after
    another news abbreviation (U.S., Inc., Jan.) it ends only before a frequent sentence starter ("The", "He"),
    so "The U.S. Drug Enforcement Administration" stays one sentence. ``abbreviations`` extends either model
    (``"Brig"``, ``"approx."``). ``pretrained=True`` without ``punkt_tab`` raises ``LookupError``.

    >>> model = sentence_model(["The U.S. Drug Enforcement Administration met Mr. Smith. It ended."],
    ...                        pretrained=False)
    >>> model.split("The U.S. Drug Enforcement Administration met Mr. Smith. It ended.")
    ['The U.S. Drug Enforcement Administration met Mr. Smith.', 'It ended.']
    """
    extra = list(abbreviations)
    if pretrained is None:
        pretrained = has_resource("punkt_tab")
    if pretrained:
        if not has_resource("punkt_tab"):
            raise LookupError("pretrained=True needs NLTK's punkt_tab (python -m helpers nltk-data)")
        from nltk.tokenize.punkt import PunktTokenizer

        params = _seeded_params(PunktTokenizer("english")._params, extra)
        source = "pretrained English Punkt (punkt_tab)" + (f" + {len(extra)} user abbreviations" if extra else "")
        return SentenceModel(params, source=source)
    chunks, size = [], 0
    for text in texts:
        if size >= max_training_chars:
            break
        if isinstance(text, str) and text.strip():
            chunks.append(text[: max_training_chars - size])
            size += len(chunks[-1])
    trainer = PunktTrainer()
    if chunks:
        trainer.train("\n\n".join(chunks), finalize=True)
    params = _seeded_params(trainer.get_params(), extra)
    source = (f"Punkt trained on {size:,} characters of {len(chunks)} articles"
              + (" + the kit's news abbreviations and titles" if news_abbreviations_list else "")
              + (f" + {len(extra)} user abbreviations" if extra else ""))
    if not news_abbreviations_list:
        return SentenceModel(params, source=source)
    return SentenceModel(params, source=source, titles=news_titles(),
                         guarded=news_abbreviations() | {_normalise_abbreviation(w) for w in extra})


def sentence_splitter(texts: Iterable[str] = ()) -> SentenceModel:
    """Alias of :func:`sentence_model` with default settings (kept for earlier callers).

    >>> sentence_splitter(["Maj. Gen. Khaled met Mr. Smith. They talked."]).tokenize("Maj. Gen. Khaled met Mr. Smith. They talked.")
    ['Maj. Gen. Khaled met Mr. Smith.', 'They talked.']
    """
    return sentence_model(texts)
