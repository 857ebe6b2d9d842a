"""Lexicon sentiment (VADER) per sentence and per article.

VADER (Hutto & Gilbert 2014) scores text with a lexicon of rated words plus rules for negation, intensifiers,
capitals and punctuation; ``compound`` is the normalised sum in [-1, 1], ``pos``/``neu``/``neg`` the shares of the
text rated positive, neutral and negative. It was built for social media: on news, where "attack", "killed" or
"crisis" describe events rather than the writer's attitude, it measures the tone of the events reported, not an
outlet's stance. Read it as a rough signal to drill into (sort sentences, read them), never as a verdict.
"""

from __future__ import annotations

import functools
import warnings

import numpy as np
import pandas as pd

from helpers.resources import has_resource
from helpers.scale.reduce import require_whole

SENTIMENT_COLUMNS = ["doc_id", "sentence", "date", "compound", "pos", "neu", "neg", "text"]
ARTICLE_COLUMNS = ["doc_id", "date", "compound", "pos", "neu", "neg", "n_sentences", "share_negative",
                   "share_positive"]
SENTENCE_TEXT_COLUMNS = ["doc_id", "sentence", "start", "end", "text"]
NEUTRAL_BAND = 0.05


@functools.cache
def _analyser():
    from nltk.sentiment.vader import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


SCORE_COLUMNS = ["neg", "neu", "pos", "compound"]


def _cached_scores(sentences: pd.DataFrame, cache) -> np.ndarray:
    """VADER scores of ``sentences`` (rows of one article together), taken per article from the cache when the
    article's sentence texts were scored before."""
    import hashlib
    from importlib import metadata
    from pathlib import Path

    from helpers.settings import cache_dir
    from helpers.store.article_values import ArticleVectors
    from helpers.store.keys import settings_key
    from helpers.resources import find_resource

    settings = {"lexicon": find_resource("vader_lexicon"), "nltk": metadata.version("nltk"), "columns": SCORE_COLUMNS}
    folder = Path(cache_dir() if cache is True else cache) / "sentiment" / settings_key("sentiment", settings)
    store = ArticleVectors(folder)
    doc_ids, texts = sentences["doc_id"].astype(str).to_numpy(), sentences["text"].tolist()
    edges = np.r_[0, np.flatnonzero(doc_ids[1:] != doc_ids[:-1]) + 1, len(doc_ids)] if len(doc_ids) else np.r_[0]
    blocks = list(zip(edges[:-1].tolist(), edges[1:].tolist()))
    keys = [hashlib.sha256("\x1f".join([doc_ids[a], *texts[a:b]]).encode()).hexdigest()[:32] for a, b in blocks]
    known = store.get(keys)
    fresh = {}
    analyser = None
    for (a, b), key in zip(blocks, keys):
        if key not in known and key not in fresh:
            analyser = analyser or _analyser()
            scored = [analyser.polarity_scores(text) for text in texts[a:b]]
            fresh[key] = [[score[c] for c in SCORE_COLUMNS] for score in scored]
    store.put(fresh)
    known.update(store.get(list(fresh)))
    parts = [known[key] for key in keys]
    return np.concatenate(parts) if parts else np.zeros((0, len(SCORE_COLUMNS)))


def _empty(columns: list[str], date_type) -> pd.DataFrame:
    """No scores, but the columns typed as scored tables type them."""
    types = {"doc_id": "str", "sentence": "int64", "text": "str", "n_sentences": "int64", "date": date_type}
    return pd.DataFrame(columns=columns).astype({c: types.get(c, "float64") for c in columns})


def sentence_texts(tokens: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """The text of every sentence of the token table, cut from the articles by the tokens' offsets.

    Columns: ``doc_id, sentence, start, end, text`` (``start``/``end``: the sentence's character offsets in the
    article's text; the text with runs of whitespace as one space).

    >>> import helpers
    >>> articles = pd.DataFrame({"doc_id": ["a"], "text": ["Libya signed. The US agreed."]})
    >>> sentence_texts(helpers.tokenize(articles), articles)["text"].tolist()
    ['Libya signed.', 'The US agreed.']
    """
    from helpers.frames import take_text, text_ranked_codes, typed_empty

    # Grouped on doc_id codes ranked as text (the order grouping on the strings gave), not a string per token.
    doc_rows, docs = text_ranked_codes(tokens["doc_id"])
    sentence, start, end = (tokens[c].to_numpy() for c in ("sentence", "start", "end"))
    # Each run of tokens of one sentence first (a token table's sentences are runs), then grouped: the same
    # spans as grouping every token, from a table a twentieth of its size.
    runs = np.flatnonzero(np.r_[True, (doc_rows[1:] != doc_rows[:-1]) | (sentence[1:] != sentence[:-1])]) \
        if len(doc_rows) else np.array([], dtype=np.int64)
    spans = (pd.DataFrame({"doc": doc_rows[runs], "sentence": sentence[runs],
                           "start": np.minimum.reduceat(start, runs) if len(runs) else start[:0],
                           "end": np.maximum.reduceat(end, runs) if len(runs) else end[:0]})
             .groupby(["doc", "sentence"]).agg(start=("start", "min"), end=("end", "max")).reset_index())
    texts = dict(zip(articles["doc_id"].astype(str), articles["text"].astype(str)))
    missing = set(docs) - set(texts)
    if missing:
        raise ValueError(f"{len(missing)} doc_id(s) of the token table are not in articles, e.g. {sorted(missing)[:3]}")
    text_of = [texts[doc] for doc in docs]
    doc = spans.pop("doc").to_numpy()
    spans.insert(0, "doc_id", take_text(docs, doc))
    spans["text"] = [" ".join(text_of[d][s:e].split())
                     for d, s, e in zip(doc.tolist(), spans["start"].tolist(), spans["end"].tolist())]
    return typed_empty(spans, {"doc_id": "str", "sentence": "int64", "start": "int64", "end": "int64", "text": "str"})


def sentiment(tokens: pd.DataFrame, articles: pd.DataFrame, *, level: str = "sentence", cache=None) -> pd.DataFrame:
    """VADER scores per sentence (``level="sentence"``) or per article (``level="article"``).

    Sentence columns: ``doc_id, sentence, date, compound, pos, neu, neg, text``. Article columns: ``doc_id, date,
    compound, pos, neu, neg`` (means over the article's sentences, so long articles do not saturate the compound
    score), ``n_sentences``, ``share_negative`` / ``share_positive`` (sentences with compound ≤ −0.05 / ≥ 0.05,
    VADER's usual bands). ``cache`` (``True`` for the kit's cache folder, or a folder) keeps each article's sentence
    scores, keyed by its ``doc_id`` and sentence texts, the lexicon and the NLTK version, so a rerun scores only new
    or changed articles; the scores are the same either way. Without the ``vader_lexicon`` resource: an empty table with these columns, a warning
    saying so, and ``attrs["skipped"]`` giving the reason; nothing else stops.

    >>> import helpers
    >>> articles = pd.DataFrame({"doc_id": ["a"], "date": [pd.NaT], "text": ["A great success. A terrible attack."]})
    >>> [s > 0 for s in sentiment(helpers.tokenize(articles), articles)["compound"]]
    [True, False]
    """
    require_whole(tokens, "sentiment")
    if level not in ("sentence", "article"):
        raise ValueError(f"level={level!r} is not 'sentence' or 'article'")
    columns = SENTIMENT_COLUMNS if level == "sentence" else ARTICLE_COLUMNS
    if not has_resource("vader_lexicon"):
        reason = "NLTK resource vader_lexicon is absent: no sentiment scores (python -m helpers nltk-data)"
        warnings.warn(reason, stacklevel=2)
        date_type = articles["date"].dtype if "date" in articles.columns else "datetime64[us, UTC]"
        empty = _empty(columns, date_type)
        empty.attrs["skipped"] = reason
        return empty
    sentences = sentence_texts(tokens, articles)
    if cache:
        scores = pd.DataFrame(_cached_scores(sentences, cache), columns=SCORE_COLUMNS, index=sentences.index)
    else:
        analyser = _analyser()
        scores = pd.DataFrame([analyser.polarity_scores(text) for text in sentences["text"]],
                              columns=SCORE_COLUMNS, index=sentences.index)
    sentences = sentences.join(scores)
    dates = articles.assign(doc_id=articles["doc_id"].astype(str)).set_index("doc_id")["date"] \
        if "date" in articles.columns else pd.Series(dtype="datetime64[ns, UTC]")
    sentences["date"] = sentences["doc_id"].map(dates) if len(sentences) else dates.iloc[:0].array
    sentences = sentences[SENTIMENT_COLUMNS].astype({c: "float64" for c in SCORE_COLUMNS}) if sentences.empty \
        else sentences[SENTIMENT_COLUMNS]
    return sentences if level == "sentence" else sentiment_by_article(sentences)


def sentiment_by_article(sentence_scores: pd.DataFrame) -> pd.DataFrame:
    """Per-article sentiment from the sentence table :func:`sentiment` returned: what ``sentiment(...,
    level="article")`` gives, without finding and scoring the sentences again.

    Columns: ``doc_id, date, compound, pos, neu, neg`` (means over the article's sentences), ``n_sentences``,
    ``share_negative`` / ``share_positive`` (sentences with compound ≤ −0.05 / ≥ 0.05). A skipped sentence table
    (no ``vader_lexicon``) gives an empty one that says why.

    >>> sentences = pd.DataFrame({"doc_id": ["a", "a"], "sentence": [0, 1], "date": pd.NaT, "compound": [0.5, -0.1],
    ...                           "pos": [0.5, 0.0], "neu": [0.5, 0.8], "neg": [0.0, 0.2], "text": ["x", "y"]})
    >>> sentiment_by_article(sentences)[["doc_id", "compound", "n_sentences", "share_negative"]].values.tolist()
    [['a', 0.2, 2, 0.5]]
    """
    missing = [c for c in SENTIMENT_COLUMNS if c not in sentence_scores.columns and c != "text"]
    if missing:
        raise ValueError(f"sentiment_by_article needs the sentence table of sentiment(); it has no {missing}")
    if sentence_scores.empty and "skipped" in sentence_scores.attrs:
        empty = _empty(ARTICLE_COLUMNS, sentence_scores["date"].dtype)
        empty.attrs.update({k: v for k, v in sentence_scores.attrs.items() if k == "skipped"})
        return empty
    banded = sentence_scores.assign(negative=(sentence_scores["compound"] <= -NEUTRAL_BAND).astype(float),
                                    positive=(sentence_scores["compound"] >= NEUTRAL_BAND).astype(float))
    per_article = banded.groupby("doc_id", sort=False).agg(
        date=("date", "first"), compound=("compound", "mean"), pos=("pos", "mean"), neu=("neu", "mean"),
        neg=("neg", "mean"), n_sentences=("sentence", "size"), share_negative=("negative", "mean"),
        share_positive=("positive", "mean")).reset_index()
    return per_article[ARTICLE_COLUMNS]
