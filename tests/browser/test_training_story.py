"""The capacity-building story, end to end in Chromium, through the real pages (issue 12).

IOM's trainer records a training in Odesa, imports the participant list (one row names a
profession that does not exist: the error names row and field, nothing is imported), fixes the
file and imports it, records the post-tests, issues certificates. The donor report shows the
counts (people trained, law enforcers, knowledge gain). Anyone checks a certificate on the
public verification page without logging in and sees only initials, course, dates and validity:
never the name, the profession, the agency or the oblast.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from opennrm.accounts.models import User
from opennrm.tenancy.models import Agency
from opennrm.training.models import Certificate, Participation, Training
from tests.browser.helpers import UUID, OpenPage, axe_violations, log_in, shot

pytestmark = pytest.mark.browser

HEADER = "family_name,first_name,sex,profession,agency,oblast,pre_score\n"
ROWS = [
    "Коваленко,Олена,F,Investigator,Police of Sumy oblast (synthetic),UA-59,40\n",
    "Бондар,Іван,M,{profession},Kherson regional court (synthetic),UA-65,55\n",
    "Ткаченко,Марія,F,SocialServices,Centre of social services (synthetic),UA-14,50\n",
]
TITLE = "Detection and documentation of trafficking crimes (synthetic)"


@pytest.fixture
def trainer(db: Any, make_user: Callable[..., User]) -> User:
    iom = Agency.objects.create(
        name="IOM Mission in Ukraine (synthetic)", kind="InternationalOrganisation"
    )
    return make_user("olena.trainer", iom, "trainer")


def _participant_list(profession: str) -> dict[str, Any]:
    text = HEADER + "".join(row.format(profession=profession) for row in ROWS)
    return {"name": "participants.csv", "mimeType": "text/csv", "buffer": text.encode()}


def _submit(page: Page) -> None:
    page.locator("main form.card button[type=submit]").first.click()


def test_the_training_story_in_the_browser(open_page: OpenPage, trainer: User) -> None:
    page = open_page()
    log_in(page, trainer.username)
    page.goto("/trainings/")
    page.get_by_role("link", name="Нове навчання").click()
    page.locator("#id_title").fill(TITLE)
    page.locator("#id_format").select_option("Workshop")
    page.locator("input[name=topics][value=DetectionDocumentation]").check()
    page.locator("input[name=topics][value=PretrialAndCourt]").check()
    page.locator("#id_starts_on").fill("2016-11-08")
    page.locator("#id_ends_on").fill("2016-11-09")
    page.locator("#id_venue_city").fill("Odesa")
    page.locator("#id_venue_oblast").select_option("UA-51")
    page.locator("#id_funder").fill("US DoS J/TIP")
    page.locator("#id_project_code").fill("CT.0999")
    page.locator("input[name=target_groups][value=Investigator]").check()
    page.locator("#id_planned_participants").fill("25")
    shot(page, "training-form-uk")
    _submit(page)
    expect(page).to_have_url(re.compile(rf"/trainings/{UUID}/$"))
    expect(page.locator("h1")).to_have_text(TITLE)
    training = Training.objects.get()

    # A participant list with one bad row: named, and nothing imported.
    page.locator("#id_file").set_input_files(_participant_list("Baker"))
    page.get_by_role("button", name="Імпортувати").click()
    alert = page.locator("[role=alert]")
    expect(alert).to_contain_text("row 3: profession")
    expect(alert).to_contain_text("Baker")
    assert not Participation.objects.exists()
    shot(page, "training-import-refused-uk")

    page.locator("#id_file").set_input_files(_participant_list("Judge"))
    page.get_by_role("button", name="Імпортувати").click()
    expect(page.locator("#participants + table tbody tr")).to_have_count(3)
    expect(page.locator("main")).to_contain_text("Коваленко Олена")

    # Post-tests, one participant at a time.
    for name, score in (("Коваленко Олена", "85"), ("Бондар Іван", "75"), ("Ткаченко Марія", "80")):
        page.locator("#participants + table").get_by_role("link", name=re.compile(name)).click()
        page.locator("#id_post_score").fill(score)
        if name == "Коваленко Олена":
            shot(page, "training-results-uk")
        _submit(page)
        expect(page).to_have_url(re.compile(rf"/trainings/{UUID}/#participants$"))
    assert sorted(Participation.objects.values_list("post_score", flat=True)) == [75, 80, 85]

    page.get_by_role("button", name="Видати сертифікати").click()
    expect(page.get_by_role("status")).to_contain_text("3")
    assert Certificate.objects.count() == 3
    shot(page, "training-detail-uk")
    assert axe_violations(page) == []

    # The report shows the counts.
    page.goto("/trainings/report/?start=2016-11-01&end=2016-11-30")
    total = page.locator("#donor-total + table tbody tr")
    expect(total.locator("td").nth(0)).to_have_text("1")  # trainings
    expect(total.locator("td").nth(1)).to_have_text("3")  # people trained
    expect(total.locator("td").nth(2)).to_have_text("2")  # law enforcers: investigator, judge
    expect(total.locator("td").nth(4)).to_have_text("+31.7")  # (85+75+80 - 40-55-50) / 3
    expect(page.locator("main")).not_to_contain_text("Коваленко")
    shot(page, "training-report-uk")

    # Anyone checks a certificate: initials, course, dates, validity; nothing more.
    code = Certificate.objects.get(participation__trainee__participations__profession="Judge").code
    public = open_page()
    public.goto(f"/verify/{code.lower()}/")
    main = public.locator("main")
    expect(main).to_contain_text("І. Б.")
    expect(main).to_contain_text(TITLE)
    expect(main).to_contain_text("08.11.2016")
    expect(main).to_contain_text("чинний")
    for hidden in ("Бондар", "Іван", "court", "Суд", "Kherson", "Херсон", "UA-65", "55", "75"):
        expect(main).not_to_contain_text(hidden)
    shot(public, "training-verify-uk")

    # The other pages the trainer has: editing, the revocation's confirmation, equipment.
    page.goto(f"/trainings/{training.id}/edit/")
    expect(page.locator("#id_title")).to_have_value(TITLE)
    shot(page, "training-edit-uk")
    page.goto(f"/trainings/{training.id}/")
    page.get_by_role("link", name="Відкликати").first.click()
    expect(page.locator("h1")).to_have_text("Відкликати сертифікат")
    shot(page, "training-revoke-confirm-uk")
    page.get_by_role("link", name="Скасувати").click()
    assert not Certificate.objects.filter(revoked_on__isnull=False).exists()
    page.goto("/equipment/new/")
    page.locator("#id_item").fill("Laptop for interviews (synthetic)")
    page.locator("#id_recipient").select_option(label="IOM Mission in Ukraine (synthetic)")
    page.locator("#id_quantity").fill("2")
    page.locator("#id_value").fill("48000")
    page.locator("#id_given_on").fill("2016-12-01")
    shot(page, "training-equipment-form-uk")
    _submit(page)
    expect(page).to_have_url(re.compile(r"/equipment/$"))
    expect(page.locator("main table")).to_contain_text("Laptop for interviews")
    shot(page, "training-equipment-list-uk")
    assert axe_violations(page) == []
