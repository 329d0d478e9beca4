"""The trend charts' axes write amounts as their reader says them: "1,2 tỷ", "500 triệu" in Vietnamese,
"1.2 billion", "500 million" in English; never k/M/B."""

import re

from flask_babel import force_locale

from incubator.charts import _compact, line_chart


def _axis(svg: str) -> list[str]:
    return re.findall(r'text-anchor="end" fill="[^"]+">([^<]+)</text>', svg)


def test_amounts_on_an_axis_read_as_vietnamese_readers_write_them(app):
    with app.test_request_context():
        assert _compact(1_200_000_000) == "1,2 tỷ"
        assert _compact(500_000_000) == "500 triệu"
        assert _compact(12_000) == "12 nghìn"
        assert _compact(0) == "0" and _compact(7) == "7"
        assert _axis(str(line_chart([("01/2026", 356_000_000.0)], title="", empty_label=""))) == [
            "0", "200 triệu", "400 triệu"]


def test_amounts_on_an_axis_read_as_english_readers_write_them(app):
    with app.test_request_context(), force_locale("en"):
        assert _compact(1_200_000_000) == "1.2 billion"
        assert _compact(500_000_000) == "500 million"
        assert _compact(12_000) == "12 thousand"


def test_a_revenue_chart_has_no_k_m_or_b_in_either_language(app):
    points = [("01/2026", 400_000_000.0), ("02/2026", 1_000_000_000.0), ("03/2026", None)]
    with app.test_request_context():
        vietnamese = _axis(str(line_chart(points, title="Doanh thu (VND)", empty_label="—")))
        with force_locale("en"):
            english = _axis(str(line_chart(points, title="Revenue (VND)", empty_label="—")))
    assert vietnamese == ["0", "600 triệu", "1,2 tỷ"]  # the top rounded up to a round figure
    assert english == ["0", "600 million", "1.2 billion"]
    assert not any(re.search(r"\d[kMB]\b", label) for label in vietnamese + english)
