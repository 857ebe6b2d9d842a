"""Publication dates of saved web pages: the kit's loader against htmldate (extensive search, original_date=True,
the URL given, as the kit calls it, and its fast mode), measured in one run on the same pages.

The pages are written here, held out from the tests (no test reads them), in the styles news sites use: meta tags,
JSON-LD with a later dateModified, <time> elements, dates only in the URL or in a byline, datelines, sidebars of
other stories' dates, copyright years, "Updated" lines, and no date at all. No real pages can be fetched here (no
internet); the figures are for these pages only, not for the 195 real pages the issue measured.

    python benchmarks/bench_dates.py
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import helpers  # noqa: E402
from helpers.load.html import _page_url  # noqa: E402

BODY = "".join(f"<p>{s}</p>" for s in [
    "Officials from the two governments met for a second day of talks on border security and the trade in "
    "smuggled fuel, which they said had cost the treasury hundreds of millions over the past decade.",
    "The delegations agreed to exchange information on smuggling networks and to train customs officers together, "
    "according to a joint statement read to reporters after the meeting ended late in the evening.",
    "Critics said similar agreements had been signed before without result, and that the coastguard lacked boats, "
    "fuel and pay. A spokesman for the ministry said the new plan came with its own budget this time.",
    "The next round of talks is planned for the spring, when the two sides hope to sign a longer agreement.",
])


def page(head: str = "", before: str = "", after: str = "", title: str = "Border talks resume") -> str:
    page.count = getattr(page, "count", 0) + 1  # each page its own lead, or the loader drops exact copies
    lead = f"<p>Talks between the delegations resumed for round {page.count} of the negotiations.</p>"
    return (f"<!DOCTYPE html><html><head><title>{title} | The Example Post</title>{head}</head><body>"
            f"<nav><a href='/'>Home</a> <a href='/world'>World</a></nav><article><h1>{title}</h1>{before}{lead}{BODY}"
            f"{after}</article><footer>© 2024 The Example Post. All rights reserved.</footer></body></html>")


SIDEBAR = ("<aside><h3>More stories</h3><ul><li><a href='/a'>Floods hit coast</a> <span>12 January 2018</span></li>"
           "<li><a href='/b'>Port reopens</a> <span>3 February 2018</span></li></ul></aside>")
PAGES = {
    "meta-published.html": (page("<meta property='article:published_time' content='2019-03-04T08:15:00Z'>"),
                            "2019-03-04"),
    "jsonld-modified-later.html": (page('<script type="application/ld+json">{"@type": "NewsArticle", '
                                        '"datePublished": "2019-05-06T10:00:00+02:00", '
                                        '"dateModified": "2019-07-01T09:00:00+02:00"}</script>'), "2019-05-06"),
    "time-element.html": (page(before="<p class='byline'>By Jane Doe · <time datetime='2019-08-21'>21 August "
                                      "2019</time></p>"), "2019-08-21"),
    "url-only.html": (page("<link rel='canonical' href='https://example.org/world/2019/10/02/border-talks-resume/'>"),
                      "2019-10-02"),
    "byline-text.html": (page(before="<p class='meta'>Published: 14 November 2019, 09:30</p>"), "2019-11-14"),
    "updated-line.html": (page(before="<p>Published 2 December 2019 · Updated 5 December 2019</p>"), "2019-12-02"),
    "sidebar-older-dates.html": (page("<meta name='date' content='2019-06-11'>", after=SIDEBAR), "2019-06-11"),
    "sidebar-and-text-date.html": (page(before="<div class='date'>June 18, 2019</div>", after=SIDEBAR),
                                   "2019-06-18"),
    "og-updated-and-published.html": (page("<meta property='og:updated_time' content='2020-01-09T12:00:00Z'>"
                                           "<meta property='article:published_time' content='2020-01-08T07:00:00Z'>"),
                                      "2020-01-08"),
    "us-format.html": (page(before="<span class='timestamp'>Posted 02/03/2020 10:45 AM</span>"), "2020-02-03"),
    "itemprop.html": (page(before="<meta itemprop='datePublished' content='2020-04-15'><p>Apr 15, 2020</p>"),
                      "2020-04-15"),
    "dc-date.html": (page("<meta name='DC.date.issued' content='2020-05-20'>"), "2020-05-20"),
    "url-and-copyright.html": (page("<meta property='og:url' content='https://example.org/news/20200611-talks'>"),
                               "2020-06-11"),
    "no-date.html": (page(), None),
}


def main() -> int:
    import htmldate

    today = dt.date.today().isoformat()
    with tempfile.TemporaryDirectory() as folder:
        for name, (markup, _) in PAGES.items():
            (Path(folder) / name).write_text(markup, encoding="utf-8")
        articles = helpers.load_articles(folder)
    kit = {Path(str(p)).name: (d, s) for p, d, s in zip(articles["path"], articles["date"], articles["date_source"])}
    scores = {"kit": 0, "htmldate extensive": 0, "htmldate fast": 0}
    print(f"{'page':32} {'expected':10}  {'kit':10} {'kit date_source':38} {'extensive':10} {'fast':10}")
    for name, (markup, expected) in PAGES.items():
        date, source = kit.get(name, (None, "not loaded"))
        ours = None if date is None or date != date else str(date)[:10]
        url = _page_url(markup)  # the peer is given the page's URL too
        extensive = htmldate.find_date(markup, url=url, extensive_search=True, original_date=True, max_date=today)
        fast = htmldate.find_date(markup, url=url, extensive_search=False, original_date=True, max_date=today)
        for label, value in (("kit", ours), ("htmldate extensive", extensive), ("htmldate fast", fast)):
            scores[label] += value == expected
        print(f"{name:32} {expected or '-':10}  {ours or '-':10} {str(source):38} {extensive or '-':10} "
              f"{fast or '-':10}")
    print(f"\nexact day right, of {len(PAGES)} pages: " + ", ".join(f"{k} {v}" for k, v in scores.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
