"""Ids for the URL parameters of the training pages (the generated URL-guard tests)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from opennrm.accounts.models import User
from opennrm.tenancy.actor import actor_for
from opennrm.tenancy.models import Agency
from opennrm.training import services
from tests.training.conftest import participant, training_input

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def training_objects(make_user: Callable[..., User], agency: Agency) -> dict[str, str]:
    """A training of `agency` with a participant, a certificate, an agenda and equipment."""
    trainer = actor_for(make_user(f"objects.trainer.{agency.id.hex[:6]}", agency, "trainer"))
    training = services.create_training(actor=trainer, data=training_input())
    participation = services.add_participant(actor=trainer, training=training, data=participant())
    (certificate,) = services.issue_certificates(
        actor=trainer, training=training, issued_on=dt.date(2016, 11, 10)
    )
    agenda = services.attach_file(
        actor=trainer,
        training=training,
        kind="Agenda",
        name="agenda.pdf",
        content=PDF,
        content_type="application/pdf",
    )
    recipient = Agency.objects.create(name=f"Recipient {agency.id.hex[:6]}", kind="NationalPolice")
    equipment = services.record_equipment(
        actor=trainer,
        data=services.EquipmentInput(
            item="Laptop",
            recipient=recipient,
            quantity=1,
            value=Decimal(24000),
            given_on=dt.date(2016, 12, 1),
        ),
    )
    return {
        "training_id": str(training.id),
        "participation_id": str(participation.id),
        "certificate_id": str(certificate.id),
        "file_id": str(agenda.id),
        "equipment_id": str(equipment.id),
        "code": certificate.code,
    }
