"""The stopword lists ``tokenize`` flags with ``is_stop``: a base list (NLTK's or scikit-learn's), the kit's news
list, the user's words and files."""

from __future__ import annotations

import functools
from pathlib import Path

from helpers.resources import corpus_file_without_nltk, has_resource
from helpers.text.options import TokenOptions, check_options
from helpers.text.sentences import DATA_DIR, read_word_list

NEWS_STOPWORDS_FILE = DATA_DIR / "news_stopwords.txt"
NEWS_STOPWORDS = frozenset(read_word_list(NEWS_STOPWORDS_FILE))
DEFAULT_OPTIONS = TokenOptions()


def nltk_english_stopwords() -> list[str]:
    """NLTK's English stopword list, as ``nltk.corpus.stopwords.words("english")`` gives it; read from the file
    itself while NLTK is not imported (importing it costs a kernel that reads its tokens from the cache ~1 s).

    >>> "the" in nltk_english_stopwords() if has_resource("stopwords") else True
    True
    """
    raw = corpus_file_without_nltk("stopwords", "english")
    if raw is None:
        from nltk.corpus import stopwords

        return stopwords.words("english")
    # nltk's WordListCorpusReader: UTF-8 lines, blank ones dropped
    return [line for line in raw.decode("utf-8").splitlines() if line.rstrip()]


@functools.cache
def stopwords_and_source(base: str, news: bool, extra: tuple[str, ...],
                         files: tuple[str, ...]) -> tuple[frozenset, str]:
    """The stopwords of one choice (:attr:`TokenOptions.stopword_choice`) and where they come from, once per choice.

    >>> stopwords_and_source("none", False, ("Talks",), ())
    (frozenset({'talks'}), 'no base stopword list + 1 user words')
    """
    if base == "auto":
        base = "nltk" if has_resource("stopwords") else "sklearn"
    if base == "nltk":
        if not has_resource("stopwords"):
            raise LookupError("stopwords='nltk' needs NLTK's stopwords (python -m helpers nltk-data); "
                              "use stopwords='sklearn' or 'auto'")
        words, source = frozenset(nltk_english_stopwords()), "NLTK English stopwords"
    elif base == "sklearn":
        from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

        words, source = frozenset(ENGLISH_STOP_WORDS), "scikit-learn English stopwords"
    elif base == "none":
        words, source = frozenset(), "no base stopword list"
    else:
        raise ValueError(f"stopwords={base!r}: use 'auto', 'nltk', 'sklearn' or 'none'")
    if news:
        words |= NEWS_STOPWORDS
        source += " + the kit's news list"
    for path in files:
        if not Path(path).is_file():
            raise FileNotFoundError(f"stopword file {path} does not exist")
        words |= {w.lower() for w in read_word_list(path)}
        source += f" + {Path(path).name}"
    if extra:
        words |= {w.lower() for w in extra}
        source += f" + {len(extra)} user words"
    return words, source


def stopword_list(*, options: TokenOptions = DEFAULT_OPTIONS) -> frozenset[str]:
    """The stopwords ``tokenize`` flags with ``is_stop`` under ``options``: a base list, the kit's news list, user
    words and files (``stopwords``, ``news_stopwords``, ``extra_stopwords``, ``stopword_files`` of
    :class:`helpers.TokenOptions`).

    ``stopwords``: ``"auto"`` (NLTK's English list when present, else scikit-learn's), ``"nltk"``,
    ``"sklearn"`` or ``"none"``. The news list (said, told, according, ...) is ``helpers/data/news_stopwords.txt``;
    ``stopword_files`` are text files with one word per line (``#`` starts a comment).

    >>> {"the", "said"} <= stopword_list()
    True
    >>> "said" in stopword_list(options=TokenOptions(news_stopwords=False))
    False
    """
    return stopwords_and_source(*check_options(options).stopword_choice)[0]
