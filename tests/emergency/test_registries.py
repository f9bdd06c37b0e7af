"""The emergency app's registries through the generic registry tests (tests/registry_cases.py)."""

import datetime as dt

from gongjian.emergency.models import Measure, ReductionList, WarningEpisode, WarningStandard
from tests.registry_cases import RegistryTests


class TestWarningStandard(RegistryTests):
    model = WarningStandard
    new = {"name": "新标准"}
    changes = {"yellow_days": 3}
    invalid = {"yellow_days": "two"}
    csv_rows = [{"name": "标准一"}, {"name": "标准二"}]
    csv_invalid = {"valid_from": "soon"}

    def protect(self, w, record):
        return WarningEpisode.objects.create(region=record.region, level="orange", status="lifted", standard=record,
                                             started_at=dt.datetime(2020, 1, 14, 20, tzinfo=dt.UTC))


class TestReductionList(RegistryTests):
    model = ReductionList


class TestMeasure(RegistryTests):
    model = Measure
    new = {"note": "新措施"}
    changes = {"note": "停止生产"}
    invalid = {"level": "purple"}
    csv_rows = [{"note": "措施一"}, {"note": "措施二"}]
    csv_invalid = {"load_percent": "half"}


class TestWarningEpisode(RegistryTests):
    model = WarningEpisode
