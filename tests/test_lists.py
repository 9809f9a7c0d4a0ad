"""Lists you can work with: the case list by GET with the name kept server-side, sorting,
export, saved searches and bulk changes (docs/lists.md)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from urllib.parse import parse_qs, unquote, urlsplit

import openpyxl
import pytest
from django.test import Client

from opennrm.accounts.models import User
from opennrm.audit.models import AuditEvent
from opennrm.cases.models import Case, SavedSearch
from opennrm.nrm.referrals.services import accept_referral
from opennrm.tenancy.actor import Actor, actor_for
from opennrm.tenancy.models import Agency
from opennrm.web.cases import searches
from tests.conftest import logged_in, person_input
from tests.nrm.test_referrals import consent_for, refer

NAMES = ("Шевченко", "Shevchenko", "Олександр", "Oleksandr", "Kovalenko", "Коваленко")


def _search(client: Client, **data: str) -> str:
    response = client.post("/cases/", data)
    assert response.status_code == 303
    return str(response["Location"])


def _refs(body: str, cases: list[Case]) -> list[str]:
    """The references of `cases` in the order the body shows them."""
    found = [(body.index(c.reference), c.reference) for c in cases if c.reference in body]
    return [ref for _, ref in sorted(found)]


def test_a_name_search_answers_a_get_address_without_the_name(
    shevchenko_case: Case, caseworker: User
) -> None:
    client = logged_in(caseworker)
    location = _search(client, q="Шевченко Олександр", status="Active")
    assert location.startswith("/cases/?")
    assert not any(n.lower() in unquote(location).lower() for n in NAMES)
    params = parse_qs(urlsplit(location).query)
    assert params["status"] == ["Active"]
    assert len(params["s"][0]) >= 20
    page = client.get(location)
    assert page.status_code == 200
    assert shevchenko_case.reference in page.content.decode()
    # The same address again (Back, reload) answers the same list, without a new POST.
    assert shevchenko_case.reference in client.get(location).content.decode()
    searched = AuditEvent.objects.filter(action="case.searched")
    assert [e.detail for e in searched] == [{"results": 1}, {"results": 1}]
    # A different name finds nothing, by its own search id.
    other = client.get(_search(client, q="Коваленко"))
    assert shevchenko_case.reference not in other.content.decode()


def test_the_session_holds_the_name_terms_only_encrypted(
    shevchenko_case: Case, caseworker: User
) -> None:
    client = logged_in(caseworker)
    _search(client, q="Шевченко")
    stored = str(dict(client.session.items()))
    assert searches.SESSION_KEY in stored
    assert "Шевченко" not in stored
    assert "Shevchenko" not in stored


def test_an_expired_search_says_so_and_keeps_the_other_filters(
    shevchenko_case: Case, caseworker: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = logged_in(caseworker)
    location = _search(client, q="Коваленко", status="Active")
    monkeypatch.setattr(searches, "LIFETIME", -1)
    page = client.get(location)
    body = page.content.decode()
    assert page.status_code == 200
    assert "Пошук за іменем застарів" in body
    # Without the name the list falls back to the other filters: the case shows again.
    assert shevchenko_case.reference in body
    assert page.context["form"]["status"].value() == "Active"


def test_another_users_search_id_is_not_honoured(
    shevchenko_case: Case, caseworker: User, make_user: Callable[..., User], agency_a: Agency
) -> None:
    location = _search(logged_in(caseworker), q="Коваленко")
    colleague = logged_in(make_user("colleague", agency_a, "caseworker"))
    page = colleague.get(location)
    assert "пошук за іменем невідомий" in page.content.decode()
    assert page.context["form"]["q"].value() in (None, "")


def test_a_name_in_the_query_string_is_ignored(shevchenko_case: Case, caseworker: User) -> None:
    listed = logged_in(caseworker).get("/cases/?q=Коваленко")
    assert shevchenko_case.reference in listed.content.decode()
    assert not AuditEvent.objects.filter(action="case.searched").exists()


def test_search_without_the_permission_is_refused(
    shevchenko_case: Case, make_user: Callable[..., User], agency_a: Agency
) -> None:
    client = logged_in(make_user("stats", agency_a, "coordinator"))
    assert client.post("/cases/", {"q": "Шевченко"}).status_code == 303  # coordinator searches
    assert client.post("/cases/", {"status": "Active"})["Location"] == "/cases/?status=Active"


@pytest.fixture
def three_cases(make_case: Callable[..., Case], actor_a: Actor) -> list[Case]:
    early = make_case(actor_a, identified_on=dt.date(2015, 1, 2))
    middle = make_case(actor_a, person_input(first="Іван"), identified_on=dt.date(2016, 6, 1))
    late = make_case(actor_a, person_input(first="Петро"), identified_on=dt.date(2017, 9, 9))
    return [early, middle, late]


def test_sorting_by_each_column_in_both_directions(
    three_cases: list[Case], caseworker: User
) -> None:
    client = logged_in(caseworker)
    early, middle, late = three_cases
    by_date = _refs(client.get("/cases/?sort=identified").content.decode(), three_cases)
    assert by_date == [early.reference, middle.reference, late.reference]
    newest = _refs(client.get("/cases/").content.decode(), three_cases)
    assert newest == [late.reference, middle.reference, early.reference]
    by_ref = sorted(c.reference for c in three_cases)
    assert _refs(client.get("/cases/?sort=reference").content.decode(), three_cases) == by_ref
    assert _refs(client.get("/cases/?sort=-reference").content.decode(), three_cases) == list(
        reversed(by_ref)
    )
    # A key outside the whitelist is the default order, never an error.
    assert (
        _refs(client.get("/cases/?sort=person__family_name_enc").content.decode(), three_cases)
        == newest
    )


def test_sortable_headers_say_their_order_and_keep_the_filters(
    three_cases: list[Case], caseworker: User
) -> None:
    page = logged_in(caseworker).get("/cases/?status=Active&sort=identified&page=1")
    headers = page.context["headers"]
    assert headers["identified"].aria_sort == "ascending"
    assert headers["identified"].url == "?status=Active&sort=-identified"
    assert headers["reference"].aria_sort == "none"
    assert headers["reference"].url == "?status=Active&sort=reference"
    assert 'aria-sort="ascending"' in page.content.decode()


def test_the_status_sort_orders_closed_cases_after_active_ones(
    three_cases: list[Case], caseworker: User
) -> None:
    from opennrm.cases.services import change_case_status

    late = three_cases[2]
    change_case_status(
        actor=actor_for(caseworker), case=late, action="close", closure_reason="GoalsAchieved"
    )
    body = logged_in(caseworker).get("/cases/?sort=status").content.decode()
    assert _refs(body, three_cases)[-1] == late.reference  # "Active" < "Closed"


@pytest.fixture
def shared_without_facts(
    make_case: Callable[..., Case], actor_a: Actor, agency_b: Agency, outsider: User
) -> Case:
    """A case of agency A shared with the police (agency B) with the identity only."""
    case = make_case(
        actor_a, person_input(first="Марія", family="Коваль"), identified_on=dt.date(2025, 12, 31)
    )
    consent_for(actor_a, case, agency_b, purposes=("Legal",), categories=("Identity",))
    referral = refer(actor_a, case, agency_b, purpose="Legal", data_categories=["Identity"])
    accept_referral(actor=actor_for(outsider), referral=referral)
    return case


def test_a_hidden_date_does_not_sort_and_does_not_show(
    shared_without_facts: Case, make_case: Callable[..., Case], outsider: User
) -> None:
    own = make_case(
        actor_for(outsider), person_input(first="Павло"), identified_on=dt.date(2016, 1, 1)
    )
    client = logged_in(outsider)
    both = [own, shared_without_facts]
    # The shared case was identified later (2025), but its date does not show to the police: it
    # sorts as unknown (last) both ways, so the order tells nothing of it.
    assert _refs(client.get("/cases/?sort=-identified").content.decode(), both)[0] == own.reference
    assert _refs(client.get("/cases/?sort=identified").content.decode(), both)[0] == own.reference
    listed = client.get("/cases/").content.decode()
    assert "31.12.2025" not in listed  # as Ukrainian shows it
    assert "2025-12-31" not in listed  # as English shows it


# --- export ----------------------------------------------------------------------------------


def _csv(response: object) -> list[list[str]]:
    text = response.content.decode("utf-8-sig")  # type: ignore[attr-defined]
    return list(csv.reader(io.StringIO(text)))


def test_the_export_holds_the_rows_the_list_shows(
    three_cases: list[Case], caseworker: User
) -> None:
    client = logged_in(caseworker)
    middle, late = three_cases[1:]
    query = "identified_from=2016-01-01&sort=identified"
    page = client.get(f"/cases/?{query}").content.decode()
    exported = _csv(client.get(f"/cases/export.csv?{query}"))
    assert exported[0][:3] == ["Номер справи", "ПІБ", "Виявлено"]
    assert (
        [r[0] for r in exported[1:]]
        == _refs(page, three_cases)
        == [
            middle.reference,
            late.reference,
        ]
    )
    assert exported[1][1] == "Шевченко Іван"
    assert exported[1][2] == "2016-06-01"
    event = AuditEvent.objects.get(action="case.exported")
    assert event.detail["count"] == 2
    assert event.detail["format"] == "csv"
    assert "Шевченко" not in str(event.detail)


def test_the_xlsx_export_has_numbers_and_dates_as_such(
    shevchenko_case: Case, caseworker: User
) -> None:
    response = logged_in(caseworker).get("/cases/export.xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    row = [c.value for c in sheet[2]]
    assert row[0] == shevchenko_case.reference
    assert isinstance(row[2], dt.datetime)
    assert row[2].date() == dt.date(2016, 3, 14)
    assert row[3] == 28
    assert isinstance(row[3], int)


def test_the_export_hides_what_the_page_hides(
    shared_without_facts: Case, outsider: User, make_user: Callable[..., User], agency_b: Agency
) -> None:
    client = logged_in(outsider)
    page = client.get("/cases/").content.decode()
    rows = _csv(client.get("/cases/export.csv"))
    line = next(r for r in rows if r[0] == shared_without_facts.reference)
    assert line[1] == "Коваль Марія"  # the identity is shared
    assert "Коваль Марія" in page
    # No facts shared: no date, age, oblast or exploitation, on the page and in the file.
    assert line[2:6] == ["", "", "", ""]
    assert "31.12.2025" not in page  # as Ukrainian shows it
    assert "2025-12-31" not in page  # as English shows it
    # A role without the export right (border guard): 403, the list still opens.
    guard = logged_in(make_user("guard", agency_b, "border_guard"))
    assert guard.get("/cases/export.csv").status_code == 403
    assert guard.get("/cases/").status_code == 200


def test_an_export_beyond_the_limit_is_refused_with_a_message(
    three_cases: list[Case], caseworker: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    from opennrm.access import lists

    monkeypatch.setattr(lists, "EXPORT_LIMIT", 2)
    response = logged_in(caseworker).get("/cases/export.xlsx?status=Active", follow=True)
    assert response.redirect_chain[0][0] == "/cases/?status=Active"
    assert "щонайбільше 2" in response.content.decode()
    assert not AuditEvent.objects.filter(action="case.exported").exists()


def test_an_export_of_a_name_search_needs_a_live_search(
    shevchenko_case: Case, caseworker: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = logged_in(caseworker)
    location = _search(client, q="Шевченко")
    export = location.replace("/cases/?", "/cases/export.csv?")
    assert [r[0] for r in _csv(client.get(export))[1:]] == [shevchenko_case.reference]
    monkeypatch.setattr(searches, "LIFETIME", -1)
    assert client.get(export).status_code == 302


# --- saved searches --------------------------------------------------------------------------


def test_saved_searches_keep_filters_never_names_and_are_private(
    shevchenko_case: Case, caseworker: User, make_user: Callable[..., User], agency_a: Agency
) -> None:
    client = logged_in(caseworker)
    response = client.post(
        "/cases/saved-searches/",
        {"name": "Мої активні", "status": "Active", "sort": "reference", "q": "Шевченко"},
    )
    assert response.status_code == 302
    saved = SavedSearch.objects.get()
    assert saved.filters == {"status": "Active", "sort": "reference"}
    page = client.get("/cases/")
    assert "Мої активні" in page.content.decode()
    assert "/cases/?status=Active&amp;sort=reference" in page.content.decode()
    # Another user neither sees it nor deletes it.
    other = logged_in(make_user("colleague2", agency_a, "caseworker"))
    assert "Мої активні" not in other.get("/cases/").content.decode()
    assert other.post(f"/cases/saved-searches/{saved.id}/delete/").status_code == 404
    # Deleting asks first (GET), then deletes (POST).
    confirm = client.get(f"/cases/saved-searches/{saved.id}/delete/")
    assert confirm.status_code == 200
    assert SavedSearch.objects.exists()
    client.post(f"/cases/saved-searches/{saved.id}/delete/")
    assert not SavedSearch.objects.exists()
    assert AuditEvent.objects.filter(action__startswith="case_search.").count() == 2


# --- bulk changes ----------------------------------------------------------------------------


def test_bulk_close_shows_a_summary_then_closes_every_case(
    three_cases: list[Case], caseworker: User
) -> None:
    client = logged_in(caseworker)
    ids = [str(c.id) for c in three_cases[:2]]
    form = {"case": ids, "action": "close", "closure_reason": "GoalsAchieved"}
    summary = client.post("/cases/bulk/", form)
    assert summary.status_code == 200
    assert all(c.reference in summary.content.decode() for c in three_cases[:2])
    assert Case.objects.filter(status="Closed").count() == 0  # nothing yet
    done = client.post("/cases/bulk/", {**form, "confirm": "1"})
    assert done.status_code == 302
    assert set(Case.objects.filter(status="Closed").values_list("id", flat=True)) == {
        c.id for c in three_cases[:2]
    }
    assert AuditEvent.objects.filter(action="case.close").count() == 2


def test_bulk_form_chooses_nothing_for_the_person(
    three_cases: list[Case], caseworker: User
) -> None:
    """The list's bulk change starts on "— choose —", not on "Close"; sent without a choice,
    it changes nothing and says what to choose."""
    client = logged_in(caseworker)
    page = client.get("/cases/").content.decode()
    select = page[page.index('<select name="action"') :]
    select = select[: select.index("</select>")]
    assert '<option value="" selected>' in select
    assert '<option value="close">' in select  # not selected
    answer = client.post("/cases/bulk/", {"case": [str(three_cases[0].id)]}, follow=True)
    assert "Оберіть, що зробити з вибраними справами." in answer.content.decode()
    assert not Case.objects.filter(status="Closed").exists()


def test_bulk_close_is_all_or_nothing(three_cases: list[Case], caseworker: User) -> None:
    from opennrm.cases.services import change_case_status

    change_case_status(
        actor=actor_for(caseworker),
        case=three_cases[2],
        action="close",
        closure_reason="GoalsAchieved",
    )
    form = {
        "case": [str(c.id) for c in three_cases],
        "action": "close",
        "closure_reason": "GoalsAchieved",
        "confirm": "1",
    }
    logged_in(caseworker).post("/cases/bulk/", form)
    assert Case.objects.filter(status="Closed").count() == 1  # only the one closed before
    assert AuditEvent.objects.filter(action="case.close").count() == 1


def test_bulk_change_with_a_case_the_actor_may_not_change_changes_none(
    shared_without_facts: Case, make_case: Callable[..., Case], outsider: User
) -> None:
    own = make_case(actor_for(outsider), person_input(first="Павло"))
    form = {
        "case": [str(own.id), str(shared_without_facts.id)],
        "action": "close",
        "closure_reason": "GoalsAchieved",
        "confirm": "1",
    }
    assert logged_in(outsider).post("/cases/bulk/", form).status_code == 403
    assert not Case.objects.filter(status="Closed").exists()
    refused = AuditEvent.objects.get(action="access.refused")
    assert refused.detail["answer"] == 403


def test_reassign_only_to_a_caseworker_of_the_same_agency(
    three_cases: list[Case],
    supervisor: User,
    caseworker: User,
    make_user: Callable[..., User],
    agency_a: Agency,
    agency_b: Agency,
) -> None:
    client = logged_in(supervisor)
    colleague = make_user("andriy.caseworker", agency_a, "caseworker")
    elsewhere = make_user("other.caseworker", agency_b, "caseworker")
    ids = [str(c.id) for c in three_cases]
    for stranger in (elsewhere, supervisor):  # another agency; not a caseworker
        form = {"case": ids, "action": "reassign", "caseworker": str(stranger.pk), "confirm": "1"}
        client.post("/cases/bulk/", form)
    assert set(Case.objects.values_list("caseworker", flat=True)) == {caseworker.pk}
    form = {"case": ids, "action": "reassign", "caseworker": str(colleague.pk), "confirm": "1"}
    assert client.post("/cases/bulk/", form).status_code == 302
    assert set(Case.objects.values_list("caseworker", flat=True)) == {colleague.pk}
    events = AuditEvent.objects.filter(action="case.reassigned")
    assert {e.object_id for e in events} == {str(c.id) for c in three_cases}
    assert {e.detail["to"] for e in events} == {str(colleague.pk)}


def test_pages_are_links_that_keep_the_search_and_the_filters(
    three_cases: list[Case], caseworker: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    from opennrm.web.cases import list_views

    monkeypatch.setattr(list_views, "PAGE_SIZE", 1)
    client = logged_in(caseworker)
    location = _search(client, q="Шевченко", status="Active")
    search_id = parse_qs(urlsplit(location).query)["s"][0]
    first = client.get(location + "&sort=identified").content.decode()
    assert f'href="?status=Active&amp;s={search_id}&amp;sort=identified&amp;page=2"' in first
    second = client.get(f"/cases/?status=Active&s={search_id}&sort=identified&page=2")
    assert _refs(second.content.decode(), three_cases) == [three_cases[1].reference]
