"""Is the token table unchanged by a change to the tokenizer? Saves ``tokenize`` of both samples (and of a few
odd texts) with this checkout's code, or compares them with a saved copy by ``pandas.testing.assert_frame_equal``
(columns, dtypes, categories, values and the ``attrs`` report).

    python benchmarks/token_tables.py --save /tmp/before        # on the commit before the change
    python benchmarks/token_tables.py --against /tmp/before     # on the change: prints each table's verdict

Exit status 0 when every table is equal, else 1. Each table is made twice: with the sentence model trained inside
``tokenize`` (the public path) and with ``punkt_tab`` ignored and the model given (the cached path).
"""

from __future__ import annotations

import argparse
import pickle
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import helpers  # noqa: E402
from helpers.settings import CONGRESS, WIKINEWS, sample_path  # noqa: E402

ODD = pd.DataFrame({"doc_id": ["a", "b", "c", "d", "e"],
                    "text": ["", "No periods here\n\nnor here", "Mr. Smith met Dr. Jones... Then? Yes! (End.)\x1c x.",
                             "HEADING HERE\nThe U.S. Drug Enforcement Administration met. 3. Oct. It ended.",
                             "  \u00a0Wait. \u201cQuoted.\u201d  ‘Inner.’ He said: “Go.”\n"]})


def tables() -> dict[str, pd.DataFrame]:
    found = {"odd": ODD}
    for sample in (WIKINEWS, CONGRESS):
        if sample_path(sample).exists():
            articles = helpers.load_articles(sample_path(sample))
            found[sample.collection] = articles[["doc_id", "text"]].reset_index(drop=True)
    result = {}
    for name, articles in found.items():
        result[f"{name} (model trained inside)"] = helpers.tokenize(articles)
        model = helpers.sentence_model(articles["text"].tolist(), pretrained=False)
        result[f"{name} (model given)"] = helpers.tokenize(articles, sentence_model=model)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--save", type=Path, help="folder to save this checkout's token tables in")
    group.add_argument("--against", type=Path, help="folder of saved token tables to compare with")
    args = parser.parse_args()
    made = tables()
    if args.save:
        args.save.mkdir(parents=True, exist_ok=True)
        (args.save / "token_tables.pkl").write_bytes(pickle.dumps(made))
        print(f"saved {len(made)} token tables ({sum(map(len, made.values())):,} rows) in {args.save}")
        return 0
    saved = pickle.loads((args.against / "token_tables.pkl").read_bytes())
    failed = 0
    for name in sorted(set(saved) | set(made)):
        if name not in saved or name not in made:
            print(f"{name}: only in {'the saved tables' if name in saved else 'this checkout'}")
            failed += 1
            continue
        try:
            pd.testing.assert_frame_equal(made[name], saved[name], check_exact=True)
            assert made[name].attrs == saved[name].attrs, "attrs differ"
            print(f"{name}: equal ({len(made[name]):,} rows)")
        except AssertionError as error:
            print(f"{name}: DIFFERENT\n{error}")
            failed += 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
