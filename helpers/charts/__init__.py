"""Charts drawn from the kit's tables; each takes a DataFrame, accepts ``ax=None`` and returns the Axes.

Every function draws in the house style (``helpers/charts/newskit.mplstyle``: Okabe-Ito colour-blind-safe palette,
titles that say what is shown, units on the axes) and never calls ``plt.show()``. Functions that draw small
multiples (one panel per group, term or topic) return the first panel; ``ax.figure.axes`` holds them all. A source
note ("n = 172 articles, 2019-01-04 – 2019-12-30; Wikinews CC BY 2.5") is written under each figure: pass ``note=``
or set it once per notebook with :func:`set_source_note`.

No function draws empty axes: a table with nothing to draw (no rows, no finite value, no term that occurs, no dated
article for a chart over time) raises ``ValueError("nothing to plot: <function>: <why>")`` before a figure is
made, so a notebook can say in one line why a chart is skipped; every Axes returned shows data.
"""
