"""Tokenise an articles frame into the token table: one row per token.

Token table columns: ``doc_id, sentence, position, token, term, start, end, is_stop, is_punct, is_alpha``.
``start``/``end`` are character offsets into the article's ``text``.
"""

from __future__ import annotations

import functools
import string

import pandas as pd
from nltk.tokenize import NLTKWordTokenizer
from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer, PunktTrainer

from .resources import has_resource

TOKEN_COLUMNS = ["doc_id", "sentence", "position", "token", "term", "start", "end", "is_stop", "is_punct", "is_alpha"]
NEWS_STOPWORDS = frozenset({"said", "says", "told", "according", "reported", "also", "would", "could", "one", "two"})
NEWS_ABBREVIATIONS = frozenset({
    "mr", "mrs", "ms", "dr", "prof", "gen", "maj", "col", "capt", "lt", "sgt", "sen", "rep", "gov", "pres", "st",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "u.s", "u.k", "u.n", "d.c", "e.u", "inc", "corp", "co", "ltd", "no", "vs", "e.g", "i.e", "etc", "jr", "sr",
})
_PUNCT = frozenset(string.punctuation) | frozenset("“”‘’—–…«»")


@functools.cache
def stopword_list() -> frozenset[str]:
    """NLTK's English stopwords when present, else scikit-learn's list; plus the kit's news words.

    >>> {"the", "said"} <= stopword_list()
    True
    """
    if has_resource("stopwords"):
        from nltk.corpus import stopwords

        base = frozenset(stopwords.words("english"))
    else:
        from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

        base = frozenset(ENGLISH_STOP_WORDS)
    return base | NEWS_STOPWORDS


def sentence_splitter(texts) -> PunktSentenceTokenizer:
    """Pretrained English Punkt when ``punkt_tab`` is present, else Punkt trained on ``texts``.

    >>> splitter = sentence_splitter(["Maj. Gen. Khaled met Mr. Smith. They talked."])
    >>> splitter.tokenize("Maj. Gen. Khaled met Mr. Smith. They talked.")
    ['Maj. Gen. Khaled met Mr. Smith.', 'They talked.']
    """
    if has_resource("punkt_tab"):
        from nltk.tokenize.punkt import PunktTokenizer

        return PunktTokenizer("english")
    trainer = PunktTrainer()
    trainer.train("\n\n".join(texts), finalize=True)
    params: PunktParameters = trainer.get_params()
    params.abbrev_types |= NEWS_ABBREVIATIONS
    return PunktSentenceTokenizer(params)


def tokenize(articles: pd.DataFrame) -> pd.DataFrame:
    """Split each article into sentences and Treebank-style word tokens, one row per token.

    >>> articles = pd.DataFrame({"doc_id": ["a"], "text": ["Libya’s MoU was signed."]})
    >>> tokenize(articles)["token"].tolist()
    ['Libya', '’', 's', 'MoU', 'was', 'signed', '.']
    """
    splitter = sentence_splitter(articles["text"].tolist())
    words = NLTKWordTokenizer()
    stops = stopword_list()
    rows: list[tuple] = []
    for doc_id, text in zip(articles["doc_id"], articles["text"]):
        position = 0
        for sentence_index, (s_start, s_end) in enumerate(splitter.span_tokenize(text)):
            for w_start, w_end in words.span_tokenize(text[s_start:s_end]):
                token = text[s_start + w_start:s_start + w_end]
                term = token.lower()
                rows.append((doc_id, sentence_index, position, token, term, s_start + w_start, s_start + w_end,
                             term in stops, all(ch in _PUNCT for ch in token), token.isalpha()))
                position += 1
    tokens = pd.DataFrame(rows, columns=TOKEN_COLUMNS)
    for column in ("doc_id", "token", "term"):
        tokens[column] = tokens[column].astype("category")
    for column in ("sentence", "position", "start", "end"):
        tokens[column] = tokens[column].astype("int32")
    return tokens
