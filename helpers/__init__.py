"""newskit helpers: load → tokenize → count → chart, one tidy pandas frame per stage.

>>> import helpers
>>> articles = helpers.load_articles(helpers.ARTICLES_DIR)
>>> tokens = helpers.tokenize(articles)
>>> "libya" in helpers.frequencies(tokens).head(5)["term"].tolist()
True
"""

from . import scale
from .articles import load_articles, load_report, make_doc_id, one_per_story, save_articles, story_clusters
from .cache import cached_load_articles, cached_tokenize
from .collocations import collocations, ngrams
from .config import ARTICLES_DIR, PROJECT_ROOT, REPORTS_DIR, SAMPLE_CREDIT, default_sources
from .cooccurrence import cooccurrence, cooccurrence_graph
from .entities import entities, entity_counts
from .explore import explore, term_collocates, term_kwic, term_trend
from .keyness import keyness, reference_frequencies
from .keyphrases import keyphrases
from .keywords import (
    content_tokens,
    dispersion,
    document_term_matrix,
    DocumentTermMatrix,
    frequencies,
    tfidf,
    token_mask,
)
from .kwic import kwic
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
from .scale import dask_client, is_dask, write_parquet
from .sentences import as_sentence_model, news_abbreviations, news_titles, sentence_model, SentenceModel
from .sentiment import sentence_texts, sentiment
from .themes import load_themes, themes
from .tokens import (
    article_term_matrix,
    join_expressions,
    stopword_list,
    strongest_collocations,
    tokenize,
    tokenize_article,
    tokenizer_resources,
)
from .topics import Topics, topics
from .trends import keyness_over_time, term_hits, trends

__version__ = '0.1.0'

__all__ = [
    "ARTICLES_DIR",
    "PROJECT_ROOT",
    "REPORTS_DIR",
    "SAMPLE_CREDIT",
    "DocumentTermMatrix",
    "SentenceModel",
    "Topics",
    "add_source_note",
    "article_term_matrix",
    "as_sentence_model",
    "browser_check",
    "cached_load_articles",
    "cached_tokenize",
    "collocations",
    "content_tokens",
    "cooccurrence",
    "cooccurrence_graph",
    "dask_client",
    "default_sources",
    "describe_articles",
    "dispersion",
    "document_term_matrix",
    "ensure_nltk_data",
    "entities",
    "entity_counts",
    "explore",
    "fetch_sample",
    "frequencies",
    "has_resource",
    "is_dask",
    "join_expressions",
    "keyness",
    "keyness_over_time",
    "keyphrases",
    "kwic",
    "load_articles",
    "load_report",
    "load_themes",
    "make_doc_id",
    "news_abbreviations",
    "news_titles",
    "ngrams",
    "one_per_story",
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
    "reference_frequencies",
    "resource_status",
    "save_articles",
    "save_figure",
    "save_table",
    "saved_outputs",
    "scale",
    "sentence_model",
    "sentence_texts",
    "sentiment",
    "set_output_dir",
    "set_source_note",
    "source_note",
    "stopword_list",
    "story_clusters",
    "strongest_collocations",
    "term_collocates",
    "term_hits",
    "term_kwic",
    "term_trend",
    "tfidf",
    "themes",
    "token_mask",
    "tokenize",
    "tokenize_article",
    "tokenizer_resources",
    "topics",
    "trends",
    "use_style",
    "write_parquet",
    "write_report",
]
