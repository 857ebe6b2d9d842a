"""save_figure and save_table through the background writer write what they write in-process, as of the call."""

import matplotlib
import matplotlib.pyplot as plt
import pandas as pd
import pytest

import helpers
from helpers import outputs


@pytest.fixture
def background(monkeypatch):
    monkeypatch.setenv("NEWSKIT_BACKGROUND_WRITES", "0")
    yield helpers.background_writes
    helpers.background_writes(False)


def _chart():
    fig, ax = plt.subplots(figsize=(4, 3))
    ax.plot([3, 1, 4, 1, 5])
    ax.legend(["line"], loc="upper left", bbox_to_anchor=(1, 1))
    return fig


def test_background_writes_equal_the_in_process_files_and_follow_the_notebook_settings(tmp_path, background):
    table = pd.DataFrame({"term": ["libya", "drug"], "n": [3, 2], "share": [0.6, 0.4]})
    written = {}
    # read when the figure is saved, not when it is made: the writer must get the notebook's settings
    with matplotlib.rc_context({"savefig.pad_inches": 0.6}):
        for mode in (False, True):
            background(mode)
            helpers.set_output_dir(tmp_path / str(mode))
            fig = _chart()
            helpers.save_figure(fig, "chart")
            helpers.save_table(table, "terms")
            assert helpers.wait_for_writes() == ([] if not mode else [
                (tmp_path / "True" / "figures" / name).resolve() for name in ("chart.png", "chart.svg")
            ] + [(tmp_path / "True" / "tables" / "terms.csv").resolve()])
            plt.close(fig)
            written[mode] = {p: (tmp_path / str(mode) / p).read_bytes()
                             for p in ("figures/chart.png", "tables/terms.csv")}
    assert written[True] == written[False]


def test_what_is_written_is_the_figure_and_table_as_they_were_when_saved(tmp_path, background):
    background(True)
    helpers.set_output_dir(tmp_path / "run")
    table = pd.DataFrame({"term": ["libya"], "n": [3]})
    fig = _chart()
    helpers.save_figure(fig, "chart")
    helpers.save_table(table, "terms")
    table.loc[0, "n"] = 99
    fig.axes[0].set_title("added after saving", fontsize=30)
    plt.close(fig)
    saved = helpers.saved_outputs()
    assert saved["file"].tolist() == ["figures/chart.png", "figures/chart.svg", "tables/terms.csv"]
    assert (saved["bytes"] > 0).all()
    assert pd.read_csv(tmp_path / "run" / "tables" / "terms.csv")["n"].tolist() == [3]
    assert "added after saving" not in (tmp_path / "run" / "figures" / "chart.svg").read_text()


def test_a_failed_background_write_is_raised_naming_the_file(tmp_path, background):
    background(True)
    helpers.set_output_dir(tmp_path / "run")
    (tmp_path / "run" / "tables" / "blocked.csv").mkdir(parents=True)
    helpers.save_table(pd.DataFrame({"n": [1]}), "blocked")
    with pytest.raises(OSError, match="writing blocked.csv failed: IsADirectoryError"):
        helpers.saved_outputs()
    assert outputs.wait_for_writes() == []


def test_interrupting_the_notebook_does_not_stop_the_writer(tmp_path, background):
    import os
    import signal
    import time

    background(True)
    helpers.set_output_dir(tmp_path / "run")
    outputs.start_writer()
    outputs.wait_for_writes()
    # what JupyterLab's interrupt (and a kernel's shutdown) sends: SIGINT to the kernel's process group
    for pid in list(outputs._background.pool._processes):
        os.kill(pid, signal.SIGINT)
    time.sleep(0.5)
    helpers.save_table(pd.DataFrame({"n": [1]}), "after interrupt")
    assert helpers.saved_outputs()["file"].tolist() == ["tables/after-interrupt.csv"]


def test_when_the_writer_has_died_a_new_one_takes_over(tmp_path, background):
    import os
    import signal
    import time

    background(True)
    helpers.set_output_dir(tmp_path / "run")
    helpers.save_table(pd.DataFrame({"n": [1]}), "first")
    outputs.wait_for_writes()
    pool = outputs._background.pool
    for pid in list(pool._processes):
        os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while not pool._broken and time.monotonic() < deadline:
        time.sleep(0.05)
    helpers.save_table(pd.DataFrame({"n": [2]}), "second")
    assert helpers.saved_outputs()["file"].tolist() == ["tables/first.csv", "tables/second.csv"]
    assert pd.read_csv(tmp_path / "run" / "tables" / "second.csv")["n"].tolist() == [2]


def test_the_svg_has_the_png_s_layout_and_box(tmp_path):
    import re

    from PIL import Image

    helpers.set_output_dir(tmp_path)
    fig, axes = plt.subplots(2, 2, figsize=(6, 4), layout="constrained")
    for i, ax in enumerate(axes.flat):
        ax.barh(["drug trafficking", "libya", "memorandum"], [5, 3, i + 1])
        ax.set_title(f"Topic {i + 1}: a title that needs room")
    png, svg = helpers.save_figure(fig, "bars")
    assert fig.get_layout_engine().__class__.__name__ == "ConstrainedLayoutEngine"  # given back to the notebook
    plt.close(fig)
    width_px, height_px = Image.open(png).size
    width_pt, height_pt = (float(v) for v in re.search(r'width="([\d.]+)pt" height="([\d.]+)pt"',
                                                       svg.read_text()).groups())
    # one box in inches (the PNG at 200 dpi, the SVG in points), cut tight around the same laid-out figure
    assert width_pt / 72 == pytest.approx(width_px / 200, rel=0.01)
    assert height_pt / 72 == pytest.approx(height_px / 200, rel=0.01)


def test_saving_leaves_the_figure_s_layout_engine_as_it_was(tmp_path):
    import matplotlib

    helpers.set_output_dir(tmp_path)
    # (a figure without an engine is left to matplotlib: its own savefig gives it the rcParams' engine afterwards)
    with matplotlib.rc_context({"figure.constrained_layout.use": True}):
        for layout, engine in (("tight", "TightLayoutEngine"), ("constrained", "ConstrainedLayoutEngine")):
            fig = plt.figure(layout=layout)
            fig.add_subplot().plot([1, 2])
            helpers.save_figure(fig, f"layout {layout}")
            assert type(fig.get_layout_engine()).__name__ == engine
            plt.close(fig)


@pytest.fixture
def run_writer(monkeypatch, background):
    """The run's one writer process, as ``python -m helpers run`` starts it, and this process as a kernel."""
    monkeypatch.setattr(outputs, "_background", None)
    with outputs.WriterService() as service:
        for name, value in service.environment.items():
            monkeypatch.setenv(name, value)
        background(True)
        yield service
        if outputs._background is not None:
            outputs._background.pool.shutdown()


def test_a_table_that_cannot_reach_the_run_s_writer_is_raised_naming_the_file(tmp_path, run_writer, monkeypatch):
    import sys
    import types

    class Local:  # does not pickle
        pass

    class Elsewhere:  # pickles here, from a module the writer process does not have
        pass

    module = types.ModuleType("newskit_only_in_this_kernel")
    Elsewhere.__module__, Elsewhere.__qualname__, module.Elsewhere = module.__name__, "Elsewhere", Elsewhere
    monkeypatch.setitem(sys.modules, module.__name__, module)
    helpers.set_output_dir(tmp_path / "run")
    for thing, error in ((Local(), "(AttributeError|PicklingError)"), (Elsewhere(), "ModuleNotFoundError")):
        helpers.save_table(pd.DataFrame({"thing": [thing]}), "odd objects")
        with pytest.raises(OSError, match=f"writing odd-objects.csv failed: {error}"):
            helpers.saved_outputs()
        helpers.save_table(pd.DataFrame({"n": [1]}), "fine")  # the writer goes on
        assert outputs.wait_for_writes() == [(tmp_path / "run" / "tables" / "fine.csv").resolve()]


def test_when_the_run_s_writer_has_stopped_the_notebook_writes_with_its_own(tmp_path, run_writer, monkeypatch):
    helpers.set_output_dir(tmp_path / "run")
    helpers.save_table(pd.DataFrame({"n": [1]}), "first")
    outputs.wait_for_writes()
    run_writer.process.kill()
    run_writer.process.wait()
    import time

    connection, deadline = outputs._background.pool, time.monotonic() + 30
    while not connection.broken and time.monotonic() < deadline:  # until the kernel has seen the writer go
        time.sleep(0.01)
    assert connection.broken
    helpers.save_table(pd.DataFrame({"n": [2]}), "second")
    assert outputs.wait_for_writes() == [(tmp_path / "run" / "tables" / "second.csv").resolve()]
    assert helpers.saved_outputs()["file"].tolist() == ["tables/first.csv", "tables/second.csv"]
    assert pd.read_csv(tmp_path / "run" / "tables" / "second.csv")["n"].tolist() == [2]
    assert not isinstance(outputs._background.pool, outputs._SharedWriter)


def test_a_table_sent_before_the_kernel_saw_the_writer_go_is_raised_naming_the_file(tmp_path, run_writer):
    import os
    import signal

    helpers.set_output_dir(tmp_path / "run")
    helpers.save_table(pd.DataFrame({"n": [1]}), "first")
    outputs.wait_for_writes()
    os.kill(run_writer.process.pid, signal.SIGSTOP)  # the writer takes nothing more; the kernel cannot know yet
    try:
        helpers.save_table(pd.DataFrame({"n": [2]}), "second")
    finally:
        run_writer.process.kill()
        run_writer.process.wait()
    with pytest.raises(OSError, match="writing second.csv failed"):
        outputs.wait_for_writes()
    helpers.save_table(pd.DataFrame({"n": [2]}), "second")  # saved again: the notebook's own writer takes it
    outputs.wait_for_writes()
    assert pd.read_csv(tmp_path / "run" / "tables" / "second.csv")["n"].tolist() == [2]
