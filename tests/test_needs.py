"""The test suite's own rule for what is missing: a skip with the reason on a user's machine, a failure naming it under
CI, and a session check that lists everything a CI run lacks."""

from __future__ import annotations


import pytest

import needs
from helpers import settings as config


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
    monkeypatch.setattr(config, "EXTERNAL_DIR", tmp_path)
    monkeypatch.setattr(needs, "nltk_finds", lambda name: name != "brown")
    monkeypatch.setattr(needs, "chromium_missing", lambda: "Debian's chromium is not installed")
    missing = needs.missing_for_ci()
    assert len(missing) == 4
    assert "wikinews_2019.csv" in missing[0] and "../shared/corpora/wikinews_2019.csv" in missing[0]
    assert "congress_press_2024-11.jsonl" in missing[1]
    assert missing[2].startswith("NLTK mirror resources brown (")
    assert missing[3] == "chromium: Debian's chromium is not installed"
    for sample in config.SAMPLES:
        (tmp_path / sample.file_name).write_text("url,date,title,text\n")
    monkeypatch.setattr(needs, "nltk_finds", lambda name: True)
    monkeypatch.setattr(needs, "chromium_missing", lambda: None)
    assert needs.missing_for_ci() == []


def test_every_listed_sample_is_required():
    assert needs.sample_files() == [config.EXTERNAL_DIR / "wikinews_2019.csv",
                                    config.EXTERNAL_DIR / "congress_press_2024-11.jsonl"]
