"""Tokenise an articles frame into the token table: one row per token.

Columns: ``doc_id`` (category), ``sentence`` (index of the sentence in the article), ``position`` (index of the
token in the article's Treebank token sequence; a joined multi-word expression has its first word's position, and
dropped tokens leave gaps), ``token`` (as written), ``term`` (normalised, for counting), ``start``/``end``
(character offsets into the article's ``text``: ``text[start:end] == token``), ``is_stop``, ``is_punct``,
``is_alpha``, ``is_number`` (+ ``pos`` when asked for and the tagger is present). Strings are categoricals and
numbers int32, about 30 bytes per token.

Sentences come from :mod:`helpers.sentences` (Punkt), words from :mod:`helpers.words` (NLTK's Treebank rules in
one regular-expression pass). ``tokenize`` is pure and deterministic: the same articles and options give the same
table; every option is a hashable keyword, and ``tokens.attrs["tokenizer"]`` says which resources and fallbacks
were used.
"""

from __future__ import annotations

import functools
import gc
import multiprocessing
import os
import re
import warnings
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd
from pandas.api.types import union_categoricals

from helpers.resources import has_resource
from helpers.scale.client import is_dask
from helpers.text.sentences import DATA_DIR, SentenceModel, as_sentence_model, read_word_list, sentence_model, sentence_splitter
from helpers.text.partitioned import tokenize_partitions
from helpers.text.words import counts_from_stage, model_free_stage, rows_from_stage

TOKEN_COLUMNS = ["doc_id", "sentence", "position", "token", "term", "start", "end",
                 "is_stop", "is_punct", "is_alpha", "is_number"]
NEWS_STOPWORDS_FILE = DATA_DIR / "news_stopwords.txt"
NEWS_STOPWORDS = frozenset(read_word_list(NEWS_STOPWORDS_FILE))
CHUNK_CHARS = 4_000_000
_NUMBER = re.compile(r"[+-]?(?:\d[\d,.:/]*|[.,]\d[\d,.:/]*)(?:st|nd|rd|th|s|%)?")
_UPPER = re.compile(r"[^\W\d_]")
_ALPHANUMERIC = re.compile(r"[^\W_]")  # str.isalnum, character by character
# Typographic quotes and apostrophes count as the plain ones: ``Libya’s`` and ``Libya's`` give the same terms.
QUOTE_FOLDING = str.maketrans({"’": "'", "‘": "'", "‚": "'", "‛": "'", "′": "'", "“": '"', "”": '"',
                               "„": '"', "‟": '"', "″": '"', "«": '"', "»": '"'})
# Clitics are words of their own (Treebank style) but grammar, not content: always stopwords for counting.
CLITICS = frozenset({"'s", "'m", "'d", "'ll", "'re", "'ve", "n't"})
# What Treebank rules leave before n't: can't -> ca n't, won't -> wo n't, shan't -> sha n't, ain't -> ai n't. Counted
# as the words they are, so they are stopwords like them and never a key term of their own (a reference corpus such
# as Brown keeps "can't" whole, which made "ca" and "wo" key for any text with contractions).
CONTRACTED_STEMS = {"ca": "can", "wo": "will", "sha": "shall", "ai": "is"}

__all__ = ["CLITICS", "NEWS_STOPWORDS", "TOKEN_COLUMNS", "SentenceModel", "article_term_matrix", "join_expressions", "sentence_model", "strongest_collocations",
           "sentence_splitter", "stopword_list", "tokenize", "tokenize_article", "tokenizer_resources"]


@functools.cache
def _stopwords(base: str, news: bool, extra: tuple[str, ...], files: tuple[str, ...]) -> tuple[frozenset, str]:
    if base == "auto":
        base = "nltk" if has_resource("stopwords") else "sklearn"
    if base == "nltk":
        if not has_resource("stopwords"):
            raise LookupError("stopwords='nltk' needs NLTK's stopwords (python -m helpers nltk-data); "
                              "use stopwords='sklearn' or 'auto'")
        from nltk.corpus import stopwords

        words, source = frozenset(stopwords.words("english")), "NLTK English stopwords"
    elif base == "sklearn":
        from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

        words, source = frozenset(ENGLISH_STOP_WORDS), "scikit-learn English stopwords"
    elif base == "none":
        words, source = frozenset(), "no base stopword list"
    else:
        raise ValueError(f"stopwords={base!r}: use 'auto', 'nltk', 'sklearn' or 'none'")
    if news:
        words |= NEWS_STOPWORDS
        source += " + the kit's news list"
    for path in files:
        if not Path(path).is_file():
            raise FileNotFoundError(f"stopword file {path} does not exist")
        words |= {w.lower() for w in read_word_list(path)}
        source += f" + {Path(path).name}"
    if extra:
        words |= {w.lower() for w in extra}
        source += f" + {len(extra)} user words"
    return words, source


def stopword_list(*, stopwords: str = "auto", news_stopwords: bool = True, extra_stopwords: Iterable[str] = (),
                  stopword_files: Iterable[str | os.PathLike] = ()) -> frozenset[str]:
    """The stopwords ``tokenize`` flags with ``is_stop``: a base list, the kit's news list, user words and files.

    ``stopwords``: ``"auto"`` (NLTK's English list when present, else scikit-learn's), ``"nltk"``,
    ``"sklearn"`` or ``"none"``. The news list (said, told, according, ...) is ``helpers/data/news_stopwords.txt``;
    ``stopword_files`` are text files with one word per line (``#`` starts a comment).

    >>> {"the", "said"} <= stopword_list()
    True
    >>> "said" in stopword_list(news_stopwords=False)
    False
    """
    return _stopwords(stopwords, news_stopwords, tuple(extra_stopwords), tuple(map(str, stopword_files)))[0]


def _is_acronym(token: str) -> bool:
    letters = _UPPER.findall(token)
    upper = sum(ch.isupper() for ch in letters)
    return upper >= 2 and upper * 2 >= len(letters) + 1


@functools.cache
def _stemmer(name: str):
    from nltk.stem import PorterStemmer, SnowballStemmer

    if name == "snowball":
        return SnowballStemmer("english").stem
    if name == "porter":
        return PorterStemmer().stem
    raise ValueError(f"stem={name!r}: use None, 'snowball' or 'porter'")


@functools.cache
def _lemmatizer():
    from nltk.stem import WordNetLemmatizer

    return WordNetLemmatizer().lemmatize


def _vocabulary_table(tokens: pd.Index, *, lowercase: bool, keep_acronyms: bool, stem: str | None,
                      lemmatize: bool, stops: frozenset) -> pd.DataFrame:
    """Term and flags for each distinct token (computed once per type, then broadcast to the rows)."""
    words = tokens.tolist()
    folded = [w.translate(QUOTE_FOLDING) for w in words]
    lowered = [w.lower() for w in folded]
    lowered = [CONTRACTED_STEMS.get(low, low) if w.islower() or (w.istitle() and w != "Ai") else low
               for w, low in zip(words, lowered)]  # "CA" (California) and "Ai" (Ai Weiwei) stay names
    clitic = [low in CLITICS for low in lowered]
    acronym = [_is_acronym(w) and not c for w, c in zip(words, clitic)] if keep_acronyms else [False] * len(words)
    terms = [w if a else low for w, low, a in zip(folded, lowered, acronym)] if lowercase else folded
    is_alpha = [w.isalpha() for w in words]
    if lemmatize:
        lemma = _lemmatizer()
        terms = [lemma(t) if alpha and not a else t for t, alpha, a in zip(terms, is_alpha, acronym)]
    if stem:
        stemmer = _stemmer(stem)
        terms = [stemmer(t) if alpha and not a else t for t, alpha, a in zip(terms, is_alpha, acronym)]
    # bool dtypes even without tokens (a chunk of empty articles): the flags are inverted and combined
    return pd.DataFrame({
        "term": terms,
        "is_stop": np.array([c or (not a and low in stops) for low, a, c in zip(lowered, acronym, clitic)],
                            dtype=bool),
        "is_punct": np.array([_ALPHANUMERIC.search(w) is None for w in words], dtype=bool),
        "is_alpha": np.array(is_alpha, dtype=bool),
        "is_number": np.array([_NUMBER.fullmatch(w) is not None for w in words], dtype=bool),
    })


# What worker processes share with the main one: the model queue, the next-chunk counter and (inherited by a
# forked worker, else sent once when it starts) the texts.
_shared: dict = {}


def _init_worker(queue, counter, texts) -> None:
    _shared.update(queue=queue, counter=counter, texts=texts if texts is not None else _shared["texts"])


def _claim(counter, n_chunks: int) -> int | None:
    """The next chunk nobody has taken yet (chunks are handed out one at a time, so no process idles while
    another still holds several)."""
    with counter.get_lock():
        index = counter.value
        counter.value = index + 1
    return index if index < n_chunks else None


def _chunk_stage(texts: Sequence[str], web_tokens: bool) -> dict:
    """The model-free stage of one chunk's non-empty articles (see :func:`helpers.text.words.model_free_stage`)."""
    present = [i for i, text in enumerate(texts) if isinstance(text, str) and text]
    return {**model_free_stage([texts[i] for i in present], web_tokens), "present": present, "n_texts": len(texts)}


def _worker_chunks(finish, bounds: list[tuple[int, int]], web_tokens: bool) -> list:
    """A worker's chunks, claimed one by one: while the sentence model is still being trained it splits and
    tokenises them (the part that needs no model), then it takes the model and finishes them and the rest.
    Returns (chunk index, result) pairs."""
    queue, counter, texts = _shared["queue"], _shared["counter"], _shared["texts"]
    staged = []
    while queue.empty() and (index := _claim(counter, len(bounds))) is not None:
        a, b = bounds[index]
        staged.append((index, _chunk_stage(texts[a:b], web_tokens)))
    model = queue.get()
    if model is None:  # the main process failed to train it
        return []
    results = []
    while staged:
        index, stage = staged.pop(0)
        results.append((index, finish(stage, model)))
    while (index := _claim(counter, len(bounds))) is not None:
        a, b = bounds[index]
        results.append((index, finish(_chunk_stage(texts[a:b], web_tokens), model)))
    return results


def _map_chunks(finish, texts: list[str], model: SentenceModel | None, web_tokens: bool, n_jobs: int):
    """``finish(stage, model)`` over chunks of articles, in ``n_jobs`` processes when more than one: the main
    process and ``n_jobs - 1`` workers.

    Without a model, the main process trains it (Punkt on these articles) while the workers do the part that
    needs none, so the serial training overlaps the parallel work; then the main process takes chunks too.
    Returns (bounds, results, model)."""
    jobs = (os.cpu_count() or 1) if n_jobs == -1 else max(1, int(n_jobs))
    bounds = _chunks(texts, CHUNK_CHARS, jobs=jobs)
    if jobs == 1 or len(bounds) == 1:
        model = as_sentence_model(sentence_splitter(texts) if model is None else model)
        return bounds, [finish(_chunk_stage(texts[a:b], web_tokens), model) for a, b in bounds], model
    context = multiprocessing.get_context()
    forked = context.get_start_method() == "fork"
    queue, counter = context.Queue(), context.Value("q", 0)
    results: list = [None] * len(bounds)
    if forked:  # forked workers read the texts from memory: nothing is copied to them
        _shared["texts"] = texts
        gc.freeze()  # nor touched: their collector leaves the inherited objects alone (copy-on-write pages)
    try:
        with ProcessPoolExecutor(max_workers=jobs - 1, mp_context=context, initializer=_init_worker,
                                 initargs=(queue, counter, None if forked else texts)) as pool:
            futures = [pool.submit(_worker_chunks, finish, bounds, web_tokens) for _ in range(jobs - 1)]
            trained = None
            try:
                trained = as_sentence_model(sentence_splitter(texts) if model is None else model)
            finally:
                for _ in futures:
                    queue.put(trained)
            try:
                while (index := _claim(counter, len(bounds))) is not None:
                    a, b = bounds[index]
                    results[index] = finish(_chunk_stage(texts[a:b], web_tokens), trained)
            except BaseException:
                with counter.get_lock():  # the workers stop after their current chunk
                    counter.value = len(bounds)
                raise
            for future in futures:
                for index, result in future.result():
                    results[index] = result
    finally:
        _shared.pop("texts", None)
        if forked:
            gc.unfreeze()
    return bounds, results, trained


def _tokenize_chunk(stage: dict, model: SentenceModel) -> dict:
    """Raw token columns for a chunk of articles (run in worker processes for ``n_jobs > 1``)."""
    split = rows_from_stage(stage, model)
    columns = {"doc": np.array(stage["present"], dtype=np.int32)[split.pop("text")]}
    columns.update({name: split.pop(name) for name in ("sentence", "position", "start", "end")})
    columns["token"] = pd.Categorical.from_codes(split.pop("token"),
                                                 categories=pd.Index(split.pop("vocabulary"), dtype="str"))
    return columns


def _chunks(texts: Sequence[str], size: int, *, jobs: int = 1) -> list[tuple[int, int]]:
    """Runs of articles of about ``size`` characters. For ``jobs`` processes taking chunks one by one they shrink
    towards the end (to a quarter of ``size``), so that no process is left alone with a big last chunk."""
    lengths = [len(text) if isinstance(text, str) else 0 for text in texts]
    remaining = sum(lengths)
    bounds, first, total = [], 0, 0
    target = size if jobs == 1 else min(size, max(size // 4, remaining // jobs))
    for i, length in enumerate(lengths):
        total += length
        if total >= target:
            bounds.append((first, i + 1))
            remaining -= total
            first, total = i + 1, 0
            if jobs > 1:
                target = min(size, max(size // 4, remaining // jobs))
    if first < len(texts) or not bounds:
        bounds.append((first, len(texts)))
    return bounds


def _validate(articles: pd.DataFrame) -> None:
    if not isinstance(articles, pd.DataFrame) or not {"doc_id", "text"} <= set(articles.columns):
        raise ValueError("tokenize needs an articles frame with columns doc_id and text (see load_articles)")
    if articles["doc_id"].duplicated().any():
        duplicated = articles.loc[articles["doc_id"].duplicated(), "doc_id"].iloc[0]
        raise ValueError(f"doc_id must be unique; {duplicated!r} names two articles")


def tokenize(articles: pd.DataFrame, *, sentence_model: SentenceModel | None = None, web_tokens: bool = False,
             lowercase: bool = True, keep_acronyms: bool = False, stopwords: str = "auto",
             news_stopwords: bool = True, extra_stopwords: tuple[str, ...] = (),
             stopword_files: tuple[str, ...] = (), drop_stop: bool = False, drop_punct: bool = False,
             drop_numbers: bool = False, min_length: int = 1, stem: str | None = None, lemmatize: bool = False,
             expressions: tuple[str, ...] = (), collocation_expressions: int = 0, pos: bool = False,
             n_jobs: int = 1) -> pd.DataFrame:
    """Split each article into sentences and Treebank-style tokens: the token table, one row per token.

    Sentences: ``sentence_model`` (see :func:`helpers.sentence_model`; by default pretrained Punkt when
    ``punkt_tab`` is present, else Punkt trained on these articles). Words: NLTK's ``word_tokenize`` rules;
    ``web_tokens=True`` keeps URLs, e-mail addresses, @handles and #hashtags whole.

    Normalisation of ``term`` (defaults intervene least): typographic quotes and apostrophes become the plain
    ones (``’s`` -> ``'s``; ``token`` keeps the text as written); clitics (``'s n't 're 've 'll 'd 'm``, either
    apostrophe) are tokens of their own and always ``is_stop``, whatever the stopword list; ``lowercase`` folds case, ``keep_acronyms`` keeps
    tokens with mostly capital letters (DEA, MoU, US) as written so "US" is not "us"; ``stem`` is None,
    ``"snowball"`` or ``"porter"``; ``lemmatize`` uses WordNet when present (a warning says so when it is
    not, and terms stay unlemmatised). ``is_stop`` uses :func:`stopword_list` (``stopwords``,
    ``news_stopwords``, ``extra_stopwords``, ``stopword_files``). Rows are dropped only when asked:
    ``drop_stop``, ``drop_punct``, ``drop_numbers``, ``min_length`` (characters of the term).
    ``expressions`` (e.g. ``("United States", "Drug Enforcement Administration")``) are joined into one row
    whose term is the space-joined normalised words; ``collocation_expressions=n`` also joins the n strongest
    two-word collocations of the corpus (Dunning's log-likelihood, see :func:`join_expressions`).
    ``pos=True`` adds Penn Treebank tags from NLTK's averaged perceptron tagger when present.
    ``n_jobs`` processes (this one and ``n_jobs - 1`` forked workers; ``-1``: one per core) tokenise chunks of
    articles in parallel, each taking the next chunk when done; without a ``sentence_model`` the workers split
    and tokenise while this process trains Punkt, then it takes chunks too.

    >>> articles = pd.DataFrame({"doc_id": ["a"], "text": ["Libya’s MoU with the U.S. was signed."]})
    >>> tokenize(articles)["token"].tolist()
    ['Libya', '’s', 'MoU', 'with', 'the', 'U.S.', 'was', 'signed', '.']
    >>> tokenize(articles, keep_acronyms=True, expressions=("with the",))["term"].tolist()
    ['libya', "'s", 'MoU', 'with the', 'U.S.', 'was', 'signed', '.']
    """
    if is_dask(articles):  # a Dask articles frame: the same tokens, partition by partition, on the cluster
        options = {k: v for k, v in locals().items() if k not in {"articles", "sentence_model"}}
        return tokenize_partitions(articles, tokenizer=tokenize, splitter=sentence_model, **options)
    _validate(articles)
    texts = [t if isinstance(t, str) else "" for t in articles["text"].tolist()]
    doc_ids = articles["doc_id"].astype(str).tolist()
    bounds, parts, sentence_model = _map_chunks(_tokenize_chunk, texts, sentence_model, web_tokens, n_jobs)
    columns = _assemble(parts, bounds, doc_ids)
    del parts
    stops, stop_source = _stopwords(stopwords, news_stopwords, tuple(extra_stopwords),
                                    tuple(map(str, stopword_files)))
    lemmatizing = lemmatize and has_resource("wordnet")
    if lemmatize and not lemmatizing:
        warnings.warn("lemmatize=True but NLTK's wordnet is not installed: terms are not lemmatised "
                      "(python -m helpers nltk-data, or use stem='snowball')", stacklevel=2)
    vocabulary = _vocabulary_table(columns["token"].categories, lowercase=lowercase, keep_acronyms=keep_acronyms,
                                   stem=stem, lemmatize=lemmatizing, stops=stops)
    codes = columns["token"].codes
    term_codes, term_uniques = pd.factorize(vocabulary["term"].astype(object), sort=True)
    columns["term"] = pd.Categorical.from_codes(term_codes.astype(np.int32)[codes],
                                                categories=pd.Index(term_uniques, dtype="str"))
    for flag in ("is_stop", "is_punct", "is_alpha", "is_number"):
        columns[flag] = vocabulary[flag].to_numpy(dtype=bool)[codes]
    table = pd.DataFrame({name: columns.pop(name) for name in TOKEN_COLUMNS}, copy=False)
    report = {
        "sentences": sentence_model.source,
        "words": "NLTK Treebank rules (word_tokenize), one-pass regular expression; ’ read as the apostrophe"
                 + ("; URLs, e-mails, @handles, #hashtags kept whole" if web_tokens else ""),
        "stopwords": stop_source,
        "case": ("lower case" if lowercase else "as written") + ("; acronyms kept" if keep_acronyms else ""),
        "stemming": stem or "none",
        "lemmatisation": ("WordNet" if lemmatizing else
                          "not available: NLTK wordnet missing" if lemmatize else "none"),
        "pos": "none",
        "expressions": "none",
    }
    if pos:
        table, report["pos"] = _tag(table)
    joined = list(expressions)
    if collocation_expressions:
        joined += strongest_collocations(table, n=collocation_expressions)
    if joined:
        table = join_expressions(table, joined, texts=dict(zip(doc_ids, texts)), lowercase=lowercase)
        report["expressions"] = f"{len(joined)} joined ({len(expressions)} given, "\
                                f"{len(joined) - len(expressions)} from collocations)"
    keep = np.ones(len(table), dtype=bool)
    if drop_stop:
        keep &= ~table["is_stop"].to_numpy()
    if drop_punct:
        keep &= ~table["is_punct"].to_numpy()
    if drop_numbers:
        keep &= ~table["is_number"].to_numpy()
    if min_length > 1:
        lengths = table["term"].cat.categories.str.len().to_numpy()
        keep &= lengths[table["term"].cat.codes.to_numpy()] >= min_length
    if not keep.all():
        table = table.loc[keep].reset_index(drop=True)
        for column in ("token", "term"):
            table[column] = table[column].cat.remove_unused_categories()
    table.attrs["tokenizer"] = report
    return table


def article_term_matrix(articles: pd.DataFrame, *, sentence_model: SentenceModel | None = None,
                        web_tokens: bool = False, lowercase: bool = True, keep_acronyms: bool = False,
                        stopwords: str = "auto", news_stopwords: bool = True, extra_stopwords: tuple[str, ...] = (),
                        stopword_files: tuple[str, ...] = (), stem: str | None = None, lemmatize: bool = False,
                        drop_stop: bool = True, drop_punct: bool = True, drop_numbers: bool = False,
                        min_length: int = 1, min_df: int = 1, n_jobs: int = 1):
    """The document-term matrix of the articles straight from their text, without the token table: the same
    matrix, vocabulary and rows as ``document_term_matrix(tokenize(articles, ...), ...)`` with these options.

    The quick way to count when the rows are not needed (frequencies, TF-IDF, topic models, scikit-learn). Each
    distinct whitespace-separated piece of the corpus is tokenised once and the counts are two sparse matrix
    products (see :func:`helpers.text.words.count_corpus`). Options mean what they mean in :func:`tokenize` and
    :func:`helpers.document_term_matrix`; expressions and part-of-speech tags need the token table.

    >>> articles = pd.DataFrame({"doc_id": ["a", "b"], "text": ["Libya signed the MoU.", "The MoU, again."]})
    >>> dtm = article_term_matrix(articles)
    >>> list(dtm.vocabulary), dtm.matrix.toarray().tolist()
    (['libya', 'mou', 'signed'], [[1, 1, 1], [0, 1, 0]])
    """
    from scipy import sparse

    from helpers.stats.counts import DocumentTermMatrix

    _validate(articles)
    texts = [t if isinstance(t, str) else "" for t in articles["text"].tolist()]
    doc_ids = articles["doc_id"].astype(str).tolist()
    if lemmatize and not has_resource("wordnet"):
        warnings.warn("lemmatize=True but NLTK's wordnet is not installed: terms are not lemmatised "
                      "(python -m helpers nltk-data, or use stem='snowball')", stacklevel=2)
    terms_of_tokens = functools.partial(
        _count_chunk, normalise={"lowercase": lowercase, "keep_acronyms": keep_acronyms, "stem": stem,
                                 "lemmatize": lemmatize and has_resource("wordnet")},
        stops=(stopwords, news_stopwords, tuple(extra_stopwords), tuple(map(str, stopword_files))),
        drops={"drop_stop": drop_stop, "drop_punct": drop_punct, "drop_numbers": drop_numbers,
               "min_length": min_length})
    _, parts, _ = _map_chunks(terms_of_tokens, texts, sentence_model, web_tokens, n_jobs)
    # Each chunk counted its own terms: put their columns on one sorted vocabulary (CountVectorizer's order).
    labels = sorted(set().union(*(terms for _, terms, _ in parts)))
    column_of = {term: i for i, term in enumerate(labels)}.__getitem__
    blocks = []
    for matrix, terms, _ in parts:
        columns = np.fromiter(map(column_of, terms), dtype=np.int64, count=len(terms))
        blocks.append(sparse.csr_matrix((matrix.data, columns[matrix.indices], matrix.indptr),
                                        shape=(matrix.shape[0], len(labels))))
    matrix = sparse.vstack(blocks, format="csr") if blocks else sparse.csr_matrix((0, 0), dtype=np.int64)
    rows = np.flatnonzero(np.concatenate([kept for _, _, kept in parts]) if parts else np.zeros(0, dtype=bool))
    if len(rows) < matrix.shape[0]:
        matrix = matrix[rows]
    labels = pd.Index(labels, name="term", dtype="str")
    if min_df > 1:
        kept = np.flatnonzero(np.bincount(matrix.indices, minlength=matrix.shape[1]) >= min_df)
        matrix, labels = matrix[:, kept], labels[kept]
    matrix.sort_indices()
    return DocumentTermMatrix(matrix.tocsr(), labels, pd.Index([doc_ids[i] for i in rows], name="doc_id", dtype="str"))


def _count_chunk(stage: dict, model: SentenceModel, *, normalise: dict, stops: tuple, drops: dict):
    """One chunk's (articles x terms) counts, its terms, and which articles have a row (run in workers)."""
    from scipy import sparse

    present, n_texts = stage["present"], stage["n_texts"]
    counts, tokens = counts_from_stage(stage, model)
    if len(present) < n_texts:  # empty articles get their (empty) row back
        expand = sparse.csr_matrix((np.ones(len(present), dtype=np.int64), (present, np.arange(len(present)))),
                                   shape=(n_texts, len(present)))
        counts = (expand @ counts).tocsr()
    vocabulary = _vocabulary_table(pd.Index(tokens, dtype=object), stops=_stopwords(*stops)[0], **normalise)
    # As tokenize: numbers and short terms are no rows at all; as document_term_matrix: stopwords and
    # punctuation are rows that are not counted (their article keeps its row).
    in_table = np.ones(len(vocabulary), dtype=bool)
    if drops["drop_numbers"]:
        in_table &= ~vocabulary["is_number"].to_numpy()
    if drops["min_length"] > 1:
        in_table &= vocabulary["term"].str.len().to_numpy() >= drops["min_length"]
    counted = in_table.copy()
    if drops["drop_stop"]:
        counted &= ~vocabulary["is_stop"].to_numpy()
    if drops["drop_punct"]:
        counted &= ~vocabulary["is_punct"].to_numpy()
    kept = np.diff(counts.indptr) > 0 if in_table.all() else \
        np.asarray((counts @ sparse.diags(in_table.astype(np.int64), dtype=np.int64)).sum(axis=1)).ravel() > 0
    counted_tokens = np.flatnonzero(counted)
    # Sorted here, so that putting the chunks' columns on the merged sorted vocabulary keeps each row sorted.
    term_codes, terms = pd.factorize(vocabulary["term"].to_numpy(dtype=object)[counted_tokens], sort=True)
    to_terms = sparse.csr_matrix((np.ones(len(term_codes), dtype=np.int64), (counted_tokens, term_codes)),
                                 shape=(len(vocabulary), len(terms)))
    matrix = (counts @ to_terms).tocsr()
    matrix.sort_indices()
    return matrix, terms.tolist(), kept


def _assemble(parts: list[dict], bounds: list[tuple[int, int]], doc_ids: list[str]) -> dict:
    """Concatenate the chunks' columns, releasing each chunk's arrays as soon as they are copied (peak memory)."""
    # Categories are the articles that have tokens, sorted: the same categoricals whichever way a table is put
    # together (one corpus, per-article pieces concatenated, a cache rebuilding them with astype("category")).
    doc_codes = np.concatenate([p.pop("doc") + a for p, (a, _) in zip(parts, bounds)]).astype(np.int32)
    present = np.flatnonzero(np.bincount(doc_codes, minlength=len(doc_ids)))
    present = present[np.argsort(np.array([doc_ids[i] for i in present], dtype=object), kind="stable")]
    recode = np.full(len(doc_ids), -1, dtype=np.int32)
    recode[present] = np.arange(len(present), dtype=np.int32)
    columns = {"doc_id": pd.Categorical.from_codes(
        recode[doc_codes], categories=pd.Index([doc_ids[i] for i in present], dtype="str"))}
    for name in ("sentence", "position", "start", "end"):
        columns[name] = np.concatenate([p.pop(name) for p in parts])
    token = union_categoricals([p.pop("token") for p in parts])
    columns["token"] = token.reorder_categories(token.categories.sort_values())
    return columns


def tokenize_article(text: str, *, doc_id: str = "article", sentence_model: SentenceModel, **options) -> pd.DataFrame:
    """The token table of one article, given a sentence model (so a per-article cache can wrap it).

    ``options`` are :func:`tokenize`'s keywords. With the same model and options, the rows equal that article's
    rows in ``tokenize`` of a whole corpus (except ``collocation_expressions``, which depends on the corpus).

    >>> model = sentence_model(pretrained=False)
    >>> tokenize_article("Maj. Gen. Khaled met Mr. Smith. It ended.", sentence_model=model)["sentence"].tolist()
    [0, 0, 0, 0, 0, 0, 0, 1, 1, 1]
    """
    return tokenize(pd.DataFrame({"doc_id": [doc_id], "text": [text]}), sentence_model=sentence_model, **options)


def _tag(table: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    if not has_resource("averaged_perceptron_tagger_eng"):
        warnings.warn("pos=True but NLTK's averaged_perceptron_tagger_eng is not installed: no pos column "
                      "(python -m helpers nltk-data)", stacklevel=3)
        return table, "not available: NLTK averaged_perceptron_tagger_eng missing"
    from nltk.tag import PerceptronTagger

    tagger = PerceptronTagger()
    tokens = table["token"].astype(object).to_numpy()
    keys = table["doc_id"].cat.codes.to_numpy().astype(np.int64) << 32 | table["sentence"].to_numpy()
    cuts = np.flatnonzero(np.diff(keys)) + 1
    tags: list[str] = []
    for sentence in np.split(tokens, cuts) if len(tokens) else []:
        tags.extend(tag for _, tag in tagger.tag(list(sentence)))
    table = table.assign(pos=pd.Categorical(tags))
    return table, "NLTK averaged perceptron tagger (Penn Treebank tags)"


def strongest_collocations(tokens: pd.DataFrame, *, n: int = 20, min_count: int = 3) -> list[str]:
    """The ``n`` two-word sequences of content words most strongly associated, as space-joined terms.

    Adjacent pairs within a sentence, both words neither stopwords nor punctuation nor numbers, seen at least
    ``min_count`` times, ranked by Dunning's log-likelihood G² (Dunning 1993, Computational Linguistics 19(1)).

    >>> t = tokenize(pd.DataFrame({"doc_id": ["a"], "text": ["Drug trafficking rose. Drug trafficking fell. "
    ...                                                         "Drug trafficking stayed."]}))
    >>> strongest_collocations(t, n=1, min_count=2)
    ['drug trafficking']
    """
    content = ~(tokens["is_stop"].to_numpy() | tokens["is_punct"].to_numpy() | tokens["is_number"].to_numpy())
    codes = tokens["term"].cat.codes.to_numpy().astype(np.int64)
    same = ((tokens["doc_id"].cat.codes.to_numpy()[1:] == tokens["doc_id"].cat.codes.to_numpy()[:-1])
            & (tokens["sentence"].to_numpy()[1:] == tokens["sentence"].to_numpy()[:-1])
            & (tokens["position"].to_numpy()[1:] == tokens["position"].to_numpy()[:-1] + 1)
            & content[1:] & content[:-1])
    if not same.any():
        return []
    size = len(tokens["term"].cat.categories)
    pair_keys = codes[:-1][same] * size + codes[1:][same]
    keys, pair_counts = np.unique(pair_keys, return_counts=True)
    frequent = pair_counts >= min_count
    keys, pair_counts = keys[frequent], pair_counts[frequent]
    if not len(keys):
        return []
    first_counts = np.bincount(codes[:-1][same], minlength=size)
    second_counts = np.bincount(codes[1:][same], minlength=size)
    total = same.sum()
    k11 = pair_counts.astype(float)
    k12 = first_counts[keys // size] - k11
    k21 = second_counts[keys % size] - k11
    k22 = total - k11 - k12 - k21

    def xlogx(x):
        return np.where(x > 0, x * np.log(np.where(x > 0, x, 1)), 0.0)

    g2 = 2 * (xlogx(k11) + xlogx(k12) + xlogx(k21) + xlogx(k22) + xlogx(total)
              - xlogx(k11 + k12) - xlogx(k21 + k22) - xlogx(k11 + k21) - xlogx(k12 + k22))
    order = np.lexsort((keys, -g2))[:n]
    categories = tokens["term"].cat.categories
    return [f"{categories[keys[i] // size]} {categories[keys[i] % size]}" for i in order]


def join_expressions(tokens: pd.DataFrame, expressions: Iterable[str], *, texts: dict[str, str],
                     lowercase: bool = True) -> pd.DataFrame:
    """Join each occurrence of a multi-word expression within a sentence into one row.

    An expression is matched on the normalised terms of consecutive tokens (``"United States"`` matches
    ``united``, ``states`` after case folding). The joined row keeps the first word's ``position``, ``start`` and
    flags, ends where the last word ends, has ``token`` = the text as written and ``term`` = the words joined with
    spaces. Longer expressions win over shorter ones; occurrences do not overlap.

    >>> text = "The United States and Libya. The United States signed."
    >>> t = tokenize(pd.DataFrame({"doc_id": ["a"], "text": [text]}))
    >>> joined = join_expressions(t, ["united states"], texts={"a": text})
    >>> joined["term"].tolist()
    ['the', 'united states', 'and', 'libya', '.', 'the', 'united states', 'signed', '.']
    """
    words_of = sorted({tuple((e.lower() if lowercase else e).split()) for e in expressions if len(e.split()) > 1},
                      key=len, reverse=True)
    if not words_of or not len(tokens):
        return tokens
    categories = tokens["term"].cat.categories
    lookup = {str(term): i for i, term in enumerate(categories)}
    codes = tokens["term"].cat.codes.to_numpy()
    doc = tokens["doc_id"].cat.codes.to_numpy()
    sentence = tokens["sentence"].to_numpy()
    taken = np.zeros(len(tokens), dtype=bool)
    heads, lasts, terms = [], [], []
    for words in words_of:
        if any(w not in lookup for w in words):
            continue
        k = len(words)
        n = len(tokens) - k + 1
        if n <= 0:
            continue
        match = np.ones(n, dtype=bool)
        for offset, word in enumerate(words):
            match &= codes[offset:offset + n] == lookup[word]
            match &= doc[offset:offset + n] == doc[:n]
            match &= sentence[offset:offset + n] == sentence[:n]
        last_end = -1
        for i in np.flatnonzero(match):
            if i <= last_end or taken[i:i + k].any():
                continue
            taken[i:i + k] = True
            heads.append(i)
            lasts.append(i + k - 1)
            terms.append(" ".join(words))
            last_end = i + k - 1
    if not heads:
        return tokens
    heads, lasts = np.array(heads), np.array(lasts)
    keep = ~taken
    keep[heads] = True
    table = tokens.copy()
    end = table["end"].to_numpy().copy()
    end[heads] = end[lasts]
    table["end"] = end
    doc_ids = table["doc_id"].astype(str).to_numpy()[heads]
    starts = table["start"].to_numpy()[heads]
    written = [texts[d][s:e] for d, s, e in zip(doc_ids, starts, end[heads])]
    token = table["token"].astype(object).to_numpy().copy()
    term = table["term"].astype(object).to_numpy().copy()
    token[heads] = written
    term[heads] = terms
    table["token"] = pd.Categorical(token)
    table["term"] = pd.Categorical(term)
    for flag in ("is_stop", "is_punct", "is_number"):
        values = table[flag].to_numpy().copy()
        values[heads] = False
        table[flag] = values
    alpha = table["is_alpha"].to_numpy().copy()
    alpha[heads] = [all(part.isalpha() for part in t.split()) for t in terms]
    table["is_alpha"] = alpha
    return table.loc[keep].reset_index(drop=True)


def tokenizer_resources(tokens: pd.DataFrame | None = None) -> pd.DataFrame:
    """Which tokenisation resources and fallbacks a token table used (or would use now, without one).

    Columns: ``step``, ``in_effect``.

    >>> tokenizer_resources()["step"].tolist()
    ['sentences', 'words', 'stopwords', 'lemmatisation', 'pos']
    """
    if tokens is not None and "tokenizer" in tokens.attrs:
        report = tokens.attrs["tokenizer"]
    else:
        report = {
            "sentences": ("pretrained English Punkt (punkt_tab)" if has_resource("punkt_tab") else
                          "Punkt trained on the articles + the kit's news abbreviations and titles "
                          "(punkt_tab missing)"),
            "words": "NLTK Treebank rules (word_tokenize), one-pass regular expression; ’ read as the apostrophe",
            "stopwords": _stopwords("auto", True, (), ())[1],
            "lemmatisation": "WordNet available" if has_resource("wordnet") else
                             "not available: NLTK wordnet missing (stemming is)",
            "pos": "NLTK averaged perceptron tagger available" if has_resource("averaged_perceptron_tagger_eng")
                   else "not available: NLTK averaged_perceptron_tagger_eng missing",
        }
    return pd.DataFrame({"step": list(report), "in_effect": [str(v) for v in report.values()]})
