"""The task ledger's registries through the generic registry tests (tests/registry_cases.py)."""

from gongjian.tasks.models import AccountabilityRule, Indicator, Plan
from tests.registry_cases import RegistryTests


class TestPlan(RegistryTests):
    model = Plan
    new = {"title": "新方案"}
    changes = {"title": "中牟县大气污染防治方案"}
    invalid = {"first_year": "next"}
    csv_rows = [{"title": "方案一"}, {"title": "方案二"}]
    csv_invalid = {"first_year": "next"}


class TestIndicator(RegistryTests):
    model = Indicator
    new = {"name": "PM2.5平均浓度"}
    changes = {"target": "≥70"}
    invalid = {"kind": "mandatory"}
    csv_rows = [{"name": "重污染天数"}, {"name": "臭氧浓度"}]
    csv_invalid = {"kind": "mandatory"}


class TestAccountabilityRule(RegistryTests):
    model = AccountabilityRule
    new = {"name": "新规则"}
    changes = {"consequence": "问责"}
    invalid = {"months": "few"}
    csv_rows = [{"name": "规则一"}, {"name": "规则二"}]
    csv_invalid = {"months": "few"}
