"""The training forms (create, edit, results, files, revocation, equipment), the donor report
(page, XLSX, PDF), the training family of the statistics registry and what followed."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from openpyxl import load_workbook

from opennrm.accounts.models import User
from opennrm.audit.models import AuditEvent
from opennrm.cases.models import Case
from opennrm.reports.indicators import Filters, compute
from opennrm.reports.training_followed import add_months, what_followed
from opennrm.tenancy.actor import Actor, actor_for
from opennrm.tenancy.models import Agency
from opennrm.training import services
from opennrm.training.models import Certificate, Equipment, Training, TrainingFile
from opennrm.training.queries import Scope
from tests.conftest import case_input, logged_in, person_input
from tests.training.conftest import participant
from tests.training.objects import PDF

FORM = {
    "title": "Online recruitment (synthetic)",
    "format": "Workshop",
    "topics": ["OnlineRecruitment"],
    "starts_on": "2016-11-15",
    "ends_on": "2016-11-16",
    "venue_city": "Odesa",
    "venue_oblast": "UA-51",
    "trainers": "",
    "funder": "US DoS J/TIP",
    "project_code": "CT.1001",
    "target_groups": ["PoliceOfficer"],
    "planned_participants": "20",
}


def english(user: User) -> Client:
    client = logged_in(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def test_create_and_edit_a_training(trainer: Actor) -> None:
    client = english(trainer.user)
    assert client.get("/trainings/new/").status_code == 200
    refused = client.post("/trainings/new/", {**FORM, "ends_on": "2016-11-14"})
    assert refused.status_code == 422
    assert "The last day is before the first." in refused.content.decode()
    assert not Training.objects.exists()
    created = client.post("/trainings/new/", FORM)
    training = Training.objects.get()
    assert created.status_code == 302
    assert created["Location"] == f"/trainings/{training.id}/"
    edit = f"/trainings/{training.id}/edit/"
    assert "Online recruitment" in client.get(edit).content.decode()
    assert client.post(edit, {**FORM, "planned_participants": "30"}).status_code == 302
    training.refresh_from_db()
    assert training.planned_participants == 30
    event = AuditEvent.objects.filter(action="training.updated").get()
    assert event.detail["fields"] == ["planned_participants"]


def test_editing_keeps_the_days_attended(trainer: Actor, training: Training) -> None:
    services.add_participant(actor=trainer, training=training, data=participant())
    client = logged_in(trainer.user)
    answer = client.post(
        f"/trainings/{training.id}/edit/",
        {**FORM, "starts_on": "2016-11-09", "ends_on": "2016-11-10"},
    )
    assert answer.status_code == 422
    assert "2016-11-08" in answer.content.decode()


def test_results_files_and_revocation(trainer: Actor, training: Training) -> None:
    client = english(trainer.user)
    one = services.add_participant(
        actor=trainer, training=training, data=participant(days_attended=[dt.date(2016, 11, 8)])
    )
    url = f"/trainings/{training.id}/participants/{one.id}/"
    assert client.get(url).status_code == 200
    bad = client.post(url, {"days_attended": ["2016-11-08"], "post_score": "140"})
    assert bad.status_code == 422
    good = client.post(
        url,
        {"days_attended": ["2016-11-08", "2016-11-09"], "pre_score": "40", "post_score": "85"},
    )
    assert good.status_code == 302
    one.refresh_from_db()
    assert (one.pre_score, one.post_score, len(one.days_attended)) == (40, 85, 2)
    # Files: a PDF by content and type; anything else is refused on the form.
    files = f"/trainings/{training.id}/files/"
    fake = SimpleUploadedFile("agenda.pdf", b"MZ not a pdf", content_type="application/pdf")
    answer = client.post(files, {"attach-kind": "Agenda", "attach-file": fake})
    assert answer.status_code == 422
    assert "Upload a PDF file." in answer.content.decode()
    agenda = SimpleUploadedFile("agenda.pdf", PDF, content_type="application/pdf")
    assert client.post(files, {"attach-kind": "Agenda", "attach-file": agenda}).status_code == 302
    stored = TrainingFile.objects.get()
    download = client.get(f"/training-files/{stored.id}/")
    assert download.content == PDF
    assert AuditEvent.objects.filter(action="training.file_downloaded").count() == 1
    # Revocation: a confirmation page first, then the change.
    client.post(f"/trainings/{training.id}/certificates/")
    certificate = Certificate.objects.get()
    revoke = f"/certificates/{certificate.id}/revoke/"
    page = client.get(revoke)
    assert page.status_code == 200
    assert "cannot be restored" in page.content.decode()
    certificate.refresh_from_db()
    assert certificate.revoked_on is None
    assert client.post(revoke, {"reason": ""}).status_code == 422
    assert client.post(revoke, {"reason": "IssuedInError"}).status_code == 302
    certificate.refresh_from_db()
    assert certificate.revocation_reason == "IssuedInError"


def test_equipment_with_its_handover_document(trainer: Actor, police_unit: Agency) -> None:
    client = logged_in(trainer.user)
    form = {
        "item": "Laptop",
        "recipient": str(police_unit.id),
        "quantity": "3",
        "value": "72000",
        "currency": "UAH",
        "given_on": "2016-12-01",
        "funder": "US DoS J/TIP",
        "project_code": "CT.1001",
    }
    bad = SimpleUploadedFile("act.pdf", b"not a pdf", content_type="application/pdf")
    answer = client.post("/equipment/new/", {**form, "document": bad})
    assert answer.status_code == 422
    assert not Equipment.objects.exists()
    assert not TrainingFile.objects.exists()
    act = SimpleUploadedFile("act.pdf", PDF, content_type="application/pdf")
    assert client.post("/equipment/new/", {**form, "document": act}).status_code == 302
    equipment = Equipment.objects.get()
    assert equipment.handover_document is not None
    listing = client.get("/equipment/").content.decode()
    assert "Laptop" in listing
    assert f"/training-files/{equipment.handover_document.id}/" in listing


def test_the_donor_report_page_xlsx_and_pdf(
    trainer: Actor, training: Training, make_user: Callable[..., User], iom: Agency
) -> None:
    services.add_participant(
        actor=trainer, training=training, data=participant(pre_score=40, post_score=80)
    )
    services.add_participant(
        actor=trainer,
        training=training,
        data=participant(
            family_name="Коваленко",
            first_name="Олена",
            gender="Feminine",
            profession="Ngo",
            pre_score=50,
            post_score=70,
        ),
    )
    officer = logged_in(make_user("p.officer", iom, "programme_officer"))
    assert officer.get("/trainings/")["Location"] == "/trainings/report/"
    page = officer.get("/trainings/report/?start=2016-01-01&end=2016-12-31&by=quarter")
    body = page.content.decode()
    assert page.status_code == 200
    assert "2016 Q4" in body
    assert "Шевченко" not in body  # counts only
    workbook = load_workbook(
        io.BytesIO(officer.get("/trainings/report/xlsx/?start=2016-01-01&end=2016-12-31").content)
    )
    summary = workbook.worksheets[0]
    values = [[c.value for c in row] for row in summary.iter_rows()]
    # The figures are numbers (the knowledge gain too), with a number format.
    assert [1, 2, 1, 2, 30.0, 0] in [row[1:] for row in values]
    totals = next(row for row in summary.iter_rows() if row[1].value == 1 and row[2].value == 2)
    assert [c.number_format for c in totals[1:]] == ["#,##0"] * 4 + ["#,##0.0", "#,##0"]
    pdf = officer.get("/trainings/report/pdf/?start=2016-01-01&end=2016-12-31&project_code=CT.0999")
    assert pdf.content.startswith(b"%PDF")
    assert officer.get("/trainings/report/?start=2016-12-31&end=2016-01-01").status_code == 422
    # Another agency's programme officer counts nothing of IOM's.
    other = Agency.objects.create(name="Other (synthetic)", kind="NGO")
    outsider = logged_in(make_user("x.officer", other, "programme_officer"))
    assert "CT.0999" not in outsider.get("/trainings/report/").content.decode()
    # Without training.report: 404.
    assert (
        logged_in(make_user("x.case", other, "caseworker")).get("/trainings/report/").status_code
        == 404
    )


def test_what_followed_and_the_family(
    trainer: Actor,
    training: Training,
    police_unit: Agency,
    make_user: Callable[..., User],
    make_case: Callable[..., Case],
) -> None:
    services.add_participant(
        actor=trainer, training=training, data=participant(agency=police_unit, agency_name="")
    )
    police = actor_for(make_user("police.cw", police_unit, "caseworker"))
    ngo_agency = Agency.objects.create(name="NGO (synthetic)", kind="NGO")
    ngo = actor_for(make_user("ngo.cw", ngo_agency, "caseworker"))
    for actor, day, name in (
        (police, dt.date(2016, 8, 1), "Андрій"),
        (police, dt.date(2016, 12, 1), "Богдан"),
        (police, dt.date(2017, 1, 10), "Василь"),
        (police, dt.date(2017, 6, 1), "Григорій"),  # after the six months
        (ngo, dt.date(2016, 12, 5), "Дмитро"),
    ):
        make_case(actor, person=person_input(name, "Синтетичний"), identified_on=day)
    with CaptureQueriesContext(connection) as queries:
        followed = what_followed(Training.objects.all(), Case.objects.all(), Training.objects.all())
    # The identifying agencies come from the database once each, not a row per case (the
    # statistics of a national register read every case's agency here before).
    agencies_read = [
        q["sql"] for q in queries if '"identifying_agency_id" FROM "cases_case"' in q["sql"]
    ]
    assert agencies_read
    assert all(sql.startswith("SELECT DISTINCT") for sql in agencies_read)
    assert followed.trained_identified == (1, 2)
    assert followed.other_identified == (0, 1)
    assert (followed.trained_pairs, followed.other_agencies) == (1, 1)
    assert add_months(dt.date(2016, 8, 31), 6) == dt.date(2017, 2, 28)
    with translation.override("en"):
        indicators = compute(
            Case.objects.all(),
            Filters(dt.date(2016, 1, 1), dt.date(2016, 12, 31)),
            training=Scope(Training.objects.all(), Equipment.objects.all()),
        )
    assert indicators.table("training_events").total == 1
    assert indicators.table("training_law_enforcers").rows[0].count == 1
    identified = indicators.table("training_followed_identified")
    assert [r.count for r in identified.rows] == [1, 2, 0, 1]
    assert "not a causal claim" in str(identified.note)
    assert case_input  # the factory shapes the cases above


def test_the_dashboard_shows_the_training_family(
    trainer: Actor,
    training: Training,
    make_user: Callable[..., User],
    make_case: Callable[..., Case],
    iom: Agency,
    police_unit: Agency,
) -> None:
    services.add_participant(actor=trainer, training=training, data=participant())
    make_case(actor_for(make_user("cw", police_unit, "caseworker")))
    statistician = logged_in(make_user("stat", iom, "statistician"))
    answer = statistician.get("/statistics/?start=2016-01-01&end=2016-12-31")
    assert answer.status_code == 200, answer.status_code
    body = answer.content.decode()
    assert 'id="chart-training_events"' in body
    assert 'id="chart-training_followed_identified"' in body


def test_another_agency_gets_404_on_the_forms(
    trainer: Actor, training: Training, make_user: Callable[..., User], other_org: Agency
) -> None:
    one = services.add_participant(actor=trainer, training=training, data=participant())
    other = logged_in(make_user("o.trainer", other_org, "trainer"))
    assert other.get(f"/trainings/{training.id}/edit/").status_code == 404
    assert other.get(f"/trainings/{training.id}/participants/{one.id}/").status_code == 404
    assert Client().get(f"/trainings/{training.id}/edit/").status_code == 302
    _ = Decimal
