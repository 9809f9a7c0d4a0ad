"""The training pages: names only to the organiser, import all or nothing, certificates as
PDFs, and the public verification page (initials, course, dates, validity; rate limited)."""

from __future__ import annotations

from collections.abc import Callable

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings

from opennrm.accounts.models import User
from opennrm.tenancy.actor import Actor
from opennrm.tenancy.models import Agency
from opennrm.training import services
from opennrm.training.models import Certificate, Participation, Training
from tests.conftest import logged_in
from tests.training.conftest import participant

HEADER = "family_name,first_name,sex,profession,agency,oblast,pre_score,post_score\n"
GOOD = "Коваленко,Олена,F,Investigator,Police of Sumy oblast (synthetic),UA-59,40,75\n"
BAD = "Бондар,Іван,M,Baker,Court (synthetic),UA-65,55,80\n"


def _upload(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("list.csv", text.encode(), content_type="text/csv")


def test_the_trainer_imports_issues_and_the_public_sees_initials_only(
    trainer: Actor, training: Training, make_user: Callable[..., User], other_org: Agency
) -> None:
    client = logged_in(trainer.user)
    url = f"/trainings/{training.id}/"
    refused = client.post(url + "import/", {"file": _upload(HEADER + GOOD + BAD)})
    assert refused.status_code == 422
    assert "row 3: profession" in refused.content.decode()
    assert not Participation.objects.exists()
    imported = client.post(url + "import/", {"file": _upload(HEADER + GOOD)})
    assert imported.status_code == 302
    page = client.get(url).content.decode()
    assert "Коваленко Олена" in page
    client.post(url + "certificates/")
    certificate = Certificate.objects.get()
    pdf = client.get(f"/certificates/{certificate.id}/pdf/")
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")
    # Another agency's trainer sees neither the page nor the certificate.
    other = logged_in(make_user("o.trainer", other_org, "trainer"))
    assert other.get(url).status_code == 404
    assert other.get(f"/certificates/{certificate.id}/pdf/").status_code == 404
    public = Client().get(f"/verify/{certificate.code.lower()}/")
    body = public.content.decode()
    assert public.status_code == 200
    assert "О. К." in body
    assert "Коваленко" not in body
    assert "Sumy" not in body
    assert Client().get("/verify/NOSUCHCODE234/").status_code == 404
    services.revoke_certificate(actor=trainer, certificate=certificate, reason="IssuedInError")
    assert "відкликаний" in Client().get(f"/verify/{certificate.code}/").content.decode()


def test_the_verification_page_is_rate_limited(trainer: Actor, training: Training) -> None:
    services.add_participant(actor=trainer, training=training, data=participant())
    with override_settings(OPENNRM_VERIFY_PER_MINUTE=2):
        answers = [Client().get("/verify/ABCDEFGHJKMN/").status_code for _ in range(3)]
    assert answers[-1] == 429
