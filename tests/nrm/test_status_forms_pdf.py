"""The ministry's forms of the status procedure as PDF (issue 9, point 4): the journal of
applications, the interview questionnaire, the certificate and the decision, in Ukrainian.

Each PDF is rendered and its text read back (pypdfium2). The certificate is the one form that
names the person: only for the receiving office and the deciding agency, where the identity
shows (owner, or a share with Identity); everyone else gets 403 from the gate, whatever the
PDF's compression would hide.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
import time_machine

from opennrm.accounts.models import User
from opennrm.audit.models import AuditEvent
from opennrm.cases.models import Case
from opennrm.nrm.referrals.services import accept_referral, refer_case
from opennrm.nrm.status import forms_pdf
from opennrm.nrm.status import workflow as wf
from opennrm.nrm.status.models import StatusApplication
from opennrm.tenancy.actor import Actor, actor_for
from opennrm.tenancy.models import Agency
from tests.conftest import logged_in, person_input, record_basis
from tests.nrm.test_status_support import World, application_in, build_world, perform

NOW = dt.datetime(2016, 4, 1, 11, tzinfo=dt.UTC)
FAMILY, FIRST, MIDDLE = "Квіткова", "Ярина", "Петрівна"


@pytest.fixture
def world(db: object, make_user: Callable[..., User], make_case: Callable[..., Case]) -> World:
    world = build_world(make_user, make_case)
    # The hromada registered the person (owner): her identity shows to its officials.
    world.case = make_case(
        world.actor(world.official),
        person=person_input(first=FIRST, family=FAMILY, birth="1990-04-12", middle_name=MIDDLE),
        identified_on=dt.date(2016, 3, 14),
    )
    return world


def pdf_text(content: bytes) -> str:
    import pypdfium2 as pdfium

    assert content.startswith(b"%PDF")
    pdf = pdfium.PdfDocument(content)
    # Lines joined with single spaces, so a phrase broken over two lines is still found.
    return " ".join(" ".join(page.get_textpage().get_text_range() for page in pdf).split())


def url(app: StatusApplication, form: str) -> str:
    return f"/status-applications/{app.id}/print/{form}/"


def printed(user: User, app: StatusApplication, form: str) -> str:
    response = logged_in(user).get(url(app, form))
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition == f'attachment; filename="status-{form}-{app.id}.pdf"'
    return pdf_text(response.content)


def last_print() -> AuditEvent:
    event = AuditEvent.objects.filter(action="status.form_printed").order_by("-seq").first()
    assert event is not None
    return event


@time_machine.travel(NOW, tick=False)
def test_the_certificate_names_the_person_for_the_receiving_office(world: World) -> None:
    app = application_in(world, wf.GRANTED)
    text = printed(world.official, app, forms_pdf.CERTIFICATE)
    assert "ДОВІДКА № C-20160319" in text  # the title, in capitals
    assert f"{FAMILY} {FIRST} {MIDDLE}" in text
    assert "12.04.1990" in text  # the date of birth
    assert "19.03.2016" in text
    assert "18.03.2018" in text
    assert "17/2016" in text
    assert "звірте з офіційними" in text  # the footer: reconstructed, check before use
    event = last_print()
    assert event.detail == {"form": "certificate", "application": str(app.id)}
    assert event.object_id == str(world.case.id)
    assert FAMILY not in str(event.detail)


@time_machine.travel(NOW, tick=False)
def test_the_questionnaire_and_the_decision_never_name_the_person(world: World) -> None:
    app = application_in(world, wf.GRANTED)
    questionnaire = printed(world.official, app, forms_pdf.QUESTIONNAIRE)
    assert "АНКЕТА" in questionnaire
    assert "№ 17/2016 від 15.03.2016" in questionnaire
    assert "16.03.2016" in questionnaire  # the interview's date
    assert "Сама особа" in questionnaire  # who applied, in Ukrainian
    assert "Копія документа" in questionnaire or "документа, що посвідчує" in questionnaire
    decision = printed(world.decider, app, forms_pdf.DECISION)
    assert "про встановлення статусу" in decision
    assert "19.03.2016" in decision
    assert "C-20160319" in decision
    assert "17/2016" in decision
    for text in (questionnaire, decision):
        assert FAMILY not in text
        assert FIRST not in text
        assert "12.04.1990" not in text
    assert last_print().detail == {"form": "decision", "application": str(app.id)}


@time_machine.travel(NOW, tick=False)
def test_a_refusal_prints_its_ground(world: World) -> None:
    app = application_in(world, wf.REFUSED)
    text = printed(world.decider, app, forms_pdf.DECISION)
    assert "про відмову у встановленні статусу" in text
    assert "Недостатньо підтвердних матеріалів" in text
    assert "19.03.2016" in text


@time_machine.travel(NOW, tick=False)
def test_a_waived_interview_prints_its_reason(world: World) -> None:
    app = application_in(world, wf.REGISTERED)
    app = perform(world, app, wf.WAIVE_INTERVIEW, dt.date(2016, 3, 16))
    text = printed(world.official, app, forms_pdf.QUESTIONNAIRE)
    assert "Співбесіду не проводили" in text
    assert "правоохоронними органами" in text


@time_machine.travel(NOW, tick=False)
def test_the_forms_are_ukrainian_whatever_the_users_language(world: World) -> None:
    app = application_in(world, wf.GRANTED)
    client = logged_in(world.official)
    client.cookies["django_language"] = "en"
    response = client.get(url(app, forms_pdf.QUESTIONNAIRE), HTTP_ACCEPT_LANGUAGE="en")
    text = pdf_text(response.content)
    assert "Сама особа" in text
    assert "The person themselves" not in text


@time_machine.travel(NOW, tick=False)
def test_the_application_page_links_the_forms_the_user_may_print(world: World) -> None:
    app = application_in(world, wf.GRANTED)
    page = logged_in(world.official).get(f"/status-applications/{app.id}/").content.decode()
    for form in forms_pdf.APPLICATION_FORMS:
        assert url(app, form) in page
    # The deciding agency does not see the identity (no share): no certificate link.
    page = logged_in(world.decider).get(f"/status-applications/{app.id}/").content.decode()
    assert url(app, forms_pdf.DECISION) in page
    assert url(app, forms_pdf.CERTIFICATE) not in page


@time_machine.travel(NOW, tick=False)
def test_only_those_who_may_see_the_identity_print_the_certificate(
    world: World, make_user: Callable[..., User]
) -> None:
    app = application_in(world, wf.GRANTED)
    # The deciding agency without a share of the case: the identity does not show.
    assert logged_in(world.decider).get(url(app, forms_pdf.CERTIFICATE)).status_code == 403
    # A hromada user without a status permission sees the case but prints nothing.
    guard = make_user("bohdan.guard", world.hromada, "border_guard")
    for form in forms_pdf.APPLICATION_FORMS:
        assert logged_in(guard).get(url(app, form)).status_code == 403, form
    refused = AuditEvent.objects.filter(action="status.form_printed").count()
    assert refused == 0


@time_machine.travel(NOW, tick=False)
def test_a_share_without_identity_gets_no_certificate(
    world: World, make_user: Callable[..., User], agency_a: Agency
) -> None:
    """An NGO owns the case and shares it with the hromada for the status application: the
    hromada prints the certificate only when the share includes Identity."""
    ngo_user = make_user("nadiia.owner", agency_a, "caseworker")
    owner = actor_for(ngo_user)
    for start, categories, expected in (
        (dt.date(2016, 3, 1), ("CaseFacts",), 403),
        (dt.date(2016, 3, 10), ("Identity", "CaseFacts"), 200),
    ):
        world.case = _shared_case(world, owner, categories)
        app = application_in(world, wf.GRANTED, start=start, journal_number=f"{start:%d}/2016")
        response = logged_in(world.official).get(url(app, forms_pdf.CERTIFICATE))
        assert response.status_code == expected, categories
        if expected == 200:
            assert "Шевченко" in pdf_text(response.content)


def _shared_case(world: World, owner: Actor, categories: tuple[str, ...]) -> Case:
    from opennrm.cases.services import register_case
    from tests.conftest import case_input

    case = register_case(actor=owner, person=person_input(), case=case_input())
    record_basis(owner, case, "StatusApplication", categories, recipient=world.hromada)
    referral = refer_case(
        actor=owner,
        case=case,
        to_agency=world.hromada,
        purpose="StatusApplication",
        data_categories=list(categories),
    )
    accept_referral(actor=world.actor(world.official), referral=referral)
    return case


@time_machine.travel(NOW, tick=False)
def test_another_agency_gets_404_and_missing_forms_are_404(world: World, outsider: User) -> None:
    app = application_in(world, wf.AT_NATIONAL)
    for form in (*forms_pdf.APPLICATION_FORMS, "journal", "nonsense"):
        assert logged_in(outsider).get(url(app, form)).status_code == 404, form
    # Not issued yet: no certificate and no decision to print.
    official = logged_in(world.official)
    assert official.get(url(app, forms_pdf.CERTIFICATE)).status_code == 404
    assert official.get(url(app, forms_pdf.DECISION)).status_code == 404
    assert official.get(url(app, "nonsense")).status_code == 404
    assert official.get(url(app, forms_pdf.QUESTIONNAIRE)).status_code == 200


@time_machine.travel(NOW, tick=False)
def test_the_journal_lists_only_the_offices_own_applications(
    world: World, make_user: Callable[..., User], make_case: Callable[..., Case]
) -> None:
    granted = application_in(world, wf.GRANTED)
    reference = world.case.reference
    world.case = make_case(world.actor(world.official))
    registered = application_in(
        world, wf.REGISTERED, start=dt.date(2016, 3, 25), journal_number="18/2016"
    )
    world.case = make_case(world.actor(world.official))
    outside = application_in(
        world, wf.REGISTERED, start=dt.date(2015, 12, 30), journal_number="3/2015"
    )
    other_office = Agency.objects.create(
        name="Hromada executive body Derhachi (synthetic)",
        kind="HromadaExecutiveBody",
        oblast="UA-63",
    )
    stranger = make_user("stepan.derhachi", other_office, "caseworker")
    stranger_world = World(**{**world.__dict__, "hromada": other_office, "official": stranger})
    stranger_world.case = make_case(actor_for(stranger))
    foreign = application_in(stranger_world, wf.REGISTERED, journal_number="99/2016")

    response = logged_in(world.official).get("/status/journal.pdf?from=2016-01-01&to=2016-12-31")
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="status-journal-20160101-20161231.pdf"'
    )
    text = pdf_text(response.content)
    assert "ЖУРНАЛ РЕЄСТРАЦІЇ ЗАЯВ" in text
    assert "17/2016" in text
    assert "18/2016" in text
    assert "15.03.2016" in text
    assert "25.03.2016" in text
    assert "C-20160319" in text  # the outcome: granted, with the certificate
    assert reference in text
    assert "99/2016" not in text
    assert "3/2015" not in text
    assert FAMILY not in text
    event = last_print()
    assert event.detail["form"] == "journal"
    assert sorted(event.detail["applications"]) == sorted([str(granted.id), str(registered.id)])
    assert str(outside.id) not in event.detail["applications"]
    assert str(foreign.id) not in event.detail["applications"]

    # By default: the current year to date.
    assert "17/2016" in pdf_text(logged_in(world.official).get("/status/journal.pdf").content)
    # A bad period is refused.
    bad = logged_in(world.official).get("/status/journal.pdf?from=2016-12-31&to=2016-01-01")
    assert bad.status_code == 400
    assert logged_in(world.official).get("/status/journal.pdf?from=x").status_code == 400


@time_machine.travel(NOW, tick=False)
def test_the_journal_is_the_receiving_offices_only(world: World, outsider: User) -> None:
    application_in(world, wf.GRANTED)
    for user in (world.decider, world.oblast_official, outsider):
        assert logged_in(user).get("/status/journal.pdf").status_code == 403
    page = logged_in(world.official).get("/status/deadlines/").content.decode()
    assert "/status/journal.pdf" in page
    assert (
        "/status/journal.pdf"
        not in logged_in(world.decider).get("/status/deadlines/").content.decode()
    )


@time_machine.travel(NOW, tick=False)
def test_each_form_renders_on_a_page_that_is_not_blank(world: World) -> None:
    import pypdfium2 as pdfium

    app = application_in(world, wf.GRANTED)
    identity_app = StatusApplication.objects.select_related(
        "case__person", "receiving_agency", "national_agency"
    ).get(pk=app.pk)
    from opennrm.people.identity import open_identity

    documents = [
        forms_pdf.journal_pdf(
            [identity_app],
            agency_name=world.hromada.name,
            start=dt.date(2016, 1, 1),
            end=dt.date(2016, 12, 31),
        ),
        forms_pdf.questionnaire_pdf(identity_app),
        forms_pdf.certificate_pdf(identity_app, open_identity(identity_app.case.person)),
        forms_pdf.decision_pdf(identity_app),
    ]
    for content in documents:
        page = pdfium.PdfDocument(content)[0]
        image = page.render(scale=1).to_numpy()
        assert (image < 100).all(axis=2).sum() > 2000
