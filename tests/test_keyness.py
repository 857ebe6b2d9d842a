"""Keyness: hand-computed G², chi², log ratio (+ CI), %DIFF on a tiny corpus with zero counts; peers on the sample."""

from __future__ import annotations

from math import log, log2, sqrt

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import helpers
from helpers.stats.distinctive import PCT_DIFF_ZERO, KeynessOptions, keyness_statistics
from needs import need_resource

# Target article "a": x x x y (4 tokens); reference article "b": y y y z (4 tokens).
TOKENS = pd.DataFrame({"doc_id": ["a"] * 4 + ["b"] * 4, "term": list("xxxy") + list("yyyz"),
                       "is_stop": False, "is_punct": False})
ARTICLES = pd.DataFrame({"doc_id": ["a", "b"], "collection": ["articles", "wikinews"],
                         "date": pd.to_datetime(["2019-03-10", "2019-04-02"], utc=True)})
Z95 = stats.norm.ppf(0.975)


def test_statistics_by_hand_including_zero_counts():
    table = helpers.keyness(TOKENS, target="a").set_index("term")
    assert list(table.index) == ["x", "z", "y"]  # target-key terms first, then reference-key terms, each by G²
    x, y, z = table.loc["x"], table.loc["y"], table.loc["z"]
    # x: a=3, b=0, c=d=4 → E1=E2=1.5; G² = 2·3·ln 2; chi² = 8·(3·4)²/(3·5·4·4)
    assert x["g2"] == pytest.approx(6 * log(2))
    assert x["chi2"] == pytest.approx(8 * 144 / 240)
    assert x["log_ratio"] == pytest.approx(log2((3 / 4) / (0.5 / 4)))  # zero replaced by 0.5 (Hardie)
    half = Z95 * sqrt(1 / 3 + 1 / 0.5) / log(2)
    assert (x["log_ratio_ci_low"], x["log_ratio_ci_high"]) == pytest.approx((log2(6) - half, log2(6) + half))
    assert x["pct_diff"] == pytest.approx(100 * 0.75 / PCT_DIFF_ZERO)  # Gabrielatos & Marchi's zero convention
    assert (x["target_per_10k"], x["reference_per_10k"]) == (7500.0, 0.0)
    assert x["key_for"] == "target"
    # y: a=1, b=3 → E1=E2=2; key for the reference: G² and chi² are magnitudes, the log ratio is negative
    assert y["g2"] == pytest.approx(2 * (1 * log(1 / 2) + 3 * log(3 / 2)))
    assert y["chi2"] == pytest.approx(8 * 64 / 256)
    assert y["log_ratio"] == pytest.approx(log2(1 / 3))
    assert y["pct_diff"] == pytest.approx(100 * (0.25 - 0.75) / 0.75)
    assert y["key_for"] == "reference"
    # z: a=0, b=1 → E1=E2=0.5; 0·ln 0 = 0
    assert z["g2"] == pytest.approx(2 * log(2))
    assert z["chi2"] == pytest.approx(8 * 16 / 112)
    assert z["log_ratio"] == pytest.approx(log2((0.5 / 4) / (1 / 4)))
    assert z["pct_diff"] == pytest.approx(-100.0)
    assert table["p_value"].tolist() == pytest.approx(stats.chi2.sf(table["g2"], 1).tolist())
    assert table["target_freq"].tolist() == [3, 0, 1] and table["reference_freq"].tolist() == [0, 1, 3]


def test_g2_and_chi2_equal_the_contingency_table_formulas():
    a, b, c, d = 7, 2, 120, 300
    row = keyness_statistics([a], [b], c, d).iloc[0]
    expected = np.array([c * (a + b) / (c + d), d * (a + b) / (c + d)])
    g2 = stats.power_divergence([a, b], expected, lambda_="log-likelihood").statistic
    chi2 = stats.chi2_contingency([[a, b], [c - a, d - b]], correction=False)[0]
    assert row["g2"] == pytest.approx(g2)
    assert row["chi2"] == pytest.approx(chi2)


def test_min_freq_and_multiple_testing_corrections():
    assert helpers.keyness(TOKENS, target="a", min_freq=2)["term"].tolist() == ["x", "y"]
    assert helpers.keyness(TOKENS, target="a", min_freq=4)["term"].tolist() == ["y"]
    assert helpers.keyness(TOKENS, target="a", options=KeynessOptions(min_target_freq=1))["term"].tolist() == ["x", "y"]
    plain = helpers.keyness(TOKENS, target="a")
    bonferroni = helpers.keyness(TOKENS, target="a", options=KeynessOptions(correction="bonferroni"))
    assert bonferroni["p_adjusted"].tolist() == pytest.approx(np.minimum(plain["p_value"] * 3, 1).tolist())
    bh = helpers.keyness(TOKENS, target="a", options=KeynessOptions(correction="fdr_bh")).set_index("term")["p_adjusted"]
    p = plain.set_index("term")["p_value"].sort_values()  # x < z < y
    by_hand = {"y": p["y"], "z": min(p["z"] * 3 / 2, p["y"]), "x": min(p["x"] * 3, p["z"] * 3 / 2, p["y"])}
    assert bh.to_dict() == pytest.approx(by_hand)
    assert plain["significant"].tolist() == (plain["p_value"] < 0.05).tolist()
    with pytest.raises(ValueError, match="correction"):
        helpers.keyness(TOKENS, target="a", options=KeynessOptions(correction="holm-ish"))


def test_target_and_reference_specs_select_the_same_article():
    by_id = helpers.keyness(TOKENS, target="a")
    for spec in ({"collection": "articles"}, {"month": "2019-03"}, {"date": "2019-03"},
                 np.array([True, False]), TOKENS["doc_id"].eq("a").to_numpy(), ["a"]):
        other = helpers.keyness(TOKENS, target=spec, articles=ARTICLES)
        pd.testing.assert_frame_equal(other, by_id)
    explicit = helpers.keyness(TOKENS, target={"collection": "articles"}, reference={"collection": "wikinews"},
                               articles=ARTICLES)
    pd.testing.assert_frame_equal(explicit, by_id)


def test_reference_corpus_includes_the_target():
    table = helpers.keyness(TOKENS, target="a", reference="corpus").set_index("term")
    assert table.loc["x", "reference_freq"] == 3 and table.attrs["reference_tokens"] == 8


def test_external_frequency_list_from_csv(tmp_path):
    path = tmp_path / "reference.csv"
    pd.DataFrame({"term": ["X", "w", "The"], "count": [1, 5, 3]}).to_csv(path, index=False)
    tokens = TOKENS.assign(is_stop=TOKENS["term"].eq("the"))
    table = helpers.keyness(tokens, target="a", reference=path).set_index("term")
    assert table.attrs["reference_tokens"] == 6  # "the" is a stopword and is dropped from the list too
    assert table.loc["x", ["target_freq", "reference_freq"]].tolist() == [3, 1]
    assert table.loc["w", ["target_freq", "reference_freq"]].tolist() == [0, 5]
    assert table.loc["y", ["target_freq", "reference_freq"]].tolist() == [1, 0]
    assert table.loc["w", "key_for"] == "reference" and "the" not in table.index


def test_bad_specs_get_clear_errors():
    with pytest.raises(ValueError, match="not in the token table"):
        helpers.keyness(TOKENS, target="nope")
    with pytest.raises(ValueError, match="overlap"):
        helpers.keyness(TOKENS, target="a", reference=["a", "b"])
    with pytest.raises(ValueError, match="selects no counted tokens"):
        helpers.keyness(TOKENS.assign(is_stop=TOKENS["doc_id"].eq("a")), target="a")
    with pytest.raises(ValueError, match="articles="):
        helpers.keyness(TOKENS, target={"collection": "articles"})
    with pytest.raises(ValueError, match="neither a file nor an NLTK corpus"):
        helpers.keyness(TOKENS, target="a", reference="missing.csv")


def test_seed_article_is_about_libya_and_drugs(sample_tokens, sample_articles):
    table = helpers.keyness(sample_tokens, target={"collection": "articles"}, articles=sample_articles,
                            options=KeynessOptions(correction="fdr_bh"))
    top = table[table["significant"] & (table["key_for"] == "target")]["term"].head(10).tolist()
    assert {"libya", "mou", "drug", "narcotics"} <= set(top)
    assert table.attrs["target_tokens"] == sample_tokens.pipe(
        lambda t: t[~t["is_stop"] & ~t["is_punct"] & t["doc_id"].isin(
            sample_articles.loc[sample_articles["collection"] == "articles", "doc_id"])]).shape[0]


def test_brown_reference_when_present(sample_tokens, sample_articles):
    need_resource("brown")
    table = helpers.keyness(sample_tokens, target={"collection": "wikinews_2019"}, reference="brown",
                            articles=sample_articles)
    assert table.attrs["reference_tokens"] > 400_000
    assert "trump" in table.head(20)["term"].tolist()


def test_swapping_target_and_reference_flips_the_direction_only():
    forward = helpers.keyness(TOKENS, target="a", reference="b").set_index("term").sort_index()
    backward = helpers.keyness(TOKENS, target="b", reference="a").set_index("term").sort_index()
    assert forward["log_ratio"].tolist() == pytest.approx((-backward["log_ratio"]).tolist())
    for column in ("g2", "chi2", "p_value"):
        assert forward[column].tolist() == pytest.approx(backward[column].tolist())
    assert (forward["key_for"] != backward["key_for"]).all()


def test_brown_reference_absent_gives_a_clear_error(no_nltk_data):
    with pytest.raises(ValueError, match="not available"):
        helpers.keyness(TOKENS, target="a", reference="brown")


try:
    from hypothesis import given, strategies as st
except ImportError:  # hypothesis is a test extra; the hand-computed cases above still run
    given = None

if given is not None:
    @given(st.integers(0, 500), st.integers(0, 500), st.integers(1, 5000), st.integers(1, 5000))
    def test_statistics_are_consistent_for_any_counts(a, b, extra_c, extra_d):
        if a + b == 0:
            return
        c, d = a + extra_c, b + extra_d
        row = keyness_statistics([a], [b], c, d).iloc[0]
        assert row["g2"] >= 0 and row["chi2"] >= 0 and 0 <= row["p_value"] <= 1
        assert row["log_ratio_ci_low"] <= row["log_ratio"] <= row["log_ratio_ci_high"]
        assert row["key_for"] == ("target" if a / c >= b / d else "reference")
        if a > 0 and b > 0:  # no zero substitution: the log ratio points the same way as key_for
            assert (row["log_ratio"] >= 0) == (row["key_for"] == "target")
        expected = np.array([c * (a + b) / (c + d), d * (a + b) / (c + d)])
        assert row["g2"] == pytest.approx(stats.power_divergence([a, b], expected, lambda_="log-likelihood").statistic,
                                          abs=1e-9)
