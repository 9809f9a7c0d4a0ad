"""The start page (issue 10, item 1): every role lands on a page it may open, sees what waits
for it and the lists of its role, and "Action needed" names each item's case, purpose and
deadline."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from opennrm.access.roles import ROLE_PERMISSIONS
from opennrm.accounts.models import User
from opennrm.audit.models import AuditEvent
from opennrm.cases.models import Case
from opennrm.nrm.referrals.services import refer_case
from opennrm.tenancy.actor import Actor, actor_for
from opennrm.tenancy.models import Agency
from tests.conftest import PASSWORD, logged_in, record_basis

HREF = re.compile(r'href="(/[^"#?]*)"')
# Links that are not pages of the role (the language form posts, static files, the logout).
NOT_PAGES = ("/static/", "/accounts/logout/", "/i18n/")


@pytest.mark.parametrize("role", sorted(ROLE_PERMISSIONS))
def test_every_role_lands_on_its_start_page_and_every_link_there_opens(
    role: str, make_user: Callable[..., User], agency_a: Agency
) -> None:
    user = make_user(f"home.{role}", agency_a, role)
    client = logged_in(user)
    page = client.get("/")
    assert page.status_code == 200, role
    body = page.content.decode()
    assert "<h1>" in body
    links = sorted({h for h in HREF.findall(body) if not h.startswith(NOT_PAGES)})
    assert "/" in links
    for link in links:
        answer = client.get(link, follow=True)
        # Every link the start page and the navigation offer opens for this role (a page
        # that forwards to another, e.g. a report for a role without the list, included).
        assert answer.status_code == 200, (role, link, answer.status_code)


def test_logging_in_lands_on_the_start_page(caseworker: User) -> None:
    from django.conf import settings
    from django.urls import reverse

    assert reverse(settings.LOGIN_REDIRECT_URL) == "/"
    client = Client()
    answer = client.post(
        "/accounts/login/", {"username": caseworker.username, "password": PASSWORD}
    )
    assert answer.status_code == 302
    assert answer["Location"] == "/"


def _refer_three_times(actor: Actor, cases: list[Case], to: Agency) -> None:
    for case, purpose in zip(cases, ["Legal", "Shelter", "Legal"], strict=True):
        record_basis(actor, case, purpose=purpose)
        refer_case(
            actor=actor, case=case, to_agency=to, purpose=purpose, data_categories=["Identity"]
        )


def test_action_needed_rows_name_case_purpose_and_deadline_and_differ(
    actor_a: Actor,
    make_case: Callable[..., Case],
    agency_b: Agency,
    make_user: Callable[..., User],
) -> None:
    cases = [make_case(actor_a) for _ in range(3)]
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC), tick=False):
        _refer_three_times(actor_a, cases, agency_b)
        recipient = make_user("b.caseworker", agency_b, "caseworker")
        page = logged_in(recipient).get("/action-needed/")
    items = page.context["items"]
    assert [i.kind for i in items] == ["referral.answer"] * 3
    labels = [i.label for i in items]
    assert len(set(labels)) == 3  # no two rows alike
    # Due the same day, the rows follow their case references (a fixed order between visits).
    assert [i.case_reference for i in items] == sorted(c.reference for c in cases)
    by_case = {i.case_reference: i for i in items}
    for case in cases:
        item = by_case[case.reference]
        assert case.reference in item.label
        assert item.due == dt.date(2026, 3, 5)  # sent on 2 March, answer within 3 days
    # The purpose by its label in the page's language (Ukrainian by default), not its code.
    assert "Правова допомога" in by_case[cases[0].reference].label
    assert "Тимчасове розміщення" in by_case[cases[1].reference].label
    assert "Правова допомога" in by_case[cases[2].reference].label
    body = page.content.decode()
    assert "Shevchenko" not in body
    assert "Шевченко" not in body
    for case in cases:
        assert case.reference in body
    assert "05.03.2026" in body  # dd.mm.yyyy in Ukrainian


def test_navigation_counts_what_waits_and_the_start_page_lists_it(
    actor_a: Actor,
    make_case: Callable[..., Case],
    agency_b: Agency,
    make_user: Callable[..., User],
) -> None:
    recipient = make_user("b.caseworker", agency_b, "caseworker")
    client = logged_in(recipient)
    assert 'class="nav-badge"' not in client.get("/").content.decode()
    _refer_three_times(actor_a, [make_case(actor_a) for _ in range(3)], agency_b)
    home = client.get("/")
    body = home.content.decode()
    assert re.search(r"Action needed|Потребує дій", body)
    badge = re.search(r'action-needed/">[^<]*<span class="nav-badge">(\d+)<', body)
    assert badge
    assert badge.group(1) == "3"
    assert home.context["waiting_total"] == 3
    assert len(home.context["waiting"]) == 3
    # The sender sees no badge: nothing waits for it.
    assert 'action-needed/">' in logged_in(actor_a.user).get("/").content.decode()
    sender = logged_in(actor_a.user).get("/")
    assert sender.context["waiting_total"] == 0
    assert "nav-badge" not in sender.content.decode().split("</nav>")[0]


def test_start_page_lists_only_cases_the_actor_may_see_by_reference(
    shevchenko_case: Case, caseworker: User, outsider: User
) -> None:
    mine = logged_in(caseworker).get("/")
    assert [r["case"].id for r in mine.context["recent"]] == [shevchenko_case.id]
    body = mine.content.decode()
    assert shevchenko_case.reference in body
    assert "Шевченко" not in body
    assert "Shevchenko" not in body
    event = AuditEvent.objects.filter(action="home.listed").last()
    assert event is not None
    assert event.detail["case_ids"] == [str(shevchenko_case.id)]
    other = logged_in(outsider).get("/")  # another agency: not its case
    assert other.context["recent"] == []
    assert shevchenko_case.reference not in other.content.decode()


def test_role_figures(
    shevchenko_case: Case, caseworker: User, make_user: Callable[..., User], agency_a: Agency
) -> None:
    figures = {f["key"]: f["count"] for f in logged_in(caseworker).get("/").context["figures"]}
    assert figures["my_open_cases"] == 1
    admin = make_user("a.admin", agency_a, "agency_admin")
    figures = {f["key"]: f["count"] for f in logged_in(admin).get("/").context["figures"]}
    assert figures["users"] == 2  # the caseworker and the admin
    assert "my_open_cases" not in figures
    trainer = make_user("a.trainer", agency_a, "trainer")
    figures = {f["key"]: f["count"] for f in logged_in(trainer).get("/").context["figures"]}
    assert figures == {"trainings": 0}


def test_the_review_figure_counts_what_the_queue_lists(
    actor_a: Actor, make_case: Callable[..., Case], make_user: Callable[..., User], agency_a: Agency
) -> None:
    """Pairs at or above the match threshold count as one person without review: the queue
    does not list them, so the start page does not count them either."""
    from opennrm.linkage.models import CandidatePair, LinkageRun

    run = LinkageRun.objects.create(status=LinkageRun.Status.DONE)
    one, two, three = sorted((make_case(actor_a).person_id for _ in range(3)), key=str)
    CandidatePair.objects.create(run=run, left_id=one, right_id=two, probability=0.99, weight=9)
    CandidatePair.objects.create(run=run, left_id=one, right_id=three, probability=0.4, weight=1)
    statistician = make_user("a.statistician", agency_a, "statistician")
    figures = {f["key"]: f["count"] for f in logged_in(statistician).get("/").context["figures"]}
    assert figures["linkage_queue"] == 1


def test_the_navigation_counts_cost_no_query_while_fresh(
    actor_a: Actor,
    make_case: Callable[..., Case],
    agency_b: Agency,
    make_user: Callable[..., User],
) -> None:
    """The counts are kept in the session for a minute: a page costs no query for them (the
    same queries with or without the navigation's counts), and they follow within the minute."""
    recipient = make_user("b.caseworker", agency_b, "caseworker")
    client = logged_in(recipient)
    _refer_three_times(actor_a, [make_case(actor_a) for _ in range(3)], agency_b)
    now = dt.datetime.now(tz=dt.UTC)
    with time_machine.travel(now, tick=False):
        client.get("/referrals/")  # counts them (and warms the session)
        with CaptureQueriesContext(connection) as fresh:
            page = client.get("/referrals/")
        assert re.search(r'action-needed/">[^<]*<span class="nav-badge">3<', page.content.decode())
        sqls = " ".join(q["sql"] for q in fresh.captured_queries)
        assert "notices_notification" not in sqls  # the bell from the session
        assert "referrals_referral" in sqls  # the page's own list
        _refer_three_times(actor_a, [make_case(actor_a) for _ in range(3)], agency_b)
        with CaptureQueriesContext(connection) as still_fresh:
            client.get("/referrals/")
        assert len(still_fresh.captured_queries) == len(fresh.captured_queries)
    with time_machine.travel(now + dt.timedelta(seconds=61), tick=False):
        page = client.get("/referrals/")
    assert re.search(r'action-needed/">[^<]*<span class="nav-badge">6<', page.content.decode())
    # The start page counts afresh at once.
    _refer_three_times(actor_a, [make_case(actor_a) for _ in range(3)], agency_b)
    page = client.get("/")
    assert re.search(r'action-needed/">[^<]*<span class="nav-badge">9<', page.content.decode())


def test_the_case_figures_open_the_list_they_count(
    shevchenko_case: Case,
    make_case: Callable[..., Case],
    caseworker: User,
    supervisor: User,
) -> None:
    from opennrm.cases.services import change_case_status
    from opennrm.tenancy.actor import actor_for

    theirs = make_case(actor_for(supervisor))  # open, another caseworker's
    closed = make_case(actor_for(caseworker))
    change_case_status(
        actor=actor_for(caseworker), case=closed, action="close", closure_reason="Other"
    )
    assert theirs.caseworker_id == supervisor.pk
    client = logged_in(caseworker)
    figures = {f["key"]: f for f in client.get("/").context["figures"]}
    assert figures["my_open_cases"]["count"] == 1
    assert figures["open_cases"]["count"] == 2
    for key in ("my_open_cases", "open_cases"):
        figure = figures[key]
        page = client.get(f"/cases/?{figure['query']}").context["page"]
        assert page.paginator.count == figure["count"], key
    mine = client.get("/cases/?status=open&mine=on").context["page"].object_list
    assert [c.id for c in mine] == [shevchenko_case.id]


def _section(body: str, title_id: str) -> str:
    """The start page's section labelled by `title_id` ("" when absent)."""
    found = re.search(rf'<section[^>]*aria-labelledby="{title_id}">(.*?)</section>', body, re.S)
    return found.group(1) if found else ""


def test_a_file_to_decide_is_listed_once_and_each_case_reference_links_to_a_page_one_may_open(
    make_user: Callable[..., User], make_case: Callable[..., Case]
) -> None:
    from opennrm.nrm.status import workflow as wf
    from tests.nrm.test_status_support import application_in, build_world

    world = build_world(make_user, make_case)
    at_national = application_in(world, wf.AT_NATIONAL, journal_number="13/2016")
    second = dataclasses.replace(
        world, case=make_case(actor_for(world.official), identified_on=dt.date(2016, 3, 14))
    )
    at_oblast = application_in(second, wf.AT_OBLAST, journal_number="12/2016")
    file_national = f"/status-applications/{at_national.id}/"
    file_oblast = f"/status-applications/{at_oblast.id}/"

    # The decider: the file under "to decide" only, its case (shared with the decider) linked.
    page = logged_in(world.decider).get("/")
    body = page.content.decode()
    reference = world.case.reference
    assert reference not in _section(body, "waiting-title")
    assert page.context["waiting_total"] == 1  # still counted as waiting
    assert "Заяви про статус, що чекають рішення: 1 (див. нижче)" in body
    to_decide = _section(body, "decide-title")
    assert to_decide.count(reference) == 1
    assert f'<a href="/cases/{world.case.id}/">{reference}</a>' in to_decide
    assert f'href="{file_national}"' in to_decide

    # The oblast official never opens cases: the reference leads to the status file.
    body = logged_in(world.oblast_official).get("/").content.decode()
    waiting = _section(body, "waiting-title")
    assert f'<a href="{file_oblast}">{second.case.reference}</a>' in waiting
    assert "/cases/" not in waiting
    assert logged_in(world.oblast_official).get(file_oblast).status_code == 200
