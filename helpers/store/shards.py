"""Per-article rows in Parquet shards under one settings key, and the table of any list of articles rebuilt from them.

An article's rows count as stored only once the shard holding them *and* the index naming them are both in
place (the index is written second), so a run killed at any point leaves either nothing or a complete entry.
A rebuilt table is identical to the computed one, categoricals included: :func:`column_layout` records each
column's dtype and the rule its categories follow.
"""

from __future__ import annotations

import collections
import json
import tempfile  # noqa: F401  (used by the doctests)
from pathlib import Path

import numpy as np
import pandas as pd
from pandas.api.types import union_categoricals

from helpers.store.files import atomic_write, bytes_sha256, file_stamp, write_json

SHARD_ARTICLES = 500


class ArticleStore:
    """Per-article rows stored in Parquet shards under one settings key, with a JSON index per shard.

    An entry is readable once both its shard and the shard's index exist (the index is written second). The
    index and the last few shards read are kept in memory while their files are unchanged: the partitions of a
    large corpus each read a few articles from the same shards one after another.

    >>> store = ArticleStore(Path(tempfile.mkdtemp()))
    >>> shard = store.write(pd.DataFrame({"doc_id": ["a", "b"], "n": [1, 2]}), {"e1": (0, 1), "e2": (1, 2)}, {})
    >>> store.index()["e2"][1:], store.read(shard.name)["n"].tolist()
    ((1, 2), [1, 2])
    """

    _indexes: dict[str, tuple[tuple, dict]] = {}
    _shards: collections.OrderedDict = collections.OrderedDict()
    KEEP_SHARDS = 4

    def __init__(self, folder: Path):
        self.folder = Path(folder)

    def index(self) -> dict[str, tuple[str, int, int]]:
        index_files = sorted(self.folder.glob("shard-*.index.json"))
        stamp = tuple((f.name, file_stamp(f), file_stamp(f.with_name(f.name.removesuffix(".index.json") + ".parquet")))
                      for f in index_files)
        known = self._indexes.get(str(self.folder))
        if known and known[0] == stamp:
            return dict(known[1])
        entries: dict[str, tuple[str, int, int]] = {}
        for index_file in index_files:
            shard = index_file.name.removesuffix(".index.json") + ".parquet"
            if not (self.folder / shard).exists():
                continue
            try:
                ranges = json.loads(index_file.read_text())["entries"]
            except (OSError, ValueError, KeyError):
                continue
            for entry, (start, end) in ranges.items():
                entries.setdefault(entry, (shard, start, end))
        self._indexes[str(self.folder)] = (stamp, entries)
        return dict(entries)

    def write(self, frame: pd.DataFrame, ranges: dict[str, tuple[int, int]], meta: dict) -> Path:
        name = "shard-" + bytes_sha256("\n".join(sorted(ranges)).encode())[:20]
        meta = {"layout": column_layout(frame, meta.pop("doc_ids", None)), **meta}
        shard = atomic_write(self.folder / f"{name}.parquet", lambda tmp: frame.to_parquet(tmp, index=False))
        # Unsorted: the attrs in ``meta`` keep their key order, which tables such as tokenizer_resources follow.
        write_json(self.folder / f"{name}.index.json", {"entries": ranges, **meta}, sort_keys=False)
        return shard

    def read(self, shard: str) -> pd.DataFrame:
        path = self.folder / shard
        stamp, key = file_stamp(path), str(path)
        known = self._shards.get(key)
        if known and known[0] == stamp:
            self._shards.move_to_end(key)
            return known[1]
        frame = pd.read_parquet(path)
        self._shards[key] = (stamp, frame)
        while len(self._shards) > self.KEEP_SHARDS:
            self._shards.popitem(last=False)
        return frame

    def meta(self, shard: str) -> dict:
        """What was recorded with a shard: its ``layout`` (see :func:`column_layout`), ``attrs``, article count."""
        try:
            return json.loads((self.folder / (shard.removesuffix(".parquet") + ".index.json")).read_text())
        except (OSError, ValueError):
            return {}


CATEGORY_ORDERS = ("sorted", "appearance", "articles")


def _category_orders(series: pd.Series, doc_ids) -> list[str]:
    """Which rule explains a categorical's category order: sorted values, order of first appearance, or the
    articles' order (``doc_ids``); a tokeniser follows one of them, and a reassembled table must follow it too."""
    categories = list(series.cat.categories)
    appearance = list(pd.unique(series.astype(object)))
    orders = []
    if categories == sorted(appearance):
        orders.append("sorted")
    if categories == appearance:
        orders.append("appearance")
    if doc_ids is not None and categories == [str(d) for d in doc_ids]:
        orders.append("articles")
    return orders


def column_layout(frame: pd.DataFrame, doc_ids=None) -> list[list]:
    """Each column as ``[name, dtype, category orders, category dtype]``: enough to rebuild, from values read back
    from Parquet, a frame identical to the one computed (categoricals included).

    >>> column_layout(pd.DataFrame({"a": pd.Categorical(["y", "x"]), "b": [1, 2]}))
    [['a', 'category', ['sorted'], 'str'], ['b', 'int64', [], '']]
    """
    layout = []
    for column, dtype in frame.dtypes.items():
        if isinstance(dtype, pd.CategoricalDtype):
            layout.append([str(column), "category", _category_orders(frame[column], doc_ids),
                           str(dtype.categories.dtype)])
        else:
            layout.append([str(column), str(dtype), [], ""])
    return layout


def _merge_layouts(layouts: list[list[list]]) -> list[list]:
    """One layout from several batches: the category orders every batch agrees with (first preferred)."""
    merged = [list(item) for item in layouts[0]]
    for layout in layouts[1:]:
        for item, other in zip(merged, layout):
            item[2] = [order for order in item[2] if order in other[2]]
    return merged


def _as_object_categorical(values: pd.Series) -> pd.Categorical:
    if isinstance(values.dtype, pd.CategoricalDtype):
        # Only the categories these rows use: a few articles cut from a shard keep the shard's whole vocabulary.
        codes = values.cat.codes.to_numpy().astype(np.int64)
        present = codes >= 0
        used = np.bincount(codes[present], minlength=len(values.cat.categories)) > 0
        compact = np.cumsum(used) - 1
        codes[present] = compact[codes[present]]
        return pd.Categorical.from_codes(codes, categories=pd.Index(
            np.asarray(values.cat.categories, dtype=object)[used], dtype=object))
    codes, uniques = pd.factorize(values.astype(object).to_numpy())
    return pd.Categorical.from_codes(codes, categories=pd.Index(uniques, dtype=object))


def _categorical(parts: list[pd.Series], take: np.ndarray, orders: list[str], categories_dtype: str,
                 doc_ids: list[str]) -> pd.Categorical:
    """The rows ``take`` of ``parts`` (concatenated) as a categorical whose categories follow the first rule in
    :data:`CATEGORY_ORDERS` that ``orders`` allows; strings are touched once per category, never per row."""
    union = union_categoricals([_as_object_categorical(p) for p in parts]) if parts else pd.Categorical([])
    codes = union.codes[take] if len(take) else np.zeros(0, dtype=np.int32)
    categories = np.asarray(union.categories, dtype=object)
    order = next((o for o in CATEGORY_ORDERS if o in orders), "sorted")
    if order == "articles":
        remap = pd.Index(np.asarray(doc_ids, dtype=object)).get_indexer(categories)
        codes, new_categories = remap[codes], np.asarray(doc_ids, dtype=object)
    else:
        codes, used = pd.factorize(codes)
        new_categories = categories[used]
        if order == "sorted":
            ranks = np.argsort(new_categories, kind="stable")
            remap = np.empty(len(ranks), dtype=np.int64)
            remap[ranks] = np.arange(len(ranks))
            codes, new_categories = remap[codes], new_categories[ranks]
    return pd.Categorical.from_codes(np.asarray(codes, dtype=np.int32),
                                     categories=pd.Index(list(new_categories), dtype=categories_dtype or None))


def layout_and_attrs(store: ArticleStore, frames: dict[str, pd.DataFrame],
                     fresh: list[tuple[list, dict]]) -> tuple[list[list], dict]:
    """The layout every batch agrees with, and the attrs of the first batch, from fresh batches (``(layout,
    attrs)`` each) and the stored shards among ``frames`` (names that do not start with ``<``).

    >>> batch = pd.DataFrame({"doc_id": pd.Categorical(["b", "a"])})
    >>> layout_and_attrs(ArticleStore(Path(tempfile.mkdtemp())), {"<fresh>": batch}, [(column_layout(batch), {"x": 1})])
    ([['doc_id', 'category', ['sorted'], 'str']], {'x': 1})
    """
    layouts = [layout for layout, _ in fresh]
    attrs = fresh[0][1] if fresh else None
    for shard in sorted(name for name in frames if not name.startswith("<")):
        meta = store.meta(shard)
        if meta.get("layout"):
            layouts.append(meta["layout"])
            attrs = meta.get("attrs", {}) if attrs is None else attrs
    if not layouts:
        first = frames[sorted(frames)[0]]
        layouts = [column_layout(first)]
    return _merge_layouts(layouts), attrs or {}


def _needed_rows(frames: dict[str, pd.DataFrame], wanted: list[tuple[str, int, int]]):
    """Each frame cut to the rows ``wanted`` asks for, and ``wanted`` renumbered into the cut frames: a few
    articles taken from a large shard then cost their own rows, not the shard's."""
    ranges: dict[str, list[tuple[int, int]]] = {}
    for shard, start, end in wanted:
        ranges.setdefault(shard, []).append((start, end))
    cut, offsets = {}, {}
    for shard, spans in ranges.items():
        frame = frames[shard]
        keep = np.zeros(len(frame), dtype=bool)
        for start, end in spans:
            keep[start:end] = True
        rows = np.flatnonzero(keep)
        if len(rows) == len(frame):
            cut[shard], offsets[shard] = frame, None
        else:
            cut[shard], offsets[shard] = frame.iloc[rows], rows
    renumbered = []
    for shard, start, end in wanted:
        rows = offsets[shard]
        if rows is None or start == end:
            renumbered.append((shard, start, end) if rows is None else (shard, 0, 0))
        else:
            first = int(np.searchsorted(rows, start))
            renumbered.append((shard, first, first + (end - start)))
    return cut, renumbered


def assemble_entries(entries: list[str], locations: dict[str, tuple[str, int, int]],
                     frames: dict[str, pd.DataFrame], layout: list[list], doc_ids: list[str]) -> pd.DataFrame:
    """The rows of ``entries`` in order, taken from ``frames`` at ``locations`` (``(frame name, start, end)``),
    rebuilt to ``layout`` (so a cold and a warm cache give identical frames, categoricals in the order the
    computing function gives them).

    >>> shard = pd.DataFrame({"doc_id": pd.Categorical(["a", "b", "b"]), "n": [1, 2, 3]})
    >>> rows = assemble_entries(["e2", "e1"], {"e1": ("s", 0, 1), "e2": ("s", 1, 3)}, {"s": shard},
    ...                         column_layout(shard, ["a", "b"]), ["b", "a"])
    >>> rows.values.tolist(), list(rows["doc_id"].cat.categories)
    ([['b', 2], ['b', 3], ['a', 1]], ['a', 'b'])
    """
    wanted = [locations[e] for e in entries]
    frames, wanted = _needed_rows(frames, wanted)
    names = sorted(frames)
    base = dict(zip(names, np.cumsum([0] + [len(frames[n]) for n in names[:-1]]).tolist()))
    pieces = [np.arange(base[shard] + start, base[shard] + end) for shard, start, end in wanted]
    take = np.concatenate(pieces) if pieces else np.array([], dtype=np.int64)
    columns = {}
    for column, dtype, orders, categories_dtype in layout:
        parts = [frames[n][column] for n in names]
        if dtype == "category":
            columns[column] = _categorical(parts, take, orders, categories_dtype, doc_ids)
        else:
            values = np.concatenate([p.to_numpy() for p in parts])[take] if parts else np.array([])
            columns[column] = pd.Series(values).astype(dtype) if str(values.dtype) != dtype else values
    return pd.DataFrame(columns)
