"""newskit helpers: load → tokenize → count → chart, one tidy pandas frame per stage.

>>> import helpers
>>> articles = helpers.load_articles(helpers.ARTICLES_DIR)
>>> tokens = helpers.tokenize(articles)
>>> "libya" in helpers.frequencies(tokens).head(5)["term"].tolist()
True

Every public name is importable from here, but its module (and the libraries it needs: scikit-learn, NLTK,
trafilatura, Dask ...) is imported on first use (PEP 562), so ``import helpers`` costs a notebook a fraction
of a second instead of seconds and each notebook pays only for what it calls.
"""

from __future__ import annotations

import importlib

__version__ = '0.1.0'

# public name -> the module that defines it, imported on first use
_EXPORTS = {
    "text.agreement": ["nltk_agreement"],
    "load.articles": ["load_articles", "load_report", "make_doc_id", "one_per_story", "save_articles", "story_clusters"],
    "load.load_cache": ["cached_load_articles"],
    "load.dispatch": ["ReadOptions"],
    "text.token_cache": ["cached_tokenize"],
    "stats.collocation": ["collocations", "ngrams"],
    "settings": ["ARTICLES_DIR", "PROJECT_ROOT", "REPORTS_DIR", "SAMPLE_CREDIT", "default_sources"],
    "stats.co_occurrence": ["cooccurrence", "cooccurrence_graph"],
    "stats.names": ["entities"],
    "stats.name_types": ["entity_counts"],
    "views.explorer": ["explore", "term_collocates", "term_kwic", "term_trend"],
    "views.focus": ["choose_terms", "corpus_statement", "describe_groups", "group_columns", "group_sizes", "inputs_statement",
              "min_group_size", "resolve_focus"],
    "stats.distinctive": ["keyness"],
    "stats.reference_lists": ["reference_frequencies"],
    "stats.phrases": ["keyphrases"],
    "stats.counts": ["dispersion", "document_term_matrix", "frequencies", "tfidf"],
    "stats.selection": ["article_columns", "content_tokens", "token_mask"],
    "stats.concordance": ["kwic"],
    "runs.outputs": ["drawn_marks", "output_dir", "save_figure", "save_table", "saved_outputs", "set_output_dir"],
    "charts.notes": ["add_source_note", "set_source_note", "source_note"],
    "charts.style": ["use_style"],
    "charts.bars": ["plot_collocations", "plot_frequencies", "plot_keyness"],
    "charts.dispersion_plot": ["plot_dispersion"],
    "charts.timelines": ["plot_sentiment", "plot_trends"],
    "charts.heatmap": ["plot_heatmap"],
    "charts.network": ["plot_network"],
    "charts.clouds": ["plot_wordcloud"],
    "charts.topic_grid": ["plot_topics"],
    "runs.report": ["write_report"],
    "runs.browser": ["browser_check"],
    "load.describe": ["describe_articles"],
    "resources": ["ensure_nltk_data", "has_resource", "resource_status"],
    "load.samples": ["fetch_sample"],
    "scale.client": ["dask_client", "is_dask"],
    "scale.partitions": ["write_parquet"],
    "text.sentence_boundaries": ["SentenceModel"],
    "text.sentences": ["as_sentence_model", "news_abbreviations", "news_titles", "sentence_model"],
    "stats.tone": ["sentence_texts", "sentiment", "sentiment_by_article"],
    "stats.theme_lists": ["load_themes", "themes"],
    "text.tokenizer": ["tokenize", "tokenize_article", "tokenizer_resources"],
    "text.term_matrix": ["DocumentTermMatrix", "article_term_matrix"],
    "text.expressions": ["join_expressions", "strongest_collocations"],
    "text.stopwords": ["stopword_list"],
    "text.options": ["TokenOptions"],
    "stats.topic_model": ["Topics", "topics"],
    "stats.over_time": ["keyness_over_time", "term_hits", "trends"],
    "stats.quotations": ["quotes"],
    "stats.quoted_sources": ["sources_quoted"],
    "charts.speakers": ["plot_quoted_share", "plot_speaker_shares", "plot_top_speakers"],
}
_WHERE = {name: module for module, names in _EXPORTS.items() for name in names}

__all__ = sorted(_WHERE, key=lambda name: (not name.isupper(), name[0].islower(), name.lower()))


def __getattr__(name: str):
    module_name = _WHERE.get(name)
    if module_name is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module_name}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
