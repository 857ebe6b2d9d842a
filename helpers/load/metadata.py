"""Metadata an article's source may leave implicit: its date (from metadata, URL, dateline or file name), outlet and
language."""

from __future__ import annotations

import datetime as dt
import email.utils
import re
import time
import warnings
from functools import lru_cache
from urllib.parse import urlparse

import pandas as pd

MONTHS = ("january|february|march|april|may|june|july|august|september|october|november|december|"
          "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec")
URL_DATE = [
    re.compile(r"/(?P<y>(?:19|20)\d{2})/(?P<m>0?[1-9]|1[0-2])/(?P<d>0?[1-9]|[12]\d|3[01])(?:/|$|[-_])"),
    re.compile(r"[/_-](?P<y>(?:19|20)\d{2})-(?P<m>0[1-9]|1[0-2])-(?P<d>0[1-9]|[12]\d|3[01])(?:[/_.-]|$)"),
    re.compile(r"/(?P<y>(?:19|20)\d{2})(?P<m>0[1-9]|1[0-2])(?P<d>0[1-9]|[12]\d|3[01])(?:/|[-_])"),
]
DATELINE = [
    re.compile(rf"\b(?P<month>{MONTHS})\.?\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)?,?\s+(?P<y>(?:19|20)\d{{2}})\b", re.I),
    re.compile(rf"\b(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\s+(?P<month>{MONTHS})\.?,?\s+(?P<y>(?:19|20)\d{{2}})\b", re.I),
    re.compile(r"\b(?P<y>(?:19|20)\d{2})-(?P<m>0[1-9]|1[0-2])-(?P<d>0[1-9]|[12]\d|3[01])\b"),
]
MONTH_NUMBER = {name: i for i, names in enumerate(
    [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",), ("jun", "june"),
     ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
     ("dec", "december")], start=1) for name in names}
DATELINE_WINDOW = 200
DATE_LINES = 3  # a line holding only a date, among an article's first lines, is its dateline ("Title / date / body")
WEEKDAY = re.compile(r"(?:mon|tue|tues|wed|wednes|thu|thur|thurs|fri|sat|satur|sun)(?:day)?\.?", re.I)
FILE_NAME_DATE = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})(?P<sep>[-_.]?)(?P<m>0[1-9]|1[0-2])(?P=sep)"
                            r"(?P<d>0[1-9]|[12]\d|3[01])(?!\d)")
EARLIEST = pd.Timestamp("1800-01-01", tz="UTC")


def _timestamp(year: int, month: int, day: int):
    try:
        return pd.Timestamp(dt.datetime(year, month, day, tzinfo=dt.timezone.utc))
    except ValueError:
        return pd.NaT


def _quick_parse(value: str):
    """ISO 8601 and RFC 822 (feeds, e-mail) without pandas' format guessing, which costs milliseconds a value."""
    try:
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00") if value.endswith("Z") else value)
    except ValueError:
        pass
    if "," in value[:5] or value[-5:-4] in "+-" or value.endswith(("GMT", "UT", "UTC")):
        try:
            return email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
    return None


def parse_date(value):
    """A UTC timestamp from a metadata value, or ``NaT`` when there is none or it is not a date.

    Strings (ISO 8601, RFC 822 as in feeds, "4 January 2019" ...), datetimes, dates, ``time.struct_time`` and
    epoch seconds are understood; a value without a time zone is taken as UTC.

    >>> parse_date("Fri, 04 Jan 2019 10:30:00 +0100")
    Timestamp('2019-01-04 09:30:00+0000', tz='UTC')
    >>> parse_date("yesterday")
    NaT
    """
    if value is None or value is pd.NaT or (isinstance(value, float) and value != value):
        return pd.NaT
    if isinstance(value, time.struct_time):
        value = dt.datetime(*value[:6], tzinfo=dt.timezone.utc)
    elif isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        value = dt.datetime(value.year, value.month, value.day)
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        seconds = value / 1000 if abs(value) > 1e11 else value  # epoch milliseconds, as many APIs give
        if not -9e9 < seconds < 9e9:
            return pd.NaT
        value = pd.Timestamp(seconds, unit="s", tz="UTC")
    elif isinstance(value, str):
        value = value.strip()
        if not value or not re.search(r"\d", value):
            return pd.NaT
        quick = _quick_parse(value)
        if quick is not None:
            value = quick
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            stamp = pd.to_datetime(value, utc=True)
    except (ValueError, TypeError, OverflowError, pd.errors.OutOfBoundsDatetime):
        return pd.NaT
    if not isinstance(stamp, pd.Timestamp) or stamp is pd.NaT or stamp < EARLIEST:
        return pd.NaT
    return stamp


def date_from_url(url) -> pd.Timestamp:
    """The date in a news URL's path (``/2019/01/04/``, ``-2019-01-04``, ``/20190104/``), or ``NaT``.

    >>> date_from_url("https://example.com/world/2019/01/04/libya-mou")
    Timestamp('2019-01-04 00:00:00+0000', tz='UTC')
    """
    if not isinstance(url, str):
        return pd.NaT
    path = urlparse(url).path
    for pattern in URL_DATE:
        match = pattern.search(path)
        if match:
            return _timestamp(int(match["y"]), int(match["m"]), int(match["d"]))
    return pd.NaT


def date_from_text(text) -> pd.Timestamp:
    """The dateline date near the start of an article ("Friday, January 4, 2019", "4 Jan 2019"), or ``NaT``.

    A date in the first line (at most 200 characters) counts, and so does a line holding nothing but a date among
    the first three (a headline, then the date): a date further in is about the events, not the article.

    >>> date_from_text("Friday, January 4, 2019\\n\\nAn apartment building collapsed on Monday")
    Timestamp('2019-01-04 00:00:00+0000', tz='UTC')
    >>> date_from_text("BUILDING COLLAPSES IN MAGNITOGORSK\\n\\nJanuary 4, 2019\\n\\nAn apartment building collapsed")
    Timestamp('2019-01-04 00:00:00+0000', tz='UTC')
    >>> date_from_text("The 1973 building was home to over 1,000 people")
    NaT
    >>> date_from_text("Rescuers worked through the night.\\nOn 1 January 2019 the building had collapsed.")
    NaT
    """
    if not isinstance(text, str):
        return pd.NaT
    lines = [line.strip() for line in text.lstrip()[:DATELINE_WINDOW * DATE_LINES].splitlines() if line.strip()]
    for index, line in enumerate(lines[:DATE_LINES]):
        line = line[:DATELINE_WINDOW]
        for pattern in DATELINE:
            match = pattern.search(line)
            if match and (index == 0 or _only_a_date(line, match)):
                return _timestamp(int(match["y"]), _month(match), int(match["d"]))
    return pd.NaT


def _month(match: re.Match) -> int:
    return int(match["m"]) if "m" in match.groupdict() else MONTH_NUMBER[match["month"].lower().rstrip(".")]


def _only_a_date(line: str, match: re.Match) -> bool:
    rest = (line[:match.start()] + " " + line[match.end():]).strip(" \t,.;:-–—|()")
    return not rest or WEEKDAY.fullmatch(rest) is not None


def date_from_file_name(name) -> pd.Timestamp:
    """The full date in a file's name (``2019-01-04-mou.txt``, ``20190104_mou.html``, ``mou_2019.01.04.md``), or
    ``NaT``. Folders are not read: they say where a file was saved, not when its article appeared.

    >>> date_from_file_name("articles/2019-01-04-libya-mou.txt")
    Timestamp('2019-01-04 00:00:00+0000', tz='UTC')
    >>> date_from_file_name("1945-Truman.txt")  # a year alone is no date
    NaT
    """
    if not isinstance(name, str):
        return pd.NaT
    match = FILE_NAME_DATE.search(re.split(r"[\\/]", name)[-1])
    return _timestamp(int(match["y"]), int(match["m"]), int(match["d"])) if match else pd.NaT


def source_from_url(url):
    """The outlet's domain from an article URL (``www.`` dropped), or ``None``.

    >>> source_from_url("https://en.wikinews.org//wiki/Magnitogorsk")
    'en.wikinews.org'
    """
    if not isinstance(url, str) or "//" not in url:
        return None
    host = urlparse(url.strip()).hostname or ""
    return host.removeprefix("www.") or None


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


MIN_LANGUAGE_CHARS = 20
LANGUAGE_SAMPLE = 1000


def detect_language(text, *, min_probability: float = 0.5):
    """ISO 639-1 code of the text's language (py3langid), or ``None`` when too short or too uncertain.

    >>> detect_language("Libya and the United States have signed a memorandum against drug trafficking.")
    'en'
    >>> detect_language("La Libye et les États-Unis ont signé un protocole contre le trafic de drogue.")
    'fr'
    """
    if not isinstance(text, str) or len(text.strip()) < MIN_LANGUAGE_CHARS:
        return None
    language, probability = _identifier().classify(text[:LANGUAGE_SAMPLE])
    return language if probability >= min_probability else None
