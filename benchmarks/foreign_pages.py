"""Article pages the kit was never written for: real article texts (the Wikinews and congressional press-release
samples) rendered into HTML through five page layouts modelled on common site types, each with its own boilerplate
(navigation, bylines, share bars, newsletter boxes, teasers of related stories written in full sentences, reader
comments, sidebars, footers). The layouts were written for this benchmark from how such sites are built, without
reference to the kit's extractor code or its test pages, so the body text of each page is known exactly and neither
extractor was tuned on them.

Limitation: these are still synthetic pages (no internet here to save real ones); real sites add scripts, embeds and
markup quirks that no template reproduces.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pandas as pd

TEASERS = [
    "City council approves new budget after a long night of debate over road repairs and school funding.",
    "Local bakery celebrates fifty years in business with free pastries for everyone who visits this weekend.",
    "Weather service warns of heavy rain across the region through Thursday, with flooding possible near rivers.",
    "High school robotics team heads to the national finals after winning the state championship on Saturday.",
]
COMMENTS = [
    ("River_Watcher", "I have been following this story for months and I still do not understand why nobody asked "
                      "the obvious questions at the hearing. Somebody should be held accountable for this."),
    ("margaret.k", "Thank you for covering this. My neighbours and I talked about it at dinner last night and we all "
                   "agreed that the decision will affect families like ours for years to come."),
    ("JT1987", "Typical. They announce something big and then nothing changes on the ground. Wake me up when there "
               "is an actual result instead of another press conference."),
]


def _paragraphs(text: str) -> list[str]:
    return [" ".join(p.split()) for p in re.split(r"\n\s*\n|\n", text) if p.strip()]


def _esc(text: str) -> str:
    return html.escape(text, quote=False)


def blog(title: str, date: str, paragraphs: list[str]) -> str:
    """A blogging platform's single post: menu, entry meta, share buttons, tags, related posts, comments, widgets."""
    body = "\n".join(f"<p>{_esc(p)}</p>" for p in paragraphs)
    related = "".join(f"<li><a href='/p/{i}'>{_esc(t.split(',')[0])}</a><p class='excerpt'>{_esc(t)}</p></li>"
                      for i, t in enumerate(TEASERS))
    comments = "".join(f"<li class='comment'><div class='comment-author'><cite>{_esc(a)}</cite> says:</div>"
                       f"<div class='comment-content'><p>{_esc(c)}</p></div><a class='reply'>Reply</a></li>"
                       for a, c in COMMENTS)
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{_esc(title)} – Riverside Notes</title>
<link rel="stylesheet" href="/wp-content/themes/plain/style.css"></head>
<body class="single single-post"><div id="page"><header id="masthead"><p class="site-title"><a href="/">Riverside Notes</a></p>
<p class="site-description">Thoughts on the news, every week</p><nav id="site-navigation"><ul id="primary-menu">
<li><a href="/">Home</a></li><li><a href="/about">About</a></li><li><a href="/archive">Archive</a></li>
<li><a href="/contact">Contact</a></li></ul></nav></header>
<div id="content"><main id="main"><div class="post"><header class="entry-header"><h1 class="entry-title">{_esc(title)}</h1>
<div class="entry-meta">Posted on <time datetime="{date}">{date}</time> by <span class="author">admin</span></div></header>
<div class="entry-content">
{body}
</div><footer class="entry-footer"><span class="cat-links">Posted in <a href="/c/news">News</a></span>
<span class="tags-links">Tagged <a href="/t/politics">politics</a>, <a href="/t/world">world</a></span>
<div class="sharedaddy"><h3>Share this:</h3><a>Twitter</a> <a>Facebook</a> <a>Email</a></div></footer></div>
<div class="related-posts"><h3>Related</h3><ul>{related}</ul></div>
<div id="comments"><h2 class="comments-title">3 thoughts on “{_esc(title)}”</h2><ol class="comment-list">{comments}</ol>
<div id="respond"><h3>Leave a Reply</h3><form><p>Your email address will not be published.</p><textarea></textarea>
<input type="submit" value="Post Comment"></form></div></div></main>
<aside id="secondary"><section class="widget"><h2>Recent Posts</h2><ul><li><a>Budget night</a></li><li><a>Rain again</a></li>
</ul></section><section class="widget"><h2>Archives</h2><ul><li><a>November 2024</a></li><li><a>October 2024</a></li></ul>
</section></aside></div><footer id="colophon"><p>Proudly powered by a blogging platform. Theme: Plain.</p></footer></div>
</body></html>"""


def portal(title: str, date: str, paragraphs: list[str]) -> str:
    """A news portal: top bar, mega menu, breadcrumb, byline, figure, ad slots and 'read more' links inside the body,
    newsletter box, most-read list, section teasers, cookie banner, long footer."""
    parts = []
    for i, p in enumerate(paragraphs):
        parts.append(f"<p class='body-text'>{_esc(p)}</p>")
        if i == 1:
            parts.append("<div class='ad-slot' data-ad='mid'>Advertisement</div>")
        if i == 3:
            parts.append(f"<p class='read-more'><strong>Read more:</strong> <a href='/x'>{_esc(TEASERS[0])}</a></p>")
    most_read = "".join(f"<li><span class='rank'>{i + 1}</span><a href='/m/{i}'>{_esc(t)}</a></li>"
                        for i, t in enumerate(TEASERS))
    cards = "".join(f"<div class='card'><h4><a href='/s/{i}'>{_esc(t.split(' ', 6)[-1][:40])}</a></h4>"
                    f"<p>{_esc(t)}</p></div>" for i, t in enumerate(reversed(TEASERS)))
    return f"""<!doctype html><html><head><title>{_esc(title)} | The Daily Ledger</title>
<meta name="viewport" content="width=device-width"></head><body>
<div class="topbar"><span>12°C Cloudy</span> <a href="/login">Sign in</a> <a href="/subscribe">Subscribe</a></div>
<header class="masthead"><a class="logo" href="/">The Daily Ledger</a><nav class="mega"><ul><li><a>World</a><ul>
<li><a>Europe</a></li><li><a>Americas</a></li><li><a>Asia</a></li></ul></li><li><a>Politics</a></li><li><a>Business</a></li>
<li><a>Sport</a></li><li><a>Opinion</a></li><li><a>Culture</a></li></ul></nav></header>
<div class="layout"><div class="main-col"><ol class="breadcrumb"><li><a>Home</a></li><li><a>News</a></li></ol>
<div class="story"><h1 class="headline">{_esc(title)}</h1><div class="byline">By Staff Reporter · {date}</div>
<figure class="lead"><img src="/img/lead.jpg" alt=""><figcaption>File photo. (Ledger archive)</figcaption></figure>
<div class="story-body">
{"".join(parts)}
</div><div class="newsletter"><h3>Get the morning briefing</h3><p>The day's top stories in your inbox before breakfast,
every weekday. Sign up now and never miss the news that matters to you.</p><input placeholder="Email"></div></div>
<section class="more"><h3>More from News</h3>{cards}</section></div>
<aside class="rail"><h3>Most read</h3><ol>{most_read}</ol><div class="ad-slot">Advertisement</div></aside></div>
<div class="cookie-banner">We use cookies to improve your experience and to show you personalised advertising. By
continuing to browse the site you agree to our use of cookies. <button>Accept</button></div>
<footer><ul><li><a>About us</a></li><li><a>Careers</a></li><li><a>Advertise</a></li><li><a>Terms</a></li>
<li><a>Privacy</a></li></ul><p>© 2024 The Daily Ledger Media Group. All rights reserved.</p></footer></body></html>"""


def office(title: str, date: str, paragraphs: list[str]) -> str:
    """A government office's press page: official-site banner, menus, press-release header, '###' end mark,
    contact box, office addresses, social links."""
    body = "\n".join(f"<p>{_esc(p)}</p>" for p in paragraphs)
    return f"""<html><head><title>{_esc(title)} | Office of the Representative</title></head><body>
<div class="usa-banner">An official website of the United States government. Here's how you know.</div>
<div id="header"><div class="member-name">Representative Pat Example</div><div class="district">Serving the 9th District
</div><ul class="nav"><li><a>Home</a></li><li><a>About</a></li><li><a>Services</a></li><li><a>Legislation</a></li>
<li><a>Media Center</a></li><li><a>Contact</a></li></ul><form class="search"><input name="q"><button>Search</button></form>
</div><div id="wrapper"><div id="sidebar"><div class="box"><h3>Media Center</h3><ul><li><a>Press Releases</a></li>
<li><a>Op-Eds</a></li><li><a>Videos</a></li></ul></div><div class="box contact"><h3>Press Contact</h3>
<p>Jordan Smith, Communications Director</p><p>(202) 555-0100</p></div></div>
<div id="main"><div class="breadcrumbs">Home » Media Center » Press Releases</div><div class="pr-header">
<span class="date">{date}</span><h2 class="title">{_esc(title)}</h2><p class="release">FOR IMMEDIATE RELEASE</p></div>
<div class="pr-body">
{body}
<p style="text-align:center">###</p></div>
<div class="share"><a>Print</a> | <a>Email</a> | <a>Share</a></div></div></div>
<div id="footer"><div class="offices"><div><b>Washington Office</b><br>1234 Longworth House Office Building<br>
Washington, DC 20515<br>Phone: (202) 555-0100</div><div><b>District Office</b><br>100 Main Street, Suite 200<br>
Springfield<br>Phone: (555) 555-0199</div></div><div class="social"><a>Facebook</a> <a>X</a> <a>YouTube</a>
<a>Instagram</a></div><p><a>Privacy Policy</a> | <a>Accessibility</a></p></div></body></html>"""


def tables(title: str, date: str, paragraphs: list[str]) -> str:
    """An old table-layout site: nested tables, font tags, paragraphs separated by <br><br>, not <p>."""
    body = "<br><br>\n".join(_esc(p) for p in paragraphs)
    return f"""<HTML><HEAD><TITLE>{_esc(title)}</TITLE></HEAD><BODY BGCOLOR="#FFFFFF">
<TABLE WIDTH="100%" BORDER=0><TR><TD COLSPAN=2><FONT SIZE=5><B>County Gazette Online</B></FONT><BR>
<FONT SIZE=1><A HREF="/">Home</A> | <A HREF="/news">News</A> | <A HREF="/sports">Sports</A> | <A HREF="/obits">Obituaries</A>
 | <A HREF="/classifieds">Classifieds</A></FONT></TD></TR>
<TR><TD WIDTH=160 VALIGN=TOP BGCOLOR="#EEEEEE"><FONT SIZE=2><B>Sections</B><BR><A>Local</A><BR><A>State</A><BR>
<A>Nation</A><BR><A>Weather</A><BR><BR><B>Links</B><BR><A>County website</A><BR><A>School district</A></FONT></TD>
<TD VALIGN=TOP><FONT SIZE=4><B>{_esc(title)}</B></FONT><BR><FONT SIZE=1>Posted {date}</FONT><BR><BR>
<FONT FACE="Arial" SIZE=2>
{body}
</FONT><BR><BR><HR><FONT SIZE=1>Copyright County Gazette. Material may not be republished without permission.
<BR><A HREF="/top">Back to top</A></FONT></TD></TR></TABLE></BODY></HTML>"""


def divs(title: str, date: str, paragraphs: list[str]) -> str:
    """A script-era page of generated class names: no <article> or <main>, paragraphs in divs, a long comment
    thread and 'recommended' teasers in the same kind of divs."""
    body = "".join(f"<div class='c-txt_3k'><span>{_esc(p)}</span></div>" for p in paragraphs)
    recommended = "".join(f"<div class='c-rec_a1'><div class='c-txt_9z'>{_esc(t)}</div></div>" for t in TEASERS)
    comments = "".join(f"<div class='c-cm_x2'><div class='c-cm-name'>{_esc(a)}</div><div class='c-txt_9z'>"
                       f"{_esc(c)}</div><div class='c-cm-act'>Like · Reply · 2h</div></div>" for a, c in COMMENTS)
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{_esc(title)}</title>
<script>window.__STATE__={{"page":"story"}};</script></head><body><div id="root"><div class="c-hdr_77">
<div class="c-logo">NEWSFEED</div><div class="c-nav"><div>For you</div><div>Following</div><div>Local</div>
<div>Video</div></div></div><div class="c-wrap_0q"><div class="c-h1_5t">{_esc(title)}</div>
<div class="c-meta_2">{date} · 4 min read</div>{body}
<div class="c-sh_8">Share · Save · Report</div><div class="c-sec">Recommended for you</div>{recommended}
<div class="c-sec">Comments (3)</div>{comments}</div><div class="c-ftr">Terms · Privacy · Help</div></div>
</body></html>"""


LAYOUTS = {"blog": blog, "portal": portal, "office": office, "tables": tables, "divs": divs}


def sample_articles(wikinews: Path | None, congress: Path | None, per_sample: int) -> pd.DataFrame:
    """Up to ``per_sample`` articles (every n-th, so spread over the sample) with a title and at least two paragraphs
    of text from each sample file that exists: columns sample, title, date, paragraphs."""
    frames = []
    if wikinews is not None and wikinews.exists():
        frames.append(pd.read_csv(wikinews).assign(sample="wikinews_2019"))
    if congress is not None and congress.exists():
        records = [json.loads(line) for line in congress.read_text().splitlines() if line.strip()]
        frames.append(pd.DataFrame([{k: r.get(k) for k in ("title", "date", "text")} for r in records])
                      .assign(sample="congress_press_2024-11"))
    chosen = []
    for frame in frames:
        frame = frame.dropna(subset=["title", "text"])
        frame = frame.assign(paragraphs=frame["text"].map(_paragraphs))
        frame = frame[frame["paragraphs"].map(len) >= 2]
        step = max(1, len(frame) // max(per_sample, 1))
        chosen.append(frame.iloc[::step].head(per_sample))
    if not chosen:
        return pd.DataFrame(columns=["sample", "title", "date", "paragraphs"])
    return pd.concat(chosen, ignore_index=True)[["sample", "title", "date", "paragraphs"]]


def write_pages(articles: pd.DataFrame, folder: Path) -> list[tuple[Path, str, str, str]]:
    """Every article through every layout: (page path, layout, sample, true body text) per page."""
    folder.mkdir(parents=True, exist_ok=True)
    pages = []
    for i, row in enumerate(articles.itertuples()):
        for name, layout in LAYOUTS.items():
            path = folder / f"{i:03d}-{name}.html"
            path.write_text(layout(str(row.title), str(row.date)[:10], list(row.paragraphs)), encoding="utf-8")
            pages.append((path, name, row.sample, "\n".join(row.paragraphs)))
    return pages
