"""Every notebook executed top to bottom on the default articles (the seed article and the fetched samples);
outputs checked."""

from __future__ import annotations

import json

import nbformat
import pandas as pd
import pytest

import helpers
from helpers.runs.runner import NotebookFailed, execute_notebook, list_notebooks

pytestmark = pytest.mark.slow


def test_every_notebook_executed_with_html(notebook_run):
    for notebook in list_notebooks():
        executed = notebook_run / "notebooks" / notebook.name
        html = notebook_run / "html" / f"{notebook.stem}.html"
        assert executed.stat().st_size > 0 and html.stat().st_size > 0
        cells = nbformat.read(executed, as_version=4).cells
        errors = [o for c in cells if c.cell_type == "code" for o in c.get("outputs", []) if o.output_type == "error"]
        assert not errors, f"{notebook.name} has error outputs"


def test_seed_article_top_terms_name_libya_and_drugs(notebook_run):
    focus = pd.read_csv(notebook_run / "tables" / "focus-top-terms.csv")
    top = focus.nsmallest(10, "rank")["term"].tolist()
    assert "libya" in top
    assert {"drug", "drugs"} & set(top)


def test_load_report_accounts_for_every_default_input(notebook_run):
    report = pd.read_csv(notebook_run / "tables" / "load-report.csv")
    loaded = report[report["status"] == "loaded"]
    assert loaded["n_articles"].sum() == len(helpers.load_articles(*helpers.default_sources()))


def _marks(run):
    marks_file = run / "figures" / "marks.csv"
    assert marks_file.exists(), "save_figure records every saved figure in figures/marks.csv"
    return pd.read_csv(marks_file).set_index("figure")["marks"]


@pytest.mark.parametrize("name", ["top-terms", "focus-top-terms", "articles-per-collection", "articles-per-month",
                                  "article-lengths", "keyness-focus-vs-rest"])
def test_expected_figures_draw_data(notebook_run, name):
    assert _marks(notebook_run)[name] > 0


def test_every_saved_figure_of_the_default_run_draws_data(notebook_run):
    marks = _marks(notebook_run)
    figures = {p.stem for p in (notebook_run / "figures").glob("*.png")}
    assert figures <= set(marks.index) and (marks[list(figures)] > 0).all()


def test_default_run_compares_parties_with_intervals_both_ways(notebook_run):
    articles = helpers.load_articles(*helpers.default_sources())
    if "member.party" not in articles.columns:
        pytest.skip("the congress press-release sample is not fetched (make sample-data)")
    keys = pd.read_csv(notebook_run / "tables" / "keyness-member.party.csv")
    significant = keys[keys["significant"]]
    assert set(significant["key_for"]) == {"target", "reference"}
    assert (significant["log_ratio_ci_low"] <= significant["log_ratio"]).all()
    assert (significant.loc[significant["key_for"] == "target", "log_ratio_ci_low"] > 0).any()
    assert (significant.loc[significant["key_for"] == "reference", "log_ratio_ci_high"] < 0).any()
    assert (notebook_run / "figures" / "keyness-member.party.png").exists()
    stories = pd.read_csv(notebook_run / "tables" / "story-clusters.csv")
    assert (stories["n_sources"] > 1).any() and (notebook_run / "figures" / "joint-stories.png").exists()
    across = pd.read_csv(notebook_run / "tables" / "dispersion-across-sources.csv")
    assert across["range"].max() <= articles["source"].nunique()


def test_committed_notebooks_have_no_outputs_and_one_parameters_cell():
    for notebook in list_notebooks():
        cells = json.loads(notebook.read_text())["cells"]
        code = [c for c in cells if c["cell_type"] == "code"]
        assert all(not c["outputs"] and c["execution_count"] is None for c in code), notebook.name
        tagged = [c for c in code if "parameters" in c.get("metadata", {}).get("tags", [])]
        assert len(tagged) == 1, f"{notebook.name} needs exactly one cell tagged 'parameters'"
        assert cells[0]["cell_type"] == "markdown" and "".join(cells[0]["source"]).startswith("# ")


def test_a_failing_notebook_is_named_with_its_cell(tmp_path):
    broken = tmp_path / "99-broken.ipynb"
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("x = 1"), nbformat.v4.new_code_cell("raise ValueError('bad input')")]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, broken)
    with pytest.raises(NotebookFailed) as failure:
        execute_notebook(broken, tmp_path / "run", {})
    assert failure.value.notebook == "99-broken.ipynb"
    assert failure.value.cell == 2
    assert "bad input" in str(failure.value)
