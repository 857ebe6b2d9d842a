"""Tokenising a corpus in partitions (a Dask articles frame, a Parquet folder, an iterable of article frames) with
one sentence model shared by every partition, so an article's tokens never depend on the partition it falls in:
the tokens of each partition equal :func:`helpers.tokenize`'s for those articles with that model.

>>> articles = pd.DataFrame({"doc_id": ["a", "b"], "text": ["Libya signed.", "Drugs were seized."]})
>>> from helpers.text.tokenizer import tokenize
>>> [part["term"].tolist() for part in tokenize_partitions([articles.iloc[:1], articles.iloc[1:]], tokenizer=tokenize)]
[['libya', 'signed', '.'], ['drugs', 'were', 'seized', '.']]
"""

from __future__ import annotations

import collections
import itertools
from collections.abc import Iterable, Iterator

import numpy as np
import pandas as pd

from helpers.scale.client import is_dask
from helpers.scale.partitions import article_frames, require_columns
from helpers.settings import run_sentence_model
from helpers.text.sentence_store import StoredModel, load_sentence_model, noted_fingerprint, trained_sentence_model
from helpers.text.options import TokenOptions
from helpers.text.sentences import sentence_splitter
from helpers.text.stopwords import DEFAULT_OPTIONS

TRAIN_CHARS = 2_000_000


def shared_sentence_model(texts: Iterable[str], *, train_chars: int = TRAIN_CHARS, cache=None):
    """The sentence splitter every partition shares, so an article's tokens never depend on its partition.

    Punkt is pretrained when ``punkt_tab`` is present (returns ``None``: the kit's own is already the same for every
    partition); otherwise it is trained once on the corpus's first ``train_chars`` characters, in order (for a corpus
    smaller than that, exactly what :func:`helpers.tokenize` trains on the whole frame). Punkt's training holds about
    45 bytes per training character, hence a bounded sample: 2 M characters are some 17,000 news sentences; raise
    ``train_chars`` for a corpus whose abbreviations are rare. ``cache`` (``True`` for the kit's cache folder, or a
    folder) keeps the trained model under a hash of the training text, so a rerun whose first articles are
    unchanged reads it back instead of training again (the same model either way).

    >>> from unittest import mock
    >>> with mock.patch("helpers.resources.has_resource", lambda name: name != "punkt_tab"):  # as without punkt_tab
    ...     model = shared_sentence_model(["Maj. Gen. Khaled met Mr. Smith. They talked."])
    >>> model.tokenize("Maj. Gen. Khaled met Mr. Smith. They talked.")
    ['Maj. Gen. Khaled met Mr. Smith.', 'They talked.']
    >>> with mock.patch("helpers.resources.has_resource", lambda name: name == "punkt_tab"):  # as with it
    ...     shared_sentence_model(["Maj. Gen. Khaled met Mr. Smith. They talked."]) is None
    True
    """
    from helpers.resources import has_resource

    if has_resource("punkt_tab"):
        return None
    kept, total = [], 0
    for text in texts:
        if total >= train_chars:
            break
        kept.append(text)
        total += len(text)
    if not cache:
        return sentence_splitter(kept)
    model, _ = trained_sentence_model(kept, cache=None if cache is True else cache, n_chars=total,
                                      n_articles=len(kept))
    return model


def _run_model(*, lazy: bool = False):
    """The sentence model named by ``NEWSKIT_SENTENCE_MODEL`` (a run sets it: every notebook of a run splits
    sentences with the run's model, as :func:`helpers.text.sentence_store.resolve_sentence_model` does), or None. Reading it
    saves a pass over the corpus's text before the first token. With ``lazy`` (partitions tokenised through the
    token cache, which needs only the model's fingerprint for articles it holds) a model whose fingerprint is noted
    beside it comes as a :class:`StoredModel`, unpickled where an article needs tokenising: unpickling imports NLTK
    (about 1 s in the notebook's process and in each worker), and a rerun's partitions are mostly read back."""
    given = run_sentence_model()
    if not given:
        return None
    noted = noted_fingerprint(given) if lazy else None
    return StoredModel(given, noted) if noted else load_sentence_model(given)


def _corpus_texts(articles) -> Iterator[str]:
    if is_dask(articles):
        for index in range(articles.npartitions):
            yield from articles["text"].partitions[index].compute().tolist()
    else:
        for frame in articles:
            yield from frame["text"].tolist()


def tokenize_partition(articles: pd.DataFrame, *, tokenizer, splitter=None, keep: Iterable[str] = (), cache=None,
                       options: TokenOptions = DEFAULT_OPTIONS, n_jobs: int = 1) -> pd.DataFrame:
    """:func:`helpers.tokenize` on one partition with the shared sentence ``splitter``; ``keep`` copies article
    columns (e.g. ``source``, ``date``) onto every token so grouped counts need no join later; ``options`` (a
    :class:`helpers.TokenOptions`: ``keep_acronyms``, ``stem``, ``expressions`` …) and ``n_jobs`` go to the tokenizer. ``cache`` (``True`` for the kit's
    cache folder, or a folder), with ``tokenizer=helpers.cached_tokenize``, takes each article's tokens from its
    per-article cache, so a rerun tokenises only new articles and reads a partition it has seen back whole; the tokens are the
    same either way.

    >>> from helpers.text.tokenizer import tokenize
    >>> articles = pd.DataFrame({"doc_id": ["a"], "text": ["Libya signed."], "source": ["wire"]})
    >>> tokenize_partition(articles, tokenizer=tokenize, keep=["source"])[["term", "source"]].values.tolist()
    [['libya', 'wire'], ['signed', 'wire'], ['.', 'wire']]
    """
    keep = list(keep)
    require_columns(articles, ["doc_id", "text", *keep], "articles")
    options = {"options": options, "n_jobs": n_jobs}
    if cache:  # the tokenizer is then helpers.cached_tokenize, which takes the cache's own options
        tokens = tokenizer(articles, sentence_model=splitter, cache=None if cache is True else cache,
                           progress=False, whole_table="partition", **options)
        for key in ("cache", "sentence_model"):
            tokens.attrs.pop(key, None)
    else:
        tokens = tokenizer(articles, sentence_model=splitter, **options)
    if keep:
        metadata = articles[["doc_id", *keep]].astype({"doc_id": str})
        repeated = metadata["doc_id"][metadata["doc_id"].duplicated()]
        if len(repeated):
            raise ValueError(f"doc_id {repeated.iloc[0]!r} names two articles; load_articles gives unique ids")
        # Article row of every token, through the doc_id categories: one lookup per article, not per token.
        doc_ids = tokens["doc_id"].astype("category")
        article_rows = pd.Index(metadata["doc_id"]).get_indexer(doc_ids.cat.categories.astype(str))
        rows = article_rows[doc_ids.cat.codes.to_numpy()] if len(tokens) else np.zeros(0, dtype=np.intp)
        for column in keep:
            tokens[column] = metadata[column].array.take(rows)
    return tokens


def tokenize_partitions(articles, *, tokenizer, keep: Iterable[str] = (), train_chars: int = TRAIN_CHARS,
                        splitter=None, cache=None, options: TokenOptions = DEFAULT_OPTIONS, n_jobs: int = 1):
    """Tokenise partition by partition with one shared sentence model (see :func:`shared_sentence_model`).

    ``articles``: a Dask DataFrame → a Dask token table (lazy, one token partition per article partition); a Parquet
    folder, a pandas frame or an iterable of article frames → a generator of token partitions. Each token partition
    has :func:`helpers.tokenize`'s columns plus the ``keep`` article columns; ``options`` and ``n_jobs`` go to the
    tokenizer for every partition; ``cache`` to :func:`tokenize_partition`.

    >>> from helpers.text.tokenizer import tokenize
    >>> articles = pd.DataFrame({"doc_id": ["a"], "text": ["Libya signed."]})
    >>> [len(part) for part in tokenize_partitions([articles, articles.assign(doc_id="b")], tokenizer=tokenize)]
    [3, 3]
    """
    keep = list(keep)
    options = {"options": options, "n_jobs": n_jobs}
    if is_dask(articles):
        import dask
        import dask.dataframe as dd
        from dask.dataframe.utils import clear_known_categories

        splitter = splitter if splitter is not None else _run_model(lazy=bool(cache)) or shared_sentence_model(
            _corpus_texts(articles), train_chars=train_chars, cache=cache)
        meta = tokenize_partition(articles._meta_nonempty.iloc[:1], tokenizer=tokenizer, splitter=splitter, keep=keep, **options).iloc[:0]
        meta = clear_known_categories(meta)
        shared = dask.delayed(splitter, pure=True)
        parts = [dask.delayed(tokenize_partition)(part, tokenizer=tokenizer, splitter=shared, keep=keep, cache=cache, **options)
                 for part in articles.to_delayed()]
        return dd.from_delayed(parts, meta=meta, verify_meta=False)
    frames = iter(article_frames(articles))
    splitter = splitter if splitter is not None else _run_model(lazy=bool(cache))
    if splitter is None:
        buffered, total = collections.deque(), 0
        for frame in frames:
            buffered.append(frame)
            total += int(frame["text"].str.len().sum())
            if total >= train_chars:
                break
        splitter = shared_sentence_model(_corpus_texts(buffered), train_chars=train_chars, cache=cache)
        frames = itertools.chain(_drain(buffered), frames)
    return (tokenize_partition(frame, tokenizer=tokenizer, splitter=splitter, keep=keep, cache=cache, **options) for frame in frames)


def _drain(queue: collections.deque) -> Iterator[pd.DataFrame]:
    while queue:
        yield queue.popleft()
