"""Sentences, Treebank tokens, normalisation and the token table: exact expectations on small inline texts, and
agreement with NLTK on the Wikinews sample."""

from __future__ import annotations

import pickle
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from nltk.tokenize import NLTKWordTokenizer
from nltk.tokenize.punkt import PunktSentenceTokenizer

import helpers
from helpers.text.sentences import sentence_model
from helpers.text.expressions import join_expressions, strongest_collocations
from helpers.text.options import TokenOptions
from helpers.text.tokenizer import TOKEN_COLUMNS, tokenize, tokenize_article
from helpers.text.words import split_words
from needs import need_resource, nltk_finds


def frame(*texts: str) -> pd.DataFrame:
    return pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(texts))], "text": list(texts)})


def tokens_of(text: str, *, sentence_model=None, **options) -> list[str]:
    return tokenize(frame(text), options=TokenOptions(**options),
                    sentence_model=sentence_model)["token"].astype(str).tolist()


def nltk_tokens(text: str, model) -> list[str]:
    """NLTK's Treebank tokens, with the typographic apostrophe read as the straight one (as the kit reads it; the
    strings are the same length, so the spans are the original text's)."""
    words = NLTKWordTokenizer()
    plain = text.replace("’", "'")
    return [text[s + a:s + b] for s, e in model.spans(text) for a, b in words.span_tokenize(plain[s:e])]


HARD_CASES = {
    "Libya’s MoU with the DEA was signed.": ["Libya", "’s", "MoU", "with", "the", "DEA", "was", "signed", "."],
    "They don’t know O’Rourke’s plan.": ["They", "do", "n’t", "know", "O’Rourke", "’s", "plan", "."],
    "“We’re ready,” she’d said; we’ll see.": ["“", "We", "’re", "ready", ",", "”", "she", "’d", "said", ";",
                                               "we", "’ll", "see", "."],
    "Libya's coast guard didn't act.": ["Libya", "'s", "coast", "guard", "did", "n't", "act", "."],
    "“We agreed,” he said.": ["“", "We", "agreed", ",", "”", "he", "said", "."],
    '"We agreed," he said.': ['"', "We", "agreed", ",", '"', "he", "said", "."],
    "Al-Mabrouk discussed cross-border crime.": ["Al-Mabrouk", "discussed", "cross-border", "crime", "."],
    "It cost $3.88 million, or 3,000 dinars, at 10:30.": ["It", "cost", "$", "3.88", "million", ",", "or", "3,000",
                                                          "dinars", ",", "at", "10:30", "."],
    "The U.S. Embassy met officials in Washington, D.C.": ["The", "U.S.", "Embassy", "met", "officials", "in",
                                                           "Washington", ",", "D.C", "."],
    "Smuggling rose 40% (see below) -- again.": ["Smuggling", "rose", "40", "%", "(", "see", "below", ")", "--",
                                                  "again", "."],
    "They cannot wait—it's urgent!": ["They", "can", "not", "wait", "—", "it", "'s", "urgent", "!"],
}


@pytest.mark.parametrize("text", list(HARD_CASES))
def test_hard_cases_give_the_expected_treebank_tokens(text):
    assert tokens_of(text) == HARD_CASES[text]


@pytest.mark.parametrize("text", list(HARD_CASES))
def test_hard_cases_equal_nltk_word_tokenizer(text):
    model = sentence_model([text], pretrained=False)
    assert tokens_of(text, sentence_model=model) == nltk_tokens(text, model)


def test_typographic_apostrophes_and_quotes_count_as_plain_ones_and_clitics_are_stopwords():
    no_stopwords = TokenOptions(stopwords="none", news_stopwords=False)
    curly = tokenize(frame("Libya’s envoys don’t say “no”; they’ve said ‘yes’."), options=no_stopwords)
    plain = tokenize(frame("Libya's envoys don't say \"no\"; they've said 'yes'."), options=no_stopwords)
    assert curly["token"].astype(str).tolist() == ["Libya", "’s", "envoys", "do", "n’t", "say", "“", "no", "”", ";",
                                                   "they", "’ve", "said", "‘", "yes", "’", "."]
    assert curly["term"].astype(str).tolist() == plain["term"].astype(str).tolist()
    assert curly.loc[curly["is_stop"], "term"].astype(str).tolist() == ["'s", "n't", "'ve"]
    assert "s" not in set(curly["term"].astype(str))
    shouted = tokenize(frame("THEY DON’T KNOW IT’S OVER"),
                       options=TokenOptions(keep_acronyms=True, stopwords="none"))
    assert shouted.loc[shouted["is_stop"], "term"].astype(str).tolist() == ["n't", "'s"]


def test_clitics_are_stopwords_without_nltk_data(no_nltk_data):
    table = tokenize(frame("Libya’s envoy isn’t here; we’re told he’ll come."))
    assert table.attrs["tokenizer"]["stopwords"].startswith("scikit-learn")
    clitics = table[table["term"].isin(["'s", "n't", "'re", "'ll"])]
    assert len(clitics) == 4 and clitics["is_stop"].all()
    matrix = helpers.article_term_matrix(frame("Libya’s envoy isn’t here; we’re told he’ll come."))
    assert not {"'s", "n't", "'re", "'ll", "s", "t"} & set(matrix.vocabulary)


@pytest.mark.parametrize("nltk_data", ["present", "absent"])
def test_no_clitic_among_the_default_runs_top_terms_or_collocations(nltk_data, sample_articles, request):
    if nltk_data == "absent":
        request.getfixturevalue("no_nltk_data")
    table = tokenize(sample_articles)
    content = table[~(table["is_stop"] | table["is_punct"] | table["is_number"])]
    top = content["term"].astype(str).value_counts().head(50).index
    assert not {"s", "t", "re", "ve", "ll", "d", "m"} & set(top)
    assert not any("'" in term or "’" in term for term in top)
    seed_ids = sample_articles.loc[sample_articles["collection"] == "articles", "doc_id"]
    seed = content[content["doc_id"].isin(seed_ids)]["term"].astype(str).value_counts()
    assert "s" not in seed.index and seed.index[0] == "libya"
    for pair in strongest_collocations(table, n=50, min_count=2):
        assert not {"s", "'s", "n't", "t"} & set(pair.split()), pair


WEB = "See https://example.org/a?b=1, write to info@example.org, follow @LibyaGov #drugs now."


def test_urls_emails_handles_hashtags_split_as_nltk_by_default():
    assert tokens_of(WEB) == ["See", "https", ":", "//example.org/a", "?", "b=1", ",", "write", "to", "info", "@",
                              "example.org", ",", "follow", "@", "LibyaGov", "#", "drugs", "now", "."]


def test_web_tokens_keeps_urls_emails_handles_hashtags_whole():
    assert tokens_of(WEB, web_tokens=True) == ["See", "https://example.org/a?b=1", ",", "write", "to",
                                               "info@example.org", ",", "follow", "@LibyaGov", "#drugs", "now", "."]


def test_news_abbreviations_and_titles_do_not_end_sentences():
    text = ("The U.S. Drug Enforcement Administration signed it. Maj. Gen. Khaled met Mr. Smith in Tripoli. "
            "He lives in the U.S. The talks went well.")
    model = sentence_model([text], pretrained=False)
    assert model.split(text) == ["The U.S. Drug Enforcement Administration signed it.",
                                 "Maj. Gen. Khaled met Mr. Smith in Tripoli.", "He lives in the U.S.",
                                 "The talks went well."]


def test_users_extend_the_abbreviations():
    text = "Supplies came with Cmdt. Salem today. Nothing else came."
    plain = sentence_model([], pretrained=False)
    extended = sentence_model([], pretrained=False, abbreviations=["Cmdt."])
    assert plain.split(text) == ["Supplies came with Cmdt.", "Salem today.", "Nothing else came."]
    assert extended.split(text) == ["Supplies came with Cmdt. Salem today.", "Nothing else came."]
    assert plain.with_abbreviations(["cmdt"]).split(text) == extended.split(text)


def test_sentence_model_is_hashable_comparable_and_picklable():
    a = sentence_model(["One. Two."], pretrained=False)
    b = sentence_model(["One. Two."], pretrained=False)
    assert a == b and hash(a) == hash(b) and len({a, b}) == 1
    assert pickle.loads(pickle.dumps(a)) == a
    assert a != sentence_model(["One. Two."], pretrained=False, abbreviations=["two"])


def test_pretrained_without_punkt_tab_says_what_is_missing(no_nltk_data):
    with pytest.raises(LookupError, match="punkt_tab"):
        sentence_model(["x"], pretrained=True)


def test_token_table_columns_dtypes_offsets_and_size():
    text = "Libya’s coast guard met the DEA. Smuggling fell 40%."
    table = tokenize(frame(text))
    assert list(table.columns) == TOKEN_COLUMNS
    assert [str(table[c].dtype) for c in ("doc_id", "token", "term")] == ["category"] * 3
    assert all(table[c].dtype == np.int32 for c in ("sentence", "position", "start", "end"))
    assert [text[s:e] for s, e in zip(table["start"], table["end"])] == table["token"].astype(str).tolist()
    assert table["sentence"].tolist() == [0] * 8 + [1] * 5
    assert table["position"].tolist() == list(range(13))
    assert table.loc[table["token"] == "40", ["is_number", "is_alpha", "is_punct"]].values.tolist() == [
        [True, False, False]]
    assert table.loc[table["token"] == "%", "is_punct"].item()
    assert table.loc[table["token"] == "the", "is_stop"].item()


def test_case_folding_keeps_acronyms_when_asked():
    text = "The US and the MoU: us, the DEA and U.S. officials."
    folded = tokenize(frame(text))
    kept = tokenize(frame(text), options=TokenOptions(keep_acronyms=True))
    assert folded["term"].astype(str).tolist()[:5] == ["the", "us", "and", "the", "mou"]
    assert kept["term"].astype(str).tolist() == ["the", "US", "and", "the", "MoU", ":", "us", ",", "the", "DEA",
                                                 "and", "U.S.", "officials", "."]
    assert not kept.loc[kept["term"] == "US", "is_stop"].item()
    acronyms = TokenOptions(keep_acronyms=True, stopwords="sklearn")
    assert helpers.tokenize(frame("US"), options=acronyms)["is_stop"].tolist() == [False]
    assert helpers.tokenize(frame("us"), options=acronyms)["is_stop"].tolist() == [True]


def test_stopword_sources_news_list_user_words_and_files(tmp_path):
    user_file = tmp_path / "mine.txt"
    user_file.write_text("# project words\ntripoli\n", encoding="utf-8")
    # words the NLTK list and its scikit-learn fallback agree on, so the test holds with or without NLTK data
    table = tokenize(frame("Officials said the talks in Tripoli ended."), options=TokenOptions(
        extra_stopwords=("talks",), stopword_files=(str(user_file),)))
    assert table.loc[table["is_stop"], "term"].astype(str).tolist() == ["said", "the", "talks", "in", "tripoli"]
    plain = tokenize(frame("Officials said it."), options=TokenOptions(news_stopwords=False, stopwords="none"))
    assert not plain["is_stop"].any()
    with pytest.raises(FileNotFoundError):
        tokenize(frame("x"), options=TokenOptions(stopword_files=(str(tmp_path / "missing.txt"),)))


def test_without_nltk_data_sklearn_stopwords_and_trained_punkt_are_used(no_nltk_data):
    table = tokenize(frame("Mr. Smith said the MoU was signed. Dr. Ali agreed."))
    report = table.attrs["tokenizer"]
    assert report["stopwords"].startswith("scikit-learn")
    assert report["sentences"].startswith("Punkt trained on")
    assert table["sentence"].max() == 1
    resources = helpers.tokenizer_resources()
    assert "punkt_tab missing" in resources.set_index("step").loc["sentences", "in_effect"]


def test_dropping_rows_only_when_asked_and_positions_keep_gaps():
    table = tokenize(frame("The 2 officials met, and 40 more came."), options=TokenOptions(
        drop_stop=True, drop_punct=True, drop_numbers=True, min_length=4))
    assert table["term"].astype(str).tolist() == ["officials", "came"]
    assert table["position"].tolist() == [2, 8]


def test_stemming_snowball_and_porter():
    snowball = tokenize(frame("Officials were running patrols."), options=TokenOptions(stem="snowball"))
    assert snowball["term"].astype(str).tolist() == ["offici", "were", "run", "patrol", "."]
    porter = tokenize(frame("Generously cooperating"), options=TokenOptions(stem="porter"))
    assert porter["term"].astype(str).tolist() == ["gener", "cooper"]
    with pytest.raises(ValueError, match="stem"):
        tokenize(frame("x"), options=TokenOptions(stem="lancaster"))


def test_lemmatisation_without_wordnet_warns_and_says_so(no_nltk_data):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        table = tokenize(frame("Cars were seen."), options=TokenOptions(lemmatize=True))
    assert any("wordnet" in str(w.message) for w in caught)
    assert table.attrs["tokenizer"]["lemmatisation"] == "not available: NLTK wordnet missing"
    assert table["term"].astype(str).tolist() == ["cars", "were", "seen", "."]


def test_pos_tags_from_the_perceptron_tagger_when_present():
    need_resource("averaged_perceptron_tagger_eng")
    table = tokenize(frame("Officials were running joint patrols."), options=TokenOptions(pos=True))
    assert table["pos"].astype(str).tolist() == ["NNS", "VBD", "VBG", "JJ", "NNS", "."]


def test_pos_without_tagger_warns_and_adds_no_column(no_nltk_data):
    with pytest.warns(UserWarning, match="tagger"):
        table = tokenize(frame("Officials met."), options=TokenOptions(pos=True))
    assert "pos" not in table.columns


def test_multi_word_expressions_are_joined_into_one_row():
    text = "The United States and the Drug Enforcement Administration met. The United States agreed."
    table = tokenize(frame(text), options=TokenOptions(
        expressions=("United States", "Drug Enforcement Administration")))
    assert table[["token", "term", "position", "start", "end"]].values.tolist()[:5] == [
        ["The", "the", 0, 0, 3], ["United States", "united states", 1, 4, 17], ["and", "and", 3, 18, 21],
        ["the", "the", 4, 22, 25],
        ["Drug Enforcement Administration", "drug enforcement administration", 5, 26, 57]]
    assert (table["term"] == "united states").sum() == 2


def test_collocations_become_expressions_when_asked():
    text = "Drug trafficking rose. Drug trafficking fell. Drug trafficking stayed. Officials met."
    table = tokenize(frame(text))
    assert strongest_collocations(table, n=1, min_count=2) == ["drug trafficking"]
    joined = join_expressions(table, ["drug trafficking"], texts={"d0": text})
    assert (joined["term"] == "drug trafficking").sum() == 3


def test_overlapping_expressions_of_one_length_join_the_one_given_first():
    """A set's order changes with each process's hash seed; the order given is the same in every run."""
    text = "Green climate fund rules."
    table = tokenize(frame(text))
    first = join_expressions(table, ["green climate", "climate fund"], texts={"d0": text})
    second = join_expressions(table, ["climate fund", "green climate"], texts={"d0": text})
    assert first["term"].tolist()[:2] == ["green climate", "fund"]
    assert second["term"].tolist()[:2] == ["green", "climate fund"]


def test_mirror_image_collocations_tie_and_rank_by_term():
    """'zeta beta' (beta twice more after other words) and 'alpha gamma' (alpha twice more before other words) have
    the same 2x2 table with the one-sided cells swapped, so the same G²: the terms decide, not rounding."""
    text = ("Zeta beta. Zeta beta. Omega beta. Sigma beta. "
            "Alpha gamma. Alpha gamma. Alpha delta. Alpha epsilon.")
    table = tokenize(frame(text))
    assert strongest_collocations(table, n=5, min_count=2) == ["alpha gamma", "zeta beta"]


def test_one_article_given_a_model_equals_its_rows_in_the_corpus():
    texts = ["Maj. Gen. Khaled met Mr. Smith. They talked.", "The U.S. Embassy said so. It ended."]
    model = sentence_model(texts, pretrained=False)
    corpus = tokenize(frame(*texts), sentence_model=model)
    one = tokenize_article(texts[1], doc_id="d1", sentence_model=model)
    rows = corpus[corpus["doc_id"] == "d1"].reset_index(drop=True)
    for column in TOKEN_COLUMNS:
        assert one[column].astype(str).tolist() == rows[column].astype(str).tolist(), column


def test_parallel_chunks_give_the_same_table(monkeypatch):
    from helpers.text import parallel as tokens_module

    texts = [f"Article {i} says Libya's coast guard met the DEA. It ended." for i in range(40)]
    model = sentence_model(texts, pretrained=False)
    monkeypatch.setattr(tokens_module, "CHUNK_CHARS", 500)
    serial = tokenize(frame(*texts), sentence_model=model)
    parallel = tokenize(frame(*texts), sentence_model=model, n_jobs=2)
    pd.testing.assert_frame_equal(serial.astype(str), parallel.astype(str))


def test_bad_input_is_tokenised_without_errors():
    long_line = ("Libya’s MoU 2019-05-03 https://x.org/y?z=1 " * 25_000)[:1_000_000]
    texts = ["", "   \n\t ", "ليبيا والولايات المتحدة توقعان مذكرة تفاهم.", "利比亚与美国签署谅解备忘录。打击毒品。",
             "Control\x00chars\x07 and\x1b[0m escapes.", "1 2 3 4.5 6,7 8:9 http://a.b http://c.d 10 11 12",
             long_line]
    articles = frame(*texts)
    articles.loc[len(articles)] = ["d-none", None]
    table = tokenize(articles)
    counts = table.groupby("doc_id", observed=True).size().reindex(articles["doc_id"], fill_value=0)
    assert counts["d0"] == 0 and counts["d1"] == 0 and counts["d-none"] == 0
    assert tokens_of(texts[2]) == ["ليبيا", "والولايات", "المتحدة", "توقعان", "مذكرة", "تفاهم", "."]
    assert tokens_of(texts[4]) == ["Control\x00chars\x07", "and\x1b", "[", "0m", "escapes", "."]
    long_rows = table[table["doc_id"] == "d6"]
    assert len(long_rows) > 150_000
    assert (long_rows["end"] <= len(long_line)).all()


def test_articles_frame_is_validated():
    with pytest.raises(ValueError, match="doc_id and text"):
        tokenize(pd.DataFrame({"body": ["x"]}))
    with pytest.raises(ValueError, match="unique"):
        tokenize(pd.DataFrame({"doc_id": ["a", "a"], "text": ["x", "y"]}))


def test_split_words_offsets_tile_the_text():
    text = "He said: “Libya’s U.S.-backed plan…”  (2019)."
    tokens, starts, ends, _ = split_words(text, [(0, len(text))])
    assert [text[s:e] for s, e in zip(starts, ends)] == tokens
    assert "".join(tokens) == "".join(text.split())


# --- agreement with NLTK on the sample ---

def test_sentence_spans_equal_nltk_punkt_on_the_sample(sample_articles):
    texts = sample_articles["text"].tolist()
    model = sentence_model(texts, pretrained=False, news_abbreviations_list=False)
    reference = PunktSentenceTokenizer(model.params)
    assert [model.spans(t) for t in texts] == [list(reference.span_tokenize(t)) for t in texts]


def test_tokens_equal_nltk_word_tokenizer_on_the_sample(sample_articles, sample_tokens):
    texts = dict(zip(sample_articles["doc_id"], sample_articles["text"]))
    model = sentence_model(list(texts.values()))
    reference = {(doc, s, e) for doc, text in texts.items()
                 for s, e in zip(*_nltk_spans(text, model))}
    ours = set(zip(sample_tokens["doc_id"].astype(str), sample_tokens["start"], sample_tokens["end"]))
    assert len(ours & reference) / len(reference) >= 0.995
    assert [texts[d][s:e] for d, s, e in zip(sample_tokens["doc_id"].astype(str).head(5000),
                                             sample_tokens["start"], sample_tokens["end"])] == \
        sample_tokens["token"].astype(str).head(5000).tolist()


def _nltk_spans(text, model):
    words = NLTKWordTokenizer()
    spans = [(s + a, s + b) for s, e in model.spans(text) for a, b in words.span_tokenize(text[s:e])]
    return [s for s, _ in spans], [e for _, e in spans]


def test_sample_table_stays_under_40_bytes_per_token_plus_the_text(sample_articles, sample_tokens):
    total = sample_tokens.memory_usage(deep=True).sum()
    text_bytes = sample_articles["text"].str.encode("utf-8").str.len().sum()
    assert total < 40 * len(sample_tokens) + text_bytes


# --- notebook 02 on the seed article and the sample ---

@pytest.mark.slow
def test_notebook_reports_resources_settings_and_sentence_checks(notebook_run):
    tables = notebook_run / "tables"
    resources = pd.read_csv(tables / "nltk-resources.csv").set_index("resource")
    settings = pd.read_csv(tables / "tokenizer-settings.csv").set_index("step")["in_effect"]
    assert {name: bool(resources.loc[name, "found"]) for name in ("punkt_tab", "stopwords", "vader_lexicon")} == \
        {name: nltk_finds(name) for name in ("punkt_tab", "stopwords", "vader_lexicon")}
    assert settings["words"].startswith("NLTK Treebank rules")
    checks = pd.read_csv(tables / "sentence-checks.csv")
    assert checks["sentences"].tolist() == [2, 2, 2]
    assert checks["split"].iloc[0] == ("The U.S. Drug Enforcement Administration signed the MoU. | "
                                       "It takes effect at once.")


@pytest.mark.slow
def test_notebook_without_punkt_tab_says_punkt_was_trained_on_the_corpus(notebook_run):
    if nltk_finds("punkt_tab"):
        pytest.skip("punkt_tab is present: the notebook splits sentences with the pretrained model")
    settings = pd.read_csv(notebook_run / "tables" / "tokenizer-settings.csv").set_index("step")["in_effect"]
    assert settings["sentences"].startswith("Punkt trained on ")


@pytest.mark.slow
def test_notebook_with_punkt_tab_says_the_pretrained_model_splits_sentences(notebook_run):
    if not nltk_finds("punkt_tab"):
        pytest.skip("punkt_tab is absent (not in the offline mirror either): Punkt is trained on the articles")
    settings = pd.read_csv(notebook_run / "tables" / "tokenizer-settings.csv").set_index("step")["in_effect"]
    assert settings["sentences"].startswith("pretrained English Punkt (punkt_tab)")


@pytest.mark.slow
def test_notebook_seed_tokens_keep_acronyms(notebook_run):  # notebook 02 joins no expressions by default
    first = pd.read_csv(notebook_run / "tables" / "first-sentence-tokens.csv", keep_default_na=False)
    assert first["term"].tolist()[:13] == ["libya", "and", "the", "united", "states", "have", "signed", "a",
                                           "memorandum", "of", "understanding", "(", "MoU"]
    assert first.loc[first["token"] == "’", "position"].tolist() == [34]


@pytest.mark.slow
def test_notebook_agreement_with_nltk_and_article_lengths(notebook_run, default_articles):
    agreement = pd.read_csv(notebook_run / "tables" / "nltk-agreement.csv")
    assert agreement["share_identical"].item() >= 0.995
    lengths = pd.read_csv(notebook_run / "tables" / "article-lengths.csv")
    seed = lengths[lengths["collection"] == "articles"]
    assert len(lengths) == len(default_articles) and len(seed) == 1
    assert seed["sentences"].item() == 10 and 300 < seed["tokens"].item() < 340


def test_nltk_punkt_models_are_accepted_and_kit_lists_restored():
    from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer

    text = "The U.S. Drug Enforcement Administration met. Maj. Gen. Khaled agreed."
    kit = sentence_model([text], pretrained=False)
    stored = PunktParameters()  # as a cache would store it: plain Punkt parameters
    stored.abbrev_types = set(kit.params.abbrev_types)
    restored = tokenize(frame(text), sentence_model=PunktSentenceTokenizer(stored))
    assert restored["sentence"].max() == 1
    assert kit._params is kit.params
    with pytest.raises(TypeError, match="sentence_model"):
        tokenize(frame(text), sentence_model="english")


@pytest.mark.parametrize("options, matrix_options", [
    ({}, {}),
    ({"drop_numbers": True, "min_length": 3, "keep_acronyms": True}, {"drop_stop": False}),
    ({"stem": "snowball", "lowercase": False}, {"drop_punct": False, "min_df": 2}),
    ({"drop_stop": True, "drop_punct": True}, {"drop_stop": False, "drop_punct": False}),  # rows the table drops
])
def test_article_term_matrix_equals_the_matrix_of_the_token_table(sample_articles, options, matrix_options):
    articles = pd.concat([sample_articles[["doc_id", "text"]],
                          frame("", "12 34 5.", "the of and.").assign(doc_id=["empty", "numbers", "stops"])],
                         ignore_index=True)
    model = sentence_model(articles["text"].tolist())
    options = TokenOptions(**options)
    direct = helpers.article_term_matrix(articles, options=options, sentence_model=model, **matrix_options)
    expected = helpers.document_term_matrix(tokenize(articles, options=options, sentence_model=model), **matrix_options)
    assert list(direct.doc_ids) == list(expected.doc_ids)
    assert list(direct.vocabulary) == list(expected.vocabulary)
    assert (direct.matrix != expected.matrix).nnz == 0
    assert direct.matrix.sum() > 30_000 and "empty" not in direct.doc_ids


def test_article_term_matrix_in_parallel_chunks_is_the_same(monkeypatch):
    from helpers.text import parallel as tokens_module

    texts = [f"Article {i} says Libya's coast guard met the DEA. It ended." for i in range(40)] + [""]
    model = sentence_model(texts, pretrained=False)
    monkeypatch.setattr(tokens_module, "CHUNK_CHARS", 500)
    serial = helpers.article_term_matrix(frame(*texts), sentence_model=model)
    parallel = helpers.article_term_matrix(frame(*texts), sentence_model=model, n_jobs=2)
    assert list(serial.vocabulary) == list(parallel.vocabulary) and list(serial.doc_ids) == list(parallel.doc_ids)
    assert (serial.matrix != parallel.matrix).nnz == 0
    assert serial.matrix[0, list(serial.vocabulary).index("libya")] == 1


def test_a_chunk_holding_only_empty_articles_is_counted(monkeypatch):
    from helpers.text import parallel as tokens_module

    monkeypatch.setattr(tokens_module, "CHUNK_CHARS", 5)
    model = sentence_model(["Hello there."], pretrained=False)
    dtm = helpers.article_term_matrix(frame("Hello there.", "", ""), sentence_model=model, drop_stop=False)
    assert list(dtm.doc_ids) == ["d0"] and list(dtm.vocabulary) == ["hello", "there"]
    assert dtm.matrix.toarray().tolist() == [[1, 1]]


def test_chunks_for_several_processes_shrink_towards_the_end_and_cover_every_article():
    from helpers.text.parallel import _chunks

    texts = ["x" * 10] * 40
    assert _chunks(texts, 100) == [(0, 10), (10, 20), (20, 30), (30, 40)]
    bounds = _chunks(texts, 100, jobs=2)
    # 400 characters for 2 processes: a target of half what remains, at most 100, at least a quarter of 100
    assert bounds == [(0, 10), (10, 20), (20, 30), (30, 35), (35, 38), (38, 40)]
    assert _chunks([], 100, jobs=2) == [(0, 0)] and _chunks(["", None], 100, jobs=2) == [(0, 2)]


def test_a_failure_to_train_the_sentence_model_stops_the_workers(monkeypatch):
    from helpers.text import parallel as tokens_module

    def failing(texts):
        raise RuntimeError("no model")

    monkeypatch.setattr(tokens_module, "CHUNK_CHARS", 100)
    monkeypatch.setattr(tokens_module, "sentence_splitter", failing)
    with pytest.raises(RuntimeError, match="no model"):
        helpers.article_term_matrix(frame(*[f"Article {i} ended." for i in range(30)]), n_jobs=2)


def test_without_a_model_workers_split_while_punkt_trains_and_the_result_is_the_same(monkeypatch):
    from helpers.text import parallel as tokens_module

    texts = [f"Article {i}: Maj. Gen. Khaled met Mr. Smith in the U.S. on Jan. {i % 28 + 1}. It ended." for i in range(60)]
    monkeypatch.setattr(tokens_module, "CHUNK_CHARS", 700)
    serial = tokenize(frame(*texts))
    parallel = tokenize(frame(*texts), n_jobs=2)
    pd.testing.assert_frame_equal(serial.astype(str), parallel.astype(str))
    assert parallel.attrs["tokenizer"]["sentences"] == serial.attrs["tokenizer"]["sentences"]
    counted = helpers.article_term_matrix(frame(*texts), n_jobs=2)
    expected = helpers.document_term_matrix(serial)
    assert list(counted.vocabulary) == list(expected.vocabulary) and (counted.matrix != expected.matrix).nnz == 0


def test_what_treebank_leaves_before_nt_counts_as_the_word_it_is():
    articles = pd.DataFrame({"doc_id": ["a"], "text": ["They can't and won't. Can't you? Ai Weiwei ain't in CA."]})
    tokens = helpers.tokenize(articles)
    terms = dict(zip(tokens["token"], tokens["term"]))
    assert [terms[t] for t in ("ca", "wo", "Ca", "ai")] == ["can", "will", "can", "is"]
    assert tokens.loc[tokens["token"].isin(["ca", "wo", "Ca", "ai"]), "is_stop"].all()
    assert terms["Ai"] != "is" and terms["CA"] != "can"


def test_token_options_are_one_hashable_choice():
    options = TokenOptions(extra_stopwords=["talks"], stopword_files=[Path("a.txt")], expressions="United States")
    assert options == TokenOptions(extra_stopwords=("talks",), stopword_files=("a.txt",),
                                   expressions=("United States",))  # one expression, not its letters
    assert hash(options) == hash(TokenOptions(extra_stopwords=("talks",), stopword_files=("a.txt",),
                                              expressions=("United States",)))
    assert repr(TokenOptions()) == "TokenOptions()" and repr(options.replace(expressions=())) == \
        "TokenOptions(extra_stopwords=('talks',), stopword_files=('a.txt',))"
    with pytest.raises(ValueError, match="stopwords="):
        TokenOptions(stopwords="french")
    with pytest.raises(TypeError, match="TokenOptions"):
        tokenize(frame("x"), options={"stem": "porter"})
    with pytest.raises(TypeError):
        tokenize(frame("x"), stem="porter")  # the options are one object now: no loose keyword slips through
    assert helpers.stopword_list(options=TokenOptions(extra_stopwords=("Tripoli",))) - helpers.stopword_list() == {
        "tripoli"}


def test_article_term_matrix_refuses_expressions_it_cannot_join():
    with pytest.raises(ValueError, match="token table"):
        helpers.article_term_matrix(frame("The United States met."),
                                    options=TokenOptions(expressions=("United States",)))


def test_token_cache_keys_change_with_the_options_only(tmp_path):
    from helpers.text.token_cache import cached_tokenize

    articles = frame("Libya signed the MoU. Talks ended.", "Drug trafficking rose. Drug trafficking fell.")
    model = sentence_model(pretrained=False)
    default = cached_tokenize(articles, sentence_model=model, cache=tmp_path, progress=False)
    spelled_out = cached_tokenize(articles, sentence_model=model, cache=tmp_path, progress=False,
                                  options=TokenOptions(extra_stopwords=[]))
    assert spelled_out.attrs["cache"]["settings_key"] == default.attrs["cache"]["settings_key"]
    assert spelled_out.attrs["cache"]["tokenized"] == 0
    stemmed = cached_tokenize(articles, sentence_model=model, cache=tmp_path, progress=False,
                              options=TokenOptions(stem="porter"))
    assert stemmed.attrs["cache"]["settings_key"] != default.attrs["cache"]["settings_key"]
    pd.testing.assert_frame_equal(stemmed,
                                  tokenize(articles, options=TokenOptions(stem="porter"), sentence_model=model))
    collocated = cached_tokenize(articles, sentence_model=model, cache=tmp_path, progress=False,
                                 options=TokenOptions(collocation_expressions=1))
    assert collocated.attrs["cache"]["settings_key"] is None  # depends on the whole corpus: never cached


def test_options_reach_every_partition_on_dask_and_streamed(tmp_path):
    dd = pytest.importorskip("dask.dataframe")
    from helpers.text.partitioned import tokenize_partitions
    from helpers.text.token_cache import cached_tokenize

    texts = [f"Officials in Tripoli were running patrols {i}. The DEA agreed." for i in range(6)]
    articles = frame(*texts)
    options = TokenOptions(stem="porter", keep_acronyms=True, drop_punct=True)
    model = sentence_model(texts, pretrained=False)
    expected = tokenize(articles, options=options, sentence_model=model)
    lazy = helpers.tokenize(dd.from_pandas(articles, npartitions=2), options=options, sentence_model=model)
    on_dask = lazy.compute(scheduler="synchronous").reset_index(drop=True)
    assert on_dask["term"].astype(str).tolist() == expected["term"].astype(str).tolist()
    assert "run" in set(on_dask["term"].astype(str)) and "DEA" in set(on_dask["term"].astype(str))
    streamed = pd.concat(tokenize_partitions([articles.iloc[:3], articles.iloc[3:]], tokenizer=cached_tokenize,
                                             splitter=model, options=options, cache=tmp_path), ignore_index=True)
    assert streamed["term"].astype(str).tolist() == expected["term"].astype(str).tolist()
