"""The ledger mechanism (gongjian.core.ledger): allowed and refused moves, evidence validated,
who/when/note kept, history, the policy's write rule through page and API, frozen publications.
The records are the water ledgers' (a source problem, an outfall), which use the mechanism."""

import datetime as dt

import pytest
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.urls import reverse
from rest_framework.test import APIClient

from gongjian import clock
from gongjian.core.ledger import Move, Workflow, advance, moves_for
from gongjian.water.ledgers import DrinkingDisclosure, DrinkingWaterSource, Outfall, SourceProblem
from tests.site.test_uploads import png

BJ = dt.timezone(dt.timedelta(hours=8))
NOW = dt.datetime(2020, 6, 10, 9, tzinfo=BJ)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _problem(w, county="county_a"):
    source = DrinkingWaterSource.objects.create(code=f"DS-{county}", name="尖岗水库", kind="reservoir",
                                                region=w.regions[county])
    return SourceProblem.objects.create(source=source, kind="project", title="一级保护区内违法建筑",
                                        found_on=dt.date(2020, 3, 1), deadline=dt.date(2020, 9, 30))


def _photo(name="photo.png"):
    return SimpleUploadedFile(name, png(), content_type="image/png")


def test_an_allowed_move_is_a_step_with_who_when_note_and_history(world):
    problem = _problem(world)
    person = world.people["county_a_office"]
    with clock.as_of(NOW):
        step = advance(problem, "rectifying", person, "  已责令拆除  ")
    problem.refresh_from_db()
    assert problem.status == "rectifying"
    assert (step.source, step.status, step.by, step.note, step.at) == ("found", "rectifying", person, "已责令拆除", NOW)
    assert list(problem.steps.values_list("status", flat=True)) == ["rectifying"]
    assert [h.status for h in problem.history.order_by("history_id")] == ["found", "rectifying"]


def test_a_move_the_workflow_does_not_allow_is_refused_naming_the_open_moves(world):
    problem = _problem(world)
    with pytest.raises(ValidationError) as refused:
        advance(problem, "closed", world.people["county_a_office"], "直接销号", _photo())
    message = refused.value.message_dict["status"][0]
    assert "cannot move to verified and closed" in message and "being rectified" in message
    problem.refresh_from_db()
    assert problem.status == "found" and problem.steps.count() == 0 and problem.history.count() == 1


def test_a_move_that_needs_evidence_is_refused_without_it(world):
    problem = _problem(world)
    advance(problem, "rectifying", world.people["county_a_office"], "开始整治")
    with pytest.raises(ValidationError) as refused:
        advance(problem, "rectified", world.people["county_a_office"], "已拆除")
    assert "needs evidence" in refused.value.message_dict["evidence"][0]
    problem.refresh_from_db()
    assert problem.status == "rectifying" and problem.steps.count() == 1


def test_evidence_is_checked_by_its_content(world):
    problem = _problem(world)
    advance(problem, "rectifying", world.people["county_a_office"], "开始整治")
    page = SimpleUploadedFile("photo.png", b"<html><script>alert(1)</script></html>", content_type="image/png")
    with pytest.raises(ValidationError) as refused:
        advance(problem, "rectified", world.people["county_a_office"], "已拆除", page)
    assert "photo.png" in str(refused.value) and "PNG" in str(refused.value)
    problem.refresh_from_db()
    assert problem.status == "rectifying" and problem.steps.count() == 1


def test_only_an_editor_of_the_records_region_moves_it(world):
    problem = _problem(world)
    for username in ("county_b_office", "town_a1_gov", "public_city", "enterprise_e1"):
        with pytest.raises(PermissionDenied):
            advance(problem, "rectifying", world.people[username], "越权")
        assert moves_for(problem, world.people[username]) == []
    advance(problem, "rectifying", world.people["city_office"], "市级督办")  # the city is above county A
    assert problem.steps.count() == 1


def test_a_record_moved_by_someone_else_since_it_was_read_is_refused(world):
    problem = _problem(world)
    stale = SourceProblem.objects.get(pk=problem.pk)
    advance(problem, "rectifying", world.people["county_a_office"], "开始整治")
    with pytest.raises(ValidationError) as refused:
        advance(stale, "rectifying", world.people["city_office"], "重复")
    assert "Someone moved this record to being rectified" in str(refused.value)
    assert problem.steps.count() == 1


def test_a_workflow_naming_an_unknown_status_or_a_move_twice_is_a_configuration_error():
    class S(models.TextChoices):
        A = "a", "a"
        B = "b", "b"

    with pytest.raises(ImproperlyConfigured):
        Workflow(S, S.A, [Move("a", "c")])
    with pytest.raises(ImproperlyConfigured):
        Workflow(S, S.A, [Move("a", "b"), Move("a", "b", evidence=True)])


def test_the_steps_page_moves_within_scope_and_downloads_evidence_never_inline(world, client):
    problem = _problem(world)
    url = reverse("water:source_problem_steps", args=[problem.pk])
    client.force_login(world.people["county_b_office"])
    assert client.get(url).status_code == 404
    assert client.post(url, {"to": "rectifying", "note": "越权"}).status_code == 404
    client.force_login(world.people["public_city"])
    assert client.post(url, {"to": "rectifying", "note": "越权"}).status_code == 403
    client.force_login(world.people["county_a_office"])
    assert client.post(url, {"to": "rectifying", "note": "开始整治"}).status_code == 302
    refused = client.post(url, {"to": "rectified", "note": "已拆除"})
    assert refused.status_code == 400 and "须提交佐证材料" in refused.content.decode()  # pages speak Chinese
    assert client.post(url, {"to": "closed", "note": "销号"}).status_code == 400  # not a choice from here
    assert client.post(url, {"to": "rectified", "note": "已拆除", "evidence": _photo()}).status_code == 302
    problem.refresh_from_db()
    assert problem.status == "rectified" and problem.steps.count() == 2
    step = problem.steps.get(status="rectified")
    download = client.get(reverse("water:source_problem_evidence", args=[problem.pk, step.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "application/octet-stream"
    assert download["Content-Disposition"].startswith("attachment")
    client.force_login(world.people["county_b_office"])
    assert client.get(reverse("water:source_problem_evidence", args=[problem.pk, step.pk])).status_code == 404


def test_the_api_lists_and_takes_moves_under_the_policy(world):
    outfall = Outfall.objects.create(name="东风渠1号口", region=world.regions["county_a"], receiving_water="东风渠",
                                     kind="municipal")
    api = APIClient()
    url = f"/api/water/outfalls/{outfall.pk}/steps/"
    api.force_authenticate(world.people["county_b_office"])
    assert api.post(url, {"to": "numbered", "note": "编号"}).status_code == 404
    api.force_authenticate(world.people["public_city"])
    assert api.post(url, {"to": "numbered", "note": "编号"}).status_code in (403, 404)
    api.force_authenticate(world.people["county_a_office"])
    bad = api.post(url, {"to": "closed", "note": "销号"})
    assert bad.status_code == 400 and "status" in bad.json()
    outfall.refresh_from_db()
    assert outfall.status == "traced" and outfall.steps.count() == 0
    done = api.post(url, {"to": "numbered", "note": "按规则编号"})
    assert done.status_code == 201 and done.json()["status"] == "numbered"
    outfall.refresh_from_db()
    assert outfall.status == "numbered" and outfall.code == "RH410122S0001"
    assert [s["status"] for s in api.get(url).json()] == ["numbered"]


def test_a_publication_is_frozen_once_published(world):
    published = DrinkingDisclosure.objects.create(region=world.regions["city"], period="2020-Q1", published=NOW,
                                                  published_by=world.people["city_office"], content={"sources": []})
    published.content = {"sources": ["changed"]}
    with pytest.raises(ValueError, match="publish a correction"):
        published.save()
    published.refresh_from_db()
    assert published.content == {"sources": []}
