"""Types and one name per entity: rule labels from the gazetteer in ``helpers/data/`` (places, group words, given
names, aliases), the ``canonical`` name of each mention, and the entity counts that merge spellings.
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd

from helpers.stats.name_lists import _ACRONYM, _DOTTED
from helpers.settings import PACKAGE_DATA_DIR

COUNT_COLUMNS = ["entity", "label", "frequency", "docfreq", "variants"]
DATA_DIR = PACKAGE_DATA_DIR


@functools.cache
def _gazetteer() -> tuple[frozenset, frozenset, frozenset, dict]:
    """Places, group words, given names and aliases (``helpers/data/``): see :func:`_resolve`."""
    from helpers.text.sentences import read_word_list

    places = frozenset(read_word_list(DATA_DIR / "places.txt"))
    groups = frozenset(read_word_list(DATA_DIR / "groups.txt"))
    given = frozenset(read_word_list(DATA_DIR / "given_names.txt"))
    aliases = {}
    for line in read_word_list(DATA_DIR / "entity_aliases.txt"):
        names = [name.strip() for name in line.split("|") if name.strip()]
        aliases.update({name: names[0] for name in names})
    return places, groups, given, aliases


_DEMONYM_ENDINGS = ("ian", "ese", "ish", "an", "n", "i")


@functools.lru_cache(maxsize=1 << 16)  # asked once per mention; a corpus repeats its names
def _is_group(name: str, places: frozenset, groups: frozenset) -> bool:
    """A nationality or group word (``Libyan``, ``Iraqis``, ``Sunni``): listed, or a place plus a demonym ending."""
    for word in {name, name[:-1]} if name.endswith("s") else {name}:
        if word in groups:
            return True
        for ending in _DEMONYM_ENDINGS:
            stem = word[:-len(ending)]
            if word.endswith(ending) and len(stem) >= 3 and (stem in places or stem + "a" in places):
                return True
    return False


def _defines(name: str, acronym: str, gap: int) -> bool:
    """Whether ``acronym`` right after ``name`` (``gap`` characters apart, as in " (") is its short form: its letters
    are the initials of the name's last capitalised words ("U.S. Drug Enforcement Administration" -> DEA).

    >>> _defines("U.S. Drug Enforcement Administration", "DEA", 2), _defines("Arab League", "DEA", 2)
    (True, False)
    """
    if not 0 < gap <= 2:  # tested first: most neighbouring mentions are further apart
        return False
    letters = acronym.replace(".", "").removesuffix("s")
    if not (len(letters) >= 2 and _ACRONYM.match(acronym) and letters.isupper()):
        return False
    initials = "".join(w[0] for w in name.split() if w[:1].isupper() and not _DOTTED.match(w.rstrip(".")))
    return len(initials) > 1 and initials.upper().endswith(letters)


def _defining_rows(names: list[str], doc_ids: list, starts: list[int], ends: list[int]) -> set[int]:
    """The rows whose mention is an acronym the mention before it defines (see :func:`_defines`): only neighbours
    in one article at most two characters apart are asked (asking each of a corpus's rows took a fifth of
    :func:`_resolve`).

    >>> sorted(_defining_rows(["Drug Enforcement Administration", "DEA", "DEA"], ["a", "a", "b"], [0, 33, 0],
    ...                       [31, 36, 3]))
    [1]
    """
    gaps = np.asarray(starts[1:], dtype=np.int64) - np.asarray(ends[:-1], dtype=np.int64)
    same = np.asarray(doc_ids[1:], dtype=object) == np.asarray(doc_ids[:-1], dtype=object)
    near = np.flatnonzero(same & (gaps > 0) & (gaps <= 2)) + 1
    return {i for i in near.tolist() if _defines(names[i - 1], names[i], starts[i] - ends[i - 1])}


def _acronyms_defined(names: list[str], canonical: list[str], defining: set[int]) -> dict[str, str]:
    """Acronyms the corpus defines (``defining``: see :func:`_defining_rows`) as one name only, with that name: an
    article that uses FEMA without spelling it out means the agency the other articles spell out.

    >>> names = ["Federal Emergency Management Agency", "FEMA", "Iowa", "FEMA"]
    >>> _acronyms_defined(names, names, _defining_rows(names, ["a", "a", "b", "b"], [0, 37, 0, 9], [35, 41, 4, 13]))
    {'FEMA': 'Federal Emergency Management Agency'}
    """
    found: dict[str, set[str]] = {}
    for i in sorted(defining):
        found.setdefault(names[i], set()).add(canonical[i - 1])
    return {short: next(iter(full)) for short, full in found.items() if len(full) == 1}


def _resolve(frame: pd.DataFrame) -> pd.DataFrame:
    """Types and one name per entity for rule-labelled mentions, article by article, in reading order.

    - ``canonical``: the name the entity goes by. Spellings listed in ``helpers/data/entity_aliases.txt`` take the
      list's first name (U.S., US -> United States); an acronym defined right after a name ("Drug Enforcement
      Administration (DEA)") takes that name's for the rest of the article, and in articles that do not define it
      when the corpus defines it as that one name only; a surname, or initials and surname,
      after a full name in the same article takes that name ("Ambassador Abdel-Mutalib Thabet" ... "Thabet");
      else the mention itself.
    - ``label`` (when ``ne_chunk`` did not give one): PERSON after a person title, for a full name starting with a
      common given name (``helpers/data/given_names.txt``) and for a surname of such a person; ORGANIZATION with
      an organisation head or for an acronym; PLACE for a name in ``helpers/data/places.txt`` or with a place head;
      GROUP for nationality, religious and political group words (``Libyan``, ``Americans``, ``Sunni``: OntoNotes
      calls them NORP); NAME for the rest.
    """
    places, groups, given, aliases = _gazetteer()
    entities = frame["entity"].tolist()
    # a name recurs across a corpus: each spelling is normalised and split once
    spelling = {entity: " ".join(entity.split()) for entity in set(entities)}
    names = [spelling[entity] for entity in entities]
    split = {name: name.split() for name in spelling.values()}
    labels, sources, doc_ids = frame["label"].tolist(), frame["label_source"].tolist(), frame["doc_id"].tolist()
    canonical = [aliases.get(name, name) for name in names]
    starts, ends = frame["start"].tolist(), frame["end"].tolist()
    defining = _defining_rows(names, doc_ids, starts, ends)
    spelled_out = _acronyms_defined(names, canonical, defining)
    full_names: dict[str, int] = {}  # last word -> row of the latest full name with it, in the current article
    defined: dict[str, int] = {}  # acronym -> row of the name it was defined after ("... Administration (DEA)")
    for i, name in enumerate(names):
        if i and doc_ids[i] != doc_ids[i - 1]:
            full_names, defined = {}, {}
        words = split[name]
        ruled = sources[i] == "rule"
        if i in defining:
            defined[name] = i - 1
        if name in defined:
            canonical[i] = canonical[defined[name]]
            labels[i] = labels[defined[name]] if ruled and sources[defined[name]] == "rule" else labels[i]
            continue
        if name in spelled_out:  # defined in other articles, always as the same name
            canonical[i] = spelled_out[name]
        if ruled and labels[i] == "NAME":
            if canonical[i] in places or name in places:
                labels[i] = "PLACE"
            elif _is_group(name, places, groups):
                labels[i] = "GROUP"
            elif len(words) >= 2 and words[0] in given:
                labels[i] = "PERSON"
            elif len(words) == 1 and _ACRONYM.match(name):
                labels[i] = "ORGANIZATION"
        if labels[i] not in ("PERSON", "NAME") or canonical[i] != name:
            continue
        earlier = full_names.get(words[-1])
        if earlier is not None and len(words) <= len(split[names[earlier]]) and name != names[earlier] and \
                all(_DOTTED.match(w.rstrip(".")) or len(w.rstrip(".")) == 1 or w in split[names[earlier]]
                    for w in words[:-1]):
            canonical[i] = canonical[earlier]
            if ruled and labels[earlier] == "PERSON":
                labels[i] = "PERSON"
        elif len(words) >= 2 and words[-1][:1].isupper():
            full_names[words[-1]] = i
    return frame.assign(label=labels, canonical=canonical)


def entity_counts(mentions: pd.DataFrame) -> pd.DataFrame:
    """How often each entity is mentioned (``frequency``) and in how many articles (``docfreq``): one row per
    entity, its spellings merged (by the mentions' ``canonical`` name when they have one, see :func:`entities`).

    Columns: ``entity, label, frequency, docfreq, variants``, most frequent first; ``label`` is the entity's most
    frequent type (a typed one before NAME); ``variants`` its spellings met, most frequent first, joined by "; ".

    >>> m = pd.DataFrame({"doc_id": ["a", "a", "b"], "entity": ["United States", "U.S.", "US"],
    ...                   "canonical": "United States", "label": "PLACE"})
    >>> entity_counts(m).values.tolist()
    [['United States', 'PLACE', 3, 2, 'U.S.; US; United States']]
    """
    missing = {"doc_id", "entity", "label"} - set(mentions.columns)
    if missing:
        raise ValueError(f"entity_counts needs entity mentions (helpers.entities); missing columns {sorted(missing)}")
    if len(mentions) == 0:
        return pd.DataFrame({"entity": pd.Series(dtype="str"), "label": pd.Series(dtype="str"),
                             "frequency": pd.Series(dtype="int64"), "docfreq": pd.Series(dtype="int64"),
                             "variants": pd.Series(dtype="str")})
    table = pd.DataFrame({"doc_id": mentions["doc_id"].astype(str).to_numpy(),
                          "name": mentions["entity"].astype(str).to_numpy(),
                          "entity": (mentions["canonical"] if "canonical" in mentions.columns
                                     else mentions["entity"]).astype(str).to_numpy(),
                          "label": mentions["label"].astype(str).to_numpy()})
    grouped = table.groupby("entity", sort=False)
    labels = table.assign(untyped=table["label"] == "NAME").groupby(["entity", "label"], sort=False).agg(
        n=("doc_id", "size"), untyped=("untyped", "first")).reset_index()
    labels = labels.sort_values(["entity", "untyped", "n", "label"], ascending=[True, True, False, True])
    spellings = table.groupby(["entity", "name"], sort=False).size().rename("n").reset_index()
    spellings = spellings.sort_values(["entity", "n", "name"], ascending=[True, False, True])
    counts = pd.DataFrame({
        "label": labels.drop_duplicates("entity").set_index("entity")["label"],
        "frequency": grouped.size(), "docfreq": grouped["doc_id"].nunique(),
        "variants": spellings.groupby("entity", sort=False)["name"].agg("; ".join)}).rename_axis("entity")
    counts = counts.reset_index()[COUNT_COLUMNS].astype({"frequency": "int64", "docfreq": "int64"})
    return counts.sort_values(["frequency", "docfreq", "entity"], ascending=[False, False, True]).reset_index(drop=True)
