"""helpers.resources finds NLTK data without importing NLTK, with nltk.data.find's answer (issue 18)."""

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# the offline mirror: where NLTK_DATA points, else ../shared/nltk_data beside the checkout (as CI lays it out)
SHARED = Path(os.environ.get("NLTK_DATA", "").split(os.pathsep)[0] or ROOT.parent / "shared" / "nltk_data")

# In a fresh process: every resource found (and whether that imported NLTK), then nltk.data.find's answers.
SCRIPT = """
import json, sys, warnings
from helpers import resources
mine = {r.name: resources.find_resource(r.name) for r in resources.RESOURCES}
imported = "nltk" in sys.modules
import nltk
resources.configure_nltk_path()
theirs = {}
for r in resources.RESOURCES:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            theirs[r.name] = str(nltk.data.find(r.path))
        except LookupError:
            theirs[r.name] = None
print(json.dumps({"mine": mine, "theirs": theirs, "imported": imported}))
"""


def _answers(nltk_data: str | None, home: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "NLTK_DATA"}
    env.update(PYTHONPATH=str(ROOT), HOME=str(home))
    if nltk_data is not None:
        env["NLTK_DATA"] = nltk_data
    done = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _shared_or_skip() -> Path:
    if not (SHARED / "corpora" / "stopwords.zip").is_file():
        pytest.skip("no shared NLTK data with zipped stopwords here")
    return SHARED


def test_zipped_resources_are_found_as_nltk_finds_them_without_importing_it(tmp_path):
    answers = _answers(str(_shared_or_skip()), tmp_path)
    assert answers["mine"] == answers["theirs"]
    assert answers["mine"]["stopwords"].endswith("stopwords.zip/stopwords")
    assert not answers["imported"]


@pytest.mark.parametrize("setting", ["unset", "empty folder"])
def test_absent_data_gives_nltk_s_answer(tmp_path, setting):
    empty = tmp_path / "empty"
    empty.mkdir()
    answers = _answers(None if setting == "unset" else str(empty), tmp_path)
    assert answers["mine"] == answers["theirs"]


def _unzipped(folder: Path, mode: int) -> Path:
    with zipfile.ZipFile(_shared_or_skip() / "corpora" / "stopwords.zip") as archive:
        archive.extractall(folder / "corpora")
    for path in [folder, *folder.rglob("*")]:
        path.chmod(mode if path.is_dir() else mode & 0o666)
    return folder


def test_an_unzipped_resource_in_a_private_folder_is_found_without_nltk(tmp_path):
    data = _unzipped(tmp_path / "data", 0o755)
    answers = _answers(f"{data}{os.pathsep}{_shared_or_skip()}", tmp_path)
    assert answers["mine"] == answers["theirs"]
    assert answers["mine"]["stopwords"] == str(data / "corpora" / "stopwords")
    assert not answers["imported"]


def test_a_folder_others_can_write_is_left_to_nltk(tmp_path):
    data = _unzipped(tmp_path / "data", 0o777)
    answers = _answers(f"{data}{os.pathsep}{_shared_or_skip()}", tmp_path)
    assert answers["mine"] == answers["theirs"]  # NLTK refuses that folder; the kit agrees because NLTK decided
    assert answers["imported"]
    shutil.rmtree(data)


STOPWORDS = """
import json, sys
from helpers.text.stopwords import nltk_english_stopwords
mine = nltk_english_stopwords()
imported = "nltk" in sys.modules
from nltk.corpus import stopwords
print(json.dumps({"same": mine == stopwords.words("english"), "n": len(mine), "imported": imported}))
"""


@pytest.mark.parametrize("layout", ["zipped", "unzipped"])
def test_nltk_s_stopword_list_is_read_without_nltk_as_nltk_reads_it(tmp_path, layout):
    data = str(_shared_or_skip()) if layout == "zipped" else str(_unzipped(tmp_path / "data", 0o755))
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NLTK_DATA": data, "HOME": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", STOPWORDS], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert answer["same"] and answer["n"] > 100 and not answer["imported"]


SESSION = """
import json, sys
import nltk
nltk.data.path[:] = [sys.argv[1]]  # a session that set NLTK's path itself
from helpers import resources
print(json.dumps(resources.find_resource("stopwords")))
"""


def test_a_session_that_imported_nltk_gets_nltk_s_own_answer(tmp_path):
    data = _unzipped(tmp_path / "data", 0o755)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NLTK_DATA": str(_shared_or_skip()), "HOME": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", SESSION, str(data)], env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == str(data / "corpora" / "stopwords")
