"""Trainings, the training register, imports all-or-nothing, certificates, equipment."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from opennrm.audit.models import AuditEvent
from opennrm.tenancy.actor import Actor
from opennrm.tenancy.models import Agency
from opennrm.training import services
from opennrm.training.imports import FileProblem, participant_rows, read_table
from opennrm.training.models import Certificate, Participation, Trainee, Training
from opennrm.training.trainees import open_name
from tests.training.conftest import participant, training_input

MINIMAL_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_a_training_validates_codes_and_dates(trainer: Actor) -> None:
    with pytest.raises(ValidationError) as caught:
        services.create_training(
            actor=trainer,
            data=training_input(format="Lecture", topics=["Unknown"], ends_on=dt.date(2016, 11, 1)),
        )
    assert {"format", "topics", "ends_on"} <= set(caught.value.message_dict)


def test_the_audit_names_no_title(trainer: Actor, training: Training) -> None:
    event = AuditEvent.objects.get(action="training.created")
    assert str(training.id) == event.object_id
    assert "synthetic" not in str(event.detail)


def test_one_person_trained_twice_is_one_trainee(trainer: Actor, training: Training) -> None:
    second = services.create_training(
        actor=trainer,
        data=training_input(starts_on=dt.date(2016, 11, 15), ends_on=dt.date(2016, 11, 15)),
    )
    services.add_participant(actor=trainer, training=training, data=participant())
    # The same names in Latin (KMU 2010), another case and order of words: the same person.
    services.add_participant(
        actor=trainer,
        training=second,
        data=participant(family_name="SHEVCHENKO", first_name="taras", profession="Investigator"),
    )
    assert Trainee.objects.count() == 1
    trainee = Trainee.objects.get()
    assert open_name(trainee).full_name == "Шевченко Тарас"
    assert trainee.participations.count() == 2
    # The names are not in clear (the whole name: two bytes alone occur in random ciphertext).
    stored = bytes(trainee.identity_enc)
    assert "Шевченко".encode() not in stored
    assert "Тарас".encode() not in stored


def test_the_same_person_twice_in_one_training_is_refused(
    trainer: Actor, training: Training
) -> None:
    services.add_participant(actor=trainer, training=training, data=participant())
    with pytest.raises(ValidationError) as caught:
        services.add_participant(actor=trainer, training=training, data=participant())
    assert "family_name" in caught.value.message_dict


CSV = (
    "family_name,first_name,sex,profession,agency,oblast,pre_score,post_score\n"
    "Коваленко,Олена,F,Investigator,Police of Sumy oblast (synthetic),UA-59,40,75\n"
    "Бондар,Іван,M,Judge,Court (synthetic),UA-65,55,80\n"
    "Ткаченко,Марія,F,Baker,NGO (synthetic),UA-99,50,\n"
)


def _import(training: Training, trainer: Actor, text: str) -> list[Participation]:
    rows, problems = participant_rows(read_table("list.csv", text.encode()))
    return services.import_participants(
        actor=trainer, training=training, rows=rows, row_errors=problems
    )


def test_an_import_with_one_bad_row_names_it_and_imports_nothing(
    trainer: Actor, training: Training
) -> None:
    with pytest.raises(ValidationError) as caught:
        _import(training, trainer, CSV)
    assert set(caught.value.message_dict) == {"row 4: profession", "row 4: oblast"}
    assert not Participation.objects.exists()
    assert not Trainee.objects.exists()
    fixed = CSV.replace("Baker", "Ngo").replace("UA-99", "UA-12")
    assert len(_import(training, trainer, fixed)) == 3
    assert AuditEvent.objects.filter(action="training.participants_imported").count() == 1


def test_an_import_refuses_unknown_columns_and_duplicates(
    trainer: Actor, training: Training
) -> None:
    with pytest.raises(FileProblem):
        read_table("list.csv", b"surname,first_name\nA,B\n")
    twice = [*CSV.splitlines()[:2], CSV.splitlines()[1].replace("Коваленко", "Kovalenko")]
    with pytest.raises(ValidationError) as caught:
        _import(training, trainer, "\n".join(twice) + "\n")
    assert list(caught.value.message_dict) == ["row 3: family_name"]


def test_an_xlsx_list_is_read(trainer: Actor, training: Training) -> None:
    import io

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for line in CSV.replace("Baker", "Ngo").replace("UA-99", "UA-12").splitlines():
        sheet.append(line.split(","))
    buffer = io.BytesIO()
    book.save(buffer)
    rows, problems = participant_rows(read_table("list.xlsx", buffer.getvalue()))
    assert not any(problems)
    assert [r.oblast for r in rows] == ["UA-59", "UA-65", "UA-12"]


def test_certificates_for_full_attendance_and_revocation(
    trainer: Actor, training: Training
) -> None:
    full = services.add_participant(actor=trainer, training=training, data=participant())
    services.add_participant(
        actor=trainer,
        training=training,
        data=participant(family_name="Коваль", days_attended=[dt.date(2016, 11, 8)]),
    )
    with pytest.raises(ValidationError):
        services.issue_certificates(
            actor=trainer, training=training, issued_on=dt.date(2016, 11, 8)
        )
    issued = services.issue_certificates(
        actor=trainer, training=training, issued_on=dt.date(2016, 11, 9)
    )
    assert [c.participation_id for c in issued] == [full.id]
    code = issued[0].code
    assert len(code) == 12
    assert services.normalise_code(code.lower()[:4] + "-" + code[4:]) == code
    assert services.certificate_validity(issued[0]) == "valid"
    services.revoke_certificate(actor=trainer, certificate=issued[0], reason="IssuedInError")
    assert services.certificate_validity(Certificate.objects.get()) == "revoked"
    assert services.issue_certificates(actor=trainer, training=training) == []


def test_files_must_be_pdfs_within_the_limit(trainer: Actor, training: Training) -> None:
    stored = services.attach_file(
        actor=trainer,
        training=training,
        kind="Agenda",
        name="agenda.pdf",
        content=MINIMAL_PDF,
        content_type="application/pdf",
    )
    assert stored.size == len(MINIMAL_PDF)
    with pytest.raises(ValidationError):  # a declared PDF that is not one
        services.attach_file(
            actor=trainer,
            training=training,
            kind="Agenda",
            name="agenda.pdf",
            content=b"MZ\x90\x00",
            content_type="application/pdf",
        )
    with override_settings(OPENNRM_TRAINING_FILE_MAX_BYTES=16), pytest.raises(ValidationError):
        services.attach_file(
            actor=trainer,
            training=training,
            kind="Agenda",
            name="agenda.pdf",
            content=MINIMAL_PDF,
            content_type="application/pdf",
        )


def test_equipment_given(trainer: Actor, police_unit: Agency) -> None:
    equipment = services.record_equipment(
        actor=trainer,
        data=services.EquipmentInput(
            item="Laptop",
            recipient=police_unit,
            quantity=4,
            value=Decimal("96000.00"),
            currency="UAH",
            given_on=dt.date(2016, 12, 1),
            funder="US DoS J/TIP",
        ),
    )
    assert equipment.given_by == trainer.agency
    with pytest.raises(ValidationError) as caught:
        services.record_equipment(actor=trainer, data=services.EquipmentInput(currency="XYZ"))
    assert {"item", "recipient", "quantity", "value", "currency", "given_on"} <= set(
        caught.value.message_dict
    )
