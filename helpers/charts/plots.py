"""Charts drawn from the kit's tables; each takes a DataFrame, accepts ``ax=None`` and returns the Axes.

Every function draws in the house style (``helpers/newskit.mplstyle``: Okabe-Ito colour-blind-safe palette, titles
that say what is shown, units on the axes) and never calls ``plt.show()``. Functions that draw small multiples (one
panel per group, term or topic) return the first panel; ``ax.figure.axes`` holds them all. A source note
("n = 172 articles, 2019-01-04 – 2019-12-30; Wikinews CC BY 2.5") is written under each figure: pass ``note=`` or
set it once per notebook with :func:`set_source_note`.

No function draws empty axes: a table with nothing to draw (no rows, no finite value, no term that occurs, no dated
article for a chart over time) raises ``ValueError("nothing to plot: <function>: <why>")`` before a figure is
made, so a notebook can say in one line why a chart is skipped; every Axes returned shows data.
"""

from __future__ import annotations

import functools
import math
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from helpers.settings import SAMPLES

STYLE_PATH = Path(__file__).with_name("newskit.mplstyle")
TARGET_COLOR = "#0072B2"
REFERENCE_COLOR = "#D55E00"
NEUTRAL_COLOR = "#999999"
NOTE_GID = "newskit-source-note"
RASTERIZE_ABOVE = 2000  # marks in one collection beyond which a chart draws them as pixels, not vector paths
MARK_STEPS = 4000  # distinct x positions a dense row of marks is drawn at: finer than a pixel of any saved chart
# the credit line each sample collection carries under a chart (helpers.settings.SAMPLES)
CREDITS = {sample.collection: sample.note for sample in SAMPLES}
VALUE_LABELS = {
    "per_10k": "Frequency (per 10,000 tokens)",
    "frequency": "Frequency (occurrences)",
    "count": "Occurrences",
    "share_articles": "Share of articles",
    "docfreq": "Articles containing the term",
    "tfidf": "TF-IDF weight",
    "weight": "Weight",
    "log_ratio": "Log ratio (log\u2082 of the ratio of relative frequencies)",
    "pct_diff": "%DIFF (difference of relative frequencies, %)",
    "g2": "Log-likelihood G\u00b2",
    "pmi": "PMI (log\u2082 observed / expected)",
    "likelihood_ratio": "Log-likelihood ratio G\u00b2",
    "t_score": "t-score",
    "chi_sq": "\u03c7\u00b2",
    "dice": "Dice coefficient (0\u20131)",
    "log_dice": "logDice (maximum 14)",
    "compound": "VADER compound (\u22121 \u2026 +1)",
}

COLLOCATION_NAMES = {"likelihood_ratio": "log-likelihood ratio (G²)", "pmi": "PMI", "t_score": "t-score",
                     "chi_sq": "χ²", "dice": "Dice", "log_dice": "logDice", "frequency": "frequency"}

_default_note: str | None = None


# --- house style and source note -------------------------------------------------------------------------------


def use_style() -> None:
    """Apply the house style to every chart drawn afterwards (for a notebook's own matplotlib charts).

    The font is the style's (DejaVu Sans), falling back glyph by glyph to installed fonts that have the scripts it
    lacks (Devanagari, CJK, Arabic ...; :data:`FALLBACK_FAMILIES`). When a chart made with pyplot is drawn with text
    that no installed font has, one line per script says so, once per session, instead of matplotlib's warning per
    missing glyph.

    >>> use_style(); import matplotlib; matplotlib.rcParams["axes.spines.top"]
    False
    """
    plt.style.use([STYLE_PATH, _font_settings()])
    _quiet_glyph_warnings()


def _styled(function):
    """Draw inside the house style without changing the caller's global matplotlib settings."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        with plt.style.context([STYLE_PATH, _font_settings()]):
            _quiet_glyph_warnings()
            return function(*args, **kwargs)

    return wrapper


# --- fonts for every script -------------------------------------------------------------------------------------

# Installed families among these are the fallback after DejaVu Sans, which has Latin, Greek, Cyrillic and Arabic
# but no Indic or CJK glyphs. Debian/Ubuntu: fonts-noto-core (Devanagari, Bengali, Tamil, Arabic, Hebrew, Thai ...)
# and fonts-noto-cjk (Chinese, Japanese, Korean); Windows and macOS have their own.
FALLBACK_FAMILIES = (
    "Noto Sans Devanagari", "Noto Sans Bengali", "Noto Sans Gurmukhi", "Noto Sans Gujarati", "Noto Sans Tamil",
    "Noto Sans Telugu", "Noto Sans Kannada", "Noto Sans Malayalam", "Noto Sans Sinhala", "Noto Sans Arabic",
    "Noto Naskh Arabic", "Noto Sans Hebrew", "Noto Sans Thai", "Noto Sans Ethiopic", "Noto Sans Armenian",
    "Noto Sans Georgian", "Noto Sans CJK JP", "Noto Sans CJK SC", "Noto Sans CJK TC", "Noto Sans CJK KR",
    "Noto Sans SC", "Noto Sans JP", "Noto Sans KR", "Droid Sans Fallback", "WenQuanYi Zen Hei", "Lohit Devanagari",
    "Nirmala UI", "Mangal", "Microsoft YaHei", "Yu Gothic", "Malgun Gothic", "PingFang SC", "Hiragino Sans",
    "Kohinoor Devanagari", "Arial Unicode MS")
FONT_PACKAGES = "Debian/Ubuntu: apt install fonts-noto-core, and fonts-noto-cjk for Chinese, Japanese, Korean"
SCRIPT_NAMES = {"CJK": "Chinese/Japanese/Korean (CJK)", "HANGUL": "Korean (Hangul)"}
_noted_scripts: set[str] = set()


def fallback_families() -> list[str]:
    """The installed families of :data:`FALLBACK_FAMILIES`, in that order (empty when none is installed).

    >>> from types import SimpleNamespace
    >>> from unittest import mock
    >>> from matplotlib import font_manager
    >>> fonts = [SimpleNamespace(name=name) for name in ("DejaVu Sans", "Noto Sans CJK JP", "Noto Sans Devanagari")]
    >>> with mock.patch.object(font_manager.fontManager, "ttflist", fonts):
    ...     fallback_families()
    ['Noto Sans Devanagari', 'Noto Sans CJK JP']
    """
    from matplotlib import font_manager

    installed = {font.name for font in font_manager.fontManager.ttflist}
    return [family for family in FALLBACK_FAMILIES if family in installed]


def _font_settings() -> dict:
    """The style's font first, then the installed fallbacks; and the hook that notes glyphs no font has."""
    return {"font.family": ["sans-serif", *fallback_families()], "figure.hooks": [f"{__name__}:watch_glyphs"]}


def _quiet_glyph_warnings() -> None:
    """Matplotlib warns once per missing glyph (dozens per chart); :func:`watch_glyphs` says it once per script."""
    import warnings

    # set each time (an identical filter replaces itself): warnings.catch_warnings blocks restore the filters
    warnings.filterwarnings("ignore", message=r"Glyph \d+ \(.*\) missing from font", category=UserWarning)


@functools.lru_cache(maxsize=8)
def _coverage(families: tuple[str, ...]) -> frozenset[int]:
    """The code points that the fonts of ``families`` (as matplotlib resolves them) have glyphs for."""
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    paths = []
    for family in families:
        try:
            # a list, not a str: a lone str is read as a fontconfig pattern, where "sans-serif" is not valid
            paths.append(font_manager.findfont(font_manager.FontProperties(family=[family]),
                                               fallback_to_default=False))
        except ValueError:
            continue
    covered = set()
    for path in dict.fromkeys(paths):
        covered.update(FT2Font(path).get_charmap())
    return frozenset(covered)


def _cloud_font(words: list[str]) -> str | None:
    """A font file for a word cloud of ``words``: None (wordcloud's own font) when it has every glyph, else the
    first of the house font and its installed fallbacks that has them all; a word cloud draws with one font only.
    When none has them all, the note :func:`watch_glyphs` gives is printed here (the cloud is an image, no text)."""
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font
    from wordcloud.wordcloud import FONT_PATH

    if not _outside(words, frozenset(FT2Font(FONT_PATH).get_charmap())):
        return None
    for family in ["sans-serif", *fallback_families()]:
        if not missing_glyphs(words, families=(family,)):
            return font_manager.findfont(font_manager.FontProperties(family=[family]))
    _note(missing_glyphs(words))
    return None


def _outside(texts, covered: frozenset[int]) -> str:
    return "".join(c for c in dict.fromkeys("".join(texts)) if not c.isspace() and ord(c) not in covered)


def _note(missing: dict[str, str]) -> None:
    for script, chars in missing.items():
        if script not in _noted_scripts:
            _noted_scripts.add(script)
            print(f"note: no installed font has {SCRIPT_NAMES.get(script, script.title())} glyphs "
                  f"({chars[:5]}), so they show as empty boxes in charts; install one ({FONT_PACKAGES}), then "
                  f"delete matplotlib's font list in {matplotlib.get_cachedir()} so that it is found")


def missing_glyphs(texts, families=None) -> dict[str, str]:
    """The characters of ``texts`` that no font of ``families`` (default: the house style's list) can draw, by
    script (the first word of the character's Unicode name: "DEVANAGARI", "CJK", "HIRAGANA" ...).

    >>> missing_glyphs(["Libya", "drug"])
    {}
    """
    import unicodedata

    families = tuple(families or _font_settings()["font.family"])
    covered = _coverage(families)
    missing: dict[str, str] = {}
    for char in dict.fromkeys("".join(map(str, texts))):
        if ord(char) > 0x24F and not char.isspace() and ord(char) not in covered:
            script = unicodedata.name(char, "UNKNOWN").split(" ")[0]
            missing[script] = missing.get(script, "") + char
    return missing


def watch_glyphs(fig) -> None:
    """Figure hook (``rcParams["figure.hooks"]``, set by :func:`use_style` and every plot function): when ``fig``
    is drawn, say once per script when its text has glyphs that no installed font has."""
    from matplotlib.text import Text

    def check(event):
        texts = [text for text in fig.findobj(Text) if text.get_visible() and text.get_text()]
        families = dict.fromkeys(family for text in texts for family in text.get_fontfamily())
        _note(missing_glyphs([text.get_text() for text in texts], list(families)))

    fig.canvas.mpl_connect("draw_event", check)


def source_note(articles: pd.DataFrame, *, credit: str | None = None) -> str:
    """One line saying what a chart was drawn from: article count, date range and the credit line of the data.

    The credit is ``credit`` when given, else the licence line of each sample whose articles are in ``articles``
    (``CREDITS``, by collection: "Wikinews CC BY 2.5", "U.S. congressional press releases, public domain; …").

    >>> arts = pd.DataFrame({"date": pd.to_datetime(["2019-01-04", "2019-12-30", None], utc=True),
    ...                      "collection": ["wikinews_2019", "wikinews_2019", "articles"]})
    >>> source_note(arts)
    'n = 3 articles, 2019-01-04 – 2019-12-30 (1 undated); Wikinews CC BY 2.5'
    >>> source_note(pd.DataFrame({"collection": ["congress_press_2024-11"]}))
    'n = 1 article; U.S. congressional press releases, public domain; compiled by dwillis/congress-press'
    """
    n = len(articles)
    parts = [f"n = {n:,} article{'s' if n != 1 else ''}"]
    if "date" in articles.columns:
        dates = pd.to_datetime(articles["date"], errors="coerce", utc=True)
        if dates.notna().any():
            span = f"{dates.min():%Y-%m-%d} – {dates.max():%Y-%m-%d}"
            undated = int(dates.isna().sum())
            parts.append(span + (f" ({undated} undated)" if undated else ""))
        else:
            parts.append("no dates")
    if credit is None and "collection" in articles.columns:
        credits = [CREDITS[c] for c in pd.unique(articles["collection"].dropna()) if c in CREDITS]
        credit = "; ".join(dict.fromkeys(credits)) or None
    return ", ".join(parts) + (f"; {credit}" if credit else "")


def set_source_note(note: str | pd.DataFrame | None) -> str | None:
    """Make ``note`` (a string, or an articles frame turned into one by :func:`source_note`) the note written under
    every chart drawn or saved afterwards; ``None`` removes it. Returns the note.

    >>> set_source_note("n = 1 article")
    'n = 1 article'
    >>> set_source_note(None)
    """
    global _default_note
    _default_note = source_note(note) if isinstance(note, pd.DataFrame) else note
    return _default_note


def add_source_note(fig, note: str | None = None):
    """Write ``note`` (default: the one set by :func:`set_source_note`) small, grey, under ``fig``, once.

    Returns the Text, or ``None`` when there is no note or the figure already has one.

    >>> fig = plt.figure(); add_source_note(fig, "n = 2 articles").get_text()
    'n = 2 articles'
    >>> add_source_note(fig, "again") is None
    True
    """
    note = _default_note if note is None else note
    if not note or any(t.get_gid() == NOTE_GID for t in fig.texts):
        return None
    return fig.text(0.005, 0.0, note, ha="left", va="top", fontsize=7, color="#666666", gid=NOTE_GID)


def _title(ax, text: str, **kwargs):
    """Title in the centre slot (so ``ax.get_title()`` finds it) but aligned left, as the house style wants."""
    ax.set_title(text, **kwargs)
    ax.title.set_horizontalalignment("left")
    ax.title.set_x(0.0)


def _label(value: str) -> str:
    return VALUE_LABELS.get(value, value.replace("_", " "))


def _require(table: pd.DataFrame, columns, what: str) -> None:
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise ValueError(f"{what} needs columns {missing}; the table has {list(table.columns)}")


def _nothing_to_plot(what: str, why: str):
    """Raise the one error every plot function gives when its table holds nothing to draw."""
    raise ValueError(f"nothing to plot: {what}: {why}")


def _require_values(table: pd.DataFrame, column: str, what: str, *, positive: bool = False) -> None:
    """Stop before drawing when ``column`` has no finite (or, with ``positive``, no positive) value."""
    if table.empty:
        _nothing_to_plot(what, "the table has no rows")
    values = pd.to_numeric(table[column], errors="coerce").astype(float).to_numpy()
    usable = np.isfinite(values) & (values > 0) if positive else ~np.isnan(values)
    if not usable.any():
        _nothing_to_plot(what, f"no row has a {'positive' if positive else 'numeric'} {column!r}")


def _columns(n_panels: int, ncols: int | None) -> int:
    """Columns of a small-multiples grid: as asked, else 2 for 4 panels (a square), else up to 3."""
    if ncols is None:
        ncols = 2 if n_panels == 4 else 3
    return max(1, min(ncols, n_panels))


def _grid(n_panels: int, *, ncols: int | None, panel_size=(3.6, 2.6), sharex=False, sharey=False):
    ncols = _columns(n_panels, ncols)
    nrows = math.ceil(n_panels / ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(panel_size[0] * ncols, panel_size[1] * nrows),
                             sharex=sharex, sharey=sharey, squeeze=False)
    axes = axes.ravel()
    for extra in axes[n_panels:]:
        extra.set_visible(False)
    return fig, list(axes[:n_panels])


def _panels(ax, n_panels: int, **grid):
    """The axes to draw ``n_panels`` small multiples on: a new grid, or the axes the caller gave."""
    if ax is None:
        return _grid(n_panels, **grid)
    given = list(np.ravel(ax))
    if len(given) < n_panels:
        raise ValueError(f"{n_panels} panels to draw but {len(given)} axes given; pass ax=None for a new figure")
    return given[0].figure, given[:n_panels]


def _finish(fig, ax, note, title_for_figure: str | None = None):
    if title_for_figure:
        fig.suptitle(title_for_figure, x=0.01, ha="left")
    add_source_note(fig, note)
    return ax


def _period_label(value) -> str:
    if isinstance(value, pd.Timestamp):
        return f"{value:%Y-%m-%d}" if value.day != 1 else f"{value:%Y-%m}"
    return str(value)


# --- frequencies ------------------------------------------------------------------------------------------------


def _frequency_bars(ax, table: pd.DataFrame, n: int, value: str, color: str):
    top = table.sort_values([value, "term"], ascending=[False, True]).head(n).iloc[::-1]
    ax.barh(top["term"].astype(str), top[value], color=color)
    ax.set_xlabel(_label(value))
    ax.grid(axis="x")
    ax.tick_params(axis="y", length=0)
    ax.margins(y=0.01)
    return top


@_styled
def plot_frequencies(freq: pd.DataFrame, *, n: int = 20, by: str | None = None, value: str = "per_10k", ax=None,
                     title: str | None = None, ncols: int | None = None, note: str | None = None):
    """Ranked horizontal bars of the ``n`` most frequent terms of a :func:`helpers.frequencies` table.

    With ``by`` (a grouping column of the table) one panel per group, each with its own top ``n``.
    ``value`` is the bar length: ``per_10k`` (default), ``frequency`` or ``docfreq``.

    >>> freq = pd.DataFrame({"term": ["drug", "libya"], "frequency": [3, 2], "per_10k": [30.0, 20.0]})
    >>> ax = plot_frequencies(freq, note="")
    >>> len(ax.patches), ax.get_title()
    (2, 'Top 2 terms, frequency per 10,000 tokens')
    """
    _require(freq, ["term", value] + ([by] if by else []), "plot_frequencies")
    _require_values(freq, value, "plot_frequencies", positive=True)
    if by is None:
        if ax is None:
            fig, ax = plt.subplots(figsize=(6, 0.24 * min(n, len(freq)) + 1.2))
        top = _frequency_bars(ax, freq, n, value, TARGET_COLOR)
        unit = "per 10,000 tokens" if value == "per_10k" else _label(value).lower()
        _title(ax, title or f"Top {len(top)} terms, frequency {unit}")
        return _finish(ax.figure, ax, note)
    groups = [g for g in pd.unique(freq[by]) if not pd.isna(g)]
    fig, axes = _panels(ax, len(groups), ncols=ncols, panel_size=(3.4, 0.22 * n + 1.0))
    for panel, group in zip(axes, groups):
        _frequency_bars(panel, freq[freq[by] == group], n, value, TARGET_COLOR)
        _title(panel, _period_label(group), fontsize=10)
    unit = "per 10,000 tokens" if value == "per_10k" else _label(value).lower()
    return _finish(fig, axes[0], note, title or f"Top {n} terms by {by}, frequency {unit}")


# --- keyness ----------------------------------------------------------------------------------------------------


@_styled
def plot_keyness(keyness_table: pd.DataFrame, *, n: int = 15, effect: str = "log_ratio", rank_by: str = "g2",
                 target_label: str = "target", reference_label: str = "reference", ax=None,
                 title: str | None = None, note: str | None = None):
    """Two-sided keyness bars: the ``n`` terms most key for the target to the right, for the reference to the left.

    Terms are chosen by the size of ``rank_by`` (G² by default, signed or not: strength of evidence) within each
    side and drawn at their
    ``effect`` (log ratio by default: how much more frequent, log₂, so +1 = twice as frequent); the confidence interval
    is drawn when the table has ``{effect}_ci_low/high``. Significant terms are solid, the others pale and marked
    "n.s.". Infinite effects (a term absent on one side) are drawn at the axis edge and marked "∞".

    >>> k = pd.DataFrame({"term": ["libya", "drug", "trump"], "g2": [20.0, 9.0, 6.0], "log_ratio": [3.0, 2.0, -2.5],
    ...                   "key_for": ["target", "target", "reference"], "significant": [True, True, False]})
    >>> ax = plot_keyness(k, note="")
    >>> len(ax.patches), [t.get_text() for t in ax.texts]
    (3, ['libya', 'drug', 'trump  n.s.'])
    """
    _require(keyness_table, ["term", effect, "key_for", rank_by], "plot_keyness")
    _require_values(keyness_table, effect, "plot_keyness")
    table = keyness_table.copy()
    if "significant" not in table.columns:
        table["significant"] = True
    sides = []
    # G² may be signed (negative for reference terms): the strength of evidence is its size
    table["_strength"] = pd.to_numeric(table[rank_by], errors="coerce").abs()
    for side in ("target", "reference"):
        chosen = table[table["key_for"] == side].nlargest(n, "_strength")
        sides.append(chosen.assign(_magnitude=chosen[effect].abs()).sort_values("_magnitude", ascending=False))
    target, reference = sides
    # strongest target term on top, strongest reference term at the bottom
    rows = pd.concat([target, reference.iloc[::-1]], ignore_index=True)
    values = rows[effect].astype(float).to_numpy()
    finite = np.abs(values[np.isfinite(values)])
    edge = (finite.max() if finite.size else 1.0) * 1.15
    shown = np.clip(np.nan_to_num(values, nan=0.0, posinf=edge, neginf=-edge), -edge, edge)
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 0.26 * len(rows) + 1.6))
    # reference rows at the bottom, target rows on top: y runs from bottom to top
    y = np.arange(len(rows))[::-1]
    colors = [TARGET_COLOR if side == "target" else REFERENCE_COLOR for side in rows["key_for"]]
    significant = rows["significant"].astype(bool).to_numpy()
    bars = ax.barh(y, shown, color=colors, height=0.75)
    # a term key for one side whose effect points the other way (a zero count smoothed by the effect size) is
    # hatched, so the chart never silently contradicts the table's key_for
    contradicts = ((rows["key_for"] == "target").to_numpy() & (shown < 0)) | \
        ((rows["key_for"] == "reference").to_numpy() & (shown > 0))
    for bar, is_significant, odd in zip(bars, significant, contradicts):
        bar.set_alpha(1.0 if is_significant else 0.35)
        if odd:
            bar.set_hatch("////")
            bar.set_edgecolor("#555555")
    low, high = f"{effect}_ci_low", f"{effect}_ci_high"
    lo, hi = shown.copy(), shown.copy()
    if low in rows.columns and high in rows.columns:
        lo = np.clip(np.nan_to_num(rows[low].astype(float), nan=0.0, posinf=edge, neginf=-edge), -edge, edge)
        hi = np.clip(np.nan_to_num(rows[high].astype(float), nan=0.0, posinf=edge, neginf=-edge), -edge, edge)
        lo, hi = np.minimum(lo, shown), np.maximum(hi, shown)
        ax.errorbar(shown, y, xerr=[shown - lo, hi - shown], fmt="none", ecolor="#333333", elinewidth=0.8,
                    capsize=2)
    pad = edge * 0.02
    # the term sits on the other side of zero from its bar, clear of the interval when that crosses zero
    for yi, value, raw, term, is_significant, left, right in zip(y, shown, values, rows["term"].astype(str),
                                                                 significant, lo, hi):
        label = term + ("" if is_significant else "  n.s.")
        ax.text(min(0.0, left) - pad if value >= 0 else max(0.0, right) + pad, yi, label, va="center",
                ha="right" if value >= 0 else "left", fontsize=8.5,
                color="#222222" if is_significant else "#777777")
        if np.isinf(raw):
            ax.text(value, yi, " ∞ " if value > 0 else " ∞ ", va="center", ha="left" if value > 0 else "right",
                    fontsize=8, color="#333333")
    ax.axvline(0, color="#333333", linewidth=0.8)
    ax.set_yticks([])
    ax.spines["left"].set_visible(False)
    # room for the terms on the side opposite their bars: at least 40 % of the widest extent on each side
    extent = max(np.abs(lo).max(initial=0), np.abs(hi).max(initial=0), 1e-9)
    ax.set_xlim(-max(np.abs(np.minimum(lo, 0)).max(initial=0) * 1.08, 0.4 * extent),
                max(np.maximum(hi, 0).max(initial=0) * 1.08, 0.4 * extent))
    ax.set_xlabel(_label(effect))
    ax.grid(axis="x")
    from matplotlib.patches import Patch

    handles = [Patch(color=TARGET_COLOR, label=f"key for {target_label}"),
               Patch(color=REFERENCE_COLOR, label=f"key for {reference_label}"),
               Patch(color=NEUTRAL_COLOR, alpha=0.35, label="not significant (n.s.)")]
    if contradicts.any():
        handles.append(Patch(facecolor="white", edgecolor="#555555", hatch="////",
                             label=f"{_label(effect).split(' (')[0].lower()} points the other way (a zero count)"))
    # outside the bars: inside, it would cover a term's label on one side or the other
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.09), ncols=2, fontsize=8.5)
    short = {"g2": "G²", "chi2": "χ²", "log_ratio": "log ratio", "p_value": "p"}.get(rank_by, rank_by)
    _title(ax, title or f"Key terms: {target_label} vs {reference_label} (top {n} per side by {short})")
    return _finish(ax.figure, ax, note)


# --- dispersion -------------------------------------------------------------------------------------------------


def _codes_as_text(values: pd.Series) -> tuple[np.ndarray, list[str]]:
    """Integer codes and the text each stands for (as ``values.astype(str)`` would write it), without converting
    every row of a categorical column to text."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        codes = values.cat.codes.to_numpy().astype(np.int64)
        texts = [str(v) for v in values.cat.categories] + ["nan"]
        return np.where(codes < 0, len(texts) - 1, codes), texts
    codes, uniques = pd.factorize(values.astype(str))
    return codes, [str(v) for v in uniques]


@_styled
def plot_dispersion(tokens: pd.DataFrame, terms, articles: pd.DataFrame | None = None, *, ax=None,
                    title: str | None = None, note: str | None = None):
    """Dispersion ("x-ray") plot: one row per term, a tick wherever it occurs along the corpus read end to end.

    Articles are read in the order of ``articles`` sorted by date when given (so the x axis is roughly time),
    else in the token table's order; faint vertical lines mark where one article ends and the next begins.
    ``terms`` match the token table's ``term`` column (a string or a list).

    >>> t = pd.DataFrame({"doc_id": ["a"] * 4 + ["b"] * 2, "term": ["libya", "us", "drug", "libya", "drug", "x"]})
    >>> ax = plot_dispersion(t, ["libya", "drug"], note="")
    >>> [l.get_text() for l in ax.get_yticklabels()], [len(c.get_positions()) for c in ax.collections[1:]]
    (['drug (2)', 'libya (2)'], [2, 2])
    """
    _require(tokens, ["doc_id", "term"], "plot_dispersion")
    terms = [terms] if isinstance(terms, str) else list(terms)
    if not terms:
        raise ValueError("plot_dispersion needs at least one term")
    if not tokens["term"].isin([str(t) for t in terms]).any():
        _nothing_to_plot("plot_dispersion", f"none of {terms[:5]} occurs in the token table ({len(tokens):,} tokens)")
    # Codes, not strings: on 4.6 M tokens converting, mapping and comparing strings took seconds per chart.
    doc_codes, doc_values = _codes_as_text(tokens["doc_id"])
    order = [doc_values[code] for code in pd.unique(doc_codes)]
    ordered_by = "token table order"
    if articles is not None:
        known = articles.assign(doc_id=articles["doc_id"].astype(str))
        if "date" in known.columns:
            known = known.sort_values(["date", "doc_id"], na_position="last")
            ordered_by = "articles by date"
        present, listed = set(order), set(known["doc_id"])
        order = [d for d in known["doc_id"] if d in present] + [d for d in order if d not in listed]
    rank = {doc: i for i, doc in enumerate(order)}
    doc = np.array([rank.get(d, -1) for d in doc_values], dtype=np.int64)[doc_codes]
    along = np.argsort(doc, kind="stable")
    term_codes, term_values = _codes_as_text(tokens["term"])
    term_codes = term_codes[along]
    total = len(along)
    offsets = 100 * np.arange(total) / max(total, 1)
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 0.45 * len(terms) + 1.3))
    sorted_doc = doc[along]
    starts = 100 * (np.flatnonzero(sorted_doc[1:] != sorted_doc[:-1]) + 1) / max(total, 1)
    # Thousands of article boundaries and hits drawn as vector paths made saving the SVG take ~15 s;
    # raster layers look the same at the saved resolution.
    ax.vlines(_distinct_marks(starts), -0.5, len(terms) - 0.5, colors="#e4e4e4", linewidth=0.5, zorder=0,
              rasterized=len(starts) > RASTERIZE_ABOVE)
    labels = []
    code_of: dict[str, int] = {}
    for code, value in enumerate(term_values):
        code_of.setdefault(value, code)
    for row, term in enumerate(terms):
        hits = offsets[term_codes == code_of.get(term, -2)]
        ax.eventplot(_distinct_marks(hits), lineoffsets=len(terms) - 1 - row, linelengths=0.8, linewidths=0.9,
                     colors=TARGET_COLOR, rasterized=len(hits) > RASTERIZE_ABOVE)
        labels.append(f"{term} ({len(hits)})")
    ax.set_yticks(range(len(terms)), labels[::-1])
    ax.set_ylim(-0.6, len(terms) - 0.4)
    ax.set_xlim(0, 100)
    ax.set_xlabel(f"Position in the corpus (% of {total:,} tokens; {len(order)} articles, {ordered_by})")
    ax.tick_params(axis="y", length=0)
    _title(ax, title or f"Where {len(terms)} term{'s' if len(terms) != 1 else ''} occur (dispersion plot)")
    return _finish(ax.figure, ax, note)


def _distinct_marks(positions: np.ndarray) -> np.ndarray:
    """Dense marks (% positions) at most once per 1/MARK_STEPS of the axis: marks closer than a pixel draw as
    one, and drawing tens of thousands of them took seconds per chart.

    >>> _distinct_marks(np.linspace(0, 100, 100_000)).size <= MARK_STEPS + 1
    True
    """
    if len(positions) <= RASTERIZE_ABOVE:
        return positions
    return np.unique(np.round(np.asarray(positions) * (MARK_STEPS / 100))) * (100 / MARK_STEPS)


# --- trends -----------------------------------------------------------------------------------------------------


def _events(events) -> list[tuple[pd.Timestamp, str]]:
    if events is None:
        return []
    if isinstance(events, pd.DataFrame):
        _require(events, ["date", "label"], "events")
        events = dict(zip(events["date"], events["label"]))
    return [(pd.Timestamp(date), str(label)) for date, label in dict(events).items()]


def _naive(values: pd.Series) -> pd.Series:
    values = pd.to_datetime(values)
    return values.dt.tz_convert(None) if values.dt.tz is not None else values


@_styled
def plot_trends(trends_table: pd.DataFrame, *, terms=None, value: str = "per_10k", events=None, ax=None,
                small_multiples: bool | None = None, ncols: int | None = None, title: str | None = None,
                note: str | None = None):
    """Terms over time from a trends table: one panel per term (small multiples) or all terms on one Axes.

    Periods without articles (``NaN``) are gaps in the line, never zeros. ``value`` is ``per_10k`` (default),
    ``share_articles`` (a fraction, shown in %) or ``count``. ``events`` (``{date: label}`` or a frame with
    ``date, label``) are marked with dashed lines. Small multiples are the default for more than one term when
    ``ax`` is not given.

    >>> tr = pd.DataFrame({"period": pd.to_datetime(["2019-01-01", "2019-02-01", "2019-03-01"] * 2),
    ...                    "term": ["libya"] * 3 + ["drug"] * 3, "per_10k": [1.0, None, 2.0, 0.5, None, 0.0]})
    >>> ax = plot_trends(tr, note="")
    >>> len(ax.figure.axes), int(np.isnan(ax.lines[0].get_ydata()).sum())
    (2, 1)
    """
    _require(trends_table, ["period", "term", value], "plot_trends")
    wanted = trends_table["term"].astype(str).isin([terms] if isinstance(terms, str) else list(map(str, terms))) \
        if terms is not None else pd.Series(True, index=trends_table.index)
    # the terms asked for must have a value (unknown terms are reported below)
    _require_values(trends_table[wanted] if wanted.any() else trends_table, value, "plot_trends")
    table = trends_table.assign(period=_naive(trends_table["period"]), term=trends_table["term"].astype(str))
    if terms is None:
        terms = list(pd.unique(table["term"]))
    terms = [terms] if isinstance(terms, str) else list(terms)
    unknown = [t for t in terms if t not in set(table["term"])]
    if unknown:
        raise ValueError(f"plot_trends: {unknown} not in the trends table (terms: {sorted(set(table['term']))[:20]})")
    # a period one term lacks is a gap for that term too, so every line runs over the same periods
    wide = table[table["term"].isin(terms)].pivot_table(index="period", columns="term", values=value,
                                                       aggfunc="first", dropna=False).sort_index()
    periods = wide.index
    if small_multiples is None:
        small_multiples = ax is None and len(terms) > 1
    marked = _events(events)
    if small_multiples:
        fig, axes = _panels(ax, len(terms), ncols=ncols, sharex=True, sharey=True)
    else:
        if ax is None:
            _, ax = plt.subplots(figsize=(8, 3.6))
        fig, axes = ax.figure, [ax] * len(terms)
    for i, (panel, term) in enumerate(zip(axes, terms)):
        color = TARGET_COLOR if small_multiples else f"C{i % 8}"
        panel.plot(periods, wide[term].to_numpy(dtype=float) if term in wide else np.full(len(periods), np.nan),
                   marker="o", color=color, label=term)
        if small_multiples:
            _title(panel, term, fontsize=10)
    for panel in dict.fromkeys(axes):
        panel.grid(axis="y")
        panel.set_ylim(bottom=0) if value != "compound" else None
        if value == "share_articles":
            from matplotlib.ticker import PercentFormatter

            panel.yaxis.set_major_formatter(PercentFormatter(xmax=1))
        for date, label in marked:
            panel.axvline(date, color="#666666", linestyle="--", linewidth=0.8)
            panel.annotate(label, (date, 1), xycoords=("data", "axes fraction"), xytext=(2, -2),
                           textcoords="offset points", va="top", fontsize=7.5, color="#444444")
        panel.tick_params(axis="x", labelrotation=30)
    if small_multiples:
        # shared x axes hide tick labels above a panel; the last panel in each column needs them back
        for i, panel in enumerate(axes):
            if i + _columns(len(axes), ncols) >= len(axes):
                panel.xaxis.set_tick_params(labelbottom=True)
    first = axes[0]
    first.set_ylabel(_label(value))
    if small_multiples:
        for panel in axes[::_columns(len(axes), ncols)]:
            panel.set_ylabel(_label(value) if value != "per_10k" else "Per 10,000 tokens")
        heading = title or f"{_label(value).split(' (')[0]} of {len(terms)} terms per period (a gap = no articles)"
        return _finish(fig, first, note, heading)
    if len(terms) > 1:
        first.legend()
    _title(first, title or f"{', '.join(terms[:4])}{' …' if len(terms) > 4 else ''} over time "
                    f"(a gap = no articles)")
    return _finish(fig, first, note)


# --- heatmap ----------------------------------------------------------------------------------------------------


@_styled
def plot_heatmap(table: pd.DataFrame, index: str, columns: str, values: str, *, ax=None, annotate: bool | None = None,
                 cmap: str = "viridis", title: str | None = None, note: str | None = None):
    """Heatmap of ``values`` with ``index`` as rows and ``columns`` as columns (e.g. terms × months, terms × sources).

    Cells without data are left blank (grey), not coloured as zero; values are written in the cells when the grid is
    small (``annotate``). Rows are ordered by their mean, highest first; a sparse grid (more than half blank, such as
    key terms per period) is ordered by the column where each row peaks, so it reads as a diagonal.

    >>> f = pd.DataFrame({"source": ["a", "a", "b"], "term": ["libya", "drug", "libya"], "per_10k": [3.0, 1.0, 2.0]})
    >>> ax = plot_heatmap(f, index="term", columns="source", values="per_10k", note="")
    >>> ax.images[0].get_array().shape, [t.get_text() for t in ax.get_yticklabels()]
    ((2, 2), ['libya', 'drug'])
    """
    _require(table, [index, columns, values], "plot_heatmap")
    _require_values(table, values, "plot_heatmap")
    # dropna=False keeps periods or groups without data as blank columns instead of silently closing the gap
    grid = table.pivot_table(index=index, columns=columns, values=values, aggfunc="first", sort=False, dropna=False)
    grid = grid.reindex(columns=sorted(grid.columns))
    if grid.isna().to_numpy().mean() > 0.5:
        # a sparse grid (each term key in one period or two) reads best as a diagonal: rows by where they peak
        peak = grid.fillna(-np.inf).to_numpy().argmax(axis=1)
        order = pd.DataFrame({"peak": peak, "top": -grid.max(axis=1).to_numpy()}, index=grid.index)
        grid = grid.loc[order.sort_values(["peak", "top"], kind="stable").index]
    else:
        grid = grid.loc[grid.mean(axis=1).sort_values(ascending=False, kind="stable").index]
    if ax is None:
        _, ax = plt.subplots(figsize=(max(4.0, 0.55 * grid.shape[1] + 2.5), max(2.5, 0.3 * grid.shape[0] + 1.5)))
    masked = np.ma.masked_invalid(grid.to_numpy(dtype=float))
    colormap = plt.get_cmap(cmap).with_extremes(bad="#eeeeee")
    image = ax.imshow(masked, aspect="auto", cmap=colormap, interpolation="nearest")
    ax.set_xticks(range(grid.shape[1]), [_period_label(c) for c in grid.columns], rotation=45, ha="right")
    ax.set_yticks(range(grid.shape[0]), [str(i) for i in grid.index])
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    height = ax.figure.get_figheight()
    bar = ax.figure.colorbar(image, ax=ax, shrink=min(0.8, 4.0 / height), aspect=20, fraction=0.05)
    bar.set_label(_label(values))
    if values == "share_articles":
        from matplotlib.ticker import PercentFormatter

        bar.formatter = PercentFormatter(xmax=1)
    bar.outline.set_visible(False)
    if annotate is None:
        annotate = grid.size <= 150
    if annotate:
        middle = np.nanmean(masked.filled(np.nan)) if masked.count() else 0
        for (row, col), cell in np.ndenumerate(masked.filled(np.nan)):
            if not np.isnan(cell):
                ax.text(col, row, f"{cell:.0%}" if values == "share_articles" else f"{cell:.3g}", ha="center",
                        va="center", fontsize=7,
                        color="white" if cell < middle else "black")
    ax.set_xlabel(columns.replace("_", " "))
    ax.set_ylabel(index.replace("_", " "))
    _title(ax, title or f"{_label(values)} by {index.replace('_', ' ')} and {columns.replace('_', ' ')}")
    return _finish(ax.figure, ax, note)


# --- co-occurrence network --------------------------------------------------------------------------------------


def _packed_layout(graph, *, seed: int) -> dict:
    """Spring layout per connected component, components packed in rows (largest first) into a landscape block.

    One spring layout of a graph with several components pushes them to the corners and squeezes each one;
    laying out each component on its own keeps every cluster readable.
    """
    import networkx as nx

    components = sorted(nx.connected_components(graph), key=lambda c: (-len(c), sorted(map(str, c))))
    blocks = []
    for component in components:
        sub = graph.subgraph(component)
        # long labels (multi-word names) need nodes further apart to stay readable
        label_room = 1 + np.mean([len(str(node)) for node in component]) / 10
        scale = (0.3 + 0.35 * len(component) ** 0.8) * label_room
        local = nx.spring_layout(sub, seed=seed, scale=scale, k=1.5 / math.sqrt(len(component)),
                                 iterations=200) if len(component) > 1 else {next(iter(component)): np.zeros(2)}
        points = np.array(list(local.values()))
        low, high = points.min(axis=0), points.max(axis=0)
        longest = max(len(str(node)) for node in component)
        size = (high[0] - low[0] + 0.6 + 0.09 * longest, high[1] - low[1] + 1.0)
        blocks.append((local, low, high, size))
    area = sum(w * h for *_, (w, h) in blocks)
    row_width = max(max(w for *_, (w, _h) in blocks), math.sqrt(area * 1.6))
    positions, x, y, row_height = {}, 0.0, 0.0, 0.0
    for local, low, high, (width, height) in blocks:
        if x > 0 and x + width > row_width * 1.05:
            x, y, row_height = 0.0, y - row_height, 0.0
        for node, point in local.items():
            positions[node] = np.array([x + point[0] - low[0], y - (high[1] - point[1])])
        x, row_height = x + width, max(row_height, height)
    return positions


@_styled
def plot_network(cooccurrence_table: pd.DataFrame, *, n: int = 30, frequencies: pd.DataFrame | None = None,
                 seed: int = 0, ax=None, title: str | None = None, note: str | None = None):
    """Co-occurrence network of the ``n`` strongest pairs (by ``score``): node size = term frequency, edge width =
    association score.

    Term frequency comes from ``frequencies`` (a :func:`helpers.frequencies` table) when given, else from the sum of
    the pair counts each term takes part in. The layout is a seeded spring layout (networkx), so it is reproducible.

    >>> co = pd.DataFrame({"term_a": ["libya", "libya", "drug"], "term_b": ["us", "drug", "trafficking"],
    ...                    "count": [5, 3, 2], "score": [2.0, 1.5, 3.0]})
    >>> ax = plot_network(co, note="")
    >>> len(ax.collections[0].get_segments()), len(ax.collections[1].get_offsets())
    (3, 4)
    """
    import networkx as nx

    _require(cooccurrence_table, ["term_a", "term_b", "count", "score"], "plot_network")
    _require_values(cooccurrence_table, "score", "plot_network")
    edges = cooccurrence_table.sort_values(["score", "count"], ascending=False).head(n)
    graph = nx.Graph()
    for a, b, count, score in edges[["term_a", "term_b", "count", "score"]].itertuples(index=False):
        graph.add_edge(str(a), str(b), count=count, score=float(score))
    if graph.number_of_nodes() == 0:
        _nothing_to_plot("plot_network", "the co-occurrence table has no pairs")
    pair_freq = next(((a, b) for a, b in [("freq_a", "freq_b"), ("frequency_a", "frequency_b")]
                      if a in edges.columns and b in edges.columns), None)
    if frequencies is not None:
        known = frequencies.groupby(frequencies["term"].astype(str))["frequency"].sum()
        size_of = {node: float(known.get(node, 0)) for node in graph}
        size_label = "term frequency"
    elif pair_freq:
        known = pd.concat([pd.Series(edges[pair_freq[0]].to_numpy(), index=edges["term_a"].astype(str)),
                           pd.Series(edges[pair_freq[1]].to_numpy(), index=edges["term_b"].astype(str))])
        known = known.groupby(level=0).max()
        size_of = {node: float(known.get(node, 0)) for node in graph}
        size_label = "frequency"
    else:
        size_of = dict(graph.degree(weight="count"))
        size_label = "co-occurrence count"
    sizes = np.array([size_of[node] for node in graph], dtype=float)
    scores = np.array([graph.edges[e]["score"] for e in graph.edges], dtype=float)
    spread = np.ptp(scores) or 1.0
    widths = 0.6 + 4.4 * (scores - scores.min()) / spread
    node_area = 30 + 600 * (sizes / sizes.max() if sizes.max() > 0 else sizes)
    positions = _packed_layout(graph, seed=seed)
    if ax is None:
        points = np.array(list(positions.values()))
        width, height = np.ptp(points, axis=0) + 1.0
        _, ax = plt.subplots(figsize=(8, float(np.clip(8 * height / width, 3.5, 8)) + 0.8))
    nx.draw_networkx_edges(graph, positions, ax=ax, width=widths, edge_color="#888888", alpha=0.6)
    nx.draw_networkx_nodes(graph, positions, ax=ax, node_size=node_area, node_color="#56B4E9", alpha=0.9,
                           linewidths=0.8, edgecolors=TARGET_COLOR)
    from matplotlib import patheffects

    labels = nx.draw_networkx_labels(graph, positions, ax=ax, font_size=8.5, font_color="#111111")
    for label in labels.values():
        label.set_path_effects([patheffects.withStroke(linewidth=2.5, foreground="white")])
        label.set_clip_on(False)
    # leave room for labels centred on the outermost nodes
    xs = np.array([point[0] for point in positions.values()])
    half_label = 0.045 * max(len(str(node)) for node in graph)
    ys = np.array([point[1] for point in positions.values()])
    ax.set_xlim(xs.min() - half_label - 0.3, xs.max() + half_label + 0.3)
    ax.set_ylim(ys.min() - 0.6, ys.max() + 0.6)
    ax.set_axis_off()
    ax.set_aspect("equal", adjustable="box")
    _title(ax, title or f"Co-occurrence network: {graph.number_of_edges()} strongest pairs")
    measure = str(edges["measure"].iloc[0]) if "measure" in edges.columns and edges["measure"].nunique() == 1 \
        else "association score"
    spread_text = f"{scores.min():.3g}–{scores.max():.3g}" if np.ptp(scores) else f"all {scores.min():.3g}"
    ax.text(0.0, -0.02, f"Node size = {size_label}; edge width = {measure.replace('_', ' ')} ({spread_text})",
            transform=ax.transAxes, fontsize=8, color="#444444", va="top")
    return _finish(ax.figure, ax, note)


# --- collocations -----------------------------------------------------------------------------------------------


@_styled
def plot_collocations(collocations_table: pd.DataFrame, *, n: int = 20, measure: str = "likelihood_ratio",
                      columns=("frequency", "pmi", "log_dice"), ax=None, title: str | None = None,
                      note: str | None = None):
    """Table-plot of the top ``n`` collocations by ``measure``: a bar per n-gram, and beside it the other measures
    as a small table (``columns`` present in the table).

    >>> c = pd.DataFrame({"ngram": ["united states", "drug trafficking"], "frequency": [12, 5],
    ...                   "pmi": [6.1, 7.3], "likelihood_ratio": [80.2, 40.5], "log_dice": [12.5, 11.9]})
    >>> ax = plot_collocations(c, note="")
    >>> len(ax.patches), [t.get_text() for t in ax.get_yticklabels()], ax.get_title()
    (2, ['drug trafficking', 'united states'], 'Top 2 collocations by log-likelihood ratio (G²)')
    """
    _require(collocations_table, ["ngram", measure], "plot_collocations")
    _require_values(collocations_table, measure, "plot_collocations")
    top = collocations_table.sort_values([measure, "ngram"], ascending=[False, True]).head(n).iloc[::-1]
    extra = [c for c in columns if c in top.columns and c != measure]
    if ax is None:
        _, ax = plt.subplots(figsize=(6.5 + 0.9 * len(extra), 0.26 * len(top) + 1.4))
    ax.barh(top["ngram"].astype(str), top[measure], color=TARGET_COLOR)
    ax.set_xlabel(_label(measure))
    ax.tick_params(axis="y", length=0)
    ax.grid(axis="x")
    ax.margins(y=0.01)
    # the other measures as right-hand table columns, in axes coordinates so they sit outside the bars
    for j, column in enumerate(extra):
        x = 1.04 + 0.16 * j
        header = {"likelihood_ratio": "G²", "frequency": "freq", "pmi": "PMI", "log_dice": "logDice",
                  "t_score": "t", "chi_sq": "χ²"}.get(column, column.replace("_", "\n"))
        ax.text(x, 1.0, header, transform=ax.transAxes, ha="right", va="bottom", fontsize=8, fontweight="bold")
        for yi, cell in enumerate(top[column]):
            text = f"{cell:,.0f}" if column == "frequency" or abs(cell) >= 100 else f"{cell:.3g}"
            ax.text(x, yi, text, transform=ax.get_yaxis_transform(), ha="right", va="center", fontsize=8)
    _title(ax, title or f"Top {len(top)} collocations by {COLLOCATION_NAMES.get(measure, _label(measure))}",
           pad=30 if extra else 8)
    return _finish(ax.figure, ax, note)


# --- word cloud -------------------------------------------------------------------------------------------------


@_styled
def plot_wordcloud(freq: pd.DataFrame, *, n: int = 100, value: str = "frequency", seed: int = 0, ax=None,
                   title: str | None = None, note: str | None = None):
    """Word cloud of the ``n`` most frequent terms (the ``wordcloud`` package); an option for a quick look, not a
    substitute for :func:`plot_frequencies` (word size is hard to compare by eye).

    >>> f = pd.DataFrame({"term": ["libya", "drug", "us"], "frequency": [9, 5, 2]})
    >>> ax = plot_wordcloud(f, note="")
    >>> len(ax.images), ax.get_title()
    (1, 'Word cloud of the 3 most frequent terms')
    """
    from wordcloud import WordCloud

    _require(freq, ["term", value], "plot_wordcloud")
    totals = freq.groupby(freq["term"].astype(str))[value].sum()
    totals = totals[totals > 0].nlargest(n)
    if totals.empty:
        _nothing_to_plot("plot_wordcloud", f"no term has a positive {value!r}")
    cloud = WordCloud(width=1200, height=700, background_color="white", colormap="viridis", random_state=seed,
                      prefer_horizontal=1.0, max_words=n, relative_scaling=0.5,
                      font_path=_cloud_font(totals.index.tolist()))
    cloud.generate_from_frequencies(totals.to_dict())
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 4.8))
    ax.imshow(cloud.to_array(), interpolation="bilinear")
    ax.set_axis_off()
    _title(ax, title or f"Word cloud of the {len(totals)} most frequent terms")
    return _finish(ax.figure, ax, note)


# --- topics -----------------------------------------------------------------------------------------------------


@_styled
def plot_topics(topic_terms: pd.DataFrame, *, n: int = 10, ncols: int | None = None, ax=None, title: str | None = None,
                note: str | None = None):
    """Grid of topics: one panel per topic with its ``n`` top terms by weight (a :func:`helpers.topics` table).

    >>> tt = pd.DataFrame({"topic": [0, 0, 1, 1], "rank": [1, 2, 1, 2], "term": ["libya", "drug", "vote", "poll"],
    ...                    "weight": [0.5, 0.3, 0.6, 0.2]})
    >>> ax = plot_topics(tt, note="")
    >>> [len(a.patches) for a in ax.figure.axes], ax.get_title()
    ([2, 2], 'Topic 0: libya, drug')
    """
    _require(topic_terms, ["topic", "term", "weight"], "plot_topics")
    _require_values(topic_terms, "weight", "plot_topics", positive=True)
    topics = sorted(pd.unique(topic_terms["topic"]))
    fig, axes = _panels(ax, len(topics), ncols=ncols, panel_size=(3.2, 0.22 * n + 1.0))
    for i, (panel, topic) in enumerate(zip(axes, topics)):
        top = topic_terms[topic_terms["topic"] == topic].nlargest(n, "weight").iloc[::-1]
        panel.barh(top["term"].astype(str), top["weight"], color=f"C{i % 6}")
        _title(panel, f"Topic {topic}: {', '.join(top['term'].astype(str).iloc[::-1].head(2))}", fontsize=10)
        panel.tick_params(axis="y", length=0)
        panel.grid(axis="x")
        panel.set_xlabel("Term weight in topic")
    return _finish(fig, axes[0], note, title or f"{len(topics)} topics, top {n} terms each")


# --- sentiment --------------------------------------------------------------------------------------------------


@_styled
def plot_sentiment(sentiment_table: pd.DataFrame, *, freq: str = "M", value: str = "compound", ax=None,
                   title: str | None = None, note: str | None = None):
    """Sentiment over time: each article's score as a dot, the mean per period (``freq``: "D", "W", "M", "Q")
    as a line with a 95 % interval (mean ± 1.96 standard errors). Periods without articles are gaps.

    Sentence-level rows (a ``sentence`` column) are averaged per article first; undated articles cannot be placed
    in time and are counted in the subtitle, not dropped silently.

    >>> s = pd.DataFrame({"doc_id": ["a", "b", "c"], "compound": [0.5, -0.2, 0.1],
    ...                   "date": pd.to_datetime(["2019-01-05", "2019-03-02", None], utc=True)})
    >>> ax = plot_sentiment(s, note="")
    >>> ax.lines[0].get_ydata().tolist(), ax.get_title()
    ([0.5, nan, -0.2], 'Sentiment per month: mean VADER compound score of 2 articles (1 undated not shown)')
    """
    _require(sentiment_table, ["doc_id", "date", value], "plot_sentiment")
    _require_values(sentiment_table, value, "plot_sentiment")
    per_article = sentiment_table
    if "sentence" in sentiment_table.columns:
        per_article = sentiment_table.groupby("doc_id", as_index=False).agg(date=("date", "first"),
                                                                               **{value: (value, "mean")})
    dates = _naive(pd.to_datetime(per_article["date"], errors="coerce", utc=True))
    dated = per_article.assign(date=dates).dropna(subset=["date"])
    undated = len(per_article) - len(dated)
    if dated.empty:
        _nothing_to_plot("plot_sentiment", "no article has a date, so nothing can be placed in time")
    dated = dated.assign(period=dated["date"].dt.to_period(freq).dt.start_time)
    stats = dated.groupby("period")[value].agg(["mean", "std", "count"])
    periods = pd.period_range(dated["date"].min(), dated["date"].max(), freq=freq)
    stats = stats.reindex(periods.start_time)
    # each period's mean is drawn at the middle of the period, among the articles it summarises
    stats.index = periods.start_time + (periods.end_time - periods.start_time) / 2
    half = 1.96 * stats["std"].fillna(0) / np.sqrt(stats["count"])
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 3.6))
    ax.plot(stats.index, stats["mean"], marker="o", color=TARGET_COLOR, label=f"mean per period")
    ax.fill_between(stats.index, stats["mean"] - half, stats["mean"] + half, color=TARGET_COLOR, alpha=0.15,
                    linewidth=0, label="95 % interval of the mean")
    ax.scatter(dated["date"], dated[value], s=8, color=NEUTRAL_COLOR, alpha=0.6, label="one article", zorder=1)
    ax.axhline(0, color="#333333", linewidth=0.8)
    ax.set_ylim(-1.05, 1.05) if value == "compound" else None
    ax.set_ylabel(_label(value))
    ax.grid(axis="y")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.1), ncols=3, markerscale=1.5, fontsize=8.5)
    names = {"D": "day", "W": "week", "M": "month", "Q": "quarter", "Y": "year"}
    shown = f" ({undated} undated not shown)" if undated else ""
    _title(ax, title or f"Sentiment per {names.get(freq, freq)}: mean VADER {value} score of "
                 f"{len(dated)} articles{shown}")
    return _finish(ax.figure, ax, note)
