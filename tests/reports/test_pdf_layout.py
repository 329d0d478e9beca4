"""The periodic report prints right, in both languages, read back from the PDF with poppler's tools: the words
and their positions (``pdftotext -bbox``), their styles (``pdftohtml -xml``: bold, italic) and the fonts
(``pdffonts``).

Decree 30/2020/NĐ-CP (Appendix I) on the layout of an administrative document: the national heading in capitals
12–13 pt bold upright, the motto 13–14 pt bold with a rule under it, the bodies' names at the left (the issuer in
bold capitals), "Số:" before the number, the place and date in italic with a leading zero only before days below
10 and the months 1 and 2, the title 13–14 pt bold, "Nơi nhận:" italic bold 12 pt with its list in 11 pt, the
signer's title in bold capitals and the name in bold, the page number at the top, centred, 13–14 pt, from the
second page on; Times New Roman (or its metric twin Liberation Serif) for all the text. The signature never
stands alone on a page; decimals follow the reader's convention; the names of bodies are those in force on the
period's last day (the 2025 merger of the Department of Information and Communications into the Department of
Science and Technology), and a finalised report keeps those it was issued with."""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import date

import pytest
import sqlalchemy as sa

from incubator.auth.enums import Role
from incubator.companies.enums import ResidencyKind
from incubator.reports import services
from incubator.reports.enums import NameKind
from incubator.reports.models import BodyName, PeriodicReport
from incubator.targets.enums import TargetKind
from tests.conftest import require_or_skip
from tests.helpers import csrf_token, post_form

TOOLS = {name: shutil.which(name) for name in ("pdftotext", "pdftohtml", "pdffonts", "pdftoppm")}
MM = 72 / 25.4
# Liberation Serif's ascent + descent: the height pdftotext gives a word, per point of font size.
LINE_PER_POINT = 1.107


@dataclass
class Word:
    page: int
    text: str
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def size(self) -> float:
        return round((self.y1 - self.y0) / LINE_PER_POINT, 1)


class Layout:
    """A PDF's words with their boxes, its styled runs and its fonts."""

    def __init__(self, pdf: bytes, tmp_path, name: str = "report"):
        require_or_skip(all(TOOLS.values()), f"poppler-utils ({', '.join(TOOLS)}) is not installed")
        path = self.path = tmp_path / f"{name}.pdf"
        path.write_bytes(pdf)
        self._images = {}
        bbox = subprocess.run([TOOLS["pdftotext"], "-bbox", str(path), "-"], check=True, capture_output=True,
                              text=True).stdout
        ns = {"x": "http://www.w3.org/1999/xhtml"}
        # poppler's own output about a PDF this test made, not untrusted data
        root = ET.fromstring(re.sub(r"<!DOCTYPE[^>]*>", "", bbox))  # noqa: S314
        self.pages, self.words = [], []
        for number, page in enumerate(root.iter(f"{{{ns['x']}}}page"), start=1):
            self.pages.append((float(page.get("width")), float(page.get("height"))))
            for w in page.iter(f"{{{ns['x']}}}word"):
                self.words.append(Word(number, w.text or "", *(float(w.get(k)) for k in ("xMin", "yMin", "xMax",
                                                                                           "yMax"))))
        xml = subprocess.run([TOOLS["pdftohtml"], "-xml", "-i", "-stdout", "-zoom", "1", str(path)], check=True,
                             capture_output=True, text=True).stdout
        self.runs = []  # (page, text, bold, italic)
        for page in ET.fromstring(re.sub(r"<!DOCTYPE[^>]*>", "", xml)).iter("page"):  # noqa: S314 - as above
            for run in page.iter("text"):
                tags = {child.tag for child in run.iter()}
                self.runs.append((int(page.get("number")), "".join(run.itertext()).replace("\xa0", " ").strip(),
                                  "b" in tags, "i" in tags))
        self.fonts = subprocess.run([TOOLS["pdffonts"], str(path)], check=True, capture_output=True,
                                    text=True).stdout.splitlines()[2:]
        self.text = subprocess.run([TOOLS["pdftotext"], "-layout", str(path), "-"], check=True,
                                   capture_output=True, text=True).stdout

    def find(self, phrase: str, page: int | None = None) -> list[Word]:
        """The words of the first line (of ``page``) where ``phrase`` reads, in order."""
        wanted = phrase.split()
        words = [w for w in self.words if page is None or w.page == page]
        for i in range(len(words) - len(wanted) + 1):
            run = words[i:i + len(wanted)]
            if [w.text for w in run] == wanted and len({(w.page, round(w.y0)) for w in run}) == 1:
                return run
        raise AssertionError(f"{phrase!r} is not on one line of the PDF{'' if page is None else f' page {page}'}")

    @property
    def flow(self) -> str:
        """The words in reading order, one space apart (a name wrapped over two lines reads whole)."""
        return " ".join(w.text for w in self.words)

    def bodies(self) -> str:
        """The heading's left column (the governing and issuing bodies, the number), its words in order."""
        middle = (30 * MM + self.pages[0][0] - 15 * MM) / 2
        return " ".join(w.text for w in self.words if w.page == 1 and w.y0 < 50 * MM and w.x1 < middle)

    def rules(self, page: int, top: float, bottom: float) -> list[tuple[float, float]]:
        """The horizontal rules drawn between ``top`` and ``bottom`` (points) on ``page``: runs of dark pixels
        longer than 15 pt on one row of the page drawn at 144 dpi, as (left, right) in points."""
        from PIL import Image

        image = self.image(page)
        scale = image.width / self.pages[page - 1][0]
        found = set()
        for y in range(int(top * scale), int(bottom * scale) + 1):
            start = None
            for x in range(image.width + 1):
                dark = x < image.width and image.getpixel((x, y)) < 128
                if dark and start is None:
                    start = x
                elif not dark and start is not None:
                    if (x - start) / scale > 15:
                        found.add((round(start / scale), round(x / scale)))
                    start = None
        assert isinstance(image, Image.Image)
        return sorted(found)

    def image(self, page: int):
        from PIL import Image

        if page not in self._images:
            stem = self.path.with_name(f"{self.path.stem}-page")
            subprocess.run([TOOLS["pdftoppm"], "-r", "144", "-gray", "-png", "-f", str(page), "-l",
                            str(page), "-singlefile", str(self.path), str(stem)], check=True)
            self._images[page] = Image.open(f"{stem}.png").convert("L")
        return self._images[page]

    def style(self, phrase: str) -> tuple[bool, bool]:
        """(bold, italic) of the run holding ``phrase``."""
        for _page, text, bold, italic in self.runs:
            if phrase in text:
                return bold, italic
        raise AssertionError(f"{phrase!r} is in no run of the PDF")

    def centre(self, words: list[Word]) -> float:
        return (words[0].x0 + words[-1].x1) / 2


def _lines(words: list[Word]) -> list[list[Word]]:
    """Words grouped into lines, top to bottom, each left to right."""
    lines: dict[int, list[Word]] = {}
    for word in words:
        lines.setdefault(round(word.y0), []).append(word)
    return [sorted(line, key=lambda w: w.x0) for _y, line in sorted(lines.items())]


@pytest.fixture
def names(db):
    services.ensure_default_names()
    db.session.commit()


def _report(make, *, period=("2025-Q2", date(2025, 4, 1), date(2025, 6, 30)), **fields):
    staff = make.user(Role.STAFF, full_name="Trần Thị Cán Bộ")
    label, start, end = period
    values = {"number": "5/BC-TTĐT", "issued_on": date(2025, 7, 10), "signer_name": "Nguyễn Văn Minh",
              "shortcomings": "Số doanh nghiệp CNTT thuê dịch vụ tăng nhanh hơn dự kiến.",
              "next_tasks": "Tổ chức hai khóa đào tạo về chuyển đổi số.",
              "recommendations": "Đề nghị Sở bố trí thêm diện tích làm việc cho Vườn ươm.", **fields}
    return services.create(actor=staff, period_label=label, start=start, end=end, **values)


def _figures(make):
    """Two incubated IT startups and a partner's office on 30/06/2025: 2 / 3 = 66,7 %."""
    make.target(code="TL", kind=TargetKind.INCUBATED_IT_RATIO)
    for name in ("Công ty Cổ phần Ươm Một", "Công ty Cổ phần Ươm Hai"):
        make.residency(company=make.company(name=name), starts_on=date(2025, 1, 1))
    make.residency(company=make.company(name="Văn phòng Đối tác"), starts_on=date(2025, 1, 1),
                   kind=ResidencyKind.PARTNER_OFFICE)


def _pdf(report, lang: str) -> bytes:
    from incubator.reports.figures import compute
    from incubator.reports.render import render_pdf

    return render_pdf(report, compute(report.period_start, report.period_end), lang)


EXPECTED = {
    "vi": {"nation": "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "motto": "Độc lập - Tự do - Hạnh phúc",
           "number": "Số: 05/BC-TTĐT", "date": "Hà Nội, ngày 10 tháng 7 năm 2025", "title": "BÁO CÁO",
           "governing": "SỞ KHOA HỌC VÀ CÔNG NGHỆ", "issuing": "TRUNG TÂM ĐÀO TẠO,", "recipients": "Nơi nhận:",
           "addressee": "- Sở Khoa học và Công nghệ Hà Nội;", "archive": "- Lưu: VT.", "signer": "GIÁM ĐỐC",
           "parts": ("II. TỒN TẠI, HẠN CHẾ", "III. NHIỆM VỤ KỲ TỚI", "IV. KIẾN NGHỊ, ĐỀ XUẤT")},
    "en": {"nation": "SOCIALIST REPUBLIC OF VIET NAM", "motto": "Independence - Freedom - Happiness",
           "number": "No.: 05/BC-TTĐT", "date": "Hà Nội, 10 July 2025", "title": "REPORT",
           "governing": "HÀ NỘI DEPARTMENT OF", "issuing": "HÀ NỘI ICT TRAINING", "recipients": "Recipients:",
           "addressee": "- Hà Nội Department of Science and Technology;", "archive": "- Archives.",
           "signer": "DIRECTOR",
           "parts": ("II. SHORTCOMINGS", "III. TASKS FOR THE NEXT PERIOD", "IV. RECOMMENDATIONS")},
}


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_report_is_laid_out_as_decree_30_asks(names, make, db, tmp_path, lang):
    report = _report(make)
    pdf = Layout(_pdf(report, lang), tmp_path)
    want = EXPECTED[lang]
    width = pdf.pages[0][0]
    text_centre = (30 * MM + width - 15 * MM) / 2  # the text area's middle: margins of 30 mm left, 15 mm right

    # Times New Roman's metric twin for every word, charts included; nothing else embedded.
    assert pdf.fonts and all("Liberation-Serif" in line for line in pdf.fonts), pdf.fonts

    # The national heading: capitals 12–13 pt, bold, upright, on the right of the first page.
    nation = pdf.find(want["nation"], page=1)
    assert 12 <= nation[0].size <= 13 and pdf.style(want["nation"]) == (True, False)
    assert pdf.centre(nation) > text_centre
    # The motto under it: 13–14 pt bold upright.
    motto = pdf.find(want["motto"], page=1)
    assert 13 <= motto[0].size <= 14 and pdf.style(want["motto"]) == (True, False)
    assert motto[0].y0 > nation[0].y1 and abs(pdf.centre(motto) - pdf.centre(nation)) < 3
    # ... with a solid rule under it as long as the line.
    [(left, right)] = pdf.rules(1, motto[0].y1, motto[0].y1 + 4)
    assert abs(left - motto[0].x0) <= 2 and abs(right - motto[-1].x1) <= 2
    # The bodies at the left: the governing body upright, the issuer below it in bold capitals, 12–13 pt.
    governing, issuing = pdf.find(want["governing"], page=1), pdf.find(want["issuing"], page=1)
    assert pdf.centre(governing) < text_centre and pdf.centre(issuing) < text_centre
    assert governing[0].y0 < issuing[0].y0
    assert 12 <= governing[0].size <= 13 and pdf.style(want["governing"]) == (False, False)
    assert 12 <= issuing[0].size <= 13 and pdf.style(want["issuing"])[0] is True
    # "Số:" before the number, 13 pt, the number below 10 with its zero, at the left under the bodies.
    number = pdf.find(want["number"], page=1)
    assert 13 <= number[0].size <= 14 and number[0].y0 > issuing[0].y1 and pdf.centre(number) < text_centre
    # Between the issuer and the number, a rule of a third to a half of the issuer's line, centred under it.
    issuer_lines = _lines([w for w in pdf.words if w.page == 1 and issuing[0].y0 <= w.y0 < number[0].y0
                           and w.x1 < text_centre])
    widest = max(line[-1].x1 - line[0].x0 for line in issuer_lines)
    [(left, right)] = pdf.rules(1, issuer_lines[-1][0].y1, number[0].y0)
    assert widest / 3 <= right - left <= widest / 2, (right - left, widest)
    assert abs((left + right) / 2 - pdf.centre(issuer_lines[-1])) <= 2
    # The place and the date: italic, 13–14 pt, at the right, under the motto.
    when = pdf.find(want["date"], page=1)
    assert 13 <= when[0].size <= 14 and pdf.style(want["date"]) == (False, True)
    assert when[0].y0 > motto[0].y1 and pdf.centre(when) > text_centre
    # The kind of document: capitals, bold, 13–14 pt, centred on the text, below the heading; then what it is
    # about, bold 13–14 pt, with a rule of a third to a half of its line under it.
    title = pdf.find(want["title"], page=1)
    assert 13 <= title[0].size <= 14 and pdf.style(want["title"]) == (True, False)
    assert abs(pdf.centre(title) - text_centre) < 3 and title[0].y0 > number[0].y1
    part_one = pdf.find("I.", page=1)  # part I opens the text
    # The margins (top 20, right 15, bottom 20, left 30 mm): the text starts on the left margin, nothing crosses one.
    assert abs(part_one[0].x0 - 30 * MM) < 1
    body = [w for w in pdf.words if w.y0 > 20 * MM]  # page numbers aside
    assert min(w.x0 for w in body) > 30 * MM - 1 and max(w.x1 for w in body) < width - 15 * MM + 1
    assert max(w.y1 for w in body) < pdf.pages[0][1] - 20 * MM
    about = _lines([w for w in pdf.words if w.page == 1 and title[0].y1 < w.y0 < part_one[0].y0])
    assert 13 <= about[0][0].size <= 14 and all(abs(pdf.centre(line) - text_centre) < 3 for line in about)
    widest = max(line[-1].x1 - line[0].x0 for line in about)
    [(left, right)] = pdf.rules(1, about[-1][0].y1, part_one[0].y0)
    assert widest / 3 <= right - left <= widest / 2 and abs((left + right) / 2 - text_centre) <= 2

    # The closing: "Nơi nhận:" italic bold 12 pt, its list 11 pt, each line after a dash, the last with a full stop.
    recipients = pdf.find(want["recipients"])
    assert 11.5 <= recipients[0].size <= 12.5 and pdf.style(want["recipients"]) == (True, True)
    addressee, archive = pdf.find(want["addressee"]), pdf.find(want["archive"])
    assert 10.5 <= addressee[0].size <= 11.5 and pdf.style(want["addressee"]) == (False, False)
    assert recipients[0].y1 <= addressee[0].y0 < archive[0].y0
    # The signer's title in bold capitals 13–14 pt, on the right; the name bold, below it, leaving room to sign.
    signer, name = pdf.find(want["signer"]), pdf.find("Nguyễn Văn Minh")
    assert 13 <= signer[0].size <= 14 and pdf.style(want["signer"]) == (True, False)
    assert 13 <= name[0].size <= 14 and pdf.style("Nguyễn Văn Minh") == (True, False)
    assert signer[0].page == name[0].page and name[0].y0 - signer[0].y1 > 15 * MM
    assert pdf.centre(signer) > text_centre and abs(pdf.centre(signer) - pdf.centre(name)) < 3

    # Page numbers: none on the first page; at the top, centred, 13–14 pt, Arabic numerals, from the second on.
    assert len(pdf.pages) >= 2
    for page in range(1, len(pdf.pages) + 1):
        top = [w for w in pdf.words if w.page == page and w.y1 < 20 * MM]
        bottom = [w for w in pdf.words if w.page == page and w.y0 > pdf.pages[page - 1][1] - 20 * MM]
        assert bottom == [], f"page {page}: nothing is printed in the bottom margin"
        if page == 1:
            assert top == []
        else:
            assert [w.text for w in top] == [str(page)]
            assert 13 <= top[0].size <= 14 and abs(pdf.centre(top) - text_centre) < 3
    assert not re.search(r"\b\d+ / \d+\b", pdf.text)  # the old "1 / 3"

    # Parts II–IV have their headings in the reader's language; the narrative stays as staff wrote it.
    for heading in want["parts"]:
        pdf.find(heading)
    # The text: 13–14 pt, each paragraph's first line indented by 1–1.27 cm from the left margin of 30 mm.
    paragraph = pdf.find("Đề nghị Sở bố trí thêm diện tích làm việc cho Vườn ươm.")
    assert 13 <= paragraph[0].size <= 14 and pdf.style("Đề nghị Sở bố trí") == (False, False)
    assert 30 * MM + 10 * MM - 1 <= paragraph[0].x0 <= 30 * MM + 12.7 * MM + 1


@pytest.mark.parametrize(("day", "vietnamese", "english"), [
    (date(2025, 2, 5), "Hà Nội, ngày 05 tháng 02 năm 2025", "Hà Nội, 5 February 2025"),
    (date(2025, 7, 10), "Hà Nội, ngày 10 tháng 7 năm 2025", "Hà Nội, 10 July 2025"),
    (date(2025, 1, 31), "Hà Nội, ngày 31 tháng 01 năm 2025", "Hà Nội, 31 January 2025"),
    (date(2025, 3, 9), "Hà Nội, ngày 09 tháng 3 năm 2025", "Hà Nội, 9 March 2025"),
    (date(2025, 12, 1), "Hà Nội, ngày 01 tháng 12 năm 2025", "Hà Nội, 1 December 2025"),
])
def test_a_leading_zero_only_before_days_below_10_and_the_months_1_and_2(day, vietnamese, english):
    from incubator.reports.render import place_and_date

    assert place_and_date(day, "vi", "Hà Nội") == vietnamese
    assert place_and_date(day, "en", "Hà Nội") == english


def test_a_number_below_10_gets_its_zero_and_addressees_their_punctuation():
    from incubator.reports.render import addressee_lines, document_number

    assert document_number("5/BC-TTĐT") == "05/BC-TTĐT"
    assert document_number("15/BC-TTĐT") == "15/BC-TTĐT" and document_number(None) == ""
    assert addressee_lines(["- Sở Khoa học và Công nghệ Hà Nội;", "", "Lưu: VT"]) == [
        "- Sở Khoa học và Công nghệ Hà Nội;", "- Lưu: VT."]


def test_the_signature_never_stands_alone_on_its_page(names, make, db, tmp_path):
    """However long the text, the page holding the signature also holds the text's last paragraph and the
    addressees: the lengths tried move the end of the text across a page's end."""
    pages_seen = set()
    for extra in range(0, 34, 3):
        filler = "\n".join(f"Đoạn {i + 1}: Vườn ươm tiếp tục hỗ trợ doanh nghiệp khởi nghiệp về đào tạo, tư vấn và "
                           f"kết nối nhà đầu tư trong kỳ tới." for i in range(extra))
        report = _report(make, recommendations=f"{filler}\nĐoạn cuối cùng của văn bản số {extra}.")
        pdf = Layout(_pdf(report, "vi"), tmp_path, name=f"sig-{extra}")
        signer = pdf.find("Nguyễn Văn Minh")
        title = pdf.find("GIÁM ĐỐC")
        last = pdf.find(f"Đoạn cuối cùng của văn bản số {extra}.")
        recipients = pdf.find("Nơi nhận:")
        assert signer[0].page == title[0].page == last[0].page == recipients[0].page, extra
        assert last[0].y1 < title[0].y0
        pages_seen.add(signer[0].page)
        db.session.rollback()
    assert len(pages_seen) >= 2  # the text did grow across a page's end


def test_decimals_follow_the_readers_convention_in_the_text_and_the_charts(names, make, db, tmp_path):
    _figures(make)
    report = _report(make)
    vietnamese = Layout(_pdf(report, "vi"), tmp_path, name="vi").text
    english = Layout(_pdf(report, "en"), tmp_path, name="en").text
    assert "2 / 3 = 66,7 %" in vietnamese and "2 / 3 = 66.7 %" in english
    # The chart's bars are labelled too (the quarters before 2025 had nobody: "—").
    assert vietnamese.count("66,7") >= 2 and english.count("66.7") >= 2
    assert not re.search(r"\b\d+,\d\b", english), "a decimal comma in the English PDF"
    assert not re.search(r"\b\d+\.\d\b", vietnamese), "a decimal point in the Vietnamese PDF"


OLD_NAMES = ("Sở Thông tin và Truyền thông Hà Nội", "Hà Nội Department of Information and Communications",
             ("SỞ THÔNG TIN",), ("INFORMATION", "COMMUNICATIONS"))
NEW_NAMES = ("Sở Khoa học và Công nghệ Hà Nội", "Hà Nội Department of Science and Technology",
             ("KHOA HỌC", "CÔNG NGHỆ"), ("SCIENCE", "TECHNOLOGY"))


@pytest.mark.parametrize(("period", "names_in_force", "other"), [
    (("2024-Q4", date(2024, 10, 1), date(2024, 12, 31)), OLD_NAMES, NEW_NAMES),
    (("custom", date(2025, 1, 1), date(2025, 2, 28)), OLD_NAMES, NEW_NAMES),
    (("2025-Q1", date(2025, 1, 1), date(2025, 3, 31)), NEW_NAMES, OLD_NAMES),
], ids=["2024-Q4", "to-28-02-2025", "2025-Q1"])
def test_the_report_is_addressed_to_the_department_in_force_on_its_periods_last_day(
        names, make, db, tmp_path, period, names_in_force, other):
    """Whatever the day it is issued (here after the merger), a report names the bodies in force on its
    period's last day: in the heading (the governing body) and among the addressees."""
    report = _report(make, period=period, issued_on=date(2025, 4, 10))
    for lang, index in (("vi", 0), ("en", 1)):
        pdf = Layout(_pdf(report, lang), tmp_path, name=f"{period[0]}-{lang}")
        assert f"- {names_in_force[index]};" in pdf.flow
        assert other[index] not in pdf.flow
        heading = pdf.bodies()
        for word in names_in_force[index + 2]:
            assert word in heading, (word, heading)
        for word in other[index + 2]:
            assert word not in heading, (word, heading)


def test_a_finalised_report_keeps_the_names_it_was_issued_with(names, login_as, make, db, tmp_path):
    """Staff rename a body after a report is finalised: the report (its page's PDF, and the PDF made again from
    it) keeps the old name; a new version of it takes the new one."""
    client, _staff = login_as(Role.STAFF)
    report = _report(make)
    db.session.commit()
    assert post_form(client, f"/reports/{report.id}/finalise", {"version": str(report.version_id)}).status_code == 302
    db.session.expire_all()
    assert report.is_final and report.names["vi"]["governing_body"] == "Sở Khoa học và Công nghệ Hà Nội"

    current = db.session.scalar(sa.select(BodyName).where(BodyName.kind == NameKind.GOVERNING_BODY,
                                                          BodyName.valid_until.is_(None)))
    page = f"/reports/names/{current.id}"
    assert client.get(page).status_code == 200
    assert post_form(client, page, {"kind": "governing_body", "name_vi": "Sở Khoa học, Công nghệ và Đổi mới Hà Nội",
                                    "name_en": "Hà Nội Department of Science, Technology and Innovation",
                                    "valid_from": "01/03/2025", "position": "0",
                                    "version": str(current.version_id)}, token_from=page).status_code == 302
    db.session.expire_all()
    kept = Layout(client.get(f"/reports/{report.id}.vi.pdf").data, tmp_path, name="kept").bodies()
    assert kept.startswith("SỞ KHOA HỌC VÀ CÔNG NGHỆ HÀ NỘI TRUNG TÂM") and "ĐỔI MỚI" not in kept
    again = Layout(_pdf(report, "en"), tmp_path, name="again").bodies()
    assert again.startswith("HÀ NỘI DEPARTMENT OF SCIENCE AND TECHNOLOGY HÀ NỘI ICT") and "INNOVATION" not in again
    assert post_form(client, f"/reports/{report.id}/new-version", {}).status_code == 302
    latest = db.session.scalar(sa.select(PeriodicReport).order_by(PeriodicReport.id.desc()))
    assert latest.supersedes_id == report.id
    renewed = Layout(client.get(f"/reports/{latest.id}.vi.pdf").data, tmp_path, name="renewed")
    assert renewed.bodies().startswith("SỞ KHOA HỌC, CÔNG NGHỆ VÀ ĐỔI MỚI HÀ NỘI")
    renewed = renewed.flow
    assert "- Sở Khoa học và Công nghệ Hà Nội;" in renewed  # the addressee is a record of its own, not renamed


def test_the_english_pdf_through_the_web_is_english_throughout(names, login_as, make, db, tmp_path):
    """Staff working in Vietnamese download the English PDF: its fixed words are English, its narrative as
    written."""
    _figures(make)
    client, _staff = login_as(Role.STAFF)
    report = _report(make)
    db.session.commit()
    text = Layout(client.get(f"/reports/{report.id}.en.pdf").data, tmp_path, name="web-en").text
    for phrase in ("SOCIALIST REPUBLIC OF VIET NAM", "II. SHORTCOMINGS", "III. TASKS FOR THE NEXT PERIOD",
                   "IV. RECOMMENDATIONS", "Recipients:", "66.7", "Hà Nội, 10 July 2025"):
        assert phrase in text, phrase
    for vietnamese in ("Nơi nhận", "TỒN TẠI", "KIẾN NGHỊ", "Kết quả", "ngày 10", "Quý", "66,7"):
        assert vietnamese not in text, vietnamese
    assert "Đề nghị Sở bố trí thêm diện tích làm việc cho Vườn ươm." in text


def test_staff_keep_the_names_with_their_dates_and_each_change_is_audited(names, login_as, make, db):
    from incubator.audit.models import AuditEntry

    client, staff = login_as(Role.STAFF)
    listing = client.get("/reports/names").get_data(as_text=True)
    assert "Sở Thông tin và Truyền thông Hà Nội" in listing and "28/02/2025" in listing
    assert "Sở Khoa học và Công nghệ Hà Nội" in listing and "01/03/2025" in listing
    assert "Cơ quan chủ quản" in listing or "Governing body" in listing
    form = {"kind": "addressee", "name_vi": "UBND Thành phố Hà Nội (để báo cáo)",
            "name_en": "Hà Nội People's Committee (for information)", "valid_from": "01/01/2026", "position": "0"}
    assert post_form(client, "/reports/names", form, token_from="/reports/names").status_code == 302
    added = db.session.scalar(sa.select(BodyName).where(BodyName.name_vi.like("UBND%")))
    assert added.valid_from == date(2026, 1, 1) and added.valid_until is None
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "report_name.create"))
    assert entry.actor_id == staff.id and entry.object_id == str(added.id)
    # A report of 2026 is addressed to it too, in its order; one of 2025 is not.
    from incubator.reports.queries import names_in_force

    assert names_in_force(date(2026, 3, 31))["vi"]["addressees"] == [
        "UBND Thành phố Hà Nội (để báo cáo)", "Sở Khoa học và Công nghệ Hà Nội", "Lưu: VT"]
    assert "UBND Thành phố Hà Nội (để báo cáo)" not in names_in_force(date(2025, 12, 31))["vi"]["addressees"]

    # Refused: dates out of order, a name missing; the form comes back with what was typed.
    bad = post_form(client, "/reports/names", {**form, "valid_until": "31/12/2025", "name_en": ""},
                    token_from="/reports/names")
    assert bad.status_code == 400 and "UBND Thành phố Hà Nội (để báo cáo)" in bad.get_data(as_text=True)
    bad = post_form(client, f"/reports/names/{added.id}", {**form, "valid_until": "31/12/2025",
                                                           "version": str(added.version_id)},
                    token_from="/reports/names")
    assert bad.status_code == 400
    # An edit made on an old copy of the record is refused, not written over the newer one.
    stale = post_form(client, f"/reports/names/{added.id}", {**form, "version": str(added.version_id + 5)},
                      token_from="/reports/names")
    assert stale.status_code == 409
    ok = post_form(client, f"/reports/names/{added.id}", {**form, "valid_until": "31/12/2026",
                                                          "version": str(added.version_id)},
                   token_from="/reports/names")
    assert ok.status_code == 302
    db.session.expire_all()
    assert added.valid_until == date(2026, 12, 31)
    assert db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "report_name.update")) is not None
    # Officials read reports but do not keep these names.
    official, _ = login_as(Role.OFFICIAL)
    assert official.get("/reports/names").status_code == 403
    assert csrf_token(client, "/reports/names")


def test_the_migration_seeds_the_names_with_the_dates_of_the_merger(tmp_path):
    import os
    import sys

    url = f"sqlite:///{tmp_path / 'fresh.sqlite'}"  # a fresh database of its own, whatever the suite runs on
    env = {**os.environ, "INCUBATOR_DATABASE_URL": url, "INCUBATOR_INSTANCE_PATH": str(tmp_path)}
    env.pop("FLASK_DEBUG", None)
    result = subprocess.run([sys.executable, "-m", "flask", "--app", "incubator", "db", "upgrade"], env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(sa.text("SELECT kind, name_vi, name_en, valid_from, valid_until FROM report_names "
                                        "ORDER BY kind, valid_from")).all()
    finally:
        engine.dispose()
    governing = [(r.name_vi, str(r.valid_from), r.valid_until and str(r.valid_until)) for r in rows
                 if r.kind == "governing_body"]
    assert governing == [("Sở Thông tin và Truyền thông Hà Nội", "2000-01-01", "2025-02-28"),
                         ("Sở Khoa học và Công nghệ Hà Nội", "2025-03-01", None)]
    assert ("place", "Hà Nội", "Hà Nội") in {(r.kind, r.name_vi, r.name_en) for r in rows}
    assert all(r.name_en for r in rows)


def test_the_front_page_names_the_department_in_force_today(names, client):
    """The front page says who runs the incubator by the names in force today: since 01/03/2025, the
    Department of Science and Technology."""
    page = client.get("/").get_data(as_text=True)
    assert "Sở Khoa học và Công nghệ Hà Nội" in page and "Thông tin và Truyền thông Hà Nội" not in page
    assert "Trung tâm Đào tạo, tư vấn CNTT và Truyền thông Hà Nội" in page
    assert post_form(client, "/language", {"locale": "en"}, token_from="/").status_code == 302
    english = client.get("/").get_data(as_text=True)
    assert '<html lang="en">' in english
    assert "Run by the Hà Nội ICT Training and Consulting Centre, a unit of the Hà Nội Department of Science and " \
           "Technology." in english


def test_the_draft_says_what_its_empty_addressees_and_title_will_print(names, login_as, make, db):
    client, _staff = login_as(Role.STAFF)
    report = _report(make, period=("2024-Q4", date(2024, 10, 1), date(2024, 12, 31)))
    db.session.commit()
    page = client.get(f"/reports/{report.id}").get_data(as_text=True)
    assert "Sở Thông tin và Truyền thông Hà Nội; Lưu: VT" in page and "31/12/2024" in page and "Giám đốc" in page


def test_two_governing_bodies_cannot_be_in_force_on_the_same_day(names, login_as, db):
    """A second governing body over the current one is refused with the one it clashes with (the old name is
    ended first); addressees, a list, may share their days."""
    client, _staff = login_as(Role.STAFF)
    form = {"kind": "governing_body", "name_vi": "Sở Chồng Lấn", "name_en": "Overlapping Department",
            "valid_from": "01/01/2025", "position": "0"}
    refused = post_form(client, "/reports/names", form, token_from="/reports/names")
    html = refused.get_data(as_text=True)
    assert refused.status_code == 400 and "Sở Chồng Lấn" in html  # the form comes back with what was typed
    assert "Sở Thông tin và Truyền thông Hà Nội" in html and "28/02/2025" in html  # which one, and until when
    assert db.session.scalar(sa.select(BodyName).where(BodyName.name_vi == "Sở Chồng Lấn")) is None
    later = post_form(client, "/reports/names", {**form, "valid_from": "01/01/2027"}, token_from="/reports/names")
    assert later.status_code == 400 and "01/03/2025" in later.get_data(as_text=True)  # the current one, open-ended
    # Ended the day before, the current body makes room for the next.
    current = db.session.scalar(sa.select(BodyName).where(BodyName.kind == NameKind.GOVERNING_BODY,
                                                          BodyName.valid_until.is_(None)))
    page = f"/reports/names/{current.id}"
    assert post_form(client, page, {"kind": "governing_body", "name_vi": current.name_vi, "name_en": current.name_en,
                                    "valid_from": "01/03/2025", "valid_until": "31/12/2026", "position": "0",
                                    "version": str(current.version_id)}, token_from=page).status_code == 302
    assert post_form(client, "/reports/names", {**form, "valid_from": "01/01/2027"},
                     token_from="/reports/names").status_code == 302
    addressee = {"kind": "addressee", "name_vi": "Văn phòng UBND Thành phố", "name_en": "Office of the People's "
                 "Committee", "valid_from": "01/01/2025", "position": "2"}
    assert post_form(client, "/reports/names", addressee, token_from="/reports/names").status_code == 302


def test_each_chart_is_titled_above_it_on_the_page(names, make, db, tmp_path):
    """The charts' SVG titles are for screen readers: the printed report showed its charts with nothing naming
    their targets. Each is titled above it, in italics, in the PDF and on the report's page."""
    _figures(make)
    report = _report(make)
    title = "Incubated IT startups among the IT businesses in the incubator"
    pdf = Layout(_pdf(report, "en"), tmp_path, name="titled")
    assert any(text == title and italic for _page, text, _bold, italic in pdf.runs), [r for r in pdf.runs if r[3]]
    assert pdf.find(title)[0].y0 < pdf.find("target 70 %")[0].y0  # above its chart's threshold legend
