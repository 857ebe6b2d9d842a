"""Syndicated copies: near-duplicate articles clustered into stories with MinHash over word shingles."""

from __future__ import annotations

import re
import zlib

import pandas as pd
from datasketch import MinHash, MinHashLSH

WORD = re.compile(r"\w+")
SHINGLE_WORDS = 5
NUM_PERM = 128
MIN_SHINGLES = 3


def shingles(text: str, *, size: int = SHINGLE_WORDS) -> set[str]:
    """Lower-cased word ``size``-grams of ``text``; the basis of near-duplicate detection.

    >>> sorted(shingles("The MoU was signed in Cairo", size=5))
    ['mou was signed in cairo', 'the mou was signed in']
    """
    words = WORD.findall(str(text).lower())
    return {" ".join(words[i:i + size]) for i in range(max(len(words) - size + 1, 0))}


def jaccard(a: set, b: set) -> float:
    """|a ∩ b| / |a ∪ b| (0 for two empty sets).

    >>> jaccard({"a", "b"}, {"b", "c"})
    0.3333333333333333
    """
    union = len(a | b)
    return len(a & b) / union if union else 0.0


def _clusters(doc_ids: list[str], texts: list[str], threshold: float) -> tuple[dict[str, str], dict[str, set]]:
    sets = {d: shingles(t) for d, t in zip(doc_ids, texts)}
    usable = [d for d in doc_ids if len(sets[d]) >= MIN_SHINGLES]
    hashes = MinHash.bulk([[s.encode("utf-8") for s in sets[d]] for d in usable], num_perm=NUM_PERM, seed=1,
                          hashfunc=zlib.crc32)  # deterministic like sha1, several times faster in Python
    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    parent = {d: d for d in doc_ids}

    def root(d):
        while parent[d] != d:
            parent[d] = parent[parent[d]]
            d = parent[d]
        return d

    for doc_id, minhash in zip(usable, hashes):
        for other in lsh.query(minhash):
            # LSH only proposes candidates; the exact Jaccard decides, so no false positives slip in.
            if jaccard(sets[doc_id], sets[other]) >= threshold:
                a, b = root(doc_id), root(other)
                parent[max(a, b)] = min(a, b)
        lsh.insert(doc_id, minhash)
    members: dict[str, list[str]] = {}
    for d in doc_ids:
        members.setdefault(root(d), []).append(d)
    story = {d: min(group) for group in members.values() for d in group}
    return story, sets


def assign_story_ids(articles: pd.DataFrame, *, threshold: float = 0.5) -> pd.Series:
    """``story_id`` per article: articles whose word 5-gram Jaccard similarity reaches ``threshold`` (directly or
    through a chain of such pairs) share one story; the id is the smallest ``doc_id`` in the story, so it is stable
    across runs. An article with no near-duplicate is its own story (``story_id == doc_id``).

    MinHash locality-sensitive hashing (Broder 1997, "On the resemblance and containment of documents") proposes
    candidate pairs; each is confirmed with the exact Jaccard similarity.

    >>> wire = "Libya and the United States signed a memorandum against drug trafficking in Cairo on Thursday."
    >>> frame = pd.DataFrame({"doc_id": ["b", "a", "c"],
    ...     "text": [wire, wire.replace("Thursday", "Thursday, officials said"), "A different story entirely."]})
    >>> assign_story_ids(frame).tolist()
    ['a', 'a', 'c']
    """
    if articles.empty:
        return pd.Series([], index=articles.index, dtype="str", name="story_id")
    doc_ids = articles["doc_id"].astype(str).tolist()
    story, _ = _clusters(doc_ids, articles["text"].astype(str).tolist(), threshold)
    return pd.Series([story[d] for d in doc_ids], index=articles.index, dtype="str", name="story_id")


def story_clusters(articles: pd.DataFrame) -> pd.DataFrame:
    """The stories with more than one article: one row per article in them.

    Columns: ``story_id``, ``doc_id``, ``title``, ``source``, ``date``, ``n_chars``, ``similarity`` (word 5-gram
    Jaccard with the story's first article, the one whose ``doc_id`` is the ``story_id``), ``n_articles`` and
    ``n_sources`` (of the story). Sorted by story size, then story, then similarity.

    >>> wire = "Libya and the United States signed a memorandum against drug trafficking in Cairo on Thursday."
    >>> frame = pd.DataFrame({"doc_id": ["a", "b"], "story_id": ["a", "a"], "text": [wire, wire + " More."],
    ...     "title": ["MoU", "MoU signed"], "source": ["x.com", "y.com"], "date": pd.NaT, "n_chars": [94, 100]})
    >>> story_clusters(frame)[["story_id", "doc_id", "similarity", "n_sources"]]
      story_id doc_id  similarity  n_sources
    0        a      a    1.000000          2
    1        a      b    0.916667          2
    """
    columns = ["story_id", "doc_id", "title", "source", "date", "n_chars", "similarity", "n_articles", "n_sources"]
    if "story_id" not in articles or articles.empty:
        return pd.DataFrame(columns=columns)
    sizes = articles.groupby("story_id")["doc_id"].transform("size")
    shared = articles.loc[sizes > 1].copy()
    if shared.empty:
        return pd.DataFrame(columns=columns)
    sets = {d: shingles(t) for d, t in zip(shared["doc_id"], shared["text"])}
    first = shared.set_index("doc_id")
    shared["similarity"] = [jaccard(sets[d], sets[s]) if s in first.index else float("nan")
                            for d, s in zip(shared["doc_id"], shared["story_id"])]
    grouped = shared.groupby("story_id")
    shared["n_articles"] = grouped["doc_id"].transform("size")
    shared["n_sources"] = grouped["source"].transform("nunique")
    shared = shared.sort_values(["n_articles", "story_id", "similarity", "doc_id"], ascending=[False, True, False, True])
    return shared[columns].reset_index(drop=True)


def one_per_story(articles: pd.DataFrame, *, per_outlet: bool = False) -> pd.DataFrame:
    """Keep one article per story (or per story and outlet, ``per_outlet=True``): the earliest, then smallest id.

    Count syndicated wire copies once (``per_outlet=False``) or once for each outlet that ran them.

    >>> frame = pd.DataFrame({"doc_id": ["a", "b", "c"], "story_id": ["a", "a", "a"],
    ...     "source": ["x.com", "y.com", "y.com"], "date": pd.to_datetime(["2019-01-02", "2019-01-01", None], utc=True)})
    >>> one_per_story(frame)["doc_id"].tolist(), one_per_story(frame, per_outlet=True)["doc_id"].tolist()
    (['b'], ['a', 'b'])
    """
    keys = ["story_id", "source"] if per_outlet else ["story_id"]
    order = articles.sort_values(["date", "doc_id"], na_position="last")
    kept = order.drop_duplicates(keys, keep="first").index
    return articles.loc[articles.index.isin(kept)]
