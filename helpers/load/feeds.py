"""RSS 0.9x / 1.0 / 2.0 and Atom feeds (feedparser): one article per entry."""

from __future__ import annotations

import re

from helpers.load.common import LoadError, Parsed

EXTERNAL_ENTITY = re.compile(rb"<!ENTITY\s+%?\s*[\w.-]+\s+(SYSTEM|PUBLIC)\b", re.I)
BLOCK_TAGS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "section", "article"}
VERSIONS = {
    "rss090": "RSS 0.90", "rss091n": "RSS 0.91", "rss091u": "RSS 0.91", "rss092": "RSS 0.92", "rss093": "RSS 0.93",
    "rss094": "RSS 0.94", "rss20": "RSS 2.0", "rss10": "RSS 1.0", "rss": "RSS", "atom01": "Atom 0.1",
    "atom02": "Atom 0.2", "atom03": "Atom 0.3", "atom10": "Atom 1.0", "atom": "Atom", "cdf": "CDF",
}


def html_fragment_to_text(fragment: str) -> str:
    """Text of an HTML fragment (a feed entry's content) with paragraph breaks kept; scripts and styles dropped.

    >>> html_fragment_to_text("<p>Libya signed.</p><p>The DEA <b>welcomed</b> it.<script>x()</script></p>")
    'Libya signed.\\n\\nThe DEA welcomed it.'
    """
    if "<" not in fragment:
        return fragment.strip()
    import lxml.html
    from lxml.etree import ParserError

    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (ParserError, ValueError):
        return re.sub(r"<[^>]+>", " ", fragment).strip()
    for element in list(root.iter("script", "style", "noscript")):
        element.drop_tree()
    parts = []
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag in BLOCK_TAGS:
            parts.append("\n\n")
        if element.text and isinstance(element.tag, str):
            parts.append(element.text)
        if element.tail and element is not root:
            parts.append(element.tail)
    return re.sub(r"\n\s*\n\s*", "\n\n", "".join(parts)).strip()


def _entry_text(entry) -> tuple[str, str]:
    contents = [c for c in entry.get("content", []) if c.get("value", "").strip()]
    if contents:
        return html_fragment_to_text(max(contents, key=lambda c: len(c["value"]))["value"]), "full"
    summary = entry.get("summary", "")
    return (html_fragment_to_text(summary), "summary") if summary.strip() else ("", "none")


def _entry_author(entry):
    names = [a.get("name") for a in entry.get("authors", []) if a.get("name")]
    return "; ".join(names) if names else entry.get("author")


def read_feed(data: bytes, name: str) -> Parsed:
    """One article per feed entry: the entry's full content when the feed has it, else its summary
    (``text_kind`` says which). Title, link, date, author, outlet (the entry's source, else the feed's title)
    and language come from the entry and the feed.

    External entities (``<!ENTITY x SYSTEM ...>``) are never resolved: feedparser's strict parser has external
    general entities switched off, and its DOCTYPE handling keeps only simple internal entities.

    >>> rss = (b"<?xml version='1.0'?><rss version='2.0'><channel><title>Libya Herald</title>"
    ...        b"<item><title>MoU signed</title><link>https://libyaherald.com/2019/01/mou/</link>"
    ...        b"<pubDate>Fri, 04 Jan 2019 10:00:00 GMT</pubDate><description>Libya signed.</description></item>"
    ...        b"</channel></rss>")
    >>> parsed = read_feed(rss, "feed.xml")
    >>> parsed.summary, parsed.records[0]["source"], parsed.records[0]["text_kind"], parsed.records[0]["input"]
    ('RSS 2.0 feed, 1 entry', 'Libya Herald', 'summary', 'feed.xml#entry-1')
    """
    import feedparser

    # Bytes, never a string: feedparser fetches a string that looks like a URL or opens one that names a file.
    feed = feedparser.parse(bytes(data), sanitize_html=True, resolve_relative_uris=False)
    version = VERSIONS.get(feed.get("version", ""), "")
    if not feed.entries:
        if feed.get("bozo"):
            raise LoadError(f"malformed feed XML and no entries found: {feed.get('bozo_exception')}")
        if not version:
            raise LoadError("not an RSS or Atom feed (no channel, feed or entries found)", "skipped")
        raise LoadError(f"{version} feed with no entries", "empty")
    channel = feed.feed
    if feed.get("bozo") and not any(_entry_text(entry)[0].strip() for entry in feed.entries):
        raise LoadError(f"malformed feed XML ({feed.get('bozo_exception')}); no entry with text could be read")
    notes = []
    records = []
    for number, entry in enumerate(feed.entries, start=1):
        entry_name = f"{name}#entry-{number}"
        text, kind = _entry_text(entry)
        source = entry.get("source", {}).get("title") or channel.get("title")
        records.append({
            "title": entry.get("title"),
            "text": text,
            "text_kind": kind,
            "date": entry.get("published_parsed") or entry.get("updated_parsed") or entry.get("published"),
            "url": entry.get("link"),
            "author": _entry_author(entry),
            "source": source,
            "language": channel.get("language"),
            "feed_title": channel.get("title"),
            "path": entry_name,
            "input": entry_name,
        })
    n = len(feed.entries)
    summary = f"{version or 'unknown'} feed, {n} entr{'y' if n == 1 else 'ies'}"
    if feed.get("bozo"):
        summary += f"; the XML is malformed and was read leniently ({feed.get('bozo_exception')})"
    if EXTERNAL_ENTITY.search(data[:65536]):
        summary += "; external entity declarations ignored (never resolved)"
    return Parsed(records=records, notes=notes, summary=summary)
