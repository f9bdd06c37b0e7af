"""The scope-matrix cases of the tasks app's registry models (see tests/scope_cases.py)."""

from gongjian.tasks.models import AccountabilityRule, Indicator, Plan
from tests.scope_cases import ALL, place_region


def plans(w):
    return {p: Plan.objects.create(region=place_region(w, p), title=f"方案{p}", first_year=2021, last_year=2021)
            for p in ALL}


def indicators(w):
    return {p: Indicator.objects.create(plan=plan, name="优良天数比率", baseline="60", target="≥65", kind="binding")
            for p, plan in plans(w).items()}


def rules(w):
    return {p: AccountabilityRule.objects.create(region=place_region(w, p), name=f"规则{p}", kind="bottom",
                                                 consequence="约谈") for p in ALL}


#: model -> (factory(world) -> {place: record}, has an owner, public)
CASES = {
    Plan: (plans, False, False),
    Indicator: (indicators, False, False),
    AccountabilityRule: (rules, False, False),
}

#: Models declared Scope(inherited=True), written out here independently of the declarations.
INHERITED = {Plan, Indicator, AccountabilityRule}
