"""The sample corpora: fetched from a mirror with the checksum verified, refused when damaged, skipped offline in one
line each; the congress sample loads with its nested metadata and accounts for its empty releases; a run whose inputs
give no article stops before the notebooks with one plain line."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import urllib.parse
import urllib.request
from pathlib import Path

import pandas as pd
import pytest

import helpers
from helpers import settings as config
from helpers.load import samples as sample_data
from helpers.load.articles import ALWAYS_EXTRAS, ARTICLE_COLUMNS, NoArticlesLoaded, load_report, require_articles
from helpers.settings import ARTICLES_DIR, CONGRESS, PROJECT_ROOT, SAMPLES, WIKINEWS

CONGRESS_LINES = 374
CONGRESS_NULL_TEXT_LINES = [261, 372, 373, 374]


def _local_copy(sample) -> Path | None:
    """The sample's file on this machine: fetched into data/external/, or in the mirror the settings name."""
    if config.sample_path(sample).exists():
        return config.sample_path(sample)
    url = config.sample_url(sample)
    if url.startswith("file://"):
        path = Path(urllib.request.url2pathname(urllib.parse.urlparse(url).path))
        return path if path.exists() else None
    return None


@pytest.fixture(scope="module")
def mirror_files() -> dict:
    files = {sample.file_name: _local_copy(sample) for sample in SAMPLES}
    missing = [name for name, path in files.items() if path is None]
    if missing:
        pytest.skip(f"no local copy of {', '.join(missing)} (make sample-data, or set NEWSKIT_SAMPLES_MIRROR)")
    return files


@pytest.fixture
def mirror(tmp_path, mirror_files) -> Path:
    folder = tmp_path / "mirror"
    folder.mkdir()
    for name, path in mirror_files.items():
        shutil.copyfile(path, folder / name)
    return folder


@pytest.fixture
def elsewhere(tmp_path, monkeypatch) -> Path:
    """data/external/ moved to an empty temporary folder; no Wikinews-only override in effect."""
    external = tmp_path / "external"
    monkeypatch.setattr(config, "EXTERNAL_DIR", external)
    monkeypatch.delenv("NEWSKIT_SAMPLE_URL", raising=False)
    return external


def test_every_sample_is_fetched_from_a_file_url_mirror_with_its_checksum(mirror, elsewhere, monkeypatch, capsys):
    monkeypatch.setenv("NEWSKIT_SAMPLES_MIRROR", mirror.as_uri())
    fetched = sample_data.fetch_samples()
    assert fetched == [elsewhere / "wikinews_2019.csv", elsewhere / "congress_press_2024-11.jsonl"]
    assert [sample_data._sha256(p) for p in fetched] == [WIKINEWS.sha256, CONGRESS.sha256]
    assert capsys.readouterr().out == ""
    assert config.default_sources() == [ARTICLES_DIR, *fetched]


def test_a_mirror_folder_relative_to_the_project_works_too(mirror, elsewhere, monkeypatch):
    monkeypatch.setenv("NEWSKIT_SAMPLES_MIRROR", os.path.relpath(mirror, PROJECT_ROOT))
    assert config.sample_url(CONGRESS) == (mirror / CONGRESS.file_name).resolve().as_uri()
    assert sample_data.fetch_sample(sample=CONGRESS) == elsewhere / CONGRESS.file_name


def test_the_wikinews_url_setting_still_wins_for_wikinews_alone(monkeypatch, tmp_path):
    monkeypatch.setenv("NEWSKIT_SAMPLES_MIRROR", str(tmp_path))
    monkeypatch.setenv("NEWSKIT_SAMPLE_URL", "file:///elsewhere/wikinews_2019.csv")
    assert config.sample_url(WIKINEWS) == "file:///elsewhere/wikinews_2019.csv"
    assert config.sample_url(CONGRESS) == (tmp_path / CONGRESS.file_name).as_uri()
    monkeypatch.delenv("NEWSKIT_SAMPLES_MIRROR")
    assert config.sample_url(CONGRESS) == CONGRESS.url
    assert "46d3cbc65898dee6b9a9cd6fc56ad6060e5da172" in CONGRESS.url  # pinned to one commit


def test_a_sample_with_a_wrong_checksum_is_refused(mirror, elsewhere, monkeypatch, capsys):
    text = (mirror / CONGRESS.file_name).read_text(encoding="utf-8")
    (mirror / CONGRESS.file_name).write_text(text.replace("Republican", "Whig", 1), encoding="utf-8")
    monkeypatch.setenv("NEWSKIT_SAMPLES_MIRROR", str(mirror))
    assert sample_data.fetch_samples() == [elsewhere / WIKINEWS.file_name]
    assert not (elsewhere / CONGRESS.file_name).exists()
    assert list(elsewhere.glob(".sample-*")) == []  # no partial download left behind
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 1 and f"expected {CONGRESS.sha256}" in lines[0] and CONGRESS.file_name in lines[0]
    assert config.default_sources() == [ARTICLES_DIR, elsewhere / WIKINEWS.file_name]


def test_offline_each_missing_sample_costs_one_line_and_the_defaults_are_the_kits_articles(
        tmp_path, elsewhere, monkeypatch, capsys):
    empty = tmp_path / "empty-mirror"
    empty.mkdir()
    monkeypatch.setenv("NEWSKIT_SAMPLES_MIRROR", str(empty))
    assert sample_data.main() == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == len(SAMPLES)
    assert all(line.startswith("sample-data: could not fetch") and "going on without" in line for line in lines)
    assert config.default_sources() == [ARTICLES_DIR]


def test_the_congress_sample_loads_370_releases_with_party_and_4_reported_skips(mirror_files):
    path = mirror_files[CONGRESS.file_name]
    articles = helpers.load_articles(path)
    assert len(articles) == 370
    assert set(articles["collection"]) == {CONGRESS.collection}
    assert set(articles["member.party"]) == {"Democrat", "Republican", "Independent"}
    assert articles["member.chamber"].notna().all() and articles["source"].nunique() > 100
    report = load_report(articles)
    assert report.loc[0, "n_articles"] == 370 and report["n_articles"].sum() == 370
    not_loaded = report[report["status"] != "loaded"]
    assert not_loaded["input"].tolist() == [f"{path}:{line}" for line in CONGRESS_NULL_TEXT_LINES]
    assert set(not_loaded["reason"]) == {"no text"}
    assert len(articles) + len(not_loaded) == CONGRESS_LINES == len(path.read_text(encoding="utf-8").splitlines())


def test_the_congress_sample_is_credited_under_charts(mirror_files):
    articles = helpers.load_articles(mirror_files[CONGRESS.file_name])
    assert helpers.source_note(articles).endswith(f"; {CONGRESS.credit}")


@pytest.fixture
def sgm_only(tmp_path) -> Path:
    folder = tmp_path / "newswire"
    folder.mkdir()
    (folder / "reut2-000.sgm").write_text("<REUTERS><BODY>Oil prices rose on Tuesday.</BODY></REUTERS>\n")
    return folder


def test_a_load_without_any_article_keeps_every_documented_column(sgm_only):
    articles = helpers.load_articles(sgm_only)
    assert len(articles) == 0
    assert list(articles.columns) == ARTICLE_COLUMNS + ALWAYS_EXTRAS
    assert str(articles["date"].dtype).startswith("datetime64") and articles["date_source"].dtype == "str"
    assert load_report(articles)[["status", "reason"]].values.tolist() == [["skipped", "unsupported file type '.sgm'"]]


def test_no_article_loaded_is_one_plain_line_naming_the_inputs_and_why(sgm_only):
    articles = helpers.load_articles(sgm_only)
    with pytest.raises(NoArticlesLoaded) as raised:
        require_articles(articles, [sgm_only])
    message = str(raised.value)
    assert message == (f"no article was loaded from {sgm_only}: {sgm_only / 'reut2-000.sgm'} skipped "
                       "(unsupported file type '.sgm')")
    empty_frame = helpers.load_articles(pd.DataFrame({"text": [""]}))
    with pytest.raises(NoArticlesLoaded, match=r"^no article was loaded from a DataFrame: <DataFrame 1> empty"):
        require_articles(empty_frame, [pd.DataFrame({"text": [""]})])
    seed = helpers.load_articles(ARTICLES_DIR)
    assert require_articles(seed, [ARTICLES_DIR]) is seed


def test_the_run_stops_before_the_notebooks_with_that_line_and_a_non_zero_exit(sgm_only, tmp_path):
    out = tmp_path / "run"
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT), "NEWSKIT_CACHE": str(tmp_path / "cache")}
    done = subprocess.run([sys.executable, "-m", "helpers", "run", "--articles", str(sgm_only), "--out", str(out),
                           "--no-compare"], capture_output=True, text=True, timeout=600, env=env, cwd=tmp_path)
    assert done.returncode != 0
    errors = [line for line in done.stderr.splitlines() if line.startswith("run: no article")]
    assert errors == [f"run: no article was loaded from {sgm_only.name}: {sgm_only.name}/reut2-000.sgm skipped "
                      "(unsupported file type '.sgm')"]
    assert "Traceback" not in done.stderr and "KeyError" not in done.stderr
    assert not list((out / "notebooks").glob("*.ipynb")) if (out / "notebooks").exists() else True
    assert pd.read_json(out / "manifest.json", typ="series")["status"] == "failed"
