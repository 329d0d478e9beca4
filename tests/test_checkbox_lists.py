"""A list of checkboxes never makes each box required: the browser would refuse the form until every box is
ticked (adding one reviewer to a panel was impossible). Each list says itself, on the server, that one at
least must be ticked."""

from __future__ import annotations

import importlib
import pkgutil
import re

from flask import render_template_string
from wtforms.fields.choices import SelectChoice
from wtforms.fields.core import UnboundField

import incubator
from incubator.auth.enums import Role
from incubator.forms import Form, MultiCheckboxField
from tests.helpers import post_form

_MACRO = '{% from "macros/forms.html" import field %}{{ field(f) }}'
_CHECKBOX = re.compile(r"<input[^>]*type=\"checkbox\"[^>]*>")


def _all_form_classes():
    for module in pkgutil.walk_packages(incubator.__path__, "incubator."):
        if module.name.rsplit(".", 1)[-1] in ("forms", "answer_forms"):
            importlib.import_module(module.name)
    found, todo = set(), [Form]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            if sub not in found:
                found.add(sub)
                todo.append(sub)
    return found


def _checkbox_lists():
    """(form class, field name, unbound field) of every checkbox list declared by a form of the package."""
    for cls in sorted(_all_form_classes(), key=lambda c: f"{c.__module__}.{c.__qualname__}"):
        for name in dir(cls):
            unbound = getattr(cls, name, None)
            if isinstance(unbound, UnboundField) and issubclass(unbound.field_class, MultiCheckboxField):
                yield cls, name, unbound


def _render(app, unbound, name):
    probe = type("Probe", (Form,), {name: unbound})
    with app.test_request_context("/"):
        form = probe(meta={"csrf": False})
        field = form[name]
        if not field.choices:
            field.choices = [SelectChoice(1, "A"), SelectChoice(2, "B"), SelectChoice(3, "C")]
        return render_template_string(_MACRO, f=field)


def test_no_box_of_any_checkbox_list_of_any_form_is_required(app):
    seen = []
    for cls, name, unbound in _checkbox_lists():
        html = _render(app, unbound, name)
        boxes = _CHECKBOX.findall(html)
        assert len(boxes) >= 2, (cls, name, html)
        for box in boxes:
            assert "required" not in box, f"{cls.__module__}.{cls.__qualname__}.{name}: {box}"
        seen.append(f"{cls.__qualname__}.{name}")
    # The lists this test must reach (new ones are found by the walk above).
    for expected in ("PanelForm.reviewers", "BulkAssignForm.reviewers", "BulkAssignForm.applications",
                     "BulkDecisionForm.entries", "InviteForm.roles", "RolesForm.roles", "ServiceForm.recipients"):
        assert expected in seen, (expected, seen)


def test_a_required_list_is_still_refused_empty_on_the_server(app):
    from incubator.reviews.forms import PanelForm

    with app.test_request_context("/", method="POST", data={}):
        form = PanelForm(meta={"csrf": False})
        form.reviewers.choices = [SelectChoice(1, "A"), SelectChoice(2, "B")]
        assert not form.validate()
        assert form.reviewers.errors
    with app.test_request_context("/", method="POST", data={"reviewers": "2"}):
        form = PanelForm(meta={"csrf": False})
        form.reviewers.choices = [SelectChoice(1, "A"), SelectChoice(2, "B")]
        assert form.validate()
        assert form.reviewers.data == [2]


def test_the_stage_page_and_the_invitation_page_have_no_required_box(make, login_as):
    stage = make.review_stage()
    make.user(Role.REVIEWER, full_name="Trần Thị Một")
    make.user(Role.REVIEWER, full_name="Lê Văn Hai")
    staff, _ = login_as(Role.STAFF)
    html = staff.get(f"/reviews/stages/{stage.id}").get_data(as_text=True)
    boxes = [b for b in _CHECKBOX.findall(html) if 'name="reviewers"' in b]
    assert len(boxes) >= 2
    assert not any("required" in b for b in boxes)

    admin, _ = login_as(Role.ADMIN)
    html = admin.get("/admin/users/invite").get_data(as_text=True)
    role_boxes = [b for b in _CHECKBOX.findall(html) if 'name="roles"' in b]
    assert role_boxes and not any("required" in b for b in role_boxes)


def test_one_reviewer_ticked_of_several_joins_the_panel(make, login_as):
    stage = make.review_stage()
    one = make.user(Role.REVIEWER, full_name="Trần Thị Một")
    make.user(Role.REVIEWER, full_name="Lê Văn Hai")
    staff, _ = login_as(Role.STAFF)
    url = f"/reviews/stages/{stage.id}"
    response = post_form(staff, f"{url}/panel", {"reviewers": str(one.id)}, token_from=url)
    assert response.status_code == 302
    from incubator.extensions import db
    from incubator.reviews.models import PanelMember

    db.session.expire_all()
    assert [m.user_id for m in db.session.query(PanelMember).filter_by(stage_id=stage.id)] == [one.id]
