"""The API tokens' list on a phone: the columns a narrow screen cannot hold (owner, beginning, resources,
incubators, dates, status) are hidden there and said under each token's name, so the list fits and the revoke
button stays in reach; on a wider screen the table has them all."""

from __future__ import annotations

import re

from incubator.auth.enums import Role


def test_a_token_says_its_details_under_its_name_on_a_phone(login_as, db, new_token, make):
    other = make.user(Role.OFFICIAL, email="he-thong@so.example")
    new_token(other, "Hệ thống báo cáo", resources=["targets"])
    admin, _ = login_as(Role.ADMIN)
    html = admin.get("/account/api-tokens/").get_data(as_text=True)
    row = re.search(r"<tr><td class=\"text-break\">Hệ thống báo cáo(.*?)</tr>", html, re.S).group(1)
    phone = re.search(r'<div class="d-md-none small text-muted token-phone">(.*?)</div>', row, re.S).group(1)
    assert "he-thong@so.example" in phone and re.search(r"\d\d/\d\d/\d{4}", phone) and "badge" in phone
    cells = re.findall(r"<td( class=\"[^\"]*\")?>", row)
    shown_on_a_phone = [c for c in cells if "d-none" not in c]
    assert len(shown_on_a_phone) == 1  # the revoke button's cell, beside the name's
    headers = re.search(r"<thead>(.*?)</thead>", html, re.S).group(1)
    assert len(re.findall(r"<th>", headers)) == 2 and len(re.findall(r'<th class="d-none d-md-table-cell">',
                                                                    headers)) == 8


def test_revoking_asks_first_for_it_cannot_be_undone(login_as, db, new_token):
    client, official = login_as(Role.OFFICIAL)
    new_token(official, "Hệ thống báo cáo")
    html = client.get("/account/api-tokens/").get_data(as_text=True)
    form = re.search(r'<form method="post" action="/account/api-tokens/\d+/revoke"([^>]*)>', html).group(1)
    assert 'data-confirm="' in form and "Hệ thống báo cáo" in form
