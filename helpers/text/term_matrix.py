"""The document-term matrix straight from the articles' text, without the token table."""

from __future__ import annotations

import functools
import warnings
from typing import NamedTuple

import numpy as np
import pandas as pd
from scipy import sparse

from helpers.resources import has_resource
from helpers.text.corpus_words import counts_from_stage
from helpers.text.normalise import vocabulary_table
from helpers.text.options import TokenOptions, check_options
from helpers.text.parallel import map_chunks
from helpers.text.sentences import SentenceModel
from helpers.text.stopwords import DEFAULT_OPTIONS, stopwords_and_source
from helpers.text.tokenizer import check_articles


class DocumentTermMatrix(NamedTuple):
    """A sparse count matrix (documents × terms) with its row and column labels."""

    matrix: sparse.csr_matrix
    vocabulary: pd.Index
    doc_ids: pd.Index

    def to_frame(self) -> pd.DataFrame:
        """The matrix as a dense DataFrame (doc_id × term); only for small corpora."""
        return pd.DataFrame(self.matrix.toarray(), index=self.doc_ids, columns=self.vocabulary)


def article_term_matrix(articles: pd.DataFrame, *, options: TokenOptions = DEFAULT_OPTIONS, drop_stop: bool = True,
                        drop_punct: bool = True, min_df: int = 1, sentence_model: SentenceModel | None = None,
                        n_jobs: int = 1) -> DocumentTermMatrix:
    """The document-term matrix of the articles straight from their text, without the token table: the same
    matrix, vocabulary and rows as ``document_term_matrix(tokenize(articles, options=options), drop_stop=...,
    drop_punct=..., min_df=...)``.

    The quick way to count when the rows are not needed (frequencies, TF-IDF, topic models, scikit-learn). Each
    distinct whitespace-separated piece of the corpus is tokenised once and the counts are two sparse matrix
    products (see :func:`helpers.text.corpus_words.count_corpus`). ``options`` mean what they mean in
    :func:`helpers.tokenize` (its rows dropped are not counted), ``drop_stop``, ``drop_punct`` and ``min_df`` what
    they mean in :func:`helpers.document_term_matrix`; joining expressions needs the token table.

    >>> articles = pd.DataFrame({"doc_id": ["a", "b"], "text": ["Libya signed the MoU.", "The MoU, again."]})
    >>> dtm = article_term_matrix(articles)
    >>> list(dtm.vocabulary), dtm.matrix.toarray().tolist()
    (['libya', 'mou', 'signed'], [[1, 1, 1], [0, 1, 0]])
    """
    check_options(options)
    if options.expressions or options.collocation_expressions:
        raise ValueError("article_term_matrix does not join expressions (that needs the token table): use "
                         "document_term_matrix(tokenize(articles, options=options))")
    check_articles(articles)
    texts = [t if isinstance(t, str) else "" for t in articles["text"].tolist()]
    doc_ids = articles["doc_id"].astype(str).tolist()
    if options.lemmatize and not has_resource("wordnet"):
        warnings.warn("lemmatize=True but NLTK's wordnet is not installed: terms are not lemmatised "
                      "(python -m helpers nltk-data, or use stem='snowball')", stacklevel=2)
    terms_of_tokens = functools.partial(
        _count_chunk, normalise={"lowercase": options.lowercase, "keep_acronyms": options.keep_acronyms,
                                 "stem": options.stem, "lemmatize": options.lemmatize and has_resource("wordnet")},
        stops=options.stopword_choice,
        drops={"drop_stop": drop_stop, "drop_punct": drop_punct, "drop_numbers": options.drop_numbers,
               "min_length": options.min_length, "stop_rows": options.drop_stop, "punct_rows": options.drop_punct})
    _, parts, _ = map_chunks(terms_of_tokens, texts, sentence_model, options.web_tokens, n_jobs)
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
    present, n_texts = stage["present"], stage["n_texts"]
    counts, tokens = counts_from_stage(stage, model)
    if len(present) < n_texts:  # empty articles get their (empty) row back
        expand = sparse.csr_matrix((np.ones(len(present), dtype=np.int64), (present, np.arange(len(present)))),
                                   shape=(n_texts, len(present)))
        counts = (expand @ counts).tocsr()
    vocabulary = vocabulary_table(pd.Index(tokens, dtype=object), stops=stopwords_and_source(*stops)[0], **normalise)
    # As tokenize: numbers and short terms are no rows at all; as document_term_matrix: stopwords and
    # punctuation are rows that are not counted (their article keeps its row).
    in_table = np.ones(len(vocabulary), dtype=bool)
    if drops["drop_numbers"]:
        in_table &= ~vocabulary["is_number"].to_numpy()
    if drops["min_length"] > 1:
        in_table &= vocabulary["term"].str.len().to_numpy() >= drops["min_length"]
    if drops["stop_rows"]:
        in_table &= ~vocabulary["is_stop"].to_numpy()
    if drops["punct_rows"]:
        in_table &= ~vocabulary["is_punct"].to_numpy()
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
