"""Syndicated copies: a story republished with extra paragraphs or trimmed is one story; another story on the same
topic is not; story_clusters names the earliest article and the outlets that carried the story."""

from __future__ import annotations

import pandas as pd

from helpers.load.duplicates import assign_story_ids, jaccard, overlap, shingles, story_clusters

WIRE = [
    "Libya and the United States have signed a memorandum of understanding to enhance cooperation in combating "
    "drug trafficking and organised crime, marking a new phase in the security partnership of the two countries.",
    "The signing ceremony took place on Thursday at the Libyan embassy in Cairo, attended by the ambassador, who is "
    "also the permanent representative of Libya to the Arab League.",
    "According to a statement issued by the embassy, the agreement reflects a strategic direction toward "
    "international collaboration in the fight against narcotics and psychotropic substances.",
    "The memorandum was signed by the head of the general directorate for combating narcotics and by the regional "
    "director of the Drug Enforcement Administration for the Middle East and Africa.",
    "The ambassador said the memorandum underscores the political will of Libya to build an integrated framework "
    "for drug control, based on information sharing, training and advanced technologies.",
]
EXTRA = [
    "Local reporters at the ceremony asked how the agreement would be funded, and officials said the details would "
    "be announced by the ministry of the interior next month after consultations with partners.",
    "Smuggling routes through the southern desert have grown in recent years, according to researchers who study "
    "the trade, with cannabis resin and synthetic pills moving north towards the coast and on to Europe.",
    "Residents of the coastal towns told this newspaper that they welcomed any effort to curb the trade, which they "
    "blame for rising crime in their neighbourhoods and for the deaths of young people.",
]
SAME_TOPIC = (
    "Libyan and Egyptian officials met in Cairo on Sunday to discuss drug trafficking across their shared border. "
    "The delegations agreed to exchange information on smuggling networks and to hold joint training sessions for "
    "border guards. Officials said narcotics seizures had doubled this year, and that psychotropic pills were the "
    "main concern. The talks follow a series of meetings on organised crime held by the Arab League in recent months.")


def _corpus() -> pd.DataFrame:
    original = "\n\n".join(WIRE)
    extended = "\n\n".join(WIRE[:2] + EXTRA[:1] + WIRE[2:] + EXTRA[1:])
    trimmed = "\n\n".join(WIRE[:2])
    return pd.DataFrame({
        "doc_id": ["wire", "longer", "shorter", "other"],
        "text": [original, extended, trimmed, SAME_TOPIC],
        "title": ["MoU signed"] * 3 + ["Border talks"],
        "source": ["wire.example", "paper.example", "site.example", "paper.example"],
        "date": pd.to_datetime(["2025-03-02", "2025-03-01", None, "2025-03-01"], utc=True),
        "n_chars": [1, 2, 3, 4]})


def test_republished_with_extra_paragraphs_or_trimmed_is_one_story_another_story_is_not():
    corpus = _corpus()
    sets = {d: shingles(t) for d, t in zip(corpus["doc_id"], corpus["text"])}
    # what Jaccard of the whole texts would have decided: both copies split from the wire story
    assert jaccard(sets["wire"], sets["longer"]) < 0.75 and jaccard(sets["wire"], sets["shorter"]) < 0.5
    # 5-grams across a paragraph where one was inserted are lost: nearly all, not all, of the wire is shared
    assert overlap(sets["wire"], sets["longer"]) > 0.95 and overlap(sets["wire"], sets["shorter"]) == 1.0
    assert overlap(sets["other"], sets["wire"]) < 0.1
    assert assign_story_ids(corpus).tolist() == ["longer", "longer", "longer", "other"]
    assert assign_story_ids(corpus, threshold=0.9, containment_threshold=0.9).tolist() == [
        "longer", "longer", "longer", "other"]
    # containment alone joins them: with the Jaccard rule out of reach, nothing changes
    assert assign_story_ids(corpus, threshold=1.01).tolist() == ["longer", "longer", "longer", "other"]
    assert assign_story_ids(corpus, threshold=1.01, containment_threshold=1.01).tolist() == [
        "wire", "longer", "shorter", "other"]


def test_a_shared_boilerplate_footer_does_not_make_two_releases_one_story():
    footer = " ".join(EXTRA)
    first = ("The senator announced new federal funding for rural health clinics in three northern counties, money "
             "that must be spent by the end of next year. Clinic directors said the grants would pay for nurses, "
             "mobile testing units and longer opening hours, and that patients had waited for this kind of help "
             "since the hospital in the county seat closed. ") + footer
    second = ("The senator criticised the long delay of a repair to the river bridge on the state highway, calling "
              "on the transport department to publish a timetable this month. Commuters have driven an extra forty "
              "minutes each way since engineers found cracks in two of its piers last spring, and shops near the "
              "crossing report falling trade. ") + footer
    frame = pd.DataFrame({"doc_id": ["a", "b"], "text": [first, second]})
    sets = [shingles(t) for t in frame["text"]]
    assert 0.5 < overlap(*sets) < 0.8 and jaccard(*sets) < 0.5
    assert assign_story_ids(frame).tolist() == ["a", "b"]


def test_a_headline_inside_an_article_is_not_its_copy():
    article = "\n\n".join(WIRE)
    headline = "Libya and the United States have signed a memorandum"  # 5 shingles, all in the article
    frame = pd.DataFrame({"doc_id": ["a", "h"], "text": [article, headline]})
    assert assign_story_ids(frame).tolist() == ["a", "h"]


def test_story_clusters_name_the_earliest_article_and_the_outlets():
    corpus = _corpus()
    corpus["story_id"] = assign_story_ids(corpus)
    table = story_clusters(corpus)
    assert table["doc_id"].tolist()[:1] == ["longer"] and set(table["doc_id"]) == {"wire", "longer", "shorter"}
    assert set(table["earliest"]) == {"longer"}
    assert set(table["outlets"]) == {"paper.example; wire.example; site.example"}
    assert table["n_sources"].tolist() == [3, 3, 3]
    assert (table["similarity"] > 0.95).all()
    empty = story_clusters(corpus.assign(story_id=corpus["doc_id"]))
    assert list(empty.columns) == list(table.columns) and empty.empty


def test_a_long_text_is_hashed_in_chunks_to_the_signature_of_one_batch(monkeypatch):
    from datasketch import MinHash
    import zlib

    from helpers.load import duplicates

    words = [f"w{i}" for i in range(3000)]
    monkeypatch.setattr(duplicates, "HASH_CHUNK", 500)  # this text's 2,996 shingles in 6 chunks
    chunked = duplicates.signatures([" ".join(words)])[0]
    whole = MinHash(num_perm=duplicates.NUM_PERM, seed=1, hashfunc=zlib.crc32)
    whole.update_batch([s.encode("utf-8") for s in duplicates.shingles(" ".join(words))])
    assert (chunked == whole.hashvalues).all()
