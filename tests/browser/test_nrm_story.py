"""The NRM user story, end to end in Chromium, across five agencies, through the real pages.

An NGO caseworker screens a man returned from a construction site in Russia with the ILO/EC
indicators (adult, labour): "presumed victim, refer", dimensions 1, 4 and 5 positive. She
records his consent to share the case with the hromada's social protection office for a status
application, and refers it. The hromada official sees the referral waiting on "action needed",
accepts it, registers the application (late: the interview is overdue on "action needed"),
records the interview and forwards the personal file to the oblast level, which forwards it to
the National Social Service. The decision-maker grants status; the certificate appears on the
case; the one-time payment is claimed, then paid. The case timeline lists every step with who
and which agency. When the man withdraws his consent the hromada office gets 404 on its next
request, and a police investigator of another agency sees nothing at any time.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from opennrm.accounts.models import User
from opennrm.cases.models import Case
from opennrm.nrm.referrals.models import Referral
from opennrm.nrm.status.models import OneTimePayment, StatusApplication
from opennrm.tenancy.actor import actor_for
from opennrm.tenancy.models import Agency
from tests.browser.helpers import UUID, OpenPage, log_in, shot

pytestmark = pytest.mark.browser

EN = "en-US"
# What the man told the caseworker: promised a wage, decent work and a hostel (none of it
# true); his passport taken on arrival, a "debt" for the travel and lodging; 12-hour days,
# seven days a week, for almost nothing, in a barrack. Dimensions 1, 4 and 5 are positive.
PRESENT = (
    "al.dr.wages",
    "al.dr.conditions_work",
    "al.dr.housing",
    "al.ec.excessive_hours",
    "al.ec.low_salary",
    "al.ec.bad_living",
    "al.cd.documents",
    "al.cd.debt_bondage",
)
# Asked, and not so: he was not threatened into going, nor recruited through his debts.
ABSENT = ("al.cr.violence", "al.vr.economic")
CERTIFICATE = "НСС-0417/26"


@dataclass
class Cast:
    ngo: Agency
    hromada: Agency
    oblast: Agency
    nss: Agency
    police: Agency
    caseworker: User  # NGO
    official: User  # hromada executive body: social protection, the receiving office
    oblast_official: User
    decider: User  # National Social Service, decision_maker
    investigator: User  # police, another agency


@pytest.fixture
def cast(
    make_user: Callable[..., User],
    agency_a: Agency,
    agency_b: Agency,
    caseworker: User,
    outsider: User,
) -> Cast:
    hromada = Agency.objects.create(
        name="Pisochyn hromada social protection (synthetic)",
        kind="HromadaExecutiveBody",
        oblast="UA-63",
    )
    oblast = Agency.objects.create(
        name="Kharkiv oblast administration (synthetic)", kind="StateAdministration", oblast="UA-63"
    )
    nss = Agency.objects.create(
        name="National Social Service (synthetic)", kind="NationalSocialService"
    )
    return Cast(
        ngo=agency_a,
        hromada=hromada,
        oblast=oblast,
        nss=nss,
        police=agency_b,
        caseworker=caseworker,
        official=make_user("hanna.hromada", hromada, "caseworker"),
        oblast_official=make_user("oleh.oblast", oblast, "caseworker"),
        decider=make_user("dmytro.decider", nss, "decision_maker"),
        investigator=outsider,
    )


def day(value: dt.date) -> str:
    return value.isoformat()


def action(page: Page, label: str) -> Locator:
    """An action of the status page: its <details>, opened."""
    details = page.locator("details").filter(
        has=page.locator("summary").filter(has_text=re.compile(rf"^{re.escape(label)}$"))
    )
    expect(details).to_have_count(1)
    details.locator("summary").click()
    expect(details.locator("form")).to_be_visible()
    return details


def action_rows(page: Page) -> Locator:
    return page.locator("main table tbody tr")


def open_item(row: Locator) -> None:
    """Follow an action-needed item by its label (the case reference beside it links too)."""
    row.locator("td").first.locator("a").click()


def expect_not_found(page: Page, path: str, *hidden: str) -> None:
    answer = page.goto(path)
    assert answer is not None
    assert answer.status == 404, (path, answer.status)
    for text in hidden:
        expect(page.locator("main")).not_to_contain_text(text)


def timeline(page: Page) -> list[tuple[str, str, str, str]]:
    """The case timeline as shown: (time, what, detail, who) per entry, in page order."""
    entries = page.locator("ol.timeline > li")
    expect(entries.first).to_be_visible()
    rows: list[list[str]] = entries.evaluate_all(
        """items => items.map(li => [
            li.querySelector("time").textContent.trim(),
            li.querySelector(".what").textContent.trim(),
            (li.querySelector(".detail") || {textContent: ""}).textContent.trim(),
            li.querySelector(".who").textContent.trim(),
        ])"""
    )
    return [(when, what, detail, who) for when, what, detail, who in rows]


def check_timeline(
    rows: list[tuple[str, str, str, str]],
    steps: list[tuple[str, str, dt.date]],
    problems: list[str],
) -> None:
    """Each step once, on its day (hard); its agency and user, and the order (soft)."""
    positions = []
    for what, who, on in steps:
        found = [(i, row) for i, row in enumerate(rows) if row[1] == what]
        assert len(found) == 1, (what, rows)
        index, (when, _, _, shown_who) = found[0]
        assert when.startswith(day(on)), (what, when)
        if shown_who != who:
            problems.append(f"timeline: {what!r} shows who {shown_who!r}, expected {who!r}")
        positions.append(index)
    if positions != sorted(positions):
        shown = [rows[i][0] + " " + rows[i][1] for i in sorted(positions)]
        problems.append("timeline: the steps are out of order:\n    " + "\n    ".join(shown))


def search(page: Page, text: str) -> None:
    page.locator("#id_q").fill(text)
    # The POST keeps the name on the server and answers 303 to a GET address with a search id.
    with page.expect_response(
        lambda r: r.request.method == "GET" and "/cases/?" in r.url and "s=" in r.url
    ) as answer:
        page.locator("form.filters button[type=submit]").click()
    assert answer.value.status == 200


@pytest.mark.browser
def test_screen_refer_status_granted_paid_then_consent_withdrawn(
    live_server: Any, open_page: OpenPage, cast: Cast, make_case: Callable[..., Case]
) -> None:
    today = timezone.localdate()
    applied_on = today - dt.timedelta(days=5)  # interview due 3 days later: overdue today
    valid_until = today + dt.timedelta(days=729)  # within two years of issue, leap year or not
    journal = f"17/{today.year}"
    problems: list[str] = []  # wrong but not blocking: reported at the end, the story goes on
    case = make_case(actor_for(cast.caseworker))
    case_url = f"{live_server.url}/cases/{case.id}/"

    # The police investigator of another agency: nothing, before anything is shared.
    police = open_page(locale=EN)
    log_in(police, cast.investigator.username)
    expect_not_found(police, case_url, "Шевченко", case.reference)

    # --- The NGO caseworker logs in (Ukrainian by default) and switches to English. ---------
    ngo = open_page()
    log_in(ngo, cast.caseworker.username)
    expect(ngo.locator("html")).to_have_attribute("lang", "uk")
    ngo.locator("header form.lang button[value=en]").click()
    expect(ngo.locator("html")).to_have_attribute("lang", "en")
    ngo.goto(case_url)
    expect(ngo.locator("main h1")).to_have_text("Шевченко Олександр")
    expect(ngo.locator("#screenings")).to_contain_text("No screening attached to this case.")

    # Screening: the adult labour list, the eight indicators he told of, two asked and absent.
    ngo.locator("#screenings a", has_text="Screen with the indicators").click()
    expect(ngo).to_have_url(re.compile(rf"/screenings/new/\?case={case.id}$"))
    ngo.locator("input[name=list_key][value=adult_labour]").check()
    ngo.locator("main form button[type=submit]").click()
    expect(ngo).to_have_url(re.compile(rf"/screenings/{UUID}/answers/$"))
    expect(ngo.locator("main h1")).to_have_text("Adults — labour exploitation")
    for indicator in PRESENT:
        ngo.locator(f"input[name=ind_{indicator.replace('.', '__')}][value=present]").check()
    for indicator in ABSENT:
        ngo.locator(f"input[name=ind_{indicator.replace('.', '__')}][value=absent]").check()
    ngo.locator("main form button[type=submit]").click()
    expect(ngo).to_have_url(re.compile(rf"/screenings/{UUID}/$"))
    expect(ngo.locator("#result-title")).to_have_text("Result: Presumed victim, refer")
    dimensions = ngo.locator("main table tbody tr")
    expect(dimensions).to_have_count(6)
    for number in range(1, 7):
        state = "^positive$" if number in (1, 4, 5) else "^not positive"
        expect(dimensions.nth(number - 1).locator("td").first).to_have_text(re.compile(state))
    expect(dimensions.nth(0)).to_contain_text("1. Deceptive recruitment")
    expect(dimensions.nth(3)).to_contain_text("4. Exploitative conditions of work")
    expect(dimensions.nth(4)).to_contain_text("5. Coercion at destination")
    expect(ngo.locator("main")).to_contain_text("Confiscation of documents (strong)")
    expect(ngo.locator("main")).to_contain_text("It is not a legal finding")
    expect(ngo.locator("#missing")).to_have_count(0)
    shot(ngo, "nrm-01-screening-result")
    ngo.locator("#case a", has_text=case.reference).click()
    expect(ngo).to_have_url(case_url)
    expect(ngo.locator("#screenings li")).to_have_text(
        # The positive dimensions by name: 1, 4 and 5.
        "Adults — labour exploitation — Presumed victim, refer (Deceptive recruitment; "
        "Exploitative conditions of work; Coercion at destination)"
    )

    # Consent: to share identity and case facts with the hromada, for the status application.
    expect(ngo.locator("#consent")).to_contain_text("No consent recorded.")
    ngo.locator("#consent a", has_text="Record consent").click()
    expect(ngo.locator("#id_legal_basis")).to_have_value("Consent")
    ngo.locator("input[name=purposes][value=StatusApplication]").check()
    ngo.locator("input[name=data_categories][value=Identity]").check()
    ngo.locator("input[name=data_categories][value=CaseFacts]").check()
    ngo.locator("#id_recipient").select_option(str(cast.hromada.id))
    expect(ngo.locator("#id_given_on")).to_have_value(day(today))
    ngo.locator("main form button[type=submit]").click()
    expect(ngo).to_have_url(case_url + "#consent")
    consent_row = ngo.locator("#consent tbody tr")
    expect(consent_row).to_have_count(1)
    expect(consent_row).to_contain_text("Victim-status application")
    expect(consent_row).to_contain_text(cast.hromada.name)
    expect(consent_row).to_contain_text(day(today))

    # The referral, to the hromada, for the status application (purpose and data preset).
    ngo.locator(".page-head .actions a", has_text="Refer").click()
    expect(ngo).to_have_url(f"{case_url}referrals/new/")
    expect(ngo.locator("#id_purpose")).to_have_value("StatusApplication")
    ngo.locator("#id_to_agency").select_option(str(cast.hromada.id))
    ngo.locator("main form button[type=submit]").click()
    expect(ngo).to_have_url(re.compile(rf"/referrals/{UUID}/$"))
    expect(ngo.locator(".messages")).to_contain_text("The referral was sent.")
    expect(ngo.locator("main dl")).to_contain_text("waiting for an answer")
    referral_url = ngo.url

    # --- The hromada official: the referral waits on "action needed"; she accepts it. -------
    hromada = open_page(locale=EN)
    log_in(hromada, cast.official.username)
    hromada.locator("header nav a", has_text="Action needed").click()
    expect(hromada).to_have_url(f"{live_server.url}/action-needed/")
    expect(hromada.locator("main .count")).to_have_text("1 item waits for you.")
    expect(action_rows(hromada)).to_have_count(1)
    waiting = action_rows(hromada).first
    # The row names the case by its reference (never the person), the purpose and the day sent.
    expect(waiting).to_contain_text(
        f"Answer the referral of case {case.reference} from {cast.ngo.name}: "
        f"Victim-status application (sent on {day(today)})"
    )
    expect(waiting).to_contain_text("waiting")
    shot(hromada, "nrm-02-hromada-action-needed-referral")
    # Not yet accepted: the case itself stays closed to her.
    expect_not_found(hromada, case_url, "Шевченко")
    hromada.goto("/action-needed/")
    open_item(waiting)
    expect(hromada).to_have_url(referral_url)
    hromada.locator("main form[action$='/accept/'] button").click()
    expect(hromada.locator("main dl")).to_contain_text("accepted: shared")
    assert Referral.objects.get().state == "active"

    # The case, shared: the status procedure; she registers the application from 5 days ago.
    hromada.locator("main .eyebrow a", has_text=case.reference).click()
    expect(hromada).to_have_url(case_url)
    expect(hromada.locator("main h1")).to_have_text("Шевченко Олександр")
    expect(hromada.locator("main")).to_contain_text(f"shared with your agency by {cast.ngo.name}")
    hromada.locator(".page-head .actions a", has_text="Status procedure").click()
    expect(hromada).to_have_url(f"{case_url}status-procedure/")
    expect(hromada.locator("#applications")).to_contain_text("No status application yet.")
    hromada.locator("a", has_text="Register a status application").click()
    hromada.locator("#id_journal_number").fill(journal)
    hromada.locator("#id_applied_on").fill(day(applied_on))
    hromada.locator("input[name=documents][value=Application]").check()
    hromada.locator("input[name=documents][value=IdentityDocumentCopy]").check()
    hromada.locator("main form button[type=submit]").click()
    expect(hromada).to_have_url(re.compile(rf"/status-applications/{UUID}/$"))
    application_url = hromada.url
    expect(hromada.locator("main h1")).to_have_text(f"Status application No. {journal}")
    expect(hromada.locator("#state")).to_have_text("Registered")
    expect(hromada.locator("main")).not_to_contain_text("Шевченко")  # no identity here

    # Her "action needed": the interview is overdue (due 3 days after the application).
    interview_due = applied_on + dt.timedelta(days=3)
    hromada.goto("/action-needed/")
    expect(hromada.locator("main .count")).to_have_text("1 item waits for you, 1 overdue.")
    overdue = action_rows(hromada).first
    expect(overdue).to_have_class(re.compile(r"\bis-overdue\b"))
    expect(overdue).to_contain_text(f"Interview the applicant or record why not ({journal})")
    expect(overdue).to_contain_text(day(interview_due))
    expect(overdue).to_contain_text("overdue")
    shot(hromada, "nrm-03-hromada-action-needed-overdue")
    open_item(overdue)
    expect(hromada).to_have_url(application_url)

    # The interview (consent first, non-disclosure signed), then the file to the oblast level.
    form = action(hromada, "Record the interview")
    expect(form.locator("input[type=date]")).to_have_value(day(today))
    form.locator("input[name$=consent_recorded]").check()
    form.locator("input[name$=nondisclosure_signed]").check()
    form.locator("button[type=submit]").click()
    expect(hromada.locator("#state")).to_have_text("Interviewed, file being compiled")
    form = action(hromada, "Forward the personal file to the oblast level")
    form.locator("select").select_option(str(cast.oblast.id))
    form.locator("button[type=submit]").click()
    expect(hromada.locator("#state")).to_have_text("File at the oblast level")
    expect(hromada.locator("#actions")).to_contain_text("Nothing for you to do in this state")

    # --- The oblast administration: the file waits for it; it forwards it to the NSS. -------
    oblast = open_page(locale=EN)
    log_in(oblast, cast.oblast_official.username)
    oblast.goto("/action-needed/")
    expect(action_rows(oblast)).to_have_count(1)
    expect(action_rows(oblast).first).to_contain_text(
        f"Forward the personal file to the national level ({journal})"
    )
    open_item(action_rows(oblast).first)
    expect(oblast).to_have_url(application_url)
    form = action(oblast, "Forward the personal file to the national level")
    form.locator("select").select_option(str(cast.nss.id))
    with oblast.expect_navigation() as landed:
        form.locator("button[type=submit]").click()
    expect(oblast.locator(".messages")).to_have_text(
        "Recorded: Personal file forwarded to the national level."
    )
    # The file has left the oblast level, but the step just taken must not end on "Not found".
    # (App bug: the redirect goes to the application, now hidden from the oblast: 404.)
    if landed.value is None or landed.value.status != 200:
        problems.append(
            "after forwarding to the national level the oblast official lands on "
            f"{landed.value and landed.value.status} at {oblast.url}"
        )
        shot(oblast, "nrm-bug-oblast-404-after-forwarding")
    assert StatusApplication.objects.get().state == "at_national"
    # The oblast level handles the file, never the case.
    expect_not_found(oblast, case_url, "Шевченко")

    # --- The decision-maker of the National Social Service grants the status. ---------------
    nss = open_page(locale=EN)
    log_in(nss, cast.decider.username)
    nss.goto("/action-needed/")
    expect(action_rows(nss)).to_have_count(1)
    expect(action_rows(nss).first).to_contain_text(f"Decide on the status application ({journal})")
    open_item(action_rows(nss).first)
    expect(nss).to_have_url(application_url)
    form = action(nss, "Grant the status")
    form.locator("input[name=grant-certificate_number]").fill(CERTIFICATE)
    expect(form.locator("input[name=grant-certificate_issued_on]")).to_have_value(day(today))
    form.locator("input[name=grant-certificate_valid_until]").fill(day(valid_until))
    shot(nss, "nrm-04-nss-grant-form")
    form.locator("button[type=submit]", has_text="Yes, confirm: Grant the status").click()
    expect(nss.locator("#state")).to_have_text("Status granted")
    certificate = nss.locator("#certificate")
    expect(certificate).to_contain_text(CERTIFICATE)
    expect(certificate).to_contain_text(day(valid_until))
    expect(nss.locator("main")).not_to_contain_text("Шевченко")
    expect_not_found(nss, case_url, "Шевченко")

    # --- Back at the hromada: the certificate on the case; the payment claimed, then paid. --
    hromada.goto(f"{case_url}status-procedure/")
    row = hromada.locator("#applications tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(journal)
    expect(row).to_contain_text("Status granted")
    expect(row).to_contain_text(f"{CERTIFICATE}: {day(valid_until)}")
    row.locator("a", has_text=journal).click()
    expect(hromada).to_have_url(application_url)
    form = action(hromada, "Claim the one-time financial assistance")
    form.locator("select[name=claim-category]").select_option("AbleBodied")
    form.locator("button[type=submit]").click()
    payment_card = hromada.locator("#payment")
    expect(payment_card).to_contain_text("Claimed, not yet paid")
    payment = OneTimePayment.objects.get()
    # Money in the interface's locale (English: a comma between thousands).
    expect(payment_card).to_contain_text(f"{payment.amount:,.2f} UAH")
    hromada.goto("/action-needed/")
    expect(action_rows(hromada).first).to_contain_text(
        f"Pay the one-time financial assistance ({payment.amount:,.2f} UAH)"
    )
    expect(action_rows(hromada).first).to_contain_text(day(payment.due_on))
    open_item(action_rows(hromada).first)
    form = action(hromada, "Record the payment")
    form.locator("button[type=submit]", has_text="Yes, confirm: Record the payment").click()
    expect(payment_card).to_contain_text("Paid")
    expect(payment_card).to_contain_text(f"Paid on{day(today)}")
    shot(hromada, "nrm-05-application-granted-paid")
    hromada.goto("/action-needed/")
    expect(hromada.locator("main .empty")).to_contain_text("Nothing waits for you.")
    assert StatusApplication.objects.get().state == "granted"

    # --- The case timeline, as the NGO caseworker sees it: every step, who and which agency.
    ngo.goto(case_url)
    ngo.locator(".page-head .actions a", has_text="Timeline").click()
    expect(ngo).to_have_url(f"{case_url}timeline/")
    # Who: the user within the viewer's own agency; another agency's staff are never named.
    ngo_by = f"{cast.ngo.name} · {cast.caseworker.username}"
    hromada_by = cast.hromada.name
    # In the order of the story, except the application: dated the day he applied.
    steps = [
        ("Status application registered", hromada_by, applied_on),
        (
            "Screening with the ILO/EC indicators (Adults — labour exploitation): "
            "Presumed victim, refer",
            ngo_by,
            today,
        ),
        ("Legal basis recorded: Consent of the person", ngo_by, today),
        (f"Referred to {cast.hromada.name}: Victim-status application", ngo_by, today),
        (f"{cast.hromada.name} accepted the referral", hromada_by, today),
        ("Interview recorded", hromada_by, today),
        ("Personal file forwarded to the oblast level", hromada_by, today),
        (
            "Personal file forwarded to the national level",
            cast.oblast.name,
            today,
        ),
        ("Status granted", cast.nss.name, today),
        (f"One-time financial assistance claimed: {payment.amount:,.2f} UAH", hromada_by, today),
        ("One-time financial assistance paid", hromada_by, today),
    ]
    rows = timeline(ngo)
    check_timeline(rows, steps, problems)
    details = {what: detail for _, what, detail, _ in rows}
    assert details["Interview recorded"] == (
        f"journal No. {journal}; deadline missed ({day(interview_due)})"
    )
    assert re.fullmatch(
        rf"journal No\. {re.escape(journal)}; certificate No\. {re.escape(CERTIFICATE)}; "
        r"trafficking status on the case: Actual victim of trafficking, decided by: "
        r"Non-police governmental organization; deadline met \(\d{4}-\d\d-\d\d\)",
        details["Status granted"],
    ), details["Status granted"]
    assert f"Registered by {cast.ngo.name}" in details
    shot(ngo, "nrm-06-timeline")

    # --- The man withdraws his consent: the hromada loses the case on its next request. -----
    ngo.goto(case_url)
    consent_row = ngo.locator("#consent tbody tr")
    consent_row.locator("a", has_text="Withdraw").click()
    # The warning first: the share with the hromada office ends with the consent.
    expect(ngo.locator(".warning")).to_contain_text("1 referral or share")
    expect(ngo.locator("table tbody tr")).to_contain_text(cast.hromada.name)
    ngo.locator("button", has_text="Withdraw and end these shares").click()
    expect(ngo).to_have_url(case_url + "#consent")
    expect(ngo.locator(".messages")).to_contain_text("The consent was withdrawn.")
    expect(consent_row.locator("td").last).to_have_text(day(today))
    # The hromada's referral, and the decider's share (opened when the file reached the
    # National Social Service, ended with its decision): both closed now.
    referral_rows = ngo.locator("#referrals tbody tr")
    expect(referral_rows).to_have_count(2)
    expect(referral_rows.filter(has_text=cast.hromada.name)).to_contain_text("sharing ended")
    expect(referral_rows.filter(has_text=cast.nss.name)).to_contain_text("sharing ended")
    shot(ngo, "nrm-07-consent-withdrawn")
    ngo.goto(f"{case_url}timeline/")
    check_timeline(
        timeline(ngo),
        [
            ("Consent withdrawn", ngo_by, today),
            (f"Sharing with {cast.hromada.name} ended", ngo_by, today),
        ],
        problems,
    )
    for path in ("", "timeline/", "status-procedure/"):
        expect_not_found(hromada, case_url + path, "Шевченко", "Олександр")
    hromada.goto(case_url)
    shot(hromada, "nrm-08-hromada-404-after-withdrawal")

    # --- The police investigator still sees nothing: 404 and an empty name search. ----------
    for path in ("", "timeline/", "status-procedure/", "referrals/new/"):
        expect_not_found(police, case_url + path, "Шевченко", case.reference)
    police.goto("/cases/")
    for text in ("Shevchenko", "Шевченко Олександр"):
        search(police, text)
        expect(police.locator("table.cases")).to_have_count(0)
        expect(police.locator("main .empty h2")).to_be_visible()
    assert not problems, "\n".join(problems)
