"""Server-rendered SVG charts: the same markup serves the web page and the PDF report (no script, no CSS)."""

from __future__ import annotations

from decimal import Decimal
from xml.sax.saxutils import escape

from markupsafe import Markup

from incubator.charts import svg_start

WIDTH, HEIGHT = 720, 260
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 34, 46
FONT = "DejaVu Sans, Liberation Sans, Arial, sans-serif"
BAR, BAR_MET, LINE, GRID, TEXT = "#6ea8fe", "#198754", "#dc3545", "#dee2e6", "#212529"


def bar_chart(points: list[tuple[str, float | None, str]], *, threshold: float, maximum: float, unit: str,
              title: str, threshold_label: str) -> Markup:
    """points: (x label, value or None, value label). A dashed line marks the threshold; bars that reach it
    are green."""
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    maximum = max(maximum, threshold, *(v or 0 for _, v, _ in points), 1)
    if not unit:  # a count: whole numbers on the axis (four steps)
        maximum = -(-maximum // 4) * 4
    step = plot_w / max(len(points), 1)

    def y(value: float) -> float:
        return TOP + plot_h - plot_h * value / maximum

    # In words for a screen reader: each quarter's figure, then the target.
    described = "; ".join(f"{label.replace(chr(10), ' ')}: {value_label}{unit if value is not None else ''}"
                          for label, value, value_label in points)
    parts = [svg_start(WIDTH, HEIGHT, title=title, description=f"{described}. {threshold_label}.", font=FONT)]
    for fraction in (0, 0.25, 0.5, 0.75, 1):
        value = maximum * fraction
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(value):.1f}" y2="{y(value):.1f}" '
                     f'stroke="{GRID}" stroke-width="1"/>')
        parts.append(f'<text x="{LEFT - 6}" y="{y(value) + 4:.1f}" text-anchor="end" fill="{TEXT}">'
                     f"{_number(value)}{escape(unit)}</text>")
    for i, (label, value, value_label) in enumerate(points):
        x = LEFT + i * step + step * 0.18
        w = step * 0.64
        if value is not None:
            top = y(value)
            colour = BAR_MET if value >= threshold else BAR
            parts.append(f'<rect x="{x:.1f}" y="{top:.1f}" width="{w:.1f}" height="{TOP + plot_h - top:.1f}" '
                         f'fill="{colour}"/>')
            parts.append(f'<text x="{x + w / 2:.1f}" y="{top - 4:.1f}" text-anchor="middle" fill="{TEXT}">'
                         f"{escape(value_label)}</text>")
        else:
            parts.append(f'<text x="{x + w / 2:.1f}" y="{TOP + plot_h - 4:.1f}" text-anchor="middle" '
                         f'fill="{TEXT}">—</text>')
        first, _, second = label.partition("\n")
        parts.append(f'<text x="{x + w / 2:.1f}" y="{HEIGHT - BOTTOM + 16:.1f}" text-anchor="middle" '
                     f'fill="{TEXT}">{escape(first)}'
                     + (f'<tspan x="{x + w / 2:.1f}" dy="13">{escape(second)}</tspan>' if second else "")
                     + "</text>")
    ty = y(threshold)
    parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{ty:.1f}" y2="{ty:.1f}" stroke="{LINE}" '
                 f'stroke-width="1.5" stroke-dasharray="6 4"/>')
    # The legend of the dashed line stands above the plot, where no bar label can cover it.
    parts.append(f'<line x1="{WIDTH - RIGHT - 150}" x2="{WIDTH - RIGHT - 122}" y1="12" y2="12" stroke="{LINE}" '
                 f'stroke-width="1.5" stroke-dasharray="6 4"/>')
    parts.append(f'<text x="{WIDTH - RIGHT - 116}" y="16" fill="{LINE}">{escape(threshold_label)}</text>')
    parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{TOP + plot_h}" y2="{TOP + plot_h}" '
                 f'stroke="{TEXT}" stroke-width="1"/>')
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text in it is escaped above


def share_maximum(values, threshold: float) -> float:
    """The top of a small share's axis (the certified share's 5 %): 20, 40 or 100 %, the first that holds every
    bar and twice the threshold, so that bars of a few per cent still read."""
    needed = max([float(v) for v in values if v is not None] + [float(threshold) * 2])
    return next((top for top in (20.0, 40.0) if needed <= top), 100.0)


def _number(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"


def quarter_label(day) -> str:
    """Two lines: Q2 over 2025 in English, Quý 2 over 2025 in Vietnamese."""
    from flask_babel import gettext

    return gettext("Q%(quarter)d", quarter=(day.month - 1) // 3 + 1) + f"\n{day.year}"


def to_float(value: Decimal | int | None) -> float | None:
    return None if value is None else float(value)
