"""newskit helpers: load → tokenize → count → chart, one tidy pandas frame per stage.

>>> import helpers
>>> articles = helpers.load_articles(helpers.ARTICLES_DIR)
>>> tokens = helpers.tokenize(articles)
>>> "libya" in helpers.frequencies(tokens).head(5)["term"].tolist()
True
"""

from .articles import load_articles, make_doc_id
from .cooccurrence import cooccurrence, cooccurrence_graph
from .entities import entities, entity_counts
from .keyphrases import keyphrases
from .sentiment import sentence_texts, sentiment
from .topics import Topics, topics
from .themes import load_themes, themes
from .trends import keyness_over_time, keyness_statistics, term_hits, trends
from .config import ARTICLES_DIR, PROJECT_ROOT, REPORTS_DIR, SAMPLE_CREDIT, default_sources
from .keywords import content_tokens, frequencies
from .outputs import output_dir, save_figure, save_table, saved_outputs, set_output_dir
from .plots import plot_frequencies
from .resources import ensure_nltk_data, has_resource, resource_status
from .sample_data import fetch_sample
from .tokens import stopword_list, tokenize

__version__ = "0.1.0"

__all__ = [
    "ARTICLES_DIR",
    "PROJECT_ROOT",
    "REPORTS_DIR",
    "SAMPLE_CREDIT",
    "Topics",
    "content_tokens",
    "cooccurrence",
    "cooccurrence_graph",
    "default_sources",
    "ensure_nltk_data",
    "entities",
    "entity_counts",
    "fetch_sample",
    "keyness_over_time",
    "keyphrases",
    "keyness_statistics",
    "load_themes",
    "frequencies",
    "has_resource",
    "load_articles",
    "make_doc_id",
    "output_dir",
    "plot_frequencies",
    "resource_status",
    "save_figure",
    "save_table",
    "saved_outputs",
    "sentence_texts",
    "sentiment",
    "set_output_dir",
    "stopword_list",
    "term_hits",
    "themes",
    "tokenize",
    "topics",
    "trends",
]
