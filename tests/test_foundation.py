"""The kit's set-up: dependencies in step, the sample fetched safely, NLTK fallbacks, runs that never overwrite."""

from __future__ import annotations

import os
import re
import tomllib

import pytest
import yaml

import helpers
from helpers import resources
from helpers.load import samples as sample_data
from helpers.settings import PROJECT_ROOT, SAMPLE_SHA256
from helpers.runs.runner import new_run_dir
from needs import NLTK_MIRROR, NLTK_OTHER, nltk_finds


def _name_and_spec(requirement: str) -> tuple[str, str]:
    match = re.match(r"^([A-Za-z0-9_.-]+)(\[[^\]]*\])?\s*(.*)$", requirement.strip())
    return match.group(1).lower().replace("_", "-"), match.group(3).replace(" ", "")


def test_environment_yml_lists_the_same_dependencies_as_pyproject():
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    env = yaml.safe_load((PROJECT_ROOT / "environment.yml").read_text())["dependencies"]
    conda = [d for d in env if isinstance(d, str)]
    pip = next(d["pip"] for d in env if isinstance(d, dict))
    from_env = dict(_name_and_spec(d) for d in conda + [p for p in pip if not p.startswith("-e")])
    from_env.pop("python"), from_env.pop("pip")
    assert from_env == dict(_name_and_spec(d) for d in project)


def test_sample_fetch_verifies_the_checksum(tmp_path, sample_path):
    dest = tmp_path / "sample.csv"
    assert sample_data.fetch_sample(sample_path.as_uri(), dest) == dest
    assert sample_data._sha256(dest) == SAMPLE_SHA256


def test_sample_with_a_wrong_checksum_is_not_installed(tmp_path, capsys):
    tampered = tmp_path / "tampered.csv"
    tampered.write_text("url,date,title,text\n")
    dest = tmp_path / "out" / "sample.csv"
    assert sample_data.fetch_sample(tampered.as_uri(), dest) is None
    assert not dest.exists()
    assert "expected" in capsys.readouterr().out


def test_offline_fetch_says_one_line_and_goes_on(tmp_path, capsys):
    assert sample_data.fetch_sample((tmp_path / "missing.csv").as_uri(), tmp_path / "s.csv") is None
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 1 and "going on without wikinews_2019.csv" in lines[0]


def test_the_kit_finds_exactly_the_resources_nltk_itself_finds():
    status = resources.resource_status().set_index("resource")["found"]
    known = [name for name in status.index if name in {**NLTK_MIRROR, **NLTK_OTHER}]
    assert len(known) == len(status)
    assert {name: bool(status[name]) for name in known} == {name: nltk_finds(name) for name in known}
    assert {name: resources.has_resource(name) for name in known} == {name: nltk_finds(name) for name in known}


@pytest.mark.needs_resource("stopwords")
def test_a_present_resource_is_found_with_its_location():
    assert resources.has_resource("stopwords") is True
    assert "stopwords" in resources.find_resource("stopwords")


def test_an_absent_resource_is_not_found(no_nltk_data):
    assert resources.has_resource("stopwords") is False and resources.find_resource("stopwords") is None


def test_without_any_nltk_data_every_resource_reports_its_fallback(no_nltk_data):
    status = resources.resource_status()
    assert not status["found"].any()
    assert (status["fallback_in_effect"].str.len() > 0).all()


def test_without_any_nltk_data_the_thin_path_still_runs(no_nltk_data, seed_articles):
    tokens = helpers.tokenize(seed_articles)
    top = helpers.frequencies(tokens).head(10)["term"].tolist()
    assert "libya" in top and "the" not in top


def test_nltk_data_command_never_fails_offline(no_nltk_data, monkeypatch, capsys):
    from helpers.cli import main

    monkeypatch.setattr(resources, "network_available", lambda timeout=3.0: False)
    assert main(["nltk-data"]) == 0
    out = capsys.readouterr().out
    assert "offline" in out and "fallbacks for punkt_tab" in out


def test_doctor_names_resources_and_fallbacks(capsys):
    from helpers.cli import main

    assert main(["doctor"]) == 0
    out = capsys.readouterr().out
    for name in resources.RESOURCE_NAMES:
        assert name in out


def test_run_scheduler_option_reaches_the_kernels_environment(monkeypatch, capsys):
    """--scheduler is set through settings before anything else, so the kernels the run starts inherit it."""
    from helpers.cli import main

    monkeypatch.setenv("NEWSKIT_DASK_SCHEDULER", "tcp://before:1")
    # a parameter no notebook has stops the run before any notebook starts
    assert main(["run", "--scheduler", "tcp://127.0.0.1:8786", "--param", "NO_SUCH_PARAMETER=1", "01"]) == 1
    assert os.environ["NEWSKIT_DASK_SCHEDULER"] == "tcp://127.0.0.1:8786"
    assert "NO_SUCH_PARAMETER" in capsys.readouterr().err


def test_a_run_never_replaces_an_existing_run_unless_told(tmp_path):
    run_dir = tmp_path / "run"
    (run_dir / "tables").mkdir(parents=True)
    (run_dir / "tables" / "mine.csv").write_text("kept")
    with pytest.raises(FileExistsError):
        new_run_dir(run_dir)
    assert (run_dir / "tables" / "mine.csv").read_text() == "kept"
    assert new_run_dir(run_dir, replace=True) == run_dir and not any(run_dir.iterdir())


def test_no_two_notebooks_save_an_output_under_the_same_name():
    """A run's notebooks share its tables/ and figures/ folders: a name used twice loses the first one."""
    import json

    owners: dict[tuple[str, str], str] = {}
    for path in sorted((PROJECT_ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb")):
        source = "\n".join("".join(cell["source"]) for cell in json.loads(path.read_text())["cells"])
        for kind, name in re.findall(r"save_(table|figure)\([^\n]*?,\s*[\"']([^\"']+)[\"']", source):
            assert (kind, name) not in owners or owners[(kind, name)] == path.name, \
                f"{path.name} and {owners[(kind, name)]} both save the {kind} {name!r}"
            owners[(kind, name)] = path.name
    assert len(owners) > 40
