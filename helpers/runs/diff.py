"""What changed between two runs: ``python -m helpers diff <run-a> <run-b>`` and the report's "Changes" section.

Reads only the runs' ``tables/`` folders (a table one run lacks is reported as absent, never an error):
``run-articles.csv`` and ``run-term-frequencies.csv`` (written by every ``python -m helpers run``), any table with
an ``entity`` column (entities) and any with an ``ngram`` column (collocations).

Tables returned by :func:`diff_runs` (a dict of DataFrames):

- ``summary``: ``item, run_a, run_b`` (articles, new, dropped, sources, tokens counted);
- ``articles``: ``change`` (new|dropped), ``doc_id, title, date, source``;
- ``sources``: ``source, articles_a, articles_b, change`` (new|dropped|grew|shrank);
- ``terms``: ``term, frequency_a, frequency_b, per_10k_a, per_10k_b, change_per_10k, direction`` (rose|fell),
  the ``n`` terms that rose and fell most in relative frequency;
- ``keyness``: the new articles' terms against the old ones (see :func:`keyness_from_counts`);
- ``entities``: ``entity, [label,] frequency`` named in run b's entity table but not in run a's;
- ``collocations``: ``ngram, frequency`` in run b's collocation table but not in run a's;
- ``notes``: ``note``, one line per absent table or caveat.
"""

from __future__ import annotations

import html
import sys
import tempfile  # noqa: F401  (used by the doctests)
from pathlib import Path

import numpy as np
import pandas as pd

ARTICLES_TABLE = "run-articles.csv"
FREQUENCIES_TABLE = "run-term-frequencies.csv"
KEYNESS_COLUMNS = ["term", "target_freq", "reference_freq", "target_per_10k", "reference_per_10k", "g2", "p_value",
                   "log_ratio", "key_for", "significant"]


def _read(run: Path, name: str) -> pd.DataFrame | None:
    path = Path(run) / "tables" / name
    if not path.exists():
        return None
    try:
        return pd.read_csv(path, keep_default_na=False, na_values=[""])
    except (OSError, ValueError, pd.errors.ParserError) as error:
        print(f"diff: cannot read {path} ({error.__class__.__name__}); treating it as absent", file=sys.stderr)
        return None


def _tables_with(run: Path, column: str) -> pd.DataFrame | None:
    """The rows of every table in ``run/tables`` holding ``column``, stacked (``None`` when no table has it)."""
    found = []
    for path in sorted((Path(run) / "tables").glob("*.csv")):
        try:
            header = pd.read_csv(path, nrows=0).columns
        except (OSError, ValueError, pd.errors.ParserError, pd.errors.EmptyDataError):
            continue
        if column in header:
            found.append(pd.read_csv(path, keep_default_na=False, na_values=[""]))
    return pd.concat(found, ignore_index=True) if found else None


def keyness_from_counts(target: pd.Series, reference: pd.Series, *, alpha: float = 0.05) -> pd.DataFrame:
    """Log-likelihood keyness of ``target`` counts against ``reference`` counts (both indexed by term).

    The statistics are :func:`helpers.stats.distinctive.keyness_statistics` (G², p, log ratio …, formulas and references
    there), so a diff's keyness reads like every other keyness table of the kit; ``significant`` is p < ``alpha``
    (no correction).

    >>> k = keyness_from_counts(pd.Series({"drug": 10, "the": 50}), pd.Series({"drug": 1, "the": 60}))
    >>> k.loc[0, ["term", "key_for"]].tolist(), round(float(k.loc[0, "g2"]), 3)
    (['drug', 'target'], 8.697)
    """
    from helpers.stats.distinctive import keyness_statistics

    table = pd.DataFrame({"target_freq": target, "reference_freq": reference}).fillna(0)
    table = table[(table["target_freq"] > 0) | (table["reference_freq"] > 0)]
    total_a, total_b = table["target_freq"].sum(), table["reference_freq"].sum()
    if total_a == 0 or total_b == 0:  # nothing to compare: no rows, but the columns typed as usual
        table, total_a, total_b = table.iloc[:0], 1, 1
    stats = keyness_statistics(table["target_freq"].to_numpy(int), table["reference_freq"].to_numpy(int),
                               total_a, total_b)
    stats.insert(0, "term", table.index.to_numpy())
    stats["significant"] = stats["p_value"] < alpha
    return stats.sort_values(["g2", "term"], ascending=[False, True]).reset_index(drop=True)[KEYNESS_COLUMNS]


def diff_runs(run_a: str | Path, run_b: str | Path, *, n: int = 20) -> dict[str, pd.DataFrame]:
    """What changed from run ``run_a`` to run ``run_b`` (see the module docstring for the tables).

    >>> a, b = Path(tempfile.mkdtemp()), Path(tempfile.mkdtemp())
    >>> changes = diff_runs(a, b)
    >>> bool(changes["notes"]["note"].str.contains("absent").all())
    True
    """
    run_a, run_b = Path(run_a), Path(run_b)
    notes: list[str] = []
    changes: dict[str, pd.DataFrame] = {}

    articles_a, articles_b = _read(run_a, ARTICLES_TABLE), _read(run_b, ARTICLES_TABLE)
    if articles_a is None or articles_b is None:
        notes.append(f"article lists absent ({ARTICLES_TABLE} in tables/): no new or dropped articles and sources")
        new_ids = dropped_ids = set()
    else:
        new_ids = set(articles_b["doc_id"]) - set(articles_a["doc_id"])
        dropped_ids = set(articles_a["doc_id"]) - set(articles_b["doc_id"])
        columns = ["doc_id", "title", "date", "source"]
        changes["articles"] = pd.concat([
            articles_b[articles_b["doc_id"].isin(new_ids)].reindex(columns=columns).assign(change="new"),
            articles_a[articles_a["doc_id"].isin(dropped_ids)].reindex(columns=columns).assign(change="dropped"),
        ], ignore_index=True)[["change", *columns]]
        changes["sources"] = _source_changes(articles_a, articles_b)

    freq_a, freq_b = _read(run_a, FREQUENCIES_TABLE), _read(run_b, FREQUENCIES_TABLE)
    if freq_a is None or freq_b is None:
        notes.append(f"term frequencies absent ({FREQUENCIES_TABLE} in tables/): no rising terms and no keyness")
    else:
        counts_a = freq_a.groupby("term")["frequency"].sum()
        counts_b = freq_b.groupby("term")["frequency"].sum()
        changes["terms"] = _term_changes(counts_a, counts_b, n=n)
        if new_ids and not dropped_ids:
            new_counts = counts_b.sub(counts_a, fill_value=0)
            if (new_counts < 0).any():
                notes.append("keyness: some terms counted less in run b although no article was dropped "
                             "(different settings or sentence model?); keyness of run b against run a instead")
                changes["keyness"] = keyness_from_counts(counts_b, counts_a)
            else:
                changes["keyness"] = keyness_from_counts(new_counts[new_counts > 0], counts_a)
                notes.append(f"keyness: the {len(new_ids)} new articles (target) against the "
                             f"{len(articles_a)} of run a (reference)")
        elif new_ids or dropped_ids or articles_a is None:
            changes["keyness"] = keyness_from_counts(counts_b, counts_a)
            notes.append("keyness: all of run b (target) against all of run a (reference)"
                         + (", since articles were dropped" if dropped_ids else ""))

    for kind, column in (("entities", "entity"), ("collocations", "ngram")):
        table_a, table_b = _tables_with(run_a, column), _tables_with(run_b, column)
        if table_a is None or table_b is None:
            notes.append(f"{kind} absent (no table with a {column!r} column in "
                         f"{'run a' if table_a is None else 'run b'}): no new {kind}")
            continue
        changes[kind] = _new_items(table_a, table_b, column)

    changes["summary"] = _summary(articles_a, articles_b, new_ids, dropped_ids, freq_a, freq_b)
    changes["notes"] = pd.DataFrame({"note": notes}, dtype=object)
    return changes


def _source_changes(articles_a: pd.DataFrame, articles_b: pd.DataFrame) -> pd.DataFrame:
    per_a = articles_a["source"].astype(object).where(articles_a["source"].notna(), "(unknown)").value_counts()
    per_b = articles_b["source"].astype(object).where(articles_b["source"].notna(), "(unknown)").value_counts()
    table = pd.DataFrame({"articles_a": per_a, "articles_b": per_b}).fillna(0).astype(int)
    table["change"] = np.select(
        [table["articles_a"] == 0, table["articles_b"] == 0, table["articles_b"] > table["articles_a"],
         table["articles_b"] < table["articles_a"]], ["new", "dropped", "grew", "shrank"], "same")
    table = table[table["change"] != "same"].rename_axis("source").reset_index()
    return table.sort_values(["change", "source"]).reset_index(drop=True)


def _term_changes(counts_a: pd.Series, counts_b: pd.Series, *, n: int) -> pd.DataFrame:
    table = pd.DataFrame({"frequency_a": counts_a, "frequency_b": counts_b}).fillna(0).astype(int)
    table["per_10k_a"] = 10_000 * table["frequency_a"] / max(table["frequency_a"].sum(), 1)
    table["per_10k_b"] = 10_000 * table["frequency_b"] / max(table["frequency_b"].sum(), 1)
    table["change_per_10k"] = table["per_10k_b"] - table["per_10k_a"]
    table = table.rename_axis("term").reset_index()
    rose = table[table["change_per_10k"] > 0].sort_values(["change_per_10k", "term"], ascending=[False, True])
    fell = table[table["change_per_10k"] < 0].sort_values(["change_per_10k", "term"])
    return pd.concat([rose.head(n).assign(direction="rose"), fell.head(n).assign(direction="fell")],
                     ignore_index=True)


def _new_items(table_a: pd.DataFrame, table_b: pd.DataFrame, column: str) -> pd.DataFrame:
    keep = [c for c in (column, "label", "frequency") if c in table_b.columns]
    new = table_b.loc[~table_b[column].isin(set(table_a[column])), keep]
    if "frequency" in new.columns:
        new = new.sort_values(["frequency", column], ascending=[False, True])
    return new.drop_duplicates(subset=[c for c in (column, "label") if c in new.columns]).reset_index(drop=True)


def _summary(articles_a, articles_b, new_ids, dropped_ids, freq_a, freq_b) -> pd.DataFrame:
    def count(frame, what):
        if frame is None:
            return pd.NA
        return frame["source"].nunique(dropna=False) if what == "sources" else len(frame)

    rows = [("articles", count(articles_a, "rows"), count(articles_b, "rows")),
            ("new articles", pd.NA, len(new_ids)),
            ("dropped articles", len(dropped_ids), pd.NA),
            ("sources", count(articles_a, "sources"), count(articles_b, "sources")),
            ("content tokens counted", freq_a["frequency"].sum() if freq_a is not None else pd.NA,
             freq_b["frequency"].sum() if freq_b is not None else pd.NA)]
    return pd.DataFrame(rows, columns=["item", "run_a", "run_b"])


SECTIONS = [("summary", "Summary", None), ("articles", "New and dropped articles", 30),
            ("sources", "Sources that appeared, vanished, grew or shrank", 30),
            ("terms", "Terms that rose and fell most (per 10,000 content tokens)", 40),
            ("keyness", "Key terms of the new articles against the old (G², log ratio)", 20),
            ("entities", "New entities", 20), ("collocations", "New collocations", 20), ("notes", "Notes", None)]


def format_changes(changes: dict[str, pd.DataFrame], run_a: str = "a", run_b: str = "b") -> str:
    """The changes as plain text for the terminal."""
    lines = [f"What changed from {run_a} to {run_b}", ""]
    for key, title, rows in SECTIONS:
        table = changes.get(key)
        if table is None:
            continue
        lines.append(f"== {title}")
        if key == "keyness":
            table = table[table["key_for"] == "target"]
        shown = table.head(rows) if rows else table
        lines.append(shown.to_string(index=False, float_format=lambda v: f"{v:.3g}") if len(shown) else "(none)")
        if rows and len(table) > rows:
            lines.append(f"... {len(table) - rows} more rows in the CSV")
        lines.append("")
    return "\n".join(lines)


def changes_html(changes: dict[str, pd.DataFrame], previous: str) -> str:
    """The changes as an HTML section (``<section id="changes">``) for the run report."""
    parts = [f"<section id='changes'><h2>Changes since the previous run ({html.escape(previous)})</h2>"]
    for key, title, rows in SECTIONS:
        table = changes.get(key)
        if table is None:
            continue
        if key == "keyness":
            table = table[table["key_for"] == "target"]
        parts.append(f"<h3>{html.escape(title)}</h3>")
        parts.append((table.head(rows) if rows else table).to_html(index=False, border=0, na_rep="",
                                                                   float_format="{:.3g}".format)
                     if len(table) else "<p>(none)</p>")
    parts.append("</section>")
    return "\n".join(parts)


def write_changes(changes: dict[str, pd.DataFrame], folder: str | Path) -> list[Path]:
    """Write each changes table as ``folder/<name>.csv``; return the paths."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, table in changes.items():
        path = folder / f"{name}.csv"
        table.to_csv(path, index=False)
        paths.append(path)
    return paths


def append_to_report(index_html: str | Path, changes: dict[str, pd.DataFrame], previous: str = "") -> None:
    """Insert the changes section before ``</body>`` of the run report (or at its end)."""
    index_html = Path(index_html)
    if not index_html.exists():
        return
    page = index_html.read_text(encoding="utf-8")
    section = changes_html(changes, previous or "previous run")
    page = page.replace("</body>", section + "\n</body>", 1) if "</body>" in page else page + section
    index_html.write_text(page, encoding="utf-8")
