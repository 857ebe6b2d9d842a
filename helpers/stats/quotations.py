"""Quotations and their speakers: who is quoted, with which verb, in whose words.

:func:`quotes` reads every article in three passes, by rules (no model to download):

1. **Direct quotations** are found by their marks (:mod:`helpers.stats.quotation_marks`: straight and typographic,
   over several paragraphs, single marks inside double ones). A quotation split by its attribution ("…," she
   said, "…") is two rows with one speaker.
2. **Attribution** (:mod:`helpers.stats.reporting_verbs`): a reporting verb with a speaker phrase right after the
   closing mark (",” said Rep. Smith." / ",” Smith said.") or right before the opening mark ("Smith told
   reporters: “…”", "According to Smith, “…”"). A quotation without one takes the speaker of the quotation before
   it in its paragraph, or, when it opens its paragraph, of the paragraph before (a speaker quoted at length).
   A quoted fragment inside a sentence ("He said the plan was “a disaster”", "described it as “iconic”") is
   *mixed*, spoken by the speaker of a reporting verb of its sentence; a fragment with none (a scare quote, a
   term, a title) is not a quotation.
3. **Indirect quotations**: a speaker phrase and a reporting verb followed by a clause ("officials said (that)
   …", "X told reporters that …"), a clause closed by an attribution ("…, officials said.") or *according to*.

Speakers are resolved to entities (:mod:`helpers.stats.quote_speakers`). The three passes run once per distinct
unit of paragraphs repeated across articles (:mod:`helpers.stats.quote_units`), the speakers once per article.
"""

from __future__ import annotations

import bisect
import re

import pandas as pd

from helpers.frames import typed_empty
from helpers.stats.quotation_marks import Marked, inner_quotations, marked_quotations, paragraphs
from helpers.stats.indirect_quotes import indirect_quotes
from helpers.stats.quote_speakers import DocumentEntities, resolve_speakers
from helpers.stats.quote_units import Units, mentions_by_doc, sentences_by_doc
from helpers.stats.reporting_verbs import ACCORDING_TO, Span, object_gap, simple_past, speaker_after, speaker_before
from helpers.stats.speech_words import iter_words, words
from helpers.stats.verb_positions import VerbFinder, verb_starts

QUOTE_COLUMNS = ["doc_id", "start", "end", "quote", "kind", "speaker", "speaker_entity", "speaker_label", "verb",
                 "sentence"]
QUOTE_DTYPES = {"doc_id": "str", "start": "int64", "end": "int64", "quote": "str", "kind": "str", "speaker": "str",
                "speaker_entity": "str", "speaker_label": "str", "verb": "str", "sentence": "int64"}
MIN_UNATTRIBUTED_WORDS = 4  # an unattributed quotation shorter than this is a scare quote or a title
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]*\s+(?=[\"“‘(]?[A-Z0-9])")
_AFTER_WORDS = 14  # how far after a closing mark an attribution may sit ("," + speaker + appositive + verb)
# "X released the following statement:" or "X's statement read:" before a quotation
STATEMENT = re.compile(r"\b(released|issued|delivered|made|gave|shared|published|put out|releases|issues)\s+"
                       r"(?:(?:a|an|the|this|his|her|their|following|joint|written|brief|short|new|official)\s+)"
                       r"{0,3}statements?\b|\b(?:statement|letter|message|tweet|post|note)\s+(read|reads)\b")


def _statements(text: str, start: int, end: int) -> list[re.Match]:
    """The STATEMENT phrases of ``text[start:end]``; each holds "statement" or "read", which ``str.find`` looks for
    far faster than the pattern is tried at every character."""
    if text.find("statement", start, end) < 0 and text.find("read", start, end) < 0:
        return []
    return list(STATEMENT.finditer(text, start, end))


def _is_title(text: str) -> bool:
    """A title in quotation marks ("Don't Hug Cacti", "Kimono Obi Tying"): short, every long word capitalised."""
    split = text.split()
    if len(split) > 8:
        return False
    long_words = [w for w in split if len(w) > 3]
    return bool(long_words) and all(w[:1].isupper() for w in long_words)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Sentences by punctuation, for articles the token table does not hold (a fallback)."""
    spans, start = [], 0
    for p_start, p_end in paragraphs(text):
        start = p_start
        for match in _SENTENCE_END.finditer(text, p_start, p_end):
            spans.append((start, match.start()))
            start = match.end()
        spans.append((start, p_end))
    return spans


def _introduced(text: str, paras: list[tuple[int, int]], paragraph: int) -> bool:
    """Whether the paragraph before ``paragraph`` introduces it: it ends with a colon or holds a statement verb."""
    p_start = paras[paragraph][0]
    last = p_start - 1
    while last >= 0 and text[last].isspace():  # text[:p_start].rstrip() without copying the text
        last -= 1
    return (last >= 0 and text[last] == ":") or bool(_statements(text, paras[paragraph - 1][0], p_start))


def _attribution_after(text: str, quote: Marked, limit: int, verbs: VerbFinder) -> tuple[Span, Span] | None:
    """(speaker, verb) just after the closing mark: ',” said X' or ',” X said'."""
    # the last piece is trimmed of whitespace: no copy of it to rstrip
    if text.endswith(".", *quote.pieces[-1]) and not text[quote.closed:quote.closed + 2].lstrip().startswith(","):
        return None
    window = min(limit, quote.closed + 200)
    if not verbs.may_start(quote.closed, window):
        return None  # no verb, no attribution
    before = []  # the words read before the one at hand: most attributions are the first or second
    for word, left, right in iter_words(text, quote.closed, window, first=_AFTER_WORDS):
        if word in (".", ";", "!", "?", '"', "“", "”"):
            return None
        match = verbs.match_at(left)
        if not match:
            before.append(word)
            continue
        verb = Span(match.start(), match.end())
        if match.group().lower() == ACCORDING_TO:
            speaker = speaker_after(text, verb.end, limit)
            return (speaker, verb) if speaker and len(before) <= 1 else None
        if all(w in (",", "—", "–") for w in before):
            speaker = speaker_after(text, verb.end, limit)
            return (speaker, verb) if speaker else None
        speaker = speaker_before(text, verb.start, quote.closed)
        if speaker and all(ch in " ,—–\n\u00a0" for ch in text[quote.closed:speaker.start]):
            return speaker, verb
        return None
    return None


def _attribution_before(text: str, quote: Marked, limit: int, sentence_start: int | None = None, *,
                        verbs: VerbFinder):
    """(speaker, verb, is_mixed, clause_start) from the words before the opening mark, or None; the speaker of a
    verb coordinated with an earlier one may stand before ``limit``, from ``sentence_start`` on."""
    sentence_start = limit if sentence_start is None else sentence_start
    matches = verbs.matches(limit, quote.opened)
    statement = _statements(text, limit, quote.opened)
    if statement and (not matches or statement[-1].start() > matches[-1].start()):
        group = 1 if statement[-1].group(1) else 2
        verb = Span(statement[-1].start(group), statement[-1].end(group))
        speaker = speaker_before(text, verb.start, limit)
        gap = text[statement[-1].end():quote.opened]
        introduces = (gap.rstrip().endswith(":") or gap.split()[:1] == ["below"]) and not any(m in gap for m in '"“”')
        if speaker is None or not (introduces or object_gap(text, statement[-1].end(), quote.opened, "said")):
            return None
        return speaker, verb, False, None
    if not matches:
        return None
    match = matches[-1]
    verb = Span(match.start(), match.end())
    if match.group().lower() == ACCORDING_TO:
        speaker = speaker_after(text, verb.end, quote.opened)
        if speaker and text[speaker.end:quote.opened].strip() in ("", ",", ":"):
            return speaker, verb, False, None
        return None
    speaker = speaker_before(text, verb.start, limit)
    if speaker is None and sentence_start < limit:  # "Duda … called it “crushing” and wrote “…”"
        speaker = speaker_before(text, verb.start, sentence_start)
    if speaker is None:
        inverted = speaker_after(text, verb.end, quote.opened)  # 'Said Smith: "…"'
        if inverted and text[inverted.end:quote.opened].strip() in (",", ":"):
            return inverted, verb, False, None
        return None
    if object_gap(text, verb.end, quote.opened, match.group()):
        return speaker, verb, False, None
    clause = words(text, verb.end, quote.opened)
    start = clause[1][1] if clause and clause[0][0].lower() == "that" and len(clause) > 1 else \
        (clause[0][1] if clause else quote.opened)
    if any(w in (".", ";", "!", "?") for w, _, _ in clause):
        return None
    return speaker, verb, True, start


def _sentence_attribution(text: str, quote: Marked, sentence: tuple[int, int], quoted_spans,
                          verbs: VerbFinder) -> tuple | None:
    """(speaker, verb) of a quoted fragment from a reporting verb of its sentence outside quotation marks: the
    nearest one before the fragment, else after it ("He described the deal as a “qualitative leap”")."""
    s_start, s_end = sentence
    outside = [m for m in verbs.matches(s_start, max(s_end, quote.closed), mixed=True)
               if not any(a - 1 <= m.start() < b + 1 for a, b in quoted_spans)]
    before = [m for m in outside if m.start() < quote.opened]
    after = [m for m in outside if m.start() >= quote.closed]
    for match in [*reversed(before), *after]:
        verb = Span(match.start(), match.end())
        if match.group().lower() == ACCORDING_TO:
            speaker = speaker_after(text, verb.end, s_end)
        else:
            speaker = speaker_before(text, verb.start, s_start) or (
                speaker_after(text, verb.end, s_end) if text[s_start:verb.start].rstrip().endswith(",") else None)
        if speaker is not None and not any(a <= speaker.start < b for a, b in quoted_spans):
            return speaker, verb
    return None


def _continues_sentence(text: str, quote: Marked, sentence: tuple[int, int]) -> bool:
    """Whether the sentence goes on after the closing mark with words of its own ('"three terrorists" were
    killed'): the quotation is then a fragment of the sentence, not a quoted sentence."""
    inside = text[quote.pieces[-1][0]:quote.pieces[-1][1]].rstrip("'’‘\" ")
    if inside.endswith((".", ",", "!", "?", ";", ":", "…")):
        return False
    after = text[quote.closed:max(sentence[1], quote.closed)].lstrip()
    first = after.split(maxsplit=1)[0].lower() if after else ""
    return bool(after) and after[:1].isalpha() and after[:1].islower() and first not in ("and", "but", "or")


def direct_quotes(text: str, sentences: list[tuple[int, int]], verbs: VerbFinder | None = None, *,
                  single: bool | None = None) -> list[dict]:
    """The direct and mixed quotations of one article: dicts with start, end, quote, kind, speaker and verb spans
    (``Span`` or None), in reading order. ``verbs``: where its reporting verbs may start (all found when None);
    ``single``: whether single marks count (see :func:`marked_quotations`)."""
    found = marked_quotations(text, single=single)
    if not found:
        return []
    verbs = verbs or VerbFinder(text)
    found = sorted([*found, *(inner for q in found for inner in inner_quotations(text, q))], key=lambda q: q.opened)
    paras = paragraphs(text)
    starts = [s for s, _ in sentences] or [0]
    ends = [e for _, e in sentences] or [len(text)]
    para_starts = [a for a, _ in paras]
    openings = [q.opened for q in found]
    quoted_spans = [(q.opened, q.closed) for q in found]
    rows: list[dict] = []
    rows_of_paragraph: dict[int, list[dict]] = {}  # by closing paragraph, in order: no scan of every row
    last_closed = -1
    last_speaker_of_paragraph: dict[int, tuple] = {}
    for index, quote in enumerate(found):
        after = bisect.bisect_left(openings, quote.closed)  # found is in order of opening
        next_open = openings[after] if after < len(openings) else len(text)
        p_start, p_end = paras[quote.paragraph]
        closing_paragraph = bisect.bisect_right(para_starts, quote.closed) - 1
        if closing_paragraph < 0 or paras[closing_paragraph][1] < quote.closed:
            closing_paragraph = quote.paragraph
        at = max(0, bisect.bisect_right(starts, quote.pieces[0][0]) - 1)  # a tokenizer may end a sentence at «
        sentence = (starts[at], ends[at])
        in_paragraph = rows_of_paragraph.get(quote.paragraph, [])
        earlier = [r for r in in_paragraph if r["closed"] <= quote.opened]
        previous_close = earlier[-1]["closed"] if earlier else p_start
        enclosing = [r for r in rows if r["opened"] < quote.opened and r["closed"] > quote.closed] \
            if last_closed > quote.closed else []
        if enclosing:  # a quotation inside a quotation: its attribution is inside the outer one
            previous_close = max(previous_close, enclosing[-1]["opened"] + 1)
        limit_start = p_start
        opens_paragraph = not text[p_start:quote.opened].strip()
        if quote.paragraph and previous_close == p_start and opens_paragraph and \
                _introduced(text, paras, quote.paragraph):
            # a paragraph ending "… said:" or "… released the following statement:" introduces this one
            limit_start = paras[quote.paragraph - 1][0]
            previous_close = max(limit_start, rows[-1]["closed"] if rows else limit_start)
            at = max(0, bisect.bisect_right(starts, paras[quote.paragraph - 1][1] - 1) - 1)
            sentence = (starts[at], sentence[1])
        kind = "direct"
        start, end = quote.pieces[0][0], quote.pieces[-1][1]
        quoted = text[start:end]
        inherited = False
        lead = text[max(sentence[0], previous_close, p_start):quote.opened].strip()
        embedded = bool(lead) and not lead.endswith((",", ":", ";", "—", "–", "-", "(", "…"))
        attribution = _attribution_after(text, quote, min(next_open, paras[closing_paragraph][1]), verbs)
        if attribution is None and lead.lower() in ("and", "or") and earlier and earlier[-1]["speaker"] is not None:
            # 'said "…" and "…"': the second quotation is reported as the first
            attribution, kind, embedded = (earlier[-1]["speaker"], earlier[-1]["verb"]), earlier[-1]["kind"], False
        if attribution is not None and embedded:  # 'at "very low height" according to …'
            before = _attribution_before(text, quote, max(previous_close, sentence[0], limit_start), verbs=verbs)
            kind = "direct" if before is not None and not before[2] else "mixed"
        if attribution is None and _continues_sentence(text, quote, sentence):
            embedded = True  # 'said "three terrorists" were killed'
        if attribution is None:
            before = _attribution_before(text, quote, max(previous_close, sentence[0], limit_start),
                                         max(sentence[0], min(p_start, limit_start)), verbs=verbs)
            if before is not None:
                speaker, verb, mixed, _ = before
                attribution = (speaker, verb)
                kind = "mixed" if mixed or embedded and _continues_sentence(text, quote, sentence) else "direct"
                embedded = False
        if attribution is None and (embedded or len(quoted.split()) < MIN_UNATTRIBUTED_WORDS or _is_title(quoted)):
            attribution = _sentence_attribution(text, quote, sentence, quoted_spans, verbs)
            if attribution is None:
                continue  # a scare quote, a term or a title
            kind = "mixed"
        if attribution is None:
            same = [r for r in in_paragraph if r["speaker"] is not None]
            if same:
                attribution, inherited = (same[-1]["speaker"], same[-1]["verb"]), True
            elif opens_paragraph and quote.paragraph - 1 in last_speaker_of_paragraph:
                attribution, inherited = last_speaker_of_paragraph[quote.paragraph - 1], True
        speaker, verb = attribution if attribution else (None, None)
        rows.append({"start": start, "end": end, "quote": quoted, "kind": kind, "speaker": speaker, "verb": verb,
                     "inherited": inherited, "paragraph": closing_paragraph, "closed": quote.closed,
                     "opened": quote.opened})
        rows_of_paragraph.setdefault(closing_paragraph, []).append(rows[-1])
        last_closed = max(last_closed, quote.closed)
        if speaker is not None:
            last_speaker_of_paragraph[closing_paragraph] = (speaker, verb)
    return rows


def unresolved_quotes(text: str, sentences: list[tuple[int, int]], verbs: VerbFinder | None = None, *,
                      single: bool | None = None) -> list[dict]:
    """The quotation rows (direct, mixed, indirect) of an article, or of a unit of one (``single``: its article's
    answer, see :func:`marked_quotations`), in reading order, speakers not yet resolved."""
    verbs = verbs or VerbFinder(text)
    direct = direct_quotes(text, sentences, verbs, single=single)
    taken = [(r["start"], r["end"]) for r in direct] + [(r["opened"], r["closed"]) for r in direct]
    taken += [(min(r["speaker"].start, r["verb"].start), max(r["speaker"].end, r["verb"].end))
              for r in direct if r["speaker"] is not None and not r["inherited"]]
    return sorted(direct + indirect_quotes(text, sentences, taken, verbs), key=lambda r: r["start"])


def compact(text: str, rows: list[dict]) -> list[tuple]:
    """Rows of :func:`unresolved_quotes` as (start, end, kind, speaker span or None, opened, quote, speaker as
    written, verb in the simple past)."""
    return [(r["start"], r["end"], r["kind"], r["speaker"], r["opened"], r["quote"],
             "" if r["speaker"] is None else text[r["speaker"].start:r["speaker"].end],
             "" if r["verb"] is None else simple_past(text[r["verb"].start:r["verb"].end])) for r in rows]


def quotes(tokens: pd.DataFrame, articles: pd.DataFrame, *, mentions: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every quotation of the articles, one row each, with its speaker and reporting verb.

    Columns: ``doc_id``, ``start``/``end`` (character offsets into the article's ``text``: a direct or mixed
    quotation is what lies between its marks, one running over paragraphs from its first opening to its last
    closing mark; an indirect one is the reported clause), ``quote`` (``text[start:end]``), ``kind`` (direct,
    indirect or mixed), ``speaker`` (as written: "he", "Thompson", "officials"; empty when unknown), ``speaker_entity`` (the entity it resolves to,
    see :mod:`helpers.stats.quote_speakers`; empty when none), ``speaker_label`` (PERSON, ORGANIZATION, PLACE,
    GROUP, NAME; OTHER for a common noun such as "officials"; UNKNOWN without a speaker), ``verb`` (the reporting
    verb in the simple past, lower case: said for "says", noted for "noting", according to …; empty when unknown) and ``sentence`` (the token table's
    sentence number where the quotation starts).

    ``mentions``: the entity mentions of :func:`helpers.entities` for these tokens, when already computed (they are
    computed otherwise, and that is most of the time this function takes). No NLTK data is needed; the rules are
    for English.

    >>> import helpers
    >>> articles = pd.DataFrame({"doc_id": ["a"], "text": ['"We will rebuild," said Mayor Ann Lee. She said that '
    ...                                                   'the bridge would reopen in May.']})
    >>> found = quotes(helpers.tokenize(articles), articles)
    >>> found[["quote", "kind", "speaker", "speaker_entity", "verb"]].values.tolist()
    [['We will rebuild,', 'direct', 'Mayor Ann Lee', 'Ann Lee', 'said'], ['the bridge would reopen in May', 'indirect', 'She', 'Ann Lee', 'said']]
    """
    for frame, columns, what in ((tokens, ["doc_id", "sentence", "start", "end"], "tokens"),
                                 (articles, ["doc_id", "text"], "articles")):
        missing = [c for c in columns if c not in frame.columns]
        if missing:
            raise ValueError(f"quotes: {what} lack the columns {missing}")
    if mentions is None:
        from helpers.stats.names import entities

        mentions = entities(tokens, articles) if len(tokens) else None
    by_doc, sentences = mentions_by_doc(mentions), sentences_by_doc(tokens)
    chosen = [(doc_id, text) for doc_id, text in zip(articles["doc_id"].astype(str).tolist(),
                                                     articles["text"].tolist())
              if isinstance(text, str) and text.strip()]
    # the rules run once per distinct unit (see helpers.stats.quote_units); an article the token table lacks whole
    units, plans = Units([text for _, text in chosen]), []
    for index, (doc_id, text) in enumerate(chosen):
        numbers, starts, ends = sentences.get(doc_id, (None, None, None))
        cut = None if starts is None else units.cut(index, text, starts, ends)
        plans.append((doc_id, text, numbers, starts, cut))
    missing = units.missing()
    for (key, piece, spans, single), starts_of_verbs in zip(missing, verb_starts([m[1] for m in missing])):
        units.rows[key] = compact(piece, unresolved_quotes(piece, spans, VerbFinder(piece, starts_of_verbs),
                                                           single=single))
    whole = iter(verb_starts([text for _, text, _, _, cut in plans if cut is None]))
    nobody, records = DocumentEntities([], [], [], []), []
    for doc_id, text, numbers, starts, cut in plans:
        if cut is not None:  # a unit's rows at its place in the article
            rows = [(start + at, end + at, kind, None if by is None else Span(by.start + at, by.end + at), opened + at,
                     *rest) for at, key in cut for start, end, kind, by, opened, *rest in units.rows[key]]
        else:
            spans = sentence_spans(text) if starts is None else \
                list(zip(starts.tolist(), sentences[doc_id][2].tolist()))
            rows = compact(text, unresolved_quotes(text, spans, VerbFinder(text, next(whole))))
        if numbers is not None:
            numbers, starts = numbers.tolist(), starts.tolist()
        speakers = resolve_speakers(text, rows, by_doc.get(doc_id, nobody))
        for (start, end, kind, _, _, quote, speaker, verb), (entity, label) in zip(rows, speakers):
            if numbers is not None:
                number = numbers[max(0, bisect.bisect_right(starts, start) - 1)]
            else:
                number = next((i for i, (a, b) in enumerate(spans) if a <= start < b + 1), 0)
            records.append((doc_id, start, end, quote, kind, speaker, entity, label, verb, number))
    table = pd.DataFrame.from_records(records, columns=QUOTE_COLUMNS)
    return typed_empty(table, QUOTE_DTYPES).astype(QUOTE_DTYPES)
