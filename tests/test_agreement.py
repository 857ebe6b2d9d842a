"""nltk_agreement: per-article counts that sum to the corpus-wide comparison, cached per article."""

import pandas as pd
from nltk.tokenize import NLTKWordTokenizer

from helpers.text.agreement import nltk_agreement
from helpers.text.sentences import sentence_model
from helpers.text.tokenizer import tokenize

ARTICLES = pd.DataFrame({"doc_id": ["a", "b", "c"], "text": [
    "The U.S. signed the MoU in Cairo. It's done, officials said.",
    "Prices rose 3.5% in March; \"cannot\" isn't a word here (really).",
    "Mr. Smith met Dr. Jones at 10 a.m. They talked."]})


def _corpus_wide(articles, tokens, model):
    treebank = NLTKWordTokenizer()
    reference = {(d, s + a, s + b) for d, text in zip(articles["doc_id"], articles["text"])
                 for s, e in model.spans(text) for a, b in treebank.span_tokenize(text[s:e])}
    ours = set(zip(tokens["doc_id"].astype(str), tokens["start"].tolist(), tokens["end"].tolist()))
    return len(reference), len(ours), len(ours & reference)


def test_per_article_counts_sum_to_the_corpus_wide_comparison():
    model = sentence_model(ARTICLES["text"], pretrained=False)
    tokens = tokenize(ARTICLES, sentence_model=model)
    table = nltk_agreement(ARTICLES, tokens, sentence_model=model)
    assert table["doc_id"].tolist() == ["a", "b", "c"]
    assert tuple(table[["nltk_tokens", "kit_tokens", "identical"]].sum()) == _corpus_wide(ARTICLES, tokens, model)
    assert table["kit_tokens"].tolist() == tokens.groupby("doc_id", sort=False).size().tolist()


def test_cached_counts_are_reused_and_a_changed_article_is_checked_again(tmp_path):
    model = sentence_model(ARTICLES["text"], pretrained=False)
    tokens = tokenize(ARTICLES, sentence_model=model)
    first = nltk_agreement(ARTICLES, tokens, sentence_model=model, cache=tmp_path)
    again = nltk_agreement(ARTICLES, tokens, sentence_model=model, cache=tmp_path)
    assert first.attrs["cache"] == {"checked": 3, "reused": 0} and again.attrs["cache"] == {"checked": 0, "reused": 3}
    assert again.equals(first)
    changed = ARTICLES.assign(text=ARTICLES["text"].where(ARTICLES["doc_id"] != "b", "A short one. Done."))
    changed_tokens = tokenize(changed, sentence_model=model)
    table = nltk_agreement(changed, changed_tokens, sentence_model=model, cache=tmp_path)
    assert table.attrs["cache"] == {"checked": 1, "reused": 2}
    assert table.equals(nltk_agreement(changed, changed_tokens, sentence_model=model))
    other_model = sentence_model(ARTICLES["text"], pretrained=False, abbreviations=["Cairo"])
    assert nltk_agreement(ARTICLES, tokens, sentence_model=other_model, cache=tmp_path).attrs["cache"]["checked"] == 3


def test_typographic_apostrophes_are_read_as_the_kit_reads_them_not_counted_as_disagreement():
    articles = pd.DataFrame({"doc_id": ["a"], "text": ["Libya’s envoy didn’t sign. They’re waiting."]})
    straight = articles.assign(text=articles["text"].str.replace("’", "'"))
    model = sentence_model(articles["text"], pretrained=False)
    typographic = nltk_agreement(articles, tokenize(articles, sentence_model=model), sentence_model=model)
    expected = _corpus_wide(straight, tokenize(straight, sentence_model=model), model)
    assert tuple(typographic[["nltk_tokens", "kit_tokens", "identical"]].iloc[0]) == expected
    assert expected[0] == expected[2] == 11  # Libya ’s envoy did n’t sign . They ’re waiting .
