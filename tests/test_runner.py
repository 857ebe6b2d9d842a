"""Runs: parameters injected, a manifest that says what went in and came out, never a write outside the run folder,
the same inputs giving the same tables, and a run killed at a random point completing when started again."""

from __future__ import annotations

import hashlib
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from helpers.settings import ARTICLES_DIR, NOTEBOOKS_DIR, PROJECT_ROOT
from helpers.runs.manifest import read_manifest, same_inputs, write_manifest
from helpers.runs.runner import check_parameters, list_notebooks, new_run_dir, parse_param, run
from needs import nltk_finds

QUICK = ["01", "02", "03"]


def _tables(run_dir: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((run_dir / "tables").glob("*.csv"))}


def _snapshot(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and "__pycache__" not in p.parts
            and ".ipynb_checkpoints" not in p.parts}


def test_a_finished_run_is_never_overwritten_without_replace(tmp_path):
    run_dir = tmp_path / "run"
    run_dir.mkdir()
    write_manifest(run_dir, {"status": "complete"})
    (run_dir / "notes.txt").write_text("my notes")
    with pytest.raises(FileExistsError, match="--replace"):
        new_run_dir(run_dir)
    assert (run_dir / "notes.txt").read_text() == "my notes"
    assert not any(new_run_dir(run_dir, replace=True).iterdir())


def test_a_folder_that_is_not_a_run_is_refused_too(tmp_path):
    (tmp_path / "thesis.docx").write_text("chapter 1")
    with pytest.raises(FileExistsError):
        new_run_dir(tmp_path)
    assert (tmp_path / "thesis.docx").exists()


def test_the_remains_of_a_killed_run_are_replaced_but_a_live_run_is_not(tmp_path, capsys):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    killed = tmp_path / "killed"
    write_manifest(killed, {"status": "running", "pid": dead.pid, "host": os.uname().nodename})
    assert not any(new_run_dir(killed).iterdir())
    assert "stopped before it finished" in capsys.readouterr().err
    live = tmp_path / "live"
    write_manifest(live, {"status": "running", "pid": os.getpid(), "host": os.uname().nodename})
    with pytest.raises(FileExistsError):
        new_run_dir(live)


@pytest.mark.parametrize("missing", ["wikinews", "congress", None])
def test_a_default_run_fetches_a_missing_sample_itself_and_only_then(tmp_path, monkeypatch, missing):
    """``make run`` leaves the samples to the run (it asked twice before: two lines a sample offline)."""
    from helpers.load import samples
    from helpers.runs import runner
    from helpers.settings import CONGRESS, WIKINEWS

    class Fetched(Exception):
        pass

    class Listed(Exception):  # the run went on to pick its notebooks
        pass

    def fetch_samples(**kwargs):
        raise Fetched

    def list_notebooks(notebooks):
        raise Listed

    gone = {"wikinews": WIKINEWS, "congress": CONGRESS}.get(missing)
    monkeypatch.setattr(runner, "sample_path", lambda sample: tmp_path / "absent" if sample == gone
                        else Path(__file__))
    monkeypatch.setattr(samples, "fetch_samples", fetch_samples)
    monkeypatch.setattr(runner, "list_notebooks", list_notebooks)
    with pytest.raises(Fetched if missing else Listed):
        run(out=tmp_path / "run", progress=False)
    with pytest.raises(Listed):  # given articles, the samples are not the run's business
        run(articles=[tmp_path], out=tmp_path / "run", progress=False)


def test_params_are_read_as_json_when_they_parse():
    assert parse_param("TOP_N=30") == ("TOP_N", 30)
    assert parse_param("FOCUS_COLLECTION=wikinews_2019") == ("FOCUS_COLLECTION", "wikinews_2019")
    assert parse_param("X=a=b") == ("X", "a=b")
    with pytest.raises(ValueError, match="KEY=VALUE"):
        parse_param("TOP_N")


def test_a_misspelt_parameter_is_refused_before_anything_runs():
    check_parameters(list_notebooks(["03"]), {"TOP_N": 5, "FOCUS": "articles"})
    with pytest.raises(ValueError, match="TOPN"):
        check_parameters(list_notebooks(["03"]), {"TOPN": 5})


def test_cli_refuses_an_unknown_param_with_one_line(tmp_path, capsys):
    from helpers.cli import main

    assert main(["run", "03", "--out", str(tmp_path / "r"), "--param", "TOPN=5"]) == 1
    assert "declared by none of the notebooks" in capsys.readouterr().err
    assert not (tmp_path / "r").exists()


@pytest.fixture(scope="module")
def seed_run(tmp_path_factory) -> Path:
    """Notebooks 01-03 on the seed article with parameters, in a fresh cache; data/ and notebooks/ watched."""
    base = tmp_path_factory.mktemp("runs")
    before = {"data": _snapshot(PROJECT_ROOT / "data"), "notebooks": _snapshot(NOTEBOOKS_DIR),
              "root": sorted(p.name for p in PROJECT_ROOT.iterdir())}
    run_dir = run([str(ARTICLES_DIR)], base / "first", notebooks=QUICK, params={"TOP_N": 7},
                  cache=base / "cache", progress=False)
    after = {"data": _snapshot(PROJECT_ROOT / "data"), "notebooks": _snapshot(NOTEBOOKS_DIR),
             "root": sorted(p.name for p in PROJECT_ROOT.iterdir())}
    run_dir.joinpath("..", "watch.txt").resolve().write_text(repr(before == after))
    return run_dir


@pytest.mark.slow
def test_a_run_leaves_data_and_notebooks_untouched(seed_run):
    assert (seed_run.parent / "watch.txt").read_text() == "True"
    assert {p.name for p in seed_run.iterdir()} <= {"notebooks", "html", "figures", "tables", "index.html",
                                                    "manifest.json", "changes"}


@pytest.mark.slow
def test_the_manifest_records_inputs_parameters_versions_and_outputs(seed_run):
    manifest = read_manifest(seed_run)
    seed_file = next(ARTICLES_DIR.glob("*.txt"))
    assert manifest["status"] == "complete" and manifest["n_articles"] == 1
    assert manifest["inputs"] == [{"source": str(ARTICLES_DIR), "file": str(seed_file), "bytes": seed_file.stat().st_size,
                                   "sha256": hashlib.sha256(seed_file.read_bytes()).hexdigest()}]
    assert manifest["parameters"]["TOP_N"] == 7 and manifest["parameters"]["ARTICLES"] == [str(ARTICLES_DIR)]
    assert {"newskit", "python", "pandas", "nltk", "matplotlib"} <= set(manifest["versions"])
    assert manifest["nltk_resources"]["stopwords"]["found"] is nltk_finds("stopwords")  # what NLTK itself finds
    assert manifest["sentence_model"]["fingerprint"] and manifest["started"] <= manifest["finished"]
    written = {o["file"]: o for o in manifest["outputs"]}
    top = seed_run / "tables" / "top-terms.csv"
    assert written["tables/top-terms.csv"]["sha256"] == hashlib.sha256(top.read_bytes()).hexdigest()
    assert "notebooks/03-frequencies.ipynb" in written and "index.html" in written


@pytest.mark.slow
def test_the_parameter_reached_the_notebook(seed_run):
    import nbformat

    cells = nbformat.read(seed_run / "notebooks" / "03-frequencies.ipynb", as_version=4).cells
    injected = [c for c in cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert injected and "TOP_N = 7" in injected[0].source


@pytest.mark.slow
def test_two_runs_with_the_same_inputs_give_the_same_tables(seed_run):
    second = run([str(ARTICLES_DIR)], seed_run.parent / "second", notebooks=QUICK, params={"TOP_N": 7},
                 cache=seed_run.parent / "cache", compare_with=False, progress=False)
    assert same_inputs(read_manifest(seed_run), read_manifest(second))
    assert read_manifest(second)["cache"]["reused"] == 1
    assert _tables(second) == _tables(seed_run)
    assert len(_tables(second)) >= 8


@pytest.mark.slow
def test_a_run_killed_at_a_random_point_completes_when_started_again(seed_run, sample_path, tmp_path):
    """Kill the whole process group (runner and kernels) at a random moment, start the same command again, and
    compare every table with an uninterrupted run into a different cache."""
    sources = [str(ARTICLES_DIR), str(sample_path)]
    clock = time.monotonic()
    reference = run(sources, tmp_path / "reference", notebooks=QUICK, cache=tmp_path / "cache-ref",
                    compare_with=False, progress=False)
    duration = time.monotonic() - clock
    command = [sys.executable, "-m", "helpers", "run", *QUICK, "--articles", *sources, "--out",
               str(tmp_path / "killed"), "--cache", str(tmp_path / "cache"), "--no-compare"]
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
    delay = random.uniform(0.5, 0.9 * duration)
    started = subprocess.Popen(command, env=env, start_new_session=True, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    time.sleep(delay)
    if started.poll() is not None:
        pytest.skip(f"the run finished within {delay:.1f}s, before it could be killed")
    os.killpg(started.pid, signal.SIGKILL)
    started.wait()
    restarted = subprocess.run(command, env=env, capture_output=True, text=True)
    assert restarted.returncode == 0, f"killed after {delay:.1f}s; restart failed: {restarted.stderr[-2000:]}"
    assert read_manifest(tmp_path / "killed")["status"] == "complete"
    assert _tables(tmp_path / "killed") == _tables(reference), f"killed after {delay:.1f}s"


@pytest.mark.slow
def test_the_analysis_notebooks_run_on_one_undated_article_and_say_what_they_skip(tmp_path):
    """Offline without the sample, a run has the seed article alone: one collection, no date. The notebooks
    that compare collections or periods skip those steps with a reason instead of failing."""
    import nbformat

    run_dir = run([str(ARTICLES_DIR)], tmp_path / "seed-only", notebooks=["04", "05", "06", "07", "08", "09", "10"],
                  cache=tmp_path / "cache", progress=False)

    def printed(name: str) -> str:
        cells = nbformat.read(run_dir / "notebooks" / name, as_version=4).cells
        return "".join(o.get("text", "") for c in cells if c.cell_type == "code" for o in c.get("outputs", []))

    assert "Skipped: no focus to set against the rest." in printed("04-keyness.ipynb")
    assert not (run_dir / "tables" / "keyness-focus-vs-rest.csv").exists()
    assert "Terms followed: libya, " in printed("05-collocations-kwic.ipynb")  # its most frequent content word
    assert "No timeline: 0 of 1 articles are dated" in printed("07-trends-over-time.ipynb")
    assert "Topics skipped:" in printed("08-themes-sentiment-topics.ipynb")
    assert "No trends: 0 of 1 articles are dated" in printed("10-explore.ipynb")
    assert not list((run_dir / "figures").glob("*month*")) and not list((run_dir / "figures").glob("*trend*"))
    kwic = (run_dir / "tables" / "kwic-key-terms.csv").read_text()
    assert "libya" in kwic.lower()
    assert read_manifest(run_dir)["status"] == "complete"


def _notebook(path: Path, *cells: str) -> Path:
    import nbformat

    notebook = nbformat.v4.new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                                "language": "python"}})
    notebook.cells = [nbformat.v4.new_code_cell("# parameters\nWAIT = 1", metadata={"tags": ["parameters"]}),
                      nbformat.v4.new_markdown_cell("The cell below:"), *map(nbformat.v4.new_code_cell, cells)]
    nbformat.write(notebook, path)
    return path


@pytest.fixture
def short_limits(monkeypatch):
    """The limits a run puts on a kernel that stops answering, cut from a minute to seconds."""
    from helpers.runs import kernels

    monkeypatch.delenv("NEWSKIT_CELL_TIMEOUT", raising=False)
    monkeypatch.setattr(kernels, "HEARTBEAT_LIMIT", 4.0)
    monkeypatch.setattr(kernels, "REPLY_LIMIT", 4.0)


# A kernel frozen by SIGSTOP (the state of a process stopped by the system or a debugger; its heartbeat stops), one
# killed mid-cell, and one that finishes the cell but whose reply never leaves it (the issue-18 hang: the runner
# waiting, the kernel idle), each with no cell time limit.
SILENT_KERNELS = {
    "frozen": ("import os, signal\nos.kill(os.getpid(), signal.SIGSTOP)", "stopped answering (no heartbeat"),
    "killed": ("import os, signal\nos.kill(os.getpid(), signal.SIGKILL)", "its kernel died"),
    "reply lost": ("kernel = get_ipython().kernel\nsend = kernel.session.send\n"
                   "kernel.session.send = lambda stream, kind, *a, **k: (\n"
                   "    None if kind == 'execute_reply' else send(stream, kind, *a, **k))",
                   "finished the cell but its reply did not come"),
}


@pytest.mark.parametrize("case", sorted(SILENT_KERNELS))
def test_a_kernel_that_stops_answering_ends_the_run_naming_notebook_and_cell(tmp_path, short_limits, case):
    from helpers.runs.runner import NotebookFailed, execute_notebook

    code, reason = SILENT_KERNELS[case]
    source = _notebook(tmp_path / "silent.ipynb", "x = 1", code, "print('never reached')")
    clock = time.monotonic()
    with pytest.raises(NotebookFailed) as failed:
        execute_notebook(source, tmp_path / "run", {"WAIT": 1}, html=False)
    # the kernel starts (a few seconds), the cell runs, the limit passes, the kernel is shut down or killed
    assert time.monotonic() - clock < 60
    message = str(failed.value)
    # cell 4 of the executed notebook: papermill puts the injected parameters after the parameters cell
    assert message.startswith("notebook silent.ipynb failed in cell 4: ") and reason in message
    assert f"`{code.splitlines()[0]}`" in message and "instead of waiting" in message


def test_a_long_busy_cell_is_not_taken_for_a_silent_kernel(tmp_path, short_limits):
    """Cells that outlast every limit, sleeping and computing in Python, finish: only silence ends a notebook."""
    source = _notebook(tmp_path / "long.ipynb", "import time\ntime.sleep(3 * WAIT)",
                       "import time\nend = time.monotonic() + 3 * WAIT\nwhile time.monotonic() < end:\n"
                       "    sum(range(10_000))\nprint('done')")
    import nbformat

    from helpers.runs.runner import execute_notebook

    executed = execute_notebook(source, tmp_path / "run", {"WAIT": 3}, html=False)
    outputs = nbformat.read(executed, as_version=4).cells[-1].outputs
    assert [o.get("text") for o in outputs] == ["done\n"]


def test_a_cell_over_the_set_time_limit_fails_naming_the_notebook(tmp_path, monkeypatch):
    from helpers.runs.runner import NotebookFailed, execute_notebook

    monkeypatch.setenv("NEWSKIT_CELL_TIMEOUT", "3")
    source = _notebook(tmp_path / "slow.ipynb", "import time\ntime.sleep(WAIT)")
    with pytest.raises(NotebookFailed, match="notebook slow.ipynb failed in an unknown cell: a cell ran longer "
                                             "than NEWSKIT_CELL_TIMEOUT=3 s"):
        execute_notebook(source, tmp_path / "run", {"WAIT": 30}, html=False)


def _run_of_cells(tmp_path, cells: dict[str, str]) -> Path:
    """A run on the seed article of one-cell notebooks (``{"01": code, ...}`` -> ``01-cell.ipynb`` …), each with the
    parameters cell a run fills in."""
    import nbformat

    from helpers.runs.runner import run

    folder = tmp_path / "notebooks"
    folder.mkdir()
    for number, code in cells.items():
        notebook = nbformat.v4.new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                                    "language": "python"}})
        parameters = nbformat.v4.new_code_cell("ARTICLES = []\nOUTPUT_DIR = ''", metadata={"tags": ["parameters"]})
        notebook.cells = [parameters, nbformat.v4.new_code_cell(code)]
        nbformat.write(notebook, folder / f"{number}-cell.ipynb")
    return run([str(ARTICLES_DIR)], tmp_path / "run", notebooks=list_notebooks(folder=folder),
               cache=tmp_path / "cache", compare_with=False, progress=False)


def test_every_kernel_of_a_run_sees_the_sentence_model_and_starts_in_the_run_folder(tmp_path):
    """Each notebook's kernel gets the run's pinned sentence model and the run folder as working directory."""
    from helpers.runs.manifest import read_manifest

    seen = ("import os, pathlib\npathlib.Path('seen-{}.txt').write_text("
            "os.environ.get('NEWSKIT_SENTENCE_MODEL', 'unset') + '\\n' + os.getcwd())")
    run_dir = _run_of_cells(tmp_path, {number: seen.format(number) for number in ("01", "02", "03")})
    model = read_manifest(run_dir)["sentence_model"]
    expected = model["path"] if model["kind"] != "pretrained punkt_tab" else "unset"
    for number in ("01", "02", "03"):
        seen_model, seen_folder = (run_dir / f"seen-{number}.txt").read_text().splitlines()
        assert seen_model == expected and Path(seen_folder).resolve() == run_dir.resolve()
    assert sorted(p.name for p in (run_dir / "html").glob("*.html")) == ["01-cell.html", "02-cell.html", "03-cell.html"]


def test_a_widget_cell_gets_no_message_back_from_the_run_and_its_outputs_stay_in_the_cell(tmp_path):
    """The run sends the kernel nothing while a cell runs: what Output widgets show (notebook 10's explorer) is
    kept as the cell's own outputs, not mirrored back to the kernel as nbclient's stand-in widget would."""
    import nbformat

    from helpers.runs.runner import execute_notebook

    source = _notebook(tmp_path / "widget.ipynb",
                       "import ipywidgets as w\nfrom IPython.display import display\nouts = [w.Output(), w.Output()]\n"
                       "for i in range(3):\n    for o in outs:\n        o.clear_output(wait=True)\n"
                       "        with o:\n            display(f'view {i}')\nw.VBox(outs)",
                       "print('after the widget')")
    executed = nbformat.read(execute_notebook(source, tmp_path / "run", {"WAIT": 1}, html=False), as_version=4)
    widget_cell, last = executed.cells[-2], executed.cells[-1]
    shown = [o["data"].get("text/plain") for o in widget_cell.outputs if o.get("output_type") == "display_data"]
    assert shown == ["'view 2'"]  # each clear_output(wait=True) clears the cell before the next view
    assert any("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in widget_cell.outputs)
    assert [o.get("text") for o in last.outputs] == ["after the widget\n"]



def test_a_kernel_talks_to_the_run_over_encrypted_sockets(tmp_path):
    """Code and outputs do not cross local TCP in plain text: the run gives each kernel CurveZMQ keys."""
    zmq = pytest.importorskip("zmq")
    if not zmq.has("curve"):
        pytest.skip("this pyzmq is built without CurveZMQ; the kernel runs over plain TCP")
    import nbformat

    from helpers.runs.runner import execute_notebook

    source = _notebook(tmp_path / "keys.ipynb",
                       "from ipykernel.kernelapp import IPKernelApp\n"
                       "print(IPKernelApp.instance().curve_secretkey is not None, IPKernelApp.instance().transport)")
    executed = execute_notebook(source, tmp_path / "run", {"WAIT": 1}, html=False)
    outputs = nbformat.read(executed, as_version=4).cells[-1].outputs
    assert [o.get("text") for o in outputs] == ["True tcp\n"]


def test_a_finished_notebooks_kernel_exits_while_the_next_one_runs_and_none_outlives_the_run(tmp_path):
    """The run does not wait for a finished notebook's kernel to exit before starting the next notebook (an orderly
    exit takes 0.6-0.8 s), but when ``run`` returns every kernel it started is gone."""
    numbers = ("01", "02", "03")
    # each kernel writes its pid, says whether the previous notebook's kernel is still there, and takes 3 s to exit
    # (an atexit handler), longer than the next kernel takes to start
    run_dir = _run_of_cells(tmp_path, {number: "import atexit, os, pathlib, time\n"
                                               f"pathlib.Path('pid-{number}.txt').write_text(str(os.getpid()))\n"
                                               f"previous = pathlib.Path('pid-{previous}.txt')\n"
                                               "def alive(pid):\n"
                                               "    try:\n        os.kill(pid, 0)\n"
                                               "    except ProcessLookupError:\n        return False\n"
                                               "    return True\n"
                                               f"pathlib.Path('previous-{number}.txt').write_text(\n"
                                               "    str(previous.exists() and alive(int(previous.read_text()))))\n"
                                               "atexit.register(time.sleep, 3)"
                                       for previous, number in zip((None, *numbers), numbers)})
    assert [(run_dir / f"previous-{n}.txt").read_text() for n in numbers] == ["False", "True", "True"]
    for number in numbers:
        with pytest.raises(ProcessLookupError):
            os.kill(int((run_dir / f"pid-{number}.txt").read_text()), 0)


def test_a_run_whose_kernel_freezes_fails_and_leaves_no_kernel_behind(tmp_path, short_limits):
    """Inside a run a finished kernel is only asked to exit; a frozen one that cannot is still gone when the run
    has failed (jupyter_client's limits: SIGTERM, then SIGKILL)."""
    from helpers.runs.runner import NotebookFailed

    code = ("import os, pathlib, signal\npathlib.Path('pid.txt').write_text(str(os.getpid()))\n"
            "os.kill(os.getpid(), signal.SIGSTOP)")
    clock = time.monotonic()
    with pytest.raises(NotebookFailed, match="stopped answering"):
        _run_of_cells(tmp_path, {"01": code})
    assert time.monotonic() - clock < 90
    with pytest.raises(ProcessLookupError):
        os.kill(int((tmp_path / "run" / "pid.txt").read_text()), 0)


def test_a_running_notebook_is_written_every_few_seconds_and_whole_at_its_end(tmp_path, monkeypatch):
    # papermill wrote the whole executed notebook before and after every cell: about 3 ms each, 1.5 s a run
    import nbformat
    import papermill.engines

    from helpers.runs.runner import execute_notebook

    writes = []
    real_write = papermill.engines.write_ipynb
    monkeypatch.setattr(papermill.engines, "write_ipynb", lambda nb, path: writes.append(path) or real_write(nb, path))
    notebook = nbformat.v4.new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                                "language": "python"}})
    notebook.cells = ([nbformat.v4.new_code_cell("OUTPUT_DIR = ''", metadata={"tags": ["parameters"]}),
                       nbformat.v4.new_code_cell("import time\ntime.sleep(6)\nprint('slept')")]
                      + [nbformat.v4.new_code_cell(f"print({i} * 2)") for i in range(20)])
    source = tmp_path / "20-cells.ipynb"
    nbformat.write(notebook, source)
    executed = execute_notebook(source, tmp_path / "run", {}, html=False)
    assert 2 <= len(writes) <= 4  # after the 6 s cell, maybe once more, and at the end (42 before)
    outputs = ["".join(o.get("text", "") for o in cell.get("outputs", []))
               for cell in nbformat.read(executed, as_version=4).cells if cell.cell_type == "code"]
    assert outputs[-21:] == ["slept\n"] + [f"{i * 2}\n" for i in range(20)]


class _ScriptedChannel:
    """A kernel channel that hands out its messages in order; ``None`` stands for a read that times out."""

    def __init__(self, messages):
        self.messages = list(messages)

    async def get_msg(self, timeout=None):
        from queue import Empty

        message = self.messages.pop(0) if self.messages else None
        if message is None:
            raise Empty
        return message


def test_a_run_starts_each_kernel_without_waiting_for_its_iopub_channel_to_fall_silent():
    """jupyter_client's ``wait_for_ready`` ends by reading IOPub until it has been silent for 0.2 s (0.2 s a
    notebook); the run's client returns after the handshake, leaving what else the kernel published unread.

    Scripted channels, not a live kernel: whether a live kernel's status messages are still unread depends on when
    its IOPub subscription connects (ipykernel's ``iopub_welcome`` may be the only message after the handshake)."""
    import asyncio

    from helpers.runs.kernels import ready_client

    def message(msg_type):
        return {"msg_type": msg_type, "content": {}}

    class ScriptedKernel:
        def __init__(self):
            # IOPub is not connected when the first reply comes, so the handshake asks again
            self.shell_channel = _ScriptedChannel([message("kernel_info_reply"), message("kernel_info_reply")])
            self.iopub_channel = _ScriptedChannel([None, message("iopub_welcome"), message("status"),
                                                   message("status"), message("stream")])
            self.requests, self.info = 0, None

        def kernel_info(self):
            self.requests += 1

        def _handle_kernel_info_reply(self, reply):
            self.info = reply

        async def _async_is_alive(self):
            return True

    client = ready_client(ScriptedKernel)()
    asyncio.run(client.wait_for_ready(timeout=5))
    assert client.requests == 2 and client.info == message("kernel_info_reply")
    # the handshake read one message on IOPub; jupyter_client's own client would have drained all four
    assert [m["msg_type"] for m in client.iopub_channel.messages] == ["status", "status", "stream"]


def test_a_kernel_that_never_answers_kernel_info_ends_the_wait_at_its_limit():
    import asyncio

    from helpers.runs.kernels import ready_client

    class SilentKernel:
        shell_channel = iopub_channel = _ScriptedChannel([])

        def kernel_info(self):
            pass

        async def _async_is_alive(self):
            return True

    with pytest.raises(RuntimeError, match="didn't respond in 0 seconds"):
        asyncio.run(ready_client(SilentKernel)().wait_for_ready(timeout=0))


def test_the_run_s_kernel_manager_hands_out_the_ready_client():
    import types

    import nbformat

    from helpers.runs.kernels import watched_client

    manager = types.SimpleNamespace(nb=nbformat.v4.new_notebook())  # what papermill hands its client
    km = watched_client()(manager, kernel_name="python3").create_kernel_manager()
    assert km.client_factory.__name__ == "ReadyClient"
    assert km.client_factory.wait_for_ready is not km.client_factory.__mro__[1].wait_for_ready
