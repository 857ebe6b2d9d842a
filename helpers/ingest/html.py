"""Saved web pages: the article's main text with boilerplate removed (trafilatura), plus the page's metadata."""

from __future__ import annotations

import datetime as dt
import re
from copy import deepcopy
from functools import lru_cache

from .common import LoadError, Parsed

XML_DECLARATION = re.compile(r"\A\s*<\?xml[^>]*\?>", re.I)


@lru_cache(maxsize=1)
def _config():
    from trafilatura.settings import DEFAULT_CONFIG

    config = deepcopy(DEFAULT_CONFIG)
    # Timeouts use signals, which only work in the main thread; size limits are the loader's job.
    config["DEFAULT"]["EXTRACTION_TIMEOUT"] = "0"
    config["DEFAULT"]["MAX_FILE_SIZE"] = str(10**10)
    return config


def read_html(text: str, name: str, *, favor: str = "balanced") -> Parsed:
    """One article from an HTML page: main text (no navigation, ads, comments or related links), title, author,
    publication date, site name, URL, language and description from the page's metadata.

    The date comes from the page's own metadata and markup only (trafilatura/htmldate without extensive search),
    so a copyright year or a date in the sidebar is never taken as the publication date.
    ``favor`` is ``"balanced"``, ``"precision"`` or ``"recall"``.

    >>> page = ("<html><head><title>MoU signed | Libya Herald</title>"
    ...         "<meta property='article:published_time' content='2019-01-04T10:00:00Z'></head><body>"
    ...         "<nav><a href='/'>Home</a> <a href='/world'>World</a></nav><article><h1>MoU signed</h1>"
    ...         + "<p>Libya and the United States have signed a memorandum against drug trafficking.</p>" * 4
    ...         + "</article><footer>Copyright 2024</footer></body></html>")
    >>> record = read_html(page, "page.html").records[0]
    >>> record["title"], record["date"], "Home" in record["text"]
    ('MoU signed', '2019-01-04', False)
    """
    import trafilatura

    markup = XML_DECLARATION.sub("", text)
    if "<" not in markup:
        raise LoadError("no HTML markup in this .html file")
    params = {"original_date": True, "extensive_search": False, "max_date": dt.date.today().isoformat()}
    try:
        document = trafilatura.bare_extraction(
            markup, with_metadata=True, include_comments=False, include_tables=True,
            favor_precision=favor == "precision", favor_recall=favor == "recall",
            date_extraction_params=params, config=_config())
    except (ValueError, TypeError, AttributeError) as error:
        raise LoadError(f"HTML could not be parsed: {error}")
    body = (document.text or "").strip() if document is not None else ""
    if not body:
        raise LoadError("no main text found (not an article page: an index, a gallery or an empty page?)", "empty")
    record = {
        "text": body,
        "title": document.title,
        "author": document.author,
        "date": document.date,
        "source": document.sitename,
        "url": document.url,
        "language": document.language,
        "description": document.description,
        "path": name,
        "input": name,
    }
    return Parsed(records=[{k: v for k, v in record.items() if v not in (None, "")}], summary="HTML page")
