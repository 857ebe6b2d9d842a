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
import sys
from types import ModuleType

__version__ = '0.1.0'

# public name -> submodule that defines it; "scale" is exported as the module itself.
_EXPORTS = {
    "agreement": ["nltk_agreement"],
    "articles": ["load_articles", "load_report", "make_doc_id", "one_per_story", "save_articles", "story_clusters"],
    "cache": ["cached_load_articles", "cached_tokenize"],
    "collocations": ["collocations", "ngrams"],
    "config": ["ARTICLES_DIR", "PROJECT_ROOT", "REPORTS_DIR", "SAMPLE_CREDIT", "default_sources"],
    "cooccurrence": ["cooccurrence", "cooccurrence_graph"],
    "entities": ["entities", "entity_counts"],
    "explore": ["explore", "term_collocates", "term_kwic", "term_trend"],
    "focus": ["choose_terms", "corpus_statement", "describe_groups", "group_columns", "group_sizes", "inputs_statement",
              "min_group_size", "resolve_focus"],
    "keyness": ["keyness", "reference_frequencies"],
    "keyphrases": ["keyphrases"],
    "keywords": ["DocumentTermMatrix", "content_tokens", "dispersion", "document_term_matrix", "frequencies", "tfidf", "token_mask"],
    "kwic": ["kwic"],
    "outputs": ["drawn_marks", "output_dir", "save_figure", "save_table", "saved_outputs", "set_output_dir"],
    "plots": ["add_source_note", "plot_collocations", "plot_dispersion", "plot_frequencies", "plot_heatmap", "plot_keyness", "plot_network", "plot_sentiment", "plot_topics", "plot_trends", "plot_wordcloud", "set_source_note", "source_note", "use_style"],
    "report": ["browser_check", "describe_articles", "write_report"],
    "resources": ["ensure_nltk_data", "has_resource", "resource_status"],
    "sample_data": ["fetch_sample"],
    "scale": ["dask_client", "is_dask", "write_parquet"],
    "sentences": ["SentenceModel", "as_sentence_model", "news_abbreviations", "news_titles", "sentence_model"],
    "sentiment": ["sentence_texts", "sentiment", "sentiment_by_article"],
    "themes": ["load_themes", "themes"],
    "tokens": ["article_term_matrix", "join_expressions", "stopword_list", "strongest_collocations", "tokenize", "tokenize_article", "tokenizer_resources"],
    "topics": ["Topics", "topics"],
    "trends": ["keyness_over_time", "term_hits", "trends"],
}
_SUBMODULE_EXPORTS = {"scale"}
_WHERE = {name: module for module, names in _EXPORTS.items() for name in names}
_WHERE.update({name: name for name in _SUBMODULE_EXPORTS})

__all__ = sorted(_WHERE, key=lambda name: (not name.isupper(), name[0].islower(), name.lower()))


def __getattr__(name: str):
    module_name = _WHERE.get(name)
    if module_name is None:
        try:
            return importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as error:
            if error.name != f"{__name__}.{name}":
                raise
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    module = importlib.import_module(f"{__name__}.{module_name}")
    value = module if name in _SUBMODULE_EXPORTS else getattr(module, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


class _Package(ModuleType):
    """Keeps exported functions that share their module's name (``keyness``, ``sentiment``, ``topics`` ...) from
    being replaced by the module when the import system sets ``helpers.<submodule>`` on first import."""

    def __setattr__(self, name, value):
        if isinstance(value, ModuleType) and name in _WHERE and name not in _SUBMODULE_EXPORTS:
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
