"""Syndicated copies: near-duplicate articles clustered into stories with MinHash over word shingles.

Two articles are one story when most of the shorter one's word 5-grams are in the other (containment, Broder 1997),
or when the two share half of all their 5-grams (Jaccard): a wire story republished with extra paragraphs, or
trimmed, stays one story, where the Jaccard similarity of the two whole texts alone would split it. MinHash LSH
proposes candidate pairs (tuned to a Jaccard low enough to catch a trimmed copy), and each candidate is verified
exactly. Containment asks for more (80 %) than Jaccard: press releases of one office share a boilerplate footer
that can make up half of a short release."""

from __future__ import annotations

import hashlib
import re
import zlib

import numpy as np
import pandas as pd

from helpers.load.story_cache import StoryCache
from helpers.settings import cache_dir

WORD = re.compile(r"\w+")
SHINGLE_WORDS = 5
NUM_PERM = 128
MIN_SHINGLES = 3
# Below this many shingles the shorter text is too short for containment to mean a shared story (a headline is
# contained in its article): such a pair needs its Jaccard similarity to reach the threshold.
MIN_CONTAINED = 8
# LSH candidates: pairs whose estimated Jaccard is about this or more. A copy holding a third of the other text,
# all of it shared, has a Jaccard of 0.33; then the exact containment decides.
CANDIDATE_JACCARD = 0.2


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


def containment(a: set, b: set) -> float:
    """|a ∩ b| / min(|a|, |b|): the share of the smaller set found in the other (0 when one is empty).

    >>> containment({"a", "b"}, {"a", "b", "c", "d"})
    1.0
    """
    smaller = min(len(a), len(b))
    return len(a & b) / smaller if smaller else 0.0


def overlap(a: set, b: set) -> float:
    """The overlap story_clusters reports: :func:`containment` when the smaller set has at least
    ``MIN_CONTAINED`` shingles, else :func:`jaccard`.

    >>> overlap(set("abcdefgh"), set("abcdefghijklmnop")), overlap({"a"}, {"a", "b", "c"})
    (1.0, 0.3333333333333333)
    """
    return containment(a, b) if min(len(a), len(b)) >= MIN_CONTAINED else jaccard(a, b)


def same_story(a: set, b: set, *, threshold: float = 0.5, containment_threshold: float = 0.8) -> bool:
    """Whether two shingle sets are one story: Jaccard >= ``threshold``, or (the smaller set holding at least
    ``MIN_CONTAINED`` shingles) containment >= ``containment_threshold``.

    >>> same_story(set("abcdefgh"), set("abcdefghijklmnopqrstuvwxyz")), same_story({"a"}, {"a", "b", "c"})
    (True, False)
    """
    if jaccard(a, b) >= threshold:
        return True
    return min(len(a), len(b)) >= MIN_CONTAINED and containment(a, b) >= containment_threshold


def text_key(text: str) -> str:
    """The key of a text in the signature cache: SHA-1 of its UTF-8 bytes.

    >>> text_key("abc")[:12]
    'a9993e364706'
    """
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def signatures(texts: list[str]) -> list[np.ndarray | None]:
    """The MinHash signature (``NUM_PERM`` uint64 values) of each text's word 5-gram set; ``None`` for a text with
    fewer than ``MIN_SHINGLES`` shingles, which takes part in no story.

    >>> sig = signatures(["one two three four five six seven eight", "too short"])
    >>> sig[0].shape, sig[1]
    ((128,), None)
    """
    return _signatures_of([shingles(t) for t in texts])


HASH_CHUNK = 20_000  # shingles hashed at once: datasketch holds a NUM_PERM × chunk array (20 MB here, not GBs)


def _signatures_of(sets: list[set]) -> list[np.ndarray | None]:
    # datasketch (with scipy) is imported here, not at the top: a notebook that reads its articles from the load
    # cache never hashes a text, and importing it cost every notebook's kernel about 0.35 s at start and at exit
    from datasketch import MinHash

    usable = [i for i, s in enumerate(sets) if len(s) >= MIN_SHINGLES]
    small = [i for i in usable if len(sets[i]) <= HASH_CHUNK]
    # zlib.crc32: deterministic like sha1, several times faster in Python
    hashes = MinHash.bulk([[s.encode("utf-8") for s in sets[i]] for i in small], num_perm=NUM_PERM, seed=1,
                          hashfunc=zlib.crc32)
    found: list[np.ndarray | None] = [None] * len(sets)
    for i, minhash in zip(small, hashes):
        found[i] = np.asarray(minhash.hashvalues, dtype=np.uint64)
    for i in sorted(set(usable) - set(small)):  # a long text: its shingles in chunks, the same minimum
        minhash, items = MinHash(num_perm=NUM_PERM, seed=1, hashfunc=zlib.crc32), sorted(sets[i])
        for start in range(0, len(items), HASH_CHUNK):
            minhash.update_batch([s.encode("utf-8") for s in items[start:start + HASH_CHUNK]])
        found[i] = np.asarray(minhash.hashvalues, dtype=np.uint64)
    return found


def _band_buckets(matrix: np.ndarray, start: int, end: int) -> list[np.ndarray]:
    """Rows of ``matrix`` whose values in columns ``start:end`` are all equal (one LSH band), groups of 2 or more."""
    band = np.ascontiguousarray(matrix[:, start:end])
    keys = band.view(np.dtype((np.void, band.dtype.itemsize * (end - start)))).ravel()
    _, inverse, counts = np.unique(keys, return_inverse=True, return_counts=True)
    shared = np.flatnonzero(counts[inverse] > 1)
    if not len(shared):
        return []
    order = shared[np.argsort(inverse[shared], kind="stable")]
    edges = np.flatnonzero(np.diff(inverse[order])) + 1
    return np.split(order, edges)


def _clusters(doc_ids: list[str], texts: list[str], threshold: float, cache=None, *,
              containment_threshold: float = 0.8) -> dict[str, str]:
    """Connected components of the graph whose edges are the LSH candidate pairs (two articles whose signatures
    agree on all rows of some band) that are the :func:`same_story`.

    The components depend on the set of articles only, never on their order, so with ``cache`` a previous
    clustering of a subset of these articles is reused: its components stand, and only candidate pairs involving
    the articles it did not hold are checked.
    """
    keys = [text_key(t) for t in texts]
    known = cache.signatures(keys) if cache is not None else {}
    todo = [i for i, k in enumerate(keys) if k not in known]
    sets: dict[int, set] = {i: shingles(texts[i]) for i in todo}
    computed = _signatures_of([sets[i] for i in todo])
    fresh = {keys[i]: sig for i, sig in zip(todo, computed)}
    if cache is not None and fresh:
        cache.add_signatures(fresh)
    known = {**known, **fresh}
    sigs = [known[k] for k in keys]
    usable = np.array([i for i, sig in enumerate(sigs) if sig is not None], dtype=np.int64)

    n = len(doc_ids)
    parent = list(range(n))

    def root(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    entries = [f"{d}\t{k}" for d, k in zip(doc_ids, keys)]
    setting = threshold if containment_threshold == 0.8 else f"j{threshold}c{containment_threshold}"
    previous = cache.previous(entries, setting) if cache is not None else None
    is_new = np.ones(n, dtype=bool)
    if previous:
        position = {e: i for i, e in enumerate(entries)}
        first_of: dict[str, int] = {}
        for entry, label in previous.items():
            i = position[entry]
            is_new[i] = False
            j = first_of.setdefault(label, i)
            a, b = root(i), root(j)
            if a != b:
                parent[max(a, b)] = min(a, b)

    def shingle_set(i):
        if i not in sets:
            sets[i] = shingles(texts[i])
        return sets[i]

    checked: set[tuple[int, int]] = set()
    if len(usable) > 1 and is_new[usable].any():
        from datasketch import MinHashLSH  # see _signatures_of

        matrix = np.vstack([sigs[i] for i in usable])
        for start, end in MinHashLSH(threshold=min(threshold, CANDIDATE_JACCARD), num_perm=NUM_PERM).hashranges:
            for bucket in _band_buckets(matrix, start, end):
                members = usable[bucket]
                if not is_new[members].any() or len({root(int(m)) for m in members}) == 1:
                    continue
                for x, a in enumerate(members):
                    for b in members[x + 1:]:
                        if not (is_new[a] or is_new[b]):
                            continue
                        ra, rb = root(a), root(b)
                        pair = (int(min(a, b)), int(max(a, b)))
                        # An edge inside one component changes nothing, so its overlap is never needed.
                        if ra == rb or pair in checked:
                            continue
                        checked.add(pair)
                        # LSH only proposes candidates; the exact overlap decides, so no false positives slip in.
                        if same_story(shingle_set(a), shingle_set(b), threshold=threshold,
                                      containment_threshold=containment_threshold):
                            parent[max(ra, rb)] = min(ra, rb)
    members_of: dict[int, list[int]] = {}
    for i in range(n):
        members_of.setdefault(root(i), []).append(i)
    story: dict[str, str] = {}
    for group in members_of.values():
        smallest = min(doc_ids[i] for i in group)
        story.update({doc_ids[i]: smallest for i in group})
    if cache is not None:
        cache.remember(entries, [story[d] for d in doc_ids], setting)
    return story


def assign_story_ids(articles: pd.DataFrame, *, threshold: float = 0.5, containment_threshold: float = 0.8,
                     cache=None) -> pd.Series:
    """``story_id`` per article: articles that are the :func:`same_story` (directly or through a chain of such
    pairs) share one story: word 5-gram Jaccard >= ``threshold``, or containment (the share of the shorter text's
    5-grams found in the longer one) >= ``containment_threshold``, so a copy with paragraphs added or cut is still
    the same story. The id is the smallest ``doc_id`` in the story, so it is stable across runs. An article with no
    near-duplicate is its own story (``story_id == doc_id``).

    MinHash locality-sensitive hashing (Broder 1997, "On the resemblance and containment of documents") proposes
    candidate pairs; each is confirmed with the exact overlap.

    ``cache`` (e.g. :class:`helpers.load.story_cache.StoryCache`) keeps each text's signature and the last clusterings:
    an object with ``signatures(keys) -> {key: signature}``, ``add_signatures({key: signature})``,
    ``previous(entries, threshold) -> {entry: story} | None`` (a stored clustering of a subset of ``entries``)
    and ``remember(entries, stories, threshold)``. The result is the same with or without it.

    >>> wire = "Libya and the United States signed a memorandum against drug trafficking in Cairo on Thursday."
    >>> frame = pd.DataFrame({"doc_id": ["b", "a", "c"],
    ...     "text": [wire, wire.replace("Thursday", "Thursday, officials said"), "A different story entirely."]})
    >>> assign_story_ids(frame).tolist()
    ['a', 'a', 'c']
    """
    if articles.empty:
        return pd.Series([], index=articles.index, dtype="str", name="story_id")
    doc_ids = articles["doc_id"].astype(str).tolist()
    story = _clusters(doc_ids, articles["text"].astype(str).tolist(), threshold, cache,
                      containment_threshold=containment_threshold)
    return pd.Series([story[d] for d in doc_ids], index=articles.index, dtype="str", name="story_id")


CLUSTER_DTYPES = {"story_id": "str", "doc_id": "str", "title": "str", "source": "str", "date": "datetime64[us, UTC]",
                  "n_chars": "int64", "similarity": "float64", "n_articles": "int64", "n_sources": "int64",
                  "earliest": "str", "outlets": "str"}


def story_clusters(articles: pd.DataFrame, *, cache=None) -> pd.DataFrame:
    """The stories with more than one article: one row per article in them.

    Columns: ``story_id``, ``doc_id``, ``title``, ``source``, ``date``, ``n_chars``, ``similarity`` (word 5-gram
    overlap, see :func:`assign_story_ids`, with the story's first article, the one whose ``doc_id`` is the
    ``story_id``), ``n_articles`` and ``n_sources`` of the story, its ``earliest`` article (the first dated, then
    the smallest ``doc_id``) and the ``outlets`` that carried it (``; ``-joined, in order of first publication).
    Sorted by story size, then story, then similarity. ``cache`` (``True`` for
    the kit's cache folder, a folder, or a :class:`helpers.load.story_cache.StoryCache`) keeps each pair's similarity, keyed
    by the two texts, so a rerun compares only new pairs; the table is the same either way.

    >>> wire = "Libya and the United States signed a memorandum against drug trafficking in Cairo on Thursday."
    >>> frame = pd.DataFrame({"doc_id": ["a", "b"], "story_id": ["a", "a"], "text": [wire, wire + " More."],
    ...     "title": ["MoU", "MoU signed"], "source": ["x.com", "y.com"], "date": pd.NaT, "n_chars": [94, 100]})
    >>> story_clusters(frame)[["story_id", "doc_id", "similarity", "n_sources", "outlets"]]
      story_id doc_id  similarity  n_sources        outlets
    0        a      a         1.0          2  x.com; y.com
    1        a      b         1.0          2  x.com; y.com
    """
    if "story_id" not in articles or articles.empty:
        return _no_clusters()
    sizes = articles.groupby("story_id")["doc_id"].transform("size")
    shared = articles.loc[sizes > 1].copy()
    if shared.empty:
        return _no_clusters()
    shared["similarity"] = _similarities(shared, cache)
    grouped = shared.groupby("story_id")
    shared["n_articles"] = grouped["doc_id"].transform("size")
    shared["n_sources"] = grouped["source"].transform("nunique")
    by_date = shared.sort_values(["date", "doc_id"], na_position="last")
    first = by_date.groupby("story_id", sort=False)
    shared["earliest"] = shared["story_id"].map(first["doc_id"].first())
    outlets = first["source"].agg(lambda s: "; ".join(dict.fromkeys(str(v) for v in s.dropna() if str(v))))
    shared["outlets"] = shared["story_id"].map(outlets)
    shared = shared.sort_values(["n_articles", "story_id", "similarity", "doc_id"], ascending=[False, True, False, True])
    return shared[list(CLUSTER_DTYPES)].reset_index(drop=True)


def _no_clusters() -> pd.DataFrame:
    return pd.DataFrame({name: pd.Series(dtype=dtype) for name, dtype in CLUSTER_DTYPES.items()})


def _similarities(shared: pd.DataFrame, cache) -> list[float]:
    """Overlap of each article with its story's first article (NaN when that article is not in the frame)."""
    texts = dict(zip(shared["doc_id"], shared["text"]))
    pairs = list(zip(shared["doc_id"], shared["story_id"]))
    if cache is None:
        sets = {d: shingles(t) for d, t in texts.items()}
        return [overlap(sets[d], sets[s]) if s in texts else float("nan") for d, s in pairs]
    if not hasattr(cache, "similarities"):
        cache = StoryCache(cache_dir() / "stories" if cache is True else cache, assign_story_ids)
    keys = [text_key(texts[d]) + text_key(texts[s]) if s in texts else None for d, s in pairs]
    known = cache.similarities([k for k in keys if k])
    sets: dict[str, set] = {}
    fresh = {}
    for (d, s), key in zip(pairs, keys):
        if key and key not in known and key not in fresh:
            for doc in (d, s):
                if doc not in sets:
                    sets[doc] = shingles(texts[doc])
            fresh[key] = overlap(sets[d], sets[s])
    cache.add_similarities(fresh)
    known.update(fresh)
    return [known[k] if k else float("nan") for k in keys]


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
