"""Table utilities every stage shares: integer codes of a column, reading order, text columns through codes, typed
empty tables. Pandas and numpy only; no stage imports below this module, and every stage may import it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def codes_of(values: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """Integer codes and their labels; categorical columns (as ``tokenize`` makes them) cost nothing."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        return values.cat.codes.to_numpy(dtype=np.int64), pd.Index(values.cat.categories.astype(str))
    codes, uniques = pd.factorize(values)
    return codes.astype(np.int64), pd.Index(pd.Index(uniques).astype(str))


def gather(values: np.ndarray, index: np.ndarray, *, block: int = 1 << 16) -> np.ndarray:
    """``values[index]`` block by block: numpy converts a narrow index to 64-bit integers before it looks up, and a
    block's stay in the cache (on a million rows about twice as fast as one lookup).

    >>> gather(np.array([10, 20, 30]), np.array([2, 0, 2], dtype=np.int16)).tolist()
    [30, 10, 30]
    """
    out = np.empty(len(index), dtype=values.dtype)
    for start in range(0, len(index), block):
        np.take(values, index[start:start + block], out=out[start:start + block])
    return out


def in_reading_order(codes: np.ndarray, within: np.ndarray) -> bool:
    """Whether each article's rows (``codes``: its doc_id codes) are together and ``within`` (position) rises inside
    it, as a token table keeps them: no code starts two runs of rows (a sort of one code per run, not of every
    token), and no position falls inside a run (compared whole, not through a copy of the run's rows).

    >>> in_reading_order(np.array([0, 0, 1]), np.array([0, 1, 0])), in_reading_order(np.array([0, 1, 0]), np.zeros(3))
    (True, False)
    """
    if len(codes) < 2:
        return True
    same = codes[1:] == codes[:-1]
    run_codes = codes[np.flatnonzero(np.r_[True, ~same])]
    return len(np.unique(run_codes)) == len(run_codes) and bool(np.all((within[1:] > within[:-1]) | ~same))


def article_sorted(tokens: pd.DataFrame, columns: list[str], *, by: str = "position") -> pd.DataFrame:
    """``tokens[columns]`` sorted by ``doc_id`` then ``by`` as a stable ``sort_values`` sorts them, index reset.
    A token table keeps each article's tokens together and in order, so whole articles are moved instead of every
    token sorted (on 10,000 articles 0.27-0.33 s instead of 0.46-0.51 s), and nothing when they are in order."""
    table = tokens[columns]
    runs = article_runs(tokens, by=by)
    if runs is None:
        return table.sort_values(["doc_id", by], kind="stable").reset_index(drop=True)
    starts, run_codes = runs
    lengths = np.diff(np.r_[starts, len(tokens)])
    order = np.argsort(run_codes, kind="stable")  # categories in their own order, as sort_values orders them
    if np.all(order[1:] > order[:-1]):
        return table.reset_index(drop=True)
    shift = np.repeat(starts[order] - np.r_[0, np.cumsum(lengths[order])[:-1]], lengths[order])
    return table.take(np.arange(len(tokens)) + shift).reset_index(drop=True)


def article_runs(tokens: pd.DataFrame, *, by: str = "position") -> tuple[np.ndarray, np.ndarray] | None:
    """Where each article's rows start and its doc_id code, when ``doc_id`` is categorical (as ``tokenize`` makes
    it), has no missing value, and each article's rows are together and in ``by`` order; else None.

    >>> tokens = pd.DataFrame({"doc_id": pd.Categorical(["b", "b", "a"]), "position": [0, 1, 0]})
    >>> [values.tolist() for values in article_runs(tokens)], article_runs(tokens.iloc[[1, 0, 2]])
    ([[0, 2], [1, 0]], None)
    """
    if not len(tokens) or not isinstance(tokens["doc_id"].dtype, pd.CategoricalDtype):
        return None
    codes, _ = codes_of(tokens["doc_id"])
    if codes.min() < 0 or not in_reading_order(codes, tokens[by].to_numpy()):
        return None
    starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]])
    return starts, codes[starts]


def strings(values: pd.Series) -> np.ndarray:
    """A column as an object array of str, through its codes: each distinct value is turned into str once."""
    codes, labels = codes_of(values)
    if len(codes) and codes.min() < 0:  # missing values: str() of each, as astype(str) gives
        return values.astype(str).to_numpy(dtype=object)
    return np.asarray(labels, dtype=object)[codes]


def text_ranked_codes(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Each row's rank among the column's distinct values as text, and those texts sorted: grouping or sorting on
    the ranks orders rows as on ``values.astype(str)``.

    >>> text_ranked_codes(pd.Series(["b", "a", "b"], dtype="category"))
    (array([1, 0, 1]), array(['a', 'b'], dtype=object))
    """
    codes, labels = codes_of(values)
    if len(codes) and codes.min() < 0:  # missing values: as astype(str) writes them
        codes, labels = codes_of(values.astype(str))
    texts, rank = np.unique(np.asarray(labels, dtype=object).astype(str).astype(object), return_inverse=True)
    return rank.reshape(-1)[codes].astype(np.int64), texts


def take_text(texts: np.ndarray, rows: np.ndarray) -> pd.api.extensions.ExtensionArray:
    """``texts[rows]`` as a str column, taken by Arrow (no Python string per row)."""
    import pyarrow as pa

    return pd.array(pa.array(texts.tolist(), type=pa.large_string()).take(pa.array(rows)), dtype="str")


def typed_empty(table: pd.DataFrame, dtypes: dict[str, str]) -> pd.DataFrame:
    """``table`` with ``dtypes`` when it has no rows, so an empty result filters, sorts and takes ``.str`` as a full
    one does (an empty column is otherwise ``object`` or ``float``); a table with rows is returned as it is.

    >>> empty = typed_empty(pd.DataFrame(columns=["term", "significant"]), {"term": "str", "significant": "bool"})
    >>> empty[empty["significant"]]["term"].str.upper().tolist()
    []
    """
    return table.astype(dtypes) if table.empty else table


def label_mask(codes: np.ndarray, chosen: np.ndarray) -> np.ndarray:
    """Rows whose code is a chosen label (``chosen``: one bool per label; code -1, a missing value, is never
    chosen): one gather, where ``np.isin`` on millions of codes sorted them and took ~60 ms a call.

    >>> label_mask(np.array([0, 2, -1, 1]), np.array([True, False, True])).tolist()
    [True, True, False, False]
    """
    return np.append(np.asarray(chosen, dtype=bool), False)[codes]
