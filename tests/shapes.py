"""Small corpora of the shapes users bring, written by the tests themselves into a folder: one undated plain-text
article; a folder of plain-text articles from one outlet, undated (here in Spanish, so it is also the non-English
corpus); a CSV export with dates; headlines only from many outlets; saved HTML pages with an RSS and an Atom feed;
JSONL with nested metadata. The texts are invented for the tests and use none of the default data's terms."""

from __future__ import annotations

import csv
import json
import random
from pathlib import Path

# Invented local news: each article is built from sentences whose subject, verb, object, place and day vary, so
# that articles share words (and counts) but not whole passages (they are not taken for copies of one story).
_TOPICS = {
    "harbour": (["the harbour master", "ferry operators", "dock workers", "commuters", "the port authority"],
                ["opened", "inspected", "repaired", "praised", "extended"],
                ["the ferry terminal", "the eastern quay", "the new timetable", "the cargo cranes", "the boarding ramp"]),
    "orchard": (["apple growers", "orchard owners", "seasonal pickers", "the cider press", "the cooperative"],
                ["harvested", "sold", "sorted", "priced", "shipped"],
                ["early apples", "the pear crop", "cider barrels", "the autumn harvest", "windfall fruit"]),
    "library": (["librarians", "the county archivist", "young readers", "the reading club", "volunteers"],
                ["catalogued", "restored", "borrowed", "digitised", "displayed"],
                ["old maps", "donated books", "the reading room", "rare atlases", "local newspapers"]),
    "marathon": (["runners", "race marshals", "the winning athlete", "spectators", "the organisers"],
                 ["crossed", "cheered", "timed", "closed", "decorated"],
                 ["the river bridges", "the finish line", "the market square", "the course record", "the water stations"]),
}
_PLACES = ["Northbay", "Eastmoor", "Westfield", "Southdale", "Kingsport", "Ashford"]
_DAYS = ["on Monday", "on Tuesday", "at dawn", "last weekend", "this morning", "after lunch", "before noon"]

_SPANISH = [
    ("El mercado de abastos abre sus puertas", "El mercado de abastos del barrio abrió sus puertas tras la reforma. "
     "Los vendedores de fruta y pescado recibieron a cientos de vecinos. El ayuntamiento financió la obra del "
     "mercado. Los vecinos celebraron la reapertura del mercado con música."),
    ("La biblioteca municipal amplía su horario", "La biblioteca municipal amplía su horario durante los exámenes. "
     "Los estudiantes llenaron la sala de lectura de la biblioteca. El alcalde visitó la biblioteca y habló con los "
     "estudiantes. La biblioteca abrirá también los domingos."),
    ("Nueva línea de autobús al hospital", "El ayuntamiento estrena una nueva línea de autobús hasta el hospital. "
     "Los vecinos pedían el autobús desde hace años. El autobús pasará cada veinte minutos por el barrio. Los "
     "conductores recibieron formación para la nueva línea."),
    ("Fiesta del barrio en la plaza mayor", "La fiesta del barrio llenó la plaza mayor de vecinos y música. Los "
     "niños bailaron en la plaza hasta la noche. El mercado instaló puestos de fruta en la plaza. El alcalde "
     "agradeció a los vecinos su participación en la fiesta."),
    ("Obras en el puente del río", "Las obras del puente del río cortarán el tráfico durante un mes. Los "
     "conductores deberán usar el puente viejo. El ayuntamiento promete terminar las obras del puente antes del "
     "verano. Los vecinos temen atascos en el barrio."),
    ("El hospital estrena una sala de urgencias", "El hospital estrena una sala de urgencias más grande. Los "
     "médicos del hospital atenderán a más pacientes cada día. El alcalde visitó la nueva sala del hospital. Los "
     "vecinos del barrio esperaban la reforma desde hace años."),
]


def _article(topic: str, place: str, n: int, *, sentences: int = 6) -> tuple[str, str]:
    """A title and a text of ``sentences`` sentences on ``topic`` in ``place``; ``n`` picks the variation."""
    subjects, verbs, objects = _TOPICS[topic]
    rng = random.Random(f"{topic}-{place}-{n}")
    lines = [f"{rng.choice(subjects).capitalize()} {rng.choice(verbs)} {rng.choice(objects)} in {place} "
             f"{rng.choice(_DAYS)}." for _ in range(sentences)]
    return f"{place}: {rng.choice(subjects)} {rng.choice(verbs)} {rng.choice(objects)}", " ".join(lines)


def one_plain_article(folder: Path) -> Path:
    """One undated plain-text article in a folder of its own."""
    folder.mkdir(parents=True, exist_ok=True)
    title, text = _article("harbour", "Northbay", 1)
    (folder / "ferry-terminal.txt").write_text(f"{title}\n\n{text}\n", encoding="utf-8")
    return folder


def spanish_plain_folder(folder: Path) -> Path:
    """Six undated plain-text articles in Spanish from one outlet (no source, no date in the files)."""
    folder.mkdir(parents=True, exist_ok=True)
    for n, (title, text) in enumerate(_SPANISH):
        (folder / f"noticia-{n:02d}.txt").write_text(f"{title}\n\n{text}\n", encoding="utf-8")
    return folder


def dated_csv(path: Path, *, n: int = 12) -> Path:
    """A CSV export (title, text, date, url) of ``n`` articles over three months, from two outlets."""
    path.parent.mkdir(parents=True, exist_ok=True)
    topics = list(_TOPICS)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["title", "text", "date", "url"])
        for i in range(n):
            topic, place = topics[i % len(topics)], _PLACES[i % len(_PLACES)]
            title, text = _article(topic, place, i)
            outlet = "northbay-gazette.example" if i % 2 else "valley-herald.example"
            writer.writerow([title, text, f"2023-{3 + i % 3:02d}-{1 + 2 * i:02d}",
                             f"https://{outlet}/news/{topic}-{i}"])
    return path


def headlines_csv(path: Path, *, n: int = 30) -> Path:
    """Headlines only (a title, no text column) from ``n // 2`` outlets, dated over two weeks."""
    path.parent.mkdir(parents=True, exist_ok=True)
    heads = ["Ferry terminal opens on eastern quay", "Apple harvest comes early in the valley",
             "County library reopens reading room", "Marathon runner breaks course record",
             "Cider prices expected to fall", "Dock workers finish quay ahead of schedule"]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["title", "source", "date"])
        for i in range(n):
            head = f"{heads[i % len(heads)]} in {_PLACES[i % len(_PLACES)]}"
            writer.writerow([head, f"outlet{i // 2:02d}.example", f"2023-06-{1 + i % 14:02d}"])
    return path


def html_and_feeds(folder: Path) -> Path:
    """Three saved HTML pages, an RSS 2.0 feed of three items and an Atom feed of two entries."""
    folder.mkdir(parents=True, exist_ok=True)
    for i, topic in enumerate(["library", "marathon", "orchard"]):
        title, text = _article(topic, _PLACES[i], i)
        paragraphs = "".join(f"<p>{sentence.strip()}.</p>" for sentence in text.split(". ") if sentence.strip())
        (folder / f"page-{i}.html").write_text(
            f"<!doctype html><html lang='en'><head><title>{title}</title>"
            f"<meta property='article:published_time' content='2023-0{4 + i}-10T09:00:00Z'>"
            f"<meta property='og:site_name' content='Eastmoor Echo'></head>"
            f"<body><nav>Home | News</nav><article><h1>{title}</h1>{paragraphs}</article>"
            f"<footer>Contact us</footer></body></html>", encoding="utf-8")
    items = "".join(
        f"<item><title>{_article(t, p, i)[0]}</title><link>https://kingsport-post.example/{t}/{i}</link>"
        f"<pubDate>Mon, 0{i + 1} May 2023 08:00:00 GMT</pubDate><description>{_article(t, p, i)[1]}</description></item>"
        for i, (t, p) in enumerate(zip(["harbour", "library", "marathon"], _PLACES[3:])))
    (folder / "feed.rss").write_text(
        "<?xml version='1.0' encoding='UTF-8'?><rss version='2.0'><channel><title>Kingsport Post</title>"
        f"<link>https://kingsport-post.example/</link><description>Local news</description>{items}</channel></rss>",
        encoding="utf-8")
    entries = "".join(
        f"<entry><title>{_article(t, 'Ashford', i)[0]}</title><link href='https://ashford-times.example/{t}/{i}'/>"
        f"<id>urn:ashford:{i}</id><updated>2023-06-1{i}T08:00:00Z</updated>"
        f"<content type='text'>{_article(t, 'Ashford', i)[1]}</content></entry>"
        for i, t in enumerate(["orchard", "harbour"]))
    (folder / "feed.atom").write_text(
        "<?xml version='1.0' encoding='UTF-8'?><feed xmlns='http://www.w3.org/2005/Atom'><title>Ashford Times</title>"
        f"<id>urn:ashford</id><updated>2023-06-12T08:00:00Z</updated>{entries}</feed>", encoding="utf-8")
    return folder


def nested_jsonl(path: Path, *, n: int = 16) -> Path:
    """Press releases as JSONL with a nested ``member`` object (party, chamber); two pairs of offices issue the same
    release (a joint story); dated over two months."""
    path.parent.mkdir(parents=True, exist_ok=True)
    topics = list(_TOPICS)
    rows = []
    for i in range(n):
        topic = topics[i % len(topics)]
        party = "Green" if i % 2 else "Civic"
        chamber = "Upper" if i % 3 == 0 else "Lower"
        title, text = _article(topic, _PLACES[i % len(_PLACES)], i)
        if i in (1, 2, 5, 6):  # two joint releases, each issued by two offices with a signature line of their own
            title, text = _article("marathon", "Kingsport", 99 + i // 4)
            text += f" Issued by office {i}."
        rows.append({"title": title, "content": text, "date": f"2023-{9 + i % 2:02d}-{1 + i:02d}",
                     "url": f"https://office{i % 8}.assembly.example/releases/{i}", "source": f"office{i % 8}",
                     "member": {"name": f"Member {i % 8}", "party": party, "chamber": chamber}})
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path


def mixed_formats(folder: Path) -> Path:
    """A folder of several shapes at once: a dated CSV export, nested JSONL, HTML pages and feeds."""
    dated_csv(folder / "export.csv")
    nested_jsonl(folder / "releases.jsonl")
    html_and_feeds(folder / "pages")
    return folder
