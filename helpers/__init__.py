"""newskit helpers: load → tokenize → count → chart, one tidy pandas frame per stage.

>>> import helpers
>>> articles = helpers.load_articles(helpers.ARTICLES_DIR)
>>> tokens = helpers.tokenize(articles)
>>> "libya" in helpers.frequencies(tokens).head(5)["term"].tolist()
True
"""

from .articles import load_articles, make_doc_id
from .config import ARTICLES_DIR, PROJECT_ROOT, REPORTS_DIR, SAMPLE_CREDIT, default_sources
from .explore import explore, term_collocates, term_kwic, term_trend
from .keywords import content_tokens, frequencies
from .outputs import output_dir, save_figure, save_table, saved_outputs, set_output_dir
from .plots import (
    add_source_note,
    plot_collocations,
    plot_dispersion,
    plot_frequencies,
    plot_heatmap,
    plot_keyness,
    plot_network,
    plot_sentiment,
    plot_topics,
    plot_trends,
    plot_wordcloud,
    set_source_note,
    source_note,
    use_style,
)
from .report import browser_check, describe_articles, write_report
from .resources import ensure_nltk_data, has_resource, resource_status
from .sample_data import fetch_sample
from .tokens import stopword_list, tokenize

__version__ = "0.1.0"

__all__ = [
    "ARTICLES_DIR",
    "PROJECT_ROOT",
    "REPORTS_DIR",
    "SAMPLE_CREDIT",
    "add_source_note",
    "browser_check",
    "content_tokens",
    "default_sources",
    "describe_articles",
    "ensure_nltk_data",
    "explore",
    "fetch_sample",
    "frequencies",
    "has_resource",
    "load_articles",
    "make_doc_id",
    "output_dir",
    "plot_collocations",
    "plot_dispersion",
    "plot_frequencies",
    "plot_heatmap",
    "plot_keyness",
    "plot_network",
    "plot_sentiment",
    "plot_topics",
    "plot_trends",
    "plot_wordcloud",
    "resource_status",
    "save_figure",
    "save_table",
    "saved_outputs",
    "set_output_dir",
    "set_source_note",
    "source_note",
    "stopword_list",
    "term_collocates",
    "term_kwic",
    "term_trend",
    "tokenize",
    "use_style",
    "write_report",
]
