"""The tools that check issue 18's "behaviour unchanged": benchmarks/compare_tables.py and benchmarks/compare.py."""
import io
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

import compare  # noqa: E402
import compare_tables  # noqa: E402


def _run(folder: Path, tables: dict[str, str]) -> Path:
    (folder / "tables").mkdir(parents=True)
    for name, text in tables.items():
        (folder / "tables" / name).write_text(text)
    return folder


def test_identical_runs_compare_equal_and_a_changed_row_is_shown(tmp_path):
    a = _run(tmp_path / "a", {"keyness.csv": "term,g2\ndrug,10.5\nlibya,3.0\n", "words.csv": "w\nx\n"})
    b = _run(tmp_path / "b", {"keyness.csv": "term,g2\ndrug,10.5\nlibya,3.0\n", "words.csv": "w\nx\n"})
    out = io.StringIO()
    assert compare_tables.compare_tables(a, b, out=out)
    assert "2 identical, 0 differ" in out.getvalue()

    (b / "tables" / "keyness.csv").write_text("term,g2\ndrug,10.5\nlibya,3.1\n")
    (b / "tables" / "new.csv").write_text("x\n")
    out = io.StringIO()
    assert not compare_tables.compare_tables(a, b, out=out)
    report = out.getvalue()
    assert "DIFFERS keyness.csv" in report and "a: libya,3.0" in report and "b: libya,3.1" in report
    assert "ONLY IN B new.csv" in report and "DIFFERS words.csv" not in report
    assert "1 identical, 1 differ, 0 only in a, 1 only in b" in report


def test_benchmark_figures_are_paired_by_line_and_a_drift_is_flagged():
    before = "# uptime 1.0\nkit 2.00 s  peer 1.00 s\nrerun / first run 20.0 %\n"
    after = "kit 2.10 s  peer 0.80 s\nrerun / first run 26.0 %\n"
    rows = {(label, round(new / old, 3)): flagged for label, old, new, _, flagged in compare.compare(before, after)}
    assert rows == {("kit # s peer # s [#1]", 1.05): False, ("kit # s peer # s [#2]", 0.8): True,
                    ("rerun / first run # %", 1.3): True}
