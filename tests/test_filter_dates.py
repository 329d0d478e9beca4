"""A day typed in a list's filter that cannot be read is not dropped in silence: the field keeps what was typed,
says why at the field (tied to it for screen readers), and the list is shown unfiltered."""

import re

import pytest

from incubator.auth.enums import Role


@pytest.mark.parametrize("url, name", [("/audit/?date_from={}", "date_from"),
                                       ("/mentoring/sessions?date_to={}", "date_to"),
                                       ("/targets/?as_of={}", "as_of")])
@pytest.mark.parametrize("typed, message", [
    ("31/02/2026", "Không có ngày 31/02/2026"),
    ("12/31/2026", "Không có ngày 12/31/2026"),  # month first, as an English-language browser may have it
    ("31/12/26", "Hãy viết năm đủ bốn chữ số"),
])
def test_an_unreadable_day_in_a_filter_is_said_at_its_field(login_as, url, name, typed, message):
    client, _ = login_as(Role.STAFF)
    response = client.get(url.format(typed))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    field = re.search(rf'<input [^>]*name="{name}"[^>]*>', html).group(0)
    assert f'value="{typed}"' in field and 'aria-invalid="true"' in field and "is-invalid" in field
    error = re.search(rf'<div class="invalid-feedback d-block" id="{name}-error">([^<]*)</div>', html)
    assert error and message in error.group(1), error and error.group(1)
    assert f'aria-describedby="{name}-error"' in field


def test_a_day_read_is_applied_and_not_marked(login_as):
    client, _ = login_as(Role.STAFF)
    html = client.get("/audit/?date_from=01/02/2026").get_data(as_text=True)
    field = re.search(r'<input [^>]*name="date_from"[^>]*>', html).group(0)
    assert 'value="01/02/2026"' in field and "aria-invalid" not in field and "date_from-error" not in html
