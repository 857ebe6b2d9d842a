"""The run report's "Who speaks" section: the most quoted speakers and the quotations per group, read from the
tables notebook 11 saved (``quoted-speakers.csv``, ``quotes-per-*.csv``); nothing is recomputed."""

from __future__ import annotations

import html
from pathlib import Path

import pandas as pd

from helpers.runs.report_html import frame_html
from helpers.runs.run_folder import RunFolder


def who_speaks_section(run: RunFolder) -> str:
    """The "Who speaks" section: the most quoted speakers and the quotations per group from notebook 11's tables."""
    tables_dir = run.tables
    speakers_path = Path(tables_dir) / "quoted-speakers.csv"
    if not speakers_path.exists():
        return ("<p class='missing'>No table named quoted-speakers.csv in this run (notebook 11-who-speaks did not "
                "run).</p>")
    speakers = pd.read_csv(speakers_path)
    keep = [c for c in ["speaker_entity", "speaker_label", "n_quotes", "n_words_quoted", "share"] if c in speakers]
    parts = [f"<div><h3>Most quoted speakers <span class='muted'>· <a href='tables/{speakers_path.name}'>"
             f"{speakers_path.name}</a></span></h3>{frame_html(speakers[keep], max_rows=15)}</div>"]
    for path in sorted(Path(tables_dir).glob("quotes-per-*.csv"))[:2]:
        table = pd.read_csv(path)
        parts.append(f"<div><h3>Quotations per {html.escape(path.stem.removeprefix('quotes-per-'))} "
                     f"<span class='muted'>· <a href='tables/{html.escape(path.name)}'>{html.escape(path.name)}</a>"
                     f"</span></h3>{frame_html(table, max_rows=15)}</div>")
    return "<div class='tables'>" + "".join(parts) + "</div>"
