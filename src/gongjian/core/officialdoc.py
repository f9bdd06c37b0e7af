"""The layout of every Word document the platform writes, after GB/T 9704-2012 《党政机关公文格式》
(the layout of Party and government official documents). One home for its numbers, so that a
bulletin, a notice and a report look alike and as an office's own documents do.

The numbers, with the clauses they come from:

* paper A4, 210 mm × 297 mm (§5.1);
* top margin (天头) 37 mm ± 1 mm, left margin (订口) 28 mm ± 1 mm, type area (版心) 156 mm × 225 mm
  (§5.2.1), which leaves 35 mm at the bottom and 26 mm on the right;
* every element in 3号仿宋 (16 pt FangSong) unless stated otherwise (§5.2.2), 22 lines of 28
  characters filling the type area (§5.2.3), text in black (§5.2.4): the document grid here is 22
  lines of 28 characters;
* the issuing organ's mark (发文机关标志) in 小标宋 and red (§7.2.4); the document number (发文字号,
  e.g. 郑攻坚办〔2020〕12号: year in 〔〕, the sequence without leading zeros or 第, §7.2.5) or, for a
  bulletin, its issue number (第 N 期), centred under it; a red separator line as wide as the type
  area under that (§7.2.7);
* the title in 2号小标宋 (22 pt), centred (§7.3.1); the body in 3号仿宋, each paragraph indented
  two characters (§7.3.3); first-level headings 3号黑体, second-level 3号楷体 (§7.3.3);
* the issuing organ's name and the date under the body, the date in Arabic numerals with the year
  in full and no leading zeros, 2020年12月31日 (§7.3.5.2, §7.3.5.4);
* page numbers in 4号 (14 pt) half-width 宋体 Arabic numerals between two em dashes, "— 1 —", 7 mm
  below the type area: odd pages at the right one character in, even pages at the left one
  character in (§7.5);
* tables across the type area (§8).

Fonts are named, not embedded (a document that embeds 方正小标宋 may not be redistributed): each run
names its Chinese font in the ``eastAsia`` attribute (仿宋, 黑体, 楷体, 宋体, 方正小标宋简体, the
fonts an office's Windows has) and Times New Roman for Latin letters and digits.
"""

from __future__ import annotations

import datetime as dt
import io

import docx
from django.http import HttpResponse
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

__all__ = ["BOTTOM", "DOCX", "LEFT", "PAGE_HEIGHT", "PAGE_WIDTH", "RIGHT", "TOP", "OfficialDocument",
           "chinese_date", "issue_number"]

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# §5.1 and §5.2.1, in millimetres
PAGE_WIDTH, PAGE_HEIGHT = 210, 297
TOP, LEFT = 37, 28
TYPE_WIDTH, TYPE_HEIGHT = 156, 225
BOTTOM, RIGHT = PAGE_HEIGHT - TOP - TYPE_HEIGHT, PAGE_WIDTH - LEFT - TYPE_WIDTH  # 35, 26
# §5.2.3
LINES, CHARACTERS = 22, 28
# font sizes in points: 2号 and 3号 (§7.3.1, §5.2.2), 4号 (§7.5)
SIZE_2, SIZE_3, SIZE_4 = 22, 16, 14
#: §7.5: the page number's dashes stand 7 mm below the type area.
PAGE_NUMBER_GAP = 7

FANGSONG, HEITI, KAITI, SONGTI, XIAOBIAOSONG = "仿宋", "黑体", "楷体", "宋体", "方正小标宋简体"
LATIN = "Times New Roman"
RED = "FF0000"


def chinese_date(day: dt.date) -> str:
    """A date as §7.3.5.4 writes it: Arabic numerals, the year in full, no leading zeros."""
    return f"{day.year}年{day.month}月{day.day}日"


def issue_number(year: int, number: int) -> str:
    """A bulletin's issue number, counted per issuing office and year: 2021年第3期."""
    return f"{year}年第{number}期"


def _fonts(run_or_style, east_asia: str, size: float | None = None, bold: bool = False, colour: str = "") -> None:
    """Name the Latin and the Chinese font (``eastAsia``), the size, weight and colour."""
    font = run_or_style.font
    font.name = LATIN
    font.bold = bold
    if size is not None:
        font.size = Pt(size)
    if colour:
        font.color.rgb = RGBColor.from_string(colour)
    properties = run_or_style.element.get_or_add_rPr()
    properties.get_or_add_rFonts().set(qn("w:eastAsia"), east_asia)


def _field(paragraph, instruction: str) -> None:
    """A Word field (``PAGE``) as begin, instruction, separator, placeholder and end runs."""

    def part(kind: str):
        run = paragraph.add_run()
        _fonts(run, SONGTI, SIZE_4)
        if kind == "instr":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = f" {instruction} "
        else:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        run._r.append(element)
        return run

    for kind in ("begin", "instr", "separate"):
        part(kind)
    placeholder = paragraph.add_run("1")
    _fonts(placeholder, SONGTI, SIZE_4)
    part("end")


def _page_number(footer, align) -> None:
    """The page number, "— N —", one character in from the outer edge (§7.5)."""
    paragraph = footer.paragraphs[0]
    paragraph.alignment = align
    paragraph.paragraph_format.left_indent = paragraph.paragraph_format.right_indent = Pt(SIZE_4)
    for text in ("— ", None, " —"):
        if text is None:
            _field(paragraph, "PAGE")
        else:
            _fonts(paragraph.add_run(text), SONGTI, SIZE_4)


def _grid(section) -> None:
    """The document grid of §5.2.3: 22 lines a page and 28 characters a line over the type area.
    ``linePitch`` is in twentieths of a point; ``charSpace`` is how much each character's pitch
    differs from the 3号 size, in 4096ths of a point (ECMA-376 §17.6.5)."""
    type_width_pt, type_height_pt = TYPE_WIDTH * 72 / 25.4, TYPE_HEIGHT * 72 / 25.4
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(int(type_height_pt / LINES * 20)))
    grid.set(qn("w:charSpace"), str(round((type_width_pt / CHARACTERS - SIZE_3) * 4096)))


class OfficialDocument:
    """A Word document laid out after GB/T 9704-2012: :meth:`issue_head`, :meth:`title`, then
    :meth:`heading`, :meth:`paragraph` and :meth:`table`, :meth:`signature`, then :meth:`response`."""
    def __init__(self) -> None:

        self.document = docx.Document()
        section = self.document.sections[0]
        section.page_width, section.page_height = Mm(PAGE_WIDTH), Mm(PAGE_HEIGHT)
        section.top_margin, section.bottom_margin = Mm(TOP), Mm(BOTTOM)
        section.left_margin, section.right_margin = Mm(LEFT), Mm(RIGHT)
        section.header_distance = Mm(TOP / 2)
        # the footer's line of 4号 type ends this far above the page's edge, so its top is 7 mm under the type area
        section.footer_distance = Mm(BOTTOM - PAGE_NUMBER_GAP) - Pt(SIZE_4)
        _grid(section)
        normal = self.document.styles["Normal"]
        _fonts(normal, FANGSONG, SIZE_3)
        normal.paragraph_format.space_before = normal.paragraph_format.space_after = Pt(0)
        self.document.settings.odd_and_even_pages_header_footer = True
        _page_number(section.footer, WD_ALIGN_PARAGRAPH.RIGHT)
        _page_number(section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)

    def _line(self, text: str, east_asia: str = FANGSONG, size: float = SIZE_3, align=None, bold=False,
              colour: str = "", indent: bool = False):

        paragraph = self.document.add_paragraph()
        if align is not None:
            paragraph.alignment = align
        if indent:
            paragraph.paragraph_format.first_line_indent = Pt(2 * SIZE_3)
        _fonts(paragraph.add_run(text), east_asia, size, bold, colour)
        return paragraph

    def issue_head(self, organ: str, number: str) -> None:
        """The issuing organ's mark in red 小标宋 (§7.2.4), the document or issue number centred under
        it (§7.2.5) and the red separator line across the type area (§7.2.7)."""
        self._line(organ, XIAOBIAOSONG, SIZE_2 + 4, WD_ALIGN_PARAGRAPH.CENTER, colour=RED)
        self.document.add_paragraph()
        line = self._line(number, align=WD_ALIGN_PARAGRAPH.CENTER)
        borders = OxmlElement("w:pBdr")
        bottom = OxmlElement("w:bottom")
        for key, value in (("val", "single"), ("sz", "12"), ("space", "11"), ("color", RED)):
            bottom.set(qn(f"w:{key}"), value)
        borders.append(bottom)
        line._p.get_or_add_pPr().append(borders)
        self.document.add_paragraph()

    def title(self, text: str) -> None:
        """The title in 2号小标宋, centred, a blank line under it (§7.3.1)."""
        self._line(text, XIAOBIAOSONG, SIZE_2, WD_ALIGN_PARAGRAPH.CENTER)
        self.document.add_paragraph()

    def heading(self, text: str, level: int = 1) -> None:
        """A heading: 3号黑体 at the first level, 3号楷体 at the second (§7.3.3)."""
        self._line(text, HEITI if level == 1 else KAITI, indent=True)

    def paragraph(self, text: str) -> None:
        """A body paragraph in 3号仿宋, indented two characters (§7.3.3)."""
        self._line(text, indent=True)

    def table(self, headers: list[str], rows: list[list[str]]) -> None:
        """A table across the type area (§8), in 4号仿宋 so that its columns fit, the header in 黑体."""
        table = self.document.add_table(rows=1, cols=len(headers))
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, headers, strict=True):
            cell.text = ""
            _fonts(cell.paragraphs[0].add_run(text), HEITI, SIZE_4)
        for row in rows:
            for cell, text in zip(table.add_row().cells, row, strict=True):
                cell.text = ""
                _fonts(cell.paragraphs[0].add_run(text), FANGSONG, SIZE_4)

    def signature(self, organ: str, day: dt.date) -> None:
        """The issuing organ's name and, under it, the date (§7.3.5.2), right-aligned with two
        characters' margin."""
        self.document.add_paragraph()
        for text in (organ, chinese_date(day)):
            paragraph = self._line(text, align=WD_ALIGN_PARAGRAPH.RIGHT)
            paragraph.paragraph_format.right_indent = Pt(2 * SIZE_3)

    def response(self, name: str) -> HttpResponse:
        """The document as a download named ``name``."""
        buffer = io.BytesIO()
        self.document.save(buffer)
        response = HttpResponse(buffer.getvalue(), content_type=DOCX)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
