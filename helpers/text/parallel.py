"""The chunked worker pool: ``tokenize`` and ``article_term_matrix`` map a function over chunks of articles in
``n_jobs`` processes, the workers splitting words while the main process trains the sentence model."""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor

from helpers.text.corpus_words import model_free_stage
from helpers.text.sentences import SentenceModel, as_sentence_model, sentence_splitter

CHUNK_CHARS = 4_000_000


# What worker processes share with the main one: the model queue, the next-chunk counter and (inherited by a
# forked worker, else sent once when it starts) the texts.
_shared: dict = {}


def _init_worker(queue, counter, texts) -> None:
    _shared.update(queue=queue, counter=counter, texts=texts if texts is not None else _shared["texts"])


def _claim(counter, n_chunks: int) -> int | None:
    """The next chunk nobody has taken yet (chunks are handed out one at a time, so no process idles while
    another still holds several)."""
    with counter.get_lock():
        index = counter.value
        counter.value = index + 1
    return index if index < n_chunks else None


def _chunk_stage(texts: Sequence[str], web_tokens: bool) -> dict:
    """The model-free stage of one chunk's non-empty articles (:func:`helpers.text.corpus_words.model_free_stage`)."""
    present = [i for i, text in enumerate(texts) if isinstance(text, str) and text]
    return {**model_free_stage([texts[i] for i in present], web_tokens), "present": present, "n_texts": len(texts)}


def _worker_chunks(finish, bounds: list[tuple[int, int]], web_tokens: bool) -> list:
    """A worker's chunks, claimed one by one: while the sentence model is still being trained it splits and
    tokenises them (the part that needs no model), then it takes the model and finishes them and the rest.
    Returns (chunk index, result) pairs."""
    queue, counter, texts = _shared["queue"], _shared["counter"], _shared["texts"]
    staged = []
    while queue.empty() and (index := _claim(counter, len(bounds))) is not None:
        a, b = bounds[index]
        staged.append((index, _chunk_stage(texts[a:b], web_tokens)))
    model = queue.get()
    if model is None:  # the main process failed to train it
        return []
    results = []
    while staged:
        index, stage = staged.pop(0)
        results.append((index, finish(stage, model)))
    while (index := _claim(counter, len(bounds))) is not None:
        a, b = bounds[index]
        results.append((index, finish(_chunk_stage(texts[a:b], web_tokens), model)))
    return results


def map_chunks(finish, texts: list[str], model: SentenceModel | None, web_tokens: bool, n_jobs: int):
    """``finish(stage, model)`` over chunks of articles, in ``n_jobs`` processes when more than one: the main
    process and ``n_jobs - 1`` workers.

    Without a model, the main process trains it (Punkt on these articles) while the workers do the part that
    needs none, so the serial training overlaps the parallel work; then the main process takes chunks too.
    Returns (bounds, results, model)."""
    jobs = (os.cpu_count() or 1) if n_jobs == -1 else max(1, int(n_jobs))
    bounds = _chunks(texts, CHUNK_CHARS, jobs=jobs)
    if jobs == 1 or len(bounds) == 1:
        model = as_sentence_model(sentence_splitter(texts) if model is None else model)
        return bounds, [finish(_chunk_stage(texts[a:b], web_tokens), model) for a, b in bounds], model
    context = multiprocessing.get_context()
    forked = context.get_start_method() == "fork"
    queue, counter = context.Queue(), context.Value("q", 0)
    results: list = [None] * len(bounds)
    if forked:  # forked workers read the texts from memory: nothing is copied to them
        _shared["texts"] = texts
        gc.freeze()  # nor touched: their collector leaves the inherited objects alone (copy-on-write pages)
    try:
        with ProcessPoolExecutor(max_workers=jobs - 1, mp_context=context, initializer=_init_worker,
                                 initargs=(queue, counter, None if forked else texts)) as pool:
            futures = [pool.submit(_worker_chunks, finish, bounds, web_tokens) for _ in range(jobs - 1)]
            trained = None
            try:
                trained = as_sentence_model(sentence_splitter(texts) if model is None else model)
            finally:
                for _ in futures:
                    queue.put(trained)
            try:
                while (index := _claim(counter, len(bounds))) is not None:
                    a, b = bounds[index]
                    results[index] = finish(_chunk_stage(texts[a:b], web_tokens), trained)
            except BaseException:
                with counter.get_lock():  # the workers stop after their current chunk
                    counter.value = len(bounds)
                raise
            for future in futures:
                for index, result in future.result():
                    results[index] = result
    finally:
        _shared.pop("texts", None)
        if forked:
            gc.unfreeze()
    return bounds, results, trained


def _chunks(texts: Sequence[str], size: int, *, jobs: int = 1) -> list[tuple[int, int]]:
    """Runs of articles of about ``size`` characters. For ``jobs`` processes taking chunks one by one they shrink
    towards the end (to a quarter of ``size``), so that no process is left alone with a big last chunk."""
    lengths = [len(text) if isinstance(text, str) else 0 for text in texts]
    remaining = sum(lengths)
    bounds, first, total = [], 0, 0
    target = size if jobs == 1 else min(size, max(size // 4, remaining // jobs))
    for i, length in enumerate(lengths):
        total += length
        if total >= target:
            bounds.append((first, i + 1))
            remaining -= total
            first, total = i + 1, 0
            if jobs > 1:
                target = min(size, max(size // 4, remaining // jobs))
    if first < len(texts) or not bounds:
        bounds.append((first, len(texts)))
    return bounds

