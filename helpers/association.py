"""Association and keyness measures, each written once and vectorised over arrays of counts.

Keyness (:func:`helpers.keyness`, :func:`helpers.keyness_over_time`), collocations (:func:`helpers.collocations`),
co-occurrence (:func:`helpers.cooccurrence`), the explorer's collocates and the multi-word expressions tokenize joins
(:func:`helpers.strongest_collocations`) all score counts here. Every function takes numpy arrays (or scalars) of
counts and returns an array; none knows about tokens or tables, so the module sits at the bottom of the house where
the text and statistics layers can both import it.

Contingency cells follow NLTK's order: for a pair, ``[o11, o21, o12, o22]`` = (both, second without first, first
without second, neither); for a triple the eight cells ``n_iii, n_oii, n_ioi, n_ooi, n_iio, n_oio, n_ioo, n_ooo``.
"""

from __future__ import annotations

import numpy as np
from scipy import special

NLTK_GUARD = 1e-20  # NLTK's guard against log(0) and division by zero, kept so collocation scores equal NLTK's


def expected_counts(cells: np.ndarray, n: int) -> np.ndarray:
    """Expected counts of an n-way contingency table under independence: e = Π (margins) / N^(n − 1), in NLTK's
    cell order and arithmetic (``cells``: 2^n rows, one column per item).

    >>> expected_counts(np.array([[2.0], [1.0], [1.0], [6.0]]), 2).ravel().tolist()
    [0.9, 2.1, 2.1, 4.9]
    """
    total = cells.sum(axis=0)
    n_cells = cells.shape[0]
    expected = np.ones_like(cells, dtype=float)
    for i in range(n_cells):
        for bit in (1 << j for j in range(n)):
            expected[i] *= cells[[x for x in range(n_cells) if (x & bit) == (i & bit)]].sum(axis=0)
    return expected / total ** (n - 1)


def log_likelihood(observed: np.ndarray, expected: np.ndarray, *, guard: float = 0.0) -> np.ndarray:
    """Dunning's log-likelihood G² = 2 Σ_i o_i ln(o_i / e_i), summed over the cells (rows) of ``observed``.

    With ``guard`` 0 a cell with o = 0 adds 0 (0 ln 0 = 0), as Rayson's keyness calculator does; with NLTK's
    ``guard`` (:data:`NLTK_GUARD`) each cell adds o ln(o / (e + guard) + guard), exactly as NLTK's
    ``likelihood_ratio``. Dunning 1993, *Computational Linguistics* 19(1).

    >>> round(float(log_likelihood(np.array([[10.0], [0.0]]), np.array([[5.0], [5.0]]))[0]), 3)
    13.863
    """
    observed, expected = np.asarray(observed, dtype=float), np.asarray(expected, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        if guard:
            cells = observed * np.log(observed / (expected + guard) + guard)
        else:
            cells = np.where(observed > 0, observed * np.log(observed / expected), 0.0)
    return 2 * cells.sum(axis=0)


def chi_squared(observed: np.ndarray, expected: np.ndarray, *, guard: float = NLTK_GUARD) -> np.ndarray:
    """Pearson's χ² = Σ_i (o_i − e_i)² / (e_i + guard) over the cells (rows) of ``observed``.

    >>> chi_squared(np.array([[2.0], [0.0]]), np.array([[1.0], [1.0]]), guard=0).tolist()
    [2.0]
    """
    return ((observed - expected) ** 2 / (expected + guard)).sum(axis=0)


def chi_squared_2x2(a, b, c, d) -> np.ndarray:
    """Pearson's χ² of a 2×2 table without continuity correction, for an item seen ``a`` times in a sample of ``c``
    and ``b`` times in a sample of ``d``: N (a(d − b) − b(c − a))² / ((a + b)(N − a − b) c d), N = c + d.
    (For a pair of words: a = o11, c = f(w1), b = f(w2) − o11, d = N − f(w1); Manning & Schütze 1999 §5.3.3.)
    An empty margin gives NaN.

    >>> chi_squared_2x2(np.array([10.0]), np.array([0.0]), 100.0, 100.0).round(3).tolist()
    [10.526]
    """
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    n = c + d
    with np.errstate(divide="ignore", invalid="ignore"):
        return n * (a * (d - b) - b * (c - a)) ** 2 / ((a + b) * (n - a - b) * c * d)


def pmi(observed, freq_product, total, *, nltk: bool = False) -> np.ndarray:
    """Pointwise mutual information log2(o · N / Π f): the observed count against the count expected under
    independence (Church & Hanks 1990). For a pair, Π f = f(w1) f(w2); for a triple NLTK passes N² as ``total``.
    ``nltk`` evaluates it in NLTK's order, log2(o · N) − log2(Π f), so collocation scores equal NLTK's bit for bit.
    Zero counts give -inf.

    >>> pmi(np.array([4.0]), np.array([8.0]), 2.0).tolist(), pmi(np.array([4.0]), np.array([8.0]), 2.0, nltk=True).tolist()
    ([0.0], [0.0])
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        if nltk:
            return np.log2(observed * total) - np.log2(freq_product)
        return np.log2(observed * total / freq_product)


def t_score(observed, expected, *, guard: float = NLTK_GUARD) -> np.ndarray:
    """Church et al.'s (1991) t-score (o − e) / √(o + guard) (Manning & Schütze 1999 §5.3.1; NLTK's ``student_t``).

    >>> t_score(np.array([4.0]), np.array([1.0])).tolist()
    [1.5]
    """
    return (observed - expected) / np.sqrt(observed + guard)


def dice(observed, freq_a, freq_b) -> np.ndarray:
    """Dice coefficient 2 o / (f(a) + f(b)): 1 when the two always occur together.

    >>> dice(np.array([2.0]), np.array([2.0]), np.array([2.0])).tolist()
    [1.0]
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        return 2 * observed / (freq_a + freq_b)


def log_dice(observed, freq_a, freq_b) -> np.ndarray:
    """Rychlý's (2008, *RASLAN*) logDice = 14 + log2(2 o / (f(a) + f(b))); at most 14, independent of corpus size.

    >>> log_dice(np.array([2.0]), np.array([2.0]), np.array([2.0])).tolist()
    [14.0]
    """
    with np.errstate(divide="ignore"):
        return 14 + np.log2(dice(observed, freq_a, freq_b))


def log_ratio(a, b, c, d, *, ci: float = 0.95, zero: float = 0.5) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Hardie's (2014) log ratio log2((a/c) / (b/d)) of an item seen ``a`` times in ``c`` tokens and ``b`` times in
    ``d``, with its Wald interval log_ratio ± z·√(1/a + 1/b)/ln 2; a zero count is replaced by ``zero`` (0.5, as
    Hardie does). Returns (log ratio, low, high).

    >>> [x.round(3).tolist() for x in log_ratio(np.array([10.0]), np.array([0.0]), 100.0, 100.0)]
    [[4.322], [0.224], [8.42]]
    """
    a_adj, b_adj = np.where(a > 0, a, zero), np.where(b > 0, b, zero)
    ratio = np.log2((a_adj / c) / (b_adj / d))
    z = normal_quantile(0.5 + ci / 2)
    half_width = z * np.sqrt(1 / a_adj + 1 / b_adj) / np.log(2)
    return ratio, ratio - half_width, ratio + half_width


def pct_diff(rate_a, rate_b, *, zero: float = 1e-18) -> np.ndarray:
    """Gabrielatos & Marchi's (2012) %DIFF = 100 (rate_a − rate_b) / rate_b; a zero reference rate is replaced by
    ``zero`` (1e-18, as they propose), so an item absent from the reference gets a very large finite %DIFF.

    >>> pct_diff(np.array([0.02, 0.01]), np.array([0.01, 0.0])).tolist()
    [100.0, 9.999999999999999e+17]
    """
    return 100 * (rate_a - rate_b) / np.where(rate_b > 0, rate_b, zero)


# scipy.special holds the functions scipy.stats calls for these distributions (chi2.sf is chdtrc, norm.ppf is
# ndtri); scipy.stats itself costs a notebook kernel ~0.5 s to import. tests/test_association.py checks every
# value equals scipy.stats's bit for bit.

def chi2_sf(x, df: int = 1) -> np.ndarray:
    """The χ² distribution's survival function (the p-value of a statistic ``x`` with ``df`` degrees of freedom),
    as ``scipy.stats.chi2.sf(x, df)``: 1 at ``x <= 0``, NaN for NaN.

    >>> chi2_sf(np.array([0.0, 3.841458820694124])).round(3).tolist()
    [1.0, 0.05]
    """
    x = np.asarray(x, dtype=np.promote_types(np.asarray(x).dtype, np.float64))
    p = np.where(x > 0, special.chdtrc(df, np.where(x > 0, x, 1.0)), 1.0)
    p = np.where(np.isnan(x), np.nan, p)
    return p[()] if p.ndim == 0 else p


def normal_quantile(q):
    """The standard normal distribution's quantile, as ``scipy.stats.norm.ppf(q)``.

    >>> round(float(normal_quantile(0.975)), 4)
    1.96
    """
    return special.ndtri(q)


def benjamini_hochberg(p_values: np.ndarray) -> np.ndarray:
    """Benjamini–Hochberg adjusted p-values, as ``scipy.stats.false_discovery_control(p_values, method="bh")``
    (the same steps in the same order, so the same floating-point results).

    >>> benjamini_hochberg(np.array([0.5, 0.6, 0.1, 0.001])).tolist()
    [0.6, 0.6, 0.2, 0.004]
    """
    ps = np.asarray(p_values)
    if not (np.issubdtype(ps.dtype, np.integer) or np.issubdtype(ps.dtype, np.floating)) \
            or not np.all(ps == np.clip(ps, 0.0, 1.0)):
        raise ValueError("`ps` must include only numbers between 0 and 1.")
    if ps.size <= 1:
        return ps[()] if ps.ndim == 0 else ps
    m = ps.shape[-1]
    order = np.argsort(ps, kind="stable")
    ps = np.take_along_axis(ps, order, axis=-1)
    ps = ps * (m / np.arange(1, m + 1, dtype=ps.dtype))
    np.minimum.accumulate(ps[::-1], out=ps[::-1])
    np.put_along_axis(ps, order, values=ps.copy(), axis=-1)
    return np.clip(ps, 0.0, 1.0)
