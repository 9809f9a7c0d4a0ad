"""Issue 10 item 8: the deciders see the file through a share the forward opens.

Before the file reaches the National Social Service its decision-maker gets 404 on the case;
the forward to the national level opens a share with purpose `StatusApplication` for exactly
Identity, Documents and CaseFacts (audited); the decision page then shows the identity and the
file's documents, never health or psycho-social notes; another NSS-level agency sees nothing;
the decision ends the share."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from opennrm.access import policy
from opennrm.accounts.models import User
from opennrm.audit.models import AuditEvent
from opennrm.cases.models import Case
from opennrm.casework import services as casework
from opennrm.nrm.referrals.models import Referral
from opennrm.nrm.referrals.workflow import ACTIVE, ENDED
from opennrm.nrm.status import workflow as wf
from opennrm.tenancy.models import Agency
from tests.conftest import logged_in
from tests.nrm.test_status_support import APPLIED, World, application_in, build_world, perform

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
HEALTH_NOTE = "Панічні атаки після повернення"
PSYCHO_NOTE = "Потребує супроводу психолога"
HEALTH_FILE = "Медична довідка лікаря"
ID_FILE = "Копія паспорта громадянина"


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture
def world(db: Any, make_user: Callable[..., User], make_case: Callable[..., Case]) -> World:
    return build_world(make_user, make_case)


@pytest.fixture
def file_world(world: World) -> World:
    owner = world.actor(world.official)
    casework.write_note(
        actor=owner, case=world.case, about="Case", category="Health", text=HEALTH_NOTE
    )
    casework.write_note(
        actor=owner, case=world.case, about="Case", category="Psychosocial", text=PSYCHO_NOTE
    )
    casework.add_attachment(
        actor=owner, case=world.case, category="Documents", title=ID_FILE, content=PDF
    )
    casework.add_attachment(
        actor=owner, case=world.case, category="Health", title=HEALTH_FILE, content=PDF
    )
    return world


def test_the_decider_sees_the_file_only_through_the_forward_share(
    file_world: World, make_user: Callable[..., User]
) -> None:
    world = file_world
    decider = logged_in(world.decider)
    case_url = reverse("web:case_detail", kwargs={"case_id": world.case.id})
    other_nss = Agency.objects.create(
        name="Ministry of Social Policy (synthetic)", kind="MinistryOfSocialPolicy"
    )
    stranger = logged_in(make_user("mykola.ministry", other_nss, "decision_maker"))

    app = application_in(world, wf.AT_OBLAST)
    # Before the forward: the deciders do not see the case at all.
    assert decider.get(case_url).status_code == 404
    assert not Referral.objects.filter(to_agency=world.nss).exists()

    app = perform(world, app, wf.FORWARD_TO_NATIONAL, APPLIED + dt.timedelta(days=3))
    share = Referral.objects.get(to_agency=world.nss)
    assert (share.purpose, share.state, share.from_agency_id) == (
        "StatusApplication",
        ACTIVE,
        world.hromada.id,
    )
    assert sorted(share.data_categories) == ["CaseFacts", "Documents", "Identity"]
    opened = AuditEvent.objects.get(action="referral.status_share_opened")
    assert opened.detail["application"] == str(app.id)
    assert opened.detail["categories"] == ["Identity", "Documents", "CaseFacts"]
    assert opened.object_id == str(world.case.id)

    # The decision page shows the identity and the file's documents, not health or notes.
    page_url = reverse("web:status_application_detail", kwargs={"application_id": app.id})
    body = decider.get(page_url).content.decode()
    assert "Шевченко" in body
    assert "Олександр" in body
    assert ID_FILE in body
    for hidden in (HEALTH_NOTE, PSYCHO_NOTE, HEALTH_FILE):
        assert hidden not in body
    viewed = AuditEvent.objects.filter(action="status.file_viewed").last()
    assert viewed is not None
    assert viewed.detail["categories"] == ["Case", "CaseFacts", "Documents", "Identity"]
    # The case page and its notes and documents obey the same share.
    assert decider.get(case_url).status_code == 200
    file_body = decider.get(
        reverse("web:case_file", kwargs={"case_id": world.case.id})
    ).content.decode()
    assert ID_FILE in file_body
    for hidden in (HEALTH_NOTE, PSYCHO_NOTE, HEALTH_FILE):
        assert hidden not in file_body
    # The deciders read, never write: no case.change, no assistance through this share.
    access = policy.case_access(world.actor(world.decider), world.case)
    assert "case.change" not in access.permissions
    assert "status.decide" in access.permissions

    # Another NSS-level agency sees nothing.
    assert stranger.get(case_url).status_code == 404
    assert stranger.get(page_url).status_code == 404

    # The decision ends the share (audited); the case is hidden again.
    perform(world, app, wf.GRANT, APPLIED + dt.timedelta(days=4))
    share.refresh_from_db()
    assert share.state == ENDED
    assert AuditEvent.objects.filter(action="referral.status_file_left").exists()
    assert decider.get(case_url).status_code == 404
    # The decision page stays open to the deciders (they hold the application), without the file.
    after = decider.get(page_url)
    assert after.status_code == 200
    assert "Шевченко" not in after.content.decode()


def test_a_return_or_a_withdrawal_ends_the_share_and_a_court_annulment_reopens_it(
    file_world: World,
) -> None:
    world = file_world
    app = application_in(world, wf.REFUSED)
    assert not Referral.objects.filter(to_agency=world.nss, state=ACTIVE).exists()
    app = perform(world, app, wf.LODGE_APPEAL, APPLIED + dt.timedelta(days=5))
    app = perform(world, app, wf.COURT_ANNULS_REFUSAL, APPLIED + dt.timedelta(days=6))
    assert app.state == wf.AT_NATIONAL
    assert Referral.objects.filter(to_agency=world.nss, state=ACTIVE).count() == 1
    perform(world, app, wf.RETURN_INCOMPLETE, APPLIED + dt.timedelta(days=7))
    assert not Referral.objects.filter(to_agency=world.nss, state=ACTIVE).exists()


def test_a_withdrawal_at_the_national_level_ends_the_share(file_world: World) -> None:
    world = file_world
    app = application_in(world, wf.AT_NATIONAL)
    assert Referral.objects.filter(to_agency=world.nss, state=ACTIVE).count() == 1
    perform(world, app, wf.WITHDRAW, APPLIED + dt.timedelta(days=4))
    assert not Referral.objects.filter(to_agency=world.nss, state=ACTIVE).exists()
