"""How far the kit's tokens agree with NLTK's own ``NLTKWordTokenizer`` run on the same sentences, per article.

The check runs NLTK's regular expressions over every sentence, which on 10,000 articles takes a minute; with
``cache`` each article's counts are kept, keyed by the article's ``doc_id`` and text, the kit's token spans for it,
the sentence model's fingerprint, the NLTK version and this module's code, so a rerun checks new articles only.
"""

from __future__ import annotations

import hashlib
import json
import os
from importlib import metadata
from pathlib import Path

import numpy as np
import pandas as pd

AGREEMENT_COLUMNS = ["doc_id", "nltk_tokens", "kit_tokens", "identical"]
MAX_FILES = 16


def _article_spans(tokens: pd.DataFrame) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """``doc_id`` -> (starts, ends) of its tokens, without a Python-level groupby over millions of rows."""
    doc_codes, doc_values = pd.factorize(tokens["doc_id"].astype(str) if not isinstance(
        tokens["doc_id"].dtype, pd.CategoricalDtype) else tokens["doc_id"])
    order = np.argsort(doc_codes, kind="stable")
    starts, ends = tokens["start"].to_numpy()[order], tokens["end"].to_numpy()[order]
    edges = np.flatnonzero(np.diff(doc_codes[order])) + 1
    bounds = zip(np.r_[0, edges], np.r_[edges, len(order)]) if len(order) else []
    return {str(doc_values[doc_codes[order[left]]]): (starts[left:right], ends[left:right]) for left, right in bounds}


# The kit reads typographic apostrophes as straight ones on purpose (Libya’s is Libya + ’s); NLTK is given the same
# reading, one character for one, so the check measures the rules they share, not that choice.
APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'"})


def _counts(text: str, spans: tuple[np.ndarray, np.ndarray], model, treebank) -> tuple[int, int, int]:
    text = text.translate(APOSTROPHES)
    reference = {(s + a, s + b) for s, e in model.spans(text) for a, b in treebank.span_tokenize(text[s:e])}
    ours = set(zip(spans[0].tolist(), spans[1].tolist()))
    return len(reference), len(ours), len(ours & reference)


def _entry(doc_id: str, text: str, spans: tuple[np.ndarray, np.ndarray]) -> str:
    digest = hashlib.sha256(f"{doc_id}\0{text}\0".encode())
    digest.update(np.ascontiguousarray(spans[0], dtype=np.int64).tobytes())
    digest.update(np.ascontiguousarray(spans[1], dtype=np.int64).tobytes())
    return digest.hexdigest()[:32]


def nltk_agreement(articles: pd.DataFrame, tokens: pd.DataFrame, *, sentence_model,
                   cache: bool | str | os.PathLike | None = None) -> pd.DataFrame:
    """Per article: token boundaries NLTK's ``NLTKWordTokenizer`` finds in the sentences ``sentence_model`` splits
    (``nltk_tokens``; NLTK reads ’ and ‘ as ', as the kit does), the kit's tokens (``kit_tokens``, distinct ``start``/``end`` pairs of ``tokens``) and how
    many of them NLTK finds too (``identical``). Sum the columns for the corpus: the articles share no spans.

    ``cache``: ``True`` for the kit's cache folder (:func:`helpers.settings.cache_dir`), or a folder; articles
    checked before (same text, same kit tokens, same model, NLTK version and code) are not checked again.

    >>> from helpers.text.sentences import sentence_model
    >>> from helpers.text.tokenizer import tokenize
    >>> articles = pd.DataFrame({"doc_id": ["a"], "text": ["The U.S. signed the MoU. It's done."]})
    >>> model = sentence_model(articles["text"], pretrained=False)
    >>> nltk_agreement(articles, tokenize(articles, sentence_model=model), sentence_model=model)
      doc_id  nltk_tokens  kit_tokens  identical
    0      a           10          10         10
    """
    from nltk.tokenize import NLTKWordTokenizer

    from helpers.settings import cache_dir
    from helpers.store.files import bytes_sha256, write_json
    from helpers.store.keys import code_fingerprint, settings_key
    from helpers.text.sentence_store import model_fingerprint

    doc_ids = articles["doc_id"].astype(str).tolist()
    texts = articles["text"].astype(str).tolist()
    spans = _article_spans(tokens)
    empty = (np.array([], dtype=np.int64), np.array([], dtype=np.int64))
    article_spans = [spans.get(d, empty) for d in doc_ids]
    known: dict[str, list[int]] = {}
    folder = None
    if cache:
        settings = {"model": model_fingerprint(sentence_model), "nltk": metadata.version("nltk"),
                    "code": code_fingerprint(nltk_agreement)}
        folder = Path(cache_dir() if cache is True else cache) / "agreement" / settings_key("agreement", settings)
        for file in sorted(folder.glob("*.json")):
            try:
                known.update(json.loads(file.read_text()))
            except (OSError, ValueError):
                continue
    entries = [_entry(d, t, s) for d, t, s in zip(doc_ids, texts, article_spans)] if cache else [None] * len(doc_ids)
    treebank = NLTKWordTokenizer()
    fresh: dict[str, list[int]] = {}
    rows = []
    for doc_id, text, span, entry in zip(doc_ids, texts, article_spans, entries):
        counts = known.get(entry) if entry else None
        if counts is None:
            counts = list(_counts(text, span, sentence_model, treebank))
            if entry:
                fresh[entry] = counts
        rows.append([doc_id, *counts])
    if folder is not None and fresh:
        existing = sorted(folder.glob("*.json"))
        chosen = {**known, **fresh} if len(existing) >= MAX_FILES else fresh
        name = bytes_sha256("\n".join(sorted(chosen)).encode())[:24]
        write_json(folder / f"{name}.json", chosen)
        if chosen is not fresh:
            for file in existing:
                if file.name != f"{name}.json":
                    file.unlink(missing_ok=True)
    table = pd.DataFrame(rows, columns=AGREEMENT_COLUMNS).astype(
        {"doc_id": "str", "nltk_tokens": "int64", "kit_tokens": "int64", "identical": "int64"})
    table.attrs["cache"] = {"checked": len(fresh) if cache else len(rows), "reused": len(rows) - len(fresh) if cache else 0}
    return table
