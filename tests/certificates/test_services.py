"""The rules of certificates' changes: check_fields, staff's corrections with a version, revocation, founders'
submissions verified or refused (the founder told why), deletion, and the list of standards."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from incubator.audit.models import AuditEntry
from incubator.auth.enums import Role
from incubator.certificates import services
from incubator.certificates.enums import CertificateStatus
from incubator.certificates.models import Certificate
from incubator.certificates.queries import standing
from incubator.errors import Conflict, DomainError
from incubator.extensions import db
from incubator.i18n import local_today
from incubator.mail.models import OutboxMessage


def _std(code):
    return services.standard_by_code(code)


def _actions():
    return [a for (a,) in db.session.execute(sa.select(AuditEntry.action).order_by(AuditEntry.id))]


@pytest.fixture
def staff(make):
    return make.user(Role.STAFF)


def _record(company, staff, code="ISO 9001", **fields):
    fields.setdefault("issued_on", date(2025, 1, 10))
    certificate = services.add_certificate(company, actor=staff, standard_id=_std(code).id, **fields)
    db.session.commit()
    return certificate


# ---- check_fields ------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("code", "fields", "field"), [
    ("ISO 9001", {}, "issued_on"),
    ("ISO 9001", {"issued_on": date(2025, 5, 1), "expires_on": date(2025, 4, 30)}, "expires_on"),
    ("ISO 9001", {"issued_on": date(2025, 5, 1), "revoked_on": date(2025, 4, 1)}, "revoked_on"),
    ("ISO 9001", {"issued_on": local_today() + timedelta(days=1)}, "issued_on"),
    ("ISO 9001", {"issued_on": date(2025, 5, 1), "level": 3}, "level"),
    ("CMMI", {"issued_on": date(2025, 5, 1)}, "level"),
    ("CMMI", {"issued_on": date(2025, 5, 1), "level": 6}, "level"),
    ("ISO 9001", {"issued_on": date(2025, 5, 1), "evidence_link": "ftp://x.vn"}, "evidence_link"),
])
def test_check_fields_refuses_what_no_certificate_is(app_ctx, code, fields, field):
    with pytest.raises(DomainError) as refused:
        services.check_fields(fields, _std(code))
    assert refused.value.field == field


def test_check_fields_accepts_an_expiry_on_the_day_of_issue_and_cmmi_level_one(app_ctx):
    services.check_fields({"issued_on": date(2025, 5, 1), "expires_on": date(2025, 5, 1)}, _std("ISO 9001"))
    services.check_fields({"issued_on": date(2025, 5, 1), "level": 1}, _std("CMMI"))


# ---- Staff record, correct, revoke, delete ---------------------------------------------------------------

def test_staff_record_a_verified_certificate_and_the_same_one_is_refused_twice(make, staff):
    company = make.company()
    certificate = _record(company, staff, number="QMS-01")
    assert certificate.status is CertificateStatus.VERIFIED and certificate.verified_by_id == staff.id
    with pytest.raises(DomainError) as refused:
        _record(company, staff, number="qms-01", issued_on=date(2025, 3, 1))
    assert refused.value.field == "number"
    assert "certificate.create" in _actions()


def test_an_edit_on_an_older_version_is_refused(make, staff):
    certificate = _record(make.company(), staff, number="A-1")
    old = certificate.version_id
    services.update_certificate(certificate, actor=staff, version=old, issuer="Bureau Veritas")
    db.session.commit()
    with pytest.raises(Conflict):
        services.update_certificate(certificate, actor=staff, version=old, issuer="TÜV")
    assert certificate.issuer == "Bureau Veritas"
    assert _actions().count("certificate.update") == 1


def test_an_edit_keeps_the_rules(make, staff):
    certificate = _record(make.company(), staff)
    with pytest.raises(DomainError) as refused:
        services.update_certificate(certificate, actor=staff, version=certificate.version_id,
                                    expires_on=date(2024, 1, 1))
    assert refused.value.field == "expires_on"


def test_revocation_needs_a_day_not_before_issue_and_a_reason(make, staff):
    certificate = _record(make.company(), staff, expires_on=date(2028, 1, 1))
    with pytest.raises(DomainError) as refused:
        services.revoke_certificate(certificate, revoked_on=date(2025, 2, 1), reason=" ", actor=staff)
    assert refused.value.field == "reason"
    with pytest.raises(DomainError) as refused:
        services.revoke_certificate(certificate, revoked_on=date(2024, 2, 1), reason="Rút", actor=staff)
    assert refused.value.field == "revoked_on"
    services.revoke_certificate(certificate, revoked_on=date(2025, 2, 1), reason="Tổ chức chứng nhận rút",
                                actor=staff, version=certificate.version_id)
    db.session.commit()
    assert certificate.revoked_on == date(2025, 2, 1)
    assert certificate.is_held_on(date(2025, 2, 1)) and not certificate.is_held_on(date(2025, 2, 2))
    assert not standing(certificate, local_today()).counts
    with pytest.raises(DomainError):
        services.revoke_certificate(certificate, revoked_on=date(2025, 3, 1), reason="Lần nữa", actor=staff)


def test_a_mistaken_certificate_is_deleted_and_the_log_keeps_it(make, staff):
    certificate = _record(make.company(), staff, number="NHAM-1")
    certificate_id = certificate.id
    services.delete_certificate(certificate, actor=staff, version=certificate.version_id, reason="Nhập nhầm")
    db.session.commit()
    assert db.session.get(Certificate, certificate_id) is None
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "certificate.delete"))
    assert entry.details["number"] == "NHAM-1" and entry.reason == "Nhập nhầm"


# ---- Founders submit; staff verify or refuse -------------------------------------------------------------

def _submit(company, founder, **fields):
    fields.setdefault("issued_on", date(2025, 6, 1))
    fields.setdefault("evidence_file", "a" * 32 + ".pdf")
    return services.submit_certificate(company, actor=founder, standard_id=_std("ISO/IEC 27001").id, **fields)


def test_a_submission_needs_its_pdf_and_waits_without_counting(make):
    founder = make.user(Role.FOUNDER)
    company = make.member(user=founder).company
    with pytest.raises(DomainError) as refused:
        _submit(company, founder, evidence_file=None)
    assert refused.value.field == "evidence_pdf"
    certificate = _submit(company, founder)
    db.session.commit()
    assert certificate.status is CertificateStatus.SUBMITTED and not certificate.counts
    with force_locale("en"):
        assert standing(certificate, local_today()).reason == "waiting for verification"


def test_staff_verify_a_submission_and_it_counts(make, staff):
    founder = make.user(Role.FOUNDER)
    certificate = _submit(make.member(user=founder).company, founder)
    db.session.commit()
    services.verify_certificate(certificate, actor=staff, version=certificate.version_id)
    db.session.commit()
    assert certificate.counts and certificate.verified_by_id == staff.id
    assert standing(certificate, local_today()).counts
    with pytest.raises(DomainError):  # once only
        services.verify_certificate(certificate, actor=staff)


def test_a_refusal_needs_a_reason_and_tells_the_founder(make, staff):
    founder = make.user(Role.FOUNDER)
    certificate = _submit(make.member(user=founder).company, founder)
    db.session.commit()
    with pytest.raises(DomainError):
        services.reject_certificate(certificate, actor=staff, reason="  ")
    services.reject_certificate(certificate, actor=staff, reason="Bản PDF không đọc được",
                                version=certificate.version_id)
    db.session.commit()
    assert certificate.status is CertificateStatus.REJECTED and not certificate.counts
    mail = db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.to_address == founder.email)).all()
    assert len(mail) == 1 and "Bản PDF không đọc được" in mail[0].body_text
    # A refused submission does not stand in the way of the corrected one.
    assert _submit(certificate.company, founder).status is CertificateStatus.SUBMITTED


def test_an_older_version_cannot_be_verified(make, staff):
    founder = make.user(Role.FOUNDER)
    certificate = _submit(make.member(user=founder).company, founder)
    db.session.commit()
    with pytest.raises(Conflict):
        services.verify_certificate(certificate, actor=staff, version=certificate.version_id + 1)


# ---- Standards -------------------------------------------------------------------------------------------

def test_a_standards_code_is_unique_without_regard_to_case_and_spaces(app_ctx, staff):
    with pytest.raises(DomainError) as refused:
        services.create_standard(actor=staff, code="iso/iec27001", name_vi="X", name_en="X")
    assert refused.value.field == "code"
    added = services.create_standard(actor=staff, code="ISO  14001", name_vi="Quản lý môi trường",
                                     name_en="Environmental management")
    db.session.commit()
    assert added.code == "ISO 14001" and not added.recognised
    with pytest.raises(DomainError):
        services.update_standard(_std("ISO 9001"), actor=staff, code="iso 14001")
    assert _actions().count("standard.create") == 1


def test_recognising_a_standard_makes_its_certificates_count(make, staff):
    other = services.create_standard(actor=staff, code="ISO 14001", name_vi="Môi trường", name_en="Environment")
    certificate = _record(make.company(), staff, code="ISO 14001")
    with force_locale("en"):
        assert standing(certificate, local_today()).reason == "standard not recognised by the target"
    old = other.version_id
    services.update_standard(other, actor=staff, version=old, recognised=True)
    db.session.commit()
    assert certificate.counts
    with pytest.raises(Conflict):
        services.update_standard(other, actor=staff, version=old, recognised=False)
    assert "standard.update" in _actions()


def test_the_audit_log_reads_every_action_on_certificates_and_standards(app_ctx):
    from incubator.audit.labels import action_label

    actions = ["certificate.create", "certificate.update", "certificate.revoke", "certificate.submit",
               "certificate.verify", "certificate.reject", "certificate.delete", "standard.create", "standard.update"]
    with force_locale("en"):
        labels = [str(action_label(a)) for a in actions]
    assert all(label != action and label for label, action in zip(labels, actions, strict=True))
    assert labels[0] == "Certificate recorded"
