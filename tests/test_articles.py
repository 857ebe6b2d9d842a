"""Article ingestion: every format through load_articles, clean metadata, syndicated copies, bad input accounted for."""

from __future__ import annotations

import gzip
import io
import json
import zipfile
from pathlib import Path

import pandas as pd
import pytest

import helpers
from helpers.load.articles import ARTICLE_COLUMNS, LoadReport, load_report
from helpers.load.decode import clean_text
from helpers.load.decode import decode_bytes

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
STATUSES = {"loaded", "duplicate", "empty", "skipped", "error"}


def report_of(articles) -> pd.DataFrame:
    return load_report(articles).set_index("input")


def row(articles, endswith: str) -> pd.Series:
    report = load_report(articles)
    match = report[report["input"].str.endswith(endswith)]
    assert len(match) == 1, f"{endswith}: {match}"
    return match.iloc[0]


def assert_accounted(articles, inputs: int | None = None):
    report = load_report(articles)
    assert list(report.columns) == ["input", "status", "reason", "n_articles"]
    assert set(report["status"]) <= STATUSES
    assert report["n_articles"].sum() == len(articles)
    assert (report.loc[report["status"] != "loaded", "reason"].str.len() > 0).all()
    if inputs is not None:
        assert report["input"].str.contains("#|:|\\[", regex=True).sum() + (~report["input"].str.contains(
            "#|\\.csv:|\\.jsonl:|\\[|bad-line", regex=True)).sum() >= inputs


# --- the kit's defaults -------------------------------------------------------------------------------------------

def test_seed_article_loads_with_front_matter_and_no_invented_metadata(seed_articles):
    article = seed_articles.iloc[0]
    assert list(seed_articles.columns[:len(ARTICLE_COLUMNS)]) == ARTICLE_COLUMNS
    assert article["title"] == "Libya and United States sign memorandum against drug trafficking"
    assert pd.isna(article["date"]) and pd.isna(article["source"]) and pd.isna(article["url"])
    assert article["language"] == "en" and article["collection"] == "articles"
    assert article["doc_id"] == helpers.make_doc_id(article["text"]) and article["story_id"] == article["doc_id"]
    assert article["n_chars"] == len(article["text"])


def test_sample_loads_172_articles_with_csv_dates_and_wikinews_source(sample_articles):
    assert len(sample_articles) == 172
    wikinews = sample_articles[sample_articles["collection"] == "wikinews_2019"]
    assert len(wikinews) == 171
    assert (wikinews["source"] == "en.wikinews.org").all()
    assert (wikinews["date_source"] == "metadata").all()
    assert str(sample_articles["date"].dtype).endswith("UTC]")
    assert wikinews["date"].min() == pd.Timestamp("2019-01-04", tz="UTC")
    assert (wikinews["date"].dt.year == 2019).all()
    assert sample_articles["doc_id"].is_unique
    report = load_report(sample_articles)
    assert report.loc[report["status"] == "loaded", "n_articles"].sum() == 172


def test_doc_ids_do_not_depend_on_input_order(sample_path):
    forward = helpers.load_articles(helpers.ARTICLES_DIR, sample_path)
    backward = helpers.load_articles(sample_path, helpers.ARTICLES_DIR)
    assert set(forward["doc_id"]) == set(backward["doc_id"])
    assert set(forward["story_id"]) == set(backward["story_id"])


# --- formats ------------------------------------------------------------------------------------------------------

def test_text_front_matter_becomes_columns_and_extra_keys_are_kept():
    articles = helpers.load_articles(FIXTURES / "text" / "front-matter.txt")
    article = articles.iloc[0]
    assert article["title"] == "Bridge repairs finish early"
    assert article["date"] == pd.Timestamp("2024-04-02 08:00", tz="UTC")
    assert (article["source"], article["author"], article["section"]) == ("Valley Gazette", "Tom Ashdown", "Local")
    assert article["text"].startswith("Repairs to the old stone bridge")


def test_markdown_heading_is_the_title_and_dateline_gives_the_date():
    articles = helpers.load_articles(FIXTURES / "text" / "heading.md", FIXTURES / "text" / "dateline.txt")
    by_name = articles.set_index(articles["path"].map(lambda p: Path(p).name))
    assert by_name.loc["heading.md", "title"] == "Market stalls return to square"
    assert not by_name.loc["heading.md", "text"].startswith("#")
    assert pd.isna(by_name.loc["heading.md", "date"])
    assert by_name.loc["dateline.txt", "date"] == pd.Timestamp("2023-11-20", tz="UTC")
    assert by_name.loc["dateline.txt", "date_source"] == "dateline"


def test_html_pages_lose_boilerplate_and_keep_metadata():
    articles = helpers.load_articles(FIXTURES / "pages" / "port-strike.html")
    article = articles.iloc[0]
    assert article["title"] == "Dockworkers end three-day strike at Valletta port"
    assert article["source"] == "Harbour Times" and article["author"] == "Maria Camilleri"
    assert article["date"] == pd.Timestamp("2024-03-14 08:30", tz="UTC")
    assert article["url"] == "https://www.harbourtimes.example/news/port-strike"
    assert article["language"] == "en"
    for boilerplate in ("We use cookies", "Related stories", "Advertisement", "Typical, they always strike",
                        "All rights reserved", "Share this article"):
        assert boilerplate not in article["text"]
    assert article["text"].endswith("how disputes at essential infrastructure are handled.")


def test_gzipped_html_reads_like_html(tmp_path):
    page = (FIXTURES / "pages" / "flood-warning.html").read_bytes()
    (tmp_path / "flood.html.gz").write_bytes(gzip.compress(page))
    articles = helpers.load_articles(tmp_path)
    assert articles.loc[0, "title"] == "River Ouse flood warnings extended as rain continues"
    assert articles.loc[0, "date"] == pd.Timestamp("2024-02-02", tz="UTC")


def test_non_article_and_truncated_pages_are_reported():
    articles = helpers.load_articles(FIXTURES / "pages" / "index-page.html", FIXTURES / "pages" / "truncated.html")
    assert row(articles, "index-page.html")["status"] == "empty"
    assert "list of links" in row(articles, "index-page.html")["reason"]
    truncated = row(articles, "truncated.html")
    assert truncated["status"] == "loaded" and "truncated" in truncated["reason"]
    assert len(articles) == 1


@pytest.mark.parametrize("name, version, n", [("rss091.xml", "RSS 0.91", 2), ("rss10.rdf", "RSS 1.0", 1),
                                              ("rss20.xml", "RSS 2.0", 2), ("atom.xml", "Atom 1.0", 1)])
def test_every_feed_family_loads_one_article_per_entry(name, version, n):
    articles = helpers.load_articles(FIXTURES / "feeds" / name)
    assert len(articles) == n
    assert row(articles, name)["reason"].startswith(version)
    assert articles["path"].str.contains(r"#entry-\d+$").all()


def test_feed_entries_carry_full_content_or_summary_marked_as_such():
    articles = helpers.load_articles(FIXTURES / "feeds" / "rss20.xml").set_index("title")
    full = articles.loc["Dockworkers end three-day strike"]
    assert full["text_kind"] == "full" and full["text"].count("\n\n") == 1
    assert full["date"] == pd.Timestamp("2024-03-14 08:30", tz="UTC") and full["author"] == "Maria Camilleri"
    summary = articles.loc["Summary-only item"]
    assert summary["text_kind"] == "summary" and summary["text"] == "Only a short summary & no full text in this feed."
    report = helpers.load_report(helpers.load_articles(FIXTURES / "feeds" / "rss20.xml"))
    empty = report[report["input"].str.endswith("#entry-3")].iloc[0]
    assert (empty["status"], empty["reason"]) == ("empty", "entry has neither content nor summary")


def test_latin1_rss091_and_french_atom_keep_their_characters_and_language():
    rss = helpers.load_articles(FIXTURES / "feeds" / "rss091.xml").set_index("title")
    assert "Café wins regional award" in rss.index
    assert rss.loc["Café wins regional award", "date"] == pd.Timestamp("2024-04-03", tz="UTC")  # from the URL
    assert rss.loc["Café wins regional award", "date_source"] == "url"
    assert (rss["source"] == "Valley Gazette").all() and (rss["language"] == "en").all()
    atom = helpers.load_articles(FIXTURES / "feeds" / "atom.xml").iloc[0]
    assert atom["language"] == "fr" and atom["author"] == "Claire Dubois"
    assert atom["date"] == pd.Timestamp("2024-03-14 09:00", tz="UTC")


def test_external_entities_are_never_resolved():
    articles = helpers.load_articles(FIXTURES / "feeds" / "xxe.xml")
    everything = " ".join(articles[["title", "text", "source"]].astype(str).stack())
    assert "root:" not in everything and "/bin/" not in everything
    assert "never resolved" in row(articles, "xxe.xml")["reason"]


def test_json_list_wrapped_object_and_jsonl_map_aliases():
    articles = helpers.load_articles(FIXTURES / "json")
    by_title = articles.set_index("title")
    comet = by_title.loc["Comet visible this week"]
    assert (comet["source"], comet["author"]) == ("Science Weekly", "Lena Park")
    assert comet["date"] == pd.Timestamp("2024-03-10 20:00", tz="UTC")
    assert comet["description"] == "Skywatchers can see the comet."
    assert by_title.loc["Bus route withdrawn", "text"] == "Bus route 12 will be withdrawn in May."
    assert by_title.loc["Bridge repairs finish early", "source"] == "valleygazette.example"
    assert by_title.loc["Bridge repairs finish early", "section"] == "Local"
    assert row(articles, "lines.jsonl:2")["status"] == "error"
    assert row(articles, "list.json[1]")["status"] == "empty"
    assert row(articles, "broken.json")["reason"].startswith("malformed JSON at line 1, column 30")
    assert_accounted(articles)


def test_nested_json_objects_become_dotted_columns_to_group_by(tmp_path):
    lines = [{"title": "Farm bill", "text": "The farm bill passed.", "member": {"name": "Al Green", "party": "D",
                                                                           "office": {"state": "TX"}}},
             {"title": "Budget", "text": "The budget failed.", "member": {"name": "Jo Doe", "party": "R"}}]
    (tmp_path / "releases.jsonl").write_text("\n".join(json.dumps(line) for line in lines))
    articles = helpers.load_articles(tmp_path / "releases.jsonl").set_index("title")
    assert articles.loc["Farm bill", "member.party"] == "D" and articles.loc["Budget", "member.party"] == "R"
    assert articles.loc["Farm bill", "member.office.state"] == "TX"
    assert pd.isna(articles.loc["Budget", "member.office.state"])
    assert articles.loc["Budget", "member"] == "Jo Doe"  # the object's name stays the compact value


def test_headlines_without_text_are_analysed_as_their_titles_and_say_so(tmp_path):
    (tmp_path / "heads.csv").write_text("title,source\nFloods hit the coast,BBC\nMinister resigns,ITV\n,ITV\n")
    (tmp_path / "mixed.jsonl").write_text('{"title": "Full story", "text": "Rain fell."}\n{"title": "Stub"}\n')
    articles = helpers.load_articles(tmp_path)
    heads = articles[articles["path"].str.contains("heads.csv")].set_index("title")
    assert heads["text"].to_dict() == {"Floods hit the coast": "Floods hit the coast",
                                       "Minister resigns": "Minister resigns"}
    assert (heads["text_fixes"] == "title-as-text").all()
    report = load_report(articles).set_index("input")
    assert report.loc[str(tmp_path / "heads.csv"), "reason"].endswith("no article text: the titles are analysed")
    assert report.loc[str(tmp_path / "heads.csv") + ":3", "status"] == "empty"  # no title either: reported
    # where some articles have text, one without it is a broken article, not a headline
    assert articles.loc[articles["path"].str.contains("mixed"), "title"].tolist() == ["Full story"]
    assert report.loc[str(tmp_path / "mixed.jsonl") + ":2", "status"] == "empty"


def test_csv_variants_delimiters_bom_crlf_tabs_and_no_header():
    articles = helpers.load_articles(FIXTURES / "csv")
    by_path = articles.set_index(articles["path"].map(lambda p: Path(p).name))
    ferry = by_path.loc["semicolon-bom-crlf.csv:1"]
    assert ferry["title"] == "Ferry timetable changes" and ferry["source"] == "Harbour Times"
    assert ferry["text"] == "New ferry times start on Monday; the first boat leaves at 6."
    assert ferry["date"] == pd.Timestamp("2024-04-01 08:00", tz="UTC")
    assert by_path.loc["tabs.tsv:1", "url"] == "https://civicledger.example/2023/11/20/library"
    assert by_path.loc["tabs.tsv:1", "date_source"] == "url"
    assert by_path.loc["no-header.csv:1", "text"].startswith("Repairs to the old stone bridge")
    assert by_path.loc["cp1252.csv:1", "text"] == "“Best breakfast” — a café wins."
    bad = row(articles, "ragged.csv:bad-line-1")
    assert bad["status"] == "error" and "5 fields" in bad["reason"]
    assert row(articles, "ragged.csv")["n_articles"] == 2
    assert_accounted(articles)


def test_explicit_column_mapping_and_a_frame_without_text():
    frame = pd.DataFrame({"Story": ["Libya signed a memorandum."], "Paper": ["Libya Observer"]})
    articles = helpers.load_articles(frame, options=helpers.ReadOptions(columns={"Story": "text", "Paper": "source"}))
    assert articles.loc[0, ["text", "source", "collection"]].tolist() == [
        "Libya signed a memorandum.", "Libya Observer", "dataframe"]
    no_text = helpers.load_articles(pd.DataFrame({"headline": ["x"]}))
    assert len(no_text) == 0 and load_report(no_text).loc[0, "status"] == "error"
    assert "text column" in load_report(no_text).loc[0, "reason"]


def test_read_options_are_checked_and_a_wrong_options_type_is_a_clear_type_error():
    frame = pd.DataFrame({"Story": ["Libya signed a memorandum."]})
    for wrong in ({"columns": {"Story": "text"}}, "Story=text", None):
        with pytest.raises(TypeError, match="takes a helpers.ReadOptions"):
            helpers.load_articles(frame, options=wrong)
    with pytest.raises(TypeError, match="unexpected keyword argument 'columns'"):
        helpers.load_articles(frame, columns={"Story": "text"})
    with pytest.raises(TypeError, match="columns"):
        helpers.ReadOptions(columns=["Story"])
    with pytest.raises(TypeError, match="max_file_size"):
        helpers.ReadOptions(max_file_size="100MB")
    with pytest.raises(ValueError, match="balanced, precision, recall"):
        helpers.ReadOptions(html_favor="fast")
    mapping = {"Story": "text"}
    options = helpers.ReadOptions(columns=mapping, detect_language=False)
    mapping["Story"] = "title"  # the caller's dict changing later changes nothing
    with pytest.raises(AttributeError):
        options.detect_language = True
    articles = helpers.load_articles(frame, options=options)
    assert articles["text"].tolist() == ["Libya signed a memorandum."] and articles["language"].isna().all()


def test_a_loaded_frame_reloads_to_the_same_ids(seed_articles):
    again = helpers.load_articles(seed_articles)
    assert again["doc_id"].tolist() == seed_articles["doc_id"].tolist()
    assert again.loc[0, "collection"] == "articles" and again.loc[0, "path"] == seed_articles.loc[0, "path"]


# --- encodings and text repair -------------------------------------------------------------------------------------

@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1252", "latin-1"])
def test_encodings_are_detected(tmp_path, encoding):
    text = "The café’s “best breakfast” award — judges were unanimous." if encoding not in ("latin-1",) \
        else "Größe der Straße: the café won, naïvely."
    (tmp_path / "a.txt").write_bytes(text.encode(encoding))
    assert helpers.load_articles(tmp_path).loc[0, "text"] == text


def test_mojibake_and_entities_are_repaired_and_the_original_kept():
    articles = helpers.load_articles(FIXTURES / "text" / "mojibake.txt")
    assert articles.loc[0, "text"] == "The café’s award"
    assert articles.loc[0, "text_original"] == "The cafÃ©â€™s award"
    assert articles.loc[0, "text_fixes"] == "mojibake"
    assert clean_text("A&amp;B  \u00a0 C\n\n\n\nD") == ("A&B C\n\nD", ["entities", "whitespace"])
    assert clean_text("cafe\u0301") == ("café", ["nfc"])


def test_decode_bytes_names_the_encoding():
    assert decode_bytes("Tripoli".encode("utf-16"))[0] == "Tripoli"
    assert decode_bytes("“MoU”".encode("cp1252")) == ("“MoU”", "cp1252")


# --- duplicates and syndicated stories ----------------------------------------------------------------------------

def test_syndicated_copies_from_different_outlets_share_one_story_id():
    articles = helpers.load_articles(FIXTURES / "pages", FIXTURES / "syndicated")
    vaccine = articles[articles["text"].str.contains("measles")]
    assert len(vaccine) == 3 and vaccine["story_id"].nunique() == 1
    assert set(vaccine["source"]) == {"Harbour Times", "Daily Post", "Coastal Courier"}
    others = articles[~articles["text"].str.contains("measles") & ~articles["path"].str.contains("chess|truncated")]
    assert (others["story_id"] == others["doc_id"]).all()
    clusters = helpers.story_clusters(articles)
    vaccine_story = clusters[clusters["story_id"] == vaccine["story_id"].iloc[0]]
    assert len(vaccine_story) == 3 and vaccine_story["n_articles"].eq(3).all()
    assert vaccine_story["similarity"].iloc[0] == 1.0 and vaccine_story["similarity"].min() > 0.5
    assert len(helpers.one_per_story(vaccine)) == 1
    assert len(helpers.one_per_story(vaccine, per_outlet=True)) == 3


def test_exact_duplicates_are_dropped_and_reported_but_copies_from_other_outlets_kept(tmp_path):
    body = "Libya and the United States signed a memorandum against drug trafficking in Cairo."
    (tmp_path / "a.txt").write_text(f"---\nsource: Libya Observer\n---\n{body}")
    (tmp_path / "b.txt").write_text(f"---\nsource: Libya Observer\n---\n{body}\n")
    (tmp_path / "c.txt").write_text(f"---\nsource: Libya Herald\n---\n{body}")
    articles = helpers.load_articles(tmp_path)
    assert sorted(articles["source"]) == ["Libya Herald", "Libya Observer"]
    assert articles["doc_id"].is_unique and articles["story_id"].nunique() == 1
    duplicate = row(articles, "b.txt")
    assert duplicate["status"] == "duplicate" and duplicate["reason"].endswith("a.txt")
    assert_accounted(articles)
    kept = helpers.load_articles(tmp_path, drop_duplicates=False)
    assert len(kept) == 3


# --- bad input ----------------------------------------------------------------------------------------------------

def test_bad_text_inputs_each_have_a_reason_and_do_not_stop_the_load():
    articles = helpers.load_articles(FIXTURES / "text")
    assert row(articles, "empty.txt")[["status", "reason"]].tolist() == ["empty", "empty file"]
    assert row(articles, "binary.txt")["status"] == "skipped"
    assert "binary" in row(articles, "binary.txt")["reason"]
    assert row(articles, "bad-front-matter.txt")["status"] == "error"
    assert "front matter is not valid YAML (line 2)" in row(articles, "bad-front-matter.txt")["reason"]
    assert len(articles) == 6
    assert_accounted(articles)


def test_malformed_feed_missing_source_and_unsupported_files(tmp_path):
    (tmp_path / "report.pdf").write_bytes(b"%PDF-1.4 ...")
    (tmp_path / "notes.docx").write_bytes(b"PK\x03\x04...")
    (tmp_path / ".DS_Store").write_bytes(b"\x00\x00")
    articles = helpers.load_articles(FIXTURES / "feeds" / "malformed.xml", tmp_path, tmp_path / "missing-*.csv")
    assert row(articles, "malformed.xml")["status"] == "error"
    assert row(articles, "malformed.xml")["reason"].startswith("malformed feed XML")
    assert row(articles, "report.pdf")["status"] == "skipped" and "PDF" in row(articles, "report.pdf")["reason"]
    assert row(articles, "notes.docx")["status"] == "skipped"
    assert row(articles, ".DS_Store")[["status", "reason"]].tolist() == ["skipped", "hidden file or folder"]
    assert row(articles, "missing-*.csv")["reason"] == "no such file or folder, and no glob match"
    assert len(articles) == 0 and list(articles.columns[:len(ARTICLE_COLUMNS)]) == ARTICLE_COLUMNS


def test_files_over_the_size_limit_are_skipped_with_the_limit_named(tmp_path):
    (tmp_path / "huge.txt").write_text("word " * 300_000)
    (tmp_path / "bomb.txt.gz").write_bytes(gzip.compress(b"a" * 3_000_000))
    articles = helpers.load_articles(tmp_path, options=helpers.ReadOptions(max_file_size=1_000_000))
    assert row(articles, "huge.txt")["status"] == "skipped"
    assert "1.5 MB, over the 1 MB limit" in row(articles, "huge.txt")["reason"]
    assert "decompressed file is larger than the 1 MB limit" in row(articles, "bomb.txt.gz")["reason"]


def test_zip_members_are_read_in_memory_and_unsafe_paths_never_written(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("good/one.txt", "Libya signed a memorandum against drug trafficking.")
        archive.writestr("../../escape.txt", "This must never be written anywhere.")
        archive.writestr("/abs/path.txt", "Nor this.")
        archive.writestr("feeds/rss.xml", (FIXTURES / "feeds" / "rss20.xml").read_bytes())
        inner = io.BytesIO()
        with zipfile.ZipFile(inner, "w") as nested:
            nested.writestr("inner.md", "# Inner\n\nAn article inside a nested archive.")
        archive.writestr("nested.zip", inner.getvalue())
    target = tmp_path / "work" / "corpus.zip"
    target.parent.mkdir()
    target.write_bytes(buffer.getvalue())
    before = set(tmp_path.rglob("*"))
    articles = helpers.load_articles(target)
    assert set(tmp_path.rglob("*")) == before
    assert not (tmp_path / "escape.txt").exists()
    assert row(articles, "!../../escape.txt")["status"] == "skipped"
    assert "unsafe path" in row(articles, "!/abs/path.txt")["reason"]
    assert sorted(articles["title"].fillna("")) == ["", "Dockworkers end three-day strike", "Inner",
                                                    "Summary-only item"]
    assert (articles["collection"] == "corpus").all()
    assert articles["path"].str.contains("corpus.zip!").all()
    assert_accounted(articles)


def test_bad_zip_is_an_error_not_a_crash(tmp_path):
    (tmp_path / "broken.zip").write_bytes(b"PK\x03\x04 not really a zip")
    articles = helpers.load_articles(tmp_path / "broken.zip")
    assert row(articles, "broken.zip")["status"] == "error"
    assert "not a valid zip archive" in row(articles, "broken.zip")["reason"]


# --- the report survives pandas ------------------------------------------------------------------------------------

def test_load_report_survives_concat_merge_and_parquet(seed_articles, tmp_path):
    both = pd.concat([seed_articles, seed_articles])
    assert isinstance(both.attrs["load_report"], LoadReport)
    merged = seed_articles.merge(seed_articles[["doc_id"]], on="doc_id")
    assert load_report(merged)["n_articles"].tolist() == [1]
    other = helpers.load_articles(FIXTURES / "text" / "heading.md")
    assert len(pd.concat([seed_articles, other])) == 2
    with pytest.raises(ValueError, match="no load report"):
        load_report(pd.DataFrame({"doc_id": ["not-loaded"]}))


def test_cli_load_writes_table_report_and_stories_and_never_overwrites(tmp_path, capsys):
    from helpers.cli import main

    out = tmp_path / "articles.parquet"
    assert main(["load", str(FIXTURES / "json"), str(FIXTURES / "feeds" / "atom.xml"), "--out", str(out)]) == 0
    table = pd.read_parquet(out)
    assert len(table) == 5 and set(table["collection"]) == {"json", "atom"}
    report = pd.read_csv(tmp_path / "articles.load-report.csv")
    assert report["n_articles"].sum() == 5 and set(report["status"]) == {"loaded", "error", "empty"}
    assert (tmp_path / "articles.stories.csv").exists()
    assert "5 articles" in capsys.readouterr().out
    assert main(["load", str(FIXTURES / "json"), "--out", str(out)]) == 1
    assert "--replace" in capsys.readouterr().err


# --- notebook 01 on the sample -------------------------------------------------------------------------------------

@pytest.mark.slow
def test_notebook_01_metadata_coverage_reports_dates_sources_and_no_authors(notebook_run, default_articles):
    coverage = pd.read_csv(notebook_run / "tables" / "metadata-coverage.csv").set_index("field")
    has = default_articles.replace("", pd.NA).notna().sum()
    for field in ("title", "date", "source", "author", "language"):
        assert coverage.loc[field, "articles_with_value"] == has[field], field
    seed = default_articles[default_articles["collection"] == "articles"]
    assert seed["date"].isna().all() and has["date"] == len(default_articles) - 1  # no date is invented for the seed
    assert has["author"] == 0


@pytest.mark.slow
def test_notebook_01_months_sources_and_stories(notebook_run, default_articles):
    months = pd.read_csv(notebook_run / "tables" / "articles-per-month.csv")
    dated = default_articles["date"].dropna().dt.strftime("%Y-%m")
    assert months.set_index("month")["articles"].to_dict() == dated.value_counts().sort_index().to_dict()
    assert {f"2019-{m:02d}" for m in range(1, 13)} | {"2024-11"} == set(months["month"])
    sources = pd.read_csv(notebook_run / "tables" / "articles-per-source.csv").set_index("source")["articles"]
    expected = default_articles["source"].value_counts()
    assert sources.iloc[0] == expected.iloc[0] == 171 and sources.index[0] == "en.wikinews.org"
    assert sources.to_dict() == expected.head(len(sources)).to_dict()
    stories = pd.read_csv(notebook_run / "tables" / "story-clusters.csv")
    assert set(stories["doc_id"]) <= set(default_articles.loc[default_articles["collection"] != "wikinews_2019",
                                                               "doc_id"])  # Wikinews reports each story once
    assert (stories["n_articles"] >= 2).all() and (stories["n_sources"] >= 2).any()  # joint releases of offices
    report = pd.read_csv(notebook_run / "tables" / "load-report.csv")
    loaded = report[report["status"] == "loaded"]
    assert loaded["n_articles"].sum() == len(default_articles)
    marks = pd.read_csv(notebook_run / "figures" / "marks.csv").set_index("figure")["marks"]
    assert marks["articles-per-source"] >= 2


def test_one_json_article_with_nested_lists_is_one_article(tmp_path):
    (tmp_path / "one.json").write_text('{"headline": "MoU", "body": "Libya signed a memorandum.", '
                                       '"authors": [{"name": "A. Writer"}, {"name": "B. Writer"}]}')
    articles = helpers.load_articles(tmp_path)
    assert articles.loc[0, ["title", "author"]].tolist() == ["MoU", "A. Writer; B. Writer"]


def test_html_declared_utf8_but_saved_as_cp1252_is_decoded(tmp_path):
    page = ("<html><head><meta charset='utf-8'><title>Café award</title></head><body><article>"
            + "<p>The café’s “best breakfast” award was given on Monday by the regional tourism board.</p>" * 5
            + "</article></body></html>")
    (tmp_path / "page.html").write_bytes(page.encode("cp1252"))
    article = helpers.load_articles(tmp_path).iloc[0]
    assert article["title"] == "Café award"
    assert article["text"].startswith("The café’s “best breakfast” award")


def test_parallel_load_gives_the_same_frame_and_report_as_serial():
    sources = [FIXTURES / "pages", FIXTURES / "feeds", FIXTURES / "csv", FIXTURES / "text"]
    serial = helpers.load_articles(*sources, workers=1)
    parallel = helpers.load_articles(*sources, workers=2, progress=True)
    pd.testing.assert_frame_equal(serial, parallel)
    pd.testing.assert_frame_equal(pd.DataFrame(load_report(serial)), pd.DataFrame(load_report(parallel)))


def test_cli_maps_columns(tmp_path):
    from helpers.cli import main

    (tmp_path / "export.csv").write_text("Story,Paper\nLibya signed a memorandum against drug trafficking.,Observer\n")
    out = tmp_path / "out.csv"
    assert main(["load", str(tmp_path / "export.csv"), "--column", "Story=text", "--column", "Paper=source",
                 "--out", str(out)]) == 0
    table = pd.read_csv(out)
    assert table.loc[0, ["text", "source", "collection"]].tolist() == [
        "Libya signed a memorandum against drug trafficking.", "Observer", "export"]


def test_outlet_from_the_title_tag_when_the_page_names_no_site():
    article = helpers.load_articles(FIXTURES / "pages" / "flood-warning.html").iloc[0]
    assert article["source"] == "Northern Echo Online"  # <title>Headline - Northern Echo Online</title>
    assert article["title"] == "River Ouse flood warnings extended as rain continues"


def test_a_plain_text_headline_becomes_the_title_and_a_date_line_under_it_the_date(tmp_path):
    (tmp_path / "speech.txt").write_text("PRESIDENT'S ADDRESS TO THE CONGRESS\n \nApril 16, 1945\n\n"
                                         "Mr. Speaker, it is with a heavy heart that I stand before you.\n")
    (tmp_path / "sentence-first.txt").write_text("Libya and the United States signed a memorandum.\n\n"
                                                 "The signing took place on Thursday.\n")
    (tmp_path / "dated-headline.txt").write_text("Annual Message to the Congress. January 22, 1970\n\n"
                                                 "Mr. Speaker, my colleagues in the Congress.\n")
    articles = helpers.load_articles(tmp_path)
    by_name = articles.set_index(articles["path"].map(lambda p: Path(p).name))
    speech = by_name.loc["speech.txt"]
    assert speech["title"] == "PRESIDENT'S ADDRESS TO THE CONGRESS"
    assert speech["text"].startswith("April 16, 1945")
    assert (speech["date"], speech["date_source"]) == (pd.Timestamp("1945-04-16", tz="UTC"), "dateline")
    # a first line that is a sentence stays in the text; so does a heading with a date in it, as the dateline
    assert pd.isna(by_name.loc["sentence-first.txt", "title"])
    assert by_name.loc["sentence-first.txt", "text"].startswith("Libya and the United States")
    assert pd.isna(by_name.loc["dated-headline.txt", "title"])
    assert by_name.loc["dated-headline.txt", "date"] == pd.Timestamp("1970-01-22", tz="UTC")


def test_a_date_in_an_article_files_name_dates_it_but_not_the_rows_of_a_table(tmp_path):
    body = "Libya and the United States signed a memorandum against drug trafficking on Thursday in Cairo.\n"
    (tmp_path / "2019-01-04-libya-mou.txt").write_text(body)
    (tmp_path / "libya_20190105.html").write_text(f"<html><body><article><p>{body * 3}</p></article></body></html>")
    (tmp_path / "1945-Truman.txt").write_text(body.replace("Libya", "Egypt"))
    (tmp_path / "export-2024-11-30.csv").write_text(f"title,text\nMoU,{body.replace('Libya', 'Chad')}")
    articles = helpers.load_articles(tmp_path)
    by_name = articles.set_index(articles["path"].map(lambda p: Path(p).name.split("#")[0]))
    assert by_name.loc["2019-01-04-libya-mou.txt", "date"] == pd.Timestamp("2019-01-04", tz="UTC")
    assert by_name.loc["2019-01-04-libya-mou.txt", "date_source"] == "file name"
    assert by_name.loc["libya_20190105.html", "date"] == pd.Timestamp("2019-01-05", tz="UTC")
    assert pd.isna(by_name.loc["1945-Truman.txt", "date"])  # a year alone is no date
    assert articles.loc[articles["path"].str.contains("export-2024-11-30"), "date"].isna().all()
