"""plot_dispersion works on integer codes: categorical and plain term columns give the same marks."""

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from helpers.charts.dispersion_plot import MARK_STEPS, RASTERIZE_ABOVE, plot_dispersion  # noqa: E402


def _marks(ax):
    return [c.get_positions() for c in ax.collections[1:]], [t.get_text() for t in ax.get_yticklabels()]


def test_categorical_and_text_terms_give_the_same_marks_in_article_date_order():
    tokens = pd.DataFrame({"doc_id": ["b", "b", "a", "a", "a", "c"],
                           "term": ["libya", "drug", "drug", "us", "libya", "drug"]})
    articles = pd.DataFrame({"doc_id": ["a", "b", "c"],
                             "date": pd.to_datetime(["2019-01-02", "2019-01-01", None], utc=True)})
    plain = _marks(plot_dispersion(tokens, ["drug", "libya", "absent"], articles, note=""))
    categorical = _marks(plot_dispersion(tokens.astype({"term": "category", "doc_id": "category"}),
                                         ["drug", "libya", "absent"], articles, note=""))
    # order by date: b (2 tokens), a (3), c (1); 6 tokens, so each token is 100/6 % along
    step = 100 / 6
    assert np.allclose(plain[0][0], [step * 1, step * 2, step * 5])
    assert np.allclose(plain[0][1], [0, step * 4]) and len(plain[0][2]) == 0
    assert plain[1] == ["absent (0)", "libya (2)", "drug (3)"]
    assert all(np.array_equal(x, y) for x, y in zip(plain[0], categorical[0])) and plain[1] == categorical[1]


def test_dense_marks_are_drawn_as_pixels_and_sparse_ones_as_paths():
    n = RASTERIZE_ABOVE + 10
    tokens = pd.DataFrame({"doc_id": [f"d{i}" for i in range(n)], "term": ["drug"] * (n - 1) + ["libya"]})
    ax = plot_dispersion(tokens, ["drug", "libya"], note="")
    boundaries, drug, libya = ax.collections[0], ax.collections[1], ax.collections[2]
    assert boundaries.get_rasterized() and drug.get_rasterized() and not libya.get_rasterized()


def test_dense_marks_are_drawn_once_per_step_of_the_axis_and_counted_in_full():
    n = 3 * MARK_STEPS
    tokens = pd.DataFrame({"doc_id": np.repeat([f"d{i}" for i in range(n // 2)], 2), "term": ["drug", "x"] * (n // 2)})
    ax = plot_dispersion(tokens, ["drug"], note="")
    boundaries, drug = ax.collections[0], ax.collections[1]
    shown = np.asarray(drug.get_positions())
    # every hit lies within half a step of a drawn mark, and no two marks share a step
    step = 100 / MARK_STEPS
    hits = 100 * np.arange(0, n, 2) / n
    assert np.abs(hits[:, None] - shown[None, :]).min(axis=1).max() <= step / 2 + 1e-9
    assert len(shown) <= MARK_STEPS + 1 and len(np.unique(np.round(shown / step))) == len(shown)
    assert [t.get_text() for t in ax.get_yticklabels()] == [f"drug ({n // 2})"]
    assert len(boundaries.get_segments()) <= MARK_STEPS + 1


def test_missing_doc_ids_and_terms_read_as_nan_in_plain_and_categorical_columns():
    """A missing value is its own article or term, "nan" as astype(str) writes it, whatever the column's dtype (a
    plain column used to put a missing doc_id's tokens in the last article, and counted that article twice)."""
    tokens = pd.DataFrame({"doc_id": ["a", "a", None, "b", "b"], "term": ["x", None, "x", "y", "x"]})
    plain = plot_dispersion(tokens, ["x", "nan"], note="")
    categorical = plot_dispersion(tokens.astype("category"), ["x", "nan"], note="")
    for ax in (plain, categorical):
        marks, labels = _marks(ax)
        assert [list(m) for m in marks] == [[0.0, 40.0, 80.0], [20.0]] and labels == ["nan (1)", "x (3)"]
        assert ax.get_xlabel().endswith("(% of 5 tokens; 3 articles, token table order)")
        assert len(ax.collections[0].get_segments()) == 2  # boundaries before the missing article and before b


def test_articles_split_over_the_table_are_placed_as_their_tokens_are_read():
    # b's tokens come in two runs: each article's tokens are still read together (b first, as first met), in
    # table order within it; the same marks as the table with b's tokens together, and a boundary per article
    split = pd.DataFrame({"doc_id": ["b", "a", "b", "a", "c"], "term": ["drug", "libya", "libya", "drug", "drug"]})
    together = split.iloc[[0, 2, 1, 3, 4]]
    for table in (split, together, split.astype({"doc_id": "category", "term": "category"})):
        ax = plot_dispersion(table, ["drug", "libya"], note="")
        marks, labels = _marks(ax)
        assert np.allclose(marks[0], [0, 60, 80]) and np.allclose(marks[1], [20, 40])
        assert labels == ["libya (2)", "drug (3)"]
        assert np.allclose([s[0][0] for s in ax.collections[0].get_segments()], [40, 80])


def test_dispersion_of_chosen_terms_equals_their_rows_of_the_whole_table():
    import helpers

    rng = np.random.default_rng(3)
    tokens = pd.DataFrame({"doc_id": rng.choice(list("abcdefg"), 400), "term": rng.choice(list("pqrstuvwxyz"), 400),
                           "is_stop": rng.random(400) < 0.2, "is_punct": False})
    for table in (tokens, tokens.astype({"doc_id": "category", "term": "category"})):
        whole = helpers.dispersion(table)
        chosen = helpers.dispersion(table, terms=["q", "x", "absent"])
        pd.testing.assert_frame_equal(chosen, whole[whole["term"].isin(["q", "x"])].reset_index(drop=True))
        assert chosen["term"].tolist() and whole["term"].nunique() == 11
