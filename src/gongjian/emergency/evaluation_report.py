"""The episode evaluation as documents: Word after GB/T 9704 (:mod:`gongjian.core.officialdoc`) and
PDF (reportlab, its built-in CID font STSong-Light for Chinese, so that no font file is shipped and
any PDF reader shows it with its own Song typeface), both downloads carrying the same figures as the
page, with the chart of the daily series."""

from __future__ import annotations

import io

from django.http import HttpResponse
from django.utils.translation import gettext as _

from gongjian import clock
from gongjian.core.officialdoc import OfficialDocument

from .evaluation import POLLUTANTS, assumptions, sentence
from .models import EpisodeEvaluation, Level

__all__ = ["pdf_response", "tables", "title", "word_response"]


def title(evaluation: EpisodeEvaluation) -> str:
    result = evaluation.result
    return _("%(region)s: evaluation of the %(level)s warning of %(start)s") % {
        "region": result["region"], "level": Level(result["level"]).label, "start": result["window"][0][:10]}


def _n(value, places: int = 1) -> str:
    return "—" if value is None else f"{value:.{places}f}"


def tables(evaluation: EpisodeEvaluation) -> dict[str, tuple[list[str], list[list[str]]]]:
    """The region's figures per pollutant, each station's PM2.5 and the daily series, as headers and
    rows of text."""
    result = evaluation.result
    band = _("band (%(coverage)s)") % {"coverage": f"{result['band_level']:.0%}"}
    head = [_("observed mean"), _("expected mean"), _("observed − expected"), band, _("R² (out of sample)")]

    def cells(f):
        if f is None:
            return ["—"] * 5
        return [_n(f["observed"]), _n(f["expected"]), _n(f["difference"]), f"{_n(f['lower'])} – {_n(f['upper'])}",
                _n(f["r2"], 2)]

    region = ([_("pollutant")] + head,
              [[f"{POLLUTANTS[p][0]} ({POLLUTANTS[p][1]})", *cells(f)] for p, f in result["pollutants"].items()])
    stations = ([_("station")] + head, [[s["name"], *cells(s["pm25"])] for s in result["stations"]])
    series = result["series"].get("pm25", [])
    daily = ([_("day"), _("observed PM2.5"), _("expected PM2.5")],
             [[d["date"], _n(d["observed"]), _n(d["expected"])] for d in series])
    return {"region": region, "stations": stations, "daily": daily}


def word_response(evaluation: EpisodeEvaluation, organ: str, name: str) -> HttpResponse:
    document = OfficialDocument()
    document.title(title(evaluation))
    document.paragraph(sentence(evaluation))
    parts = tables(evaluation)
    for heading, key in ((_("1. The region"), "region"), (_("2. PM2.5 per station"), "stations"),
                         (_("3. PM2.5 per day"), "daily")):
        document.heading(heading)
        document.table(*parts[key])
    document.heading(_("4. Assumptions"))
    for text in assumptions(evaluation):
        document.paragraph(text)
    document.signature(organ, clock.day_of(evaluation.computed_at))
    return document.response(name)


def _chart(evaluation: EpisodeEvaluation):
    from reportlab.graphics.charts.legends import Legend
    from reportlab.graphics.charts.lineplots import LinePlot
    from reportlab.graphics.shapes import Drawing
    from reportlab.lib import colors

    series = evaluation.result["series"].get("pm25", [])
    if len(series) < 2:
        return None
    drawing = Drawing(460, 200)
    plot = LinePlot()
    plot.x, plot.y, plot.width, plot.height = 40, 30, 400, 140
    observed = [(i, d["observed"]) for i, d in enumerate(series) if d["observed"] is not None]
    expected = [(i, d["expected"]) for i, d in enumerate(series)]
    plot.data = [observed, expected]
    plot.lines[0].strokeColor, plot.lines[1].strokeColor = colors.HexColor("#1f2933"), colors.HexColor("#2f6fdf")
    plot.lines[1].strokeDashArray = (4, 2)
    plot.xValueAxis.valueMin, plot.xValueAxis.valueMax = 0, len(series) - 1
    plot.xValueAxis.valueSteps = list(range(len(series)))
    plot.xValueAxis.labelTextFormat = lambda i: series[int(i)]["date"][5:]
    plot.xValueAxis.labels.fontSize = plot.yValueAxis.labels.fontSize = 7
    plot.yValueAxis.valueMin = 0
    drawing.add(plot)
    legend = Legend()
    legend.x, legend.y, legend.fontName, legend.fontSize = 40, 195, "STSong-Light", 8
    legend.alignment, legend.columnMaximum = "right", 1
    legend.colorNamePairs = [(colors.HexColor("#1f2933"), _("observed PM2.5")),
                             (colors.HexColor("#2f6fdf"), _("expected PM2.5 (weather alone)"))]
    drawing.add(legend)
    return drawing


def pdf_response(evaluation: EpisodeEvaluation, organ: str, name: str) -> HttpResponse:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    body = ParagraphStyle("body", fontName="STSong-Light", fontSize=11, leading=17, wordWrap="CJK")
    heading = ParagraphStyle("heading", parent=body, fontSize=13, leading=20, spaceBefore=8)
    big = ParagraphStyle("title", parent=body, fontSize=17, leading=24, alignment=1, spaceAfter=10)
    cell = ParagraphStyle("cell", parent=body, fontSize=8.5, leading=11)
    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=25 * mm, rightMargin=25 * mm, topMargin=25 * mm,
                                 bottomMargin=25 * mm, title=title(evaluation))
    story = [Paragraph(title(evaluation), big), Paragraph(sentence(evaluation), body)]
    chart = _chart(evaluation)
    if chart is not None:
        story += [Spacer(1, 4 * mm), chart]
    parts = tables(evaluation)
    for text, key in ((_("1. The region"), "region"), (_("2. PM2.5 per station"), "stations"),
                      (_("3. PM2.5 per day"), "daily")):
        headers, rows = parts[key]
        table = Table([[Paragraph(c, cell) for c in headers], *[[Paragraph(c, cell) for c in r] for r in rows]],
                      repeatRows=1)
        table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                                   ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef2f7"))]))
        story += [Paragraph(text, heading), table]
    story.append(Paragraph(_("4. Assumptions"), heading))
    story += [Paragraph(text, body) for text in assumptions(evaluation)]
    story += [Spacer(1, 8 * mm), Paragraph(f"{organ}　{clock.day_of(evaluation.computed_at):%Y-%m-%d}", body)]
    document.build(story)
    response = HttpResponse(buffer.getvalue(), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
