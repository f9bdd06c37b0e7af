"""The bulletin in Word after GB/T 9704-2012, read back with python-docx: A4, the margins within the
standard's tolerance, the fonts named for Chinese, the issue number (期号) of its publication, and
the page number field in the footers; published issues are numbered per office and year and never
change."""

import datetime as dt
import io
from zoneinfo import ZoneInfo

import docx
import pytest
from docx.oxml.ns import qn

from gongjian import clock
from gongjian.core.officialdoc import chinese_date
from gongjian.periods import Period, PeriodKind
from gongjian.tasks import bulletins, importing, tracking
from gongjian.tasks.models import BulletinIssue
from tests.tasks.test_ledger import PLAN

BJ = ZoneInfo("Asia/Shanghai")
APRIL = Period.containing(PeriodKind.MONTH, dt.date(2021, 4, 7))


@pytest.fixture
def ledger(world):
    office = world.people["city_office"]
    with clock.as_of(dt.datetime(2021, 3, 1, 9, tzinfo=BJ)):
        plan = importing.adopt(importing.propose(PLAN, "plan.txt", world.regions["city"], office), office)
    with clock.as_of(dt.datetime(2021, 4, 6, 9, tzinfo=BJ)):
        tracking.report_progress(plan.tasks.get(number="3"), world.people["town_a1_gov"], "已排查", 50)
    return plan


def _word(response) -> docx.document.Document:
    assert response.status_code == 200 and response["Content-Type"].endswith("wordprocessingml.document")
    return docx.Document(io.BytesIO(response.content))


def _text(document) -> str:
    return "\n".join(p.text for p in document.paragraphs)


def test_layout_is_gb_t_9704(world, ledger, client):
    client.force_login(world.people["city_office"])
    document = _word(client.get("/tasks/bulletin/", {"kind": "monthly", "date": "2021-04-07", "format": "docx"}))
    section = document.sections[0]
    assert (section.page_width.mm, section.page_height.mm) == (pytest.approx(210, abs=0.1), pytest.approx(297, abs=0.1))  # A4 (§5.1)
    for margin, expected in ((section.top_margin, 37), (section.left_margin, 28), (section.bottom_margin, 35),
                             (section.right_margin, 26)):
        assert abs(margin.mm - expected) <= 1  # §5.2.1, ± 1 mm
    assert section.page_width.mm - section.left_margin.mm - section.right_margin.mm == pytest.approx(156, abs=0.1)
    assert section.page_height.mm - section.top_margin.mm - section.bottom_margin.mm == pytest.approx(225, abs=0.1)
    grid = section._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "linesAndChars" and 22 * int(grid.get(qn("w:linePitch"))) / 20 <= 225 / 25.4 * 72
    normal = document.styles["Normal"]
    assert normal.font.size.pt == 16 and normal.element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋"  # 3号仿宋 (§5.2.2)
    head = document.paragraphs[0]
    assert head.text == "郑州市攻坚办" and head.runs[0].font.color.rgb == docx.shared.RGBColor(0xFF, 0, 0)  # §7.2.4
    assert head.runs[0]._r.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    text = _text(document)
    assert "草稿" in text  # not published: no issue number
    assert "月通报（2021年4月1日至2021年4月30日）" in text and "逾期节点1个" in text
    assert document.paragraphs[-1].text == chinese_date(clock.today())  # the date as §7.3.5.4 writes it
    assert document.tables[0].rows[1].cells[0].text == "3"
    assert document.settings.odd_and_even_pages_header_footer
    for footer in (section.footer, section.even_page_footer):  # "— 1 —" with a PAGE field (§7.5)
        xml = footer._element.xml
        assert "PAGE" in xml and "— " in footer.paragraphs[0].text and " —" in footer.paragraphs[0].text
        assert footer.paragraphs[0].runs[0].font.size.pt == 14
    assert section.footer.paragraphs[0].alignment == docx.enum.text.WD_ALIGN_PARAGRAPH.RIGHT
    assert section.even_page_footer.paragraphs[0].alignment == docx.enum.text.WD_ALIGN_PARAGRAPH.LEFT


def test_publishing_numbers_issues_per_office_and_year_and_keeps_them(world, ledger, client):
    office = world.people["city_office"]
    client.force_login(office)
    with clock.as_of(dt.datetime(2021, 5, 6, 9, tzinfo=BJ)):
        response = client.post("/tasks/bulletin/", {"kind": "monthly", "date": "2021-04-07"})
        assert response.status_code == 302
        client.post("/tasks/bulletin/", {"kind": "weekly", "date": "2021-04-07"})  # its own series
        again = bulletins.publish(office, APRIL)  # a correction: the next number
        other = bulletins.publish(world.people["county_a_office"], APRIL)  # another office counts its own
    first = BulletinIssue.objects.get(kind="monthly", issuer="郑州市攻坚办", number=1)
    assert (again.number, other.number, other.issuer) == (2, 1, "中牟县攻坚办")
    assert BulletinIssue.objects.get(kind="weekly").number == 1
    page = client.get("/tasks/bulletin/", {"kind": "monthly", "date": "2021-04-07"}).content.decode()
    assert "2021年第1期" in page and "2021年第2期" in page
    document = _word(client.get("/tasks/bulletin/", {"kind": "monthly", "date": "2021-04-07", "format": "docx",
                                                     "issue": first.pk}))
    text = _text(document)
    assert "2021年第1期" in text and "草稿" not in text and text.endswith("2021年5月6日")
    assert first.content["summary"]["reports"] == 1
    with pytest.raises(ValueError):
        first.save()
    # the city's issue holds every county's detail: another county sees neither it nor county A's
    client.force_login(world.people["county_b_office"])
    visible = client.get("/tasks/bulletin/", {"kind": "monthly", "date": "2021-04-07"}).context["issues"]
    assert not list(visible)
    assert client.get("/tasks/bulletin/", {"kind": "monthly", "date": "2021-04-07", "format": "docx",
                                           "issue": first.pk}).status_code == 404
    assert client.get("/tasks/bulletin/", {"kind": "monthly", "date": "2021-04-07", "format": "docx",
                                           "issue": other.pk}).status_code == 404
