"""What changed between two runs: exact values on hand-made run folders, robustness to absent tables, and the
seed article alone against the seed article plus the Wikinews sample."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from helpers.settings import ARTICLES_DIR
from helpers.runs.diff import diff_runs, keyness_from_counts


def _write_run(folder: Path, **tables: pd.DataFrame) -> Path:
    (folder / "tables").mkdir(parents=True)
    for name, table in tables.items():
        table.to_csv(folder / "tables" / f"{name.replace('_', '-')}.csv", index=False)
    return folder


def _articles(*rows):
    return pd.DataFrame(rows, columns=["doc_id", "title", "date", "source"])


def _freq(counts: dict):
    return pd.DataFrame({"term": list(counts), "frequency": list(counts.values())})


@pytest.fixture
def two_runs(tmp_path):
    a = _write_run(tmp_path / "a",
                   run_articles=_articles(("d1", "Libya MoU", "2019-01-01", "libyaherald.com"),
                                          ("d2", "Drug raid", "2019-01-02", "apnews.com")),
                   run_term_frequencies=_freq({"libya": 10, "drug": 5, "security": 5}),
                   entities=pd.DataFrame({"entity": ["Libya", "DEA"], "label": ["GPE", "ORGANIZATION"],
                                          "frequency": [10, 2]}),
                   collocations=pd.DataFrame({"ngram": ["drug trafficking"], "frequency": [3]}))
    b = _write_run(tmp_path / "b",
                   run_articles=_articles(("d1", "Libya MoU", "2019-01-01", "libyaherald.com"),
                                          ("d2", "Drug raid", "2019-01-02", "apnews.com"),
                                          ("d3", "Border wall", "2019-02-01", "wikinews.org")),
                   run_term_frequencies=_freq({"libya": 10, "drug": 5, "security": 5, "wall": 8, "border": 2}),
                   entities=pd.DataFrame({"entity": ["Libya", "DEA", "Trump"], "label": ["GPE", "ORGANIZATION", "PERSON"],
                                          "frequency": [10, 2, 4]}),
                   collocations=pd.DataFrame({"ngram": ["drug trafficking", "border wall"], "frequency": [3, 2]}))
    return a, b


def test_new_articles_sources_entities_and_collocations(two_runs):
    changes = diff_runs(*two_runs)
    assert changes["articles"][["change", "doc_id", "title"]].values.tolist() == [["new", "d3", "Border wall"]]
    assert changes["sources"].values.tolist() == [["wikinews.org", 0, 1, "new"]]
    assert changes["entities"].values.tolist() == [["Trump", "PERSON", 4]]
    assert changes["collocations"].values.tolist() == [["border wall", 2]]
    summary = changes["summary"].set_index("item")
    assert summary.loc["articles"].tolist() == [2, 3] and summary.loc["new articles", "run_b"] == 1


def test_terms_that_rose_and_fell_per_10k(two_runs):
    terms = diff_runs(*two_runs)["terms"].set_index("term")
    assert terms.loc["wall", "direction"] == "rose" and terms.loc["wall", "per_10k_b"] == pytest.approx(10_000 * 8 / 30)
    assert terms.loc["libya", "direction"] == "fell"
    assert terms.loc["libya", "change_per_10k"] == pytest.approx(10_000 * (10 / 30 - 10 / 20))
    assert terms.index[0] == "wall"


def test_keyness_of_the_new_articles_against_the_old_uses_the_difference_of_counts(two_runs):
    keyness = diff_runs(*two_runs)["keyness"].set_index("term")
    assert keyness.loc["wall", ["target_freq", "reference_freq", "key_for"]].tolist() == [8, 0, "target"]
    assert keyness.loc["libya", ["target_freq", "reference_freq", "key_for"]].tolist() == [0, 10, "reference"]
    # wall: a=8, b=0 in corpora of 10 and 20 tokens; G2 = 2 (a ln(a/E1) + b ln(b/E2)), E1 = c(a + b)/(c + d)
    expected = 2 * 8 * math.log(8 / (10 * 8 / 30))
    assert keyness.loc["wall", "g2"] == pytest.approx(expected)


def test_keyness_from_counts_hand_computed_with_a_zero_count():
    table = keyness_from_counts(pd.Series({"drug": 10, "the": 50}), pd.Series({"drug": 0, "the": 60}))
    drug = table.set_index("term").loc["drug"]
    a, b, c, d = 10, 0, 60, 60  # counts of "drug", and the two corpora's sizes
    g2 = 2 * a * math.log(a / (c * (a + b) / (c + d)))  # Rayson & Garside: the b term is 0 ln 0 = 0
    assert drug["g2"] == pytest.approx(g2)
    assert drug["log_ratio"] == pytest.approx(math.log2((10 / 60) / (0.5 / 60)))
    assert bool(drug["significant"]) and drug["key_for"] == "target"


def test_dropped_articles_switch_keyness_to_whole_runs_and_say_so(two_runs):
    a, b = two_runs
    changes = diff_runs(b, a)
    assert changes["articles"][["change", "doc_id"]].values.tolist() == [["dropped", "d3"]]
    assert changes["sources"]["change"].tolist() == ["dropped"]
    assert changes["notes"]["note"].str.contains("all of run b").any()


def test_absent_tables_are_noted_not_fatal(tmp_path, two_runs):
    bare = _write_run(tmp_path / "bare")
    changes = diff_runs(two_runs[0], bare)
    notes = " ".join(changes["notes"]["note"])
    assert "article lists absent" in notes and "term frequencies absent" in notes and "entities absent" in notes
    assert set(changes) == {"summary", "notes"}


def test_cli_prints_the_sections_and_writes_csv(two_runs, tmp_path, capsys):
    from helpers.cli import main

    assert main(["diff", str(two_runs[0]), str(two_runs[1]), "--out", str(tmp_path / "changes")]) == 0
    out = capsys.readouterr().out
    for title in ("New and dropped articles", "Terms that rose and fell most", "New entities", "Trump"):
        assert title in out
    assert pd.read_csv(tmp_path / "changes" / "entities.csv")["entity"].tolist() == ["Trump"]
    assert main(["diff", str(tmp_path / "missing"), str(two_runs[1])]) == 1


@pytest.mark.slow
def test_seed_alone_then_with_the_sample_shows_what_the_sample_added(tmp_path, sample_path):
    from helpers.runs.runner import run

    seed = run([str(ARTICLES_DIR)], tmp_path / "seed", notebooks=["01"], cache=tmp_path / "cache", progress=False)
    both = run([str(ARTICLES_DIR), str(sample_path)], tmp_path / "both", notebooks=["01"], cache=tmp_path / "cache",
               progress=False)
    changes = {p.stem: pd.read_csv(p) for p in (both / "changes").glob("*.csv")}
    assert (changes["articles"]["change"] == "new").sum() == 171
    assert changes["sources"].set_index("source").loc["en.wikinews.org", "change"] == "new"
    fell = changes["terms"].query("direction == 'fell'")["term"].tolist()
    assert "libya" in fell[:5]
    key_new = changes["keyness"].query("key_for == 'target'")["term"].head(20).tolist()
    assert "2019" in key_new
    page = (both / "index.html").read_text()
    assert "Changes since the previous run (seed)" in page and "en.wikinews.org" in page
    assert not (seed / "changes").exists()


def test_keyness_of_nothing_new_has_typed_columns():
    from helpers.runs.diff import KEYNESS_COLUMNS, keyness_from_counts

    table = keyness_from_counts(pd.Series(dtype="int64"), pd.Series({"drug": 3}))
    assert table.empty and list(table.columns) == KEYNESS_COLUMNS
    assert table["significant"].dtype == bool and table["g2"].dtype == "float64"
    assert table[table["significant"]].empty
