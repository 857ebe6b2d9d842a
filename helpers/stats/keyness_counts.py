"""The counts keyness compares, of one token table (:func:`side_counts`) or of a token table in partitions (Dask, or
a list of frames: :func:`partitioned_sides`, each partition counted by :func:`side_counts`, the counts added by the
driver); :func:`helpers.keyness` finishes either exactly as the other. Target and reference take every form they take on pandas: a group spec
(``{"month": "2020-03"}`` with ``articles=``), a doc_id or a list of them, a boolean mask over the articles or over
the tokens (a numpy array, or a Dask Series such as ``tokens["source"] == "wire"``).
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd

from helpers.frames import codes_of
from helpers.scale.client import is_dask
from helpers.scale.reduce import partition_digest, reduce_partitions, sum_tables
from helpers.stats.reference_lists import is_frequency_list
from helpers.stats.selection import content_mask, token_mask

_KEYS = {"target": "__keyness_target__", "reference": "__keyness_reference__"}


def side_counts(tokens: pd.DataFrame, *, target, reference, articles: pd.DataFrame | None, drop_stop: bool,
                drop_punct: bool) -> tuple[np.ndarray, np.ndarray, pd.Index, str]:
    """The counts :func:`keyness` compares: each term's count in the target (a) and in the reference (b; zeros for
    an external frequency list), the terms, and how the reference is described.

    >>> t = pd.DataFrame({"doc_id": ["a", "b"], "term": ["x", "x"], "is_stop": False, "is_punct": False})
    >>> a, b, vocab, described = side_counts(t, target="a", reference=None, articles=None, drop_stop=True,
    ...                                      drop_punct=True)
    >>> a.tolist(), b.tolist(), list(vocab), described
    ([1.0], [1.0], ['x'], 'rest of the corpus')
    """
    keep = content_mask(tokens, drop_stop=drop_stop, drop_punct=drop_punct)
    term_codes, vocab = codes_of(tokens["term"])
    target_rows = token_mask(tokens, target, articles=articles) & keep & (term_codes >= 0)
    a = np.bincount(term_codes[target_rows], minlength=len(vocab)).astype(float)
    if is_frequency_list(reference):
        return a, np.zeros(len(vocab)), vocab, ""
    if reference is None:
        reference_rows = keep & ~target_rows
        described = "rest of the corpus"
    elif isinstance(reference, str) and reference == "corpus":
        reference_rows = keep.copy()
        described = "whole corpus"
    else:
        reference_rows = token_mask(tokens, reference, articles=articles) & keep
        if (reference_rows & target_rows).any():
            raise ValueError("target and reference overlap; choose disjoint selections or reference='corpus'")
        described = repr(reference)
    reference_rows &= term_codes >= 0
    return a, np.bincount(term_codes[reference_rows], minlength=len(vocab)).astype(float), vocab, described


def partitioned_sides(tokens, *, target, reference, articles: pd.DataFrame | None, drop_stop: bool,
                      drop_punct: bool) -> tuple[np.ndarray, np.ndarray, pd.Index, str]:
    """``side_counts`` of a partitioned token table: the counts of every partition added (see the module).

    >>> parts = [pd.DataFrame({"doc_id": d, "term": ["x", "y"], "is_stop": False, "is_punct": False}) for d in "ab"]
    >>> a, b, vocab, described = partitioned_sides(parts, target=["a"], reference=None, articles=None,
    ...                                            drop_stop=True, drop_punct=True)
    >>> a.tolist(), b.tolist(), list(vocab), described
    ([1.0, 1.0], [1.0, 1.0], ['x', 'y'], 'rest of the corpus')
    """
    tokens, local_target = _localised(tokens, target, "target", articles)
    external = is_frequency_list(reference)
    if external or reference is None or (isinstance(reference, str) and reference == "corpus"):
        local_reference = ("spec", reference)
    else:
        tokens, local_reference = _localised(tokens, reference, "reference", articles)
    cacheable = all(kind != "column" for kind, _ in (local_target, local_reference)) and not external
    settings = {"target": repr(local_target), "reference": repr(local_reference), "drop_stop": drop_stop,
                "drop_punct": drop_punct, "articles": None if articles is None else partition_digest(articles)}
    table, found = reduce_partitions(
        tokens, functools.partial(_partition_sides, target=local_target, reference=local_reference,
                                  articles=articles, drop_stop=drop_stop, drop_punct=drop_punct),
        _add_sides, step="keyness" if cacheable else None, settings=settings)
    for kind, ids in (local_target, local_reference):
        if kind == "ids":
            unknown = ids.difference(pd.Index(sorted(found), dtype="str"))
            if len(unknown):
                raise ValueError(f"{len(unknown)} doc_id(s) not in the token table, e.g. {list(unknown[:3])}")
    described = "rest of the corpus" if reference is None else "whole corpus" if (
        isinstance(reference, str) and reference == "corpus") else repr(reference)
    vocab = pd.Index(table["term"].astype(str).to_numpy(dtype=object), dtype="str")
    return (table["a"].to_numpy(dtype=float), table["b"].to_numpy(dtype=float), vocab,
            "" if external else described)


def _localised(tokens, spec, side: str, articles: pd.DataFrame | None):
    """The partitioned ``tokens`` and ``spec`` in a form each partition can apply on its own: ``("spec", spec)``
    (a group spec), ``("ids", doc_ids)`` (checked against every partition's doc_ids at the end), ``("articles",
    doc_ids)`` (the articles a mask over the articles selects) or
    ``("column", name)`` (a token mask attached to the tokens as a column)."""
    if is_dask(spec):  # a Dask boolean Series over the tokens, aligned with them
        return tokens.assign(**{_KEYS[side]: spec}), ("column", _KEYS[side])
    if isinstance(spec, dict):
        return tokens, ("spec", spec)
    spec = [spec] if isinstance(spec, str) else spec
    values = np.asarray(spec.to_numpy() if isinstance(spec, (pd.Series, pd.Index)) else spec
                        if isinstance(spec, np.ndarray) else list(spec))
    if values.dtype != bool:
        return tokens, ("ids", pd.Index(values).astype(str))
    lengths = _partition_lengths(tokens)
    if len(values) == sum(lengths):
        return _with_column(tokens, _KEYS[side], values, lengths), ("column", _KEYS[side])
    if articles is not None and len(values) == len(articles):
        return tokens, ("articles", pd.Index(articles.loc[values, "doc_id"]).astype(str))
    raise ValueError(f"a boolean mask must have one value per token ({sum(lengths)}) or per article "
                     f"({'no articles given' if articles is None else len(articles)}); it has {len(values)}")


def _partition_lengths(tokens) -> list[int]:
    if is_dask(tokens):
        return [int(n) for n in tokens.map_partitions(len).compute()]
    if not isinstance(tokens, (list, tuple)):
        raise TypeError("a boolean mask over the tokens needs a Dask DataFrame or a list of token frames, "
                        "not a one-shot generator")
    return [len(part) for part in tokens]


def _with_column(tokens, name: str, values: np.ndarray, lengths: list[int]):
    chunks = np.split(values, np.cumsum(lengths)[:-1])
    if is_dask(tokens):
        import dask
        import dask.dataframe as dd

        meta = tokens._meta.assign(**{name: np.zeros(0, dtype=bool)})
        parts = [dask.delayed(_assigned)(part, name, chunk) for part, chunk in zip(tokens.to_delayed(), chunks)]
        return dd.from_delayed(parts, meta=meta, verify_meta=False)
    return [_assigned(part, name, chunk) for part, chunk in zip(tokens, chunks)]


def _assigned(part: pd.DataFrame, name: str, values: np.ndarray) -> pd.DataFrame:
    return part.assign(**{name: values})


def _partition_sides(part: pd.DataFrame, *, target, reference, articles, drop_stop: bool, drop_punct: bool):
    """``term, a, b`` (the terms counted on either side) of one partition, and the doc_ids it holds."""
    doc_ids = set(part["doc_id"].astype(str).unique())
    a, b, vocab, _ = side_counts(part, target=_local(part, target, doc_ids, articles),
                                 reference=_local(part, reference, doc_ids, articles), articles=articles,
                                 drop_stop=drop_stop, drop_punct=drop_punct)
    present = (a + b) > 0
    table = pd.DataFrame({"term": pd.array(vocab[present].astype(str), dtype="str"), "a": a[present], "b": b[present]})
    return table, doc_ids


def _local(part: pd.DataFrame, spec, doc_ids: set, articles):
    kind, value = spec
    if kind == "column":
        return part[value].to_numpy(dtype=bool)
    if kind in ("ids", "articles"):  # the doc_ids of this partition; only "ids" are checked for unknown ones
        return [d for d in value if d in doc_ids]
    return value


def _add_sides(items: list):
    table = sum_tables(["term"], ["a", "b"])([t for t, _ in items])
    return table, set().union(*(ids for _, ids in items))

