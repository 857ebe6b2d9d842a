"""What a set of articles holds, per collection and in total: counts, date range, outlets, credits."""

from __future__ import annotations

import pandas as pd

from helpers.settings import SAMPLE_NOTES


def describe_articles(articles: pd.DataFrame) -> pd.DataFrame:
    """What a run analysed, per collection and in total: the inputs section of the run report.

    Columns: ``collection, n_articles, first_date, last_date, n_undated, n_sources, top_sources, credit``; the last
    row, ``collection == "all"``, is the whole corpus.

    >>> arts = pd.DataFrame({"collection": ["articles", "wikinews_2019", "wikinews_2019"],
    ...                      "date": pd.to_datetime([None, "2019-01-04", "2019-12-30"], utc=True),
    ...                      "source": [None, "wikinews", "wikinews"]})
    >>> describe_articles(arts)[["collection", "n_articles", "first_date", "n_undated", "credit"]].values.tolist()
    [['articles', 1, nan, 1, ''], ['wikinews_2019', 2, '2019-01-04', 0, 'Wikinews CC BY 2.5'], ['all', 3, '2019-01-04', 1, 'Wikinews CC BY 2.5']]
    """
    frame = articles.copy()
    if "collection" not in frame.columns:
        frame["collection"] = "articles"
    frame["_date"] = pd.to_datetime(frame["date"], errors="coerce", utc=True) if "date" in frame.columns else pd.NaT
    frame["_source"] = frame["source"] if "source" in frame.columns else None

    def summarise(name: str, part: pd.DataFrame) -> dict:
        dates, outlets = part["_date"].dropna(), part["_source"].dropna().astype(str)
        counts = outlets.value_counts().head(5)
        credits = [SAMPLE_NOTES[c] for c in pd.unique(part["collection"].dropna()) if c in SAMPLE_NOTES]
        return {"collection": name, "n_articles": len(part),
                "first_date": f"{dates.min():%Y-%m-%d}" if len(dates) else None,
                "last_date": f"{dates.max():%Y-%m-%d}" if len(dates) else None,
                "n_undated": int(part["_date"].isna().sum()), "n_sources": int(outlets.nunique()),
                "top_sources": "; ".join(f"{s} ({n})" for s, n in counts.items()),
                "credit": "; ".join(dict.fromkeys(credits))}

    rows = [summarise(str(name), part) for name, part in frame.groupby("collection", sort=True, dropna=False)]
    rows.append(summarise("all", frame))
    return pd.DataFrame(rows).astype({"first_date": "str", "last_date": "str"})
