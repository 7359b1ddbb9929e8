"""Margins computed from the labels, so a figure needs no layout pass when it is drawn.

A layout engine or ``bbox_inches="tight"`` finds the margins by drawing the figure once more
(about as long as the drawing itself); the labels are known when the figure is built, so their
widths, measured with matplotlib's own font metrics, give the same margins for a few
milliseconds.
"""

from __future__ import annotations

import math
from typing import Iterable

from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.textpath import text_to_path

#: Height of one line of text, in inches per point of font size (ascent, descent, leading).
LINE = 1.25 / 72
#: Room for tick marks and the gap between ticks and their labels, in inches.
TICKS = 0.12


def text_width(texts: Iterable[str], fontsize: float) -> float:
    """Width in inches of the widest of ``texts`` (labels as passed to matplotlib)."""
    prop = FontProperties(size=fontsize)
    widest = 0.0
    for text in texts:
        plain = text.replace(r"\$", "$")  # :func:`analysis.plots.literal` escapes dollars
        widest = max(widest, text_to_path.get_text_width_height_descent(plain, prop, ismath=False)[0])
    return widest / 72


def rotated_height(texts: Iterable[str], fontsize: float, degrees: float) -> float:
    """Vertical extent in inches of the widest label rotated by ``degrees``."""
    angle = math.radians(degrees)
    return text_width(texts, fontsize) * math.sin(angle) + fontsize * LINE * math.cos(angle)


def set_margins(fig: Figure, *, left: float, bottom: float, top: float, right: float) -> None:
    """Place the figure's axes grid with margins given in inches (clamped to leave the plot room)."""
    width, height = fig.get_size_inches()
    lf, rf = min(left / width, 0.7), min(right / width, 0.25)
    bf, tf = min(bottom / height, 0.6), min(top / height, 0.35)
    fig.subplots_adjust(left=lf, right=1 - rf, bottom=bf, top=1 - tf)
