"""New samples, whoever brings them, recompute the touched section-months (stored with their inputs'
version) and raise or close the below-target alarms; each expected class is worked out by hand here
from GB 3838-2002 Table 1 and 环办〔2011〕22号, independently of the code."""

import datetime as dt

import pytest
from django.utils import translation

from gongjian.water import services
from gongjian.water.models import SampleCorrection, SectionMonth, SectionTarget, WaterAlarm
from tests.water.fixtures import MARCH, write

pytestmark = pytest.mark.django_db


def _month(section, month=dt.date(2026, 3, 1)) -> SectionMonth:
    return SectionMonth.objects.get(section=section, month=month)


def test_a_month_below_its_target_is_stored_with_its_multiples_and_raises_one_alarm(
        sections, django_capture_on_commit_callbacks):
    a = sections["a"]
    with django_capture_on_commit_callbacks(execute=True):
        # NH3-N 1.2 and 1.4: mean 1.3 > 1.0 (Ⅲ) and ≤ 1.5 (Ⅳ); TP 0.1 ≤ 0.1 (Ⅱ); CODMn 5 ≤ 6 (Ⅲ);
        # DO 6.5 ≥ 6 (Ⅱ); water temperature and faecal coliform stay out of the class.
        write(a, [("nh3n", MARCH, 1.2), ("nh3n", MARCH + dt.timedelta(days=14), 1.4), ("tp", MARCH, 0.1),
                  ("codmn", MARCH, 5.0), ("do", MARCH, 6.5), ("water_temperature", MARCH, 30.0),
                  ("fecal_coliform", MARCH, 90000.0)])
    month = _month(a)
    assert (month.water_class, month.deciding, month.target_class, month.meets_target) == (4, ["nh3n"], 3, False)
    assert month.items_above == {"nh3n": pytest.approx(0.3)}  # (1.3 - 1.0) / 1.0
    assert month.samples == 7 and len(month.inputs_version) == 64
    alarm = WaterAlarm.objects.get()
    assert (alarm.kind, alarm.section, alarm.region, alarm.status) == ("section_below_target", a, a.region, "open")
    assert "Ⅳ" in alarm.evidence and "Ⅲ" in alarm.evidence and "氨氮" in alarm.evidence and "2026年3月" in alarm.evidence
    with django_capture_on_commit_callbacks(execute=True):  # the same data again: the same alarm, the same month
        write(a, [("nh3n", MARCH, 1.2)])
    assert WaterAlarm.objects.count() == 1 and _month(a).computed_at == month.computed_at


def test_a_corrected_sample_brings_the_month_back_to_its_target_and_closes_the_alarm(
        sections, django_capture_on_commit_callbacks):
    a = sections["a"]
    with django_capture_on_commit_callbacks(execute=True):
        write(a, [("nh3n", MARCH, 1.2), ("nh3n", MARCH + dt.timedelta(days=14), 1.4)])
    with django_capture_on_commit_callbacks(execute=True):
        write(a, [("nh3n", MARCH + dt.timedelta(days=14), 0.8)])  # mean 1.0: Ⅲ exactly, the limit is met
    month = _month(a)
    assert (month.water_class, month.meets_target, month.items_above) == (3, True, {})
    assert WaterAlarm.objects.get().status == "closed"


def test_no_target_is_no_target_never_class_iii(sections, django_capture_on_commit_callbacks):
    lake = sections["lake"]
    with django_capture_on_commit_callbacks(execute=True):
        write(lake, [("nh3n", MARCH, 1.9)])  # Ⅴ
    month = _month(lake)
    assert (month.water_class, month.target_class, month.meets_target, month.items_above) == (5, None, None, {})
    assert not WaterAlarm.objects.exists()


def test_a_value_below_the_detection_limit_enters_as_half_the_limit(sections, django_capture_on_commit_callbacks):
    """Reservoir TP: 0.05 is class Ⅲ (lake limit Ⅲ 0.05); below a 0.05 detection limit it enters as
    0.025, class Ⅱ (lake limit Ⅱ 0.025): 环办监测函〔2020〕82号 point 7."""
    lake = sections["lake"]
    with django_capture_on_commit_callbacks(execute=True):
        write(lake, [("tp", MARCH, 0.05, True)])
        write(lake, [("tp", MARCH.replace(month=4), 0.05, False)])
    assert _month(lake).water_class == 2 and _month(lake, dt.date(2026, 4, 1)).water_class == 3


def test_a_target_set_later_judges_the_stored_months_again(sections, django_capture_on_commit_callbacks):
    lake = sections["lake"]
    with django_capture_on_commit_callbacks(execute=True):
        write(lake, [("nh3n", MARCH, 1.9)])
    with django_capture_on_commit_callbacks(execute=True):
        SectionTarget.objects.create(section=lake, year=2026, target_class=4)
    month = _month(lake)
    assert (month.target_class, month.meets_target, month.items_above) == (4, False, {"nh3n": pytest.approx(0.4 / 1.5)})  # (1.9 - 1.5) / 1.5
    assert WaterAlarm.objects.get().section == lake


def test_a_reviewer_flags_a_sample_invalid_with_who_and_why_and_the_month_follows(
        world, sections, django_capture_on_commit_callbacks):
    a = sections["a"]
    with django_capture_on_commit_callbacks(execute=True):
        write(a, [("nh3n", MARCH, 0.9), ("nh3n", MARCH + dt.timedelta(days=14), 2.5)])  # mean 1.7: Ⅴ
    assert _month(a).water_class == 5
    office = world.people["county_a_office"]
    with django_capture_on_commit_callbacks(execute=True):
        changed = services.flag_samples(a, "nh3n", [MARCH + dt.timedelta(days=14)], "invalid", "瓶子污染", office)
    assert changed == 1 and _month(a).water_class == 3  # 0.9 alone: > 0.5 (Ⅱ), ≤ 1.0 (Ⅲ)
    correction = SampleCorrection.objects.get()
    assert (correction.old_flag, correction.new_flag, correction.changed_by, correction.reason) == (
        "valid", "invalid", office, "瓶子污染")
    assert services.samples_frame([a.pk], None, None)["flag"].to_list() == ["valid", "invalid"]


def test_the_evidence_is_stored_in_chinese_whatever_language_is_active(sections, django_capture_on_commit_callbacks):
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        write(sections["a"], [("nh3n", MARCH, 1.6)])
    assert "未达到" in WaterAlarm.objects.get().evidence or "低于" in WaterAlarm.objects.get().evidence


def test_the_quality_control_parameters_come_from_the_settings(settings):
    from gongjian.water.handlers import qc_thresholds

    assert qc_thresholds().flat_default == 24 and qc_thresholds().spike_floor["nh3n"] == 1.0  # NH3-N Ⅲ
    settings.GONGJIAN_WATER_QC = {"flat_default": 6, "spike_ratio": 4}
    assert (qc_thresholds().flat_default, qc_thresholds().spike_ratio) == (6, 4)
    settings.GONGJIAN_WATER_QC = {"flat": 6}
    with pytest.raises(ValueError, match="flat"):
        qc_thresholds()
