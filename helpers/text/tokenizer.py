"""Tokenise an articles frame into the token table: one row per token.

Columns: ``doc_id`` (category), ``sentence`` (index of the sentence in the article), ``position`` (index of the
token in the article's Treebank token sequence; a joined multi-word expression has its first word's position, and
dropped tokens leave gaps), ``token`` (as written), ``term`` (normalised, for counting), ``start``/``end``
(character offsets into the article's ``text``: ``text[start:end] == token``), ``is_stop``, ``is_punct``,
``is_alpha``, ``is_number`` (+ ``pos`` when asked for and the tagger is present). Strings are categoricals and
numbers int32, about 30 bytes per token.

Sentences come from :mod:`helpers.text.sentences` (Punkt), words from :mod:`helpers.text.words` (NLTK's Treebank
rules in one regular-expression pass), terms and flags from :mod:`helpers.text.normalise`. ``tokenize`` is pure and
deterministic: the same articles and :class:`helpers.TokenOptions` give the same table (the options are hashable),
and ``tokens.attrs["tokenizer"]`` says which resources and fallbacks were used.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from helpers.frames import gather
from helpers.resources import has_resource
from helpers.scale.client import is_dask
from helpers.text.corpus_words import rows_from_stage
from helpers.text.expressions import join_expressions, strongest_collocations
from helpers.text.normalise import vocabulary_table
from helpers.text.options import TokenOptions, check_options
from helpers.text.parallel import map_chunks
from helpers.text.partitioned import tokenize_partitions
from helpers.text.sentences import SentenceModel, sentence_model, sentence_splitter
from helpers.text.stopwords import DEFAULT_OPTIONS, stopwords_and_source

TOKEN_COLUMNS = ["doc_id", "sentence", "position", "token", "term", "start", "end",
                 "is_stop", "is_punct", "is_alpha", "is_number"]

__all__ = ["TOKEN_COLUMNS", "SentenceModel", "sentence_model", "sentence_splitter", "tokenize", "tokenize_article",
           "tokenizer_resources"]


def _tokenize_chunk(stage: dict, model: SentenceModel) -> dict:
    """Raw token columns for a chunk of articles (run in worker processes for ``n_jobs > 1``)."""
    split = rows_from_stage(stage, model)
    # Rows name their article by its index among the chunk's non-empty texts (``present``: their index in the chunk)
    columns = {"present": np.array(stage["present"], dtype=np.int64)}
    columns.update({name: split.pop(name) for name in ("text", "sentence", "position", "start", "end", "token",
                                                        "vocabulary")})
    return columns


def check_articles(articles: pd.DataFrame) -> None:
    """A clear error unless ``articles`` is a frame with ``doc_id`` and ``text`` and each ``doc_id`` names one article.

    >>> check_articles(pd.DataFrame({"doc_id": ["a", "a"], "text": ["x", "y"]}))
    Traceback (most recent call last):
    ValueError: doc_id must be unique; 'a' names two articles
    """
    if not isinstance(articles, pd.DataFrame) or not {"doc_id", "text"} <= set(articles.columns):
        raise ValueError("tokenize needs an articles frame with columns doc_id and text (see load_articles)")
    if articles["doc_id"].duplicated().any():
        duplicated = articles.loc[articles["doc_id"].duplicated(), "doc_id"].iloc[0]
        raise ValueError(f"doc_id must be unique; {duplicated!r} names two articles")


def tokenize(articles: pd.DataFrame, *, options: TokenOptions = DEFAULT_OPTIONS,
             sentence_model: SentenceModel | None = None, n_jobs: int = 1) -> pd.DataFrame:
    """Split each article into sentences and Treebank-style tokens: the token table, one row per token.

    Sentences: ``sentence_model`` (see :func:`helpers.sentence_model`; by default pretrained Punkt when
    ``punkt_tab`` is present, else Punkt trained on these articles). Words: NLTK's ``word_tokenize`` rules.
    ``options`` (a :class:`helpers.TokenOptions`) say how words are split, normalised, filtered and joined.

    Normalisation of ``term`` (the defaults intervene least): typographic quotes and apostrophes become the plain
    ones (``’s`` -> ``'s``; ``token`` keeps the text as written); clitics (``'s n't 're 've 'll 'd 'm``, either
    apostrophe) are tokens of their own and always ``is_stop``, whatever the stopword list; then case, acronyms,
    stems or lemmas as the options say (``lemmatize`` warns, and terms stay unlemmatised, without WordNet).
    ``is_stop`` uses :func:`stopword_list` of the same options. Rows are dropped only when the options ask.
    ``expressions`` are joined into one row whose term is the space-joined normalised words;
    ``collocation_expressions=n`` also joins the n strongest two-word collocations of the corpus (Dunning's
    log-likelihood, see :func:`join_expressions`).
    ``n_jobs`` processes (this one and ``n_jobs - 1`` forked workers; ``-1``: one per core) tokenise chunks of
    articles in parallel, each taking the next chunk when done; without a ``sentence_model`` the workers split
    and tokenise while this process trains Punkt, then it takes chunks too. The table is the same for any
    ``n_jobs``.

    >>> articles = pd.DataFrame({"doc_id": ["a"], "text": ["Libya’s MoU with the U.S. was signed."]})
    >>> tokenize(articles)["token"].tolist()
    ['Libya', '’s', 'MoU', 'with', 'the', 'U.S.', 'was', 'signed', '.']
    >>> tokenize(articles, options=TokenOptions(keep_acronyms=True, expressions=("with the",)))["term"].tolist()
    ['libya', "'s", 'MoU', 'with the', 'U.S.', 'was', 'signed', '.']
    """
    check_options(options)
    if is_dask(articles):  # a Dask articles frame: the same tokens, partition by partition, on the cluster
        return tokenize_partitions(articles, tokenizer=tokenize, splitter=sentence_model, options=options,
                                   n_jobs=n_jobs)
    check_articles(articles)
    texts = [t if isinstance(t, str) else "" for t in articles["text"].tolist()]
    doc_ids = articles["doc_id"].astype(str).tolist()
    bounds, parts, sentence_model = map_chunks(_tokenize_chunk, texts, sentence_model, options.web_tokens, n_jobs)
    columns = _assemble(parts, bounds, doc_ids)
    del parts
    stops, stop_source = stopwords_and_source(*options.stopword_choice)
    lemmatizing = options.lemmatize and has_resource("wordnet")
    if options.lemmatize and not lemmatizing:
        warnings.warn("lemmatize=True but NLTK's wordnet is not installed: terms are not lemmatised "
                      "(python -m helpers nltk-data, or use stem='snowball')", stacklevel=2)
    vocabulary = vocabulary_table(columns["token"].categories, lowercase=options.lowercase,
                                   keep_acronyms=options.keep_acronyms, stem=options.stem, lemmatize=lemmatizing,
                                   stops=stops)
    codes = columns["token"].codes
    term_codes, term_uniques = pd.factorize(vocabulary["term"].astype(object), sort=True)
    columns["term"] = pd.Categorical.from_codes(gather(term_codes.astype(code_dtype(len(term_uniques))), codes),
                                                categories=pd.Index(term_uniques, dtype="str"))
    # The four flags gathered as the bits of one byte per token (one gather, not four), then taken apart.
    flags = ("is_stop", "is_punct", "is_alpha", "is_number")
    bits = np.zeros(len(vocabulary), dtype=np.uint8)
    for bit, flag in enumerate(flags):
        bits |= vocabulary[flag].to_numpy(dtype=bool).view(np.uint8) << bit
    bits = gather(bits, codes)
    for bit, flag in enumerate(flags):
        columns[flag] = ((bits >> bit) & 1).view(bool)
    table = pd.DataFrame({name: columns.pop(name) for name in TOKEN_COLUMNS}, copy=False)
    report = {
        "sentences": sentence_model.source,
        "words": "NLTK Treebank rules (word_tokenize), one-pass regular expression; ’ read as the apostrophe"
                 + ("; URLs, e-mails, @handles, #hashtags kept whole" if options.web_tokens else ""),
        "stopwords": stop_source,
        "case": ("lower case" if options.lowercase else "as written")
                + ("; acronyms kept" if options.keep_acronyms else ""),
        "stemming": options.stem or "none",
        "lemmatisation": ("WordNet" if lemmatizing else
                          "not available: NLTK wordnet missing" if options.lemmatize else "none"),
        "pos": "none",
        "expressions": "none",
    }
    if options.pos:
        table, report["pos"] = _tag(table)
    joined = list(options.expressions)
    if options.collocation_expressions:
        joined += strongest_collocations(table, n=options.collocation_expressions)
    if joined:
        table = join_expressions(table, joined, texts=dict(zip(doc_ids, texts)),
                                 lowercase=options.lowercase)
        report["expressions"] = f"{len(joined)} joined ({len(options.expressions)} given, "\
                                f"{len(joined) - len(options.expressions)} from collocations)"
    keep = np.ones(len(table), dtype=bool)
    if options.drop_stop:
        keep &= ~table["is_stop"].to_numpy()
    if options.drop_punct:
        keep &= ~table["is_punct"].to_numpy()
    if options.drop_numbers:
        keep &= ~table["is_number"].to_numpy()
    if options.min_length > 1:
        lengths = table["term"].cat.categories.str.len().to_numpy()
        keep &= lengths[table["term"].cat.codes.to_numpy()] >= options.min_length
    if not keep.all():
        table = table.loc[keep].reset_index(drop=True)
        for column in ("token", "term"):
            table[column] = table[column].cat.remove_unused_categories()
    table.attrs["tokenizer"] = report
    return table


def _assemble(parts: list[dict], bounds: list[tuple[int, int]], doc_ids: list[str]) -> dict:
    """Concatenate the chunks' columns, releasing each chunk's arrays as soon as they are copied (peak memory)."""
    # Categories are the articles that have tokens, sorted: the same categoricals whichever way a table is put
    # together (one corpus, per-article pieces concatenated, a cache rebuilding them with astype("category")).
    # Each chunk's rows become doc_id codes through one small map per chunk (row text -> article -> code), gathered
    # once per row straight into the codes' final integer type.
    docs_of_chunk = [p.pop("present") + a for p, (a, _) in zip(parts, bounds)]
    with_tokens = np.zeros(len(doc_ids), dtype=bool)
    for p, docs in zip(parts, docs_of_chunk):
        with_tokens[docs[np.bincount(p["text"], minlength=len(docs)) > 0]] = True
    present = np.flatnonzero(with_tokens)
    present = present[np.argsort(np.array([doc_ids[i] for i in present], dtype=object), kind="stable")]
    recode = np.full(len(doc_ids), -1, dtype=code_dtype(len(present)))
    recode[present] = np.arange(len(present))
    doc_codes = np.concatenate([gather(recode[docs], p.pop("text")) for p, docs in zip(parts, docs_of_chunk)])
    columns = {"doc_id": pd.Categorical.from_codes(
        doc_codes, categories=pd.Index([doc_ids[i] for i in present], dtype="str"))}
    for name in ("sentence", "position", "start", "end"):
        columns[name] = np.concatenate([p.pop(name) for p in parts])
    columns["token"] = _sorted_union([(p.pop("token"), p.pop("vocabulary")) for p in parts])
    return columns


def _sorted_union(chunks: list[tuple[np.ndarray, list[str]]]) -> pd.Categorical:
    """One categorical of the chunks' token codes, its categories every chunk's vocabulary sorted (what
    ``union_categoricals(..., sort_categories=True)`` gives): the vocabularies are merged and sorted once by Arrow,
    and each chunk's codes recoded with an array, without a categorical per chunk."""
    import pyarrow as pa
    import pyarrow.compute as pc

    merged = pc.dictionary_encode(pa.array([t for _, vocabulary in chunks for t in vocabulary], type=pa.large_string()))
    order = pc.sort_indices(merged.dictionary).to_numpy()
    rank = np.empty(len(order), dtype=code_dtype(len(order)))
    rank[order] = np.arange(len(order))
    rank = rank[merged.indices.to_numpy(zero_copy_only=False)]
    offsets = np.cumsum([0] + [len(vocabulary) for _, vocabulary in chunks])
    codes = np.concatenate([gather(rank[offset:], codes) for offset, (codes, _) in zip(offsets, chunks)])
    return pd.Categorical.from_codes(codes, categories=pd.Index(pd.array(merged.dictionary.take(order), dtype="str")))


def code_dtype(n_categories: int) -> type:
    """The integer type pandas keeps the codes of ``n_categories`` categories in (``coerce_indexer_dtype``): codes
    gathered straight into it are not converted again, a pass over every row, by ``Categorical.from_codes``.

    >>> code_dtype(100), code_dtype(20_000), code_dtype(40_000)
    (<class 'numpy.int8'>, <class 'numpy.int16'>, <class 'numpy.int32'>)
    """
    for dtype in (np.int8, np.int16, np.int32):
        if n_categories < np.iinfo(dtype).max:
            return dtype
    return np.int64


def tokenize_article(text: str, *, doc_id: str = "article", sentence_model: SentenceModel,
                     options: TokenOptions = DEFAULT_OPTIONS) -> pd.DataFrame:
    """The token table of one article, given a sentence model (so a per-article cache can wrap it).

    With the same model and :class:`helpers.TokenOptions`, the rows equal that article's rows in ``tokenize`` of a
    whole corpus (except with ``collocation_expressions``, which depends on the corpus).

    >>> model = sentence_model(pretrained=False)
    >>> tokenize_article("Maj. Gen. Khaled met Mr. Smith. It ended.", sentence_model=model)["sentence"].tolist()
    [0, 0, 0, 0, 0, 0, 0, 1, 1, 1]
    """
    return tokenize(pd.DataFrame({"doc_id": [doc_id], "text": [text]}), options=options, sentence_model=sentence_model)


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
            "stopwords": stopwords_and_source(*DEFAULT_OPTIONS.stopword_choice)[1],
            "lemmatisation": "WordNet available" if has_resource("wordnet") else
                             "not available: NLTK wordnet missing (stemming is)",
            "pos": "NLTK averaged perceptron tagger available" if has_resource("averaged_perceptron_tagger_eng")
                   else "not available: NLTK averaged_perceptron_tagger_eng missing",
        }
    return pd.DataFrame({"step": list(report), "in_effect": [str(v) for v in report.values()]})
