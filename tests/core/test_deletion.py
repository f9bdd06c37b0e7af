"""The one deletion (gongjian.core.deletion): what it takes along is judged in the transaction that
deletes, so no record added between the judgement and the deletion is taken along unjudged."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from gongjian.core.deletion import delete
from gongjian.tasks.models import Indicator, Plan


def test_what_a_deletion_takes_along_is_judged_in_the_transaction_that_deletes(world):
    plan = Plan.objects.create(region=world.regions["county_a"], title="中牟县方案", first_year=2021, last_year=2021)
    Indicator.objects.create(plan=plan, name="优良天数比率", baseline="60", target="≥65", kind="binding")
    with CaptureQueriesContext(connection) as queries:
        deletion = delete(plan, world.people["county_a_office"])
    assert deletion.done and not Plan.objects.filter(pk=plan.pk).exists()
    sql = [q["sql"] for q in queries.captured_queries]
    # the test runs inside a transaction of its own, so the deletion's transaction is a savepoint
    opened = next(i for i, s in enumerate(sql) if s.startswith("SAVEPOINT"))
    closed = max(i for i, s in enumerate(sql) if s.startswith("RELEASE SAVEPOINT"))
    judged = [i for i, s in enumerate(sql) if s.startswith("SELECT") and f'"{Indicator._meta.db_table}"' in s]
    assert judged and all(opened < i < closed for i in judged), sql


def test_a_refusal_does_not_name_what_lies_outside_the_jurisdiction(world, client):
    """County A's enterprise is in county B's reduction list: deleting it would take that measure
    along, so it is refused, and the page and the API say only that a record outside the
    jurisdiction is in the way, never which."""
    from django.urls import reverse
    from rest_framework.test import APIClient

    from gongjian.emergency.models import Measure, ReductionList
    from gongjian.regions.models import Organisation
    from gongjian.sources.models import Enterprise

    organisation = Organisation.objects.create(name="中牟甲公司", kind="enterprise", region=world.regions["county_a"])
    enterprise = Enterprise.objects.create(organisation=organisation, industry="cement", performance_class="C")
    other = ReductionList.objects.create(region=world.regions["county_b"], year=2020, number=7, inventory_year=2019,
                                         note="新郑市秘密清单")
    measure = Measure.objects.create(reduction_list=other, level="orange", kind="stop", enterprise=enterprise)
    client.force_login(world.people["county_a_office"])
    page = client.get(reverse("sources:enterprise_delete", args=[enterprise.pk])).content.decode()
    assert 'id="forbidden"' in page and str(measure) not in page
    assert "本辖区以外的记录" in page or "a record outside your jurisdiction" in page
    api = APIClient()
    api.force_authenticate(world.people["county_a_office"])
    response = api.delete(reverse("sources-enterprises-detail", args=[enterprise.pk]))
    assert response.status_code == 409 and str(measure) not in response.content.decode()
    assert Enterprise.objects.filter(pk=enterprise.pk).exists() and Measure.objects.filter(pk=measure.pk).exists()
