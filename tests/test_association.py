"""The p-values and quantiles association.py takes from scipy.special equal scipy.stats's bit for bit."""

import numpy as np
import pytest
from scipy import stats

from helpers import association


def _values():
    rng = np.random.default_rng(18)
    return np.concatenate([[0.0, -0.0, -1.0, 1e-300, 1e-12, 0.5, 3.841458820694124, 50.0, 700.0, 1e6, np.inf, np.nan],
                           rng.exponential(5.0, 2000), rng.gamma(0.2, 1.0, 2000)])


@pytest.mark.parametrize("df", [1, 2, 3])
def test_chi2_sf_equals_scipy_stats(df):
    x = _values()
    assert association.chi2_sf(x, df=df).tobytes() == stats.chi2.sf(x, df=df).tobytes()
    assert association.chi2_sf(np.float64(2.5), df=df) == stats.chi2.sf(np.float64(2.5), df=df)


def test_normal_quantile_equals_scipy_stats():
    for q in [0.5, 0.525, 0.8, 0.9, 0.95, 0.975, 0.995, 0.9995, 1e-9, 0.0, 1.0]:
        assert np.asarray(association.normal_quantile(q)).tobytes() == np.asarray(stats.norm.ppf(q)).tobytes()


def test_benjamini_hochberg_equals_scipy_stats():
    p = association.chi2_sf(_values()[~np.isnan(_values())])
    tied = np.repeat([0.01, 0.2, 1.0, 0.0], 50)
    for ps in (p, tied, np.array([0.3, 0.3]), np.array([0.04]), np.array([], dtype=float)):
        expected = stats.false_discovery_control(ps, method="bh")
        assert np.asarray(association.benjamini_hochberg(ps)).tobytes() == np.asarray(expected).tobytes()
    with pytest.raises(ValueError, match="between 0 and 1"):
        association.benjamini_hochberg(np.array([0.2, np.nan]))
