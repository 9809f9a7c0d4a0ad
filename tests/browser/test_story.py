"""The issue's user story, end to end in Chromium, through the real login form.

A caseworker of one agency registers a person identified as a possible victim and the case,
finds the person again by Latin and Cyrillic name, opens and edits the case. A user of another
agency finds nothing and gets 404 on the case's URL. A supervisor of the first agency sees on
the case's history page who viewed and changed it.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from urllib.parse import unquote

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from opennrm.accounts.models import User
from opennrm.audit.models import AuditEvent
from opennrm.cases.models import Case
from tests.browser.helpers import UUID, OpenPage, log_in, log_out, shot

pytestmark = pytest.mark.browser


def search(page: Page, text: str) -> None:
    """Search by name with the case list's POST form; the name must not enter the URL."""
    page.locator("#id_q").fill(text)
    # The POST keeps the name on the server and answers 303 to a GET address with a search id.
    with page.expect_response(
        lambda r: r.request.method == "GET" and "/cases/?" in r.url and "s=" in r.url
    ) as answer:
        page.locator("form.filters button[type=submit]").click()
    assert answer.value.status == 200
    expect(page.locator("#id_q")).to_have_value(text)
    url = unquote(page.url).casefold()
    for word in text.casefold().split():
        assert word not in url, page.url
    assert "q=" not in page.url


def history_rows(page: Page, username: str, action: str) -> Any:
    return page.locator("table.audit tbody tr").filter(has_text=username).filter(has_text=action)


@pytest.mark.browser
def test_register_find_edit_then_other_agency_sees_nothing_and_supervisor_sees_history(
    live_server: Any, open_page: OpenPage, caseworker: User, supervisor: User, outsider: User
) -> None:
    # The caseworker opens the site, is sent to the login form and logs in.
    page = open_page()
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))
    expect(page.locator("#id_username")).to_be_focused()
    shot(page, "01-login")
    log_in(page, caseworker.username)
    # Every user starts the day on the start page; the case list is one link away.
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.locator("main h1")).to_have_text("Ваш робочий день")
    expect(page.locator("header .who")).to_contain_text(caseworker.username)
    page.locator("header nav a[href$='/cases/']").click()
    expect(page).to_have_url(f"{live_server.url}/cases/")

    # No case yet: the empty state invites to register the first one.
    expect(page.locator("main .empty h2")).to_be_visible()
    expect(page.locator("table.cases")).to_have_count(0)
    shot(page, "02-case-list-empty")
    page.locator("main .empty a[href$='/cases/new/']").click()
    expect(page).to_have_url(re.compile(r"/cases/new/$"))

    # The person: birth year only; the case: forced labour on a construction site in Russia,
    # recruited through an online advert. The form of exploitation is forgotten at first.
    page.locator("#id_family_name").fill("Шевченко")
    page.locator("#id_first_name").fill("Олександр")
    page.locator("#id_birth_date").fill("1987")
    page.locator("#id_gender").select_option("Masculine")
    page.locator("#id_identification_oblast").select_option("UA-63")
    page.locator("#id_channel").select_option("NGOOutreach")
    # The optional parts are collapsed: open the details of the exploitation and the events.
    page.locator("#section-context > summary").click()
    page.locator("input[name=labour_industry][value=F_Construction]").check()
    page.locator("input[name=recruitment][value=ThroughAnOnlineAdvertisement]").check()
    page.locator("#section-events > summary").click()
    page.locator("#id_events-0-type").select_option("Exploitation")
    page.locator("#id_events-0-country").select_option("RU")
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.locator("form.case-form button[type=submit]").click()
    assert answer.value.status == 422
    exploitation = page.locator(".field.has-error", has=page.locator("[name=ua_exploitation]"))
    expect(exploitation.locator(".errors")).to_be_visible()
    # What was typed survives the round trip.
    expect(page.locator("#id_family_name")).to_have_value("Шевченко")
    expect(page.locator("#id_birth_date")).to_have_value("1987")
    expect(
        page.locator("input[name=recruitment][value=ThroughAnOnlineAdvertisement]")
    ).to_be_checked()
    expect(page.locator("#id_events-0-country")).to_have_value("RU")

    page.locator("input[name=ua_exploitation][value=LabourExploitation]").check()
    page.locator("form.case-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/cases/{UUID}/$"))
    case_url = page.url
    expect(page.locator(".messages .success")).to_be_visible()
    expect(page.locator("main h1")).to_have_text("Шевченко Олександр")
    details = page.locator("main .columns")
    expect(details).to_contain_text("1987")
    expect(details).to_contain_text("Трудова експлуатація")  # law of Ukraine
    expect(details).to_contain_text("Примусова праця")  # HTCDS, derived from it
    expect(details).to_contain_text("Будівництво")
    expect(details).to_contain_text("Через оголошення в інтернеті")
    expect(page.locator("main table").first).to_contain_text("Російська Федерація")
    reference = Case.objects.get(id=case_url.rstrip("/").rsplit("/", 1)[1]).reference
    expect(page.locator("main .eyebrow")).to_contain_text(reference)
    shot(page, "04-case-detail")

    # Found again by the Latin transliteration and by a lower-case Cyrillic family name.
    page.locator("header nav a[href$='/cases/']").click()
    search(page, "Oleksandr Shevchenko")
    rows = page.locator("table.cases tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Шевченко Олександр")
    shot(page, "05-case-list-search")
    search(page, "шевченко")
    expect(rows).to_have_count(1)
    rows.first.locator("a", has_text="Шевченко").click()
    expect(page).to_have_url(case_url)

    # Edit: the form holds what was registered; add the patronymic and the place of stay.
    page.locator("main a[href$='/edit/']").click()
    expect(page.locator("#id_family_name")).to_have_value("Шевченко")
    expect(page.locator("#id_birth_date")).to_have_value("1987")
    expect(page.locator("input[name=ua_exploitation][value=LabourExploitation]")).to_be_checked()
    expect(page.locator("input[name=labour_industry][value=F_Construction]")).to_be_checked()
    expect(page.locator("#id_events-0-country")).to_have_value("RU")
    shot(page, "06-edit-form")
    page.locator("#id_middle_name").fill("Петрович")
    page.locator("#section-identity_more > summary").click()
    page.locator("#id_place_of_stay").fill("Київ, тимчасовий притулок")
    page.locator("form.case-form button[type=submit]").click()
    expect(page).to_have_url(case_url)
    expect(page.locator(".messages .success")).to_be_visible()
    expect(page.locator("main h1")).to_have_text("Шевченко Олександр Петрович")
    expect(page.locator("main .columns")).to_contain_text("Київ, тимчасовий притулок")
    log_out(page)

    # A user of another agency: the same searches find nothing, the case's URL answers 404.
    other = open_page()
    log_in(other, outsider.username)
    other.locator("header nav a[href$='/cases/']").click()
    for text in ("Oleksandr Shevchenko", "шевченко"):
        search(other, text)
        expect(other.locator("table.cases")).to_have_count(0)
        expect(other.locator("main .empty h2")).to_be_visible()
    for path in ("", "edit/", "history/"):
        answer = other.goto(case_url + path)
        assert answer is not None
        assert answer.status == 404, path
        expect(other.locator("main")).not_to_contain_text("Шевченко")
        expect(other.locator("main")).not_to_contain_text(reference)
    other.goto(case_url)
    shot(other, "08-other-agency-404")

    # The supervisor of the first agency sees who viewed and changed the case.
    auditor = open_page()
    log_in(auditor, supervisor.username)
    auditor.goto(case_url)
    auditor.locator("main a[href$='/history/']").click()
    expect(auditor).to_have_url(case_url + "history/")
    for action in ("case.registered", "case.viewed", "case.changed"):
        expect(history_rows(auditor, caseworker.username, action).first).to_be_visible()
    # Times are shown in Kyiv time, as the column says (Europe/Kyiv), with the zone's name.
    registered = AuditEvent.objects.get(action="case.registered")
    kyiv = timezone.localtime(registered.at)
    assert kyiv.utcoffset() != dt.timedelta(0)  # Kyiv time and UTC can be told apart
    expect(auditor.locator("table.audit thead")).to_contain_text("Europe/Kyiv")
    expect(history_rows(auditor, caseworker.username, "case.registered")).to_contain_text(
        kyiv.strftime("%Y-%m-%d %H:%M:%S %Z")
    )
    expect(history_rows(auditor, supervisor.username, "case.viewed")).to_have_count(1)
    # The other agency's attempts opened nothing, and each refusal is in the case's history.
    expect(history_rows(auditor, outsider.username, "access.refused")).to_have_count(4)
    expect(history_rows(auditor, outsider.username, "case.viewed")).to_have_count(0)
    # The history names the changed fields, never their values.
    expect(auditor.locator("main")).not_to_contain_text("Петрович")
    expect(auditor.locator("main")).not_to_contain_text("притулок")
    expect(auditor.locator("main")).not_to_contain_text("Шевченко")
    shot(auditor, "07-history")
