"""Sentence splitting with NLTK's Punkt: the pretrained English model when ``punkt_tab`` is present, else Punkt
trained unsupervised on the articles themselves and seeded with the kit's news abbreviations.

The parameters are applied by :class:`helpers.text.sentence_boundaries.SentenceModel` (Punkt's own decisions,
faster); :mod:`helpers.text.sentence_training` trains them.

Reference: Kiss, T. & Strunk, J. (2006). Unsupervised multilingual sentence boundary detection.
Computational Linguistics 32(4), 485-525.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from helpers.resources import has_resource
from helpers.text.sentence_boundaries import SentenceModel, _normalise_abbreviation
from helpers.text.sentence_training import MAX_TRAINING_CHARS, train_parameters, training_chunks
from helpers.settings import PACKAGE_DATA_DIR

DATA_DIR = PACKAGE_DATA_DIR
ABBREVIATIONS_FILE = DATA_DIR / "news_abbreviations.txt"
TITLES_FILE = DATA_DIR / "news_titles.txt"


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
    from nltk.tokenize.punkt import PunktParameters  # imported when needed: a cache hit needs no NLTK

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


def _seeded_params(params, extra: Iterable[str]) -> PunktParameters:
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
    chunks = training_chunks(texts, max_training_chars=max_training_chars)
    size = sum(map(len, chunks))
    params = _seeded_params(train_parameters("\n\n".join(chunks)), extra)
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
