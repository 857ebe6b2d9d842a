"""What a notebook compares, chosen from what the corpus holds: the focus (one part set beside the rest), the group
columns (collections, outlets, metadata such as ``member.party``) and the terms to follow.

Every notebook reads its ``FOCUS``, ``GROUP_BY`` and ``TERMS`` parameters through these functions, so the choice is
made once and the same way everywhere, and each choice comes with a sentence saying why, for the notebook to print.
"""

from __future__ import annotations

from typing import NamedTuple

import pandas as pd

# Columns the loader adds for its own bookkeeping, or that hold one value per article: never groups. (Other columns
# with many values, such as a sample's ids or timestamps, are left out by group_columns' max_groups.)
NOT_GROUPS = {"doc_id", "title", "text", "date", "url", "path", "n_chars", "story_id", "date_source", "text_fixes",
              "text_original"}
AUTO = "auto"


class Focus(NamedTuple):
    """The part of the corpus a notebook sets beside the rest: ``label`` names it, ``doc_ids`` are its articles
    (``None`` when there is no focus) and ``reason`` says in one sentence how it was chosen or why there is none."""

    label: str | None
    doc_ids: list[str] | None
    reason: str


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def group_sizes(articles: pd.DataFrame, column: str, *, min_articles: int = 1) -> pd.Series:
    """Articles per value of ``column`` (largest first), only values with at least ``min_articles`` articles.
    ``column`` may be an article column (dotted metadata such as ``member.party`` included) or a period derived
    from the date (``year``, ``quarter``, ``month``, ``week``); missing values are no group.

    >>> a = pd.DataFrame({"doc_id": list("abcd"), "party": ["D", "R", "R", None]})
    >>> group_sizes(a, "party").to_dict()
    {'R': 2, 'D': 1}
    >>> group_sizes(a, "party", min_articles=2).to_dict()
    {'R': 2}
    """
    from helpers.stats.selection import article_columns

    values = article_columns(articles, [column])[column]
    if pd.api.types.is_datetime64_any_dtype(values):
        values = values.dt.strftime({"year": "%Y", "week": "%Y-%m-%d", "day": "%Y-%m-%d"}.get(column, "%Y-%m"))
    sizes = values.dropna().astype(str).value_counts()
    sizes = sizes[sizes >= min_articles]
    return sizes.rename_axis(column).rename("articles")


def group_columns(articles: pd.DataFrame, group_by=AUTO, *, min_articles: int | None = None, max_groups: int = 12
                  ) -> list[str]:
    """The columns whose groups a notebook compares.

    ``group_by="auto"`` takes every article column with at most ``max_groups`` distinct values, at least two of them
    held by ``min_articles`` articles or more (default: 3, or 1 % of the articles when that is more): ``collection``
    and ``source`` first, then metadata columns such as ``member.party`` in the order they appear, leaving out a
    column that groups the articles exactly as one already taken. A column name
    or a list of them is kept as given when it has at least two such groups. ``""`` or ``None`` means no groups.

    >>> a = pd.DataFrame({"doc_id": list("abcdef"), "collection": ["x"] * 6, "source": list("ppqqrr"),
    ...                   "outlet": list("ppqqrr"), "party": list("DDDRRR"), "title": list("abcdef"),
    ...                   "author": list("uvwxyz")})
    >>> group_columns(a, min_articles=2)
    ['source', 'party']
    >>> group_columns(a, "collection")
    []
    >>> group_columns(a, "party")
    ['party']
    """
    if not group_by:
        return []
    min_articles = min_group_size(articles) if min_articles is None else min_articles
    if group_by != AUTO:
        names = [group_by] if isinstance(group_by, str) else list(group_by)
        return [name for name in names if len(group_sizes(articles, name, min_articles=min_articles)) >= 2]
    first = [c for c in ("collection", "source") if c in articles.columns]
    candidates = first + [c for c in articles.columns if c not in first and c not in NOT_GROUPS]
    chosen, partitions = [], []
    for column in candidates:
        values = articles[column]
        if not (pd.api.types.is_string_dtype(values) or values.dtype == object):
            continue
        if values.nunique() > max_groups or len(group_sizes(articles, column, min_articles=min_articles)) < 2:
            continue
        if _is_timestamp(values):  # when a page was fetched or updated: periods come from the date instead
            continue
        present = articles[values.notna()]
        partition = frozenset(present.groupby(values[values.notna()].astype(str))["doc_id"].agg(frozenset))
        if partition in partitions:
            continue
        chosen.append(column)
        partitions.append(partition)
    return chosen


def _is_timestamp(values: pd.Series) -> bool:
    """Whether a text column holds dates or times (``2026-03-30T01:40:41Z``) rather than categories.

    >>> _is_timestamp(pd.Series(["2026-03-30T01:40:41Z", "2026-04-07T22:07:06Z"])), _is_timestamp(pd.Series(["D"]))
    (True, False)
    """
    distinct = pd.Series(values.dropna().astype(str).unique())
    parsed = pd.to_datetime(distinct, errors="coerce", utc=True, format="ISO8601")
    return bool(len(distinct)) and bool(parsed.notna().mean() > 0.9)


def min_group_size(articles: pd.DataFrame) -> int:
    """The fewest articles a group needs to be compared: 3, or 1 % of the corpus when that is more.

    >>> min_group_size(pd.DataFrame({"doc_id": range(542)}))
    5
    """
    return max(3, round(len(articles) / 100))


def describe_groups(articles: pd.DataFrame, columns: list[str], *, min_articles: int | None = None) -> str:
    """One line per group column naming its groups and their sizes, or one line saying there are none.

    >>> a = pd.DataFrame({"doc_id": list("abcd"), "party": ["D", "R", "R", "R"]})
    >>> describe_groups(a, ["party"], min_articles=1)
    'party: R (3), D (1)'
    >>> describe_groups(a, [])
    'No column splits the 4 articles into groups of at least 3 articles: no group comparisons.'
    """
    min_articles = min_group_size(articles) if min_articles is None else min_articles
    if not columns:
        return (f"No column splits the {len(articles):,} articles into groups of at least {min_articles} articles: "
                "no group comparisons.")
    lines = []
    for column in columns:
        sizes = group_sizes(articles, column, min_articles=min_articles)
        lines.append(f"{column}: " + ", ".join(f"{value} ({n:,})" for value, n in sizes.items()))
    return "\n".join(lines)


def resolve_focus(articles: pd.DataFrame, focus=AUTO) -> Focus:
    """The articles ``focus`` selects, set beside the rest of the corpus in keyness, frequencies and co-occurrence.

    ``focus`` is a collection, a source, a ``doc_id`` or a search query (articles whose title or text contains it,
    ignoring case), tried in that order; ``""`` or ``None`` means no focus; ``"auto"`` takes the smallest collection
    when there are several, else the smallest source when there are several, else none. A focus that selects every
    article, or none, is no focus, and ``reason`` says why.

    >>> a = pd.DataFrame({"doc_id": ["s", "w1", "w2"], "collection": ["seed", "wiki", "wiki"],
    ...                   "source": [None, "w.org", "w.org"], "title": ["Libya MoU", "Storm", "Vote"],
    ...                   "text": ["Drugs.", "Rain.", "Ballots."]})
    >>> resolve_focus(a)
    Focus(label="collection 'seed'", doc_ids=['s'], reason="Focus: collection 'seed' (1 article), chosen automatically as the smallest of 2 collections.")
    >>> resolve_focus(a, "rain").doc_ids
    ['w1']
    >>> resolve_focus(a, "").reason
    'No focus (FOCUS is empty): the comparisons of one part with the rest are skipped.'
    """
    if not focus:
        return Focus(None, None, "No focus (FOCUS is empty): the comparisons of one part with the rest are skipped.")
    ids = articles["doc_id"].astype(str)
    how = ""
    if focus == AUTO:
        for column in ("collection", "source"):
            sizes = group_sizes(articles, column) if column in articles.columns else pd.Series(dtype=int)
            if len(sizes) >= 2:
                value = sorted(sizes.items(), key=lambda item: (item[1], item[0]))[0][0]
                label, chosen = f"{column} {value!r}", ids[articles[column].astype(str) == value]
                how = f", chosen automatically as the smallest of {len(sizes)} {column}s"
                break
        else:
            verb = "comes" if len(articles) == 1 else "come"
            return Focus(None, None, f"No focus: the {_plural(len(articles), 'article')} {verb} from one "
                                     "collection and at most one source, so there is no smaller part to set beside "
                                     "the rest (set FOCUS to a source, doc_id or search term).")
    else:
        focus = str(focus)
        label, chosen = None, ids.iloc[0:0]
        for column in ("collection", "source", "doc_id"):
            if column in articles.columns and (articles[column].astype(str) == focus).any():
                label = f"{column} {focus!r}" if column != "doc_id" else f"article {focus}"
                chosen = ids[articles[column].astype(str) == focus]
                break
        else:
            text = articles.get("title", pd.Series("", index=articles.index)).fillna("").astype(str) + "\n" + \
                articles.get("text", pd.Series("", index=articles.index)).fillna("").astype(str)
            label = f"articles mentioning {focus!r}"
            chosen = ids[text.str.contains(focus, case=False, regex=False)]
    doc_ids = chosen.tolist()
    if not doc_ids:
        return Focus(None, None, f"No focus: FOCUS={focus!r} matches no collection, source, doc_id or article text.")
    if len(doc_ids) == len(articles):
        return Focus(None, None, f"No focus: {label} holds every article, so there is no rest to set it against.")
    return Focus(label, doc_ids, f"Focus: {label} ({_plural(len(doc_ids), 'article')}){how}.")


def choose_terms(tokens: pd.DataFrame, terms=None, *, n: int = 4) -> tuple[list[str], str]:
    """The terms a notebook follows: ``terms`` when given, else the ``n`` most frequent content words (letters only,
    at least three of them) that occur in more than one article when the corpus has several, with a sentence saying
    which.

    >>> t = pd.DataFrame({"doc_id": list("aabbb"), "term": ["storm", "rain", "storm", "vote", "x"],
    ...                   "is_stop": False, "is_punct": False})
    >>> choose_terms(t, n=2)
    (['storm'], 'Terms followed: storm (the most frequent content word in more than one article; set TERMS to choose).')
    >>> choose_terms(t, ["vote"])[0]
    ['vote']
    """
    if terms:
        return list(terms), "Terms followed (from TERMS): " + ", ".join(terms) + "."
    from helpers.stats.counts import frequencies

    freq = frequencies(tokens)
    words = freq[freq["term"].str.fullmatch(r"[^\W\d_]{3,}")]
    several = tokens["doc_id"].nunique() > 1
    if several:
        words = words[words["docfreq"] > 1]
    chosen = words["term"].head(n).tolist()
    if not chosen:
        return [], "No terms to follow: the articles hold no content word of three letters or more."
    where = " in more than one article" if several else ""
    noun = "content word" if len(chosen) == 1 else "content words"
    return chosen, (f"Terms followed: {', '.join(chosen)} (the most frequent {noun}{where}; set TERMS to choose).")


def corpus_statement(articles: pd.DataFrame) -> str:
    """One sentence on what the corpus holds: articles, collections, sources, the months it spans, undated articles.

    >>> a = pd.DataFrame({"doc_id": list("abc"), "collection": ["x"] * 3, "source": ["p", "q", None],
    ...                   "date": pd.to_datetime(["2019-01-04", "2019-03-01", None], utc=True)})
    >>> corpus_statement(a)
    '3 articles in 1 collection from 2 sources (1 without), dated 2019-01-04 to 2019-03-01 over 2 months; 1 undated.'
    """
    n = len(articles)
    parts = [_plural(n, "article")]
    if "collection" in articles.columns:
        parts.append(f"in {_plural(articles['collection'].nunique(), 'collection')}")
    if "source" in articles.columns:
        missing = int(articles["source"].isna().sum())
        parts.append(f"from {_plural(articles['source'].nunique(), 'source')}" + (f" ({missing:,} without)"
                                                                                 if missing else ""))
    text = " ".join(parts)
    dates = pd.to_datetime(articles["date"], utc=True) if "date" in articles.columns else pd.Series(dtype=object)
    dated = dates.dropna()
    if len(dated):
        months = dated.dt.strftime("%Y-%m").nunique()
        text += f", dated {dated.min():%Y-%m-%d} to {dated.max():%Y-%m-%d} over {_plural(months, 'month')}"
        undated = n - len(dated)
        return text + (f"; {undated:,} undated." if undated else "; all dated.")
    return text + "; none dated."


def inputs_statement(articles: pd.DataFrame) -> str:
    """Which inputs were actually loaded: each collection with its article count and credit line.

    >>> a = pd.DataFrame({"doc_id": list("abc"), "collection": ["articles", "wikinews_2019", "wikinews_2019"],
    ...                   "date": pd.NaT, "source": None})
    >>> inputs_statement(a)
    'Loaded: articles (1 article); wikinews_2019 (2 articles; Wikinews CC BY 2.5).'
    """
    from helpers.load.describe import describe_articles

    if articles.empty:
        return "Loaded: no article."
    rows = describe_articles(articles)
    rows = rows[rows["collection"] != "all"]
    return "Loaded: " + "; ".join(
        f"{row.collection} ({_plural(int(row.n_articles), 'article')}{'; ' + row.credit if row.credit else ''})"
        for row in rows.itertuples()) + "."
