"""One options object for the token table: how words are split and normalised, which rows are kept, what is joined.

``tokenize``, ``tokenize_article``, ``article_term_matrix`` and ``stopword_list`` take it as ``options=``, so a choice
made once (``TokenOptions(stem="porter")``) is the same choice everywhere, and a cache can key on it.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterable

STOPWORD_BASES = ("auto", "nltk", "sklearn", "none")
STEMMERS = (None, "snowball", "porter")


def _texts(value: str | os.PathLike | Iterable[str | os.PathLike]) -> tuple[str, ...]:
    """A tuple of str from one text (or path) or many (a bare text is one item, not its letters)."""
    if isinstance(value, (str, os.PathLike)):
        value = [value]
    return tuple(map(str, value))


@dataclasses.dataclass(frozen=True, repr=False)
class TokenOptions:
    """How :func:`helpers.tokenize` splits, normalises, filters and joins tokens (defaults intervene least).

    Words: ``web_tokens`` keeps URLs, e-mail addresses, @handles and #hashtags whole.
    ``term``: ``lowercase`` folds case; ``keep_acronyms`` keeps tokens with mostly capital letters (DEA, MoU, US) as
    written, so "US" is not "us"; ``stem`` is None, ``"snowball"`` or ``"porter"``; ``lemmatize`` uses WordNet
    when present. ``is_stop``: ``stopwords`` (``"auto"``: NLTK's English list when present, else scikit-learn's;
    ``"nltk"``, ``"sklearn"``, ``"none"``), ``news_stopwords`` (the kit's list: said, told, according, ...),
    ``extra_stopwords`` and ``stopword_files`` (one word a line, ``#`` comments).
    Rows dropped: ``drop_stop``, ``drop_punct``, ``drop_numbers``, ``min_length`` (characters of the term).
    Joined into one row: ``expressions`` (``("United States",)``) and the ``collocation_expressions`` strongest
    two-word collocations of the corpus. ``pos`` adds Penn Treebank tags when NLTK's tagger is present.

    Texts and paths are kept as tuples of str, so equal choices are equal options (and one cache key).

    >>> TokenOptions(stem="porter", extra_stopwords=["talks"])
    TokenOptions(extra_stopwords=('talks',), stem='porter')
    >>> TokenOptions(stem="porter").replace(stem=None) == TokenOptions()
    True
    """

    web_tokens: bool = False
    lowercase: bool = True
    keep_acronyms: bool = False
    stopwords: str = "auto"
    news_stopwords: bool = True
    extra_stopwords: tuple[str, ...] = ()
    stopword_files: tuple[str, ...] = ()
    drop_stop: bool = False
    drop_punct: bool = False
    drop_numbers: bool = False
    min_length: int = 1
    stem: str | None = None
    lemmatize: bool = False
    expressions: tuple[str, ...] = ()
    collocation_expressions: int = 0
    pos: bool = False

    def __post_init__(self) -> None:
        for name in ("extra_stopwords", "stopword_files", "expressions"):
            object.__setattr__(self, name, _texts(getattr(self, name)))
        if self.stopwords not in STOPWORD_BASES:
            raise ValueError(f"stopwords={self.stopwords!r}: use 'auto', 'nltk', 'sklearn' or 'none'")
        if self.stem not in STEMMERS:
            raise ValueError(f"stem={self.stem!r}: use None, 'snowball' or 'porter'")

    def __repr__(self) -> str:
        """Only the choices that differ from the defaults (a cache key written with it changes only with them)."""
        changed = [f"{field.name}={getattr(self, field.name)!r}" for field in dataclasses.fields(self)
                   if getattr(self, field.name) != field.default]
        return f"TokenOptions({', '.join(changed)})"

    def replace(self, **changes) -> TokenOptions:
        """These options with some choices changed.

        >>> TokenOptions().replace(drop_stop=True, drop_punct=True)
        TokenOptions(drop_stop=True, drop_punct=True)
        """
        return dataclasses.replace(self, **changes)

    @property
    def stopword_choice(self) -> tuple[str, bool, tuple[str, ...], tuple[str, ...]]:
        """The choices the stopword list depends on (what :func:`helpers.text.stopwords.stopword_list` caches on)."""
        return self.stopwords, self.news_stopwords, self.extra_stopwords, self.stopword_files


def check_options(options: TokenOptions) -> TokenOptions:
    """``options`` when it is a :class:`TokenOptions`, else a clear error (not one from deep inside)."""
    if not isinstance(options, TokenOptions):
        raise TypeError(f"options= takes helpers.TokenOptions(...), not {type(options).__name__}; e.g. "
                        "tokenize(articles, options=helpers.TokenOptions(stem='porter'))")
    return options
