"""Case work (issue 10 item 7): notes and attachments of a case, sealed with the person's key,
read by data category through the gate, files checked by content, images stripped of their
metadata, served only through the gated view, shredded with the person."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import translation
from PIL import Image

from opennrm.access import casework as gate
from opennrm.accounts.models import User
from opennrm.audit.models import AuditEvent
from opennrm.cases.models import Case
from opennrm.casework import files, sealing, services
from opennrm.casework.models import Attachment, Note
from opennrm.nrm.referrals import services as referral_services
from opennrm.retention import services as retention
from opennrm.tenancy.actor import Actor, actor_for
from opennrm.tenancy.models import Agency
from opennrm.vault.aead import DecryptionError
from tests.conftest import logged_in, record_basis


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


SECRET_NOTE = "Олена боїться повертатися до Бахмута"  # a health note's text
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def jpeg_with_exif() -> bytes:
    image = Image.new("RGB", (64, 48), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "SecretCamMaker"  # Make
    exif[0x0131] = "GeoTaggerSoftware"  # Software
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes(), comment=b"PlantedComment")
    return out.getvalue()


def png_with_text() -> bytes:
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Author", "PlantedAuthorName")
    out = io.BytesIO()
    Image.new("RGBA", (30, 30), (0, 0, 255, 128)).save(out, format="PNG", pnginfo=info)
    return out.getvalue()


@pytest.fixture
def shelter(make_user: Callable[..., User]) -> User:
    agency = Agency.objects.create(name="Shelter Svitanok (synthetic)", kind="NGO", oblast="UA-63")
    return make_user("sasha.shelter", agency, "caseworker")


def share(actor: Actor, case: Case, to: User, purpose: str, categories: tuple[str, ...]) -> None:
    record_basis(actor, case, purpose=purpose, categories=categories)
    referral = referral_services.refer_case(
        actor=actor,
        case=case,
        to_agency=actor_for(to).agency,  # type: ignore[arg-type]
        purpose=purpose,
        data_categories=list(categories),
    )
    referral_services.accept_referral(actor=actor_for(to), referral=referral)


def test_a_note_is_sealed_with_the_persons_key_and_read_by_its_category(
    actor_a: Actor, shevchenko_case: Case, shelter: User, outsider: User
) -> None:
    note = services.write_note(
        actor=actor_a, case=shevchenko_case, about="Case", category="Health", text=SECRET_NOTE
    )
    facts = services.write_note(
        actor=actor_a, case=shevchenko_case, about="Case", category="CaseFacts", text="Факти"
    )
    row = Note.objects.get(pk=note.pk)
    assert SECRET_NOTE.encode() not in bytes(row.text_enc)
    assert sealing.open_note(row, shevchenko_case.person) == SECRET_NOTE
    # The shelter sees the case for Shelter with the case facts only: not the health note.
    share(actor_a, shevchenko_case, shelter, "Shelter", ("Identity", "CaseFacts"))
    url = reverse("web:case_file", kwargs={"case_id": shevchenko_case.id})
    body = logged_in(shelter).get(url).content.decode()
    assert "Факти" in body
    assert SECRET_NOTE not in body
    assert set(gate.visible_notes(actor_for(shelter), shevchenko_case)) == {facts}
    # A note the shelter may not read is 404 to it (like a missing one), also to delete.
    delete = reverse("web:note_delete", kwargs={"note_id": note.id})
    assert logged_in(shelter).post(delete).status_code == 404
    # It reads the owner's note on the facts but may not delete it: no button, and 403.
    delete_facts = reverse("web:note_delete", kwargs={"note_id": facts.id})
    assert delete_facts not in body
    assert logged_in(shelter).post(delete_facts).status_code == 403
    assert Note.objects.get(pk=facts.pk).deleted_at is None
    # The owner sees both; another agency sees nothing (404).
    owner_body = logged_in(actor_a.user).get(url).content.decode()
    assert SECRET_NOTE in owner_body
    assert delete_facts in owner_body  # the writer's agency may delete it
    assert logged_in(outsider).get(url).status_code == 404
    # The read is audited with ids only.
    event = AuditEvent.objects.filter(action="casework.viewed").last()
    assert event is not None
    assert str(note.id) in event.detail["notes"]
    assert SECRET_NOTE not in str(event.detail)


def test_the_writer_chooses_only_a_category_they_may_write(
    actor_a: Actor, shevchenko_case: Case, shelter: User
) -> None:
    share(actor_a, shevchenko_case, shelter, "Shelter", ("Identity", "CaseFacts", "Psychosocial"))
    sheltered = actor_for(shelter)
    # Assistance on a shared case writes notes, but only in the categories shared with it.
    assert gate.note_categories(sheltered, shevchenko_case, "Service") == ["Psychosocial"]
    assert "Health" not in gate.note_categories(sheltered, shevchenko_case, "Case")
    with pytest.raises(PermissionDenied):
        gate.authorize_note(sheltered, shevchenko_case, "Case", "Health")
    client = logged_in(shelter)
    response = client.post(
        reverse("web:note_create", kwargs={"case_id": shevchenko_case.id}),
        {"note-about": "Case", "note-category": "Health", "note-text": "x"},
    )
    assert response.status_code == 422  # Health is not offered: the form refuses it
    assert not Note.objects.exists()
    response = client.post(
        reverse("web:note_create", kwargs={"case_id": shevchenko_case.id}),
        {
            "note-about": "Contact",
            "note-contact_on": "2016-03-20",
            "note-category": "Psychosocial",
            "note-text": "Дзвінок: усе гаразд",
        },
    )
    assert response.status_code == 302
    note = Note.objects.get()
    assert (note.about, note.category, str(note.contact_on)) == (
        "Contact",
        "Psychosocial",
        "2016-03-20",
    )
    # Sheltered staff delete their own agency's note (soft: the text is cleared, audited).
    assert client.post(reverse("web:note_delete", kwargs={"note_id": note.id})).status_code == 302
    note.refresh_from_db()
    assert note.deleted_at is not None
    assert bytes(note.text_enc) == b""
    assert AuditEvent.objects.filter(action="note.deleted").exists()


def test_a_service_note_names_a_service_of_the_same_case(
    actor_a: Actor, shevchenko_case: Case
) -> None:
    with pytest.raises(ValidationError) as caught:
        services.write_note(
            actor=actor_a,
            case=shevchenko_case,
            about="Service",
            category="Psychosocial",
            text="x",
            service_id="not-a-uuid",
        )
    assert "service" in caught.value.message_dict


def test_images_are_re_encoded_without_metadata_and_thumbnailed() -> None:
    checked = files.check(jpeg_with_exif())
    assert checked.content_type == files.JPEG
    for planted in (b"SecretCamMaker", b"GeoTaggerSoftware", b"PlantedComment", b"Exif"):
        assert planted not in checked.content
        assert planted not in checked.thumbnail
    with Image.open(io.BytesIO(checked.content)) as image:
        assert not image.getexif()
        assert "exif" not in image.info
        assert "icc_profile" not in image.info
        assert image.size == (64, 48)
    png = files.check(png_with_text())
    assert b"PlantedAuthorName" not in png.content
    with Image.open(io.BytesIO(png.thumbnail)) as thumb:
        assert max(thumb.size) <= 240


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty"),
        (b"hello, this is text pretending to be a PDF", "Only PDF, JPEG and PNG"),
        (b"GIF89a" + b"\0" * 20, "Only PDF, JPEG and PNG"),
        (PDF.replace(b"/Catalog", b"/Catalog /OpenAction << /JS (app.alert(1)) >>"), "scripts"),
        (b"\xff\xd8\xff\xe0 not really a jpeg", "damaged"),
        (b"\x89PNG\r\n\x1a\n broken", "damaged"),
    ],
)
def test_files_are_checked_by_their_content(content: bytes, reason: str) -> None:
    with pytest.raises(files.FileRefused) as caught:
        files.check(content)
    assert reason in str(caught.value)


@override_settings(OPENNRM_ATTACHMENT_MAX_MB=1)
def test_the_size_is_limited_by_the_setting() -> None:
    with pytest.raises(files.FileRefused) as caught:
        files.check(PDF + b"0" * (1024 * 1024))
    assert "1 MB" in str(caught.value)


@pytest.fixture
def upload_dir(tmp_path: Path) -> Iterator[Path]:
    with override_settings(FILE_UPLOAD_TEMP_DIR=str(tmp_path)):
        yield tmp_path


def test_upload_download_delete_through_the_gate(
    actor_a: Actor, shevchenko_case: Case, outsider: User, upload_dir: Path
) -> None:
    client = logged_in(actor_a.user)
    # A PDF above Django's in-memory limit (2.5 MB) still never touches the disk.
    big = PDF + b"%" + b"0" * (3 * 1024 * 1024) + b"\n%%EOF\n"
    response = client.post(
        reverse("web:attachment_create", kwargs={"case_id": shevchenko_case.id}),
        {
            "file-title": "Копія паспорта",
            "file-category": "Documents",
            "file-file": SimpleUploadedFile("passport_Shevchenko.pdf", big, "text/plain"),
        },
    )
    assert response.status_code == 302
    assert list(upload_dir.iterdir()) == []
    attachment = Attachment.objects.get()
    assert (attachment.category, attachment.content_type, attachment.size) == (
        "Documents",
        "application/pdf",
        len(big),
    )
    assert b"%PDF" not in bytes(attachment.content_enc)
    assert "Копія паспорта".encode() not in bytes(attachment.title_enc)
    url = reverse("web:attachment_download", kwargs={"attachment_id": attachment.id})
    download = client.get(url)
    assert download.status_code == 200
    assert download.content == big
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == (
        f'attachment; filename="attachment-{attachment.id}.pdf"'
    )
    assert "Shevchenko" not in download["Content-Disposition"]
    assert download["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in download["Content-Security-Policy"]
    event = AuditEvent.objects.filter(action="attachment.downloaded").get()
    assert event.detail == {"attachment": str(attachment.id)}
    assert logged_in(outsider).get(url).status_code == 404
    # Deleting asks for confirmation on the page, then clears the file (soft, audited).
    page = client.get(reverse("web:case_file", kwargs={"case_id": shevchenko_case.id}))
    assert "Копія паспорта" in page.content.decode()
    assert 'class="confirm"' in page.content.decode()
    delete = reverse("web:attachment_delete", kwargs={"attachment_id": attachment.id})
    assert client.post(delete).status_code == 302
    assert client.get(url).status_code == 404
    attachment.refresh_from_db()
    assert bytes(attachment.content_enc) == b""
    assert AuditEvent.objects.filter(action="attachment.deleted").exists()


def test_a_spoofed_image_is_refused_on_upload(actor_a: Actor, shevchenko_case: Case) -> None:
    response = logged_in(actor_a.user).post(
        reverse("web:attachment_create", kwargs={"case_id": shevchenko_case.id}),
        {
            "file-title": "scan",
            "file-category": "Documents",
            "file-file": SimpleUploadedFile("scan.png", b"<script>alert(1)</script>", "image/png"),
        },
    )
    assert response.status_code == 422
    assert not Attachment.objects.exists()


def test_the_signed_consent_form_is_uploaded_with_the_consent(
    actor_a: Actor, shevchenko_case: Case, shelter: User
) -> None:
    client = logged_in(actor_a.user)
    response = client.post(
        reverse("web:consent_create", kwargs={"case_id": shevchenko_case.id}),
        {
            "legal_basis": "Consent",
            "purposes": ["Shelter"],
            "data_categories": ["Identity", "CaseFacts"],
            "given_on": "2016-03-15",
            "given_by": "Person",
            "signed_form": SimpleUploadedFile("consent.jpg", jpeg_with_exif(), "image/jpeg"),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    attachment = Attachment.objects.get()
    consent = shevchenko_case.consents.get()
    assert attachment.consent_id == consent.id
    assert attachment.category == "OwnerOnly"
    content = sealing.open_attachment(attachment, shevchenko_case.person, "content")
    assert b"SecretCamMaker" not in content
    # A share never shows the consent form (OwnerOnly), whatever its categories.
    referral = referral_services.refer_case(
        actor=actor_a,
        case=shevchenko_case,
        to_agency=actor_for(shelter).agency,  # type: ignore[arg-type]
        purpose="Shelter",
        data_categories=["Identity", "CaseFacts"],
    )
    referral_services.accept_referral(actor=actor_for(shelter), referral=referral)
    url = reverse("web:attachment_download", kwargs={"attachment_id": attachment.id})
    assert logged_in(shelter).get(url).status_code == 404
    assert client.get(url).status_code == 200


def test_a_bad_signed_form_records_no_consent(actor_a: Actor, shevchenko_case: Case) -> None:
    response = logged_in(actor_a.user).post(
        reverse("web:consent_create", kwargs={"case_id": shevchenko_case.id}),
        {
            "legal_basis": "Consent",
            "purposes": ["Shelter"],
            "data_categories": ["Identity"],
            "given_on": "2016-03-15",
            "given_by": "Person",
            "signed_form": SimpleUploadedFile("consent.pdf", b"not a pdf", "application/pdf"),
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 422
    assert not shevchenko_case.consents.exists()
    assert "Only PDF, JPEG and PNG" in response.content.decode()


def test_erasure_makes_notes_and_attachments_unreadable(
    actor_a: Actor,
    shevchenko_case: Case,
    supervisor: User,
    tmp_path: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:
    note = services.write_note(
        actor=actor_a, case=shevchenko_case, about="Case", category="Health", text=SECRET_NOTE
    )
    attachment = services.add_attachment(
        actor=actor_a, case=shevchenko_case, category="Documents", title="Паспорт", content=PDF
    )
    old_blob = bytes(Attachment.objects.get(pk=attachment.pk).content_enc)
    with (
        override_settings(OPENNRM_ERASURE_LEDGER_FILE=str(tmp_path / "erasures.jsonl")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        retention.erase_person(
            actor=actor_for(supervisor), person=shevchenko_case.person, reason="SubjectRequest"
        )
    shevchenko_case.refresh_from_db()
    person = shevchenko_case.person
    person.refresh_from_db()
    note.refresh_from_db()
    attachment.refresh_from_db()
    assert bytes(note.text_enc) == b""
    assert bytes(attachment.content_enc) == b""
    assert bytes(attachment.title_enc) == b""
    # Even a copy of the old ciphertext (a backup) opens with no key any more.
    attachment.content_enc = old_blob
    with pytest.raises(DecryptionError):
        sealing.open_attachment(attachment, person, "content")
    url = reverse("web:attachment_download", kwargs={"attachment_id": attachment.id})
    assert logged_in(actor_a.user).get(url).status_code == 404
    with pytest.raises(ValidationError):
        services.write_note(
            actor=actor_a, case=shevchenko_case, about="Case", category="Health", text="again"
        )


def api(user: User) -> Any:
    from django.test import Client

    from opennrm.accounts.services import issue_api_token

    return Client(headers={"Authorization": f"Bearer {issue_api_token(user=user)}"})


def test_the_api_reads_and_writes_notes_by_category(
    actor_a: Actor, shevchenko_case: Case, shelter: User, outsider: User
) -> None:
    owner = api(actor_a.user)
    url = f"/api/v1/cases/{shevchenko_case.id}/notes/"
    created = owner.post(
        url,
        {"about": "Case", "category": "Health", "text": SECRET_NOTE},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["text"] == SECRET_NOTE
    passport = services.add_attachment(
        actor=actor_a, case=shevchenko_case, category="Documents", title="Паспорт", content=PDF
    )
    listed = owner.get(url).json()
    assert [n["text"] for n in listed["results"]] == [SECRET_NOTE]
    files_listed = owner.get(f"/api/v1/cases/{shevchenko_case.id}/attachments/").json()
    assert [a["title"] for a in files_listed["results"]] == ["Паспорт"]
    # Each read is audited with the ids it returned, never the text or the title.
    reads = AuditEvent.objects.filter(action="casework.viewed", object_id=shevchenko_case.id)
    assert [e.detail for e in reads.order_by("seq")] == [
        {"notes": [created.json()["id"]], "via": "api"},
        {"attachments": [str(passport.id)], "via": "api"},
    ]
    # A share with Identity and CaseFacts: no health note, no document; cannot write Health.
    share(actor_a, shevchenko_case, shelter, "Shelter", ("Identity", "CaseFacts"))
    sheltered = api(shelter)
    assert sheltered.get(url).json()["results"] == []
    refused = sheltered.post(
        url, {"about": "Case", "category": "Health", "text": "x"}, content_type="application/json"
    )
    assert refused.status_code == 403
    assert api(outsider).get(url).status_code == 404


def test_the_subject_access_export_holds_the_notes_and_files_decrypted(
    actor_a: Actor, shevchenko_case: Case, supervisor: User
) -> None:
    from opennrm.retention.export import as_json, subject_access

    services.write_note(
        actor=actor_a, case=shevchenko_case, about="Case", category="Health", text=SECRET_NOTE
    )
    services.add_attachment(
        actor=actor_a, case=shevchenko_case, category="Documents", title="Паспорт", content=PDF
    )
    payload = as_json(subject_access(actor=actor_for(supervisor), person=shevchenko_case.person))
    text = payload.decode("utf-8")
    assert SECRET_NOTE in text
    assert "Паспорт" in text
    import base64

    assert base64.b64encode(PDF).decode() in text


def test_a_category_that_does_not_fit_the_kind_of_note_is_a_form_error(
    actor_a: Actor, shevchenko_case: Case
) -> None:
    response = logged_in(actor_a.user).post(
        reverse("web:note_create", kwargs={"case_id": shevchenko_case.id}),
        {"note-about": "Service", "note-category": "Justice", "note-text": "x"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 422
    assert "This category does not fit this kind of note." in response.content.decode()
    assert not Note.objects.exists()
