"""newskit helpers: load → tokenize → count → chart, one tidy pandas frame per stage.

>>> import helpers
>>> articles = helpers.load_articles(helpers.ARTICLES_DIR)
>>> tokens = helpers.tokenize(articles)
>>> "libya" in helpers.frequencies(tokens).head(5)["term"].tolist()
True
"""

from .articles import load_articles, load_report, make_doc_id, one_per_story, save_articles, story_clusters
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
    "content_tokens",
    "default_sources",
    "ensure_nltk_data",
    "fetch_sample",
    "frequencies",
    "has_resource",
    "load_articles",
    "load_report",
    "make_doc_id",
    "one_per_story",
    "output_dir",
    "plot_frequencies",
    "resource_status",
    "save_articles",
    "save_figure",
    "save_table",
    "saved_outputs",
    "set_output_dir",
    "stopword_list",
    "story_clusters",
    "tokenize",
]
