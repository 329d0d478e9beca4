"""A partner's name and tax code are its own: a second partner with either is refused (with the form, on the
page); a partner needs a name and a valid tax code, is changed on the version it was read at, and every creation
and change is audited."""

import pytest

from incubator.audit.models import AuditEntry
from incubator.auth.enums import Role
from incubator.errors import Conflict, DomainError
from incubator.partners.enums import PartnerKind
from incubator.partners.services import save_partner
from tests.helpers import nothing_written, post_form, tax_code


def test_a_second_partner_with_the_same_tax_code_is_refused_with_the_form(login_as, make, db):
    from incubator.partners.models import Partner

    staff, _ = login_as(Role.STAFF)
    code = tax_code(9191)
    for name, status in (("Công ty Đối tác Một", 302), ("Công ty Đối tác Hai", 400)):
        response = post_form(staff, "/partners/new", {"kind": "software_company", "name": name, "tax_code": code},
                             token_from="/partners/new")
        assert response.status_code == status
    assert "Đã có doanh nghiệp đăng ký với mã số thuế này." in response.get_data(as_text=True)
    assert db.session.query(Partner).filter_by(tax_code=code).count() == 1


# ---- The service itself, as the command line, the imports and the demonstration call it -------------------

def _save(partner=None, **fields):
    return save_partner(partner, **{"kind": "software_company", "actor": None, **fields})


def test_a_partner_is_saved_stripped_and_its_creation_and_changes_are_audited(make, db):
    staff = make.user(Role.STAFF)
    partner = _save(name="  Công ty Cổ phần FPT  ", short_name="  ", tax_code=tax_code(7001), actor=staff)
    db.session.commit()
    assert (partner.name, partner.short_name, partner.kind) == ("Công ty Cổ phần FPT", None,
                                                                 PartnerKind.SOFTWARE_COMPANY)
    _save(partner, name="Công ty Cổ phần FPT", kind="fund_manager", version=partner.version_id, actor=staff)
    db.session.commit()
    assert partner.kind is PartnerKind.FUND_MANAGER
    actions = [(e.action, e.actor_id, e.object_label) for e in db.session.query(AuditEntry).order_by(AuditEntry.id)]
    assert actions == [("partner.create", staff.id, "Công ty Cổ phần FPT"),
                       ("partner.update", staff.id, "Công ty Cổ phần FPT")]


def test_a_partner_without_a_name_with_a_bad_or_taken_tax_code_or_a_taken_name_is_refused(make, db):
    taken = make.partner(name="Hiệp hội Phần mềm", tax_code=tax_code(7002))
    cases = [({"name": "   "}, "name"), ({"name": "Hiệp hội Phần mềm"}, "name"),
             ({"name": "Công ty Mới", "tax_code": tax_code(7002)}, "tax_code"),
             ({"name": "Công ty Mới", "tax_code": "0101234560"}, "tax_code")]
    for fields, field in cases:
        with nothing_written(str(fields)), pytest.raises(DomainError) as refused:
            _save(**fields)
        assert refused.value.field == field, fields
        db.session.rollback()
    # Its own name and tax code do not clash with itself.
    _save(taken, name="Hiệp hội Phần mềm", tax_code=tax_code(7002), version=taken.version_id)


def test_a_partner_changed_on_an_old_version_is_refused(make, db):
    partner = make.partner(name="Quỹ Đầu tư Một")
    with nothing_written(), pytest.raises(Conflict):
        _save(partner, name="Quỹ Đầu tư Hai", version=partner.version_id + 1)
    db.session.rollback()
