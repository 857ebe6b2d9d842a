"""newskit helpers: load → tokenize → count → chart, one tidy pandas frame per stage.

>>> import helpers
>>> articles = helpers.load_articles(helpers.ARTICLES_DIR)
>>> tokens = helpers.tokenize(articles)
>>> "libya" in helpers.frequencies(tokens).head(5)["term"].tolist()
True
"""

from .articles import load_articles, make_doc_id
from .config import ARTICLES_DIR, PROJECT_ROOT, REPORTS_DIR, SAMPLE_CREDIT, default_sources
from .keywords import content_tokens, frequencies
from .outputs import output_dir, save_figure, save_table, saved_outputs, set_output_dir
from .plots import plot_frequencies
from .resources import ensure_nltk_data, has_resource, resource_status
from .sample_data import fetch_sample
from .sentences import SentenceModel, as_sentence_model, news_abbreviations, news_titles, sentence_model
from .tokens import (join_expressions, stopword_list, strongest_collocations, tokenize, tokenize_article,
                     tokenizer_resources)

__version__ = "0.1.0"

__all__ = [
    "ARTICLES_DIR",
    "SentenceModel",
    "as_sentence_model",
    "PROJECT_ROOT",
    "REPORTS_DIR",
    "SAMPLE_CREDIT",
    "content_tokens",
    "default_sources",
    "ensure_nltk_data",
    "fetch_sample",
    "frequencies",
    "has_resource",
    "load_articles",
    "join_expressions",
    "make_doc_id",
    "news_abbreviations",
    "news_titles",
    "output_dir",
    "plot_frequencies",
    "resource_status",
    "save_figure",
    "save_table",
    "saved_outputs",
    "sentence_model",
    "set_output_dir",
    "stopword_list",
    "strongest_collocations",
    "tokenize",
    "tokenize_article",
    "tokenizer_resources",
]
