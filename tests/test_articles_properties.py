"""Property-based tests: random and corrupted input thrown at every loader never crashes a load, and every input
is accounted for in the load report."""

from __future__ import annotations

import gzip
import io
import os
import shutil
import tempfile
import unicodedata
import zipfile
from pathlib import Path

import pandas as pd
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import helpers
from helpers.load.decode import clean_text
from helpers.load.decode import decode_bytes
from helpers.load.metadata import parse_date
from helpers.load.sources import display_name

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
SUFFIXES = [".txt", ".md", ".html", ".htm", ".xml", ".rss", ".atom", ".json", ".jsonl", ".csv", ".tsv", ".bin", ""]
SEEDS = sorted(p for p in FIXTURES.rglob("*") if p.is_file() and "bodies" not in p.parts)
STATUSES = {"loaded", "duplicate", "empty", "skipped", "error"}
FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def load_one(name: str, data: bytes) -> tuple[pd.DataFrame, pd.DataFrame]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        articles = helpers.load_articles(path, workers=1)
        return articles, helpers.load_report(articles)


def assert_accounted(articles: pd.DataFrame, report: pd.DataFrame, name: str):
    assert len(report) >= 1
    assert set(report["status"]) <= STATUSES
    assert report["n_articles"].sum() == len(articles)
    assert report["input"].str.contains(name, regex=False).all()
    assert (report.loc[report["status"] != "loaded", "reason"].str.len() > 0).all()
    assert articles["doc_id"].is_unique
    assert (articles["text"].str.strip().str.len() > 0).all()
    assert (articles["n_chars"] == articles["text"].str.len()).all()
    assert str(articles["date"].dtype).endswith("UTC]")


@FAST
@given(data=st.binary(max_size=3000), suffix=st.sampled_from(SUFFIXES))
def test_random_bytes_never_crash_any_loader(data, suffix):
    articles, report = load_one(f"random{suffix}", data)
    assert_accounted(articles, report, "random")


@FAST
@given(text=st.text(max_size=2000), suffix=st.sampled_from(SUFFIXES),
       encoding=st.sampled_from(["utf-8", "utf-16", "utf-8-sig"]))
def test_random_text_never_crashes_any_loader(text, suffix, encoding):
    articles, report = load_one(f"text{suffix}", text.encode(encoding, errors="surrogatepass"))
    assert_accounted(articles, report, "text")


@FAST
@given(seed=st.sampled_from(SEEDS), cut=st.floats(0, 1), flips=st.lists(st.tuples(st.floats(0, 1), st.integers(0, 255)),
                                                                          max_size=8))
def test_truncated_and_corrupted_fixtures_never_crash(seed, cut, flips):
    data = bytearray(seed.read_bytes()[: int(len(seed.read_bytes()) * cut) + 1])
    for where, value in flips if data else []:
        data[min(int(where * len(data)), len(data) - 1)] = value
    articles, report = load_one(f"corrupt-{seed.name}", bytes(data))
    assert_accounted(articles, report, "corrupt")


@FAST
@given(members=st.lists(st.tuples(st.text(min_size=1, max_size=30), st.binary(max_size=300)), max_size=5,
                        unique_by=lambda member: member[0]),
       compress=st.booleans())
def test_random_zip_archives_never_write_or_crash(members, compress):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED) as archive:
        for name, data in members:
            try:
                archive.writestr(name, data)
            except (ValueError, UnicodeEncodeError, IndexError):  # names zipfile itself refuses
                pass
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "random.zip"
        path.write_bytes(buffer.getvalue())
        before = sorted(Path(folder).rglob("*"))
        articles = helpers.load_articles(path, workers=1)
        assert sorted(Path(folder).rglob("*")) == before
    assert_accounted(articles, helpers.load_report(articles), "random.zip")


@FAST
@given(data=st.binary(max_size=2000))
def test_random_gzip_payloads_never_crash(data):
    articles, report = load_one("random.html.gz", gzip.compress(data))
    assert_accounted(articles, report, "random")


@FAST
@given(text=st.text(max_size=500))
def test_clean_text_output_is_normalised(text):
    cleaned, fixes = clean_text(text)
    assert cleaned == cleaned.strip()
    assert "\n\n\n" not in cleaned and "  " not in cleaned
    assert unicodedata.is_normalized("NFC", cleaned) or "mojibake" in fixes or "entities" in fixes
    assert set(fixes) <= {"mojibake", "entities", "nfc", "whitespace"}


@FAST
@given(text=st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=500))
def test_utf8_and_bom_encodings_round_trip_exactly(text):
    assert decode_bytes(text.encode("utf-8")) == (text, "utf-8")
    # The UTF-16-LE BOM followed by an encoded NUL is the UTF-32-LE BOM: those bytes are ambiguous by definition.
    assume(not text.startswith("\x00"))
    assert decode_bytes(text.encode("utf-16"))[0] == text


@FAST
@given(value=st.one_of(st.text(max_size=40), st.integers(-10**12, 10**13), st.floats(allow_nan=True), st.none(),
                       st.datetimes(), st.dates()))
def test_parse_date_gives_utc_or_nat(value):
    stamp = parse_date(value)
    assert stamp is pd.NaT or (isinstance(stamp, pd.Timestamp) and str(stamp.tz) == "UTC")


@settings(max_examples=15, deadline=None)
@given(order=st.permutations(list(range(6))))
def test_doc_ids_and_story_ids_do_not_depend_on_order(order):
    sources = [FIXTURES / name for name in ("pages", "syndicated", "feeds", "json", "csv", "text")]
    reference = helpers.load_articles(*sources, workers=1)
    shuffled = helpers.load_articles(*[sources[i] for i in order], workers=1)
    assert set(shuffled["doc_id"]) == set(reference["doc_id"])
    assert dict(zip(shuffled["doc_id"], shuffled["story_id"])) == dict(zip(reference["doc_id"], reference["story_id"]))


# --- hostile inputs (issue 21): file names, encodings per row, front matter -----------------------------------------

ARTICLE = "The harbour workers went on strike on Monday, and the port stayed closed for {} days."
FILE_NAME_BYTES = st.binary(min_size=1, max_size=40).filter(lambda b: b"/" not in b and b"\x00" not in b
                                                            and b not in (b".", b".."))


@FAST
@given(names=st.lists(FILE_NAME_BYTES, min_size=1, max_size=5, unique=True))
def test_random_file_names_never_stop_a_load_and_each_has_a_row(names):
    with tempfile.TemporaryDirectory() as folder:
        for number, name in enumerate(names):
            with open(os.path.join(os.fsencode(folder), name), "wb") as handle:
                handle.write(ARTICLE.format(number).encode())
        articles = helpers.load_articles(folder, workers=1)
        report = helpers.load_report(articles)
        assert report["n_articles"].sum() == len(articles)
        shown = [display_name(os.path.join(folder, os.fsdecode(name))) for name in names]
        assert all((report["input"] == name).any() or report["input"].str.startswith(name + "!").any()
                   for name in shown)
        helpers.save_articles(articles, Path(folder + "-out") / "articles.parquet")
        shutil.rmtree(folder + "-out")


LATIN_TEXT = st.text(alphabet="abcdefghij klmnop éèàçôûëïÉ", min_size=3, max_size=40).filter(lambda t: t.strip())


@FAST
@given(rows=st.lists(st.tuples(LATIN_TEXT, st.sampled_from(["utf-8", "cp1252", "latin-1"])), min_size=1, max_size=12))
def test_csv_rows_in_random_encodings_are_decoded_row_by_row(rows):
    data = b"title,text\n" + b"".join(f"row{i},{text}\n".encode(encoding) for i, (text, encoding) in enumerate(rows))
    articles, report = load_one("rows.csv", data)
    assert_accounted(articles, report, "rows")
    assert len(articles) + (report["status"] == "duplicate").sum() == len(rows)
    loaded = dict(zip(articles["title"], articles["text"]))
    redecoded_as_cp1252 = "re-decoded as cp1252" in report["reason"].iloc[0]
    for number, (text, encoding) in enumerate(rows):
        if f"row{number}" not in loaded:
            continue
        if encoding == "utf-8" or redecoded_as_cp1252:
            assert loaded[f"row{number}"] == " ".join(text.split())
        assert "\ufffd" not in loaded[f"row{number}"]


YAML_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20) | st.dates(),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3),
    max_leaves=10)


@FAST
@given(meta=st.dictionaries(st.text(min_size=1, max_size=10), YAML_VALUES, max_size=6), raw=st.text(max_size=200),
       use_raw=st.booleans())
def test_random_front_matter_never_costs_the_article(meta, raw, use_raw):
    front = raw if use_raw else yaml.safe_dump(meta, allow_unicode=True)
    data = f"---\n{front}\n---\n{ARTICLE.format(3)}\n".encode("utf-8", "surrogatepass")
    articles, report = load_one("front.md", data)
    assert_accounted(articles, report, "front")
    if not use_raw:
        assert len(articles) == 1 and articles["text"].iloc[0].endswith("closed for 3 days.")
    with tempfile.TemporaryDirectory() as folder:
        helpers.save_articles(articles, Path(folder) / "articles.parquet")
