"""Charts carry a text equivalent: an image named by its <title> and described by a <desc> with every figure."""

from __future__ import annotations

import re

from flask_babel import force_locale

from incubator.charts import line_chart
from incubator.targets.charts import bar_chart


def _refs(svg: str) -> tuple[str, str]:
    opening = svg[: svg.index(">") + 1]
    assert 'role="img"' in opening
    title_id = re.search(r'aria-labelledby="([^"]+)"', opening).group(1)
    desc_id = re.search(r'aria-describedby="([^"]+)"', opening).group(1)
    return (re.search(rf'<title id="{title_id}">([^<]*)</title>', svg).group(1),
            re.search(rf'<desc id="{desc_id}">([^<]*)</desc>', svg).group(1))


def test_a_bar_chart_names_itself_and_says_each_quarter_and_the_target(app):
    points = [("Quý 1\n2025", 62.5, "62,5"), ("Quý 2\n2025", None, "—"), ("Quý 3\n2025", 71.0, "71,0")]
    with app.test_request_context():
        svg = str(bar_chart(points, threshold=70, maximum=100, unit=" %", title="Tỷ lệ ươm tạo",
                            threshold_label="chỉ tiêu 70 %"))
    title, desc = _refs(svg)
    assert title == "Tỷ lệ ươm tạo"
    assert desc == "Quý 1 2025: 62,5 %; Quý 2 2025: —; Quý 3 2025: 71,0 %. chỉ tiêu 70 %."


def test_a_trend_chart_says_its_figures_in_the_readers_convention(app):
    points = [("Q1 2025", 1250000000.0), ("Q2 2025", None), ("Q3 2025", 1500000.5)]
    with app.test_request_context(), force_locale("vi"):
        title, desc = _refs(str(line_chart(points, title="Doanh thu (VND)", empty_label="Chưa có báo cáo")))
    assert title == "Doanh thu (VND)"
    assert desc == "Q1 2025: 1.250.000.000; Q2 2025: —; Q3 2025: 1.500.000,5"
    with app.test_request_context(), force_locale("en"):
        _title, desc = _refs(str(line_chart(points, title="Revenue (VND)", empty_label="No report yet")))
    assert desc.startswith("Q1 2025: 1,250,000,000;")
    with app.test_request_context():
        _title, desc = _refs(str(line_chart([], title="Doanh thu (VND)", empty_label="Chưa có báo cáo")))
    assert desc == "Chưa có báo cáo"


def test_two_charts_on_a_page_have_their_own_ids_and_one_chart_keeps_its_own(app):
    with app.test_request_context():
        first = str(line_chart([("Q1", 1.0)], title="Khách hàng", empty_label="—"))
        second = str(line_chart([("Q1", 1.0)], title="Nhân sự", empty_label="—"))
        again = str(line_chart([("Q1", 1.0)], title="Khách hàng", empty_label="—"))
    ids = [re.findall(r' id="([^"]+)"', svg) for svg in (first, second, again)]
    assert not set(ids[0]) & set(ids[1])
    assert ids[0] == ids[2]
