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
MAX_TRAINING_CHARS = 1_000_000

_LANG = PunktLanguageVars()
# NLTK routes these through its ReDoS guard (the ``regex`` engine under a timeout); they are linear, so the
# standard engine runs the same patterns faster.
_PUNKT_WORDS = re.compile(_LANG._word_tokenizer_re().pattern, re.UNICODE | re.VERBOSE)
_REALIGN = re.compile(_LANG.re_boundary_realignment.pattern, re.MULTILINE)
_NUMERIC = re.compile(r"^-?[\.,]?\d[\d,\.-]*\.?$")
_ELLIPSIS = re.compile(r"\.\.+$")
_INITIAL = re.compile(r"[^\W\d]\.$")
_WHITESPACE = re.compile(r"\s")
_SENT_END = frozenset(".?!")
# A word of 2+ letters, one end mark, then whitespace and a token or a non-word character: never an initial,
# number or ellipsis.
# A whitespace-delimited word up to its last end mark that Punkt considers (followed by a non-word character or
# by whitespace and a token), with what follows: Punkt's period context.
# Punkt finds the word start with string.whitespace (ASCII), the following token with \s (Unicode).
_CANDIDATE_WORD = re.compile(r"(?<![^ \t\n\r\x0b\x0c])([^ \t\n\r\x0b\x0c]*[.?!])(?=(" + _LANG._re_non_word_chars
                             + r"|\s+(\S+)))")
_NON_WORD = re.compile(_LANG._re_non_word_chars)
_PLAIN_CANDIDATE = re.compile(r"([^\W\d_]{2,})[.?!](?:\s+\S|" + _LANG._re_non_word_chars + ")")
_PUNCTUATION = frozenset(";:,.!?")
# Punkt's orthographic-context flags (nltk.tokenize.punkt._ORTHO_*).
_BEG_UC, _MID_UC, _UNK_UC, _BEG_LC, _MID_LC, _UNK_LC = (1 << i for i in range(1, 7))
_UC = _BEG_UC | _MID_UC | _UNK_UC
_LC = _BEG_LC | _MID_LC | _UNK_LC


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
        """Punkt's decision for one candidate: does ``context`` (word, end mark, what follows) hold a break?"""
        tokens = [t for line in context.split("\n") if line.strip() for t in _PUNKT_WORDS.findall(line)]
        if len(tokens) < 2:
            return False
        first = [self._first_pass(t) for t in tokens]
        return any(self._sentbreak_after_second_pass(tokens[i], first[i], tokens[i + 1], first[i + 1])
                   for i in range(len(tokens) - 1))

    def _plain_break(self, context: str) -> bool:
        """The common case, decided without tokenising: a plain word of two or more letters, then ``.``, ``?``
        or ``!``, then a following token. Only an abbreviation or a learned collocation could prevent the break,
        and neither applies to such a word unless it is listed; everything else takes the full path."""
        match = _PLAIN_CANDIDATE.match(context)
        if match is None:
            return False
        word = match.group(1).lower()
        return word not in self._abbrev and word not in self._collocation_heads

    # --- spans, as PunktSentenceTokenizer.span_tokenize with realign_boundaries=True ---
    def _raw_slices(self, text: str) -> list[tuple[int, int]]:
        """Punkt's ``_slices_from_text``. NLTK visits every end mark and merges those not separated by whitespace
        ("acting!!!"); one match per whitespace-delimited word ending in a candidate gives the same contexts."""
        slices = []
        last_break = 0
        for number, match in enumerate(_CANDIDATE_WORD.finditer(text)):
            word, after = match.group(1, 2)
            # (Punkt's first candidate counts a word after whitespace at index 0 as starting at 0.)
            if (len(word) > 1 and word[0] in _SENT_END and _NON_WORD.match(word, 1)
                    and not (number == 0 and match.start(1) == 1)):
                # An end mark opening the word is its own candidate in NLTK ("5. !! Next": "!" then "!").
                if self._contains_sentbreak(word[:2]):
                    slices.append((last_break, match.start(1) + 1))
                    last_break = match.start(1) + 1
            if self._plain_break(word + after) or self._contains_sentbreak(word + after):
                slices.append((last_break, match.end(1)))
                last_break = match.start(3) if match.group(3) else match.end(1)
        slices.append((last_break, len(text.rstrip())))
        return slices

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
            m = _REALIGN.match(text, start2, max(start2, stop2))
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
