"""The criminal-justice story, end to end in Chromium, through the real pages (issue 11).

An NGO's client agreed that the police may have her case for criminal proceedings. The police
investigator registers the proceeding (a mistyped ERDR number is refused with its reason first),
adds her as an injured party, records the suspect and the notice of suspicion, and her request
for protection, granted. The prosecutor (in English) sends the indictment to the court; the
judge opens the trial and schedules a hearing on 14.03.2017. The NGO caseworker sees on the case
"proceeding 12016220000000123, art. 149 p. 2, next hearing 14.03.2017, protection granted" and
nothing more: never the suspect. An outsider, and the caseworker, get 404 on the proceeding.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from opennrm.accounts.models import User
from opennrm.cases.models import Case
from opennrm.justice.models import Proceeding
from opennrm.nrm.referrals.services import accept_referral, refer_case
from opennrm.tenancy.actor import actor_for
from opennrm.tenancy.models import Agency
from tests.browser.helpers import OpenPage, log_in, shot
from tests.conftest import person_input, record_basis

pytestmark = pytest.mark.browser

ERDR = "12016220000000123"
SUSPECT = "Ловчинський"
PROSECUTORS = "Kharkiv oblast prosecutor's office (synthetic)"


@dataclass
class Cast:
    case: Case
    caseworker: User
    investigator: User
    prosecutor: User
    judge: User
    outsider: User


@pytest.fixture
def cast(db: Any, make_user: Callable[..., User], make_case: Callable[..., Case]) -> Cast:
    ngo = Agency.objects.create(name="NGO Nadiia (synthetic)", kind="NGO", oblast="UA-63")
    police = Agency.objects.create(
        name="Counter-trafficking unit, Kharkiv (synthetic)", kind="NationalPolice", oblast="UA-63"
    )
    prosecutors = Agency.objects.create(name=PROSECUTORS, kind="ProsecutorsOffice")
    court = Agency.objects.create(name="Kyivskyi district court (synthetic)", kind="Court")
    other = Agency.objects.create(name="Police, Lviv (synthetic)", kind="NationalPolice")
    caseworker = make_user("olha.caseworker", ngo, "caseworker")
    investigator = make_user("ivan.investigator", police, "investigator")
    owner = actor_for(caseworker)
    case = make_case(owner, person=person_input("Мирослава", "Гайова", "1994", "Feminine"))
    record_basis(owner, case, "CriminalProceedings", ("Identity", "Justice"), recipient=police)
    referral = refer_case(
        actor=owner,
        case=case,
        to_agency=police,
        purpose="CriminalProceedings",
        data_categories=["Identity", "Justice"],
    )
    accept_referral(actor=actor_for(investigator), referral=referral)
    return Cast(
        case=case,
        caseworker=caseworker,
        investigator=investigator,
        prosecutor=make_user("petro.prosecutor", prosecutors, "prosecutor"),
        judge=make_user("sofiia.judge", court, "judge"),
        outsider=make_user("lev.investigator", other, "investigator"),
    )


def _action(page: Page, label: str) -> Any:
    """The <details> form of the proceeding page whose summary says `label`, opened."""
    details = page.locator("details", has=page.locator("summary", has_text=label)).first
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    return details


def _field(form: Any, name: str) -> Any:
    """A field of a form by its name, with or without the form's prefix."""
    return form.locator(f"[name='{name}'], [name$='-{name}']")


def test_the_justice_story_in_the_browser(open_page: OpenPage, cast: Cast) -> None:
    # The investigator registers the proceeding; a mistyped number is refused with its reason.
    page = open_page()
    log_in(page, cast.investigator.username)
    page.goto("/proceedings/new/")
    page.locator("#id_erdr_number").fill("1201622000000012")
    page.locator("#id_registered_on").fill("2016-03-02")
    page.locator("#id_article").select_option("149.2")
    page.locator("#id_prosecution_agency").select_option(
        label="Kharkiv oblast prosecutor's office (synthetic)"
    )
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main")).to_contain_text("17")
    page.locator("#id_erdr_number").fill(ERDR)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/proceedings/[0-9a-f-]{36}/$"))
    proceeding = Proceeding.objects.get(erdr_number=ERDR)

    form = _action(page, "Додати потерпілого або свідка")
    _field(form, "case_reference").fill(cast.case.reference)
    _field(form, "role").select_option("InjuredParty")
    form.locator("button[type=submit]").click()
    expect(page.locator("#participants")).to_contain_text(cast.case.reference)

    form = _action(page, "Внести підозрюваного")
    _field(form, "family_name").fill(SUSPECT)
    _field(form, "first_name").fill("Гнат")
    _field(form, "role").select_option("Broker")
    form.locator("button[type=submit]").click()
    expect(page.locator("#suspects")).to_contain_text(SUSPECT)

    form = _action(page, "Внести повідомлення про підозру")
    _field(form, "on").fill("2016-04-01")
    form.locator("button[type=submit]").click()
    expect(page.locator("#stage")).to_contain_text("підозр")

    form = _action(page, "Внести заяву про захист")
    _field(form, "participant").select_option(index=1)
    _field(form, "measure").select_option("ConfidentialData")
    _field(form, "requested_on").fill("2016-04-02")
    form.locator("button[type=submit]").click()
    form = _action(page, "Рішення щодо заяви про захист")
    _field(form, "decision").select_option("Granted")
    _field(form, "decided_on").fill("2016-04-05")
    form.locator("button[type=submit]").click()
    shot(page, "justice-proceeding-investigator-uk")

    # The prosecutor, in English, sends the indictment to the court.
    page = open_page(locale="en-US")
    log_in(page, cast.prosecutor.username)
    page.goto("/proceedings/")
    page.get_by_role("link", name=re.compile(ERDR)).click()
    form = _action(page, "Send the indictment to court")
    _field(form, "on").fill("2016-09-01")
    _field(form, "court").select_option(label="Kyivskyi district court (synthetic)")
    form.locator("button[type=submit]").click()
    expect(page.locator("#stage")).to_contain_text("indictment")
    shot(page, "justice-proceeding-prosecutor-en")

    # The judge opens the trial and schedules a hearing.
    page = open_page()
    log_in(page, cast.judge.username)
    page.goto(f"/proceedings/{proceeding.id}/")
    expect(page.locator("#suspects")).to_contain_text(SUSPECT)
    form = _action(page, "Розпочати судовий розгляд")
    _field(form, "on").fill("2016-10-03")
    form.locator("button[type=submit]").click()
    form = _action(page, "Призначити судове засідання")
    _field(form, "on").fill("2017-03-14")
    form.locator("button[type=submit]").click()
    expect(page.locator("#hearings")).to_contain_text("14.03.2017")  # dd.mm.yyyy in Ukrainian
    proceeding.refresh_from_db()
    assert proceeding.stage == "trial"
    assert proceeding.hearings.get().on == dt.date(2017, 3, 14)

    # The NGO caseworker sees the milestones on her client's case, never the suspect.
    page = open_page()
    log_in(page, cast.caseworker.username)
    page.goto(f"/cases/{cast.case.id}/")
    section = page.locator("#proceedings")
    expect(section).to_contain_text(ERDR)
    expect(section).to_contain_text("ст. 149 ч. 2")
    expect(section).to_contain_text("14.03.2017")
    expect(section).to_contain_text("Застосовано")
    assert SUSPECT not in page.content()
    shot(page, "justice-case-milestones-uk")
    assert page.goto(f"/proceedings/{proceeding.id}/").status == 404  # type: ignore[union-attr]

    # An investigator of another unit sees nothing.
    page = open_page()
    log_in(page, cast.outsider.username)
    assert page.goto(f"/proceedings/{proceeding.id}/").status == 404  # type: ignore[union-attr]
    assert page.goto(f"/cases/{cast.case.id}/").status == 404  # type: ignore[union-attr]
    page.goto("/proceedings/")
    assert ERDR not in page.content()
