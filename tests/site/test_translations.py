"""The Chinese catalogue is complete and holds no fuzzy guesses (gettext's fuzzy matching once
translated 导入小时数据 as 尚无小时数据); the compiled catalogue matches it."""

import re
from pathlib import Path

PO = Path(__file__).resolve().parents[2] / "src" / "gongjian" / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def _entries():
    for block in PO.read_text(encoding="utf-8").split("\n\n")[1:]:  # the first block is the header
        if block.lstrip().startswith("#~"):
            continue  # obsolete
        head = block.split("msgstr")[0].split("msgid_plural")[0]
        msgid = "".join(re.findall(r'^msgid "(.*)"$', head, re.M) + re.findall(r'^"(.*)"$', head, re.M))
        strings = re.findall(r'^msgstr(?:\[\d\])? "(.*)"$', block, re.M)
        continuation = re.findall(r'^"(.*)"$', block.split("msgstr", 1)[1], re.M) if "msgstr" in block else []
        yield msgid, block, "".join(strings) + "".join(continuation)


def test_no_fuzzy_and_no_missing_translation():
    fuzzy = [m for m, block, _ in _entries() if "#, fuzzy" in block or ", fuzzy" in block]
    missing = [m for m, _, translated in _entries() if not translated]
    assert not fuzzy, f"fuzzy (guessed) translations: {fuzzy}"
    assert not missing, f"untranslated: {missing}"


def test_compiled_catalogue_is_current():
    """Every simple entry translates through the compiled .mo as the .po says (`make messages` was run)."""
    import gettext

    with open(PO.with_suffix(".mo"), "rb") as fh:
        catalogue = gettext.GNUTranslations(fh)
    def compiled(message: str, block: str) -> str:
        context = re.search(r'^msgctxt "(.*)"$', block, re.M)
        message = message.replace('\\"', '"')
        return catalogue.pgettext(context.group(1), message) if context else catalogue.gettext(message)

    stale = [m for m, block, translated in _entries()
             if "msgid_plural" not in block and m and "\\" not in m and "\\" not in translated
             and compiled(m, block) != translated.replace('\\"', '"')]
    assert not stale, f"compiled catalogue out of date for: {stale[:5]}"
