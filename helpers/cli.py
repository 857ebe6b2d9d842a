"""Command line: ``python -m helpers load|tokenize|run|diff|doctor|nltk-data|sample-data|lab ...``."""

from __future__ import annotations

import argparse
import glob
import platform
import sys
import tempfile
from importlib import metadata
from pathlib import Path

KEY_PACKAGES = ["pandas", "numpy", "nltk", "matplotlib", "scikit-learn", "pyarrow", "jupyterlab", "papermill",
                "trafilatura", "feedparser", "dask"]


class UsageError(Exception):
    """A mistake on the command line: printed as one line, exit status 2, no traceback."""


class Parser(argparse.ArgumentParser):
    """argparse with its errors on one line (``python -m helpers load: error: ...``) and exit status 2."""

    def error(self, message):
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def number(kind=float, *, low=0.0, low_ok=False):
    """An argparse type: a number of ``kind`` above ``low`` (or from it, with ``low_ok``).

    >>> number()("2.5"), number(int, low_ok=True)("0")
    (2.5, 0)
    """
    def parse(text: str):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a {'whole ' if kind is int else ''}number") from None
        if value != value or value < low or (value == low and not low_ok) or value in (float("inf"),):
            raise argparse.ArgumentTypeError(f"{text!r} must be {'at least' if low_ok else 'above'} {low:g}")
        return value
    return parse


def _missing_sources(sources) -> list[str]:
    """Sources that are no file, folder, link or glob match."""
    return [s for s in sources if not (Path(s).exists() or Path(s).is_symlink() or glob.glob(str(s), recursive=True))]


def _check_writable(folder: Path, what: str) -> None:
    """Raise :class:`UsageError` unless a file can be created in ``folder`` (made if missing)."""
    existing = next((p for p in (folder, *folder.parents) if p.exists()), None)
    if existing is not None and not existing.is_dir():
        raise UsageError(f"cannot write {what} in {folder}: {existing} is a file, not a folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as error:
        raise UsageError(f"cannot write {what} in {folder}: {error.strerror or error}") from None


def _write_table(table, out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.suffix == ".csv":
        table.to_csv(out, index=False)
    else:
        table.to_parquet(out, index=False)


def cmd_load(args) -> int:
    from helpers.load.articles import load_articles, load_report, save_articles
    from helpers.load.dispatch import ReadOptions

    out = Path(args.out)
    if out.suffix not in (".parquet", ".csv"):
        print(f"load: --out must end in .parquet or .csv, not {out.name!r}", file=sys.stderr)
        return 2
    existing = [p for p in (out, out.with_name(out.stem + ".load-report.csv")) if p.exists()]
    if existing and not args.replace:
        print(f"load: {existing[0]} exists; pass --replace to overwrite it", file=sys.stderr)
        return 1
    bad = [c for c in args.column if "=" not in c or not all(part.strip() for part in c.split("=", 1))]
    if bad:
        raise UsageError(f"--column {bad[0]!r}: write THEIRS=KIT, e.g. --column Story=text")
    missing = _missing_sources(args.sources)
    if missing:
        print(f"load: {missing[0]}: no such file or folder, and no glob match", file=sys.stderr)
        return 1
    _check_writable(out.parent, "the articles table")
    columns = dict(c.split("=", 1) for c in args.column)
    options = ReadOptions(columns=columns or None, max_file_size=int(args.max_file_size * 1e6))
    articles = load_articles(*args.sources, options=options, drop_duplicates=not args.keep_duplicates,
                             workers=args.workers,
                             progress=None if sys.stderr.isatty() else False)
    table, report_path, stories_path = save_articles(articles, out, replace=True)
    report = load_report(articles)
    print(f"load: {len(articles)} articles -> {table}; load report -> {report_path}; "
          f"syndicated stories -> {stories_path}")
    print(report.groupby("status").agg(inputs=("input", "size"), articles=("n_articles", "sum")).to_string())
    return 0


def cmd_tokenize(args) -> int:
    import pandas as pd

    from helpers.text.options import TokenOptions
    from helpers.text.sentences import read_word_list, sentence_model
    from helpers.text.tokenizer import tokenize, tokenizer_resources

    source = Path(args.articles)
    if not source.is_file():
        print(f"tokenize: {source} does not exist (make one with `python -m helpers load ... --out`)", file=sys.stderr)
        return 1
    articles = pd.read_parquet(source) if source.suffix == ".parquet" else pd.read_csv(source)
    abbreviations = read_word_list(args.abbreviations) if args.abbreviations else []
    expressions = read_word_list(args.expressions) if args.expressions else []
    try:
        model = sentence_model(articles["text"].fillna("").tolist() if "text" in articles else [],
                               abbreviations=abbreviations)
        options = TokenOptions(web_tokens=args.web_tokens, keep_acronyms=args.keep_acronyms, stem=args.stem,
                               lemmatize=args.lemmatize, stopword_files=tuple(args.stopwords),
                               expressions=tuple(expressions), collocation_expressions=args.collocations,
                               pos=args.pos)
        tokens = tokenize(articles, options=options, sentence_model=model, n_jobs=args.jobs)
    except (ValueError, LookupError, FileNotFoundError) as error:
        print(f"tokenize: {error}", file=sys.stderr)
        return 1
    out = Path(args.out)
    for column in ("token", "term", "doc_id") if out.suffix == ".csv" else ():
        tokens[column] = tokens[column].astype(str)
    _write_table(tokens, out)
    print(f"tokenize: {len(tokens):,} tokens in {tokens['sentence'].groupby(tokens['doc_id'], observed=True).nunique().sum():,} "
          f"sentences from {len(articles)} articles -> {out}")
    for row in tokenizer_resources(tokens).itertuples():
        print(f"  {row.step:14} {row.in_effect}")
    return 0


def cmd_run(args) -> int:
    from helpers.runs.params import check_params
    from helpers.runs.runner import NotebookFailed, list_notebooks, parse_param, run
    from helpers.settings import REPORTS_DIR, use_dask_scheduler

    if args.scheduler:
        use_dask_scheduler(args.scheduler)  # the notebook kernels inherit it

    try:
        params = dict(parse_param(p) for p in args.param)
        check_params(list_notebooks(args.notebooks), params)
    except ValueError as error:
        print(f"run: {error}", file=sys.stderr)
        return 1
    missing = _missing_sources(args.articles or [])
    if missing:
        print(f"run: --articles {missing[0]}: no such file or folder, and no glob match", file=sys.stderr)
        return 1
    _check_writable(Path(args.out).parent if args.out else REPORTS_DIR, "the run folder")
    try:
        compare = False if args.no_compare else args.compare_with
        run_dir = run(args.articles, args.out, notebooks=args.notebooks, params=params, replace=args.replace,
                      compare_with=compare, cache=args.cache)
    except (NotebookFailed, FileExistsError, ValueError) as error:
        print(f"run: {error}", file=sys.stderr)
        return 1
    print(f"run: finished; report at {run_dir / 'index.html'}; manifest at {run_dir / 'manifest.json'}")
    return 0


def cmd_diff(args) -> int:
    from helpers.runs.diff import diff_runs, format_changes, write_changes

    from helpers.runs.diff import ARTICLES_TABLE, FREQUENCIES_TABLE
    from helpers.runs.manifest import read_manifest

    for folder in (args.run_a, args.run_b):
        tables = Path(folder) / "tables"
        is_run = read_manifest(folder) is not None or any(
            (tables / name).exists() for name in (ARTICLES_TABLE, FREQUENCIES_TABLE))
        if not Path(folder).is_dir() or not is_run:
            print(f"diff: {folder} is not a run folder (no manifest.json, no tables/{ARTICLES_TABLE}); give two "
                  "folders made by `python -m helpers run`", file=sys.stderr)
            return 1
    if args.out:
        _check_writable(Path(args.out), "the tables")
    changes = diff_runs(args.run_a, args.run_b, n=args.n)
    print(format_changes(changes, args.run_a, args.run_b))
    if args.out:
        written = write_changes(changes, args.out)
        print(f"diff: {len(written)} tables -> {args.out}")
    return 0


def cmd_doctor(args) -> int:
    from helpers.settings import SAMPLE_PATH
    from helpers.resources import resource_status

    print(f"python {platform.python_version()} ({sys.executable})")
    for package in KEY_PACKAGES:
        try:
            print(f"{package} {metadata.version(package)}")
        except metadata.PackageNotFoundError:
            print(f"{package} not installed")
    import nltk

    print("nltk data path: " + ", ".join(nltk.data.path))
    status = resource_status()
    for row in status.itertuples():
        found = f"found at {row.location}" if row.found else f"MISSING -> fallback: {row.fallback_in_effect}"
        print(f"  {row.resource:32} {found}")
    print(f"sample articles: {SAMPLE_PATH if SAMPLE_PATH.exists() else 'not fetched (make sample-data)'}")
    return 0


def cmd_nltk_data(args) -> int:
    from helpers.resources import ensure_nltk_data

    status = ensure_nltk_data(download=not args.no_download)
    found = status.loc[status["found"], "resource"].tolist()
    missing = status.loc[~status["found"], "resource"].tolist()
    print(f"nltk-data: found {', '.join(found) or 'none'}; fallbacks for {', '.join(missing) or 'none'}")
    return 0


def cmd_sample_data(args) -> int:
    from helpers.load.samples import main

    return main(url=args.url)


def cmd_lab(args) -> int:
    import os

    from helpers.runs.lab import lab_command

    command = lab_command(port=args.port)
    os.execv(command[0], command)
    return 0


def build_parser() -> argparse.ArgumentParser:
    from helpers.settings import MAX_FILE_SIZE_MB

    parser = Parser(prog="python -m helpers", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True, parser_class=Parser)

    p = sub.add_parser("load", help="load articles into one articles table (+ load report)")
    p.add_argument("sources", nargs="+", help="files, folders, globs, .zip archives (any mix of formats)")
    p.add_argument("--out", required=True, help="output .parquet or .csv (report and stories written beside it)")
    p.add_argument("--column", action="append", default=[], metavar="THEIRS=KIT",
                   help="map a source column to a kit column, e.g. --column Story=text")
    p.add_argument("--keep-duplicates", action="store_true", help="keep exact duplicates (same text and outlet)")
    p.add_argument("--max-file-size", type=number(), default=MAX_FILE_SIZE_MB, metavar="MB",
                   help=f"larger files are skipped (default {MAX_FILE_SIZE_MB:g}, NEWSKIT_MAX_FILE_SIZE_MB)")
    p.add_argument("--workers", type=number(int, low=1, low_ok=True),
                   help="processes for reading (default: parallel above 200 inputs)")
    p.add_argument("--replace", action="store_true", help="overwrite existing output files")
    p.set_defaults(func=cmd_load)

    p = sub.add_parser("tokenize", help="tokenise an articles table into a token table")
    p.add_argument("articles", help="articles .parquet or .csv (from `load`)")
    p.add_argument("--out", required=True, help="output .parquet or .csv")
    p.add_argument("--abbreviations", help="file of extra abbreviations, one per line (Brig, approx)")
    p.add_argument("--stopwords", action="append", default=[], metavar="FILE", help="extra stopword file")
    p.add_argument("--expressions", help="file of multi-word expressions to join, one per line")
    p.add_argument("--collocations", type=number(int, low_ok=True), default=0, metavar="N",
                   help="also join the N strongest bigrams")
    p.add_argument("--keep-acronyms", action="store_true", help="keep DEA, MoU, US as written in `term`")
    p.add_argument("--web-tokens", action="store_true", help="keep URLs, e-mails, @handles, #hashtags whole")
    p.add_argument("--stem", choices=["snowball", "porter"], help="stem terms")
    p.add_argument("--lemmatize", action="store_true", help="WordNet lemmas (when wordnet is installed)")
    p.add_argument("--pos", action="store_true", help="add part-of-speech tags (when the tagger is installed)")
    p.add_argument("--jobs", type=int, default=1, help="processes, this one included (-1: one per core)")
    p.set_defaults(func=cmd_tokenize)

    p = sub.add_parser("run", help="execute the notebooks into reports/<run-name>/")
    p.add_argument("notebooks", nargs="*", help="notebook names or number prefixes (default: all)")
    p.add_argument("--articles", nargs="*", help="files, folders or globs (default: the kit's articles + sample)")
    p.add_argument("--out", help="run folder (default: reports/run-<timestamp>)")
    p.add_argument("--param", action="append", default=[], metavar="KEY=VALUE",
                   help="notebook parameter (VALUE read as JSON when it parses: 30, true, [\"a\", \"b\"])")
    p.add_argument("--replace", action="store_true", help="replace an existing run folder")
    p.add_argument("--cache", help="cache folder (default: NEWSKIT_CACHE or .cache/)")
    p.add_argument("--compare-with", help="run folder to compare with (default: the latest complete run beside --out)")
    p.add_argument("--no-compare", action="store_true", help="do not compare with a previous run")
    p.add_argument("--scheduler", help="Dask scheduler address (tcp://host:8786) for the large-corpus path; "
                                       "default $NEWSKIT_DASK_SCHEDULER, else a local cluster")
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("diff", help="what changed between two runs: articles, sources, terms, keyness, entities")
    p.add_argument("run_a", help="the earlier run folder")
    p.add_argument("run_b", help="the later run folder")
    p.add_argument("-n", type=number(int, low=1, low_ok=True), default=20,
                   help="how many rising and falling terms (default 20)")
    p.add_argument("--out", help="also write the tables as CSV into this folder")
    p.set_defaults(func=cmd_diff)

    p = sub.add_parser("doctor", help="versions, NLTK resources found and fallbacks in effect")
    p.set_defaults(func=cmd_doctor)

    p = sub.add_parser("nltk-data", help="find NLTK resources; download missing ones when online")
    p.add_argument("--no-download", action="store_true")
    p.set_defaults(func=cmd_nltk_data)

    p = sub.add_parser("lab", help="JupyterLab on the notebooks (localhost, token on)")
    p.add_argument("--port", type=number(int, low=1, low_ok=True))
    p.set_defaults(func=cmd_lab)

    p = sub.add_parser("sample-data", help="fetch the sample corpora into data/external/")
    p.add_argument("--url", help="where to fetch the Wikinews sample from (overrides NEWSKIT_SAMPLE_URL)")
    p.set_defaults(func=cmd_sample_data)
    return parser


def main(argv: list[str] | None = None) -> int:
    try:
        from helpers import settings  # noqa: F401 - its settings are checked on import
    except ValueError as error:
        print(f"python -m helpers: {error}", file=sys.stderr)
        return 2
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except UsageError as error:
        print(f"{args.command}: {error}", file=sys.stderr)
        return 2
    except PermissionError as error:  # the user's files or folders, not a bug: say which, without a traceback
        print(f"{args.command}: {error.strerror}: {error.filename}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"{args.command}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
