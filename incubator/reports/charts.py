"""The report's charts: the dashboard's own SVG bar charts, drawn from the report's figures."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _

from incubator.targets.charts import bar_chart, quarter_label, share_maximum


class Chart:
    """A chart and its title: the SVG's own title is read by screen readers only, and a printed page showed three
    charts side by side with nothing naming their targets; the report prints the title above each."""

    def __init__(self, title: str, svg) -> None:
        self.title = title
        self.svg = svg

    def __html__(self) -> str:
        return str(self.svg)

    def __str__(self) -> str:
        return str(self.svg)


def charts(f: dict, font: str | None = None) -> list[Chart]:
    """The charts in the current language's convention (70,0 in Vietnamese, 70.0 in English); ``font`` sets the
    family of their text (the PDF's serif, so that Decree 30's one typeface holds in the charts too)."""
    from incubator.i18n import fmt_decimal, fmt_number

    result = []
    series = f.get("series") or []
    targets = f.get("targets") or {}
    ratio = targets.get("startup_ratio")
    if ratio and series:
        points = [(quarter_label(date.fromisoformat(s["day"])), s["percent"],
                   fmt_decimal(s["percent"])) for s in series]
        result.append(_chart(points, threshold=ratio["threshold"], maximum=100, unit="%",
                             title=_("Incubated IT startups among the IT businesses in the incubator"),
                             threshold_label=_("target %(t)s %%", t=f"{ratio['threshold']:.0f}")))
    grads = targets.get("graduates")
    if grads and series:
        points = [(quarter_label(date.fromisoformat(s["day"])), s["graduates"], str(s["graduates"])) for s in series]
        result.append(_chart(points, threshold=grads["threshold"], maximum=grads["threshold"], unit="",
                             title=_("Innovative digital-technology startups graduated"),
                             threshold_label=_("target %(t)s", t=grads["threshold"])))
    # The certified share (the third target); a report finalised before it was counted kept none.
    certified = targets.get("certified_share")
    if certified and series and all("certified" in s for s in series):
        points = [(quarter_label(date.fromisoformat(s["day"])), s["certified"], fmt_decimal(s["certified"]))
                  for s in series]
        maximum = share_maximum([s["certified"] for s in series], certified["threshold"])
        result.append(_chart(points, threshold=certified["threshold"], maximum=maximum, unit="%",
                             title=_("IT businesses holding CMMI or ISO/IEC certificates"),
                             threshold_label=_("target %(t)s %%", t=fmt_number(certified["threshold"]))))
    if font:
        result = [Chart(chart.title, _with_font(chart.svg, font)) for chart in result]
    return result


def _chart(points, *, title: str, **kwargs) -> Chart:
    return Chart(title, bar_chart(points, title=title, **kwargs))


def _with_font(chart, font: str):
    from markupsafe import Markup

    from incubator.targets.charts import FONT

    return Markup(str(chart).replace(f'font-family="{FONT}"', f'font-family="{font}"'))  # noqa: S704 - the chart's own markup
