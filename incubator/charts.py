"""A small server-rendered SVG line chart for a startup's trends (revenue, customers, employees): no
script, no CSS, so the same markup serves the web page and a PDF."""

from __future__ import annotations

import hashlib
import math
from xml.sax.saxutils import escape

from babel.numbers import format_compact_decimal
from flask_babel import get_locale
from markupsafe import Markup

WIDTH, HEIGHT = 480, 200
LEFT, RIGHT, TOP, BOTTOM = 84, 28, 28, 40  # room on the left for "500 thousand"
FONT = "DejaVu Sans, Liberation Sans, Arial, sans-serif"
LINE, GRID, TEXT = "#0d6efd", "#dee2e6", "#212529"


def _compact(value: float) -> str:
    """An axis's amount as its reader says it: "1,2 tỷ", "500 triệu" in Vietnamese; "1.2 billion", "500 million"
    in English (one decimal at most, in the language's own decimal sign)."""
    return format_compact_decimal(value, format_type="long", locale=str(get_locale() or "vi"), fraction_digits=1)


def _round_up(value: float) -> float:
    """The axis's top: the value rounded up to a round figure (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × a power of
    ten), so that its lines read "200 triệu", "400 triệu", not "186,8 triệu"."""
    power = 10 ** math.floor(math.log10(value))
    return next(m * power for m in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10) if value <= m * power)


def svg_start(width: int, height: int, *, title: str, description: str, font: str = FONT) -> str:
    """A chart's opening tags: an image (role="img") named by its <title> and described by its <desc>, which
    says every figure in words for a screen reader (a browser and WeasyPrint draw neither). The ids come from
    the content, so two charts on a page differ and the same chart keeps its ids."""
    key = hashlib.blake2s(f"{title}\n{description}".encode(), digest_size=5).hexdigest()
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" role="img" '
            f'aria-labelledby="chart-{key}-title" aria-describedby="chart-{key}-desc" font-family="{font}" '
            f'font-size="11"><title id="chart-{key}-title">{escape(title)}</title>'
            f'<desc id="chart-{key}-desc">{escape(description)}</desc>')


def line_chart(points: list[tuple[str, float | None]], *, title: str, empty_label: str) -> Markup:
    """points: (x label, value or None). Missing values leave a gap in the line."""
    from flask_babel import format_decimal

    described = "; ".join(f"{label}: {'—' if value is None else format_decimal(value)}" for label, value in points)
    parts = [svg_start(WIDTH, HEIGHT, title=title, description=described or empty_label),
             f'<text x="{LEFT}" y="16" font-weight="bold" fill="{TEXT}">{escape(title)}</text>']
    values = [v for _, v in points if v is not None]
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    if not values:
        parts.append(f'<text x="{WIDTH / 2}" y="{HEIGHT / 2}" text-anchor="middle" fill="{TEXT}">'
                     f"{escape(empty_label)}</text></svg>")
        return Markup("".join(parts))  # noqa: S704 - escaped above
    top_value = _round_up(max(max(values), 1) * 1.05)

    def y(value: float) -> float:
        return TOP + plot_h - plot_h * value / top_value

    step = plot_w / max(len(points) - 1, 1)
    for fraction in (0, 0.5, 1):
        value = top_value * fraction
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(value):.1f}" y2="{y(value):.1f}" '
                     f'stroke="{GRID}"/>')
        parts.append(f'<text x="{LEFT - 6}" y="{y(value) + 4:.1f}" text-anchor="end" fill="{TEXT}">'
                     f"{_compact(value)}</text>")
    segment: list[str] = []
    every = max(1, -(-len(points) // 6))  # at most six labels on the axis, so they never overlap
    for i, (label, value) in enumerate(points):
        x = LEFT + (i * step if len(points) > 1 else plot_w / 2)
        if value is None:
            if len(segment) > 1:
                parts.append(f'<polyline points="{" ".join(segment)}" fill="none" stroke="{LINE}" stroke-width="2"/>')
            segment = []
        else:
            segment.append(f"{x:.1f},{y(value):.1f}")
            parts.append(f'<circle cx="{x:.1f}" cy="{y(value):.1f}" r="3" fill="{LINE}"/>')
        if i % every == 0 or i == len(points) - 1:
            parts.append(f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle" fill="{TEXT}">'
                         f"{escape(label)}</text>")
    if len(segment) > 1:
        parts.append(f'<polyline points="{" ".join(segment)}" fill="none" stroke="{LINE}" stroke-width="2"/>')
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text in it is escaped above
