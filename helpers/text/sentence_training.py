"""Training Punkt: NLTK's trainer with its fixed patterns run directly (not through NLTK's ReDoS guard), so the
same parameters come out about twice as fast. What is trained on is :mod:`helpers.text.sentences`.
"""

from __future__ import annotations

from collections.abc import Iterable

from nltk.tokenize.punkt import PunktLanguageVars, PunktToken, PunktTrainer

MAX_TRAINING_CHARS = 500_000


class _UnguardedToken(PunktToken):
    """NLTK's PunktToken with its fixed patterns run by the regex module directly, not through NLTK's ReDoS
    guard (a timeout wrapper around the same engine): the same types and flags, for training about 2x faster.
    These four patterns are NLTK's own and linear, so the guard has nothing to catch."""

    __slots__ = ()
    _RE_NUMERIC = PunktToken._RE_NUMERIC._rx
    _RE_ELLIPSIS = PunktToken._RE_ELLIPSIS._rx
    _RE_INITIAL = PunktToken._RE_INITIAL._rx
    _RE_ALPHA = PunktToken._RE_ALPHA._rx

    def __init__(self, tok, parastart=None, linestart=None, sentbreak=None, abbr=None, ellipsis=None):
        self.tok = tok
        self.type = self._RE_NUMERIC.sub("##number##", tok.lower())
        self.period_final = tok.endswith(".")
        self.parastart = parastart
        self.linestart = linestart
        self.sentbreak = sentbreak
        self.abbr = abbr
        self.ellipsis = ellipsis


class _UnguardedLanguageVars(PunktLanguageVars):
    """NLTK's English Punkt language variables, patterns run by the regex module directly (see above)."""

    def _word_tokenizer_re(self):
        return getattr(super()._word_tokenizer_re(), "_rx", super()._word_tokenizer_re())

    def period_context_re(self):
        return getattr(super().period_context_re(), "_rx", super().period_context_re())


def _trainer() -> PunktTrainer:
    if set(PunktToken._properties) != {"parastart", "linestart", "sentbreak", "abbr", "ellipsis"} \
            or not hasattr(PunktToken._RE_NUMERIC, "_rx"):
        return PunktTrainer()  # a different NLTK: its own classes
    return PunktTrainer(lang_vars=_UnguardedLanguageVars(), token_cls=_UnguardedToken)


def training_chunks(texts: Iterable[str], *, max_training_chars: int = MAX_TRAINING_CHARS) -> list[str]:
    """The text Punkt is trained on without ``punkt_tab``: the articles in order, empty ones skipped, up to
    ``max_training_chars`` characters (the last one cut). A model trained on equal chunks is the same model.

    >>> training_chunks(["One. Two.", " ", "Three."], max_training_chars=12)
    ['One. Two.', 'Thr']
    """
    chunks, size = [], 0
    for text in texts:
        if size >= max_training_chars:
            break
        if isinstance(text, str) and text.strip():
            chunks.append(text[: max_training_chars - size])
            size += len(chunks[-1])
    return chunks
