"""Finding English a Chinese reader would meet on a page: the check behind the every-page tests.

A page in Chinese may still hold Latin letters that are not untranslated text: pollutant and
standard codes (PM2.5, HJ 633, AQI: capitals and digits, which the word pattern below does not
take), units, file formats, the product's name, the language menu's "English", and text a page
marks as literal with the HTML ``translate="no"`` attribute or writes as ``<code>``/``<kbd>``/
``<samp>`` (a column header a file may carry, a user name, a device code). Anything else that reads
as an English word is reported with the place it was found.

Chart labels are drawn on a canvas, so the charts' specifications (``json_script`` blocks) are read
too: every string an axis, legend, series or title shows.
"""

from __future__ import annotations

import json
import re

from lxml import html as lxml_html

#: A lower-case word of three letters or more, or a capitalised one ("Submitted", "by"): an English
#: word; acronyms and codes (AQI, PM2.5, SO2, HJ) do not match.
WORD = re.compile(r"(?<![A-Za-z0-9_./-])[A-Za-z][a-z]{2,}(?![A-Za-z0-9_])")

#: Latin words that belong on a Chinese page.
ALLOWED = frozenset({
    "gongjian", "English",                              # the product; the language menu
    "csv", "xlsx", "xlsm", "xls", "docx", "txt", "pdf", "zip", "json", "geojson",  # file formats
    "Excel", "Word", "WPS",                             # the programs offices open them in
    "htmx",
    # methods, software and authors a page cites by name (Grange & Carslaw 2019, Theil-Sen, openair)
    "rmweather", "openair", "strucchange", "AQEval", "normet", "Grange", "Carslaw", "Theil", "Sen",
})

#: Elements whose text is literal, not prose.
_LITERAL = "//script | //style | //code | //kbd | //samp | //pre | //body//*[@translate='no'] | //body//*[@lang='en']"
#: Attributes a person reads.
_READ_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt")
#: Keys of a chart specification whose string values are shown.
_SHOWN_KEYS = frozenset({"name", "text", "subtext", "data", "formatter"})


def english_words(text: str) -> list[str]:
    return [w for w in WORD.findall(text) if w not in ALLOWED]


def _chart_strings(spec, key: str = "") -> list[str]:
    if isinstance(spec, dict):
        return [s for k, v in spec.items() for s in _chart_strings(v, k)]
    if isinstance(spec, list):
        return [s for item in spec for s in _chart_strings(item, key)]
    return [spec] if isinstance(spec, str) and key in _SHOWN_KEYS else []


def untranslated(page_html: str) -> list[str]:
    """Each English word a reader of ``page_html`` meets, with where: ``"text: Submitted"``,
    ``"title attribute: Planned"``, ``"chart series-chart: composite_index"``."""
    doc = lxml_html.fromstring(page_html)
    found = []
    for script in doc.xpath("//script[@type='application/json']"):
        try:
            spec = json.loads(script.text or "null")
        except ValueError:
            continue
        for text in _chart_strings(spec):
            found += [f"chart {script.get('id')}: {w}" for w in english_words(text.replace("_", " "))]
    for element in doc.xpath(_LITERAL):
        element.drop_tree()
    body = doc.find("body") if doc.find("body") is not None else doc
    found += [f"text: {w}" for w in english_words(" ".join(body.xpath(".//text()")))]
    for name in _READ_ATTRIBUTES:
        for value in body.xpath(f".//@{name}"):
            found += [f"{name} attribute: {w}" for w in english_words(value)]
    for value in body.xpath(".//input[@type='submit' or @type='button']/@value"):
        found += [f"button: {w}" for w in english_words(value)]
    return found
