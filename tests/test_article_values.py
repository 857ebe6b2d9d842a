"""The per-article value stores: what a get reads, and that values come back as they were put."""

import pickle

from helpers.store.article_values import ArticleObjects

UNPICKLED = []


def _unpickled(name):
    UNPICKLED.append(name)
    return name


class _Noted:
    """A value that notes when it is unpickled."""

    def __init__(self, name):
        self.name = name

    def __reduce__(self):
        return _unpickled, (self.name,)


def test_a_get_reads_only_the_files_holding_a_wanted_key(tmp_path):
    ArticleObjects(tmp_path).put({"a": _Noted("a"), "a2": _Noted("a2")})
    ArticleObjects(tmp_path).put({"b": {"rows": [("b", 1)]}})
    (tmp_path / "old.pkl").write_bytes(pickle.dumps({"c": [1, 2]}))  # a file of values only, as written before
    UNPICKLED.clear()
    assert ArticleObjects(tmp_path).get(["b", "c", "x"]) == {"b": {"rows": [("b", 1)]}, "c": [1, 2]}
    assert UNPICKLED == []  # the file holding a and a2 was not unpickled
    assert ArticleObjects(tmp_path).get(["a2", "b"]) == {"a2": "a2", "b": {"rows": [("b", 1)]}}
    assert sorted(UNPICKLED) == ["a", "a2"]
    store = ArticleObjects(tmp_path)
    store.MAX_FILES = 3  # the next write merges every file into one, keys from the newest file winning
    store.put({"b": "new"})
    assert len(list(tmp_path.glob("*.pkl"))) == 1
    assert ArticleObjects(tmp_path).get(["a", "b", "c"]) == {"a": "a", "b": "new", "c": [1, 2]}
