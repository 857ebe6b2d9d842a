"""The run report: built from a small fixed run folder (exact contents), robust to missing pieces, and checked in a
real headless Chromium (no console errors, every image displayed, a screenshot saved under the run)."""

from __future__ import annotations

import base64
import html
import json
import re

import matplotlib.pyplot as plt
import nbformat
import pandas as pd
import pytest

import helpers
from helpers.runs.browser import SCREENSHOT_NAME, browser_check
from helpers.runs.report import write_report
from needs import chromium_missing, skip_or_fail

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def chromium_or_skip():
    missing = chromium_missing()
    if missing:
        skip_or_fail(missing)  # under CI a failure: .ci/run installs chromium


@pytest.fixture
def run_dir(tmp_path):
    """A run folder as the runner leaves it: one executed notebook, its HTML, two figures, the key tables."""
    run = tmp_path / "run-fixed"
    helpers.set_output_dir(run)
    helpers.set_source_note("n = 3 articles, 2019-01-04 – 2019-12-30; Wikinews CC BY 2.5")
    freq = pd.DataFrame({"term": ["libya", "drug", "security"], "frequency": [10, 4, 5], "docfreq": [1, 1, 1],
                         "per_10k": [545.0, 218.0, 273.0], "rank": [1, 3, 2]})
    helpers.save_figure(helpers.plot_frequencies(freq), "top-terms")
    helpers.save_figure(helpers.plot_wordcloud(freq), "wordcloud")
    plt.close("all")
    helpers.save_table(freq, "top-terms")
    helpers.save_table(pd.DataFrame({
        "term": ["libya", "mou", "trump"], "target_freq": [10, 4, 0], "reference_freq": [0, 0, 98],
        "g2": [107.0, 42.8, 12.5], "log_ratio": [12.5, 10.9, -6.2], "p_value": [1e-20, 1e-9, 4e-4],
        "key_for": ["target", "target", "reference"], "significant": [True, True, True]}), "keyness-seed")
    helpers.save_table(pd.DataFrame({"ngram": ["united states", "hong kong"], "w1": ["united", "hong"],
                                     "w2": ["states", "kong"], "frequency": [140, 45],
                                     "likelihood_ratio": [1676.0, 727.0], "pmi": [8.25, 10.4]}), "collocations")
    helpers.save_table(pd.DataFrame({"input": ["data/articles", "wikinews_2019.csv", "broken.json"],
                                     "status": ["loaded", "loaded", "error"],
                                     "reason": ["", "", "not JSON: line 1"], "n_articles": [1, 2, 0]}), "load-report")
    helpers.save_table(helpers.describe_articles(pd.DataFrame({
        "collection": ["articles", "wikinews_2019", "wikinews_2019"],
        "date": pd.to_datetime([None, "2019-01-04", "2019-12-30"], utc=True),
        "source": [None, "en.wikinews.org", "en.wikinews.org"]})), "articles-summary")
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# 03 · Which words dominate\n\nCounts **terms** in *every* `article`."),
                nbformat.v4.new_code_cell("helpers.saved_outputs()", outputs=[nbformat.v4.new_output(
                    "execute_result", data={"text/plain": "0  figures/wordcloud.png  1234"}, execution_count=1)])]
    nb.metadata["papermill"] = {"parameters": {"ARTICLES": [], "OUTPUT_DIR": str(run), "TOP_N": 20},
                                "duration": 12.3}
    (run / "notebooks").mkdir()
    nbformat.write(nb, run / "notebooks" / "03-frequencies.ipynb")
    (run / "html").mkdir()
    (run / "html" / "03-frequencies.html").write_text("<html><body>notebook</body></html>")
    helpers.set_source_note(None)
    return run


def section(page: str, key: str) -> str:
    match = re.search(rf"<section id='{key}'>(.*?)</section>", page, re.S)
    assert match, f"no section {key}"
    return match.group(1)


def test_report_sections_from_a_fixed_run(run_dir):
    page = write_report(run_dir).read_text()
    inputs = section(page, "inputs")
    assert "<b>3</b>articles" in inputs and "<b>2019-01-04</b>first date" in inputs
    assert "Wikinews CC BY 2.5" in inputs
    assert "<b>From:</b> data/articles (1 article) · wikinews_2019.csv (2 articles)</p>" in inputs
    assert "Gave no article: broken.json (error: not JSON: line 1)" in inputs
    assert "<b>Credits:</b> Wikinews contributors, CC BY 2.5</p>" in inputs
    load = section(page, "load-report")
    assert "broken.json" in load and "not JSON: line 1" in load
    findings = section(page, "findings")
    assert "tables/top-terms.csv" in findings and "tables/keyness-seed.csv" in findings
    assert findings.index("libya") < findings.index("security") < findings.index("drug")  # by rank
    assert ">trump<" in findings and ">hong kong<" in findings
    assert "No table named entity-counts*.csv or entities*.csv" in findings
    settings = section(page, "settings")
    assert "TOP_N" in settings and ">20<" in settings
    assert "punkt_tab" in section(page, "nltk")
    assert re.search(r"<td>pandas</td><td>\d", section(page, "versions"))
    notebooks = section(page, "notebooks")
    assert "href='html/03-frequencies.html'>03 · Which words dominate</a>" in notebooks
    assert "12 s" in notebooks and "Counts <b>terms</b> in <i>every</i> <code>article</code>." in notebooks


def test_report_embeds_every_figure_once_grouped_by_notebook(run_dir):
    page = write_report(run_dir).read_text()
    images = re.findall(r"<img alt='([^']*)' width='\d+' src='data:image/png;base64,([A-Za-z0-9+/=]+)'", page)
    assert sorted(alt for alt, _ in images) == ["top terms", "wordcloud"]
    assert all(base64.b64decode(data)[:8] == PNG_SIGNATURE for _, data in images)
    figures = section(page, "figures")
    # the notebook's saved_outputs() named the word cloud; the other figure is listed after it
    assert figures.index("03 · Which words dominate") < figures.index("fig-wordcloud") < figures.index("Other figures")
    assert "src='http" not in page and "src=\"http" not in page  # self-contained


def test_report_survives_missing_and_broken_pieces(run_dir):
    for name in ["articles-summary.csv", "load-report.csv", "top-terms.csv"]:
        (run_dir / "tables" / name).unlink()
    (run_dir / "tables" / "collocations.csv").write_text("")
    (run_dir / "notebooks" / "04-broken.ipynb").write_text("{not json")
    page = write_report(run_dir).read_text()
    assert "No <code>tables/articles-summary.csv</code> in this run" in page
    assert "No load report in this run" in page
    assert "No table named top-terms.csv" in page
    assert "collocations.csv: empty or without the columns ngram." in page
    assert "unreadable" in section(page, "notebooks")


def test_report_shows_the_run_manifest(run_dir):
    manifest = {"run": "run-fixed", "status": "running", "started": "2026-11-29T23:00:00Z", "n_articles": 3,
                "inputs": [{"path": "data/articles", "sha256": "abc123", "n_files": 1}],
                "versions": {"newskit": "0.1.0", "pandas": "3.0.0"}}
    (run_dir / "manifest.json").write_text(json.dumps(manifest))
    page = write_report(run_dir).read_text()
    inputs = section(page, "inputs")
    assert "2026-11-29T23:00:00Z" in inputs and "<th>n_articles</th><td><code>3</code>" in inputs
    assert "<td>abc123</td>" in inputs and "running" not in inputs
    assert "<td>pandas</td><td>3.0.0</td>" in section(page, "versions")


def test_report_flags_notebooks_with_errors(run_dir):
    nb = nbformat.read(run_dir / "notebooks" / "03-frequencies.ipynb", as_version=4)
    nb.cells[1].outputs.append(nbformat.v4.new_output("error", ename="ValueError", evalue="bad input", traceback=[]))
    nbformat.write(nb, run_dir / "notebooks" / "03-frequencies.ipynb")
    page = write_report(run_dir).read_text()
    assert "Notebooks with errors: 03-frequencies.ipynb" in page
    assert "ValueError: bad input" in section(page, "notebooks")


@pytest.mark.browser
def test_report_in_headless_chromium(run_dir):
    chromium_or_skip()
    index = write_report(run_dir)
    result = browser_check(index, screenshot=run_dir / SCREENSHOT_NAME)
    assert result["console_errors"] == []
    assert result["images"] == 2 and result["broken_images"] == []
    assert (run_dir / SCREENSHOT_NAME).read_bytes()[:8] == PNG_SIGNATURE


@pytest.mark.browser
def test_browser_check_sees_broken_images_and_console_errors(tmp_path):
    chromium_or_skip()
    page = tmp_path / "bad.html"
    page.write_text("<!doctype html><html><head><link rel='icon' href='data:,'></head><body>"
                    "<img alt='broken' src='data:image/png;base64,AAAA'><script>console.error('boom')</script>"
                    "</body></html>")
    result = browser_check(page)
    assert result["broken_images"] == ["broken"]
    assert result["console_errors"] == ["boom"]


@pytest.mark.slow
@pytest.mark.browser
def test_the_real_run_report_in_headless_chromium(notebook_run, default_articles):
    index = notebook_run / "index.html"
    page = index.read_text()
    pngs = sorted((notebook_run / "figures").glob("*.png"))
    assert len(pngs) >= 5
    assert page.count("src='data:image/png;base64,") == len(pngs)
    assert f"<b>{len(default_articles)}</b>articles" in section(page, "inputs")
    findings = section(page, "findings")
    top_term = pd.read_csv(notebook_run / "tables" / "top-terms.csv").nsmallest(1, "rank")["term"].iloc[0]
    assert f"<td>{html.escape(top_term)}</td>" in findings
    # the run holds two collections, so it has whole-corpus key-term tables; the report shows the strongest terms of
    # the first two (read here straight from the CSVs)
    paths = dict.fromkeys([*sorted((notebook_run / "tables").glob("keyness*.csv")),
                           *sorted((notebook_run / "tables").glob("*-keyness*.csv"))])
    key_tables = [pd.read_csv(p) for p in paths]
    whole = [t for t in key_tables if {"term", "key_for", "g2"} <= set(t.columns)
             and not {"period", "month", "week"} & set(t.columns) and len(t)]
    assert whole, "no whole-corpus key-term table in a run on two collections"
    for table in whole[:2]:
        strongest = table.loc[table["g2"].abs().idxmax(), "term"]
        assert f"<td>{html.escape(str(strongest))}</td>" in findings
    chromium_or_skip()  # the page's contents above are checked without a browser
    result = browser_check(index, screenshot=notebook_run / SCREENSHOT_NAME)
    assert result["console_errors"] == []
    assert result["images"] == len(pngs) and result["broken_images"] == []
    assert (notebook_run / SCREENSHOT_NAME).read_bytes()[:8] == PNG_SIGNATURE


def _run_with_load_report(folder, rows: list[tuple], sources: list) -> str:
    """The report of a run folder holding only a load report and a manifest naming the run's inputs."""
    (folder / "tables").mkdir(parents=True)
    pd.DataFrame(rows, columns=["input", "status", "reason", "n_articles"]).to_csv(
        folder / "tables" / "load-report.csv", index=False)
    (folder / "manifest.json").write_text(json.dumps({"inputs": [{"source": str(s), "file": ""} for s in sources]}))
    return write_report(folder).read_text()


def test_report_header_of_the_offline_default_run_claims_no_sample(tmp_path):
    from helpers.settings import ARTICLES_DIR

    seed = ARTICLES_DIR / "000_4b4efd3ce2799559.txt"
    page = _run_with_load_report(tmp_path / "run", [(str(seed), "loaded", "text", 1)], [ARTICLES_DIR])
    inputs = section(page, "inputs")
    assert "<b>From:</b> data/articles (1 article)</p>" in inputs
    assert "Gave no article" not in inputs and "Credits" not in inputs
    assert "Wikinews" not in page and "congress" not in page.lower()


def test_report_header_names_each_loaded_input_its_count_and_the_credits_of_the_samples_present(tmp_path):
    from helpers.settings import ARTICLES_DIR, CONGRESS, WIKINEWS, sample_path

    newswire = tmp_path / "newswire"
    wikinews, congress = sample_path(WIKINEWS), tmp_path / "copies" / CONGRESS.file_name
    rows = [(str(ARTICLES_DIR / "000_4b4efd3ce2799559.txt"), "loaded", "text", 1),
            (str(wikinews), "loaded", "CSV, 171 rows", 171),
            (str(congress), "loaded", "JSON Lines, 374 objects", 370),
            *[(f"{congress}:{line}", "empty", "no text", 0) for line in (261, 372, 373, 374)],
            (str(newswire / "reut2-000.sgm"), "skipped", "unsupported file type '.sgm'", 0)]
    page = _run_with_load_report(tmp_path / "run", rows, [ARTICLES_DIR, wikinews, congress, newswire])
    inputs = section(page, "inputs")
    assert (f"<b>From:</b> data/articles (1 article) · data/external/wikinews_2019.csv (171 articles) · "
            f"{html.escape(str(congress))} (370 articles)</p>") in inputs
    assert (f"Gave no article: {html.escape(str(newswire))} (skipped: unsupported file type &#x27;.sgm&#x27;)"
            in inputs)
    assert f"<b>Credits:</b> {WIKINEWS.credit}; {CONGRESS.credit}</p>" in inputs
    footer = page[page.index("<footer>"):]
    assert WIKINEWS.credit in footer and CONGRESS.credit in footer
