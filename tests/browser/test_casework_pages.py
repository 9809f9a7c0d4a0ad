"""Case work in a real browser (Ukrainian): the caseworker adds a note and uploads a photo of a
document on the page *Notes and documents*; after the forward to the national level the
decision-maker reads the personal file on the application page, without the health note."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from playwright.sync_api import expect

from opennrm.accounts.models import User
from opennrm.cases.models import Case
from opennrm.casework import services as casework
from opennrm.casework.models import Attachment
from opennrm.nrm.status import workflow as wf
from tests.browser.helpers import OpenPage, axe_violations, log_in, shot
from tests.nrm.test_status_support import APPLIED, application_in, build_world, perform

pytestmark = pytest.mark.browser

HEALTH_NOTE = "Скаржиться на безсоння після повернення"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"


def photo(tmp_path: Path) -> Path:
    image = Image.new("RGB", (400, 260), (235, 235, 220))
    for x in range(40, 360):
        for y in (60, 100, 140):
            image.putpixel((x, y), (20, 20, 120))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    path = tmp_path / "passport-photo.jpg"
    image.save(path, format="JPEG", exif=exif.tobytes())
    return path


def test_notes_and_documents_then_the_deciders_file(
    live_server: Any,
    open_page: OpenPage,
    make_user: Callable[..., User],
    make_case: Callable[..., Case],
    tmp_path: Path,
) -> None:
    world = build_world(make_user, make_case)
    owner = world.actor(world.official)
    casework.write_note(
        actor=owner, case=world.case, about="Case", category="Health", text=HEALTH_NOTE
    )
    casework.add_attachment(
        actor=owner,
        case=world.case,
        category="Documents",
        title="Заява про встановлення статусу",
        content=PDF,
    )
    app = application_in(world, wf.AT_OBLAST)

    page = open_page()
    log_in(page, world.official.username)
    page.goto(f"/cases/{world.case.id}/")
    page.get_by_role("link", name="Нотатки та документи").click()
    expect(page.locator("main h1")).to_have_text("Нотатки та документи")
    # A note on a contact with the person, psycho-social.
    page.locator("#id_note-about").select_option("Contact")
    page.locator("#id_note-contact_on").fill("2016-03-20")
    page.locator("#id_note-category").select_option("Psychosocial")
    page.locator("#id_note-text").fill("Телефонна розмова: почувається краще, просить юриста.")
    page.get_by_role("button", name="Зберегти нотатку").click()
    expect(page.locator("#notes")).to_contain_text("почувається краще")
    # A photo of the passport, its metadata dropped on the way in.
    page.locator("#id_file-title").fill("Фото паспорта")
    page.locator("#id_file-category").select_option("Documents")
    page.locator("#id_file-file").set_input_files(str(photo(tmp_path)))
    page.get_by_role("button", name="Завантажити").click()
    expect(page.locator("#attachments")).to_contain_text("Фото паспорта")
    stored = Attachment.objects.filter(content_type="image/jpeg").get()
    assert stored.size > 0
    expect(page.locator("#attachments img.thumb")).to_have_count(1)
    assert axe_violations(page) == []
    shot(page, "casework-notes-and-documents-uk")
    with page.expect_download() as download:
        page.get_by_role("link", name="Фото паспорта").click()
    assert re.fullmatch(r"attachment-[0-9a-f-]{36}\.jpg", download.value.suggested_filename)
    content = Path(download.value.path()).read_bytes()
    assert b"PhoneMaker" not in content
    with Image.open(io.BytesIO(content)) as image:
        assert image.size == (400, 260)

    # The decision-maker: nothing before the forward, the file after it.
    decider = open_page()
    log_in(decider, world.decider.username)
    response = decider.goto(f"/cases/{world.case.id}/")
    assert response is not None
    assert response.status == 404
    perform(world, app, wf.FORWARD_TO_NATIONAL, APPLIED + dt.timedelta(days=3))
    decider.goto(f"/status-applications/{app.id}/")
    file = decider.locator("#file")
    expect(file).to_contain_text("Особова справа")
    expect(file).to_contain_text("Шевченко")
    expect(file).to_contain_text("Фото паспорта")
    expect(file).to_contain_text("Заява про встановлення статусу")
    expect(decider.locator("main")).not_to_contain_text(HEALTH_NOTE)
    assert axe_violations(decider) == []
    shot(decider, "casework-decision-page-file-uk")
    decider.goto(f"/cases/{world.case.id}/file/")
    expect(decider.locator("main")).not_to_contain_text(HEALTH_NOTE)
    expect(decider.locator("#attachments")).to_contain_text("Фото паспорта")
    shot(decider, "casework-decider-notes-and-documents-uk")
