"""The demo's catalogue: a few products of incubated and graduated demo businesses of both incubators, approved
and listed (so the public page /catalogue/ is not empty and filters by incubator), and a change of the demo
founder's product waiting for staff (the staff home's line, the queue with its diff)."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from incubator.catalogue import services
from incubator.catalogue.models import ProductEntry, ProductGroup
from incubator.companies.models import Company
from incubator.extensions import db

# (business, group code, pillar, fields)
PRODUCTS = [
    ("Công ty TNHH Dữ liệu Đô thị Thăng Long", "SMARTCITY", "government", {
        "name_vi": "Nền tảng Dữ liệu Đô thị Thăng Long", "name_en": "Thăng Long Urban Data Platform",
        "summary_vi": "Thu thập, chuẩn hóa và trực quan hóa dữ liệu giao thông, môi trường và hạ tầng đô thị từ cảm "
                      "biến IoT, phục vụ điều hành của quận, phường.",
        "summary_en": "Collects, cleans and charts traffic, environment and infrastructure data from IoT sensors for "
                      "district and ward operations centres.",
        "audience_vi": "UBND quận, phường; trung tâm điều hành đô thị thông minh",
        "audience_en": "District and ward people's committees; smart city operations centres",
        "on_market_since": date(2024, 6, 1), "public_customers": "UBND quận Cầu Giấy (thí điểm 2025)",
        "website": "https://thanglongdata.vuonuom.example"}),
    ("Công ty TNHH Công nghệ Sao Khuê Số", "EGOV", "government", {
        "name_vi": "Cổng tiếp nhận phản ánh hiện trường", "name_en": "On-site feedback portal",
        "summary_vi": "Người dân gửi phản ánh kèm ảnh và vị trí; phường phân công xử lý và trả lời công khai.",
        "summary_en": "Residents report issues with a photo and location; the ward assigns and answers them in public.",
        "audience_vi": "UBND phường, xã", "audience_en": "Ward and commune people's committees",
        "on_market_since": date(2024, 9, 1), "public_customers": "UBND phường Dịch Vọng Hậu",
        "website": "https://saokhue.vuonuom.example"}),
    ("Công ty Cổ phần Thanh toán Điện tử Hòa Bình Pay", "FINTECH", "economy", {
        "name_vi": "Ví điện tử Hòa Bình Pay", "name_en": "Hòa Bình Pay e-wallet",
        "summary_vi": "Thanh toán học phí, viện phí và phí dịch vụ công bằng mã QR, đối soát tự động cho đơn vị thu.",
        "summary_en": "Pays school, hospital and public service fees by QR code, with automatic reconciliation.",
        "audience_vi": "Trường học, bệnh viện, đơn vị sự nghiệp công lập",
        "audience_en": "Schools, hospitals and public service units",
        "on_market_since": date(2023, 1, 1), "public_customers": "", "website": ""}),
    ("Công ty TNHH Ứng dụng Y tế Bách Niên", "HEALTH", "society", {
        "name_vi": "Sổ sức khỏe gia đình Bách Niên", "name_en": "Bách Niên family health record",
        "summary_vi": "Ứng dụng lưu hồ sơ sức khỏe, lịch tiêm chủng và nhắc tái khám cho cả gia đình.",
        "summary_en": "An app keeping the family's health records and vaccinations, with check-up reminders.",
        "audience_vi": "Người dân, trạm y tế phường", "audience_en": "Residents and ward health stations",
        "on_market_since": date(2024, 3, 1), "public_customers": "Trạm y tế phường Nghĩa Đô", "website": ""}),
    # A graduate of the second incubator (HL), approved by its staff.
    ("Công ty TNHH Robot Tự hành Hòa Lạc", "LOGISTICS", "economy", {
        "name_vi": "Xe tự hành chở hàng trong nhà máy", "name_en": "Autonomous factory cart",
        "summary_vi": "Xe tự hành chở linh kiện giữa kho và dây chuyền, tự tránh người và vật cản.",
        "summary_en": "A self-driving cart carrying parts between store and line, avoiding people and obstacles.",
        "audience_vi": "Nhà máy trong khu công nghiệp, khu công nghệ cao",
        "audience_en": "Factories in industrial parks and high-tech parks",
        "on_market_since": date(2025, 7, 1), "public_customers": "", "website": ""}),
]
HL_STAFF = {"Công ty TNHH Robot Tự hành Hòa Lạc"}


def load(staff, founder, hl_staff=None) -> int:
    """Add the demo's products not there yet (by business and Vietnamese name); the demo founder's business gets a
    change waiting for staff. Returns how many were added."""
    services.ensure_default_groups()
    groups = {g.code: g.id for g in db.session.scalars(sa.select(ProductGroup))}
    created = 0
    for name, group, pillar, fields in PRODUCTS:
        company = db.session.scalar(sa.select(Company).where(Company.name == name))
        if company is None:
            continue
        exists = db.session.scalar(sa.select(ProductEntry.id).where(
            ProductEntry.company_id == company.id,
            sa.or_(ProductEntry.name_vi == fields["name_vi"], ProductEntry.pending_since.is_not(None))))
        if exists is not None:
            continue
        data = dict(fields, group_id=groups[group], pillar=pillar)
        is_founders = any(m.user_id == founder.id for m in company.members)
        entry = services.create_entry(company, data, actor=founder if is_founders else staff)
        services.approve(entry, actor=(hl_staff or staff) if name in HL_STAFF else staff)
        if is_founders:
            services.propose_change(entry, dict(data, summary_vi=data["summary_vi"] + " Có bản đồ nhiệt theo giờ.",
                                                public_customers="UBND quận Cầu Giấy; UBND quận Tây Hồ"),
                                    actor=founder)
        created += 1
    db.session.flush()
    return created
