"""Keyness: which terms are unusually frequent in a target compared with a reference.

The target and the reference are parts of the corpus (one outlet vs the others, one period vs the rest, one
article vs the corpus) or, for the reference, an external frequency list (a CSV of ``term,count`` or an NLTK corpus
such as Brown). The result is one row per term with significance (G², chi²) and effect sizes (log ratio with a
confidence interval, %DIFF), two-sided: terms key for the reference (``key_for="reference"``, negative log ratio and
%DIFF) are reported as well as terms key for the target.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from helpers import association
from helpers.scale.reduce import is_partitioned
from helpers.stats.keyness_counts import partitioned_sides, side_counts
from helpers.stats.reference_lists import is_frequency_list, reference_frequencies

CORRECTIONS = (None, "bonferroni", "fdr_bh")
PCT_DIFF_ZERO = 1e-18
KEYNESS_COLUMNS = ["term", "target_freq", "reference_freq", "target_per_10k", "reference_per_10k", "g2", "p_value",
                   "p_adjusted", "chi2", "log_ratio", "log_ratio_ci_low", "log_ratio_ci_high", "pct_diff", "key_for",
                   "significant"]


def _as_counts(values) -> np.ndarray:
    values = np.asarray(values)
    return values.astype(np.int64) if np.all(np.mod(values, 1) == 0) else values.astype(float)


def keyness_statistics(target_freq, reference_freq, target_total: float, reference_total: float, *,
                       ci: float = 0.95) -> pd.DataFrame:
    """The keyness statistics for arrays of counts a (target) and b (reference) in corpora of c and d tokens.

    - Expected counts E1 = c(a + b)/(c + d), E2 = d(a + b)/(c + d); log-likelihood
      ``g2`` = 2 (a ln(a/E1) + b ln(b/E2)), with 0 ln 0 = 0 (Rayson & Garside 2000, *Comparing corpora using frequency
      profiling*, WCC workshop; Dunning 1993, *Computational Linguistics* 19(1)); ``p_value`` from χ² with 1 df.
    - ``chi2``: Pearson's χ² of the 2×2 table [[a, b], [c − a, d − b]] without continuity correction,
      N(a(d − b) − b(c − a))² / ((a + b)(c + d − a − b) c d).
    - ``log_ratio`` = log2((a/c) / (b/d)) (Hardie 2014, *Log Ratio: an informal introduction*, CASS); a zero count is
      replaced by 0.5 as Hardie does. ``log_ratio_ci_low/high``: Wald interval of the log rate ratio,
      log_ratio ± z·√(1/a + 1/b)/ln 2 with the same 0.5 for zeros. Caveat of the 0.5: when a term absent from the
      target has an expected target count below 0.5 (b/d < 0.5/c, common with a short target), its log ratio comes
      out positive although ``key_for`` (from the observed frequencies) says "reference"; such a zero is no
      evidence either way: the term is not significant and its interval spans 0.
    - ``pct_diff`` = 100 (a/c − b/d) / (b/d) (Gabrielatos & Marchi 2012, *Keyness: appropriate metrics and practical
      issues*, CADS conference); a zero reference frequency is replaced by 1e-18 as they propose, so a term absent
      from the reference gets a very large finite %DIFF.
    - ``g2`` and ``chi2`` are magnitudes (as in Rayson's calculator and AntConc); the direction is ``key_for``
      ("target" when a/c ≥ b/d, else "reference") and the sign of ``log_ratio`` and ``pct_diff``.

    >>> keyness_statistics([10, 0], [0, 10], 100, 100)[["g2", "log_ratio", "key_for"]].round(3).values.tolist()
    [[13.863, 4.322, 'target'], [13.863, -4.322, 'reference']]
    """
    a = np.asarray(target_freq, dtype=float)
    b = np.asarray(reference_freq, dtype=float)
    c, d = float(target_total), float(reference_total)
    if c <= 0 or d <= 0:
        raise ValueError(f"both corpora need tokens: target has {c:g}, reference {d:g}")
    e1 = c * (a + b) / (c + d)
    e2 = d * (a + b) / (c + d)
    g2 = np.maximum(association.log_likelihood(np.vstack([a, b]), np.vstack([e1, e2])), 0.0)
    chi2 = np.nan_to_num(association.chi_squared_2x2(a, b, c, d), nan=0.0, posinf=0.0)
    rate_a, rate_b = a / c, b / d
    sign = np.where(rate_a >= rate_b, 1.0, -1.0)
    log_ratio, low, high = association.log_ratio(a, b, c, d, ci=ci)
    pct_diff = association.pct_diff(rate_a, rate_b, zero=PCT_DIFF_ZERO)
    return pd.DataFrame({
        "target_freq": _as_counts(target_freq), "reference_freq": _as_counts(reference_freq),
        "target_per_10k": 10_000 * rate_a, "reference_per_10k": 10_000 * rate_b,
        "g2": g2, "p_value": association.chi2_sf(g2, df=1), "chi2": chi2,
        "log_ratio": log_ratio, "log_ratio_ci_low": low, "log_ratio_ci_high": high,
        "pct_diff": pct_diff, "key_for": np.where(sign > 0, "target", "reference"),
    })


def _adjust(p_values: np.ndarray, correction: str | None) -> np.ndarray:
    if correction not in CORRECTIONS:
        raise ValueError(f"correction={correction!r} is invalid; use one of {CORRECTIONS}")
    if correction is None or len(p_values) == 0:
        return p_values.copy()
    if correction == "bonferroni":
        return np.minimum(p_values * len(p_values), 1.0)
    return association.benjamini_hochberg(p_values)


@dataclass(frozen=True)
class KeynessOptions:
    """The less common options of :func:`keyness` and :func:`helpers.keyness_over_time`, in one object.

    ``correction`` (``None``, ``"bonferroni"`` or ``"fdr_bh"``, Benjamini & Hochberg 1995) adjusts the p-values over
    the terms kept; ``significant`` is ``p_adjusted < alpha``; ``ci`` is the confidence level of the log ratio's
    interval; ``min_target_freq`` (keyness) drops terms rarer in the target; ``burst_log_ratio``
    (keyness_over_time) is the log ratio from which a significant term is a ``burst``.

    >>> KeynessOptions(correction="fdr_bh").alpha
    0.05
    """

    correction: str | None = None
    alpha: float = 0.05
    ci: float = 0.95
    min_target_freq: int = 0
    burst_log_ratio: float = 1.0


def keyness(tokens: pd.DataFrame, *, target, reference=None, articles: pd.DataFrame | None = None,
            min_freq: int = 1, options: KeynessOptions = KeynessOptions(), drop_stop: bool = True,
            drop_punct: bool = True) -> pd.DataFrame:
    """Terms key for ``target`` against ``reference``, with G², p-value, χ², log ratio (+ CI) and %DIFF.

    ``target`` selects part of the token table: a ``doc_id`` or list of them, a boolean mask over tokens or
    articles, or a group spec such as ``{"collection": "articles"}``, ``{"source": "bbc.co.uk"}``,
    ``{"month": "2019-03"}`` (see :func:`helpers.stats.selection.token_mask`). ``reference`` is ``None`` (the rest of the
    corpus), ``"corpus"`` (the whole corpus, target included), another selection of the same kinds, or an external
    frequency list (a CSV path, a ``term,count`` DataFrame, or ``"brown"``: see :func:`reference_frequencies`).

    Options: ``min_freq`` drops terms with fewer than that many occurrences in target and reference together;
    ``options`` (:class:`KeynessOptions`) holds ``min_target_freq``, the p-value ``correction`` over the terms kept
    (``"bonferroni"``, ``"fdr_bh"``), ``alpha`` (``significant`` is ``p_adjusted < alpha``) and ``ci``.

    Columns: ``term, target_freq, reference_freq, target_per_10k, reference_per_10k, g2, p_value, p_adjusted, chi2,
    log_ratio, log_ratio_ci_low, log_ratio_ci_high, pct_diff, key_for, significant`` (formulas and references in
    :func:`keyness_statistics`); sorted with the target's key terms first, then the reference's, each by
    descending G². ``attrs`` records ``target_tokens``, ``reference_tokens`` and ``reference``.

    A comparison needs tokens on both sides: a target that selects no counted tokens (an empty corpus, a collection
    or period the corpus lacks) raises ``ValueError: target=... selects no counted tokens``, and a reference that
    holds none (a corpus of one article against "the rest") ``ValueError: reference=... holds no counted tokens``;
    check the selection first, or catch the error and say that there is nothing to compare.

    >>> t = pd.DataFrame({"doc_id": ["a"] * 4 + ["b"] * 4, "term": list("xxxy") + list("yyyz"),
    ...                   "is_stop": False, "is_punct": False})
    >>> keyness(t, target="a")[["term", "target_freq", "reference_freq", "key_for"]].values.tolist()
    [['x', 3, 0, 'target'], ['z', 0, 1, 'reference'], ['y', 1, 3, 'reference']]
    """
    if is_partitioned(tokens):  # the counts of each side summed over the partitions
        a, b, vocab, described = partitioned_sides(tokens, target=target, reference=reference, articles=articles,
                                                   drop_stop=drop_stop, drop_punct=drop_punct)
    else:
        a, b, vocab, described = side_counts(tokens, target=target, reference=reference, articles=articles,
                                             drop_stop=drop_stop, drop_punct=drop_punct)
    if a.sum() == 0:
        raise ValueError(f"target={target!r} selects no counted tokens")
    if is_frequency_list(reference):
        external = reference_frequencies(reference, drop_stop=drop_stop, drop_punct=drop_punct)
        vocab_all = vocab.union(pd.Index(external["term"]), sort=False)
        target_counts, a = a, np.zeros(len(vocab_all))
        a[vocab_all.get_indexer(vocab)] = target_counts
        b = np.zeros(len(vocab_all))
        b[vocab_all.get_indexer(external["term"])] = external["frequency"].to_numpy(dtype=float)
        vocab, described = vocab_all, str(reference) if not isinstance(reference, pd.DataFrame) else "frequency list"
    if b.sum() == 0:
        raise ValueError(f"reference={reference!r} ({described}) holds no counted tokens: nothing to compare with")
    target_total, reference_total = a.sum(), b.sum()
    kept = ((a + b) >= max(min_freq, 1)) & (a >= options.min_target_freq)
    table = keyness_statistics(a[kept], b[kept], target_total, reference_total, ci=options.ci)
    table.insert(0, "term", pd.array(vocab[kept].astype(str), dtype="str"))
    table.insert(table.columns.get_loc("chi2"), "p_adjusted",
                 _adjust(table["p_value"].to_numpy(), options.correction))
    table["significant"] = table["p_adjusted"] < options.alpha
    table = table.sort_values(["key_for", "g2", "term"], ascending=[False, False, True]).reset_index(drop=True)
    table.attrs.update(target_tokens=int(target_total), reference_tokens=int(reference_total), reference=described)
    return table[KEYNESS_COLUMNS]
