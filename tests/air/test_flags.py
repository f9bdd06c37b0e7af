"""The air store's data flags: HJ 212's letters come from the standard (one definition), the
review flags are the store's own."""

from django.utils import translation

from gongjian.air.models import Flag


def test_flag_choices_are_hj212_letters_then_review_flags():
    assert Flag.values == ["N", "F", "M", "S", "D", "C", "T", "B", "valid", "invalid", "calibration", "maintenance",
                           "suspect"]
    assert Flag.NORMAL == "N" and Flag.HJ212_MAINTENANCE == "M" and Flag.MAINTENANCE == "maintenance"


def test_hj212_flags_are_shown_translated():
    with translation.override("zh-hans"):
        assert str(Flag.STOPPED.label) == "停运" and str(Flag.NORMAL.label) == "正常"
    assert str(Flag.STOPPED.label) == "instrument stopped"
