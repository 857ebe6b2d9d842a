"""What each part of ``helpers.quotes`` costs, and what removing a part could save at most, in CPU seconds.

    python benchmarks/bench_quotes_bounds.py                 # the 10,000 articles of bench_quotes.py
    python benchmarks/bench_quotes_bounds.py --articles 2000

Not a change to ``quotes``: a measurement of what is at stake before a structural change is written. In one
process, on the corpus of ``bench_quotes.py`` (the default articles repeated, their mentions copied):

- ``tokenize`` and ``quotes`` (CPU seconds, best of ``--repeat`` after one warm-up call), the issue's peer;
- ``quotes`` split by pass: each pass's functions wrapped with a CPU clock (a call per article or per distinct
  unit of repeated paragraphs, see ``helpers/stats/quote_units.py``, whose cutting is a pass of its own: the
  wrapping costs little);
- two upper bounds, ``quotes`` timed with a part made (almost) free: every answer of that part recorded in a
  warm-up call and looked up by its text in the timed calls (the look-up, a slice and a dict, still costs a little,
  so each bound is slightly below the true cost of the part):
  * the word pass (``speech_words.words`` and ``iter_words`` as the attribution rules call them), what reading
    speaker phrases and clause words from the token table could save at most;
  * the indirect-pass verbs that give no row (``indirect_quotes._reported`` returning None), what a vectorised
    filter run before the rules could save at most.
Both bounds are also measured together; each against plain calls in alternating rounds of the same process. The
rows of the calls with a part free are checked against the plain call's.
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import helpers  # noqa: E402
from helpers.stats import indirect_quotes, quotations, quote_units, reporting_verbs, speech_words  # noqa: E402
from bench_quotes import corpus  # noqa: E402
from timing import machine_load  # noqa: E402

# each pass: the function (an attribute of quotations, or of the class quote_units.Units) wrapped with a clock
PASSES = {"direct quotations (marks, attribution)": (quotations, "direct_quotes"),
          "  of which: pairing the marks": (quotations, "marked_quotations"),
          "indirect quotations": (quotations, "indirect_quotes"), "speakers resolved": (quotations, "resolve_speakers"),
          "where verbs may start (numpy)": (quotations, "verb_starts"),
          "sentences from the token table": (quotations, "sentences_by_doc"),
          "mentions by article": (quotations, "mentions_by_doc"),
          "articles cut into units": (quote_units.Units, "cut")}


def cpu(work, repeat: int) -> tuple[float, object]:
    """Fewest CPU seconds of ``repeat`` calls of ``work()`` after one warm-up call, and the last result."""
    result, times = work(), []
    for _ in range(repeat):
        start = time.process_time()
        result = work()
        times.append(time.process_time() - start)
    return min(times), result


def by_pass(call, repeat: int) -> dict[str, float]:
    """CPU seconds of each pass of ``quotes`` (best round), its functions wrapped in ``quotations``' namespace."""
    spent = {name: 0.0 for _, name in PASSES.values()}
    originals = {(owner, name): getattr(owner, name) for owner, name in PASSES.values()}

    def clocked(name, function):
        def run(*args, **kwargs):
            start = time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                spent[name] += time.process_time() - start
        return run

    for (owner, name), function in originals.items():
        setattr(owner, name, clocked(name, function))
    try:
        call()
        rounds = []
        for _ in range(repeat):
            spent.update({name: 0.0 for name in spent})
            start = time.process_time()
            call()
            rounds.append((time.process_time() - start, dict(spent)))
    finally:
        for (owner, name), function in originals.items():
            setattr(owner, name, function)
    total, best = min(rounds, key=lambda r: r[0])
    return {"quotes (wrapped)": total, **{label: best[name] for label, (_, name) in PASSES.items()}}


def with_free_parts(call, repeat: int, *, free_words: bool, free_no_rows: bool):
    """(CPU seconds of ``call`` plain, with the word pass and/or the indirect verbs giving no row made (almost) free,
    the rows of the last call with them free); plain and free calls alternate, the recorded answers are frozen out
    of the garbage collector's way (``gc.freeze``) during both."""
    plain_words, plain_iter, plain_reported = speech_words.words, speech_words.iter_words, indirect_quotes._reported
    mode, answers, no_row = ["record"], {}, set()

    def words(text, start, end, *, first=None):
        if mode[0] == "plain":
            return plain_words(text, start, end, first=first)
        key = (text[max(0, start - 1):end], start, first)  # the word pattern looks one character back
        if mode[0] == "record":
            answers[key] = plain_words(text, start, end, first=first)
        return answers[key]

    def iter_words(text, start, end, *, first=None):  # its words listed whole: a rule reads them as it needs
        return plain_iter(text, start, end, first=first) if mode[0] == "plain" else \
            iter(words(text, start, end, first=first))

    def reported(text, match, s_start, s_end):
        if mode[0] == "free" and (text[s_start:s_end], s_start, match.start()) in no_row:
            return None
        row = plain_reported(text, match, s_start, s_end)
        if mode[0] == "record" and row is None:
            no_row.add((text[s_start:s_end], s_start, match.start()))
        return row

    users = (reporting_verbs, indirect_quotes, quotations)
    try:
        if free_words:
            for module in users:
                module.words = words
            for module in (indirect_quotes, quotations):
                module.iter_words = iter_words
        if free_no_rows:
            indirect_quotes._reported = reported
        call()
        gc.collect()
        gc.freeze()
        plain, free, found = [], [], None
        for _ in range(repeat):
            for wanted, times in (("plain", plain), ("free", free)):
                mode[0] = wanted
                start = time.process_time()
                found = call()
                times.append(time.process_time() - start)
        return min(plain), min(free), found
    finally:
        gc.unfreeze()
        for module in users:
            module.words = plain_words
        for module in (indirect_quotes, quotations):
            module.iter_words = plain_iter
        indirect_quotes._reported = plain_reported


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    articles, mentions = corpus(args.articles)
    tokens = helpers.tokenize(articles)

    def call():
        return helpers.quotes(tokens, articles, mentions=mentions)

    print(f"{len(articles):,} articles; CPU seconds, best of {args.repeat} after one warm-up call; "
          f"before: {machine_load()}")
    tokenize_seconds, _ = cpu(lambda: helpers.tokenize(articles), args.repeat)
    quote_seconds, plain = cpu(call, args.repeat)
    print(f"  tokenize                                     {tokenize_seconds:6.2f} s")
    print(f"  quotes                                       {quote_seconds:6.2f} s   "
          f"ratio {quote_seconds / tokenize_seconds:.2f}")
    for label, seconds in by_pass(call, args.repeat).items():
        print(f"    {label:42s} {seconds:6.2f} s")
    print("  quotes with a part (almost) free (upper bounds of what removing it saves):")
    for label, free_words, free_no_rows in (("word pass free", True, False),
                                            ("indirect verbs giving no row free", False, True),
                                            ("both free", True, True)):
        plain_seconds, seconds, found = with_free_parts(call, args.repeat, free_words=free_words,
                                                        free_no_rows=free_no_rows)
        pd.testing.assert_frame_equal(found, plain)
        print(f"    {label:42s} {seconds:6.2f} s   against {plain_seconds:.2f} s plain in the same rounds: saves "
              f"{plain_seconds - seconds:4.2f} s; ratio to tokenize {seconds / tokenize_seconds:.2f}")
    print(f"  after: {machine_load()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
