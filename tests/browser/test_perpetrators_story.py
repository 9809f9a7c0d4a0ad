"""Who traffics and where people are found, end to end in Chromium through the real pages
(issue 14, point 11).

Border guards at the Bachivsk crossing point record a group identification of five persons, one
per line. Two of them agree that the police may have their cases for criminal proceedings. The
police investigator registers the proceeding, adds the two as injured parties and records the
broker who sent them, with a phone number written another way than in an older IDP incident of
another unit: the alert fires for the investigator of that older record, who sees that the
number is "known in another unit's record" without being told whose. The NGO caseworker sees
neither the broker nor the alert (403), and an investigator of a third unit sees nothing (404).
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
from opennrm.borders.models import Operation
from opennrm.borders.services import IncidentInput, record_incident
from opennrm.justice.perpetrator_services import (
    IdentifierInput,
    PerpetratorInput,
    record_perpetrator,
)
from opennrm.justice.perpetrator_vault import PerpetratorIdentity
from opennrm.justice.perpetrators import Alert, Perpetrator
from opennrm.nrm.referrals.services import accept_referral, refer_case
from opennrm.tenancy.actor import actor_for
from opennrm.tenancy.models import Agency
from tests.browser.helpers import OpenPage, log_in, shot
from tests.conftest import record_basis

pytestmark = pytest.mark.browser

ERDR = "12016590000000042"
BROKER = "Лисенко"
OLD_BROKER = "Старченко"
PHONE_OLD = "+380675550119"
PHONE_NEW = "067 555 01 19"
FIVE = "\n".join(
    (
        "Коваль Ірина; Ж; 24; UA; uk",
        "Коваль Марія; Ж; 19; UA; uk",
        "Бондар Петро; Ч; 31; UA; uk",
        "(жінка в червоному пальті); F; 35; UA; ru",
        "Ткачук Олег; M; 28; UA; uk",
    )
)


@dataclass
class Cast:
    guard: User
    investigator: User
    older_investigator: User
    caseworker: User
    outsider: User
    old_broker: Perpetrator


@pytest.fixture
def cast(db: Any, make_user: Callable[..., User]) -> Cast:
    border = Agency.objects.create(
        name="Sumy border detachment (synthetic)", kind="StateBorderGuardService", oblast="UA-59"
    )
    police = Agency.objects.create(
        name="Counter-trafficking unit, Sumy (synthetic)", kind="NationalPolice", oblast="UA-59"
    )
    older = Agency.objects.create(
        name="Counter-trafficking unit, Kharkiv (synthetic)", kind="NationalPolice", oblast="UA-63"
    )
    ngo = Agency.objects.create(name="NGO Nadiia (synthetic)", kind="NGO", oblast="UA-63")
    third = Agency.objects.create(name="Police, Lviv (synthetic)", kind="NationalPolice")
    older_investigator = make_user("oleh.investigator", older, "investigator")
    # The older record: a broker behind an IDP incident in 2015, with his phone.
    actor = actor_for(older_investigator)
    old_broker = record_perpetrator(
        actor=actor,
        data=PerpetratorInput(
            identity=PerpetratorIdentity(family_name=OLD_BROKER, first_name="Едуард"),
            gender="Masculine",
            roles=["Broker"],
            modus_operandi=["RefugeeStatusBrokerage", "TargetsIdps"],
            identifiers=[IdentifierInput("phone", PHONE_OLD)],
        ),
    )
    record_incident(
        actor=actor,
        data=IncidentInput(
            kind="AttemptedTrafficking",
            occurred_on=dt.date(2015, 11, 2),
            oblast="UA-63",
            victims=3,
            involves_idp=True,
            idp_origin="OccupiedTerritory",
            perpetrators=[old_broker],
        ),
    )
    return Cast(
        guard=make_user("bohdan.guard", border, "border_guard"),
        investigator=make_user("ivan.investigator", police, "investigator"),
        older_investigator=older_investigator,
        caseworker=make_user("olha.caseworker", ngo, "caseworker"),
        outsider=make_user("lev.investigator", third, "investigator"),
        old_broker=old_broker,
    )


def _status(page: Page, url: str) -> int:
    response = page.goto(url)
    assert response is not None
    return response.status


def test_the_perpetrators_story_in_the_browser(open_page: OpenPage, cast: Cast) -> None:
    # Border guards: five persons found at Bachivsk, typed one per line.
    page = open_page()
    log_in(page, cast.guard.username)
    page.goto("/operations/new/")
    page.locator("#id_kind").select_option("BorderCheck")
    page.locator("#id_held_on").fill("2016-10-12")
    page.locator("#id_crossing_point").select_option("UA-59-Bachivsk")
    page.locator("#id_persons").fill(FIVE.replace("Ч; 31", "Ч; тридцять"))
    page.locator("main form button.primary").first.click()
    expect(page.locator(".form-errors")).to_contain_text("Рядок 3")
    shot(page, "perpetrators-operation-refused-uk")
    page.locator("#id_persons").fill(FIVE)
    page.locator("main form button.primary").first.click()
    expect(page).to_have_url(re.compile(r"/operations/[0-9a-f-]{36}/$"))
    expect(page.locator("#persons")).to_contain_text("5")
    shot(page, "perpetrators-operation-uk")
    operation = Operation.objects.get()
    cases = sorted(operation.cases.all(), key=lambda c: c.identified_on.isoformat() + str(c.id))
    assert len(cases) == 5

    # Two of them agree that the police have their cases for criminal proceedings.
    guard = actor_for(cast.guard)
    police = Agency.objects.get(name="Counter-trafficking unit, Sumy (synthetic)")
    for case in cases[:2]:
        record_basis(guard, case, "CriminalProceedings", ("Identity", "Justice"), recipient=police)
        referral = refer_case(
            actor=guard,
            case=case,
            to_agency=police,
            purpose="CriminalProceedings",
            data_categories=["Identity", "Justice"],
        )
        accept_referral(actor=actor_for(cast.investigator), referral=referral)

    # The police: the proceeding, the two injured parties, the broker with his phone.
    page = open_page()
    log_in(page, cast.investigator.username)
    page.goto("/proceedings/new/")
    page.locator("#id_erdr_number").fill(ERDR)
    page.locator("#id_registered_on").fill("2016-10-13")
    page.locator("#id_article").select_option("149.2")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/proceedings/[0-9a-f-]{36}/$"))
    for case in cases[:2]:
        details = page.locator(
            "details", has=page.locator("summary", has_text="Додати потерпілого або свідка")
        ).first
        if details.get_attribute("open") is None:
            details.locator("summary").click()
        details.locator("[name$='case_reference']").fill(case.reference)
        details.locator("[name$='role']").select_option("InjuredParty")
        details.locator("button[type=submit]").click()
        expect(page.locator("#participants")).to_contain_text(case.reference)

    page.goto("/perpetrators/new/")
    page.locator("#id_family_name").fill(BROKER)
    page.locator("#id_first_name").fill("Арсен")
    page.locator("#id_gender").select_option("Masculine")
    page.locator("input[name=roles][value=Broker]").check()
    page.locator("input[name=modus_operandi][value=EmigrationBrokerage]").check()
    page.locator("input[name=modus_operandi][value=TargetsIdps]").check()
    page.locator("#id_identifier_kind_1").select_option("phone")
    page.locator("#id_identifier_value_1").fill(PHONE_NEW)
    page.get_by_label(ERDR).check()
    shot(page, "perpetrators-new-uk")
    page.locator("main form button.primary").click()
    expect(page).to_have_url(re.compile(r"/perpetrators/[0-9a-f-]{36}/$"))
    expect(page.locator("#identifiers")).to_contain_text(PHONE_OLD)
    expect(page.locator("#links")).to_contain_text(ERDR)
    shot(page, "perpetrators-detail-uk")
    broker = Perpetrator.objects.exclude(id=cast.old_broker.id).get()

    # The alert fires for the investigator of the older record, who is not told whose it is.
    assert Alert.objects.filter(recipient=cast.older_investigator).count() == 1
    assert not Alert.objects.exclude(recipient=cast.older_investigator).exists()
    page = open_page()
    log_in(page, cast.older_investigator.username)
    page.goto("/alerts/")
    expect(page.locator("#alert-count")).to_contain_text("1")
    expect(page.locator("main")).to_contain_text("Відомо із запису іншого підрозділу")
    assert BROKER not in page.content()
    shot(page, "perpetrators-alerts-uk")
    assert _status(page, f"/perpetrators/{broker.id}/") == 404

    # The NGO caseworker sees neither the broker nor the alert.
    page = open_page()
    log_in(page, cast.caseworker.username)
    assert page.locator("header nav").get_by_text("Кривдники").count() == 0
    assert _status(page, "/perpetrators/") == 403
    assert _status(page, "/alerts/") == 403
    assert _status(page, f"/perpetrators/{broker.id}/") == 404
    assert BROKER not in page.content()

    # An investigator of a third unit sees nothing.
    page = open_page()
    log_in(page, cast.outsider.username)
    page.goto("/perpetrators/")
    assert BROKER not in page.content()
    assert OLD_BROKER not in page.content()
    assert _status(page, f"/perpetrators/{broker.id}/") == 404
    assert _status(page, f"/operations/{operation.id}/") == 404
    assert _status(page, f"/cases/{cases[0].id}/") == 404
    page.goto("/alerts/")
    expect(page.locator("#alert-count")).to_contain_text("0")
