"""Every notebook executed on small corpora of the shapes users bring (built by tests/shapes.py), and the committed
notebooks' markdown checked for statements about the default data.

Four runs of all notebooks: one undated plain-text article; a folder of undated Spanish plain-text articles from one
outlet; headlines only from fifteen outlets; and one folder mixing a dated CSV export, JSONL with nested metadata,
saved HTML pages and RSS/Atom feeds. Each run must finish, name its inputs in every notebook, draw data in every
figure it saves, skip the charts it has nothing for with one printed line, and print statements that match the data.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

import helpers
from helpers.runs.runner import list_notebooks

import shapes

SHAPES = {
    "one-article": lambda folder: shapes.one_plain_article(folder),
    "spanish-folder": lambda folder: shapes.spanish_plain_folder(folder),
    "headlines": lambda folder: shapes.headlines_csv(folder / "headlines.csv").parent,
    "mixed-formats": lambda folder: shapes.mixed_formats(folder),
}


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """Runs every notebook on a shape's corpus the first time it is asked for; returns (corpus, run folder)."""
    from helpers.runs.runner import run

    done = {}

    def run_of(name):
        if name not in done:
            base = tmp_path_factory.mktemp(name)
            corpus = SHAPES[name](base / "corpus")
            done[name] = corpus, run([str(corpus)], out=base / "run", compare_with=False, cache=base / "cache",
                                     progress=False)
        return done[name]

    return run_of


@pytest.fixture(params=list(SHAPES))
def shape_run(request, runs):
    """(shape name, its articles folder, its run folder) for each shape in turn."""
    return (request.param, *runs(request.param))


def _printed(run: Path, notebook: str) -> str:
    """Everything a notebook of the run printed (stream outputs), in cell order."""
    path = next((run / "notebooks").glob(f"{notebook}*.ipynb"))
    cells = json.loads(path.read_text())["cells"]
    return "\n".join("".join(o.get("text", "")) for c in cells if c["cell_type"] == "code"
                     for o in c.get("outputs", []) if o["output_type"] == "stream")


def _figures(run: Path) -> set[str]:
    return {p.stem for p in (run / "figures").glob("*.png")}


pytestmark = pytest.mark.slow


def test_every_notebook_runs_without_errors_and_names_its_inputs(shape_run):
    name, corpus, run = shape_run
    articles = helpers.load_articles(corpus)
    for notebook in list_notebooks():
        executed = run / "notebooks" / notebook.name
        cells = json.loads(executed.read_text())["cells"]
        errors = [o for c in cells if c["cell_type"] == "code" for o in c.get("outputs", [])
                  if o["output_type"] == "error"]
        assert not errors, f"{name}: {notebook.name} has error outputs"
        printed = _printed(run, notebook.stem)
        assert helpers.inputs_statement(articles) in printed, f"{name}: {notebook.name} does not name its inputs"


def test_every_saved_figure_draws_data(shape_run):
    name, _, run = shape_run
    figures = _figures(run)
    assert figures, f"{name}: no figure at all"
    marks_file = run / "figures" / "marks.csv"
    assert marks_file.exists(), "save_figure records every saved figure in figures/marks.csv"
    marks = pd.read_csv(marks_file).set_index("figure")["marks"]
    assert figures <= set(marks.index), f"{name}: figures without a marks row: {figures - set(marks.index)}"
    assert (marks[list(figures)] > 0).all(), f"{name}: figures drawing nothing: {marks[marks <= 0].index.tolist()}"


def test_the_corpus_statement_is_printed_and_true(shape_run):
    name, corpus, run = shape_run
    articles = helpers.load_articles(corpus)
    printed = _printed(run, "01")
    assert helpers.corpus_statement(articles) in printed
    n_dated = int(articles["date"].notna().sum())
    assert f"Of {len(articles)} articles, {n_dated} have a date" in printed


def test_charts_with_nothing_to_compare_are_skipped_with_a_reason(shape_run):
    name, corpus, run = shape_run
    articles = helpers.load_articles(corpus)
    figures = _figures(run)
    printed = _printed(run, "01")
    months = articles["date"].dropna().dt.strftime("%Y-%m").nunique()
    assert ("articles-per-month" in figures) == (months >= 2)
    if months < 2:
        assert "No chart of articles per month" in printed
    assert ("articles-per-source" in figures) == (articles["source"].nunique() >= 2)
    assert ("articles-per-collection" in figures) == (articles["collection"].nunique() >= 2)
    assert ("article-lengths" in figures) == (len(articles) >= 5)
    if months < 2:
        assert not {"term-trends", "explore-term-trends", "keyness-by-month", "sentiment-over-time"} & figures
        assert "No timeline" in _printed(run, "07") and "No trends" in _printed(run, "10")


def test_one_article_run_shows_no_comparison(runs):
    _, run = runs("one-article")
    assert _figures(run) <= {"top-terms", "dispersion", "collocations-bigrams", "term-dispersion", "wordcloud",
                             "term-network", "entity-network", "large-corpus-top-terms", "term-collocates",
                             "topics", "theme-trends-heatmap", "keyness-corpus-vs-external",
                             "quoted-share-per-article"}
    assert "No focus" in _printed(run, "04") and "no group comparisons" in _printed(run, "04")


def test_non_english_articles_are_not_set_against_an_english_reference(runs):
    _, run = runs("spanish-folder")
    assert "Skipped: only 0% of the articles are detected as English" in _printed(run, "04")
    assert "keyness-corpus-vs-external" not in _figures(run)
    top = pd.read_csv(run / "tables" / "top-terms.csv")["term"].head(10).tolist()
    assert {"barrio", "vecinos"} <= set(top)


def test_headlines_from_many_outlets_show_the_shared_stories(runs):
    _, run = runs("headlines")
    stories = pd.read_csv(run / "tables" / "story-clusters.csv")
    assert stories["n_sources"].max() >= 2 and "joint-stories" in _figures(run)
    assert "articles-per-source" in _figures(run)


def test_nested_metadata_groups_are_compared_with_intervals(runs):
    corpus, run = runs("mixed-formats")
    articles = helpers.load_articles(corpus)
    assert {"member.party", "member.chamber"} <= set(helpers.group_columns(articles))
    keys = pd.read_csv(run / "tables" / "keyness-member.party.csv")
    assert {"log_ratio_ci_low", "log_ratio_ci_high"} <= set(keys.columns)
    assert (keys["log_ratio_ci_low"] <= keys["log_ratio"]).all() and (keys["log_ratio"] <= keys["log_ratio_ci_high"]).all()
    parties = articles["member.party"].value_counts()
    printed = _printed(run, "04")
    assert (f"member.party: {parties.index[0]} ({parties.iloc[0]} articles) against {parties.index[1]} "
            f"({parties.iloc[1]})") in printed
    assert {"keyness-member.party", "top-terms-by-member.party", "articles-per-member.party"} <= _figures(run)
    assert "dispersion-across-sources" in {p.stem for p in (run / "tables").glob("*.csv")}


# --- markdown about the default data -------------------------------------------------------------------------------

EXAMPLE = "> **Example (default data):**"
# Words of the kit's own vocabulary that the default data also happens to use often ("agreement with NLTK").
KIT_WORDS = {"agreement"}


def default_data_claims(articles: pd.DataFrame, tokens: pd.DataFrame, *, n_terms: int = 25) -> set[str]:
    """What a markdown cell must not state outside a marked example: each default collection's most distinctive
    terms (against general English, Brown, when present; else against the rest of the corpus), the most frequent
    terms of its first article, the article counts (10 or more: smaller numbers are not findings) and the years and
    months."""
    claims = set()
    reference = "brown" if helpers.has_resource("brown") else None
    for collection in articles["collection"].unique():
        ids = articles.loc[articles["collection"] == collection, "doc_id"].astype(str).tolist()
        if reference or len(ids) < len(articles):
            keys = helpers.keyness(tokens, target=ids, reference=reference, articles=articles, min_freq=3)
            key_terms = keys[(keys["key_for"] == "target") & keys["significant"]]["term"]
            claims |= set(key_terms[key_terms.str.fullmatch(r"[a-z]{4,}")].head(n_terms))
        first = helpers.frequencies(tokens[tokens["doc_id"].astype(str) == ids[0]])["term"]
        claims |= set(first[first.str.fullmatch(r"[a-z]{4,}")].head(5))
        claims.add(str(len(ids)))
    claims |= {str(len(articles)), str(len(articles) - 1)}
    dates = articles["date"].dropna()
    claims |= set(dates.dt.strftime("%Y")) | set(dates.dt.strftime("%Y-%m"))
    return {claim for claim in claims if not claim.isdigit() or int(claim) >= 10}


def markdown_claims(source: str, claims: set[str]) -> set[str]:
    """The claims a markdown text names (as whole words, ignoring case), leaving out marked example blockquotes.

    >>> sorted(markdown_claims("About *libya* in 2019.", {"libya", "2019", "trump"}))
    ['2019', 'libya']
    >>> markdown_claims("> **Example (default data):** libya leads.\\n> in 2019\\n\\nThe chart.", {"libya", "2019"})
    set()
    """
    kept, in_example = [], False
    for line in source.splitlines():
        if line.startswith(EXAMPLE):
            in_example = True
        elif not line.startswith(">"):
            in_example = False
        if not in_example:
            kept.append(line)
    words = set(re.findall(r"[\w-]+", "\n".join(kept).lower()))
    return {claim for claim in claims if claim.lower() in words}


@pytest.fixture(scope="module")
def claims() -> set[str]:
    sources = helpers.default_sources()
    articles = helpers.load_articles(*sources)
    return default_data_claims(articles, helpers.cached_tokenize(articles))


def test_the_claim_list_holds_the_default_data_s_findings(claims):
    assert {"libya", "drug"} <= claims  # the seed article is always there
    if len(helpers.default_sources()) > 1:
        assert "2019" in claims and "171" in claims


@pytest.mark.parametrize("notebook", list_notebooks(), ids=lambda p: p.stem)
def test_markdown_states_nothing_about_the_default_data(notebook, claims):
    cells = json.loads(notebook.read_text())["cells"]
    named = {index: sorted(markdown_claims("".join(cell["source"]), claims - KIT_WORDS))
             for index, cell in enumerate(cells) if cell["cell_type"] == "markdown"}
    named = {index: words for index, words in named.items() if words}
    assert not named, f"{notebook.name}: markdown cells name terms of the default data: {named}"


@pytest.mark.parametrize("notebook", list_notebooks(), ids=lambda p: p.stem)
def test_code_assumes_no_collection_of_the_default_data(notebook):
    code = "\n".join("".join(c["source"]) for c in json.loads(notebook.read_text())["cells"] if c["cell_type"] == "code")
    assert not re.search(r"""["']collection["']\s*(\]\s*==|:)\s*["']|wikinews_2019|congress_press""", code), notebook.name
    assert "FOCUS_COLLECTION" not in code
