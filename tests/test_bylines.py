"""Bylines at the top or bottom of a body go into ``author`` and leave the text; look-alikes stay."""

from __future__ import annotations

import pandas as pd
import pytest

import helpers
from helpers.load.bylines import take_byline


@pytest.mark.parametrize("text, body, author", [
    ("By Jane Doe\nOfficials met in Tripoli.", "Officials met in Tripoli.", "Jane Doe"),
    ("BY JANE DOE AND JOHN ROE, Reuters\nOfficials met.", "Officials met.", "Jane Doe; John Roe"),
    ("Officials met.\n\nBy Amal al-Hassan | Staff Writer", "Officials met.", "Amal al-Hassan"),
    ("— By Jean de la Fontaine, AFP\nOfficials met.", "Officials met.", "Jean de la Fontaine"),
    ("By the end of 2019 prices rose\nThey fell.", "By the end of 2019 prices rose\nThey fell.", None),
    ("By Monday\nOfficials met.", "By Monday\nOfficials met.", None),
    ("Officials met.\nBy then, prices had risen.", "Officials met.\nBy then, prices had risen.", None),
    ("By Jane Doe", "By Jane Doe", None),
    ("Officials met by the river. By Jane Doe.\nThey left.", "Officials met by the river. By Jane Doe.\nThey left.",
     None),
])
def test_byline_lines_are_taken_and_look_alikes_kept(text, body, author):
    taken = take_byline(text, None, [])
    assert taken[:2] == (body, author)
    assert taken[2] == (["byline"] if author else [])


def test_a_records_own_author_wins_but_the_line_still_leaves_the_text():
    assert take_byline("By Jane Doe\nOfficials met.", "J. Doe (Reuters)", ["whitespace"]) == (
        "Officials met.", "J. Doe (Reuters)", ["whitespace", "byline"])


def test_loader_moves_bylines_to_author_and_keeps_the_original_text(tmp_path):
    (tmp_path / "a.txt").write_text("By Jane Doe\n\nLibya and the United States signed a memorandum.\n",
                                    encoding="utf-8")
    (tmp_path / "b.txt").write_text("Officials met in Cairo on Thursday.\n\nBy John Roe and Amal Saleh\n",
                                    encoding="utf-8")
    (tmp_path / "c.csv").write_text('title,author,text\nT,Staff,"By Jane Doe\nThe talks ended."\n', encoding="utf-8")
    articles = helpers.load_articles(tmp_path).set_index("path")
    rows = {str(p).rsplit("/", 1)[-1]: row for p, row in articles.iterrows()}
    assert rows["a.txt"]["author"] == "Jane Doe"
    assert rows["a.txt"]["text"] == "Libya and the United States signed a memorandum."
    assert rows["a.txt"]["text_original"].startswith("By Jane Doe")
    assert rows["b.txt"]["author"] == "John Roe; Amal Saleh"
    assert rows["b.txt"]["text"] == "Officials met in Cairo on Thursday."
    csv_row = articles[articles["title"] == "T"].iloc[0]
    assert csv_row["author"] == "Staff" and csv_row["text"] == "The talks ended."
    assert not pd.isna(csv_row["text_original"])
