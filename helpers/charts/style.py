"""The house style: ``newskit.mplstyle`` (beside this module), its colours, and the decorator that draws a chart
inside it without changing the caller's matplotlib settings."""

from __future__ import annotations

import functools

import matplotlib.pyplot as plt

from helpers.charts.fonts import font_settings, quiet_glyph_warnings
from helpers.settings import STYLE_PATH

TARGET_COLOR = "#0072B2"
REFERENCE_COLOR = "#D55E00"
NEUTRAL_COLOR = "#999999"


def use_style() -> None:
    """Apply the house style to every chart drawn afterwards (for a notebook's own matplotlib charts).

    The font is the style's (DejaVu Sans), falling back glyph by glyph to installed fonts that have the scripts it
    lacks (Devanagari, CJK, Arabic ...; :data:`FALLBACK_FAMILIES`). When a chart made with pyplot is drawn with text
    that no installed font has, one line per script says so, once per session, instead of matplotlib's warning per
    missing glyph.

    >>> use_style(); import matplotlib; matplotlib.rcParams["axes.spines.top"]
    False
    """
    plt.style.use([STYLE_PATH, font_settings()])
    quiet_glyph_warnings()


def styled(function):
    """Draw inside the house style without changing the caller's global matplotlib settings."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        with plt.style.context([STYLE_PATH, font_settings()]):
            quiet_glyph_warnings()
            return function(*args, **kwargs)

    return wrapper
