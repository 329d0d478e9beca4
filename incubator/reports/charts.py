"""The report's charts: the dashboard's own SVG bar charts, drawn from the report's figures."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _

from incubator.targets.charts import bar_chart, quarter_label


def charts(f: dict) -> list:
    result = []
    series = f.get("series") or []
    targets = f.get("targets") or {}
    ratio = targets.get("startup_ratio")
    if ratio and series:
        points = [(quarter_label(date.fromisoformat(s["day"])), s["percent"],
                   "—" if s["percent"] is None else f"{s['percent']:.1f}".replace(".", ",")) for s in series]
        result.append(bar_chart(points, threshold=ratio["threshold"], maximum=100, unit="%",
                                title=_("Incubated IT startups among the IT businesses in the incubator"),
                                threshold_label=_("target %(t)s %%", t=f"{ratio['threshold']:.0f}")))
    grads = targets.get("graduates")
    if grads and series:
        points = [(quarter_label(date.fromisoformat(s["day"])), s["graduates"], str(s["graduates"])) for s in series]
        result.append(bar_chart(points, threshold=grads["threshold"], maximum=grads["threshold"], unit="",
                                title=_("Innovative digital-technology startups graduated"),
                                threshold_label=_("target %(t)s", t=grads["threshold"])))
    return result
