"""Rectification (AVG art. 16) and restriction (art. 18): by the FG, through the persons' services, recorded with the
request's reason and audited; a restriction shows wherever the person is shown and stops ordinary changes."""

import pytest
from django.urls import reverse

from meldroute.audit.models import AuditEvent
from meldroute.core.exceptions import DomainError
from meldroute.persons import services as person_services
from meldroute.persons.forms import PersonForm
from meldroute.privacy import services
from meldroute.privacy.models import SubjectRequest

pytestmark = [pytest.mark.django_db, pytest.mark.clock]

REASON = "Verzoek per brief, kenmerk REC-2026-003"


def _form_data(person, **changes):
    data = {k: v for k, v in PersonForm.initial_for(person).items() if v not in (None, "", [], False)}
    data.update({k: v.isoformat() for k, v in data.items() if hasattr(v, "isoformat")})
    data.update(changes, reason=REASON)
    return data


def test_fg_corrects_a_name_through_the_persons_service(client, fg, story):
    client.force_login(fg)
    url = reverse("privacy:correct", args=[story.victim.uuid])
    assert client.get(url).status_code == 200
    response = client.post(url, _form_data(story.victim, last_name="Testpersoon-Jansen"))
    assert response.status_code == 302
    story.victim.refresh_from_db()
    assert story.victim.last_name == "Testpersoon-Jansen" and story.victim.role == "victim"
    request = SubjectRequest.objects.get()
    assert request.kind == "rectification" and request.fields == ["last_name"] and request.reason == REASON
    actions = list(AuditEvent.objects.order_by("-id").values_list("action", flat=True)[:2])
    assert actions == ["privacy.rectification", "person.corrected"]


def test_a_wrong_bsn_comes_back_at_its_field_with_the_input_kept(client, fg, story):
    client.force_login(fg)
    response = client.post(reverse("privacy:correct", args=[story.victim.uuid]),
                           _form_data(story.victim, bsn="123456789"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "elfproef" in body and "123456789" in body
    assert not SubjectRequest.objects.exists()


def test_another_municipalitys_fg_may_not_correct(fg_b, story):
    with pytest.raises(DomainError):
        services.correct_person(story.victim, actor=fg_b, data={"last_name": "X"}, reason=REASON)
    assert not SubjectRequest.objects.exists()


def test_restriction_is_shown_on_the_person_page_and_stops_ordinary_changes(client, world, fg, story):
    client.force_login(fg)
    response = client.post(reverse("privacy:restrict", args=[story.victim.uuid]),
                           {"restrict-restricted": "1", "restrict-reason": REASON})
    assert response.status_code == 302
    story.victim.refresh_from_db()
    assert story.victim.restricted_at is not None
    assert SubjectRequest.objects.get().kind == "restriction"
    assert AuditEvent.objects.filter(action="person.restricted", target_uuid=story.victim.uuid).count() == 1

    client.force_login(world.af_a)
    page = client.get(reverse("persons:detail", args=[story.victim.uuid])).content.decode()
    assert 'data-testid="restricted"' in page and "AVG art. 18" in page
    case_page = client.get(reverse("cases:detail", args=[story.case.uuid])).content.decode()
    assert "verwerking beperkt" in case_page
    with pytest.raises(DomainError) as refused:
        person_services.update_person(story.victim, actor=world.af_a, data={"role": "victim", "last_name": "Y"})
    assert refused.value.code == "restricted"

    client.force_login(fg)
    client.post(reverse("privacy:restrict", args=[story.victim.uuid]),
                {"restrict-restricted": "0", "restrict-reason": REASON})
    story.victim.refresh_from_db()
    assert story.victim.restricted_at is None
    assert list(SubjectRequest.objects.values_list("kind", flat=True)) == ["restriction_lifted", "restriction"]


def test_restricting_twice_is_refused_in_dutch(client, fg, story):
    services.restrict_person(story.victim, actor=fg, restricted=True, reason=REASON)
    client.force_login(fg)
    response = client.post(reverse("privacy:restrict", args=[story.victim.uuid]),
                           {"restrict-restricted": "1", "restrict-reason": REASON})
    assert response.status_code == 200 and "al beperkt" in response.content.decode()
    assert SubjectRequest.objects.count() == 1


def test_a_restriction_shows_on_every_page_and_in_the_api_that_shows_the_person(client, world, fg, story):
    from rest_framework.test import APIClient

    services.restrict_person(story.victim, actor=fg, restricted=True, reason=REASON)
    client.force_login(world.zorgcoordinator)  # on the case team, works on the victim's care
    for url in (reverse("care:trajectory", args=[story.victim.uuid]), reverse("care:list"),
                reverse("persons:consent", args=[story.victim.uuid])):
        page = client.get(url)
        assert page.status_code == 200 and 'data-testid="restricted"' in page.content.decode(), url
    api = APIClient()
    api.force_authenticate(world.af_a)
    assert api.get(f"/api/v1/persons/{story.victim.uuid}/").json()["restricted_at"]
    listed = api.get(f"/api/v1/cases/{story.case.uuid}/persons/").json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert {row["pseudonym"]: bool(row["restricted_at"]) for row in rows} == {
        story.victim.pseudonym: True, story.suspect.pseudonym: False}
