"""Property-based tests: random and corrupted input thrown at every loader never crashes a load, and every input
is accounted for in the load report."""

from __future__ import annotations

import gzip
import io
import tempfile
import unicodedata
import zipfile
from pathlib import Path

import pandas as pd
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import helpers
from helpers.ingest import clean_text, decode_bytes, parse_date

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
