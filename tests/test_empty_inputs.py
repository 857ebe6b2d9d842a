"""The table contract of issue 17: every public function returns its documented columns, typed as on a full table,
even when there is nothing to count, or raises a ValueError its docstring announces.

Each function of ``helpers.__all__`` is either called here (on an empty corpus, a one-row corpus -- one article,
one sentence, one token -- and corpora of odd shapes) or listed in ``NOT_TABLES`` with the reason it returns no
table. The columns come from the module constants the functions themselves use, and each constant's names must
appear in the function's docstring, so code, documentation and test name the same columns.
"""

from __future__ import annotations

import importlib
import inspect
import re
import warnings

import pandas as pd
import pytest

import helpers
from helpers.text.agreement import AGREEMENT_COLUMNS
from helpers.load.duplicates import CLUSTER_DTYPES

from helpers.load import articles as articles_module
from helpers.stats import collocation as collocations, co_occurrence as cooccurrence, concordance as kwic, name_types
from helpers.stats import counts as keywords, distinctive as keyness, names as entities, over_time as trends
from helpers.stats import name_types
from helpers.stats import phrases as keyphrases, theme_lists as themes, tone as sentiment, topic_model as topics
from helpers.stats import quotations, quoted_sources
from helpers.text import tokenizer as tokens_module
from helpers.views import explorer as explore

# A small dated corpus: the reference whose column types an empty table must have.
SMALL = pd.DataFrame({
    "doc_id": ["a", "b", "c"],
    "title": ["Storm hits coast", "Police seize drugs", "Storm damage"],
    "text": ["The storm hit the coast of Kerala. Officials in Kochi and Kerala said the storm damage was severe. "
             "Great help arrived.",
             "Police seized drugs at the port. The drug smugglers were charged. Police said the storm slowed them.",
             "Storm damage grew. The coast road closed. Officials said the storm was the worst in years. "
             '"We have never seen this," said Mayor Ann Lee.'],
    "date": pd.to_datetime(["2024-01-10", "2024-02-11", "2024-02-20"], utc=True),
    "source": ["a.example", "b.example", "a.example"],
    "collection": ["news", "police", "news"],
})
ONE_ROW = pd.DataFrame({"doc_id": ["x"], "title": ["Storm"], "text": ["Storm"],
                        "date": pd.to_datetime(["2024-03-01"], utc=True), "source": ["a.example"],
                        "collection": ["news"]})
# The shapes issue 17 names, built here rather than loaded, so only the statistics are under test.
SHAPES = {
    "undated": SMALL.assign(date=pd.to_datetime([None] * 3, utc=True)),
    "single source": SMALL.assign(source="a.example", collection="news"),
    "one article": SMALL.iloc[:1],
    "headlines only": SMALL.assign(text=""),
    "non-English": SMALL.assign(
        text=["भारत में आज चुनाव हुए। लोगों ने बड़ी संख्या में मतदान किया।", "东京今天发生地震。没有人员伤亡。",
              "جرت الانتخابات في مصر اليوم. شارك الناس بأعداد كبيرة."]),
    "mixed dated and undated": SMALL.assign(date=pd.to_datetime([None, None, "2024-02-20"], utc=True)),
}


def _corpus(frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return helpers.tokenize(frame), frame


# name -> (call(tokens, articles), expected columns, phrases of the ValueErrors its docstring announces)
CONTRACT = {
    "frequencies": (lambda t, a: helpers.frequencies(t), keywords.FREQUENCY_COLUMNS, []),
    "frequencies by group": (lambda t, a: helpers.frequencies(t, by="source", articles=a),
                             ["source", *keywords.FREQUENCY_COLUMNS], []),
    "dispersion": (lambda t, a: helpers.dispersion(t), keywords.DISPERSION_COLUMNS, []),
    "dispersion over sources": (lambda t, a: helpers.dispersion(t, parts="source", articles=a),
                                keywords.DISPERSION_COLUMNS, []),
    "tfidf": (lambda t, a: helpers.tfidf(t, top=3), keywords.TFIDF_COLUMNS, []),
    "content_tokens": (lambda t, a: helpers.content_tokens(t), tokens_module.TOKEN_COLUMNS, []),
    "keyness": (lambda t, a: helpers.keyness(t, target={"collection": "news"}, articles=a), keyness.KEYNESS_COLUMNS,
                ["selects no counted tokens", "holds no counted tokens"]),
    "ngrams": (lambda t, a: helpers.ngrams(t, n=2), collocations.ngram_columns(2), []),
    "collocations": (lambda t, a: helpers.collocations(t), collocations.collocation_columns(2), []),
    "collocations of three": (lambda t, a: helpers.collocations(t, n=3), collocations.collocation_columns(3), []),
    "kwic": (lambda t, a: helpers.kwic(t, a, "storm"), kwic.KWIC_COLUMNS, []),
    "kwic of a statistic": (lambda t, a: helpers.kwic(t, a, helpers.frequencies(t).head(3)), kwic.KWIC_COLUMNS, []),
    "entities": (lambda t, a: helpers.entities(t, a), entities.MENTION_COLUMNS, []),
    "entity_counts": (lambda t, a: helpers.entity_counts(helpers.entities(t, a)), name_types.COUNT_COLUMNS, []),
    "cooccurrence": (lambda t, a: helpers.cooccurrence(t, min_count=1), cooccurrence.COOCCURRENCE_COLUMNS, []),
    "cooccurrence of entities": (lambda t, a: helpers.cooccurrence(helpers.entities(t, a), column="entity",
                                                                   min_count=1), cooccurrence.COOCCURRENCE_COLUMNS, []),
    "keyphrases": (lambda t, a: helpers.keyphrases(t, use_pos=False), keyphrases.KEYPHRASE_COLUMNS, []),
    "keyphrases of the corpus": (lambda t, a: helpers.keyphrases(t, by=None, use_pos=False),
                                 [*keyphrases.KEYPHRASE_COLUMNS, "docfreq"], []),
    "trends": (lambda t, a: helpers.trends(t, a, terms=["storm*"]), trends.TREND_COLUMNS, ["no article has a date"]),
    "term_hits": (lambda t, a: helpers.term_hits(t, ["storm*", "coast road"]), trends.TERM_HIT_COLUMNS, []),
    "keyness_over_time": (lambda t, a: helpers.keyness_over_time(t, a, min_freq=1),
                          trends.KEYNESS_OVER_TIME_COLUMNS, ["no article has a date"]),
    "keyness_over_time against the previous period": (
        lambda t, a: helpers.keyness_over_time(t, a, against="previous", min_freq=1),
        trends.KEYNESS_OVER_TIME_COLUMNS, ["no article has a date"]),
    "themes": (lambda t, a: helpers.themes(t), themes.THEME_COLUMNS, []),
    "themes over time": (lambda t, a: helpers.themes(t, articles=a, freq="M"), trends.TREND_COLUMNS,
                         ["no article has a date"]),
    "sentence_texts": (lambda t, a: helpers.sentence_texts(t, a), sentiment.SENTENCE_TEXT_COLUMNS, []),
    "sentiment": (lambda t, a: helpers.sentiment(t, a), sentiment.SENTIMENT_COLUMNS, []),
    "sentiment per article": (lambda t, a: helpers.sentiment(t, a, level="article"), sentiment.ARTICLE_COLUMNS, []),
    "sentiment_by_article": (lambda t, a: helpers.sentiment_by_article(helpers.sentiment(t, a)),
                             sentiment.ARTICLE_COLUMNS, []),
    "topics (topic_terms)": (lambda t, a: helpers.topics(t, n_topics=2, min_df=1, max_df=1.0).topic_terms,
                             topics.TOPIC_TERM_COLUMNS, ["cannot hold", "no terms left"]),
    "topics (doc_topics)": (lambda t, a: helpers.topics(t, n_topics=2, min_df=1, max_df=1.0).doc_topics,
                            topics.DOC_TOPIC_COLUMNS, ["cannot hold", "no terms left"]),
    "term_trend": (lambda t, a: helpers.term_trend(t, a, "storm"), trends.TREND_COLUMNS, ["no article has a date"]),
    "term_kwic": (lambda t, a: helpers.term_kwic(t, a, "storm"), kwic.KWIC_COLUMNS, []),
    "term_collocates": (lambda t, a: helpers.term_collocates(t, "storm", min_frequency=1),
                        explore.COLLOCATE_COLUMNS, []),
    "nltk_agreement": (lambda t, a: helpers.nltk_agreement(a, t, sentence_model=helpers.sentence_model(
        a["text"], pretrained=False)), AGREEMENT_COLUMNS, []),
    "tokenize": (lambda t, a: t, tokens_module.TOKEN_COLUMNS, []),
    "load_report": (lambda t, a: helpers.load_report(helpers.load_articles(a)), articles_module.REPORT_COLUMNS, []),
    "story_clusters": (lambda t, a: helpers.story_clusters(a.assign(story_id=a["doc_id"].str[:1].replace("c", "a"),
                                                                    n_chars=a["text"].str.len())),
                       list(CLUSTER_DTYPES), []),
    "one_per_story": (lambda t, a: helpers.one_per_story(a.assign(story_id=a["doc_id"])),
                      [*SMALL.columns, "story_id"], []),
    "quotes": (lambda t, a: helpers.quotes(t, a), quotations.QUOTE_COLUMNS, []),
    "sources_quoted": (lambda t, a: helpers.sources_quoted(helpers.quotes(t, a), a, by="source"),
                       quoted_sources.SPEAKER_COLUMNS, []),
    "sources_quoted by type": (lambda t, a: helpers.sources_quoted(helpers.quotes(t, a), a, what="types"),
                               quoted_sources.TYPE_COLUMNS, []),
    "sources_quoted per group": (lambda t, a: helpers.sources_quoted(helpers.quotes(t, a), a, by="source",
                                                                     what="groups"), quoted_sources.GROUP_COLUMNS, []),
    "sources_quoted per article": (lambda t, a: helpers.sources_quoted(helpers.quotes(t, a), a, what="articles"),
                                   quoted_sources.ARTICLE_COLUMNS, []),
    "describe_articles": (lambda t, a: helpers.describe_articles(a),
                          ["collection", "n_articles", "first_date", "last_date", "n_undated", "n_sources",
                           "top_sources", "credit"], []),
}
# Where a function returns no table of its own, or a table of another function's.
NOT_TABLES = {
    "document_term_matrix": "a sparse matrix: tested below",
    "article_term_matrix": "a sparse matrix: tested below",
    "topics": "two tables, each in CONTRACT",
    "article_columns": "the articles' own columns by doc_id, for joining onto a result",
    "cooccurrence_graph": "a networkx graph: tested below",
    "explore": "an ipywidgets explorer over term_trend, term_kwic and term_collocates (each in CONTRACT)",
    "term_collocates": "in CONTRACT", "term_kwic": "in CONTRACT", "term_trend": "in CONTRACT",
    "load_articles": "the loader's own tests (every input accounted for); its tables are the input here",
    "cached_load_articles": "load_articles with a cache", "cached_tokenize": "tokenize with a cache",
    "save_articles": "writes files", "make_doc_id": "a string", "token_mask": "a boolean array",
    "load_themes": "a dictionary", "sentence_model": "a sentence splitter", "as_sentence_model": "a sentence splitter",
    "SentenceModel": "a class", "DocumentTermMatrix": "a class", "TokenOptions": "a class", "Topics": "a class",
    "ReadOptions": "a class",
    "news_abbreviations": "a word list", "news_titles": "a word list", "stopword_list": "a word list",
    "strongest_collocations": "a list of expressions", "join_expressions": "a token table from a token table",
    "tokenize_article": "one article's tokens, inside tokenize", "tokenizer_resources": "a description",
    "reference_frequencies": "an external frequency list, not the corpus", "entity_counts": "in CONTRACT",
    "fetch_sample": "downloads", "ensure_nltk_data": "downloads", "has_resource": "a bool",
    "resource_status": "a description", "browser_check": "a browser", "write_report": "writes files",
    "dask_client": "a cluster", "is_dask": "a bool", "write_parquet": "writes files", "scale": "a module",
    "default_sources": "paths", "source_note": "a string", "set_source_note": "a string",
    "add_source_note": "figure text", "use_style": "matplotlib settings",
    "output_dir": "a path", "save_figure": "writes files",
    "save_table": "writes files", "saved_outputs": "a listing of files", "set_output_dir": "a path",
    "drawn_marks": "a count",
    "group_sizes": "a Series of counts (tests/test_focus.py)", "group_columns": "column names (test_focus.py)",
    "min_group_size": "a number", "describe_groups": "a sentence", "resolve_focus": "a Focus (test_focus.py)",
    "choose_terms": "terms and a sentence (test_focus.py)", "corpus_statement": "a sentence",
    "inputs_statement": "a sentence",
}
PLOTS = "plot_"  # the plot_* functions have their own contract in test_plots_contract.py
def _function_of(name: str):
    base = name.split(" ")[0]
    return getattr(helpers, base)


def _documented(name: str) -> str:
    """The function's docstring, with those of the functions it refers to for its columns (":func:`...`")."""
    doc = inspect.getdoc(_function_of(name)) or ""
    for referred in re.findall(r":func:`(?:helpers\.)?(?:\w+\.)?(\w+)`", doc):
        doc += "\n" + (inspect.getdoc(getattr(helpers, referred, None)) or "")
    return " ".join(doc.split())


def test_every_public_function_is_covered():
    called = {name.split(" ")[0] for name in CONTRACT}
    public = {name for name in helpers.__all__ if callable(getattr(helpers, name)) or name == "scale"}
    uncovered = sorted(public - called - set(NOT_TABLES) - {n for n in public if n.startswith(PLOTS)})
    assert not uncovered, f"public functions with no table contract: {uncovered}"


@pytest.mark.parametrize("name", [n for n in CONTRACT if n not in ("tokenize", "one_per_story", "content_tokens")])
def test_documented_columns_are_named_in_the_docstring(name):
    _, columns, errors = CONTRACT[name]
    doc = _documented(name)
    missing = [c for c in columns if c not in ("source",) and not re.search(rf"\b{re.escape(c)}\b", doc)]
    assert not missing, f"{name}: columns {missing} are not in the docstring"
    for phrase in errors:
        assert phrase in doc, f"{name} may raise {phrase!r} but its docstring does not say so"


@pytest.fixture(scope="module")
def reference_types() -> dict[str, pd.Series]:
    tokens, articles = _corpus(SMALL)
    types = {}
    for name, (call, columns, _) in CONTRACT.items():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = call(tokens, articles)
        assert list(result.columns) == list(columns), name
        assert len(result), f"{name} finds nothing in the small corpus: the reference types would be a guess"
        types[name] = result.dtypes
    return types


def _check(name: str, tokens: pd.DataFrame, articles: pd.DataFrame, reference_types, shape: str):
    call, columns, errors = CONTRACT[name]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = call(tokens, articles)
    except ValueError as error:
        announced = [phrase for phrase in errors if phrase in str(error)]
        assert announced, f"{name} on {shape}: undocumented ValueError: {error}"
        return
    assert isinstance(result, pd.DataFrame), f"{name} on {shape} returned {type(result).__name__}"
    assert list(result.columns) == list(columns), f"{name} on {shape}: columns {list(result.columns)}"
    expected = reference_types[name]
    differ = {c: (str(result[c].dtype), str(expected[c])) for c in columns
              if not _same_kind(result[c].dtype, expected[c])}
    assert not differ, f"{name} on {shape}: column types (got, on a full table) {differ}"


def _same_kind(got, expected) -> bool:
    """The same dtype, up to the resolution of a date and the width of an integer. Object is not str: a text
    column of an empty table must stay str (so ``.str`` works), a flag bool (so it filters rows)."""
    if str(got) == str(expected):
        return True
    types = pd.api.types
    if types.is_datetime64_any_dtype(got) and types.is_datetime64_any_dtype(expected):
        return getattr(got, "tz", None) == getattr(expected, "tz", None)
    return types.is_integer_dtype(got) and types.is_integer_dtype(expected)


def _cases(*shapes: str) -> list:
    return [pytest.param(name, shape, id=f"{name}-{shape}") for shape in shapes for name in CONTRACT]


INPUTS = {"empty": SMALL.iloc[:0], "one row": ONE_ROW, **SHAPES}


@pytest.mark.parametrize("name, shape", _cases("empty", "one row"))
def test_empty_and_one_row_corpora_give_the_columns(name, shape, reference_types):
    tokens, articles = _corpus(INPUTS[shape])
    assert len(tokens) == (0 if shape == "empty" else 1)  # one article, one sentence, one token
    _check(name, tokens, articles, reference_types, shape)


@pytest.mark.parametrize("name, shape", _cases(*SHAPES))
def test_odd_corpora_give_the_columns(name, shape, reference_types):
    tokens, articles = _corpus(INPUTS[shape])
    _check(name, tokens, articles, reference_types, shape)


@pytest.mark.parametrize("frame", [SMALL.iloc[:0], ONE_ROW], ids=["empty", "one row"])
def test_matrices_and_graphs_of_nothing_have_the_right_shape(frame):
    tokens, articles = _corpus(frame)
    for dtm in (helpers.document_term_matrix(tokens), helpers.article_term_matrix(articles)):
        assert dtm.matrix.shape == (len(dtm.doc_ids), len(dtm.vocabulary)) == (len(frame), len(frame))
    graph = helpers.cooccurrence_graph(helpers.cooccurrence(tokens, min_count=1))
    assert graph.number_of_nodes() == 0


def test_sentiment_skipped_without_vader_is_typed_as_scored(no_nltk_data, reference_types):
    tokens, articles = _corpus(SMALL)
    with pytest.warns(UserWarning, match="vader_lexicon is absent"):
        sentences = helpers.sentiment(tokens, articles)
    by_article = helpers.sentiment_by_article(sentences)
    for name, table in (("sentiment", sentences), ("sentiment_by_article", by_article)):
        assert table.empty and "vader_lexicon" in table.attrs["skipped"]
        assert list(table.columns) == list(CONTRACT[name][1])
        assert all(_same_kind(table[c].dtype, reference_types[name][c]) for c in table.columns), table.dtypes
