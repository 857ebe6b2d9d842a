"""Dates of saved pages: htmldate given the URL, with extensive search and original_date; date_source says where the
date came from; a copyright year is no publication date. (benchmarks/bench_dates.py holds other pages.)"""

from __future__ import annotations

import pandas as pd

import helpers

PROSE = "".join(f"<p>{s}</p>" for s in [
    "The city council voted on Tuesday night to close the old harbour market and move its stalls to a new hall near "
    "the station, ending a dispute that had divided traders and residents for most of the year.",
    "Supporters said the new hall would be cleaner and safer; opponents said rents there would drive out the small "
    "fishmongers who had worked the quay for generations, and promised to appeal the decision.",
    "The mayor said the move would happen in stages and that no trader would lose a place in the first season.",
])


def _page(tag: str, head: str = "", before: str = "") -> str:
    return (f"<html><head><title>Market vote {tag} | Harbour Times</title>{head}</head><body><article>"
            f"<h1>Market vote {tag}</h1>{before}<p>Report {tag}.</p>{PROSE}</article>"
            "<footer>Copyright 2023 Harbour Times</footer></body></html>")


def _load(tmp_path, pages: dict) -> pd.DataFrame:
    for name, markup in pages.items():
        (tmp_path / name).write_text(markup, encoding="utf-8")
    articles = helpers.load_articles(tmp_path)
    return articles.assign(name=articles["path"].astype(str).str.rsplit("/", n=1).str[-1]).set_index("name")


def test_dates_come_from_the_most_specific_source_and_say_which(tmp_path):
    articles = _load(tmp_path, {
        "meta.html": _page("a", '<script type="application/ld+json">{"datePublished": "2021-03-09T06:00:00Z", '
                                '"dateModified": "2021-04-01T06:00:00Z"}</script>'),
        "url.html": _page("b", "<link rel='canonical' href='https://harbour.example/2021/05/17/market-vote'>"),
        "text.html": _page("c", before="<p>Published 8 June 2021 | Updated 10 June 2021</p>"),
        "copyright-only.html": _page("d"),
    })
    days = articles["date"].dt.strftime("%Y-%m-%d").to_dict()
    assert days["meta.html"] == "2021-03-09" and articles.loc["meta.html", "date_source"] == "html metadata"
    assert days["url.html"] == "2021-05-17" and articles.loc["url.html", "date_source"] == "url"
    assert articles.loc["url.html", "url"] == "https://harbour.example/2021/05/17/market-vote"
    # only htmldate's extensive search finds this one, and original_date picks the publication, not the update
    assert days["text.html"] == "2021-06-08"
    assert articles.loc["text.html", "date_source"] == "html page (htmldate extensive search)"
    assert pd.isna(articles.loc["copyright-only.html", "date"])
    assert pd.isna(articles.loc["copyright-only.html", "date_source"])
