"""Fonts for every script: the installed fallback families after the house font, and a note (once per script)
when no installed font has a label's glyphs."""

from __future__ import annotations

import functools

import matplotlib


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


def font_settings() -> dict:
    """The style's font first, then the installed fallbacks; and the hook that notes glyphs no font has."""
    return {"font.family": ["sans-serif", *fallback_families()], "figure.hooks": [f"{__name__}:watch_glyphs"]}


def quiet_glyph_warnings() -> None:
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


def cloud_font(words: list[str]) -> str | None:
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

    families = tuple(families or font_settings()["font.family"])
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
