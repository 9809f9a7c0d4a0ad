"""The pages of issue 14: the perpetrators register (record with identifiers, search by POST,
never the value in a URL), alerts with their count, the link view (a list and an SVG, limited to
what the viewer sees), MLA requests with deadlines and reminders on "action needed"."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import time_machine

from opennrm.accounts.models import User
from opennrm.audit.models import AuditEvent
from opennrm.cases.models import Case
from opennrm.justice.models import Proceeding
from opennrm.justice.perpetrator_services import (
    IdentifierInput,
    MlaInput,
    PerpetratorInput,
    record_mla_request,
    record_perpetrator,
)
from opennrm.justice.perpetrator_vault import PerpetratorIdentity
from opennrm.justice.perpetrators import Alert, MlaRequest, Perpetrator
from opennrm.tenancy.actor import actor_for
from opennrm.tenancy.models import Agency
from opennrm.web import throttle
from tests.conftest import logged_in

PHONE = "067 555 12 34"


def _form(**extra: str) -> dict[str, str]:
    data = {
        "family_name": "Гнатюк",
        "first_name": "Віктор",
        "gender": "Masculine",
        "roles": "Broker",
        "modus_operandi": "RefugeeStatusBrokerage",
        "identifier_kind_1": "phone",
        "identifier_value_1": PHONE,
    }
    data.update(extra)
    return data


def test_record_a_perpetrator_through_the_page(
    justice_users: dict[str, User], proceeding: Proceeding
) -> None:
    client = logged_in(justice_users["investigator"])
    assert client.get("/perpetrators/new/").status_code == 200
    response = client.post("/perpetrators/new/", _form(proceedings=str(proceeding.id)))
    assert response.status_code == 302
    perpetrator = Perpetrator.objects.get()
    assert list(perpetrator.proceedings.all()) == [proceeding]
    page = client.get(response["Location"]).content.decode()
    assert "Гнатюк" in page
    assert "+380675551234" in page
    listed = client.get("/perpetrators/").content.decode()
    assert "Гнатюк" in listed


def test_a_bad_identifier_is_named_without_its_value(justice_users: dict[str, User]) -> None:
    client = logged_in(justice_users["investigator"])
    response = client.post("/perpetrators/new/", _form(identifier_value_1="12ab"))
    assert response.status_code == 422
    text = response.content.decode()
    assert "Identifier 1" in text or "Ідентифікатор 1" in text
    assert not Perpetrator.objects.exists()
    missing = client.post("/perpetrators/new/", _form(family_name="", first_name=""))
    assert missing.status_code == 422


def test_search_is_a_post_and_the_value_is_audited_by_kind_only(
    justice_users: dict[str, User],
) -> None:
    actor = actor_for(justice_users["investigator"])
    record_perpetrator(
        actor=actor,
        data=PerpetratorInput(
            identity=PerpetratorIdentity(family_name="Гнатюк"),
            roles=["Broker"],
            identifiers=[IdentifierInput("phone", PHONE)],
        ),
    )
    client = logged_in(justice_users["investigator"])
    found = client.post("/perpetrators/", {"search-kind": "phone", "search-value": "+380675551234"})
    assert found.status_code == 200
    assert "Гнатюк" in found.content.decode()
    none = client.post("/perpetrators/", {"search-kind": "phone", "search-value": "0671111111"})
    assert "Гнатюк" not in none.content.decode()
    bad = client.post("/perpetrators/", {"search-kind": "edrpou", "search-value": "123"})
    assert bad.status_code == 422
    for event in AuditEvent.objects.filter(action="identifier.searched"):
        assert "555" not in str(event.detail)
    # The form posts to a URL without the value.
    page = client.get("/perpetrators/").content.decode()
    assert re.search(r'<form method="post" action="/perpetrators/"', page)


def test_roles_without_perpetrator_view_get_403_and_other_units_404(
    justice_users: dict[str, User],
    caseworker: User,
    other_investigator: User,
) -> None:
    actor = actor_for(justice_users["investigator"])
    perpetrator = record_perpetrator(
        actor=actor,
        data=PerpetratorInput(identity=PerpetratorIdentity(family_name="X"), roles=["Broker"]),
    )
    for url in ("/perpetrators/", "/alerts/", "/mla-requests/", "/perpetrators/new/"):
        assert logged_in(caseworker).get(url).status_code == 403, url
    hidden = logged_in(other_investigator)
    assert hidden.get(f"/perpetrators/{perpetrator.id}/").status_code == 404
    assert hidden.get(f"/perpetrators/{perpetrator.id}/links/").status_code == 404
    assert str(perpetrator.id) not in hidden.get("/perpetrators/").content.decode()


def test_alert_page_counts_and_hides_the_other_units_record(
    justice_users: dict[str, User], other_investigator: User
) -> None:
    older = record_perpetrator(
        actor=actor_for(justice_users["investigator"]),
        data=PerpetratorInput(
            identity=PerpetratorIdentity(family_name="Старий"),
            roles=["Broker"],
            identifiers=[IdentifierInput("phone", PHONE)],
        ),
    )
    newer = record_perpetrator(
        actor=actor_for(other_investigator),
        data=PerpetratorInput(
            identity=PerpetratorIdentity(family_name="Новаченко"),
            roles=["Recruiter"],
            identifiers=[IdentifierInput("phone", "+380675551234")],
        ),
    )
    assert Alert.objects.filter(recipient=justice_users["investigator"]).count() == 1
    client = logged_in(justice_users["investigator"])
    page = client.get("/alerts/").content.decode()
    assert 'id="alert-count"' in page
    assert older.id.hex[:8].upper() in page
    assert newer.id.hex[:8].upper() not in page
    assert "Новаченко" not in page
    # Reading the list changes nothing; marking seen is its own audited POST.
    assert Alert.objects.get().seen_at is None
    assert client.get("/alerts/").status_code == 200
    assert Alert.objects.get().seen_at is None
    assert client.get("/alerts/seen/").status_code == 405
    done = client.post("/alerts/seen/")
    assert done.status_code == 302
    assert Alert.objects.get().seen_at is not None
    event = AuditEvent.objects.filter(action="alert.seen").get()
    assert event.detail["alert_ids"] == [str(Alert.objects.get().id)]
    assert client.post("/alerts/seen/").status_code == 302  # nothing new: no event
    assert AuditEvent.objects.filter(action="alert.seen").count() == 1
    # Another unit's investigator cannot mark them.
    logged_in(other_investigator).post("/alerts/seen/")
    links = client.get(f"/perpetrators/{older.id}/links/").content.decode()
    # The other unit's record is not drawn: nothing the investigator may see is connected.
    assert "link-graph" not in links
    assert "Новаченко" not in links


def test_link_view_lists_and_draws_connected_records(
    justice_users: dict[str, User], proceeding: Proceeding
) -> None:
    actor = actor_for(justice_users["investigator"])
    first = record_perpetrator(
        actor=actor,
        data=PerpetratorInput(
            identity=PerpetratorIdentity(family_name="Перший"),
            roles=["Broker"],
            identifiers=[IdentifierInput("email", "broker@example.org")],
        ),
        proceedings=[proceeding],
    )
    record_perpetrator(
        actor=actor,
        data=PerpetratorInput(
            identity=PerpetratorIdentity(family_name="Другий"),
            roles=["Recruiter"],
            identifiers=[IdentifierInput("email", "Broker@Example.org")],
        ),
    )
    page = logged_in(justice_users["investigator"]).get(f"/perpetrators/{first.id}/links/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "Другий" in text
    assert proceeding.erdr_number in text
    assert text.count("<line ") == 2
    assert "broker@example.org" not in text.lower()


def test_mla_pages_deadline_answer_and_action_needed(
    justice_users: dict[str, User], make_user: Callable[..., User], police: Agency
) -> None:
    client = logged_in(justice_users["investigator"])
    assert client.get("/mla-requests/new/").status_code == 200
    bad = client.post(
        "/mla-requests/new/",
        {
            "direction": "Outgoing",
            "request_type": "Documents",
            "country": "UA",
            "central_authority": "ProsecutorGeneral",
            "sent_on": "2016-05-02",
        },
    )
    assert bad.status_code == 422
    made = client.post(
        "/mla-requests/new/",
        {
            "direction": "Outgoing",
            "request_type": "Documents",
            "country": "PL",
            "central_authority": "ProsecutorGeneral",
            "sent_on": "2016-05-02",
        },
    )
    assert made.status_code == 302
    mla = MlaRequest.objects.get()
    assert mla.due_on == dt.date(2016, 7, 31)
    assert "overdue" in client.get("/mla-requests/").content.decode() or "прострочено" in (
        client.get("/mla-requests/").content.decode()
    )
    needed = client.get("/action-needed/").content.decode()
    assert f"/mla-requests/{mla.id}/" in needed
    # Another user of the same unit without the right to change it sees no reminder elsewhere.
    prosecutor = logged_in(justice_users["prosecutor"]).get("/action-needed/").content.decode()
    assert f"/mla-requests/{mla.id}/" not in prosecutor
    answered = client.post(f"/mla-requests/{mla.id}/answer/", {"answered_on": "2016-07-01"})
    assert answered.status_code == 302
    assert f"/mla-requests/{mla.id}/" not in client.get("/action-needed/").content.decode()
    wrong = client.post(f"/mla-requests/{mla.id}/answer/", {"answered_on": "2015-01-01"})
    assert wrong.status_code == 422


def test_mla_request_of_another_unit_is_404(
    justice_users: dict[str, User], other_investigator: User
) -> None:
    mla = record_mla_request(
        actor=actor_for(justice_users["investigator"]),
        data=MlaInput(
            request_type="Documents",
            country="RU",
            central_authority="ProsecutorGeneral",
            sent_on=dt.date(2016, 5, 2),
        ),
    )
    assert logged_in(other_investigator).get(f"/mla-requests/{mla.id}/").status_code == 404


def test_a_case_named_by_reference_links_the_perpetrator(
    justice_users: dict[str, User], make_case: Callable[..., Case]
) -> None:
    actor = actor_for(justice_users["investigator"])
    case = make_case(actor)
    client = logged_in(justice_users["investigator"])
    response = client.post("/perpetrators/new/", _form(case_references=case.reference))
    assert response.status_code == 302
    assert list(Perpetrator.objects.get().cases.all()) == [case]
    unknown = client.post("/perpetrators/new/", _form(case_references="deadbeef"))
    assert unknown.status_code == 422


def test_refusals_are_in_ukrainian_by_default(
    justice_users: dict[str, User], settings: Any
) -> None:
    settings.LANGUAGE_CODE = "uk"
    client = logged_in(justice_users["investigator"])
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "uk"
    response = client.post(
        "/perpetrators/new/", _form(identifier_kind_1="edrpou", identifier_value_1="1234567")
    )
    assert response.status_code == 422
    assert "Ідентифікатор 1" in response.content.decode()
    assert "Код ЄДРПОУ має 8 цифр." in response.content.decode()


def test_a_birth_date_as_ukrainians_write_it_is_taken(justice_users: dict[str, User]) -> None:
    from opennrm.justice.perpetrator_vault import open_identity

    client = logged_in(justice_users["investigator"])
    response = client.post("/perpetrators/new/", _form(birth_date="31.12.1979"))
    assert response.status_code == 302
    assert open_identity(Perpetrator.objects.get()).birth_date == "1979-12-31"
    for wrong in ("12.1979", "31.13.1979", "рік"):
        refused = client.post("/perpetrators/new/", _form(birth_date=wrong))
        assert refused.status_code == 422, wrong
        assert "Give DD.MM.YYYY, YYYY-MM-DD or the year YYYY." in refused.content.decode()
    assert Perpetrator.objects.count() == 1


def test_identifier_and_name_searches_are_throttled_by_the_one_limit(
    justice_users: dict[str, User], settings: Any
) -> None:
    """web/throttle.py is the only copy of the web search limit: the identifier search and the
    case list's name search each get `OPENNRM_WEB_SEARCH_PER_MINUTE` a minute (429 beyond)."""
    src = Path(throttle.__file__).parent
    readers = sorted(
        str(p.relative_to(src))
        for p in src.rglob("*.py")
        if "OPENNRM_WEB_SEARCH_PER_MINUTE" in p.read_text(encoding="utf-8")
    )
    assert readers == ["throttle.py"]

    settings.OPENNRM_WEB_SEARCH_PER_MINUTE = 2
    client = logged_in(justice_users["investigator"])
    search = {"search-kind": "phone", "search-value": "+380675551234"}
    with time_machine.travel(dt.datetime(2026, 5, 4, 10, 0, 5, tzinfo=dt.UTC), tick=False):
        answers = [client.post("/perpetrators/", search).status_code for _ in range(3)]
        assert answers == [200, 200, 429]
        names = [client.post("/cases/", {"q": "Гнатюк"}, follow=True) for _ in range(3)]
        assert [r.status_code for r in names] == [200, 200, 429]
    with time_machine.travel(dt.datetime(2026, 5, 4, 10, 1, 5, tzinfo=dt.UTC), tick=False):
        assert client.post("/perpetrators/", search).status_code == 200  # a new minute
