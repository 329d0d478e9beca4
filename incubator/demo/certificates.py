"""The demo's certificates, dated from today: a CMMI level 3 that counts, an ISO/IEC 27001 that counts and
expires within 60 days (the staff home's reminder line), an ISO 14001 recorded but not recognised, an ISO 9001
expired, and a founder's submission waiting for staff to verify it. So the third target's figure is not zero."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa

from incubator.certificates import services
from incubator.certificates.enums import CertificateStatus
from incubator.certificates.models import Certificate
from incubator.companies.models import Company
from incubator.extensions import db


def _company(name: str) -> Company | None:
    return db.session.scalar(sa.select(Company).where(Company.name == name))


def load(staff, founder, founders_company: Company, today: date) -> int:
    """Add the demo's certificates that are not there yet (by business, standard and number)."""
    services.ensure_default_standards()
    iso14001, added = services.standard_for_code("ISO 14001", actor=staff)  # recorded, not recognised
    if added:
        iso14001.name_vi = "Hệ thống quản lý môi trường (ISO 14001)"
        iso14001.name_en = "Environmental management systems (ISO 14001)"
    year = timedelta(days=365)
    staff_entries = [
        ("Công ty Cổ phần Gia công Phần mềm Long Biên", "CMMI", 3, "CMMI-DEV ML3 #58213", "CMMI Institute",
         "Phát triển và bảo trì phần mềm gia công", today - year, today + 2 * year),
        ("Công ty Cổ phần An ninh Mạng Lá Chắn Việt", "ISO/IEC 27001", None, "VN-ISMS-2023-0412",
         "BSI Việt Nam", "Dịch vụ giám sát an ninh mạng (SOC)", today - 3 * year + timedelta(days=45),
         today + timedelta(days=45)),
        ("Công ty TNHH Trí tuệ Nhân tạo Hồng Hà AI", "ISO 14001", None, "EMS-HN-2025-118", "Vinacert",
         "Văn phòng và trung tâm dữ liệu", today - year, today + 2 * year),
        ("Công ty Cổ phần Thanh toán Điện tử Hòa Bình Pay", "ISO 9001", None, "QMS-2022-0907", "Quacert",
         "Cung cấp dịch vụ trung gian thanh toán", today - 3 * year - timedelta(days=30),
         today - timedelta(days=30)),
    ]
    created = 0
    for name, code, level, number, issuer, scope, issued_on, expires_on in staff_entries:
        company = _company(name)
        standard = services.standard_by_code(code)
        if company is None or services.same_certificate(company.id, standard.id, number, issued_on) is not None:
            continue
        services.record_certificate(company, actor=staff, standard_id=standard.id, level=level, number=number,
                                    issuer=issuer, scope=scope, issued_on=issued_on, expires_on=expires_on,
                                    evidence_link="https://chungchi.vuonuom.example/tra-cuu/" + number.lower()
                                    .replace(" ", "-").replace("#", ""))
        created += 1
    standard = services.standard_by_code("ISO 9001")
    number = "QMS-TL-2026-031"
    if services.same_certificate(founders_company.id, standard.id, number, None) is None:
        certificate = Certificate(company_id=founders_company.id, standard=standard, number=number,
                                  issuer="Trung tâm Chứng nhận Phù hợp (Quacert)",
                                  scope="Phát triển nền tảng dữ liệu đô thị", issued_on=today - timedelta(days=20),
                                  expires_on=today - timedelta(days=20) + 3 * year,
                                  status=CertificateStatus.SUBMITTED, submitted_by_id=founder.id,
                                  evidence_link="https://chungchi.vuonuom.example/tra-cuu/qms-tl-2026-031")
        db.session.add(certificate)
        db.session.flush()
        from incubator.audit import services as audit

        audit.record("certificate.submit", certificate, label=f"{founders_company.name}: {standard.code}",
                     actor=founder, to_state=certificate.status)
        created += 1
    db.session.flush()
    return created
