"""Outputs of notebooks 03-05 on the default articles: real values, not only files."""

from __future__ import annotations

import pandas as pd
import pytest

pytestmark = pytest.mark.slow


def _table(run, name: str) -> pd.DataFrame:
    return pd.read_csv(run / "tables" / f"{name}.csv", keep_default_na=False, na_values=[""])


def test_seed_article_key_terms_are_its_subject(notebook_run):
    keys = _table(notebook_run, "keyness-focus-vs-rest")
    target = keys[(keys["key_for"] == "target") & keys["significant"]]
    assert target["term"].iloc[0] == "libya"
    assert {"mou", "drug", "narcotics", "embassy"} <= set(target["term"])
    assert keys["key_for"].iloc[0] == "target" and keys["key_for"].iloc[-1] == "reference"
    for _, side in keys.groupby("key_for"):
        assert (side["g2"].diff().dropna() <= 1e-9).all()  # each side by descending G²
    lines = _table(notebook_run, "kwic-top-key-term")
    assert len(lines) == 10 and set(lines["keyword"]) == {"Libya"}


def test_months_cover_the_year_and_the_standout_is_the_maximum(notebook_run):
    months = _table(notebook_run, "keyness-by-month")
    per_month = _table(notebook_run, "articles-per-month")
    assert months["month"].tolist() == per_month["month"].tolist()
    assert months["articles"].tolist() == per_month["articles"].tolist()
    assert {f"2019-{m:02d}" for m in range(1, 13)} <= set(months["month"])
    standout = months.loc[months["g2_per_1k_tokens"].idxmax()]
    assert standout["month"] == "2019-04" and "glue" in standout["top_terms"]


def test_dispersion_tfidf_and_collocations(notebook_run):
    spread = _table(notebook_run, "dispersion").set_index("term")
    assert spread.loc["2019", "range"] >= 171 and spread.loc["2019", "dp"] < spread.loc["image", "dp"]
    weights = _table(notebook_run, "tfidf-top-terms")
    assert weights.groupby("doc_id")["rank"].min().eq(1).all()
    assert "libya" in weights[weights["rank"] == 1]["term"].tolist()
    bigrams = _table(notebook_run, "collocations-bigrams")
    assert bigrams["ngram"].iloc[0] == "united states"
    kwic = _table(notebook_run, "kwic-key-terms")
    assert {"libya", "mou"} <= set(kwic["query"])


@pytest.mark.parametrize("name", ["dispersion", "keyness-focus-vs-rest", "keyness-by-month", "collocations-bigrams"])
def test_keyword_figures_draw_data(notebook_run, name):
    marks_file = notebook_run / "figures" / "marks.csv"
    assert marks_file.exists(), "save_figure records every saved figure in figures/marks.csv"
    assert pd.read_csv(marks_file).set_index("figure").loc[name, "marks"] > 0
