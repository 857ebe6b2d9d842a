"""The test suite's own rule for what is missing: a skip with the reason on a user's machine, a failure naming it under
CI, and a session check that lists everything a CI run lacks."""

from __future__ import annotations

from collections import namedtuple

import pytest

import needs
from helpers import config


def test_off_ci_a_missing_thing_skips_with_the_reason(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="the sample is absent"):
        needs.skip_or_fail("the sample is absent")


@pytest.mark.parametrize("value", ["true", "1", "TRUE", "yes"])
def test_under_ci_a_missing_thing_fails_naming_it(monkeypatch, value):
    monkeypatch.setenv("CI", value)
    with pytest.raises(pytest.fail.Exception, match="CI cannot skip this test: the sample is absent"):
        needs.skip_or_fail("the sample is absent")


def test_a_resource_outside_the_mirror_skips_under_ci_too(monkeypatch):
    monkeypatch.setenv("CI", "true")
    monkeypatch.setattr(needs, "nltk_finds", lambda name: False)
    with pytest.raises(pytest.skip.Exception, match="not in the offline mirror"):
        needs.need_resource("punkt_tab")
    with pytest.raises(pytest.fail.Exception, match="vader_lexicon is absent"):
        needs.need_resource("vader_lexicon")


def test_the_ci_check_names_each_missing_sample_resource_and_chromium(monkeypatch, tmp_path):
    monkeypatch.setattr(config, "SAMPLE_PATH", tmp_path / "wikinews_2019.csv")
    monkeypatch.setattr(needs, "nltk_finds", lambda name: name != "brown")
    monkeypatch.setattr(needs, "chromium_missing", lambda: "Debian's chromium is not installed")
    missing = needs.missing_for_ci()
    assert len(missing) == 3
    assert "wikinews_2019.csv" in missing[0] and "../shared/corpora/wikinews_2019.csv" in missing[0]
    assert missing[1].startswith("NLTK mirror resources brown (")
    assert missing[2] == "chromium: Debian's chromium is not installed"
    (tmp_path / "wikinews_2019.csv").write_text("url,date,title,text\n")
    monkeypatch.setattr(needs, "nltk_finds", lambda name: True)
    monkeypatch.setattr(needs, "chromium_missing", lambda: None)
    assert needs.missing_for_ci() == []


@pytest.mark.parametrize("samples", [
    [{"file": "wikinews_2019.csv"}, {"file": "congress_press_2024-11.jsonl"}],
    {"wikinews_2019": namedtuple("Sample", "file_name")("wikinews_2019.csv"),
     "congress_press_2024-11": namedtuple("Sample", "file_name")("congress_press_2024-11.jsonl")},
    ["wikinews_2019.csv", "congress_press_2024-11.jsonl"],
])
def test_every_listed_sample_is_required_whatever_the_shape_of_the_list(monkeypatch, samples):
    monkeypatch.setattr(config, "SAMPLES", samples, raising=False)
    assert needs.sample_files() == [config.EXTERNAL_DIR / "wikinews_2019.csv",
                                    config.EXTERNAL_DIR / "congress_press_2024-11.jsonl"]
