"""Word lists and patterns the entity rules share: person titles, organisation and place heads, calendar words, name
particles, acronyms (see :mod:`helpers.stats.names` for how they are used).
"""

from __future__ import annotations

import functools
import re


PERSON_TITLES = frozenset("""
mr mrs ms miss dr prof professor sir dame lord lady king queen prince princess pope sheikh emir sultan
president presidents vice prime minister ministers secretary chancellor premier governor mayor senator senators
representative representatives congressman congresswoman ambassador envoy judge justice chief commissioner
general gen major maj colonel col captain capt lieutenant lt sergeant sgt admiral commander marshal brigadier
officer inspector director head chairman chairwoman chair spokesman spokeswoman spokesperson leader speaker
deputy acting former late reverend rev father bishop archbishop cardinal saint imam rabbi coach agent
""".split())
ORG_HEADS = frozenset("""
directorate ministry department agency administration organization organisation commission committee council
university institute bank court office league union association coalition party center centre service authority
bureau foundation federation corporation company board assembly parliament senate house congress force forces army
navy police museum school college hospital society fund programme program embassy consulate team club group
network channel tv radio times post news journal airlines airline conference summit forum alliance front movement
""".split())
PLACE_HEADS = frozenset("""
sea ocean river lake island islands mountain mountains mount valley bay gulf strait peninsula desert airport
station bridge street road avenue route square park palace hall stadium province region county state city district
""".split())
CALENDAR = frozenset("""
monday tuesday wednesday thursday friday saturday sunday january february march april may june july august
september october november december jan feb mar apr jun jul aug sep sept oct nov dec today yesterday tomorrow
""".split())
# Time zones after a clock time ("1700 UTC") are no names (CoNLL marks none).
TIME_ZONES = frozenset("utc gmt cet cest est edt cst cdt mst mdt pst pdt bst ist jst aest".split())
PARTICLES = frozenset("al el bin ibn bint de del della da di du dos das van von der den la le ter".split())
ORG_JOINERS = frozenset({"of", "for", "on"})
OPENERS = frozenset({"“", '"', "‘", "'", "(", "[", "«", "``"})
_ACRONYM = re.compile(r"^(?:[A-Z]\.){1,4}[A-Z]?\.?$|^[A-Z][A-Z0-9&]{1,7}s?$")
_DOTTED = re.compile(r"^[A-Z](?:\.[A-Z])+$")
_PARTICLE_NAME = re.compile(r"^(?:al|el|bin|ibn|de|da|di|van|von|abu|ould)-[A-ZÀ-Þ]")

_PROPER_TAGS = frozenset({"NNP", "NNPS"})
_HEADS = ORG_HEADS | PLACE_HEADS


@functools.lru_cache(maxsize=1 << 18)
def _has_letter(word: str) -> bool:
    return any(ch.isalpha() for ch in word)
