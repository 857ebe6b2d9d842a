"""Every notebook executed top to bottom on the seed article and the Wikinews sample; outputs checked."""

from __future__ import annotations

import json

import nbformat
import pandas as pd
import pytest

from helpers.runner import NotebookFailed, execute_notebook, list_notebooks

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


def test_load_report_accounts_for_both_inputs(notebook_run):
    report = pd.read_csv(notebook_run / "tables" / "load-report.csv")
    loaded = report[report["status"] == "loaded"]
    assert loaded["n_articles"].sum() == 172


@pytest.mark.parametrize("name", ["top-terms", "focus-top-terms", "articles-per-collection-and-month", "article-lengths"])
def test_expected_figures_exist_as_png_and_svg(notebook_run, name):
    png = notebook_run / "figures" / f"{name}.png"
    svg = notebook_run / "figures" / f"{name}.svg"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert svg.stat().st_size > 0 and b"<svg" in svg.read_bytes()[:2000]


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
