"""Saved web pages: the article's main text with boilerplate removed (trafilatura), plus the page's metadata."""

from __future__ import annotations

import datetime as dt
import html
import logging
import re
from copy import deepcopy
from functools import lru_cache

from helpers.load.common import LoadError, Parsed

XML_DECLARATION = re.compile(r"\A\s*<\?xml[^>]*\?>", re.I)
PUBLISHED = re.compile(
    r"""(?:(?:property|name|itemprop)\s*=\s*["'](?:article:published_time|datePublished|pubdate|publishdate|date|"""
    r"""dc\.date|dcterms\.created|og:published_time)["'][^>]*?content\s*=\s*["'](?P<meta>[^"']+)["'])"""
    r"""|(?:"datePublished"\s*:\s*"(?P<ld>[^"]+)")""", re.I)
TITLE_TAG = re.compile(r"<title[^>]*>(?P<title>.*?)</title>", re.I | re.S)
PAGE_URL = re.compile(
    r"""<link\b[^>]*\brel\s*=\s*["']canonical["'][^>]*\bhref\s*=\s*["'](?P<canonical>https?://[^"']+)["']"""
    r"""|<meta\b[^>]*\bproperty\s*=\s*["']og:url["'][^>]*\bcontent\s*=\s*["'](?P<og>https?://[^"']+)["']""", re.I)
URL_DATE = re.compile(r"/(?P<y>(?:19|20)\d\d)[/-](?P<m>[01]?\d)[/-](?P<d>[0-3]?\d)(?:/|-|$)")
TITLE_SEPARATORS = (" | ", " - ", " – ", " — ", " :: ", " · ")
LINK_SHARE_LIMIT = 0.8
ARTICLE_PARAGRAPH = 150


def _precise_date(markup: str, day: str | None) -> str | None:
    """The page's full publication timestamp when its date part is the day trafilatura found (which has no time)."""
    if not day:
        return day
    for match in PUBLISHED.finditer(markup):
        value = (match["meta"] or match["ld"]).strip()
        if value.startswith(day) and len(value) > len(day):
            return value
    return day


def _page_url(markup: str) -> str | None:
    """The page's own address (canonical link, else og:url), which htmldate reads dates from first."""
    match = PAGE_URL.search(markup)
    return (match["canonical"] or match["og"]) if match else None


def _date_source(markup: str, day: str | None, url: str | None) -> str | None:
    """Where htmldate's date came from, most specific first: the page's publication metadata (meta tags, JSON-LD),
    the URL, or htmldate's extensive search of the page (time elements, date patterns in the text)."""
    if not day:
        return None
    for match in PUBLISHED.finditer(markup):
        if (match["meta"] or match["ld"]).strip().startswith(day[:10]):
            return "html metadata"
    found = URL_DATE.search(url or "")
    if found and f"{found['y']}-{int(found['m']):02d}-{int(found['d']):02d}" == day[:10]:
        return "url"
    copyright_year = re.search(rf"(?:©|&copy;|copyright)\s*(?:\d{{4}}\s*[-–]\s*)?{day[:4]}\b", markup, re.I)
    if day[4:10] == "-01-01" and copyright_year:
        return None  # the extensive search fell back on the copyright notice's year: no publication date
    return "html page (htmldate extensive search)"


def _site_from_title_tag(markup: str, title: str | None) -> str | None:
    """The outlet named after the headline in the <title> tag ("Headline | Harbour Times"), when the metadata has none."""
    match = TITLE_TAG.search(markup)
    if not match or not title:
        return None
    full = " ".join(html.unescape(match["title"]).split())
    headline = " ".join(title.split())
    for separator in TITLE_SEPARATORS:
        if full.startswith(headline + separator):
            site = full[len(headline) + len(separator):].strip()
            return site if 0 < len(site) <= 60 else None
    return None


def _mostly_links(markup: str, text: str) -> bool:
    """True when nearly all extracted lines are link texts: an index or navigation page, not an article."""
    import lxml.html

    try:
        anchors = {" ".join(a.text_content().split()) for a in lxml.html.fromstring(markup).iter("a")}
    except (ValueError, lxml.etree.ParserError):
        return False
    lines = [" ".join(line.split()) for line in text.split("\n") if line.strip()]
    if any(len(line) >= ARTICLE_PARAGRAPH and line not in anchors for line in lines):
        return False  # one real paragraph of prose makes it an article, however many links surround it
    total = sum(len(line) for line in lines)
    return total > 0 and sum(len(line) for line in lines if line in anchors) / total >= LINK_SHARE_LIMIT


@lru_cache(maxsize=1)
def _config():
    from trafilatura.settings import DEFAULT_CONFIG

    config = deepcopy(DEFAULT_CONFIG)
    # Timeouts use signals, which only work in the main thread; size limits are the loader's job.
    config["DEFAULT"]["EXTRACTION_TIMEOUT"] = "0"
    config["DEFAULT"]["MAX_FILE_SIZE"] = str(10**10)
    return config


def read_html(text: str, name: str, *, favor: str = "balanced", url: str | None = None) -> Parsed:
    """One article from an HTML page: main text (no navigation, ads, comments or related links), title, author,
    publication date, site name, URL, language and description from the page's metadata.

    The date is htmldate's, used as it is meant to be: given the page's URL (``url``, else its canonical link or
    og:url), with its extensive search and ``original_date=True`` (the publication date, not the last update), no
    later than today. ``date_source`` says where it came from: ``html metadata`` (meta tags, JSON-LD), ``url`` or
    ``html page (htmldate extensive search)``. ``favor`` is ``"balanced"``, ``"precision"`` or ``"recall"``.

    >>> page = ("<html><head><title>MoU signed | Libya Herald</title>"
    ...         "<meta property='article:published_time' content='2019-01-04T10:00:00Z'></head><body>"
    ...         "<nav><a href='/'>Home</a> <a href='/world'>World</a></nav><article><h1>MoU signed</h1>"
    ...         + "<p>Libya and the United States have signed a memorandum against drug trafficking.</p>" * 4
    ...         + "</article><footer>Copyright 2024</footer></body></html>")
    >>> record = read_html(page, "page.html").records[0]
    >>> record["title"], record["date"], "Home" in record["text"]
    ('MoU signed', '2019-01-04T10:00:00Z', False)
    """
    import trafilatura

    markup = XML_DECLARATION.sub("", text)
    if "<" not in markup:
        raise LoadError("no HTML markup in this .html file")
    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)  # its complaints reach the report as reasons
    url = url or _page_url(markup)
    params = {"original_date": True, "extensive_search": True, "max_date": dt.date.today().isoformat(), "url": url}
    try:
        document = trafilatura.bare_extraction(
            markup, url=url, with_metadata=True, include_comments=False, include_tables=True,
            favor_precision=favor == "precision", favor_recall=favor == "recall",
            date_extraction_params=params, config=_config())
    except (ValueError, TypeError, AttributeError) as error:
        raise LoadError(f"HTML could not be parsed: {error}")
    body = (document.text or "").strip() if document is not None else ""
    if not body:
        raise LoadError("no main text found (not an article page: an index, a gallery or an empty page?)", "empty")
    first_line, _, rest = body.partition("\n")
    if document.title and " ".join(first_line.split()) == " ".join(document.title.split()) and rest.strip():
        body = rest.strip()  # the headline is the title column, not the first line of the body
    if _mostly_links(markup, body):
        raise LoadError("no main text found: what remains is a list of links (an index or navigation page)", "empty")
    date_source = _date_source(markup, document.date, url or document.url)
    record = {
        "text": body,
        "date": _precise_date(markup, document.date) if date_source else None,
        "title": document.title,
        "author": document.author,
        "date_source": date_source,
        "source": document.sitename or _site_from_title_tag(markup, document.title),
        "url": document.url or url,
        "language": document.language,
        "description": document.description,
        "path": name,
        "input": name,
    }
    truncated = "</html" not in markup[-4096:].lower() and "</body" not in markup[-4096:].lower()
    summary = "HTML page (truncated: no closing </body> or </html>; the text may be incomplete)" if truncated \
        else "HTML page"
    return Parsed(records=[{k: v for k, v in record.items() if v not in (None, "")}], summary=summary)
