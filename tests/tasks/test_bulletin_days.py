"""A bulletin's period is made of Beijing days: what happens at 03:00 on 1 April Beijing time
(19:00 on 31 March in UTC) belongs to April's bulletin."""

import datetime as dt

from gongjian import clock
from gongjian.periods import Period, PeriodKind
from gongjian.tasks import bulletins
from gongjian.tasks.models import Milestone, Plan, Task


def test_a_milestone_completed_before_08_00_beijing_time_counts_in_its_beijing_month(world):
    office = world.people["city_office"]
    plan = Plan.objects.create(region=world.regions["city"], title="攻坚方案")
    task = Task.objects.create(plan=plan, number="1", text="料场全部覆盖")
    milestone = Milestone.objects.create(task=task, kind=Milestone.Kind.DATE, due=dt.date(2026, 3, 20))
    milestone.done = dt.datetime(2026, 4, 1, 3, tzinfo=clock.zone())
    milestone.save()
    milestone.refresh_from_db()  # read back as the database returns it (UTC)
    assert milestone.done.date() == dt.date(2026, 3, 31)  # the trap: the UTC date is still March

    march = bulletins.build(office, Period.containing(PeriodKind.MONTH, dt.date(2026, 3, 15)))
    april = bulletins.build(office, Period.containing(PeriodKind.MONTH, dt.date(2026, 4, 15)))
    assert march.summary["milestones_done"] == 0 and april.summary["milestones_done"] == 1
    # at the end of March (Beijing time) it was not done yet: overdue in March's bulletin
    assert [row["number"] for row in march.overdue] == ["1"] and april.summary["overdue"] == 0
