"""Hostile and broken inputs (issue 21): bounded memory, every input in the report, nothing lost or silently
corrupted, and a command line that checks before it works. Each test builds its input and asserts the outcome;
the memory cases run in a child process whose peak RSS is asserted."""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
import textwrap
import zipfile
import zlib
from pathlib import Path

import pandas as pd
import pytest

import helpers
from helpers import settings as config
from helpers.cli import main

ROOT = Path(__file__).resolve().parents[1]
ARTICLE = "The harbour workers went on strike on Monday, and the port stayed closed for three days."


def report_row(articles, endswith: str) -> pd.Series:
    report = helpers.load_report(articles)
    rows = report[report["input"].str.endswith(endswith)]
    assert len(rows) == 1, (endswith, report.to_string())
    return rows.iloc[0]


def zip_of_copies(path: Path, names: list[str], data: bytes) -> Path:
    """A zip whose members all hold ``data``, deflated once (zipfile would deflate it for every member)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    packed = compressor.compress(data) + compressor.flush()
    crc, local, central = zlib.crc32(data), bytearray(), bytearray()
    for name in names:
        encoded = name.encode()
        offset = len(local)
        local += struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 8, 0, 33, crc, len(packed), len(data),
                             len(encoded), 0) + encoded + packed
        central += struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 8, 0, 33, crc, len(packed), len(data),
                               len(encoded), 0, 0, 0, 0, 0, offset) + encoded
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(names), len(names), len(central), len(local), 0)
    path.write_bytes(bytes(local + central + end))
    return path


def peak_rss_mb(code: str, env: dict | None = None, timeout: int = 300) -> tuple[float, str]:
    """Run ``code`` in a grandchild process; return its peak RSS (MB, getrusage of children) and its output."""
    wrapper = textwrap.dedent(f"""
        import resource, subprocess, sys
        done = subprocess.run([sys.executable, "-c", {code!r}], capture_output=True, text=True, timeout={timeout})
        sys.stderr.write(done.stderr)
        print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)
        print(done.stdout, end="")
        sys.exit(done.returncode)
    """)
    environment = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    done = subprocess.run([sys.executable, "-c", wrapper], capture_output=True, text=True, timeout=timeout + 30,
                          env=environment)
    assert done.returncode == 0, done.stderr[-2000:]
    first, _, rest = done.stdout.partition("\n")
    return float(first), rest


BASELINE = """
import helpers, pandas, resource
helpers.load_articles({folder!r}, workers=1)
"""
LOAD = """
import helpers, json
articles = helpers.load_articles({path!r}, workers=1)
report = helpers.load_report(articles)
print(json.dumps({{"n": len(articles), "statuses": report["status"].tolist(), "reasons": report["reason"].tolist()}}))
"""


@pytest.fixture(scope="module")
def baseline_rss(tmp_path_factory) -> float:
    """Peak RSS of a child that imports the kit and loads one small article: the fixed overhead."""
    folder = tmp_path_factory.mktemp("baseline")
    (folder / "a.txt").write_text(ARTICLE)
    return peak_rss_mb(BASELINE.format(folder=str(folder)))[0]


# --- bounded memory -------------------------------------------------------------------------------------------------

def test_yaml_alias_bomb_in_front_matter_is_refused_in_bounded_memory(tmp_path, baseline_rss):
    levels = ["a: &a [x, x, x, x, x, x, x, x, x]"] + [
        f"{chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 9) + "]" for i in range(8)]
    path = tmp_path / "bomb.md"
    path.write_text("---\ntitle: Bomb\n" + "\n".join(levels) + "\n---\n" + ARTICLE + "\n")
    assert path.stat().st_size < 1200
    rss, out = peak_rss_mb(LOAD.format(path=str(path)))
    result = json.loads(out)
    assert result["n"] == 0 and result["statuses"] == ["skipped"]
    assert "YAML alias *a" in result["reasons"][0] and "aliases are refused" in result["reasons"][0]
    assert rss < baseline_rss + 100, (rss, baseline_rss)


def test_zip_of_two_gigabytes_in_small_members_is_a_bomb_skipped_in_bounded_memory(tmp_path, baseline_rss):
    path = zip_of_copies(tmp_path / "bomb.zip", [f"part-{i:03d}.txt" for i in range(100)], bytes(20_000_000))
    assert path.stat().st_size < 2_500_000
    rss, out = peak_rss_mb(LOAD.format(path=str(path)))
    result = json.loads(out)
    assert result["n"] == 0 and len(result["statuses"]) == 100
    assert set(result["statuses"]) == {"skipped"}
    assert "unpacks 0 MB to 20 MB" in result["reasons"][0] or "to 20 MB, a ratio of" in result["reasons"][0]
    assert "above the limit of 100 (NEWSKIT_MAX_COMPRESSION_RATIO)" in result["reasons"][0]
    assert rss < baseline_rss + 100, (rss, baseline_rss)


def words(n_bytes: int, seed: int = 1) -> bytes:
    """Text that compresses about as well as news text (ratio about 3), so it is no bomb."""
    import random

    rng = random.Random(seed)
    vocabulary = [bytes(rng.choice(b"abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(2, 9)))
                  for _ in range(5000)]
    out = bytearray()
    while len(out) < n_bytes:
        out += b" ".join(rng.choice(vocabulary) for _ in range(12)) + b".\n"
    return bytes(out[:n_bytes])


def test_duplicate_archive_members_are_reported_without_being_read_again(tmp_path):
    data = words(2_000_000)
    path = zip_of_copies(tmp_path / "copies.zip", [f"copy-{i}.txt" for i in range(10)], data)
    (tmp_path / "one.txt").write_bytes(data)
    one_rss, _ = peak_rss_mb(LOAD.format(path=str(tmp_path / "one.txt")))
    rss, out = peak_rss_mb(LOAD.format(path=str(path)))
    result = json.loads(out)
    assert result["n"] == 1
    assert result["statuses"].count("duplicate") == 9
    assert all(r.startswith("same bytes (CRC-32 and size) as ") and r.endswith("copies.zip!copy-0.txt; not read again")
               for s, r in zip(result["statuses"], result["reasons"]) if s == "duplicate")
    # the archive costs what its one distinct member costs as a file, give or take a few copies of its 2 MB
    assert rss < one_rss + 30, (rss, one_rss)


def test_archive_total_unpacked_limit_names_the_limit_and_figures(tmp_path, monkeypatch):
    monkeypatch.setattr(config, "MAX_ARCHIVE_UNPACKED_MB", 1.0)
    path = tmp_path / "many.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for i in range(5):
            archive.writestr(f"part-{i}.txt", words(300_000, seed=i))
    articles = helpers.load_articles(path, workers=1)
    report = helpers.load_report(articles)
    assert report["status"].tolist() == ["loaded"] * 3 + ["skipped"] * 2
    assert report.loc[3, "reason"] == ("the archive's members would unpack to 1.2 MB with this one, over the 1 MB "
                                       "limit for one archive (NEWSKIT_MAX_ARCHIVE_UNPACKED_MB); not read")
    assert len(articles) == 3


def test_gzip_bomb_under_the_size_limit_is_skipped_by_its_ratio(tmp_path):
    import gzip

    (tmp_path / "page.html.gz").write_bytes(gzip.compress(b"<p>" + bytes(5_000_000) + b"</p>"))
    articles = helpers.load_articles(tmp_path)
    reason = report_row(articles, "page.html.gz")["reason"]
    assert "gzip file unpacks" in reason and "NEWSKIT_MAX_COMPRESSION_RATIO" in reason


def test_limits_are_settings_read_from_the_environment(tmp_path):
    code = "from helpers import settings; print(settings.MAX_ARCHIVE_UNPACKED_MB, settings.MAX_COMPRESSION_RATIO)"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NEWSKIT_MAX_ARCHIVE_UNPACKED_MB": "5",
           "NEWSKIT_MAX_COMPRESSION_RATIO": "20"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert done.stdout.split() == ["5.0", "20.0"]
    env["NEWSKIT_MAX_COMPRESSION_RATIO"] = "-1"
    done = subprocess.run([sys.executable, "-m", "helpers", "doctor"], capture_output=True, text=True, env=env,
                          timeout=60)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.strip() == "python -m helpers: NEWSKIT_MAX_COMPRESSION_RATIO='-1' must be above 0"


# --- per-input isolation --------------------------------------------------------------------------------------------

def test_a_file_name_that_is_not_utf8_is_kept_escaped_and_stops_nothing(tmp_path):
    folder = os.fsencode(tmp_path)
    with open(os.path.join(folder, b"caf\xe9.txt"), "wb") as handle:
        handle.write("Le café du village a rouvert ce matin après les travaux.".encode())
    (tmp_path / "other.txt").write_text(ARTICLE)
    articles = helpers.load_articles(tmp_path, workers=1)
    assert len(articles) == 2
    path = articles.loc[articles["text"].str.startswith("Le café"), "path"].iloc[0]
    assert path.endswith("caf\\xe9.txt")
    assert "file name is not valid UTF-8" in report_row(articles, "caf\\xe9.txt")["reason"]
    written = helpers.save_articles(articles, tmp_path.parent / f"{tmp_path.name}-out" / "a.parquet")
    assert pd.read_parquet(written[0])["path"].str.endswith("caf\\xe9.txt").sum() == 1
    assert main(["load", str(tmp_path), "--out", str(tmp_path.parent / f"{tmp_path.name}-cli" / "a.csv")]) == 0


def test_lone_surrogates_in_json_keys_and_values_stop_nothing(tmp_path):
    (tmp_path / "odd.json").write_bytes(b'[{"title": "a\\udc80b", "text": "Words \\ud800 around a lone surrogate.",'
                                        b' "k\\udc81": "v\\udfff"}]')
    (tmp_path / "ok.txt").write_text(ARTICLE)
    articles = helpers.load_articles(tmp_path, workers=1)
    assert len(articles) == 2
    odd = articles[articles["path"].str.contains("odd.json")].iloc[0]
    assert odd["title"] == "a\ufffdb"
    assert "k\ufffd" in articles.columns
    helpers.save_articles(articles, tmp_path / "out" / "a.parquet")


# --- decoding that keeps what is right -----------------------------------------------------------------------------

def test_a_few_invalid_bytes_in_a_utf8_file_are_replaced_and_counted_not_the_whole_file_redecoded(tmp_path):
    (tmp_path / "a.txt").write_bytes("Résidents café naïve: ".encode() + b"\x81\x8d\x8f\x90\x9d\xff\xfe\xfd\xfc"
                                     + " le conseil municipal a voté.\nLa mairie a publié l'avis.".encode())
    articles = helpers.load_articles(tmp_path, workers=1)
    text = articles.loc[0, "text"]
    assert text.startswith("Résidents café naïve: ") and "voté" in text and "publié" in text
    assert text.count("\ufffd") == 9
    assert articles.loc[0, "text_fixes"] == "invalid-bytes"
    assert report_row(articles, "a.txt")["reason"] == "plain text; 9 invalid UTF-8 bytes on 1 line replaced with U+FFFD"


def test_a_csv_with_one_latin1_row_among_utf8_rows_is_decoded_row_by_row(tmp_path):
    (tmp_path / "mixed.csv").write_bytes(
        "title,text\nUn,Le café ouvre ses portes au public ce matin\n".encode()
        + "Deux,Le marché de Noël attire les visiteurs du canton\n".encode("latin-1")
        + "Trois,Une idée naïve qui a fait son chemin en ville\n".encode())
    articles = helpers.load_articles(tmp_path, workers=1).set_index("title")
    assert articles.loc["Un", "text"] == "Le café ouvre ses portes au public ce matin"
    assert articles.loc["Deux", "text"] == "Le marché de Noël attire les visiteurs du canton"
    assert articles.loc["Trois", "text"] == "Une idée naïve qui a fait son chemin en ville"
    assert articles["text_fixes"].fillna("").tolist() == ["", "re-decoded", ""]
    reason = report_row(articles.reset_index(), "mixed.csv")["reason"]
    assert reason.endswith("1 line not in UTF-8 re-decoded as cp1252")


def test_a_file_wholly_in_a_legacy_encoding_says_so_in_the_report(tmp_path):
    (tmp_path / "a.txt").write_bytes("Le café du village a rouvert, et la mairie est ravie.".encode("cp1252"))
    articles = helpers.load_articles(tmp_path, workers=1)
    assert articles.loc[0, "text"] == "Le café du village a rouvert, et la mairie est ravie."
    assert report_row(articles, "a.txt")["reason"] == "plain text; decoded as cp1252"


# --- every input in the report --------------------------------------------------------------------------------------

def test_links_pipes_and_empty_folders_each_have_a_report_row(tmp_path):
    corpus, elsewhere = tmp_path / "corpus", tmp_path / "elsewhere"
    (corpus / "empty").mkdir(parents=True)
    elsewhere.mkdir()
    (elsewhere / "x.txt").write_text(ARTICLE + " Elsewhere.")
    (corpus / "a.txt").write_text(ARTICLE)
    (corpus / "dangling.txt").symlink_to(tmp_path / "gone.txt")
    (corpus / "folder-link").symlink_to(elsewhere)
    (corpus / "file-link.txt").symlink_to(elsewhere / "x.txt")
    os.mkfifo(corpus / "pipe.txt")
    articles = helpers.load_articles(corpus, workers=1)
    assert len(articles) == 2
    assert report_row(articles, "dangling.txt")[["status", "reason"]].tolist() == [
        "skipped", f"dangling symbolic link (to {tmp_path / 'gone.txt'})"]
    assert report_row(articles, "folder-link")["status"] == "skipped"
    assert "symbolic link to a folder" in report_row(articles, "folder-link")["reason"]
    assert report_row(articles, "file-link.txt")["status"] == "loaded"
    assert report_row(articles, "pipe.txt")[["status", "reason"]].tolist() == [
        "skipped", "not a regular file but a named pipe"]
    assert report_row(articles, "empty")[["status", "reason"]].tolist() == ["empty", "folder with no files"]


def test_a_symlink_member_of_an_archive_is_skipped_not_loaded_as_its_target_path(tmp_path):
    path = tmp_path / "links.zip"
    with zipfile.ZipFile(path, "w") as archive:
        link = zipfile.ZipInfo("passwd.txt")
        link.create_system, link.external_attr = 3, 0o120777 << 16
        archive.writestr(link, "/etc/passwd")
        archive.writestr("real.txt", ARTICLE)
    articles = helpers.load_articles(path, workers=1)
    assert articles["text"].tolist() == [ARTICLE]
    assert report_row(articles, "!passwd.txt")[["status", "reason"]].tolist() == [
        "skipped", "symbolic link in the archive; links are not followed, so nothing outside it is read"]


# --- one field never costs an article ------------------------------------------------------------------------------

def test_an_out_of_range_date_in_front_matter_keeps_the_article(tmp_path):
    (tmp_path / "a.md").write_text(f"---\ntitle: Year zero\ndate: 0000-01-01\nviews: {'9' * 5000}\n---\n{ARTICLE}\n")
    articles = helpers.load_articles(tmp_path, workers=1)
    assert len(articles) == 1
    assert articles.loc[0, "title"] == "Year zero"
    assert pd.isna(articles.loc[0, "date"]) and articles.loc[0, "date_raw"] == "0000-01-01"
    assert articles.loc[0, "views"] == "9" * 5000


def test_json_nested_100000_deep_gives_a_plain_message(tmp_path):
    (tmp_path / "deep.json").write_text("[" * 100_000 + "]" * 100_000)
    (tmp_path / "ok.txt").write_text(ARTICLE)
    articles = helpers.load_articles(tmp_path, workers=1)
    row = report_row(articles, "deep.json")
    assert row["status"] == "error" and row["reason"].startswith("nested too deeply to read")
    assert "Recursion" not in row["reason"] and len(articles) == 1


# --- the command line checks before it works ------------------------------------------------------------------------

def one_line_error(capsys) -> str:
    err = capsys.readouterr().err
    assert "Traceback" not in err and err.count("\n") == 1, err
    return err.strip()


def test_cli_load_refuses_bad_options_missing_sources_and_unwritable_outputs(tmp_path, capsys):
    articles_dir = str(ROOT / "data" / "articles")
    out = str(tmp_path / "a.csv")
    assert main(["load", articles_dir, "--out", out, "--column", "bad"]) == 2
    assert one_line_error(capsys) == "load: --column 'bad': write THEIRS=KIT, e.g. --column Story=text"
    assert main(["load", "/nonexistent", "--out", out]) == 1
    assert one_line_error(capsys) == "load: /nonexistent: no such file or folder, and no glob match"
    assert not Path(out).exists()
    with pytest.raises(SystemExit) as stop:
        main(["load", articles_dir, "--out", out, "--max-file-size", "-5"])
    assert stop.value.code == 2
    assert one_line_error(capsys).endswith("argument --max-file-size: '-5' must be above 0 (see --help)")
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert main(["load", articles_dir, "--out", str(blocker / "a.csv")]) == 2
    assert one_line_error(capsys) == (f"load: cannot write the articles table in {blocker}: "
                                      f"{blocker} is a file, not a folder")


@pytest.mark.skipif(not Path("/sys").is_dir(), reason="needs a read-only file system such as /sys")
def test_cli_load_and_run_into_a_read_only_folder_are_one_line_errors(tmp_path, capsys):
    assert main(["load", str(ROOT / "data" / "articles"), "--out", "/sys/newskit/a.parquet"]) == 2
    assert one_line_error(capsys).startswith("load: cannot write the articles table in /sys/newskit: ")
    assert main(["run", "01", "--out", "/sys/newskit/run"]) == 2
    assert one_line_error(capsys).startswith("run: cannot write the run folder in /sys/newskit: ")


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_cli_load_into_a_folder_without_write_permission(tmp_path, capsys):
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o555)
    assert main(["load", str(ROOT / "data" / "articles"), "--out", str(locked / "a.csv")]) == 2
    assert "Permission denied" in one_line_error(capsys)


def test_cli_run_checks_parameters_before_any_notebook_starts(tmp_path, capsys):
    out = tmp_path / "run"
    assert main(["run", "01", "--param", "MAX_FILE_SIZE_MB=abc", "--out", str(out)]) == 1
    assert one_line_error(capsys) == ('run: --param MAX_FILE_SIZE_MB="abc" is not a number: 01-load-articles.ipynb '
                                      'expects a number above 0 (default 100)')
    assert main(["run", "--param", "NEAR_DUPLICATE_THRESHOLD=[1,2]", "--out", str(out)]) == 1
    assert "NEAR_DUPLICATE_THRESHOLD=[1, 2] is not a number" in one_line_error(capsys)
    assert main(["run", "01", "--param", "NEAR_DUPLICATE_THRESHOLD=1.5", "--out", str(out)]) == 1
    assert "is out of range: 01-load-articles.ipynb expects a number above 0 up to 1" in one_line_error(capsys)
    assert main(["run", "03", "--param", "TOP_N=2.5", "--out", str(out)]) == 1
    assert "TOP_N=2.5 is not a whole number" in one_line_error(capsys)
    assert main(["run", "06", "--param", "UNIT=paragraph", "--out", str(out)]) == 1
    assert "expects one of sentence, document, window" in one_line_error(capsys)
    assert main(["run", "01", "--param", "NO_SUCH=1", "--out", str(out)]) == 1
    assert "NO_SUCH: declared by none of the notebooks run" in one_line_error(capsys)
    assert main(["run", "01", "--articles", "/nonexistent", "--out", str(out)]) == 1
    assert one_line_error(capsys) == "run: --articles /nonexistent: no such file or folder, and no glob match"
    assert not out.exists()


def test_parameter_checks_read_new_parameters_from_the_notebook(tmp_path):
    from helpers.runs.params import check_params

    cell = {"cell_type": "code", "metadata": {"tags": ["parameters"]}, "execution_count": None, "outputs": [],
            "source": ["RATIO = 0.25   # share of articles kept\n", "MODE = \"fast\"  # one of fast or slow\n",
                       "WORKERS = 0  # 0 means one per core\n", "LABELS = [\"a\"]\n", "VERBOSE = False\n"]}
    notebook = tmp_path / "99-new.ipynb"
    notebook.write_text(json.dumps({"cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    check_params([notebook], {"RATIO": 3, "MODE": "slow", "WORKERS": 0, "LABELS": ["x", "y"], "VERBOSE": True})
    for bad, expected in [({"RATIO": "x"}, "expects a number above 0"), ({"MODE": "medium"}, "one of fast, slow"),
                          ({"WORKERS": -1}, "a whole number from 0"), ({"LABELS": [1]}, "not a text"),
                          ({"VERBOSE": "yes"}, "true or false")]:
        with pytest.raises(ValueError, match=expected):
            check_params([notebook], bad)


def test_cli_diff_refuses_folders_that_are_not_runs(tmp_path, capsys):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    assert main(["diff", str(tmp_path / "a"), str(tmp_path / "b")]) == 1
    assert one_line_error(capsys).startswith(f"diff: {tmp_path / 'a'} is not a run folder (no manifest.json, "
                                             "no tables/")


def test_a_run_fingerprints_a_non_utf8_file_name_as_escaped_text_and_never_opens_a_pipe(tmp_path):
    from helpers.load.load_cache import input_fingerprint

    with open(os.path.join(os.fsencode(tmp_path), b"caf\xe9.txt"), "wb") as handle:
        handle.write(ARTICLE.encode())
    records = input_fingerprint([tmp_path])
    assert [Path(r["file"]).name for r in records] == ["caf\\xe9.txt"]
    assert pd.DataFrame(records)["file"].str.endswith("caf\\xe9.txt").all()  # pyarrow strings take it
    os.mkfifo(tmp_path / "pipe.txt")
    code = ("from helpers.load.load_cache import input_fingerprint; import sys; "
            f"print(input_fingerprint([{str(tmp_path / 'pipe.txt')!r}]))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0 and "'sha256': ''" in done.stdout


@pytest.mark.slow
def test_a_run_on_a_folder_with_a_non_utf8_name_a_dangling_link_and_a_mixed_csv_finishes(tmp_path, monkeypatch):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    with open(os.path.join(os.fsencode(corpus), b"caf\xe9.txt"), "wb") as handle:
        handle.write("Le café du village a rouvert ce matin après trois mois de travaux.".encode())
    (corpus / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    (corpus / "mixed.csv").write_bytes("title,text\nUn,Le café ouvre ses portes au public\n".encode()
                                       + "Deux,Le marché de Noël attire les visiteurs\n".encode("latin-1"))
    monkeypatch.setenv("NEWSKIT_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("NEWSKIT_CELL_TIMEOUT", os.environ.get("NEWSKIT_CELL_TIMEOUT", "300"))
    out = tmp_path / "run"
    assert main(["run", "01", "--articles", str(corpus), "--out", str(out), "--no-compare"]) == 0
    report = pd.read_csv(out / "tables" / "load-report.csv").set_index("input")
    assert report.loc[f"{corpus}/caf\\xe9.txt", "status"] == "loaded"
    assert report.loc[f"{corpus}/gone.txt", "status"] == "skipped"
    assert report.loc[f"{corpus}/mixed.csv", "reason"].endswith("1 line not in UTF-8 re-decoded as cp1252")


def test_an_input_whose_reader_process_dies_is_reported_and_the_others_load(tmp_path, monkeypatch):
    from helpers.load import dispatch

    for i in range(6):
        (tmp_path / f"story-{i}.txt").write_text(f"Story number {i} about the harbour and its ferries.")
    (tmp_path / "fatal.txt").write_text("This one takes its reader process down.")
    real_read = dispatch._read

    def read_or_die(item, options):  # as a worker killed by the system for lack of memory
        if item.name.endswith("fatal.txt"):
            os._exit(9)
        return real_read(item, options)

    monkeypatch.setattr(dispatch, "_read", read_or_die)  # the forked workers inherit it
    articles = helpers.load_articles(tmp_path, workers=2)
    assert sorted(articles["path"].map(lambda p: Path(p).name)) == [f"story-{i}.txt" for i in range(6)]
    report = helpers.load_report(articles).set_index("input")
    assert report.loc[str(tmp_path / "fatal.txt"), "status"] == "error"
    assert "reader process died" in report.loc[str(tmp_path / "fatal.txt"), "reason"]
